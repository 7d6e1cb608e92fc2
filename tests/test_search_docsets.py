"""Counting by set operations finds exactly the documents Whoosh's own matchers find."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from whoosh.scoring import TF_IDF

from tests.test_search_api import synthetic_documents
from transparency.listing import parse_filters
from transparency.search import docsets, search_candidacies
from transparency.search.docsets import matching_docs, top_scored
from transparency.search.query import build_query, parse_user_text
from transparency.search.schema import FACET_FIELDS
from transparency.search.store import build_index, open_index

QUERIES = [
    "nelayan",
    "guru honorer",
    "siti ra",
    "siti rahayu",
    "air bersih ",
    '"air bersih"',
    '"air bersih" nelayan',
    "pupuk petani irigasi",
    "zzzz",
    "rah",
    "a",
    "dewi santoso ",
    "joko lubis ",
    "sri ",
    "yusuf pratama nelayan ",
    "rahmat kusuma",
    "nur siregar guru ",
    "wahyu ",
    "pem",  # a text prefix: pemberantasan, pemuda
    "guru pe",
    "nelayan kor",
    "sri ko",
]
FILTERS = [{}, {"party": "gerindra"}, {"office": "DPR", "status": "flagged"}, {"party": "nope"}]


def segmented_index(root: Path) -> None:
    """Two segments, the first with deleted documents."""
    documents = list(synthetic_documents(3_000))
    build_index(root, documents[:2_000])
    ix = open_index(root)
    rng = random.Random(5)
    with ix.writer() as writer:  # a second segment, and deleted documents in the first
        for doc in documents[2_000:]:
            writer.add_document(**doc)
        for doc in rng.sample(documents[:2_000], 300):
            writer.delete_by_term("id", doc["id"])
    ix.close()


def test_set_counting_agrees_with_whoosh_matchers_with_deletions_and_segments(
    tmp_path: Path,
) -> None:
    segmented_index(tmp_path)
    ix = open_index(tmp_path)
    with ix.searcher() as searcher:
        leaves = searcher.leaf_searchers()
        assert len(leaves) > 1 and searcher.reader().has_deletions()
        compared = 0
        for text in QUERIES:
            user = parse_user_text(text)
            for restrictions in FILTERS:
                for any_word in (False, True):
                    query = build_query(user, restrictions, any_word=any_word)
                    if query is None:
                        continue
                    for leaf, _offset in leaves:
                        matcher = query.matcher(leaf, leaf.boolean_context())
                        expected = set(matcher.all_ids()) if matcher.is_active() else set()
                        assert matching_docs(query, leaf) == expected, (text, restrictions)
                        compared += bool(expected)
        assert compared > 30  # most combinations match something: not a test of empty sets
    ix.close()


def test_ranking_agrees_with_whoosh_scores_and_order(tmp_path: Path) -> None:
    segmented_index(tmp_path)
    ix = open_index(tmp_path)
    with ix.searcher(weighting=TF_IDF()) as searcher:
        ranked = 0
        for text in QUERIES:
            for restrictions in FILTERS:
                for any_word in (False, True):
                    query = build_query(parse_user_text(text), restrictions, any_word=any_word)
                    if query is None:
                        continue
                    ours = top_scored(searcher, query, 60)
                    assert ours is not None, text
                    # Every match scored (limit=None): with a limit, Whoosh prunes by block
                    # quality and can miss a better match under an OR of ANDed filters.
                    theirs = searcher.search(query, limit=None, terms=False).top_n[:60]
                    assert [d for _s, d in ours] == [d for _s, d in theirs], text
                    assert [s for s, _d in ours] == pytest.approx([s for s, _d in theirs])
                    ranked += bool(theirs)
        assert ranked > 10
    ix.close()


@pytest.fixture
def app_config(app_config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    (tmp_path / "index").mkdir()
    segmented_index(tmp_path / "index")
    return {**app_config, "SEARCH_INDEX_DIR": str(tmp_path / "index"), "SEARCH_BACKEND": "whoosh"}


def whoosh_answer(root: Path, text: str, restrictions: dict[str, str]) -> tuple:
    """Total, any-word fallback and facet counts as Whoosh's own matchers find them
    (every match, no set arithmetic of ours), facet values read from the documents."""
    documents = {doc["id"]: doc for doc in synthetic_documents(3_000)}
    user = parse_user_text(text)
    ix = open_index(root)
    try:
        with ix.searcher() as searcher:

            def matches(query: Any) -> list[str]:
                if query is None:
                    return []
                hits = searcher.search(query, limit=None, terms=False)
                return [searcher.stored_fields(docnum)["id"] for _s, docnum in hits.top_n]

            def known(stemmed: str) -> bool:
                return ("text", stemmed) in searcher.reader()

            found = matches(build_query(user, restrictions, known=known))
            fallback = False
            if not found and len(user.words) + len(user.phrases) > 1:
                found = matches(build_query(user, restrictions, any_word=True, known=known))
                fallback = bool(found)
    finally:
        ix.close()
    facets = {
        name: Counter(documents[cid][name] for cid in found if documents[cid][name])
        for name in FACET_FIELDS
    }
    return len(found), fallback, facets


def test_both_ways_count_what_whoosh_finds(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sets for short posting lists, Whoosh's matchers for long ones: both give the totals
    and facets that Whoosh's own search finds (rankings are compared above)."""
    root = Path(app.config["SEARCH_INDEX_DIR"])

    def page(text: str, limit: int, **restrictions: str) -> tuple:
        monkeypatch.setattr(docsets, "SET_POSTINGS_LIMIT", limit)
        with app.test_request_context("/"):
            result = search_candidacies(parse_filters({"q": text, **restrictions}))
        facets = {name: {f.value: f.count for f in found} for name, found in result.facets.items()}
        return result.total, result.or_fallback, facets

    compared = 0
    for text in QUERIES:
        for restrictions in FILTERS[:3]:
            total, fallback, expected_facets = whoosh_answer(root, text, restrictions)
            for limit in (10**9, 0):
                got_total, got_fallback, facets = page(text, limit, **restrictions)
                assert (got_total, got_fallback) == (total, fallback), (text, limit)
                for name, counts in facets.items():
                    shown = min(len(expected_facets[name]), 30)
                    assert len(counts) == shown, (text, name)
                    assert all(expected_facets[name][v] == n for v, n in counts.items()), text
            compared += total > 0
    assert compared > 20
