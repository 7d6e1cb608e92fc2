"""Factories for test data. Each call flushes, records revisions, and commits."""

from __future__ import annotations

from datetime import date
from itertools import count
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from transparency.models import (
    Candidacy,
    DisclosureItem,
    District,
    Election,
    Office,
    Party,
    Person,
    ProgrammeStatement,
    Region,
    Reply,
    Role,
    Source,
    TrackRecordItem,
    User,
)
from transparency.revisions import provenance

_ballot = count(1)
# The items the default rules require by a deadline: published, nothing to flag.
OPEN_DISCLOSURE = {"cv": "published", "criminal_record": "published"}
_user = count(1)


class Factory:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _commit(self) -> None:
        self.session.commit()

    def source(self, url: str = "https://contoh.example/sumber", **fields: Any) -> Source:
        source = Source(url=url, title=fields.pop("title", "Sumber uji"), **fields)
        self.session.add(source)
        self.session.flush()
        return source

    def candidacy(
        self,
        name: str = "Siti Rahayu",
        *,
        election: str = "pemilu-2024",
        office: str = "DPR",
        district: str = "3304",
        party_number: int | None = 1,
        ballot_number: int | None = None,
        gender: str | None = "P",
        disclosure: dict[str, str] | None = None,
        programme: list[str] | None = None,
        track_record: list[dict[str, Any]] | None = None,
        **person_fields: Any,
    ) -> Candidacy:
        """A candidacy of a new person; `disclosure` maps requirement -> status.

        By default the required items are published, so the rules do not flag it; pass
        `disclosure={}` for a candidacy with no disclosure data at all.
        """
        if disclosure is None:
            disclosure = dict(OPEN_DISCLOSURE)
        session = self.session
        election_row = session.scalars(select(Election).filter_by(slug=election)).one()
        office_row = session.scalars(select(Office).filter_by(code=office)).one()
        district_row = session.scalars(
            select(District).filter_by(
                election_id=election_row.id, office_id=office_row.id, code=district
            )
        ).one()
        party = None
        if party_number is not None:
            party = session.scalars(
                select(Party).filter_by(election_id=election_row.id, number=party_number)
            ).one()
        with provenance(session, origin="test"):
            source = self.source()
            person = Person(full_name=name, gender=gender, source=source, **person_fields)
            candidacy = Candidacy(
                person=person,
                election=election_row,
                office=office_row,
                district=district_row,
                party=party,
                ballot_number=ballot_number or next(_ballot),
                source=source,
            )
            session.add(candidacy)
            for position, statement in enumerate(programme or []):
                session.add(
                    ProgrammeStatement(
                        candidacy=candidacy, text=statement, position=position, source=source
                    )
                )
            for position, item in enumerate(track_record or []):
                fields = {"kind": "career", "title": "Item", **item}
                session.add(
                    TrackRecordItem(person=person, position=position, sources=[source], **fields)
                )
            for requirement, status in (disclosure or {}).items():
                session.add(
                    DisclosureItem(
                        candidacy=candidacy,
                        requirement=requirement,
                        status=status,
                        checked_at=date(2023, 11, 14),
                        source=source,
                    )
                )
            session.flush()
        self._commit()
        return candidacy

    def user(
        self,
        email: str | None = None,
        *,
        role: str = Role.VOLUNTEER,
        name: str | None = None,
        password: str | None = None,
        active: bool = True,
        two_factor: bool | None = None,
    ) -> User:
        """An account; log in with tests.auth_helpers.DEFAULT_PASSWORD unless given one.

        Admins have a second factor (tests.auth_helpers.TOTP_SECRET) unless `two_factor=False`:
        their role requires one, and AuthActions.login answers its code step."""
        from tests.auth_helpers import DEFAULT_PASSWORD, TOTP_SECRET
        from transparency.auth import hash_password
        from transparency.models.base import utcnow

        number = next(_user)
        user = User(
            email=email or f"user{number}@contoh.example",
            name=name or f"Relawan {number}",
            password_hash=hash_password(password or DEFAULT_PASSWORD),
            role=str(role),
            active=active,
            session_version=1,
        )
        if two_factor or (two_factor is None and role == Role.ADMIN):
            user.totp_secret = TOTP_SECRET
            user.totp_enabled_at = utcnow()
        self.session.add(user)
        self._commit()
        return user

    def reply(
        self, candidacy: Candidacy, text: str = "Kami akan membuka data.", **fields: Any
    ) -> Reply:
        with provenance(self.session, origin="test"):
            reply = Reply(
                candidacy=candidacy,
                author_kind=fields.pop("author_kind", "candidate"),
                author_name=fields.pop("author_name", candidacy.person.full_name),
                text=text,
                replied_on=fields.pop("replied_on", date(2023, 12, 1)),
                source=fields.pop("source", None) or self.source(),
                **fields,
            )
            self.session.add(reply)
            self.session.flush()
        self._commit()
        return reply

    def flag(self, candidacy: Candidacy, status: str = "refused") -> Candidacy:
        """Record the CV as refused (KPU's "Tidak Bersedia"): the rules then flag it."""
        item = next((i for i in candidacy.disclosure_items if i.requirement == "cv"), None)
        with provenance(self.session, origin="test"):
            if item is None:
                item = DisclosureItem(candidacy=candidacy, requirement="cv", source=self.source())
                self.session.add(item)
            item.status = status
            item.checked_at = date(2023, 11, 14)
            self.session.flush()
        self._commit()
        return candidacy

    def update(self, obj: Any, origin: str = "test", **fields: Any) -> Any:
        """Change public fields of a row, recorded as a revision."""
        with provenance(self.session, origin=origin):
            for name, value in fields.items():
                setattr(obj, name, value)
            self.session.flush()
        self._commit()
        return obj

    def candidacies(self, number: int, name: str = "Calon", **fields: Any) -> list[Candidacy]:
        """Several candidacies: "Calon 1", "Calon 2", ... with the same other fields."""
        return [self.candidacy(f"{name} {i}", **fields) for i in range(1, number + 1)]

    def district(
        self,
        code: str,
        name: str,
        *,
        office: str = "DPRD_PROVINSI",
        election: str = "pemilu-2024",
        province: str | None = None,
        seats: int | None = 10,
    ) -> District:
        session = self.session
        election_row = session.scalars(select(Election).filter_by(slug=election)).one()
        office_row = session.scalars(select(Office).filter_by(code=office)).one()
        province_row = (
            session.scalars(select(Region).filter_by(code=province)).one() if province else None
        )
        with provenance(session, origin="test"):
            district = District(
                election=election_row,
                office=office_row,
                code=code,
                name=name,
                seats=seats,
                province=province_row,
            )
            session.add(district)
            session.flush()
        self._commit()
        return district

    def hide(self, obj: Any) -> Any:
        return self.update(obj, hidden=True)
