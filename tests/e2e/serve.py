"""A real server for the browser tests: a fresh SQLite database with reference data and a few
fictional candidates, served by werkzeug on a free loopback port.

Run as `python -m tests.e2e.serve DIRECTORY`; prints `READY <port> <json of seeded ids>` on
stdout once it accepts connections, and serves until terminated.
"""

from __future__ import annotations

import json
import secrets
import sys
from datetime import date
from pathlib import Path

from werkzeug.serving import make_server

from tests.factories import Factory
from transparency import create_app
from transparency.contributors import set_display_name
from transparency.derived import refresh_after_bulk
from transparency.extensions import db
from transparency.models import Candidacy, User
from transparency.models.contrib import Submission, SubmissionKind, SubmissionStatus
from transparency.reference import load_reference_data
from transparency.revisions import provenance
from transparency.search import sync
from transparency.search.store import index_root


def seed(make: Factory) -> dict[str, int]:
    fictional = {"is_fictional": True}
    ani = make.candidacy(
        "Ani Lestari",
        party_number=1,
        ballot_number=1,
        disclosure={"cv": "published", "criminal_record": "published", "programme": "published"},
        programme=["Air bersih untuk setiap desa di lereng Lawu."],
        track_record=[
            {"kind": "education", "title": "S1 Teknik Sipil", "organisation": "UNS"},
            {"kind": "career", "title": "Kepala Desa", "start_year": 2013, "end_year": 2019},
        ],
        education="S1",
        occupation="Insinyur",
        **fictional,
    )
    budi = make.candidacy(
        "Budi Santoso",
        party_number=2,
        ballot_number=1,
        gender="L",
        disclosure={"cv": "refused", "criminal_record": "published"},
        programme=["Air irigasi untuk sawah tadah hujan."],
        **fictional,
    )
    citra = make.candidacy(
        "Citra Dewi",
        party_number=3,
        ballot_number=2,
        disclosure={"cv": "published", "criminal_record": "published"},
        track_record=[
            {
                "kind": "legal_case",
                "title": "Sengketa lahan pasar",
                "legal_status": "acquitted",
                "court_reference": "Putusan PN Karanganyar (fiktif)",
            }
        ],
        **fictional,
    )
    # An incumbent (a public office still held) whose LHKPN nobody has checked: a volunteer's
    # task (/contribute/tasks), not a flag (the rule has no deadline).
    dedi = make.candidacy(
        "Dedi Kurniawan",
        district="3305",
        party_number=1,
        track_record=[{"kind": "public_office", "title": "Anggota DPRD", "start_year": 2019}],
        **fictional,
    )
    # Nothing checked yet: the disclosure-request journey asks for her CV.
    eka = make.candidacy(
        "Eka Permatasari", district="3301", party_number=4, disclosure={}, **fictional
    )
    # A fuller list and a regency ballot: 50 fictional names, five parties of ten, KARANGANYAR 5.
    for number in range(50):
        make.candidacy(
            f"Calon Fiktif {number + 1}",
            office="DPRD_KABKOTA",
            district="331305",
            party_number=1 + number % 5,
            ballot_number=1 + number // 5,
            gender="P" if number % 3 == 0 else "L",
            disclosure={
                "cv": ("published", "refused", "partial")[number % 3],
                "criminal_record": "published",
            },
            **fictional,
        )
    make.reply(
        budi,
        "Data diri akan kami serahkan setelah verifikasi partai.",
        replied_on=date(2023, 12, 1),
    )
    # Accounts for the contribution journey; they log in with tests.auth_helpers.DEFAULT_PASSWORD.
    volunteer = make.user("relawan@contoh.example", role="volunteer", name="Relawan Uji")
    reviewer = make.user("peninjau@contoh.example", role="reviewer", name="Peninjau Uji")
    # An admin without a second factor yet: the browser test walks its set-up.
    admin = make.user("admin@contoh.example", role="admin", name="Admin Uji", two_factor=False)
    # The volunteer has sent something already, so "My submissions" is a table on every run
    # (whatever other browser tests sent first), with a reviewer's reason of some length.
    make.session.add(
        Submission(
            kind=SubmissionKind.PROGRAMME,
            status=SubmissionStatus.REJECTED,
            submitter_id=volunteer.id,
            candidacy_id=dedi.id,
            payload={"kind": "programme", "text": "Jalan desa beraspal."},
            sources=[{"url": "https://contoh.example/program-dedi", "title": "Program"}],
            reviewer_id=reviewer.id,
            review_reason="Sumber tidak menyebut program ini; kirim tautan ke dokumen partai.",
        )
    )
    make.session.commit()
    reviewed_change(make, budi, volunteer, reviewer)
    return {
        "ani": ani.id,
        "budi": budi.id,
        "citra": citra.id,
        "dedi": dedi.id,
        "eka": eka.id,
        "volunteer": volunteer.id,
        "reviewer": reviewer.id,
        "admin": admin.id,
    }


def reviewed_change(make: Factory, candidacy: Candidacy, volunteer: User, reviewer: User) -> None:
    """A reviewed change in the candidate's history: contributors by public name, long words
    and a long web address for a phone's screen to wrap without cutting a word."""
    set_display_name(make.session, volunteer, "Pelita Desa Karanganyar")
    source = make.source(
        "https://kpu.example/dokumen/daftar-calon-tetap/dpr-ri/jawa-tengah-iv/partai-nomor-2/"
        "budi-santoso-daftar-riwayat-hidup-dan-surat-pernyataan-kesediaan.pdf",
        title="",
    )
    with provenance(
        make.session,
        origin="review",
        proposed_by_id=volunteer.id,
        approved_by_id=reviewer.id,
        source_id=source.id,
        reason="Sesuai dokumen pencalonan yang dipublikasikan",
    ):
        person = candidacy.person
        person.domicile = "Kecamatan Karanganyar, Kabupaten Karanganyar, Jawa Tengah"
        person.education = "Sarjana Pendidikan Pancasila dan Kewarganegaraan"
        person.source = source
        make.session.flush()
    make.session.commit()


def prepare(directory: Path) -> tuple[object, dict[str, int]]:
    app = create_app(
        {
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": f"sqlite:///{directory / 'e2e.db'}",
            "SEARCH_INDEX_DIR": str(directory / "search-index"),
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        load_reference_data(db.session)
        db.session.commit()
        ids = seed(Factory(db.session))
        # Search documents follow through the real search module (flags are set on write).
        refresh_after_bulk(db.session)
        db.session.commit()
        # As `make run` does with `flask search sync`: the index is current before the first
        # request, not whenever the drainer thread first runs.
        sync.ensure_built(db.session, index_root())
        sync.drain(db.session, index_root(), wait=True)
        db.session.commit()
    return app, ids


def main() -> None:
    directory = Path(sys.argv[1])
    app, ids = prepare(directory)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print("READY", server.server_port, json.dumps(ids), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
