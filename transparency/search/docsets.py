"""Which documents match a query, and the best of them, without walking matcher trees.

Counting matches and their facet values needs no scores, only the matching document
numbers. Whoosh finds them by stepping a tree of union and intersection matchers one
document at a time in Python (the cost of a common name at 250,000 documents: most of a
search). Our queries are only ever terms, prefixes, ORs and ANDs (`query.build_query`), so
here each term's posting list is read a block at a time and the tree is evaluated with
set operations, which run in C. Any other query type falls back to its own matcher.

`top_scored` ranks the matches as Whoosh's TF-IDF does (a match's score is the sum, over
the query's terms it contains, of the term's weight in it times the term's idf; ties go to
the lower document number; a prefix counts as the words it expands to in the segment),
reading each term's weights a block at a time. Any other query type is left to Whoosh.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher

Memo = dict[tuple[int, wq.Query], set[int]]
# Reading every posting pays off when the lists are short (names, filtered or rare words) and
# for intersections of several words, which Whoosh's matchers walk posting by posting. For
# one common word the matchers win: they stop at the count's cap and skip whole blocks when
# ranking. Measured at 250,000 documents (p95): one common word 94 ms with matchers, 196 ms
# with sets; two words 519 ms with matchers, 381 ms with sets; names 79 ms and 44 ms.
SET_POSTINGS_LIMIT = 60_000


def postings_volume(query: wq.Query, reader: Any) -> int:
    """How many postings the query's terms hold in this segment (prefixes expanded)."""
    if isinstance(query, wq.Term):
        try:
            field = reader.schema[query.fieldname]
            btext = query.text if isinstance(query.text, bytes) else field.to_bytes(query.text)
        except (KeyError, ValueError):
            return 0
        return reader.doc_frequency(query.fieldname, btext)
    if isinstance(query, wq.MultiTerm):
        return sum(reader.doc_frequency(f, t) for f, t in query.expanded_terms(reader))
    if isinstance(query, wq.Or | wq.And):
        return sum(postings_volume(subquery, reader) for subquery in query.subqueries)
    return SET_POSTINGS_LIMIT + 1  # unknown: leave it to Whoosh


def by_sets(query: wq.Query, searcher: Searcher) -> bool:
    """Whether counting and ranking this query by sets is the cheaper way here."""
    if _word_parts(query) > 1:
        return True
    return postings_volume(query, searcher.reader()) <= SET_POSTINGS_LIMIT


def _word_parts(query: wq.Query) -> int:
    """How many parts an AND intersects, besides single terms (filters, phrase pairs)."""
    if isinstance(query, wq.And):
        return sum(not isinstance(subquery, wq.Term) for subquery in query.subqueries)
    return 0


def matching_docs(query: wq.Query, leaf: Searcher, memo: Memo | None = None) -> set[int]:
    """Segment-local numbers of the live documents of `leaf` that match `query`.

    Pass one `memo` (a dict) for the queries of one search: counting, ranking and the
    any-word fallback then read each posting list once. The sets it returns are shared:
    do not change them.
    """
    if memo is None:
        return _matching_docs(query, leaf, {})
    key = (id(leaf), query)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _matching_docs(query, leaf, memo)
    return found


def _matching_docs(query: wq.Query, leaf: Searcher, memo: Memo) -> set[int]:
    if isinstance(query, wq.Term):
        return _term_docs(leaf.reader(), query.fieldname, query.text)
    if isinstance(query, wq.MultiTerm):  # prefixes: the union of the words they expand to
        reader = leaf.reader()
        found: set[int] = set()
        for fieldname, btext in query.expanded_terms(reader):
            found |= _term_docs(reader, fieldname, btext)
        return found
    if isinstance(query, wq.Or):
        found = set()
        for subquery in query.subqueries:
            found |= matching_docs(subquery, leaf, memo)
        return found
    if isinstance(query, wq.And):
        found = None
        # Cheapest first (filter terms are single posting lists); stop at the first empty set.
        for subquery in sorted(query.subqueries, key=_cost):
            docs = matching_docs(subquery, leaf, memo)
            found = docs if found is None else found & docs
            if not found:
                return set()
        return found or set()
    matcher = query.matcher(leaf, leaf.boolean_context())
    return set(matcher.all_ids()) if matcher.is_active() else set()


def _cost(query: wq.Query) -> int:
    if isinstance(query, wq.Term):
        return 0
    if isinstance(query, wq.MultiTerm):
        return 2
    return 1


def _term_docs(reader: Any, fieldname: str, text: str | bytes) -> set[int]:
    if fieldname not in reader.schema:
        return set()
    field = reader.schema[fieldname]
    try:
        btext = text if isinstance(text, bytes) else field.to_bytes(text)
    except ValueError:
        return set()
    if (fieldname, btext) not in reader:
        return set()
    return set(posting_ids(reader.postings(fieldname, btext)))


def posting_ids(matcher: Any) -> list[int]:
    """Every id of a fresh posting matcher, a decoded block at a time."""
    if isinstance(matcher, FilterMatcher):  # a segment with deleted documents
        ids = posting_ids(matcher.child)
        keep, exclude = matcher._ids, matcher._exclude
        return [docnum for docnum in ids if (docnum in keep) != exclude]
    if not isinstance(matcher, W3LeafMatcher):
        return list(matcher.all_ids())
    ids: list[int] = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        ids.extend(matcher._ids[matcher._i :])
        matcher._next_block()
    return ids


def top_scored(
    searcher: Searcher, query: wq.Query, limit: int, memo: Memo | None = None
) -> list[tuple[float, int]] | None:
    """The best `limit` (score, global document number) by TF-IDF, best first; None when
    the query holds a part scored otherwise (then ask Whoosh)."""
    best: list[tuple[float, int]] = []
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        terms = _scored_terms(query, reader)
        if terms is None:
            return None
        docs = matching_docs(query, leaf, memo)
        if not docs:
            continue
        scores = dict.fromkeys(docs, 0.0)
        for term in terms:
            field = reader.schema[term.fieldname]
            btext = term.text if isinstance(term.text, bytes) else field.to_bytes(term.text)
            if (term.fieldname, btext) not in reader:
                continue
            factor = searcher.idf(term.fieldname, btext) * term.boost
            for docnum, weight in _weighted_postings(reader.postings(term.fieldname, btext)):
                if docnum in scores:
                    scores[docnum] += weight * factor
        found = ((score, offset + docnum) for docnum, score in scores.items())
        best = heapq.nsmallest(limit, [*best, *found], key=lambda item: (-item[0], item[1]))
    return best


def _scored_terms(query: wq.Query, reader: Any) -> list[wq.Term] | None:
    """Every term of a tree of terms, prefixes (the words of this segment they expand to),
    ORs and ANDs (unboosted), in order; None for anything else."""
    if isinstance(query, wq.Term):
        return [query]
    if isinstance(query, wq.MultiTerm):
        return [wq.Term(f, btext, boost=query.boost) for f, btext in query.expanded_terms(reader)]
    if isinstance(query, wq.Or | wq.And) and query.boost == 1.0:
        terms: list[wq.Term] = []
        for subquery in query.subqueries:
            found = _scored_terms(subquery, reader)
            if found is None:
                return None
            terms.extend(found)
        return terms
    return None


def _weighted_postings(matcher: Any) -> Iterator[tuple[int, float]]:
    """(id, weight) of every posting of a fresh matcher; deleted documents included."""
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    if not isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            yield matcher.id(), matcher.weight()
            matcher.next()
        return
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        start = matcher._i
        yield from zip(matcher._ids[start:], matcher._weights[start:], strict=True)
        matcher._next_block()
