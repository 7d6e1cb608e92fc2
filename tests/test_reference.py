"""Reference data of 2024: parties, provinces, districts and seats."""

from sqlalchemy import func, select

from transparency.extensions import db
from transparency.models import District, Office, Party, Region


def test_parties_provinces_and_districts(app):
    with app.app_context():
        parties = db.session.scalars(select(Party).order_by(Party.number)).all()
        assert [p.number for p in parties] == list(range(1, 25))
        aceh_local = [p.short_name for p in parties if p.region is not None]
        assert len(aceh_local) == 6
        assert all(p.region.code == "11" for p in parties if p.region is not None)
        papua = db.session.scalars(select(Region.code).where(Region.name.like("Papua%"))).all()
        assert sorted(papua) == ["91", "92", "93", "94", "95", "96"]
        dpr_seats = db.session.scalar(
            select(func.sum(District.seats)).join(District.office).where(Office.code == "DPR")
        )
        assert dpr_seats == 580
        jateng_iv = db.session.scalars(select(District).where(District.code == "3304")).one()
        assert jateng_iv.name == "JAWA TENGAH IV"
        assert jateng_iv.province.name == "Jawa Tengah"


def _district_of(office: str, region_code: str) -> list[str]:
    """The codes of the districts of `office` that hold the region, by SQL written here."""
    rows = db.session.execute(
        db.text(
            "SELECT d.code FROM district_area a JOIN district d ON d.id = a.district_id"
            " JOIN office o ON o.id = d.office_id JOIN region r ON r.id = a.region_id"
            " WHERE o.code = :office AND r.code = :region ORDER BY d.code"
        ),
        {"office": office, "region": region_code},
    )
    return [code for (code,) in rows]


def test_every_district_of_the_four_levels_with_its_seats(places_app):
    with places_app.app_context():
        totals = dict(
            db.session.execute(
                db.text(
                    "SELECT o.code, count(*) FROM district d JOIN office o ON o.id = d.office_id"
                    " GROUP BY o.code"
                )
            ).all()
        )
        assert totals == {"DPR": 84, "DPD": 38, "DPRD_PROVINSI": 301, "DPRD_KABKOTA": 2325}
        seats = dict(
            db.session.execute(
                db.text(
                    "SELECT o.code, sum(d.seats) FROM district d JOIN office o"
                    " ON o.id = d.office_id GROUP BY o.code"
                )
            ).all()
        )
        # 580 + 152 + 2,372 seats; Aceh's 100 kab/kota districts have no seat count.
        assert (seats["DPR"], seats["DPD"], seats["DPRD_PROVINSI"]) == (580, 152, 2372)
        assert seats["DPRD_KABKOTA"] == 16845
        aceh_unknown = db.session.scalar(
            db.text(
                "SELECT count(*) FROM district d JOIN office o ON o.id = d.office_id"
                " WHERE o.code = 'DPRD_KABKOTA' AND d.seats IS NULL"
            )
        )
        assert aceh_unknown == 100
        jateng_6 = db.session.scalars(select(District).where(District.code == "330006")).one()
        assert (jateng_6.name, jateng_6.seats, jateng_6.province.code) == (
            "JAWA TENGAH 6",
            10,
            "33",
        )
        karanganyar_5 = db.session.scalars(select(District).where(District.code == "331305")).one()
        assert karanganyar_5.region.name == "Kabupaten Karanganyar"


def test_places_and_the_districts_that_hold_them(places_app):
    with places_app.app_context():
        levels = dict(
            db.session.execute(db.text("SELECT level, count(*) FROM region GROUP BY level")).all()
        )
        assert levels == {
            "province": 38,
            "regency": 514,
            "kecamatan": 7270,
            "desa": 315,
            "abroad": 1,
        }
        assert _district_of("DPR", "3313") == ["3304"]
        assert _district_of("DPRD_PROVINSI", "3313") == ["330006"]
        assert _district_of("DPRD_KABKOTA", "331311") == ["331305"]  # Jaten
        assert _district_of("DPD", "33") == ["33"]
        assert _district_of("DPR", "LN") == ["3102"]  # voters abroad: DKI JAKARTA II
        # Sleman is split between DPRD provinsi districts: its kecamatan carry them.
        assert _district_of("DPRD_PROVINSI", "3404") == []
        split = db.session.scalar(
            db.text(
                "SELECT count(DISTINCT d.code) FROM district_area a"
                " JOIN district d ON d.id = a.district_id JOIN region r ON r.id = a.region_id"
                " WHERE r.code LIKE '3404%' AND length(r.code) = 6"
                " AND d.office_id = (SELECT id FROM office WHERE code = 'DPRD_PROVINSI')"
            )
        )
        assert split >= 2
        renamed = db.session.scalars(select(Region).where(Region.code == "621105")).one()
        assert (renamed.name, renamed.other_name) == ("Kahayan Hilir", "Pulang Pisau")
        newer = db.session.scalars(select(Region).where(Region.code == "720124")).one()
        assert newer.name == "Toili Jaya"
        assert _district_of("DPRD_KABKOTA", "720124") == []


def test_loading_again_changes_nothing(places_app):
    from transparency.reference import load_reference_data

    with places_app.app_context():

        def counts() -> tuple:
            return tuple(
                db.session.scalar(db.text(f"SELECT count(*) FROM {table}"))  # noqa: S608
                for table in ("region", "district", "district_area", "revision")
            )

        before = counts()
        load_reference_data(db.session)
        db.session.commit()
        assert counts() == before
