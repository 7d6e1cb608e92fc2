"""Ruleset documents: the shipped default is valid, a bad file is refused whole, by name."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from transparency.disclosure.rules import (
    RulesetError,
    default_document,
    parse_ruleset,
    read_document,
)


def test_default_ruleset_covers_the_2024_requirements() -> None:
    ruleset = parse_ruleset(default_document())
    items = {rule.item for rule in ruleset.rules}
    assert {"cv", "programme", "criminal_record", "ex_convict_announcement", "lhkpn"} <= items
    assert {"photo", "identity"} <= items
    assert ruleset.rule("R-CV").required


def broken(mutate: Any) -> dict[str, Any]:
    document = copy.deepcopy(default_document())
    mutate(document)
    return document


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["rules"][0].update(item="horoscope"), "rule R-CV, field item"),
        (lambda d: d["rules"][1].update(id="R-CV"), "rule R-CV, field id: duplicate"),
        (lambda d: d["rules"][2].update(weight=150), "rule R-CRIMINAL, field weight"),
        (lambda d: d["rules"][2].update(weight=0), "rule R-CRIMINAL, field weight"),
        (lambda d: d["rules"][0].update(deadline="4 Nov 2023"), "rule R-CV, field deadline"),
        (lambda d: d["rules"][0].update(deadline="2023-02-30"), "rule R-CV, field deadline"),
        (lambda d: d["rules"][0].update(offices=["DPR", "SENAT"]), "rule R-CV, field offices"),
        (lambda d: d["rules"][0].update(required="yes"), "rule R-CV, field required"),
        (lambda d: d["rules"][0].pop("title"), "rule R-CV, field title"),
        (lambda d: d.update(version=""), "ruleset, field version"),
    ],
)
def test_bad_documents_are_refused_naming_rule_and_field(mutate: Any, expected: str) -> None:
    with pytest.raises(RulesetError) as refused:
        parse_ruleset(broken(mutate))
    assert any(message.startswith(expected) for message in refused.value.messages)


def test_every_fault_is_reported_at_once() -> None:
    def two_faults(document: dict[str, Any]) -> None:
        document["rules"][0]["item"] = "horoscope"
        document["rules"][3]["weight"] = -1

    with pytest.raises(RulesetError) as refused:
        parse_ruleset(broken(two_faults))
    assert len(refused.value.messages) == 2


def test_toml_files_are_read(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        'version = "toml-1"\n'
        'title = { id = "Aturan", en = "Rules" }\n'
        "[[rules]]\n"
        'id = "R-CV"\nitem = "cv"\noffices = ["DPR"]\nweight = 50\nrequired = true\n'
        "deadline = 2023-11-04\n"
        'title = { id = "DRH", en = "CV" }\n'
        'explanation = { id = "Penjelasan", en = "Explanation" }\n',
        encoding="utf-8",
    )
    ruleset = parse_ruleset(read_document(path))
    assert ruleset.rule("R-CV").deadline.isoformat() == "2023-11-04"


def test_a_file_that_is_not_json_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(default_document())[:-5], encoding="utf-8")
    with pytest.raises(RulesetError, match=r"rules\.json"):
        read_document(path)
