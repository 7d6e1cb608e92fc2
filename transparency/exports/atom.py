"""An Atom 1.0 document (RFC 4287) from plain entries. Pure: no app, no database.

Built with ElementTree so every text is escaped; characters XML 1.0 cannot carry (NUL and
other control characters) become U+FFFD, so the feed is always well-formed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def rfc3339(moment: datetime) -> str:
    return moment.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    link: str
    updated: datetime
    summary: str
    categories: tuple[str, ...] = ()


def feed_document(
    *,
    feed_id: str,
    title: str,
    self_url: str,
    alternate_url: str,
    updated: datetime,
    author: str,
    entries: Sequence[Entry],
) -> bytes:
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        child = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            child.text = xml_text(text)
        return child

    add(root, "id", feed_id)
    add(root, "title", title)
    add(root, "updated", rfc3339(updated))
    add(root, "link", rel="self", href=xml_text(self_url), type="application/atom+xml")
    add(root, "link", rel="alternate", href=xml_text(alternate_url), type="text/html")
    add(add(root, "author"), "name", author)
    for entry in entries:
        node = add(root, "entry")
        add(node, "id", entry.id)
        add(node, "title", entry.title)
        add(node, "updated", rfc3339(entry.updated))
        add(node, "link", rel="alternate", href=xml_text(entry.link), type="text/html")
        add(node, "summary", entry.summary, type="text")
        for category in entry.categories:
            add(node, "category", term=xml_text(category))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
