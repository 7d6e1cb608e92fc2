"""The embedded backend: the Whoosh index under instance/ (one machine, SQLite or not).

Counting and facets read the first TOTAL_CAP + 1 matches without scoring; ranking is
TF-IDF over set-evaluated postings (docsets.py) or Whoosh's own collector; suggestions
and did-you-mean read the index's vocabulary.
"""

from __future__ import annotations

from collections import Counter
from itertools import islice
from typing import Any

from flask import current_app
from whoosh import query as wq
from whoosh.searching import Searcher

from transparency.extensions import db
from transparency.listing import Sort
from transparency.models import Candidacy
from transparency.search.analysis import NAME_PREFIX_MAX, stem, words
from transparency.search.docsets import Memo, by_sets, matching_docs, top_scored
from transparency.search.query import UserQuery, build_query
from transparency.search.results import Found
from transparency.search.schema import FACET_FIELDS
from transparency.search.snippets import texts_of
from transparency.search.store import facet_columns, index_root, pool

NAME = "whoosh"


def _interval() -> float:
    return float(current_app.config.get("SEARCH_REFRESH_INTERVAL", 1.0))


def find(
    user: UserQuery, restrictions: dict[str, str], sort: Sort, page: int, per_page: int, cap: int
) -> Found:
    found = Found()
    with pool.searcher(index_root(), _interval()) as (searcher, held):
        reader = searcher.reader()

        def known(stemmed: str) -> bool:
            return ("text", stemmed) in reader

        query = build_query(user, restrictions, known=known)
        if query is None:
            return found
        memo: Memo = {}  # each posting list read once, by the count, the fallback and the rank
        total, counters = _count(searcher, held, query, memo, cap)
        if total == 0 and len(user.words) + len(user.phrases) > 1:
            fallback = build_query(user, restrictions, any_word=True, known=known)
            if fallback is not None:
                query = fallback
                total, counters = _count(searcher, held, query, memo, cap)
                found.or_fallback = total > 0
        if total == 0 and not user.empty:
            found.suggestion = _suggest(searcher, user)
        found.total, found.counters = total, counters
        if total:
            found.ranked = _top(searcher, query, sort, page, per_page, memo, cap)
    return found


def matching_ids(user: UserQuery, restrictions: dict[str, str]) -> list[int]:
    with pool.searcher(index_root(), _interval()) as (searcher, _held):
        reader = searcher.reader()

        def known(stemmed: str) -> bool:
            return ("text", stemmed) in reader

        docnums = _all_matches(searcher, build_query(user, restrictions, known=known))
        if not docnums and len(user.words) + len(user.phrases) > 1:
            fallback = build_query(user, restrictions, any_word=True, known=known)
            docnums = _all_matches(searcher, fallback)
        return [int(searcher.stored_fields(docnum)["id"]) for docnum in docnums]


def suggest_names(typed: list[str], limit: int) -> list[tuple[int, str]]:
    parts: list[wq.Query] = [wq.Term("name", w) for w in typed[:-1]]
    parts.append(wq.Term("name_prefix", typed[-1][:NAME_PREFIX_MAX]))
    query = parts[0] if len(parts) == 1 else wq.And(parts)
    with pool.searcher(index_root(), _interval()) as (searcher, _held):
        results = searcher.search(query, limit=limit, sortedby="sort_name", terms=False)
        stored = [searcher.stored_fields(docnum) for _score, docnum in results.top_n]
    return [(int(fields["id"]), fields["name"]) for fields in stored]


def _all_matches(searcher: Searcher, query: wq.Query | None) -> list[int]:
    """Global document numbers of every match, unscored."""
    if query is None:
        return []
    found: list[int] = []
    for leaf, offset in searcher.leaf_searchers():
        found.extend(offset + docnum for docnum in sorted(matching_docs(query, leaf)))
    return found


def _count(
    searcher: Searcher, held: Any, query: wq.Query, memo: Memo, cap: int
) -> tuple[int, list[Counter]]:
    """Matches up to cap + 1, and their facet values, without scoring anything."""
    total = 0
    counters: list[Counter] = [Counter() for _name in FACET_FIELDS]
    sets = by_sets(query, searcher)
    for leaf, offset in searcher.leaf_searchers():
        wanted = cap + 1 - total
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
        if total > cap:
            break
    return total, counters


def _top(
    searcher: Searcher,
    query: wq.Query,
    sort: Sort,
    page: int,
    per_page: int,
    memo: Memo,
    cap: int,
) -> list[tuple[int, float | None]]:
    limit = page * per_page
    if limit > cap:
        return []
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
    return surface_in(int(searcher.stored_fields(results.top_n[0][1])["id"]), stemmed)


def surface_in(candidacy_id: int, stemmed: str) -> str | None:
    """The first word of this candidacy's texts whose stem is `stemmed`."""
    candidacy = db.session.get(Candidacy, candidacy_id)
    if candidacy is None:
        return None
    for _where, text in texts_of(candidacy):
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
