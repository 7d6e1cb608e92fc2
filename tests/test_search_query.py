"""The query builder is a pure function: user text -> Whoosh query, nothing else reaches it."""

from __future__ import annotations

import pytest
from whoosh import query as wq

from transparency.search.analysis import stem
from transparency.search.query import (
    MAX_QUERY_LENGTH,
    LimitedPrefix,
    QueryTooLong,
    build_query,
    parse_user_text,
)


def terms(query: wq.Query) -> set[tuple[str, str]]:
    return {(field, text) for field, text in query.iter_all_terms()}


def fields(query: wq.Query) -> set[str]:
    found = set()
    for q in query.leaves():
        found.add(q.field())
    return found


def test_words_and_phrases_are_all_the_syntax_there_is() -> None:
    user = parse_user_text('guru "tidak bersedia" honorer')
    assert user.words == ("guru", "honorer")
    assert user.phrases == (("tidak", "bersedia"),)


@pytest.mark.parametrize(
    "text", ["status:draft", "name:x^100", "body:[a TO z]", "*", "?*", "a*", "nelayan~2"]
)
def test_field_range_boost_wildcard_and_fuzzy_syntax_is_just_text(text: str) -> None:
    user = parse_user_text(text)
    query = build_query(user)
    if query is None:
        assert user.empty
        return
    # Only our text fields are ever queried from user input, never status/party/...
    assert fields(query) <= {"text", "name", "name_prefix"}
    assert not any(isinstance(q, wq.Wildcard | wq.TermRange | wq.FuzzyTerm) for q in query.leaves())


def test_every_word_must_match_unless_or_is_asked_for() -> None:
    user = parse_user_text("guru nelayan ")
    assert isinstance(build_query(user), wq.And)
    assert isinstance(build_query(user, any_word=True), wq.Or)


def test_the_last_word_is_also_a_prefix_while_typing() -> None:
    typing = build_query(parse_user_text("guru nela"))
    assert ("name_prefix", "nela") in terms(typing)
    assert any(isinstance(q, LimitedPrefix) and q.text == "nela" for q in typing.leaves())
    finished = build_query(parse_user_text("guru nela "))
    assert not any(isinstance(q, LimitedPrefix) for q in finished.leaves())


def test_a_known_word_is_not_expanded_as_a_prefix() -> None:
    query = build_query(parse_user_text("nelayan"), known=lambda s: s == stem("nelayan"))
    assert not any(isinstance(q, LimitedPrefix) for q in query.leaves())


def test_a_phrase_is_a_lookup_of_stem_pairs() -> None:
    query = build_query(parse_user_text('"pemberantasan korupsi desa"'))
    assert terms(query) == {
        ("pairs", f"{stem('pemberantasan')}_korupsi"),
        ("pairs", "korupsi_desa"),
    }


def test_unbalanced_quotes_fall_back_to_words() -> None:
    user = parse_user_text('"guru honorer')
    assert user.phrases == ()
    assert user.words == ("guru", "honorer")


def test_restrictions_are_and_terms() -> None:
    query = build_query(parse_user_text("guru "), {"party": "pkb", "district": "3304"})
    assert isinstance(query, wq.And)
    assert ("party", "pkb") in terms(query)
    assert ("district", "3304") in terms(query)


def test_restrictions_without_text_are_a_query_and_nothing_is_none() -> None:
    assert terms(build_query(parse_user_text(""), {"party": "pkb"})) == {("party", "pkb")}
    assert build_query(parse_user_text("  !!! ")) is None


def test_long_text_is_refused_with_a_message() -> None:
    parse_user_text("a" * MAX_QUERY_LENGTH)
    with pytest.raises(QueryTooLong, match="200"):
        parse_user_text("a" * (MAX_QUERY_LENGTH + 1))


def test_a_pasted_paragraph_is_cut_to_a_bounded_query() -> None:
    query = build_query(parse_user_text(" ".join(f"k{i}" for i in range(45))))
    assert len(query.subqueries) <= 16
