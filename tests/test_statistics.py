"""/statistics: rates that agree with a direct count, SVG charts that parse, the headline."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from tests.factories import Factory
from transparency.disclosure import stats
from transparency.extensions import db
from transparency.revisions import provenance

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def dataset(make: Factory) -> None:
    cases = [
        ("3304", 1, "refused"),
        ("3304", 1, "published"),
        ("3304", 2, "partial"),
        ("3304", 2, None),
        ("1101", 1, "refused"),
        ("1101", 2, "not_found"),
        ("1101", 2, "published"),
        ("1101", 3, "not_applicable"),
        ("1101", 3, "requested"),  # its window ended on 17 January 2024: no response
        ("1101", 3, "requested-open"),  # its window ends in 2999: still requested
    ]
    for number, (district, party, cv) in enumerate(cases):
        status = "requested" if cv == "requested-open" else cv
        disclosure = {"criminal_record": "published"} | ({"cv": status} if status else {})
        candidacy = make.candidacy(
            f"Calon {number}", district=district, party_number=party, disclosure=disclosure
        )
        if status == "requested":
            respond_by = "2999-12-31" if cv == "requested-open" else "2024-01-17"
            db.session.execute(
                text("UPDATE disclosure_item SET respond_by = :day WHERE candidacy_id = :id"),
                {"day": respond_by, "id": candidacy.id},
            )
            db.session.commit()
    # Three refusals that are not public: no figure may count them.
    refused = {"criminal_record": "published", "cv": "refused"}
    make.hide(make.candidacy("Calon Disembunyikan", party_number=1, disclosure=refused))
    make.hide(make.candidacy("Orang Disembunyikan", party_number=1, disclosure=refused).person)
    make.update(
        make.candidacy("Calon Mundur", party_number=1, disclosure=refused), stage="withdrawn"
    )


def direct_counts(by: str) -> dict[tuple[str, str], int]:
    """The same figures straight from SQL, written independently of the stats module."""
    key = {"party": "p.slug", "province": "r.code"}[by]
    rows = db.session.execute(
        text(
            f"""
            SELECT {key}, CASE WHEN di.status = 'requested' AND di.respond_by < :today
                                    THEN 'no_response'
                               WHEN di.status IN ('published', 'partial', 'refused', 'not_found',
                                                  'requested')
                                    THEN di.status ELSE 'not_checked' END, COUNT(*)
            FROM candidacy c
            JOIN district d ON d.id = c.district_id
            JOIN region r ON r.id = d.province_id
            JOIN person pe ON pe.id = c.person_id
            LEFT JOIN party p ON p.id = c.party_id
            LEFT JOIN disclosure_item di ON di.candidacy_id = c.id AND di.requirement = 'cv'
            WHERE c.hidden = false AND pe.hidden = false AND c.stage IN ('DCS', 'DCT', 'elected')
              AND (di.status IS NULL OR di.status != 'not_applicable')
            GROUP BY 1, 2
            """  # noqa: S608 - the key is one of two literals above
        ),
        {"today": date.today()},
    )
    return {(row[0], row[1]): row[2] for row in rows}


@pytest.mark.parametrize("dimension", ["party", "province"])
def test_statistics_agree_with_a_direct_count(dataset: None, dimension: str) -> None:
    computed = stats.compute(db.session, "cv")
    mine = {
        (group.key, bucket): count
        for group in computed.breakdowns[dimension]
        for bucket, count in group.counts.items()
        if count
    }
    assert mine == direct_counts(dimension)
    assert computed.overall.total == 9  # the not-applicable one is left out
    assert computed.overall.checked == 8  # one CV nobody checked
    assert computed.overall.counts["refused"] == 2
    assert computed.overall.counts["no_response"] == 1
    assert computed.overall.counts["requested"] == 1
    assert computed.overall.counts["not_checked"] == 1


def test_groups_are_ranked_by_refusal_rate(dataset: None) -> None:
    """Jawa Tengah (33): 1 refusal of 3 checked (and one not checked); Aceh (11): 1 of 5
    checked. Jawa Tengah comes first: shares are over the checked items."""
    provinces = stats.compute(db.session, "cv").breakdowns["province"]
    assert [(group.key, group.counts["refused"], group.checked) for group in provinces] == [
        ("33", 1, 3),
        ("11", 1, 5),
    ]


def test_charts_are_well_formed_svg_with_titles_and_labelled_bars(
    client: FlaskClient, dataset: None
) -> None:
    html = client.get("/statistics?lang=en").get_data(as_text=True)
    charts = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(charts) == 4
    for chart in charts:
        root = ET.fromstring(chart)  # noqa: S314 - our own page, parsed to check it
        assert root.find(f"{SVG}title").text.strip()
        rows = root.findall(f"{SVG}g[@class='chart-row']")
        assert rows
        for row in rows:
            label = row.find(f"{SVG}text").text
            assert "Refused" in label and "%" in label
            for bar in row.findall(f"{SVG}rect"):
                assert bar.find(f"{SVG}title").text.strip()
    assert "<table" in html and "<caption>" in html


def test_statistics_page_follows_changes(client: FlaskClient, make: Factory) -> None:
    candidacy = make.candidacy(disclosure={"cv": "published", "criminal_record": "published"})
    first = client.get("/statistics?lang=en").get_data(as_text=True)
    assert "0 of 1 listed candidates whose item was checked refused" in first
    with provenance(db.session, origin="test"):
        cv = next(item for item in candidacy.disclosure_items if item.requirement == "cv")
        cv.status = "refused"
        db.session.flush()
    db.session.commit()
    second = client.get("/statistics?lang=en").get_data(as_text=True)
    assert "1 of 1 listed candidates whose item was checked refused" in second


def test_statistics_refuses_an_unknown_item(client: FlaskClient) -> None:
    response = client.get("/statistics?item=horoscope")
    assert response.status_code == 400
    assert client.get("/statistics?election=no-such").status_code == 400


def test_headline_counts_cv_refusals(app: Flask, dataset: None) -> None:
    figure = stats.headline(db.session)
    assert (figure.total, figure.refused, figure.checked) == (9, 2, 8)
    assert (figure.not_found, figure.no_response, figure.not_checked) == (1, 1, 1)
    assert figure.refused_share == pytest.approx(2 / 8)


@pytest.mark.parametrize("chart", ["office", "party", "province", "district"])
def test_each_chart_is_a_standalone_svg_with_title_date_source_and_licence(
    client: FlaskClient, dataset: None, chart: str
) -> None:
    response = client.get(f"/statistics/{chart}.svg?item=cv&election=pemilu-2024")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    root = ET.fromstring(response.get_data())  # noqa: S314 - our own chart, parsed to check it
    assert root.tag == f"{SVG}svg" and root.get("lang") == "id"
    texts = [node.text or "" for node in root.iter(f"{SVG}text")]
    assert root.find(f"{SVG}title").text.startswith("Daftar riwayat hidup — Menurut ")
    assert any(text.startswith("Pemilu") and "Per " in text for text in texts), texts
    assert (
        f"Sumber: Jejak Terbuka, http://localhost/statistics?item=cv&election=pemilu-2024#h-{chart}"
        in texts
    )
    assert "Lisensi: CC BY 4.0, https://creativecommons.org/licenses/by/4.0/" in texts
    rows = root.findall(f"{SVG}g[@class='chart-row']")
    assert rows and all(bar.get("fill") for row in rows for bar in row.iter(f"{SVG}rect"))
    again = client.get(
        f"/statistics/{chart}.svg?item=cv&election=pemilu-2024",
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304


def test_the_svg_chart_in_english(client: FlaskClient, dataset: None) -> None:
    root = ET.fromstring(client.get("/statistics/party.svg?lang=en").get_data())  # noqa: S314
    assert root.find(f"{SVG}title").text == "CV — By party"
    texts = [node.text or "" for node in root.iter(f"{SVG}text")]
    assert "Licence: CC BY 4.0, https://creativecommons.org/licenses/by/4.0/" in texts
    assert any(text.startswith("Refused ") for text in texts)


def test_svg_chart_refuses_unknown_charts_and_items(client: FlaskClient) -> None:
    assert client.get("/statistics/nope.svg").status_code == 404
    assert client.get("/statistics/party.svg?item=nope").status_code == 400
    assert client.get("/statistics/party.svg?election=nope").status_code == 400


def test_the_page_links_each_chart_with_its_filters_and_the_snippet_to_embed_it(
    client: FlaskClient, dataset: None
) -> None:
    html = client.get("/statistics?item=lhkpn&election=pemilu-2024").get_data(as_text=True)
    for chart in ("office", "party", "province", "district"):
        svg = f"http://localhost/statistics/{chart}.svg?item=lhkpn&amp;election=pemilu-2024&amp;lang=id"
        assert f'href="{svg}"' in html
        assert f'href="/statistics?item=lhkpn&amp;election=pemilu-2024#h-{chart}"' in html
        # the snippet is shown as text, ready to copy
        assert f"&lt;img src=&#34;{svg.replace('&amp;', '&amp;amp;')}&#34;" in html


def test_home_and_statistics_give_the_same_share_over_the_checked_cvs(
    client: FlaskClient, make: Factory
) -> None:
    for number, cv in enumerate(("refused", "published", "published", None)):
        disclosure = {"criminal_record": "published"} | ({"cv": cv} if cv else {})
        make.candidacy(f"Calon {number}", disclosure=disclosure)
    home = client.get("/?lang=id").get_data(as_text=True)
    page = client.get("/statistics?lang=id").get_data(as_text=True)
    # 1 refusal of the 3 checked CVs; the fourth, not checked, is counted beside them
    assert "33,3%" in home and "33,3%" in page
    assert "25,0%" not in home and "25,0%" not in page
    assert "(persentase di atas dari 3 yang sudah diperiksa)" in home
    assert "1 belum diperiksa" in page
