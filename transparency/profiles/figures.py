"""The home page's headline figures, over the listed candidacies (visibility.listed)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from transparency.disclosure.stats import NOT_CHECKED, bucket_of
from transparency.models import Candidacy, DisclosureItem, Office, utcnow
from transparency.visibility import listed


@dataclass(frozen=True)
class Figures:
    candidacies: int
    refused_cv: int
    parties: int
    districts: int
    # the CV of each listed candidacy by what was established (stats.BUCKETS), not checked
    # when nothing was; shares are over the checked CVs (cv_checked)
    cv: dict[str, int] = field(default_factory=dict)

    @property
    def cv_checked(self) -> int:
        return sum(count for bucket, count in self.cv.items() if bucket != NOT_CHECKED)


def headline_figures(session: Session) -> Figures:
    rows = select(Candidacy).where(listed()).subquery()
    candidacies, parties, districts = session.execute(
        select(
            func.count(),
            func.count(distinct(rows.c.party_id)),
            func.count(distinct(rows.c.district_id)),
        ).select_from(rows)
    ).one()
    today = utcnow().date()
    cv: dict[str, int] = {}
    recorded = 0
    for status, respond_by, count in session.execute(
        select(DisclosureItem.status, DisclosureItem.respond_by, func.count())
        .join(Candidacy, DisclosureItem.candidacy_id == Candidacy.id)
        .where(DisclosureItem.requirement == "cv", listed())
        .group_by(DisclosureItem.status, DisclosureItem.respond_by)
    ):
        bucket = bucket_of(status, respond_by, today)
        recorded += count
        if bucket != "not_applicable":
            cv[bucket] = cv.get(bucket, 0) + count
    cv[NOT_CHECKED] = cv.get(NOT_CHECKED, 0) + candidacies - recorded
    return Figures(candidacies, cv.get("refused", 0), parties, districts, cv)


def listed_offices(session: Session) -> list[Office]:
    """Offices that have at least one listed candidacy, in their usual order."""
    has_candidacy = select(Candidacy.id).where(Candidacy.office_id == Office.id, listed())
    return list(
        session.scalars(
            select(Office).where(has_candidacy.exists()).order_by(Office.position, Office.id)
        )
    )
