""" "Surat suara saya": from a place a voter names to the four ballots of that place.

`lookup(gazetteer, text)` turns what was typed into a place (or choices, or suggestions,
or a problem); `ballots(gazetteer, place)` says, for DPR, DPD, DPRD provinsi and DPRD
kab/kota, which district holds the place, or which finer place to ask for where a regency
or a kecamatan is split between districts. Plain functions over the in-memory gazetteer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from transparency.finder.gazetteer import (
    OFFICES,
    DistrictInfo,
    Gazetteer,
    Place,
    gazetteer_for,
)
from transparency.finder.matching import KIND_WORDS, Match, fold, key_of

__all__ = [
    "OFFICES",
    "Answer",
    "Ballot",
    "DistrictInfo",
    "Gazetteer",
    "Lookup",
    "Place",
    "ballots",
    "gazetteer_for",
    "lookup",
]

MAX_QUERY = 100
# Which level a voter most likely means when names are shared: a kab/kota first.
RANK = {"regency": 0, "abroad": 0, "province": 1, "kecamatan": 2, "desa": 3}
HINT_LEVELS = {"kecamatan": "kecamatan", "desa": "desa", "province": "province"}
MAX_CHOICES = 30
MAX_SUGGESTIONS = 8
KIND_ONLY = frozenset(word for word, _hint in KIND_WORDS)


@dataclass(frozen=True)
class Ballot:
    office: str
    district: DistrictInfo | None = None
    # found: the district; choose: the place is split, `choices` hold it; none_here: no such
    # assembly for this place (Jakarta has no DPRD kab/kota; voters abroad vote only DPR);
    # unknown: the sources do not say (a kecamatan created after the districts were drawn)
    status: str = "found"
    choices: tuple[DistrictInfo, ...] = ()


@dataclass
class Answer:
    place: Place
    ballots: list[Ballot]
    finer: list[Place] = field(default_factory=list)  # where a ballot asks for a finer place


@dataclass
class Lookup:
    query: str
    place: Place | None = None
    corrected: bool = False  # found with letters wrong: say what was understood
    choices: list[Place] = field(default_factory=list)  # several places: pick one
    also: list[Place] = field(default_factory=list)  # same name elsewhere
    suggestions: list[Place] = field(default_factory=list)  # nothing matched: near names
    problem: str = ""  # too_long | control | not_within | unknown
    within: Place | None = None  # the regency or province typed after a comma


def _control(ch: str) -> bool:
    return ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0


def clean(text: str) -> tuple[str, str]:
    """(text, problem): spaces collapsed; over-long or control characters refused."""
    if len(text) > MAX_QUERY:
        return "", "too_long"
    if any(_control(ch) for ch in text):
        return "", "control"
    return " ".join(text.split()), ""


def _repaired(text: str) -> str:
    """What a refused name may have meant: control characters as spaces, cut to the longest
    run of whole words that fits (a name pasted with a line break, or twice)."""
    words = "".join(" " if _control(ch) else ch for ch in text).split()
    kept: list[str] = []
    for word in words:
        if len(" ".join([*kept, word])) > MAX_QUERY:
            break
        kept.append(word)
    return " ".join(kept)


def _near_repaired(gazetteer: Gazetteer, raw: str) -> list[Place]:
    """Places to offer beside the message refusing `raw`: never an empty dead end. The
    repaired text, else its first three, two or one words ("Jaten Jaten Jaten ...")."""
    words = _repaired(raw).split()
    for attempt in (words, words[:3], words[:2], words[:1]):
        if not attempt:
            continue
        found = lookup(gazetteer, " ".join(attempt))
        places = ([found.place] if found.place else []) + found.choices + found.suggestions
        if places:
            return places[:MAX_SUGGESTIONS]
    return []


def _places(gazetteer: Gazetteer, matches: list[Match]) -> list[Place]:
    seen: dict[str, Place] = {}
    for match in matches:
        place = gazetteer.by_code.get(match.code)
        if place is not None and place.code not in seen:
            seen[place.code] = place
    return list(seen.values())


def _by_hint(gazetteer: Gazetteer, places: list[Place], hint: str) -> list[Place]:
    """Keep the places of the kind the voter named ("Kota Bandung"), if any are left."""
    if hint in ("kabupaten", "kota"):
        prefix = "Kabupaten" if hint == "kabupaten" else "Kota"
        kept = [p for p in places if p.level == "regency" and p.name.startswith(prefix)]
    elif hint in HINT_LEVELS:
        kept = [p for p in places if p.level == HINT_LEVELS[hint]]
    else:
        kept = []
    return kept or places


def _inside(gazetteer: Gazetteer, place: Place, within: Place) -> bool:
    return within.id in {p.id for p in gazetteer.chain(place)} and place.id != within.id


def _ordered(places: list[Place]) -> list[Place]:
    return sorted(places, key=lambda p: (RANK.get(p.level, 9), p.name, p.code))


def _split_words(gazetteer: Gazetteer, text: str) -> tuple[str, Place] | None:
    """ "Jaten Karanganyar": a place name followed by its kab/kota or province."""
    words = fold(text).split()
    for cut in range(len(words) - 1, 0, -1):
        tail = _places(gazetteer, gazetteer.names.exact(" ".join(words[cut:])))
        tail = [p for p in tail if p.level in ("regency", "province")]
        if len(tail) == 1 and gazetteer.names.exact(" ".join(words[:cut])):
            return " ".join(words[:cut]), tail[0]
    return None


MAX_WORDS_SPLIT = 6  # a longer text is no address: its phrases would take too long


def _by_words(gazetteer: Gazetteer, text: str) -> list[Place]:
    """Places named by part of what was typed: "Jatenn Karanganyar", "Jaten Karanganyar Jawa
    Tengah" (a whole address, a letter wrong). Places inside another place the text names
    come first."""
    words = fold(text).split()
    if len(words) < 2 or len(words) > MAX_WORDS_SPLIT:
        return []
    found: list[Place] = []
    for size in range(min(len(words) - 1, 3), 0, -1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start : start + size])
            if phrase in KIND_ONLY:
                continue
            matches = gazetteer.names.exact(phrase) or gazetteer.names.fuzzy(phrase)
            found.extend(p for p in _places(gazetteer, matches) if p not in found)
    named = {p.id for p in found}
    inside = [p for p in found if any(q.id in named for q in gazetteer.chain(p)[1:])]
    ordered = inside + [p for p in _ordered(found) if p not in inside]
    return ordered[:MAX_SUGGESTIONS]


def lookup(gazetteer: Gazetteer, raw: str) -> Lookup:
    text, problem = clean(raw)
    result = Lookup(query=text, problem=problem)
    if problem:
        result.suggestions = _near_repaired(gazetteer, raw)
    if problem or not text:
        return result
    name, within_text = text, ""
    if "," in text:
        name, _, within_text = (part.strip() for part in text.partition(","))
    within: Place | None = None
    if within_text:
        found = _places(gazetteer, gazetteer.names.exact(within_text))
        found = found or _places(gazetteer, gazetteer.names.fuzzy(within_text))
        found = [p for p in found if p.level in ("regency", "province")]
        within = found[0] if found else None
    matches = gazetteer.names.exact(name)
    if not matches and within is None and (split := _split_words(gazetteer, name)):
        name, within = split
        matches = gazetteer.names.exact(name)
    corrected = False
    if not matches and fold(name) in KIND_ONLY:
        # "Kecamatan" alone is no misspelt Kedamaian: the voter has yet to type the name.
        result.problem = "unknown"
        return result
    if not matches:
        matches = gazetteer.names.fuzzy(name)
        corrected = bool(matches)
    _key, hint = key_of(name)
    places = _by_hint(gazetteer, _places(gazetteer, matches), hint)
    result.within = within
    if within is not None:
        inside = [p for p in places if _inside(gazetteer, p, within)]
        if not inside:
            result.problem = "not_within" if places else "unknown"
            result.suggestions = _ordered(places)[:MAX_SUGGESTIONS]
            return result
        places = inside
    if not places:
        result.problem = "unknown"
        near = _places(gazetteer, gazetteer.names.starting_with(name))
        result.suggestions = _ordered(near)[:MAX_SUGGESTIONS] or _by_words(gazetteer, name)
        return result
    ordered = _ordered(places)
    best = [p for p in ordered if RANK.get(p.level, 9) == RANK.get(ordered[0].level, 9)]
    if corrected:
        nearest = min(m.distance for m in matches)
        best = [p for p in best if any(m.code == p.code and m.distance == nearest for m in matches)]
        longer = _places(gazetteer, gazetteer.names.starting_with(name))
        if longer and within is None:
            # "Tanjung Jab" is nearer Tanjungjaya by letters, but the voter was typing a
            # longer name: offer both rather than guess.
            result.suggestions = _ordered(best + longer)[:MAX_SUGGESTIONS]
            return result
    if len(best) == 1:
        result.place = best[0]
        result.corrected = corrected
        result.also = [p for p in ordered if p.code != best[0].code][:MAX_CHOICES]
    else:
        result.choices = ordered[:MAX_CHOICES]
    return result


def ballots(gazetteer: Gazetteer, place: Place) -> Answer:
    """The four ballots of a place, each found, to be chosen among, or not there."""
    chain = gazetteer.chain(place)
    found: list[Ballot] = []
    for office in OFFICES:
        holds = gazetteer.holds[office]
        held = next((holds[p.id] for p in chain if p.id in holds), None)
        if held is not None:
            found.append(Ballot(office, gazetteer.districts[held]))
            continue
        parts = gazetteer.below[office].get(place.id, set())
        if len(parts) == 1:
            found.append(Ballot(office, gazetteer.districts[next(iter(parts))]))
        elif parts:
            choices = tuple(sorted((gazetteer.districts[i] for i in parts), key=lambda d: d.code))
            found.append(Ballot(office, status="choose", choices=choices))
        elif place.level == "abroad" or not _assembly_here(gazetteer, office, chain):
            found.append(Ballot(office, status="none_here"))
        else:
            found.append(Ballot(office, status="unknown"))
    answer = Answer(place, found)
    if any(ballot.status == "choose" for ballot in found):
        answer.finer = [gazetteer.places[i] for i in gazetteer.children.get(place.id, [])]
    return answer


def _assembly_here(gazetteer: Gazetteer, office: str, chain: list[Place]) -> bool:
    """Whether any district of the office lies in the place's regency (or province)."""
    below = gazetteer.below[office]
    return any(below.get(p.id) for p in chain if p.level in ("regency", "province"))
