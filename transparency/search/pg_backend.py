"""The PostgreSQL backend: full-text search in the database, nothing kept anywhere else.

Each public candidacy has a search_document row (pg_sync.py writes it in the transaction
of the change) whose `terms` tsvector holds the Whoosh schema's terms as prefixed lexemes
(pg_terms.py), under a GIN index. A search is one tsquery built from the same query tree
as the Whoosh one (query.py's rules: every word as a stem, a name word or, for the last
word typed, a name prefix and up to 64 text words it begins; phrases as stem pairs;
restrictions as AND terms), so both backends match the same documents.

Ranking is Whoosh's TF-IDF (a match's score is the sum, over the query's terms it holds,
of the term's weight in it times log(N / (df + 1)) + 1), computed in SQL over a bounded
candidate set: the first RANK_POOL matches the GIN index yields. When a query matches at
most RANK_POOL documents (names, rare words, two words, filtered searches) the ranking is
exact; past it (one common word) the page is the best of RANK_POOL matches, not of all of
them: docs/search.md has what that does to the first page, measured on the benchmark
corpus. Document frequencies are cached per process for SEARCH_IDF_TTL seconds.
"""

from __future__ import annotations

import itertools
import math
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from flask import current_app
from rapidfuzz.distance import Levenshtein
from sqlalchemy import text

from transparency.extensions import db
from transparency.listing import Sort
from transparency.search.analysis import NAME_PREFIX_MAX, stem
from transparency.search.pg_terms import (
    NAME as NAME_WORD,
)
from transparency.search.pg_terms import (
    NAME_PREFIX,
    PAIRS,
    TEXT,
    quote,
    restriction,
)
from transparency.search.query import MAX_PREFIX_TERMS, MIN_PREFIX, UserQuery
from transparency.search.results import Found
from transparency.search.schema import FACET_FIELDS
from transparency.search.whoosh_backend import surface_in

NAME = "postgres"
RANK_POOL = 2000
_HIGHEST = "\U0010ffff"  # sorts after every character: the end of a prefix range


# -- the query tree -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """A term (`lexeme`), or an AND / OR of nodes."""

    op: str  # "term" | "and" | "or"
    lexeme: str = ""
    children: tuple[Node, ...] = ()

    def tsquery(self) -> str | None:
        """The tsquery text; None when the node can match nothing (an empty OR)."""
        if self.op == "term":
            return quote(self.lexeme)
        parts = [child.tsquery() for child in self.children]
        if self.op == "and":
            if any(part is None for part in parts):
                return None
            return "(" + " & ".join(parts) + ")"  # type: ignore[arg-type]
        kept = [part for part in parts if part is not None]
        return "(" + " | ".join(kept) + ")" if kept else None

    def terms(self) -> list[str]:
        """Every lexeme of the tree, in order, as Whoosh scores them (repeats count)."""
        if self.op == "term":
            return [self.lexeme]
        return [lexeme for child in self.children for lexeme in child.terms()]


def _term(lexeme: str) -> Node:
    return Node("term", lexeme)


def _all(nodes: list[Node]) -> Node:
    return nodes[0] if len(nodes) == 1 else Node("and", children=tuple(nodes))


def _any(nodes: list[Node]) -> Node:
    return Node("or", children=tuple(nodes))


def _vocabulary_from(start: str, limit: int) -> list[str]:
    """Known lexemes beginning with `start`, in byte order (as Whoosh lists its terms)."""
    rows = db.session.execute(
        text(
            "SELECT lexeme FROM search_term WHERE lexeme >= :low AND lexeme < :high"
            " ORDER BY lexeme LIMIT :limit"
        ),
        {"low": start, "high": start + _HIGHEST, "limit": limit},
    )
    return [lexeme for (lexeme,) in rows]


def _known(lexeme: str) -> bool:
    found = db.session.execute(
        text("SELECT 1 FROM search_term WHERE lexeme = :lexeme"), {"lexeme": lexeme}
    )
    return found.first() is not None


def _word(word: str, as_prefix: bool) -> Node:
    options = [_term(TEXT + stem(word)), _term(NAME_WORD + word)]
    if as_prefix:
        options.append(_term(NAME_PREFIX + word[:NAME_PREFIX_MAX]))
        # As in query.py: a word the index knows is taken as typed in full.
        if len(word) >= MIN_PREFIX and not _known(TEXT + stem(word)):
            expanded = _vocabulary_from(TEXT + word, MAX_PREFIX_TERMS)
            options.append(_any([_term(lexeme) for lexeme in expanded]))
    return _any(options)


def _phrase(phrase: tuple[str, ...]) -> Node:
    parts = [stem(w) for w in phrase]
    return _all([_term(f"{PAIRS}{a}_{b}") for a, b in itertools.pairwise(parts)])


def build_tree(
    user: UserQuery, restrictions: dict[str, str], *, any_word: bool = False
) -> Node | None:
    """query.build_query's tree, for PostgreSQL."""
    parts = [_word(word, as_prefix=word == user.prefix) for word in user.words]
    parts.extend(_phrase(phrase) for phrase in user.phrases)
    filters = [
        _term(restriction(name, restrictions[name]))
        for name in FACET_FIELDS
        if restrictions.get(name)
    ]
    if not parts and not filters:
        return None
    text_part = [_any(parts)] if any_word and len(parts) > 1 else parts
    return _all(text_part + filters)


# -- document frequencies ---------------------------------------------------------------------

_df_cache: dict[str, tuple[float, int]] = {}


def _ttl() -> float:
    return float(current_app.config.get("SEARCH_IDF_TTL", 60.0))


def frequencies(lexemes: list[str]) -> dict[str, int]:
    """Documents holding each lexeme ("" stands for all documents), cached SEARCH_IDF_TTL s."""
    now, ttl = time.monotonic(), _ttl()
    wanted = sorted({lexeme for lexeme in lexemes if _fresh(lexeme, now, ttl) is None})
    if "" in wanted:
        total = db.session.execute(text("SELECT count(*) FROM search_document")).scalar_one()
        _df_cache[""] = (now, int(total))
    words = [lexeme for lexeme in wanted if lexeme]
    if words:
        # Only the rows holding one of the words are read (the GIN index finds them).
        counts = [
            f"count(*) FILTER (WHERE terms @@ CAST(:t{i} AS tsquery))" for i in range(len(words))
        ]
        params = {f"t{i}": quote(lexeme) for i, lexeme in enumerate(words)}
        params["any"] = " | ".join(quote(lexeme) for lexeme in words)
        row = db.session.execute(
            text(
                f"SELECT {', '.join(counts)} FROM search_document"  # noqa: S608 - our own SQL
                " WHERE terms @@ CAST(:any AS tsquery)"
            ),
            params,
        ).one()
        for lexeme, count in zip(words, row, strict=True):
            _df_cache[lexeme] = (now, int(count))
    return {lexeme: _df_cache[lexeme][1] for lexeme in lexemes}


def _fresh(lexeme: str, now: float, ttl: float) -> int | None:
    cached = _df_cache.get(lexeme)
    if cached is None or now - cached[0] >= ttl:
        return None
    return cached[1]


def _idf(frequency: dict[str, int], lexeme: str) -> float:
    return math.log(frequency[""] / (frequency[lexeme] + 1)) + 1


# -- the searches -----------------------------------------------------------------------------


def _count(query: str, cap: int) -> tuple[int, list[Counter]]:
    columns = ", ".join(FACET_FIELDS)
    rows = db.session.execute(
        text(
            f"SELECT {columns}, count(*) FROM (SELECT {columns} FROM search_document"  # noqa: S608
            " WHERE terms @@ CAST(:q AS tsquery) LIMIT :cap) AS m"
            f" GROUP BY {columns}"
        ),
        {"q": query, "cap": cap + 1},
    )
    counters = [Counter() for _ in FACET_FIELDS]
    total = 0
    for row in rows:
        n = row[-1]
        total += n
        for counter, value in zip(counters, row[:-1], strict=True):
            counter[value] += n
    return total, counters


def _ranked(
    tree: Node, query: str, sort: Sort, page: int, per_page: int, cap: int
) -> list[tuple[int, float | None]]:
    limit = page * per_page
    if limit > cap:
        return []
    window = {"q": query, "limit": per_page, "offset": (page - 1) * per_page}
    if sort is not Sort.RELEVANCE:
        key = "sort_name" if sort is Sort.NAME else "sort_ballot"
        rows = db.session.execute(
            text(
                "SELECT candidacy_id FROM search_document WHERE terms @@ CAST(:q AS tsquery)"  # noqa: S608
                f" ORDER BY {key}, candidacy_id LIMIT :limit OFFSET :offset"
            ),
            window,
        )
        return [(cid, None) for (cid,) in rows]
    lexemes = tree.terms()
    frequency = frequencies(["", *lexemes])
    parts, params = [], dict(window, pool=RANK_POOL)
    for i, lexeme in enumerate(lexemes):
        if not frequency[lexeme]:
            continue
        parts.append(
            f"CASE WHEN terms @@ CAST(:t{i} AS tsquery)"
            f" THEN COALESCE((weights ->> :l{i})::float8, 1.0) * :f{i} ELSE 0 END"
        )
        params.update({f"t{i}": quote(lexeme), f"l{i}": lexeme, f"f{i}": _idf(frequency, lexeme)})
    score = " + ".join(parts) or "0"
    rows = db.session.execute(
        text(
            "WITH m AS MATERIALIZED (SELECT candidacy_id, terms, weights FROM search_document"  # noqa: S608
            " WHERE terms @@ CAST(:q AS tsquery) LIMIT :pool)"
            f" SELECT candidacy_id, {score} AS score FROM m"
            " ORDER BY score DESC, candidacy_id LIMIT :limit OFFSET :offset"
        ),
        params,
    )
    return [(cid, float(value)) for cid, value in rows]


def find(
    user: UserQuery, restrictions: dict[str, str], sort: Sort, page: int, per_page: int, cap: int
) -> Found:
    found = Found()
    tree = build_tree(user, restrictions)
    if tree is None:
        return found
    query = tree.tsquery()
    total, counters = _count(query, cap) if query else (0, found.counters)
    if total == 0 and len(user.words) + len(user.phrases) > 1:
        fallback = build_tree(user, restrictions, any_word=True)
        fallback_query = fallback.tsquery() if fallback else None
        if fallback is not None and fallback_query:
            tree, query = fallback, fallback_query
            total, counters = _count(query, cap)
            found.or_fallback = total > 0
    if total == 0 and not user.empty:
        found.suggestion = _suggest(user)
    found.total, found.counters = total, counters
    if total and query:
        found.ranked = _ranked(tree, query, sort, page, per_page, cap)
    return found


def _all_matches(tree: Node | None) -> list[int]:
    query = tree.tsquery() if tree is not None else None
    if not query:
        return []
    rows = db.session.execute(
        text(
            "SELECT candidacy_id FROM search_document WHERE terms @@ CAST(:q AS tsquery)"
            " ORDER BY candidacy_id"
        ),
        {"q": query},
    )
    return [cid for (cid,) in rows]


def matching_ids(user: UserQuery, restrictions: dict[str, str]) -> list[int]:
    ids = _all_matches(build_tree(user, restrictions))
    if not ids and len(user.words) + len(user.phrases) > 1:
        ids = _all_matches(build_tree(user, restrictions, any_word=True))
    return ids


def suggest_names(typed: list[str], limit: int) -> list[tuple[int, str]]:
    tree = _all(
        [_term(NAME_WORD + w) for w in typed[:-1]]
        + [_term(NAME_PREFIX + typed[-1][:NAME_PREFIX_MAX])]
    )
    rows = db.session.execute(
        text(
            "SELECT candidacy_id, name FROM search_document WHERE terms @@ CAST(:q AS tsquery)"
            " ORDER BY sort_name, candidacy_id LIMIT :limit"
        ),
        {"q": tree.tsquery(), "limit": limit},
    )
    return [(cid, name) for cid, name in rows]


# -- did you mean -----------------------------------------------------------------------------


def _best(prefix: str, word: str) -> tuple[int, str] | None:
    """The most frequent known word within two edits of `word` (same first letter), as
    Whoosh's terms_within(..., 2, prefix=1) finds it; the first in order on a tie."""
    near = [
        lexeme
        for lexeme in _vocabulary_from(prefix + word[0], 1_000_000)
        if abs(len(lexeme) - len(prefix) - len(word)) <= 2
        and Levenshtein.distance(lexeme[len(prefix) :], word, score_cutoff=2) <= 2
    ]
    if not near:
        return None
    frequency = frequencies(near)
    best = None
    for lexeme in near:
        if frequency[lexeme] and (best is None or frequency[lexeme] > best[0]):
            best = (frequency[lexeme], lexeme[len(prefix) :])
    return best


def _surface_word(stemmed: str) -> str | None:
    """A word as written in the best-scoring document of a stem: "nelay" -> "nelayan"."""
    lexeme = TEXT + stemmed
    row = db.session.execute(
        text(
            "SELECT candidacy_id FROM search_document WHERE terms @@ CAST(:q AS tsquery)"
            " ORDER BY COALESCE((weights ->> :l)::float8, 1.0) DESC, candidacy_id LIMIT 1"
        ),
        {"q": quote(lexeme), "l": lexeme},
    ).first()
    return surface_in(row[0], stemmed) if row else None


def _suggest(user: UserQuery) -> str | None:
    changed = False
    out = []
    for word in [*user.words, *(w for phrase in user.phrases for w in phrase)]:
        if len(word) < 3 or len(word) > 20:
            out.append(word)
            continue
        frequency = frequencies([TEXT + stem(word), NAME_WORD + word])
        if frequency[TEXT + stem(word)] or frequency[NAME_WORD + word]:
            out.append(word)
            continue
        by_name = _best(NAME_WORD, word)
        by_text = _best(TEXT, stem(word))
        if by_text and (not by_name or by_text[0] > by_name[0]):
            surface = _surface_word(by_text[1])
            by_text = (by_text[0], surface) if surface else None
        options = [b for b in (by_name, by_text) if b]
        if options:
            out.append(max(options)[1])
            changed = True
        else:
            out.append(word)
    return " ".join(out) if changed else None


def stats() -> dict[str, Any]:
    row = db.session.execute(text("SELECT count(*) FROM search_document")).one()
    return {"documents": row[0]}
