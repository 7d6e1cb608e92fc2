"""Hits for a page: candidacies loaded from the database, each with its best excerpt.

Whichever backend found the ids, the database has the last word (a hidden candidacy is
never shown) and the excerpt is cut from the current texts, escaped, with the query's
words in <mark>.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from transparency.extensions import db
from transparency.models import Candidacy, Person
from transparency.search.analysis import fold, stem
from transparency.search.query import UserQuery
from transparency.search.results import Hit
from transparency.visibility import search_hit, shown

SNIPPET_CHARS = 220
_WORD = re.compile(r"\w+")


def load_hits(ranked: list[tuple[int, float | None]], user: UserQuery) -> list[Hit]:
    if not ranked:
        return []
    ids = [cid for cid, _score in ranked]
    stmt = (
        select(Candidacy)
        .join(Person, Candidacy.person_id == Person.id)
        .where(
            Candidacy.id.in_(ids),
            # An index is only ever behind by seconds; the database has the last word.
            search_hit(),
        )
        .options(
            joinedload(Candidacy.person),
            joinedload(Candidacy.party),
            joinedload(Candidacy.office),
            joinedload(Candidacy.district),
            selectinload(Candidacy.person, Person.track_record),
            selectinload(Candidacy.programme),
        )
    )
    found = {c.id: c for c in db.session.scalars(stmt)}
    stems = user.stems()
    hits = []
    for cid, score in ranked:
        candidacy = found.get(cid)
        if candidacy is None:
            continue
        snippet, where = snippet_for(candidacy, stems, user.prefix)
        hits.append(Hit(candidacy=candidacy, score=score, snippet=snippet, snippet_field=where))
    return hits


def texts_of(candidacy: Candidacy) -> list[tuple[str, str]]:
    person = candidacy.person
    texts = [("programme", p.text) for p in shown(candidacy.programme)]
    for item in shown(person.track_record):
        texts.extend(
            ("track_record", t) for t in (item.title, item.description, item.organisation) if t
        )
    texts.extend(
        (name, value)
        for name, value in (
            ("biography", person.biography),
            ("education", person.education),
            ("occupation", person.occupation),
        )
        if value
    )
    return texts


def _matches(text: str, stems: frozenset[str], prefix: str) -> list[tuple[int, int, str]]:
    """(start, end, stem or prefix) of every word of `text` the query matches."""
    found = []
    for match in _WORD.finditer(text):
        folded = fold(match.group().lower())
        stemmed = stem(folded)
        if stemmed in stems:
            found.append((*match.span(), stemmed))
        elif prefix and folded.startswith(prefix):
            found.append((*match.span(), prefix))
    return found


def _window(spans: list[tuple[int, int, str]]) -> tuple[int, int]:
    """The stretch of SNIPPET_CHARS holding the most different query words."""
    best, best_key = (spans[0][0], spans[0][0] + SNIPPET_CHARS), (0, 0)
    for i, (a, _b, _word) in enumerate(spans):
        inside = {word for start, end, word in spans[i:] if end <= a + SNIPPET_CHARS}
        key = (len(inside), -a)
        if key > best_key:
            best, best_key = (a, a + SNIPPET_CHARS), key
    return best


def highlight(text: str, stems: frozenset[str], prefix: str = "") -> Markup | None:
    """An escaped excerpt of `text` around the stretch where most of the query's words are,
    every matching word in <mark>.

    The text is escaped piece by piece and only our own <mark> tags are added: nothing a
    user or an import wrote is ever marked safe.
    """
    spans = _matches(text, stems, prefix)
    if not spans:
        return None
    first, _last = _window(spans)
    start = max(0, first - SNIPPET_CHARS // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", first, end)
        end = space if space > 0 else end
    parts: list[Markup | str] = ["… " if start else ""]
    position = start
    for a, b, _word in spans:
        if a < start or b > end:
            continue
        parts.append(escape(text[position:a]))
        parts.append(Markup("<mark>%s</mark>") % text[a:b])
        position = b
    parts.append(escape(text[position:end]))
    parts.append(" …" if end < len(text) else "")
    return Markup("").join(parts)


def snippet_for(
    candidacy: Candidacy, stems: frozenset[str], prefix: str
) -> tuple[Markup | None, str | None]:
    """The excerpt of the text that holds the most of the query's words (the first on a tie)."""
    if not stems and not prefix:
        return None, None
    best: tuple[int, str, str] | None = None
    for where, text in texts_of(candidacy):
        spans = _matches(text, stems, prefix)
        if not spans:
            continue
        words = len({word for _a, _b, word in spans})
        if best is None or words > best[0]:
            best = (words, where, text)
        if words >= len(stems) + bool(prefix):
            break
    if best is None:
        return None, None
    return highlight(best[2], stems, prefix), best[1]
