"""The home page's headline figures, over the listed candidacies (visibility.listed)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from transparency.models import (
    Candidacy,
    DisclosureItem,
    DisclosureStatus,
    Office,
)
from transparency.visibility import listed


@dataclass(frozen=True)
class Figures:
    candidacies: int
    refused_cv: int
    parties: int
    districts: int

    @property
    def refused_cv_share(self) -> float:
        return self.refused_cv / self.candidacies if self.candidacies else 0.0


def headline_figures(session: Session) -> Figures:
    rows = select(Candidacy).where(listed()).subquery()
    candidacies, parties, districts = session.execute(
        select(
            func.count(),
            func.count(distinct(rows.c.party_id)),
            func.count(distinct(rows.c.district_id)),
        ).select_from(rows)
    ).one()
    refused_cv = session.scalar(
        select(func.count())
        .select_from(DisclosureItem)
        .join(Candidacy, DisclosureItem.candidacy_id == Candidacy.id)
        .where(
            DisclosureItem.requirement == "cv",
            DisclosureItem.status == DisclosureStatus.REFUSED,
            listed(),
        )
    )
    return Figures(candidacies, refused_cv or 0, parties, districts)


def listed_offices(session: Session) -> list[Office]:
    """Offices that have at least one listed candidacy, in their usual order."""
    has_candidacy = select(Candidacy.id).where(Candidacy.office_id == Office.id, listed())
    return list(
        session.scalars(
            select(Office).where(has_candidacy.exists()).order_by(Office.position, Office.id)
        )
    )
