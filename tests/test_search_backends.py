"""The two search backends answer alike: one corpus, about 200 queries, Whoosh and PostgreSQL.

Each query goes through the page's search (`search_candidacies`) and the exports' matching
(`matching_candidacy_ids`) once with SEARCH_BACKEND=whoosh and once with postgres, on the
same database; match sets, totals, facets, the first page in order, the or-fallback,
did-you-mean and name suggestions must be the same. Scores must agree too (both rank by
TF-IDF); candidacies whose scores tie are ordered by id in both.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text

from tests.conftest import POSTGRES_URL, fresh_app
from tests.factories import Factory
from transparency.extensions import db
from transparency.listing import parse_filters
from transparency.revisions import provenance
from transparency.search import service, sync
from transparency.search.store import index_root, pool

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL, reason="the PostgreSQL backend needs TEST_DATABASE_URL (CI sets it)"
)

TOPICS = [
    "pendidikan gratis untuk anak nelayan",
    "petani mendapat pupuk murah",
    "kesehatan ibu dan anak di puskesmas",
    "jalan desa yang layak",
    "air bersih bagi warga",
    "guru honorer diangkat",
    "pemberantasan korupsi di pemerintahan",
    "tidak bersedia membuka data diri",
    "koperasi pasar tradisional",
    "irigasi sawah dan listrik desa",
    "perempuan dan pemuda berwirausaha",
    "hutan dan laut dijaga",
    "memberantas pungutan liar",
    "berpendidikan tinggi di luar negeri",
]
RECORDS = ["Ketua kelompok petani", "Guru sekolah dasar", "Pengusaha dagang", "Nelayan"]
FIRST = ["Siti", "Budi", "Agus", "Dewi", "Rahmat", "Nur", "Wahyu", "Sri", "Joko", "Hélène"]
LAST = ["Rahayu", "Santoso", "Hidayat", "Wijaya", "Saputra", "Lubis", "Siregar", "Nasution"]
DISTRICTS = ["3304", "3301", "1101"]
CORPUS = 150


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One database of CORPUS candidacies (a few hidden), its PostgreSQL search rows written
    with each change, and a Whoosh index built from it."""
    with fresh_app(tmp_path_factory.mktemp("backends"), areas=False) as app:
        assert app.config["SEARCH_BACKEND"] == "postgres"  # the default on PostgreSQL
        rng = random.Random(14)
        with app.app_context():
            make = Factory(db.session)
            made = []
            for i in range(CORPUS):
                made.append(
                    make.candidacy(
                        f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                        district=rng.choice(DISTRICTS),
                        party_number=rng.choice([1, 2, 3, None]),
                        disclosure=rng.choice([{}, {"cv": "refused"}, None]),
                        programme=rng.sample(TOPICS, rng.randint(1, 4)),
                        track_record=[{"title": rng.choice(RECORDS)}] if i % 3 else [],
                        occupation=rng.choice(["Petani", "Guru", "Wiraswasta", None]),
                    )
                )
            with provenance(db.session, origin="test"):
                for candidacy in made[::17]:
                    candidacy.hidden = True
                db.session.flush()
            db.session.commit()
            sync.rebuild(db.session, index_root(app))
            db.session.remove()
        yield app
        pool.close()


def run(app: Flask, backend: str, args: dict[str, str], cap: int | None = None) -> dict[str, Any]:
    """What a user sees of this search with this backend."""
    app.config["SEARCH_BACKEND"] = backend
    saved = service.TOTAL_CAP
    if cap is not None:
        service.TOTAL_CAP = cap
    try:
        with app.test_request_context("/"):
            filters = parse_filters(args)
            page = service.search_candidacies(filters)
            matching = service.matching_candidacy_ids(filters)
            hits = [(round(h.score, 6) if h.score else None, h.candidacy.id) for h in page.hits]
            return {
                "total": page.total,
                "estimate": page.total_is_estimate,
                "or_fallback": page.or_fallback,
                "suggestion": page.suggestion,
                "message": page.message,
                "facets": None
                if page.total_is_estimate
                else {k: [(f.value, f.count) for f in v] for k, v in page.facets.items()},
                # Equal scores are ordered by id in both; rounding absorbs summation order.
                "hits": sorted(hits, key=lambda h: (-(h[0] or 0), h[1]))
                if "sort" not in args
                else hits,
                "matching": None if matching is None else sorted(matching),
            }
    finally:
        service.TOTAL_CAP = saved


def queries() -> list[dict[str, str]]:
    words = [
        "pendidikan", "didik", "berpendidikan", "nelayan", "petani", "pertanian", "guru",
        "honorer", "korupsi", "memberantas", "pemberantasan", "desa", "air", "bersih", "anak",
        "ibu", "tidak", "bersedia", "data", "koperasi", "pasar", "listrik", "hutan", "laut",
        "pemuda", "perempuan", "puskesmas", "kesehatan", "pupuk", "sawah", "wiraswasta",
        "ketua", "sekolah", "dagang", "liar", "NELAYAN", "Pendidikan",
    ]  # fmt: skip
    names = [*FIRST, *LAST, "helene", "Siti Rahayu", "budi santoso", "Nur Lubis", "Sri Wijaya"]
    found: list[dict[str, str]] = [{"q": w + " "} for w in words]  # typed in full
    found += [{"q": w} for w in words[:12]]  # the last word also as a prefix
    found += [{"q": n + " "} for n in names]
    found += [{"q": p} for p in ["pend", "nel", "peta", "rah", "sit", "san", "ko", "hid", "wij"]]
    found += [{"q": p} for p in ["siti rah", "budi s", "agus h", "dewi wi", "guru hon"]]
    pairs = [
        "air bersih", "guru honorer", "anak nelayan", "jalan desa", "pupuk murah",
        "data diri", "pasar tradisional", "petani desa", "nelayan korupsi", "hutan guru",
    ]  # fmt: skip
    found += [{"q": p + " "} for p in pairs]
    found += [{"q": f'"{p}"'} for p in pairs]
    found += [{"q": '"tidak bersedia membuka"'}, {"q": '"anak nelayan" gratis'}]
    found += [{"q": "laut puskesmas sawah "}, {"q": "zzz nelayan "}]  # any-word fallback
    misspelt = ["nelayn", "pendidkan", "rahyu", "santso", "korupsl", "petami", "hidyat"]
    found += [{"q": m + " "} for m in misspelt]
    found += [{"q": "gurru honorer "}, {"q": "xqzw "}]
    for word in ["nelayan ", "guru ", "air bersih ", "rahayu ", "desa", "pend", "anak ", "siti "]:
        found += [
            {"q": word, "district": "3304"},
            {"q": word, "party": "pkb"},
            {"q": word, "status": "flagged"},
            {"q": word, "district": "3301", "party": "gerindra"},
            {"q": word, "sort": "name"},
            {"q": word, "sort": "ballot"},
            {"q": word, "page": "2"},
        ]
    found += [{"district": "1101"}, {"party": "pkb"}, {"status": "disclosed"}, {"q": ""}]
    found += [{"district": "3304", "sort": "name"}, {"q": "   "}, {"q": "!!!"}]
    found += [{"q": h} for h in ["*", "a*", "status:draft", "' OR 1=1 --", "\\", "%", "😀"]]
    found += [{"q": "a b c d e"}, {"q": "nelayan" * 3}, {"q": "s"}, {"q": "ｎｅｌａｙａｎ "}]
    return found


def test_about_two_hundred_queries_of_every_kind() -> None:
    assert len(queries()) >= 190


@pytest.mark.slow
def test_both_backends_find_rank_and_count_alike(both: Flask) -> None:
    differences = []
    for args in queries():
        whoosh, postgres = run(both, "whoosh", args), run(both, "postgres", args)
        if whoosh != postgres:
            differences.append((args, whoosh, postgres))
    for args, whoosh, postgres in differences[:5]:
        print(args)
        for key in whoosh:
            if whoosh[key] != postgres[key]:
                print("  ", key, "whoosh:", whoosh[key], "postgres:", postgres[key])
    assert not differences, f"{len(differences)} differ, first: {differences[0][0]}"
    # The comparison is not empty on both sides: most queries find something.
    assert sum(bool(run(both, "postgres", a)["hits"]) for a in queries()[:60]) > 45


@pytest.mark.slow
def test_capped_totals_and_their_estimates_agree(both: Flask) -> None:
    for args in [{"q": "desa "}, {"q": "anak "}, {"q": "nelayan "}, {"district": "3304"}]:
        whoosh, postgres = run(both, "whoosh", args, cap=25), run(both, "postgres", args, cap=25)
        assert whoosh["estimate"] is postgres["estimate"] is True, args
        assert whoosh["total"] == postgres["total"] == 25
        assert whoosh["matching"] == postgres["matching"]
        assert "q" not in args or len(postgres["matching"]) > 25


def test_name_suggestions_agree(both: Flask) -> None:
    typed = ["si", "siti r", "rah", "budi", "nur l", "hel", "wij", "s", "xyz", "agus hid"]
    found = {}
    for text_typed in typed:
        answers = []
        for backend in ("whoosh", "postgres"):
            both.config["SEARCH_BACKEND"] = backend
            with both.test_request_context("/"):
                answers.append(service.suggest_names(text_typed))
        assert answers[0] == answers[1], text_typed
        found[text_typed] = len(answers[1])
    assert found["xyz"] == 0 and found["s"] == 0  # one letter is not a name prefix
    assert sum(bool(n) for n in found.values()) >= 6, found  # not a comparison of nothings


def test_the_postgres_rows_hold_every_public_candidacy_and_nothing_else(both: Flask) -> None:
    with both.app_context():
        rows = set(db.session.execute(text("SELECT candidacy_id FROM search_document")).scalars())
        public = set(
            db.session.execute(
                text(
                    "SELECT c.id FROM candidacy c JOIN person p ON p.id = c.person_id"
                    " WHERE NOT c.hidden AND NOT p.hidden"
                )
            ).scalars()
        )
        db.session.remove()
    assert rows == public
    assert len(public) == CORPUS - len(range(0, CORPUS, 17))
