"""The PostgreSQL backend's terms: the same analysis as the Whoosh schema, as lexemes.

A Whoosh field becomes a lexeme prefix: "w:" text stems, "n:" name words, "p:" edge
n-grams of name words, "s:" stem pairs, "f:<field>:" restriction values. The analyzers
are the very ones the Whoosh schema uses (analysis.py), run in index mode, so the two
backends hold the same terms for a document; a lexeme's weight is Whoosh's (occurrences
times the field's boost: 2 for names), stored only where it is not 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from transparency.search.analysis import (
    name_analyzer,
    name_prefix_analyzer,
    pair_analyzer,
    text_analyzer,
)
from transparency.search.documents import Document
from transparency.search.schema import FACET_FIELDS

TEXT, NAME, NAME_PREFIX, PAIRS = "w:", "n:", "p:", "s:"
NAME_BOOST = 2.0  # the Whoosh schema's field_boost of `name`
_ANALYZERS = (
    ("text", TEXT, text_analyzer(), 1.0),
    ("name", NAME, name_analyzer(), NAME_BOOST),
    ("name_prefix", NAME_PREFIX, name_prefix_analyzer(), 1.0),
    ("pairs", PAIRS, pair_analyzer(), 1.0),
)


def restriction(name: str, value: str) -> str:
    return f"f:{name}:{value}"


def weighted_lexemes(doc: Document) -> Counter:
    """Every lexeme of a (Whoosh-shaped) document with its weight."""
    weights: Counter = Counter()
    for key, prefix, analyzer, boost in _ANALYZERS:
        for token in analyzer(doc[key], mode="index"):  # type: ignore[operator]
            weights[prefix + token.text] += boost
    for name in FACET_FIELDS:
        if doc[name]:
            weights[restriction(name, doc[name])] = 1.0
    return weights


@dataclass
class Row:
    """One search_document row, ready for the database."""

    candidacy_id: int
    lexemes: list[str]
    weights: dict[str, float]
    values: dict[str, str] = field(default_factory=dict)

    @property
    def vocabulary(self) -> Iterable[str]:
        return (lexeme for lexeme in self.lexemes if lexeme.startswith((TEXT, NAME)))


def row_of(doc: Document) -> Row:
    weights = weighted_lexemes(doc)
    return Row(
        candidacy_id=int(doc["id"]),
        lexemes=sorted(weights),
        weights={lexeme: w for lexeme, w in weights.items() if w != 1.0},
        values={
            "name": doc["name"],
            **{name: doc[name] for name in FACET_FIELDS},
            "sort_name": doc["sort_name"].decode(),
            "sort_ballot": doc["sort_ballot"].decode(),
            "digest": doc["digest"],
        },
    )


def quote(lexeme: str) -> str:
    """A lexeme as a tsquery operand, taken verbatim (no parser, no normalisation)."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"
