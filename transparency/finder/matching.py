"""Place names as people type them: a pure index over names, no database, no request.

"KAB. KARANGANYAR", "karanganyar ", "Karangayar" and "Kabupaten Karanganyar" all reach the
same key. Keys are folded (case, accents, apostrophes, spaces and hyphens dropped: KPU
writes "TANJUNG BALAI" where Kemendagri writes "Tanjungbalai"), with the kind words
(Kabupaten, Kota, Kecamatan, Desa, ...) taken off and kept as a hint. One or two letters
wrong are forgiven by an edit distance (rapidfuzz, compiled: every name of the country in
about a millisecond); common short forms ("Jaksel", "Jogja") are aliases.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

# Kind words a place name may start with, longest first; the value is the hint kept.
KIND_WORDS = (
    ("kabupaten administrasi", "kabupaten"),
    ("kota administrasi", "kota"),
    ("kota adm", "kota"),
    ("kabupaten", "kabupaten"),
    ("kab", "kabupaten"),
    ("kota", "kota"),
    ("kecamatan", "kecamatan"),
    ("kec", "kecamatan"),
    ("kelurahan", "desa"),
    ("kel", "desa"),
    ("desa", "desa"),
    ("provinsi", "province"),
    ("prov", "province"),
)
# Short forms people use for a place, folded -> the place's code.
ALIASES = {
    "jaksel": "3174",
    "jakpus": "3171",
    "jakbar": "3173",
    "jaktim": "3175",
    "jakut": "3172",
    "jogja": "3471",
    "jogjakarta": "3471",
    "yogya": "3471",
    "yogyakarta": "3471",
    "solo": "3372",
    "tangsel": "3674",
    "kbb": "3217",
    "jakarta": "31",
    "jateng": "33",
    "jatim": "35",
    "jabar": "32",
    "sumut": "12",
    "sumbar": "13",
    "sumsel": "16",
    "kalbar": "61",
    "kalteng": "62",
    "kalsel": "63",
    "kaltim": "64",
    "kaltara": "65",
    "sulut": "71",
    "sulteng": "72",
    "sulsel": "73",
    "sultra": "74",
    "sulbar": "76",
    "ntb": "52",
    "ntt": "53",
    "dki": "31",
    "diy": "34",
    "luarnegeri": "LN",
    "abroad": "LN",
    "overseas": "LN",
    "diaspora": "LN",
}
MIN_FUZZY = 4  # shorter keys only match exactly: "Ba" is not a typo of "Bau"
_PUNCTUATION = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, no accents, no apostrophes; other punctuation becomes a space."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    plain = re.sub(r"['’`/]", "", plain)
    return " ".join(_PUNCTUATION.sub(" ", plain).split())


def key_of(text: str) -> tuple[str, str]:
    """(key, kind hint): the folded name without its kind word, spaces removed."""
    folded = fold(text)
    hint = ""
    for word, kind in KIND_WORDS:
        if folded == word:
            break
        if folded.startswith(word + " "):
            folded, hint = folded[len(word) + 1 :], kind
            break
    return folded.replace(" ", ""), hint


def allowed_distance(key: str) -> int:
    """Letters that may be wrong: one in a short name, two in a longer one."""
    if len(key) < MIN_FUZZY:
        return 0
    return 1 if len(key) <= 6 else 2


@dataclass(frozen=True)
class Match:
    code: str
    distance: int  # 0: as typed (or an alias); 1-2: letters wrong
    hint: str = ""


@dataclass
class NameIndex:
    """Folded name -> the codes of the places that bear it."""

    codes_by_key: dict[str, list[str]] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, names: Iterable[tuple[str, str]]) -> NameIndex:
        """From (code, name) pairs; a place may come with several names."""
        index = cls()
        for code, name in names:
            key, _hint = key_of(name)
            if not key:
                continue
            codes = index.codes_by_key.setdefault(key, [])
            if code not in codes:
                codes.append(code)
        index.keys = list(index.codes_by_key)
        return index

    def exact(self, text: str) -> list[Match]:
        key, hint = key_of(text)
        found = [Match(code, 0, hint) for code in self.codes_by_key.get(key, [])]
        if not found and key in ALIASES:
            found = [Match(ALIASES[key], 0, hint)]
        return found

    def fuzzy(self, text: str, limit: int = 12) -> list[Match]:
        """Places whose name is within the allowed distance, nearest first."""
        key, hint = key_of(text)
        cutoff = allowed_distance(key)
        if not cutoff:
            return []
        found: list[Match] = []
        for name, distance, _position in process.extract(
            key, self.keys, scorer=OSA.distance, score_cutoff=cutoff, limit=limit
        ):
            found.extend(Match(code, int(distance), hint) for code in self.codes_by_key[name])
        return sorted(found, key=lambda match: match.distance)

    def starting_with(self, text: str, limit: int = 12) -> list[Match]:
        """Places whose name begins with what was typed (three letters at least)."""
        key, hint = key_of(text)
        if len(key) < 3:
            return []
        found: list[Match] = []
        for name in self.keys:
            if name.startswith(key) and name != key:
                found.extend(Match(code, 1, hint) for code in self.codes_by_key[name])
                if len(found) >= limit:
                    break
        return found
