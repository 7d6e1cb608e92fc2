"""From what a voter typed to a Whoosh query: a pure function, no parser plugins.

User text is words and "quoted phrases" only. Anything else (field names, wildcards,
ranges, boosts, fuzzy marks, operators) is just punctuation or another word here, because
the text never reaches Whoosh's query parser: words are cut out with the same tokenizer the
index uses and turned into Term queries. Every word must match (AND); the caller may ask
for OR when AND finds nothing. The last word also matches as a prefix while typing.
Restrictions (party, district, ...) are AND terms, which lets Whoosh skip non-matching
blocks instead of filtering every match afterwards.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from whoosh import query as wq

from transparency.search.analysis import NAME_PREFIX_MAX, stem, words
from transparency.search.schema import FACET_FIELDS

MAX_QUERY_LENGTH = 200
MAX_TERMS = 16  # a query of 17+ words is a pasted paragraph: the first 16 decide
MIN_PREFIX = 3  # shorter text prefixes expand to too many words to mean anything
MAX_PREFIX_TERMS = 64
_PHRASE = re.compile(r'"([^"]*)"')


class QueryTooLong(ValueError):
    pass


@dataclass(frozen=True)
class UserQuery:
    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    prefix: str = ""  # the last word, when the text does not end with a space or quote

    @property
    def empty(self) -> bool:
        return not (self.words or self.phrases)

    def stems(self) -> frozenset[str]:
        found = {stem(w) for w in self.words}
        for phrase in self.phrases:
            found.update(stem(w) for w in phrase)
        return frozenset(found)


def parse_user_text(text: str) -> UserQuery:
    """Words and quoted phrases; an unbalanced quote makes the rest plain words."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryTooLong(f"Search text is limited to {MAX_QUERY_LENGTH} characters")
    phrases: list[tuple[str, ...]] = []
    plain_parts: list[str] = []
    position = 0
    for match in _PHRASE.finditer(text):
        plain_parts.append(text[position : match.start()])
        phrase = tuple(words(match.group(1)))
        if len(phrase) == 1:
            plain_parts.append(phrase[0])
        elif phrase:
            phrases.append(phrase)
        position = match.end()
    tail = text[position:]
    plain_parts.append(tail.replace('"', " "))
    plain = words(" ".join(plain_parts))
    # Single letters (initials, the pieces of "S.H." or "A.Md.") match most documents and
    # narrow nothing: they count only when they are all there is.
    if any(len(w) > 1 for w in plain):
        plain = [w for w in plain if len(w) > 1]
    budget = MAX_TERMS - sum(len(p) for p in phrases)
    plain = plain[: max(budget, 0)]
    phrases = phrases[:MAX_TERMS]
    ends_in_word = bool(tail) and bool(re.search(r"\w$", tail))
    prefix = plain[-1] if plain and ends_in_word else ""
    return UserQuery(words=tuple(dict.fromkeys(plain)), phrases=tuple(phrases), prefix=prefix)


class LimitedPrefix(wq.Prefix):
    """A prefix that expands to at most MAX_PREFIX_TERMS words: "a" cannot mean every word."""

    def _btexts(self, ixreader: object) -> list[bytes]:
        out = []
        for btext in super()._btexts(ixreader):
            out.append(btext)
            if len(out) >= MAX_PREFIX_TERMS:
                break
        return out


class Union(wq.Or):
    """An OR that always walks postings in step (a tree of union matchers).

    Whoosh's default switches to preloading every match into an array on small segments,
    which costs more than it saves for our few-clause ORs.
    """

    matcher_type = wq.Or.DEFAULT_MATCHER


def _word_query(word: str, as_prefix: bool, known: Callable[[str], bool] | None) -> wq.Query:
    options: list[wq.Query] = [wq.Term("text", stem(word)), wq.Term("name", word)]
    if as_prefix:
        options.append(wq.Term("name_prefix", word[:NAME_PREFIX_MAX]))
        # A word the index knows is taken as typed in full: expanding it as a text prefix
        # would union dozens of long posting lists for little gain.
        if len(word) >= MIN_PREFIX and not (known and known(stem(word))):
            options.append(LimitedPrefix("text", word))
    return Union(options)


def _phrase_query(phrase: tuple[str, ...]) -> wq.Query:
    parts = [stem(w) for w in phrase]
    pairs = [wq.Term("pairs", f"{a}_{b}") for a, b in itertools.pairwise(parts)]
    return pairs[0] if len(pairs) == 1 else wq.And(pairs)


def filter_terms(restrictions: Mapping[str, str]) -> list[wq.Query]:
    return [wq.Term(name, restrictions[name]) for name in FACET_FIELDS if restrictions.get(name)]


def build_query(
    user: UserQuery,
    restrictions: Mapping[str, str] | None = None,
    *,
    any_word: bool = False,
    known: Callable[[str], bool] | None = None,
) -> wq.Query | None:
    """The Whoosh query for this text and these restrictions; None when there is nothing.

    `known(stem)` says whether the index has a text word; without it the last word always
    expands as a prefix too.
    """
    parts: list[wq.Query] = []
    for word in user.words:
        parts.append(_word_query(word, as_prefix=word == user.prefix, known=known))
    for phrase in user.phrases:
        parts.append(_phrase_query(phrase))
    filters = filter_terms(restrictions or {})
    if not parts and not filters:
        return None
    if any_word and len(parts) > 1:
        text: list[wq.Query] = [Union(parts)]
    else:
        text = parts
    combined = text + filters
    return combined[0] if len(combined) == 1 else wq.And(combined)
