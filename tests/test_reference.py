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
