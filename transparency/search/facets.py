"""Facet values' display names (cached per process: reference data) and facet lists."""

from __future__ import annotations

import time
from collections import Counter

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from transparency.extensions import db
from transparency.models import District, Election, Office, Party, Region
from transparency.search.results import FacetCount
from transparency.search.schema import FACET_FIELDS

FACET_LIMIT = 30  # values shown per facet, the largest counts first
LABEL_TTL = 300.0  # seconds: names of parties and districts change rarely

_label_cache: dict[tuple[str, str, str], str] = {}
_label_cache_time = [0.0]


def _labels(name: str, codes: list[str]) -> dict[str, str]:
    locale = str(get_locale() or "id")
    now = time.monotonic()
    if now - _label_cache_time[0] > LABEL_TTL:
        _label_cache.clear()
        _label_cache_time[0] = now
    missing = [code for code in codes if (name, locale, code) not in _label_cache]
    if missing:
        for code, label in _load_labels(name, missing, english=locale == "en").items():
            _label_cache[(name, locale, code)] = label
    return {code: _label_cache.get((name, locale, code), code) for code in codes}


def _load_labels(name: str, codes: list[str], english: bool) -> dict[str, str]:
    if name == "party":
        rows = db.session.execute(select(Party.slug, Party.short_name).where(Party.slug.in_(codes)))
    elif name == "office":
        label = Office.name_en if english else Office.name_id
        rows = db.session.execute(select(Office.code, label).where(Office.code.in_(codes)))
    elif name == "province":
        rows = db.session.execute(
            select(Region.code, Region.name).where(
                Region.code.in_(codes), Region.level == "province"
            )
        )
    elif name == "district":
        rows = db.session.execute(
            select(District.code, District.name).where(District.code.in_(codes))
        )
    elif name == "election":
        rows = db.session.execute(
            select(Election.slug, Election.name).where(Election.slug.in_(codes))
        )
    else:
        return {
            "flagged": _("Flagged"),
            "disclosed": _("Disclosed"),
            "unrated": _("Not yet assessed"),
        }
    return {code: label for code, label in rows}


def facets_of(counters: list[Counter], restrictions: dict[str, str]) -> dict[str, list[FacetCount]]:
    facets = {}
    for name, counter in zip(FACET_FIELDS, counters, strict=True):
        # The largest counts first, equal counts by value: the same list whichever backend
        # counted, in whatever order it met the matches.
        ranked = sorted(((code, n) for code, n in counter.items() if code), key=_by_count)
        top = ranked[:FACET_LIMIT]
        labels = _labels(name, [code for code, _n in top])
        facets[name] = [
            FacetCount(
                value=code,
                label=labels.get(code, code),
                count=n,
                selected=restrictions.get(name) == code,
            )
            for code, n in top
        ]
    return facets


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]
