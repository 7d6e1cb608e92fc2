"""Indonesian text analysis shared by the index and the query builder.

Tokenise on word characters, lowercase, fold accents, stem with Snowball's Indonesian
algorithm (memoised: a stem is computed once per distinct word). No stop list: words such
as "tidak", "kerja" or "ibu" carry meaning in candidates' records.

The stem function lives at module level because Whoosh pickles the schema with it.
"""

from __future__ import annotations

import itertools
import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import snowballstemmer
from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    NgramFilter,
    RegexTokenizer,
    StemFilter,
    Token,
    Tokenizer,
)

WORD_PATTERN = r"\w+"
# Longer "words" are noise (base64, URLs squashed together) and only bloat the vocabulary.
MAX_WORD_LENGTH = 40
NAME_PREFIX_MIN = 2
NAME_PREFIX_MAX = 10

# A Snowball stemmer keeps the word it is working on in the object: one per thread, as
# gthread workers stem in several threads at once (a shared one raised IndexError under load).
_local = threading.local()


def _stemmer() -> Any:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("indonesian")
    return stemmer


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Indonesian stem of one lowercased, folded word: pendidikan -> didik.

    Snowball removes one prefix layer per pass, so "memberantas" stops at "berantas" while
    "pemberantasan" reaches "antas": a second pass brings stacked prefixes to the same root.
    "ber-"/"ter-" before a nasal prefix ("berpendidikan") is peeled first, or Snowball takes
    "-kan" for the suffix and misses the root.
    """
    if len(word) > 7 and word.startswith(("ber", "ter")):
        word = word[3:]
    stemmer = _stemmer()
    return stemmer.stemWord(stemmer.stemWord(word))


@lru_cache(maxsize=50_000)
def fold(text: str) -> str:
    """Accents removed and compatibility forms unified: 'Hélène' -> 'Helene'."""
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():
        return decomposed
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class FoldFilter(Filter):
    """Accent folding for Whoosh token streams."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = token.text
            if not text.isascii():
                token.text = fold(text)
            yield token


class LengthLimitFilter(Filter):
    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if len(token.text) <= MAX_WORD_LENGTH:
                yield token


def text_analyzer() -> object:
    """Stemmed words, for biography, education, occupation, programme and track record."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | FoldFilter()
        | LengthLimitFilter()
        # Our own memoised stem; Whoosh's cache is turned off so it does not double up.
        | StemFilter(stemfn=stem, cachesize=None)
    )


def name_analyzer() -> object:
    """Names are not stemmed: 'Rahayu' must not become 'rahay'."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | FoldFilter() | LengthLimitFilter()


_words = RegexTokenizer(WORD_PATTERN)


def words(text: str) -> list[str]:
    """Lowercased, folded words of a text, as the index sees them before stemming."""
    out = []
    for token in _words(text):
        word = fold(token.text.lower())
        if len(word) <= MAX_WORD_LENGTH:
            out.append(word)
    return out


def stems(text: str) -> list[str]:
    return [stem(word) for word in words(text)]


def shingles(text: str) -> list[str]:
    """Consecutive stem pairs joined by '_': a two-word phrase becomes one term lookup."""
    parts = stems(text)
    return [f"{a}_{b}" for a, b in itertools.pairwise(parts)]


class PairTokenizer(Tokenizer):
    """Stem pairs of each line ("tidak bersedia" -> "tidak_sedia"); pairs never cross lines,
    so the end of one programme statement and the start of the next are not a phrase."""

    def __eq__(self, other: object) -> bool:
        return self.__class__ is other.__class__

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        position = start_pos
        for line in value.split("\n"):
            for pair in shingles(line):
                token.text = pair
                token.boost = 1.0
                token.stopped = False
                if positions:
                    token.pos = position
                    position += 1
                yield token


def pair_analyzer() -> object:
    return PairTokenizer()


def name_prefix_analyzer() -> object:
    """Edge n-grams of name words: "rah" finds "Rahayu" with one term lookup."""
    return name_analyzer() | NgramFilter(
        minsize=NAME_PREFIX_MIN, maxsize=NAME_PREFIX_MAX, at="start"
    )
