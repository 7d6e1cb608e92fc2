"""Bahasa Indonesia by default, English on request and remembered; no untranslated string."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "transparency/translations/id/LC_MESSAGES/messages.po"
# The same map `make messages` extracts with, so the two cannot drift apart.
METHODS = [
    (pattern.strip(), method.strip())
    for method, pattern in re.findall(
        r"^\[(\w+):([^\]]+)\]", (ROOT / "babel.cfg").read_text(), re.M
    )
]


def source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map=METHODS,
        keywords={"_": None, "_l": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None},
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_kind_of_template_is_extracted():
    kinds = {path.suffix for path in (ROOT / "templates").rglob("*") if path.is_file()}
    extracted = {
        pattern.rsplit("*", 1)[-1]
        for pattern, _method in METHODS
        if pattern.startswith("templates/")
    }
    assert sorted(kinds - extracted) == [], "add these template kinds to babel.cfg"


def test_every_string_has_an_indonesian_translation():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id
        and m.string
        and "fuzzy" not in m.flags
        and (isinstance(m.string, str) or all(m.string))
    }
    missing = sorted(source_messages() - translated)
    assert missing == [], "run `make messages` and translate these in messages.po"


def test_indonesian_is_the_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="id">' in page
    assert "Cari calon" in page


def test_english_on_request_then_remembered(client):
    response = client.get("/?lang=en")
    assert '<html lang="en">' in response.get_data(as_text=True)
    assert "lang=en" in response.headers["Set-Cookie"]
    again = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in again
    assert "Search candidates" in again
    back = client.get("/?lang=id").get_data(as_text=True)
    assert '<html lang="id">' in back


def test_unknown_language_falls_back_to_indonesian(client):
    response = client.get("/?lang=xx")
    assert '<html lang="id">' in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers or "lang=" not in response.headers["Set-Cookie"]
