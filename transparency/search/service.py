"""Searching: the function the pages and the API call, facets, snippets, suggestions.

Totals are exact up to TOTAL_CAP matches and "more than TOTAL_CAP" past it: counting every
match of a common word at 250,000 documents costs hundreds of milliseconds in any engine,
and nobody pages past 500 pages. Facet counts come from the same bounded pass.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from flask import current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from whoosh import query as wq
from whoosh.searching import Searcher

from transparency.extensions import db
from transparency.listing import (
    CandidateFilters,
    FilterError,
    Sort,
    candidacy_query,
)
from transparency.models import (
    Candidacy,
    District,
    Election,
    Office,
    Party,
    Person,
    Region,
)
from transparency.search.analysis import NAME_PREFIX_MAX, fold, stem, words
from transparency.search.docsets import Memo, by_sets, matching_docs, top_scored
from transparency.search.query import (
    QueryTooLong,
    UserQuery,
    build_query,
    parse_user_text,
)
from transparency.search.schema import FACET_FIELDS
from transparency.search.store import facet_columns, index_root, pool
from transparency.visibility import search_hit, shown

TOTAL_CAP = 10_000
PER_PAGE = 20
FACET_LIMIT = 30  # values shown per facet, the largest counts first
SNIPPET_CHARS = 220
SUGGEST_LIMIT = 8
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class FacetCount:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Hit:
    candidacy: Candidacy
    score: float | None
    snippet: Markup | None = None
    snippet_field: str | None = None


@dataclass
class SearchPage:
    filters: CandidateFilters
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    total_is_estimate: bool = False
    page: int = 1
    per_page: int = PER_PAGE
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    suggestion: str | None = None
    or_fallback: bool = False
    message: str | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def restrictions_of(filters: CandidateFilters) -> dict[str, str]:
    return {
        "election": filters.election,
        "office": filters.office,
        "party": filters.party,
        "province": filters.province,
        "district": filters.district,
        "status": filters.status.value if filters.status else "",
    }


def _interval() -> float:
    return float(current_app.config.get("SEARCH_REFRESH_INTERVAL", 1.0))


def search_candidacies(
    filters: CandidateFilters, page: int | None = None, per_page: int = PER_PAGE
) -> SearchPage:
    """One page of search results for these filters and text; raises FilterError on bad input."""
    page = page or filters.page
    candidacy_query(db.session, filters)  # unknown filter values raise FilterError here
    if filters.stage is not None:
        # The index holds the listed candidacies only (visibility.search_hit).
        raise FilterError("stage", "search covers the current list; leave stage out")
    try:
        user = parse_user_text(filters.q)
    except QueryTooLong as error:
        raise FilterError("q", _("Search text is limited to %(n)s characters", n=200)) from error
    result = SearchPage(filters=filters, page=page, per_page=per_page)
    restrictions = restrictions_of(filters)
    if user.empty and not any(restrictions.values()):
        result.message = _("Type a word or a name to search.")
        return result
    with pool.searcher(index_root(), _interval()) as (searcher, held):
        reader = searcher.reader()

        def known(stemmed: str) -> bool:
            return ("text", stemmed) in reader

        query = build_query(user, restrictions, known=known)
        if query is None:
            return result
        memo: Memo = {}  # each posting list read once, by the count, the fallback and the rank
        total, counters = _count(searcher, held, query, memo)
        if total == 0 and len(user.words) + len(user.phrases) > 1:
            fallback = build_query(user, restrictions, any_word=True, known=known)
            if fallback is not None:
                query = fallback
                total, counters = _count(searcher, held, query, memo)
                result.or_fallback = total > 0
        if total == 0 and not user.empty:
            result.suggestion = _suggest(searcher, user)
        result.total = min(total, TOTAL_CAP)
        result.total_is_estimate = total > TOTAL_CAP
        ranked = _top(searcher, query, filters, user, page, per_page, memo) if total else []
    result.facets = _facets(counters, restrictions)
    result.hits = _hits(ranked, user)
    return result


def matching_candidacy_ids(filters: CandidateFilters) -> list[int] | None:
    """Every candidacy id the text `q` matches, as the search page matches it, uncapped.

    Exports, the feed and the API list narrow their database query with this, so a file
    holds the candidacies the search page finds (with its any-word fallback when all the
    words together find nothing). None when the text holds no word to search for; the
    other filters are left to the database query, which checks them against current data.
    """
    try:
        user = parse_user_text(filters.q)
    except QueryTooLong as error:
        raise FilterError("q", _("Search text is limited to %(n)s characters", n=200)) from error
    if user.empty:
        return None
    restrictions = restrictions_of(filters)
    with pool.searcher(index_root(), _interval()) as (searcher, _held):
        reader = searcher.reader()

        def known(stemmed: str) -> bool:
            return ("text", stemmed) in reader

        docnums = _all_matches(searcher, build_query(user, restrictions, known=known))
        if not docnums and len(user.words) + len(user.phrases) > 1:
            fallback = build_query(user, restrictions, any_word=True, known=known)
            docnums = _all_matches(searcher, fallback)
        return [int(searcher.stored_fields(docnum)["id"]) for docnum in docnums]


def _all_matches(searcher: Searcher, query: wq.Query | None) -> list[int]:
    """Global document numbers of every match, unscored."""
    if query is None:
        return []
    found: list[int] = []
    for leaf, offset in searcher.leaf_searchers():
        found.extend(offset + docnum for docnum in sorted(matching_docs(query, leaf)))
    return found


def _count(searcher: Searcher, held: Any, query: wq.Query, memo: Memo) -> tuple[int, list[Counter]]:
    """Matches up to TOTAL_CAP + 1, and their facet values, without scoring anything."""
    total = 0
    counters: list[Counter] = [Counter() for _name in FACET_FIELDS]
    sets = by_sets(query, searcher)
    for leaf, offset in searcher.leaf_searchers():
        wanted = TOTAL_CAP + 1 - total
        if sets:
            ids = sorted(matching_docs(query, leaf, memo))[:wanted]
        else:
            matcher = query.matcher(leaf, leaf.boolean_context())
            ids = list(islice(matcher.all_ids(), wanted)) if matcher.is_active() else []
        if not ids:
            continue
        total += len(ids)
        for counter, column in zip(counters, facet_columns(held, leaf, offset), strict=True):
            counter.update(map(column.__getitem__, ids))
        if total > TOTAL_CAP:
            break
    return total, counters


def _top(
    searcher: Searcher,
    query: wq.Query,
    filters: CandidateFilters,
    user: UserQuery,
    page: int,
    per_page: int,
    memo: Memo,
) -> list[tuple[int, float | None]]:
    limit = page * per_page
    if limit > TOTAL_CAP:
        return []
    sort = filters.sort or (Sort.RELEVANCE if not user.empty else Sort.BALLOT)
    if sort is Sort.RELEVANCE and by_sets(query, searcher):
        scored = top_scored(searcher, query, limit, memo)
        if scored is not None:
            return [
                (int(searcher.stored_fields(docnum)["id"]), score)
                for score, docnum in scored[(page - 1) * per_page : limit]
            ]
    options: dict[str, Any] = {"limit": limit, "terms": False}
    if sort is Sort.NAME:
        options["sortedby"] = "sort_name"
    elif sort in (Sort.BALLOT, Sort.SCORE):
        options["sortedby"] = "sort_ballot"
    results = searcher.search(query, **options)
    ranked = []
    for score, docnum in results.top_n[(page - 1) * per_page : limit]:
        stored = searcher.stored_fields(docnum)
        ranked.append((int(stored["id"]), score if "sortedby" not in options else None))
    return ranked


def _hits(ranked: list[tuple[int, float | None]], user: UserQuery) -> list[Hit]:
    if not ranked:
        return []
    ids = [cid for cid, _score in ranked]
    stmt = (
        select(Candidacy)
        .join(Person, Candidacy.person_id == Person.id)
        .where(
            Candidacy.id.in_(ids),
            # The index is only ever behind by seconds; the database has the last word.
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


# -- snippets ---------------------------------------------------------------------------------


def _texts_of(candidacy: Candidacy) -> list[tuple[str, str]]:
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
    for where, text in _texts_of(candidacy):
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


# -- did you mean -----------------------------------------------------------------------------


def _best(reader: Any, fieldname: str, word: str) -> tuple[int, str] | None:
    best = None
    for candidate in reader.terms_within(fieldname, word, 2, prefix=1):
        frequency = reader.doc_frequency(fieldname, candidate)
        if best is None or frequency > best[0]:
            best = (frequency, candidate)
    return best


def _surface_word(searcher: Searcher, stemmed: str) -> str | None:
    """A word as written in a matching document, for a stem: "nelay" -> "nelayan"."""
    results = searcher.search(wq.Term("text", stemmed), limit=1, terms=False)
    if not results.top_n:
        return None
    candidacy = db.session.get(Candidacy, int(searcher.stored_fields(results.top_n[0][1])["id"]))
    if candidacy is None:
        return None
    for _where, text in _texts_of(candidacy):
        for word in words(text):
            if stem(word) == stemmed:
                return word
    return None


def _suggest(searcher: Searcher, user: UserQuery) -> str | None:
    reader = searcher.reader()
    changed = False
    out = []
    for word in [*user.words, *(w for phrase in user.phrases for w in phrase)]:
        if (
            len(word) < 3
            or len(word) > 20
            or reader.doc_frequency("text", stem(word))
            or reader.doc_frequency("name", word)
        ):
            out.append(word)
            continue
        by_name = _best(reader, "name", word)
        by_text = _best(reader, "text", stem(word))
        if by_text and (not by_name or by_text[0] > by_name[0]):
            surface = _surface_word(searcher, by_text[1])
            by_text = (by_text[0], surface) if surface else None
        options = [b for b in (by_name, by_text) if b]
        if options:
            out.append(max(options)[1])
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else None


# -- facets -----------------------------------------------------------------------------------


_label_cache: dict[tuple[str, str, str], str] = {}
_label_cache_time = [0.0]
LABEL_TTL = 300.0  # seconds: names of parties and districts change rarely


def _labels(name: str, codes: list[str]) -> dict[str, str]:
    """Display names of facet values, cached per process (they are reference data)."""
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


def _facets(counters: list[Counter], restrictions: dict[str, str]) -> dict[str, list[FacetCount]]:
    facets = {}
    for name, counter in zip(FACET_FIELDS, counters, strict=True):
        top = [(code, n) for code, n in counter.most_common(FACET_LIMIT) if code]
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


# -- names as you type ------------------------------------------------------------------------


def suggest_names(text: str, limit: int = SUGGEST_LIMIT) -> list[dict[str, Any]]:
    """Candidates whose name starts with what was typed (every earlier word whole)."""
    typed = words(text[:200])[:6]
    if not typed:
        return []
    parts: list[wq.Query] = [wq.Term("name", w) for w in typed[:-1]]
    parts.append(wq.Term("name_prefix", typed[-1][:NAME_PREFIX_MAX]))
    query = parts[0] if len(parts) == 1 else wq.And(parts)
    with pool.searcher(index_root(), _interval()) as (searcher, _held):
        results = searcher.search(query, limit=limit, sortedby="sort_name", terms=False)
        found = [searcher.stored_fields(docnum) for _score, docnum in results.top_n]
    details = _details([int(fields["id"]) for fields in found])
    return [
        {
            "id": int(fields["id"]),
            "name": fields["name"],
            # Two "Fitri" are told apart by their party and district.
            "detail": details.get(int(fields["id"]), ""),
            "url": f"{url_for('public.candidates')}/{int(fields['id'])}",
        }
        for fields in found
    ]


def _details(ids: list[int]) -> dict[int, str]:
    """ "PKB · JAWA TENGAH IV" per candidacy id, in one query."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(Candidacy.id, Party.short_name, District.name)
        .join(District, Candidacy.district_id == District.id)
        .outerjoin(Party, Candidacy.party_id == Party.id)
        .where(Candidacy.id.in_(ids))
    )
    no_party = _("No party")
    return {cid: f"{party or no_party} · {district}" for cid, party, district in rows}
