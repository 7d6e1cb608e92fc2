"""The reader of the commission's per-district JSON, on fictional files in its exact shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transparency.importer.kpu_json import LEVELS, load_party_ids, read_file

FILES = Path(__file__).parent / "kpu_dct"


def read(name: str, data: bytes | None = None):
    level = LEVELS[name.split("/")[0]]
    raw = (FILES / name).read_bytes() if data is None else data
    return read_file(name, raw, level, load_party_ids())


def entries_of(name: str):
    entries, problems = read(name)
    assert problems == []
    return {(e.party_number, e.ballot_number): e for e in entries}


def edited(name: str, change) -> bytes:
    content = json.loads((FILES / name).read_text(encoding="utf-8"))
    change(content)
    return json.dumps(content, indent=2, ensure_ascii=False).encode()


def test_party_ids_map_to_ballot_numbers():
    ids = load_party_ids()
    assert (ids[8], ids[10], ids[41], ids[74], ids[84]) == (1, 2, 6, 13, 22)
    assert len(ids) == 24


def test_dpr_every_profile_shape():
    got = entries_of("dpr/3304.json")
    assert len(got) == 12
    # PKB (id 8) is ballot number 1, Partai Buruh (41) 6, PBB (74) 13.
    assert {party for party, _ in got} == {1, 6, 13}
    assert got[(1, 1)].consent == "published" and got[(1, 1)].sections is None
    assert got[(1, 2)].consent == "partial"
    assert got[(1, 2)].sections == ("datadiri", "alamat", "pekerjaan", "hukum")
    assert got[(1, 2)].withheld == (
        "pasangan",
        "pendidikan",
        "riwayatpekerjaan",
        "kursus",
        "organisasi",
        "penghargaan",
        "motivasi",
        "program",
    )
    assert len(got[(1, 3)].sections) == 12 and got[(1, 3)].withheld == ()
    assert got[(1, 4)].consent == "not_published"
    assert got[(6, 1)].sections == ("datadiri",)
    assert "datadiri" in got[(6, 2)].withheld
    assert got[(13, 1)].consent == "refused"
    assert got[(13, 2)].consent == "no_status"
    assert got[(13, 3)].consent == "partial"  # with id_parpol as well
    assert got[(13, 4)].consent == "published"
    assert got[(1, 3)].full_name == "Dr. CONTOH FIKTIF TIGA, S.H., M.H."
    assert got[(1, 1)].domicile == "KOTA ADM. JAKARTA TIMUR"
    assert got[(1, 1)].key == ("dpr", "3304", 1, 1)


def test_dprd_levels_and_their_quirks():
    prov = entries_of("dprdprov/330001.json")
    assert prov[(1, 1)].consent == "published"  # Bersedia without id_parpol
    assert prov[(1, 2)].sections == ("datadiri", "pekerjaan", "pendidikan")
    assert prov[(1, 3)].full_name == "CONTOH PROVINSI TIGA"  # no-break space
    assert prov[(8, 2)].full_name == "CONTOH PROVINSI LIMA"  # newline in the name
    kk = entries_of("dprdkk/330401.json")
    assert sorted(kk) == [(1, 1), (1, 3), (8, 1), (8, 2)]  # a gap in nomor_urut is kept
    assert kk[(1, 3)].sections == ("pekerjaan", "motivasi", "program")  # no photo key at all


def test_dpd_has_no_party_and_its_own_consent_field():
    got = entries_of("dpd/33.json")
    assert sorted(got) == [(None, 1), (None, 2), (None, 3), (None, 4)]
    assert [got[(None, n)].consent for n in (1, 2, 3, 4)] == [
        "published",
        "not_published",
        "published",
        "no_status",
    ]
    # "KAB. SRAGEN / JAWA TENGAH": the kab/kota of domicile only
    assert got[(None, 1)].domicile == "KAB. SRAGEN"
    assert got[(None, 2)].domicile == "KOTA SURAKARTA"


def test_both_spellings_read_alike():
    def unspaced(content):
        for entry in content:
            status = entry["profile"].get("status_publikasi")
            if status:
                entry["profile"]["status_publikasi"] = status.replace(" ", "")
            logo = entry["profile"].get("logo_partai")
            if logo:
                entry["profile"]["logo_partai"] = logo.replace("%20", "")

    first, _ = read("dpr/3304.json")
    second, problems = read("dpr/3304.json", edited("dpr/3304.json", unspaced))
    assert problems == []
    assert [(e.key, e.consent, e.sections) for e in first] == [
        (e.key, e.consent, e.sections) for e in second
    ]
    assert "BersediaSebagian" in edited("dpr/3304.json", unspaced).decode()


def test_nothing_of_the_photo_or_portal_ids_is_kept():
    entries, _ = read("dpr/3304.json")
    kept = repr(entries)
    assert "contoh.example" not in kept
    assert "pas_foto" not in kept
    assert "0000000000000002" not in kept
    assert "Q09OVE9I" not in kept  # the portal's token


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda c: c[5].update(id_partai=99),
            "dpr/3304.json, entry 6 (nomor_urut 2, id_partai 99), field id_partai: "
            "unknown party id 99",
        ),
        (
            lambda c: c[6].update(nomor_urut=1),
            "dpr/3304.json, entry 7 (nomor_urut 1, id_partai 41), field nomor_urut: "
            "list position 1 of this party is already entry 5 of the file",
        ),
        (
            lambda c: c[0].update(kode_dapil="3305"),
            "dpr/3304.json, entry 1 (nomor_urut 1, id_partai 8), field kode_dapil: says '3305', "
            "but the file is named 3304.json",
        ),
        (
            lambda c: c[0]["profile"].update(status_publikasi="Mungkin"),
            "entry 1 (nomor_urut 1, id_partai 8), field profile.status_publikasi: 'Mungkin' is "
            "none of",
        ),
        (
            lambda c: c[1]["profile"].update(pilihan_publikasi="datadiri,nik"),
            "field profile.pilihan_publikasi: unknown section 'nik'",
        ),
        (
            lambda c: c[2].update(nama="CONTOH 3304123456789012"),
            "entry 3 (nomor_urut 3, id_partai 8), field nama: holds a 16-digit number",
        ),
        (lambda c: c[3].update(jenis_kelamin="X"), "field jenis_kelamin: must be L or P"),
    ],
)
def test_refusals_name_file_and_entry(change, expected):
    entries, problems = read("dpr/3304.json", edited("dpr/3304.json", change))
    assert entries == []  # one problem refuses the whole file
    assert any(expected in str(problem) for problem in problems), [str(p) for p in problems]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("dpr/33041.json", b"[]", "named by its 4-digit kode_dapil"),
        ("dpr/3304.json", b"[]", "has no entries"),
        ("dpr/3304.json", b'{"a": 1}', "must be a JSON array"),
        ("dpr/3304.json", b"[{,]", "not valid JSON (line 1, column 3)"),
        ("dpr/3304.json", b"\xff\xfe[]", "not valid UTF-8"),
    ],
)
def test_unreadable_files_are_refused(name, data, message):
    entries, problems = read_file(name, data, LEVELS["dpr"], load_party_ids())
    assert entries == []
    assert [message in str(p) for p in problems] == [True]
    assert str(problems[0]).startswith(name)
