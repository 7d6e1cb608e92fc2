"""Indonesian analysis: word forms meet at one stem, meaningful words stay, accents fold."""

from __future__ import annotations

import pickle

import pytest

from transparency.search.analysis import fold, stem, stems, text_analyzer, words
from transparency.search.schema import build_schema

# Inflected form, and a form a voter may type for the same idea.
PAIRS = [
    ("pendidikan", "didik"),
    ("berpendidikan", "pendidikan"),
    ("mendidik", "pendidikan"),
    ("pemberantasan", "berantas"),
    ("memberantas", "pemberantasan"),
    ("kesehatan", "sehat"),
    ("perempuan", "perempuan"),
    ("petani", "tani"),
    ("pertanian", "petani"),
    ("kemiskinan", "miskin"),
    ("pembangunan", "bangun"),
    ("membangun", "pembangunan"),
    ("pekerjaan", "kerja"),
    ("bekerja", "pekerjaan"),
    ("pelayanan", "layan"),
    ("melayani", "pelayanan"),
    ("keadilan", "adil"),
    ("kesejahteraan", "sejahtera"),
    ("perlindungan", "lindung"),
    ("melindungi", "perlindungan"),
    ("kebersihan", "bersih"),
    ("pengangguran", "menganggur"),
    ("kebudayaan", "budaya"),
    ("pedesaan", "desa"),
    ("perikanan", "ikan"),
    ("pertambangan", "tambang"),
    ("perdagangan", "pedagang"),
    ("bersedia", "ketersediaan"),
    ("berusaha", "pengusaha"),
    ("kepercayaan", "terpercaya"),
]


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_word_forms_meet_at_one_stem_both_ways(a: str, b: str) -> None:
    # "Both ways": the stem of either form is what the other is indexed under.
    assert stem(a) == stem(b)
    assert stems(f"Program {a.upper()} untuk rakyat")[1] == stems(f"program {b} rakyat")[1]


def test_words_that_carry_meaning_are_kept() -> None:
    tokens = [t.text for t in text_analyzer()("Tidak bersedia, ibu kerja baru besar")]
    assert tokens == ["tidak", "sedia", "ibu", "kerja", "baru", "besar"]


def test_indonesian_words_are_not_mangled_by_an_english_stemmer() -> None:
    assert stem("gratis") == "gratis"
    assert stem("desa") == "desa"


def test_accents_and_case_fold() -> None:
    assert fold("Hélène Çelik") == "Helene Celik"
    assert words("SÉKOLAH  Négeri") == ["sekolah", "negeri"]


def test_absurdly_long_words_are_not_indexed() -> None:
    assert words("a" * 20_000 + " guru") == ["guru"]
    assert words("x" * 41) == []


def test_schema_pickles_with_its_stemmer() -> None:
    schema = pickle.loads(pickle.dumps(build_schema()))  # noqa: S301 - our own bytes
    tokens = [t.text for t in schema["text"].analyzer("Pemberantasan korupsi")]
    assert tokens == [stem("pemberantasan"), "korupsi"]


def test_stemming_in_many_threads_at_once_gives_the_same_stems():
    # gunicorn's gthread workers stem in several threads: a shared stemmer mixed their words.
    import threading

    from transparency.search import analysis

    words = [
        f"{prefix}{root}{suffix}"
        for prefix in ("me", "pe", "ber", "di", "ter", "")
        for root in ("nanggulang", "didik", "bangun", "sehat", "tani", "kerja", "ajar")
        for suffix in ("kan", "an", "nya", "lah", "i", "")
    ]
    analysis.stem.cache_clear()
    expected = {word: analysis.stem(word) for word in words}
    errors, results = [], []

    def work():
        try:
            for _ in range(30):
                analysis.stem.cache_clear()
                results.append({word: analysis.stem(word) for word in words})
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all(result == expected for result in results)
