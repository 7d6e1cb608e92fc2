"""Which naming traditions a province's candidates are drawn from, and how often."""

from __future__ import annotations

from transparency.demo.names import TRADITIONS, Tradition

# Province code -> (tradition, weight): who tends to stand where.
_PAPUA = (("papua", 75), ("jawa", 8), ("bugis", 8), ("maluku", 5), ("ntt", 4))
REGIONAL_MIX: dict[str, tuple[tuple[str, int], ...]] = {
    "11": (("aceh", 72), ("arab", 18), ("jawa", 8), ("mandailing", 2)),
    "12": (
        ("batak", 45),
        ("mandailing", 15),
        ("jawa", 17),
        ("melayu", 10),
        ("tionghoa", 8),
        ("arab", 5),
    ),
    "13": (("minang", 85), ("arab", 8), ("jawa", 4), ("mandailing", 3)),
    "14": (
        ("melayu", 42),
        ("minang", 20),
        ("jawa", 20),
        ("batak", 10),
        ("tionghoa", 5),
        ("arab", 3),
    ),
    "15": (("melayu", 50), ("jawa", 30), ("minang", 15), ("arab", 5)),
    "16": (("melayu", 58), ("jawa", 30), ("arab", 8), ("tionghoa", 4)),
    "17": (("melayu", 55), ("jawa", 25), ("minang", 15), ("arab", 5)),
    "18": (("jawa", 52), ("melayu", 28), ("sunda", 15), ("arab", 5)),
    "19": (("melayu", 60), ("tionghoa", 28), ("jawa", 8), ("bugis", 4)),
    "21": (("melayu", 48), ("tionghoa", 18), ("batak", 14), ("jawa", 12), ("minang", 8)),
    "31": (
        ("arab", 25),
        ("jawa", 25),
        ("sunda", 14),
        ("batak", 10),
        ("tionghoa", 10),
        ("minang", 8),
        ("minahasa", 4),
        ("bugis", 4),
    ),
    "32": (("sunda", 80), ("jawa", 9), ("arab", 9), ("tionghoa", 2)),
    "33": (("jawa", 88), ("arab", 7), ("tionghoa", 5)),
    "34": (("jawa", 90), ("arab", 5), ("tionghoa", 5)),
    "35": (("jawa", 76), ("arab", 17), ("tionghoa", 5), ("bali", 2)),
    "36": (("sunda", 58), ("arab", 25), ("jawa", 14), ("tionghoa", 3)),
    "51": (("bali", 90), ("jawa", 6), ("arab", 4)),
    "52": (("sasak", 62), ("arab", 28), ("bali", 6), ("bugis", 4)),
    "53": (("ntt", 88), ("arab", 8), ("bugis", 4)),
    "61": (("melayu", 38), ("dayak", 32), ("tionghoa", 24), ("jawa", 6)),
    "62": (("dayak", 50), ("melayu", 28), ("jawa", 20), ("arab", 2)),
    "63": (("melayu", 62), ("arab", 18), ("jawa", 20)),
    "64": (("jawa", 30), ("bugis", 25), ("melayu", 25), ("dayak", 15), ("tionghoa", 5)),
    "65": (("dayak", 40), ("bugis", 30), ("jawa", 15), ("melayu", 15)),
    "71": (("minahasa", 80), ("arab", 16), ("tionghoa", 4)),
    "72": (("bugis", 38), ("arab", 32), ("jawa", 15), ("minahasa", 15)),
    "73": (("bugis", 86), ("arab", 9), ("tionghoa", 5)),
    "74": (("buton", 35), ("bugis", 30), ("arab", 20), ("jawa", 15)),
    "75": (("arab", 80), ("bugis", 15), ("minahasa", 5)),
    "76": (("bugis", 80), ("arab", 20)),
    "81": (("maluku", 75), ("arab", 15), ("bugis", 10)),
    "82": (("arab", 55), ("maluku", 30), ("bugis", 15)),
    "91": _PAPUA,
    "92": _PAPUA,
    "93": _PAPUA,
    "94": _PAPUA,
    "95": (("papua", 95), ("jawa", 3), ("bugis", 2)),
    "96": _PAPUA,
}


def traditions_for(province_code: str) -> tuple[list[Tradition], list[int]]:
    """The traditions of a province and their cumulative weights, for `Random.choices`."""
    mix = REGIONAL_MIX.get(province_code, (("jawa", 50), ("arab", 30), ("sunda", 20)))
    traditions = [TRADITIONS[key] for key, _weight in mix]
    cumulative: list[int] = []
    total = 0
    for _key, weight in mix:
        total += weight
        cumulative.append(total)
    return traditions, cumulative
