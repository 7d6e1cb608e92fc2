"""Typed SQLAlchemy models, split by concern."""

from transparency.models.accounts import PendingRegistration, RecoveryCode
from transparency.models.base import Base, utcnow
from transparency.models.contrib import (
    AuditEvent,
    LoginAttempt,
    Submission,
    SubmissionKind,
    SubmissionStatus,
)
from transparency.models.disclosure import DisclosureStamp, StatisticsSnapshot
from transparency.models.elections import (
    District,
    DistrictArea,
    Election,
    Office,
    Party,
    Region,
)
from transparency.models.imports import ImportedCandidacy, ImportJob
from transparency.models.people import (
    Candidacy,
    DisclosureItem,
    DisclosureStatus,
    LegalStatus,
    Person,
    ProgrammeKind,
    ProgrammeStatement,
    Reply,
    Source,
    Stage,
    TrackRecordItem,
    TrackRecordKind,
    track_record_source,
)
from transparency.models.records import (
    ImportBatch,
    Revision,
    Role,
    Ruleset,
    SearchClock,
    SearchCopy,
    SearchOutbox,
    StatusChange,
    StatusChangeKind,
    User,
)
from transparency.models.requests import (
    AnswerLink,
    DisclosureRequest,
    RequestChannel,
    RequestStatus,
)
from transparency.models.revisioned import Revisioned
from transparency.models.search import SearchDocument, SearchTerm

__all__ = [
    "AnswerLink",
    "AuditEvent",
    "Base",
    "Candidacy",
    "DisclosureItem",
    "DisclosureRequest",
    "DisclosureStamp",
    "DisclosureStatus",
    "District",
    "DistrictArea",
    "Election",
    "ImportBatch",
    "ImportJob",
    "ImportedCandidacy",
    "LegalStatus",
    "LoginAttempt",
    "Office",
    "Party",
    "PendingRegistration",
    "Person",
    "ProgrammeKind",
    "ProgrammeStatement",
    "RecoveryCode",
    "Region",
    "Reply",
    "RequestChannel",
    "RequestStatus",
    "Revision",
    "Revisioned",
    "Role",
    "Ruleset",
    "SearchClock",
    "SearchCopy",
    "SearchDocument",
    "SearchOutbox",
    "SearchTerm",
    "Source",
    "Stage",
    "StatisticsSnapshot",
    "StatusChange",
    "StatusChangeKind",
    "Submission",
    "SubmissionKind",
    "SubmissionStatus",
    "TrackRecordItem",
    "TrackRecordKind",
    "User",
    "track_record_source",
    "utcnow",
]
