"""Counting by set operations finds exactly the documents Whoosh's own matchers find."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh.scoring import TF_IDF

from tests.test_search_api import synthetic_documents
from transparency.search.docsets import matching_docs, top_scored
from transparency.search.query import build_query, parse_user_text
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
                query = build_query(parse_user_text(text), restrictions)
                if query is None:
                    continue
                ours = top_scored(searcher, query, 60)
                assert ours is not None, text
                theirs = searcher.search(query, limit=60, terms=False).top_n
                assert [docnum for _score, docnum in ours] == [d for _s, d in theirs], text
                assert [score for score, _docnum in ours] == pytest.approx(
                    [score for score, _docnum in theirs]
                )
                ranked += bool(theirs)
        assert ranked > 10
    ix.close()
