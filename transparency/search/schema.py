"""The Whoosh schema: one document per public candidacy.

Text is indexed without positions (phrases are answered by the `pairs` field of stem
pairs, one term lookup instead of position checks). Restriction and facet fields are
plain ID terms, so filters are AND terms and facet counts read a column per document.
"""

from __future__ import annotations

from whoosh import columns
from whoosh.fields import COLUMN, ID, STORED, TEXT, Schema

from transparency.search.analysis import (
    name_analyzer,
    name_prefix_analyzer,
    pair_analyzer,
    text_analyzer,
)

# Facet and filter fields, in the order the pages show them.
FACET_FIELDS = ("election", "office", "party", "province", "district", "status")


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        name=TEXT(analyzer=name_analyzer(), stored=True, phrase=False, field_boost=2.0),
        # Edge n-grams of the folded name words: "rah" finds "Rahayu" with one term lookup.
        name_prefix=TEXT(analyzer=name_prefix_analyzer(), phrase=False),
        text=TEXT(analyzer=text_analyzer(), phrase=False),
        pairs=TEXT(analyzer=pair_analyzer(), phrase=False),
        election=ID(sortable=True),
        office=ID(sortable=True),
        party=ID(sortable=True),
        province=ID(sortable=True),
        district=ID(sortable=True),
        status=ID(sortable=True),
        sort_name=COLUMN(columns.VarBytesColumn()),
        sort_ballot=COLUMN(columns.VarBytesColumn()),
        # Fingerprint of the indexed content: `search check` finds stale documents with it.
        digest=STORED(),
    )
