"""The semantic checks work on whole columns; they find exactly what checking record by record finds.

``tests/_checks_reference.py`` is the record-by-record implementation the column checks replaced (kept as it
was). Each property loads a dataset, valid or corrupted, and asks both for the semantic issues of the same
loaded dataset: the same codes, messages, pointers (through the origin mapping, when corrupted records were
left out) and order.

Semantic corruptions keep the schema mostly satisfied, so that they reach the semantic checks: a field of a
record takes another record's value of that field (a repeated id, a reference to another record, dates of
another record, another status), or one of a few awkward values (negative and exponent amounts, retired and
unknown region codes, wrong check characters, dates far apart, nothing). Some of them break the schema instead,
and the record is left out, which shifts every later record's place in the input.
"""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import cpsdk
from cpsdk.datasets import _checks
from cpsdk.datasets._load import Loaded, parse
from cpsdk.model._entities import RECORD_KINDS
from tests import _checks_reference
from tests.strategies import corrupted, datasets

#: Parsing a dataset of thousands of records per example: a quarter of the profile's examples.
LARGE = settings(max_examples=max(6, settings().max_examples // 4))

AMOUNTS = ["-1", "-0", "-0.00", "0", "0E-3", "1E-3", "-1E+2", "12.5", "-7.25", 3, -2, "1e5"]
DATES = ["2001-01-01", "2016-06-30", "2018-12-31", "2030-12-31", None]
AWKWARD: dict[str, list[Any]] = {
    "uscc": ["91510118240990978H", "91510118240990978g", "9151011824099097", "915101182409909780", None],
    "region": ["510102", "510100", "999999", "110101", "510000", "320100"],
    "industry": ["9999", "3871", "0000", "2621"],
    "key_industries": [["nope"], ["fluorescent_lamp", "x"], []],
    "status": ["proposed", "in_progress", "completed"],
    "basis": ["generation", "discharge", None],
    "grounds": [[], None],
    "evaluation": ["passed", "failed", None],
    "acceptance": ["passed", "failed", None],
    "from_catalogue": [True, False, None],
    "audit": ["NO-SUCH-AUDIT", None, ""],
    "enterprise": ["NO-SUCH-ENTERPRISE", "91510118240990978G"],
    "proposal": ["NO-SUCH-PROPOSAL"],
    "agency": ["NO-SUCH-AGENCY", None],
    "head_person_times": [0, 10_000],
    "person_times": [0, 1],
    "name": ["", None],
    "kind": ["other", "mandatory", "voluntary"],
    "output_values": [[{"year": 2015, "amount": "-3"}, {"year": 2016, "amount": "2"}], []],
}


def _pool(field: str) -> list[Any]:
    if field in AWKWARD:
        return AWKWARD[field]
    if field.endswith("_on") or field in ("deadline", "planned_completion"):
        return DATES
    return AMOUNTS


@st.composite
def semantically_corrupted(draw: st.DrawFn, document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with a few fields of its records given other records' values or awkward ones."""
    doc = copy.deepcopy(document)
    kinds = [kind for kind in RECORD_KINDS if doc.get(kind)]
    if not kinds:
        return doc
    heavy = [kind for kind in ("effects", "proposals", "enterprises") if kind in kinds] * 3  # packed columns
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(st.sampled_from(kinds + heavy))
        records = doc[kind]
        record = records[draw(st.integers(0, len(records) - 1))]
        fields = sorted({name for item in records[:50] for name in item} | set(AWKWARD) & set(record))
        field = draw(st.sampled_from(fields))
        donor = records[draw(st.integers(0, len(records) - 1))]
        if draw(st.booleans()) and field in donor:
            value = copy.deepcopy(donor[field])
        else:
            value = copy.deepcopy(draw(st.sampled_from(_pool(field))))
        if value is None:
            record.pop(field, None)
        else:
            record[field] = value
    for kind, field in (("effects", "amount"), ("proposals", "investment"), ("discharges", "after")):
        records = doc.get(kind) or []
        for _ in range(draw(st.integers(0, 3)) if records else 0):  # amounts in packed columns, often
            records[draw(st.integers(0, len(records) - 1))][field] = draw(st.sampled_from(AMOUNTS))
    return doc


def _same_issues(loaded: Loaded) -> None:
    found = _checks.semantic_issues(loaded)
    expected = _checks_reference.semantic_issues(loaded)
    assert found == expected
    tags = {"fluorescent_lamp"}
    assert _checks.semantic_issues(loaded, tags) == _checks_reference.semantic_issues(loaded, tags)
    limit = _checks._KEY_SET_LIMIT
    _checks._KEY_SET_LIMIT = 0  # every collection as large ones are: through the key index, not sets of keys
    try:
        assert _checks.semantic_issues(loaded) == expected
    finally:
        _checks._KEY_SET_LIMIT = limit


@functools.cache
def _large_document() -> dict[str, Any]:
    """An example dataset large enough that its big collections' ids and amounts are packed (over 4,096 effects)."""
    document: dict[str, Any] = cpsdk.dump(cpsdk.example_dataset(seed=11, enterprises=90, proposals_per_audit=14))
    return document


def _parse(document: dict[str, Any]) -> Loaded:
    return parse(json.dumps(document, ensure_ascii=False).encode())


def test_the_large_document_has_packed_columns() -> None:
    loaded = _parse(_large_document())
    effects = loaded.dataset.records("effects")
    assert len(effects) > 4096
    assert effects.positions_with_text("amount", "-") == []  # a packed column: found without making amounts
    assert _checks.semantic_issues(loaded) == _checks_reference.semantic_issues(loaded)


@LARGE
@given(st.data())
def test_column_checks_find_what_record_checks_find_in_a_large_corrupted_dataset(data: st.DataObject) -> None:
    document = data.draw(semantically_corrupted(_large_document()))
    loaded = _parse(document)
    _same_issues(loaded)


@given(datasets(), st.data())
def test_column_checks_find_what_record_checks_find_in_small_datasets(
    dataset: cpsdk.Dataset, data: st.DataObject
) -> None:
    _same_issues(parse(dataset))  # valid, built in Python: columns as appended one by one
    document = cpsdk.dump(dataset)
    _same_issues(_parse(data.draw(semantically_corrupted(document))))
    _same_issues(_parse(data.draw(corrupted(document))))  # records left out: pointers through the origin mapping


def test_every_kind_of_semantic_issue_is_found_as_before() -> None:
    """One dataset with every issue the checks give, several of each, in records of both storage ways."""
    document = copy.deepcopy(_large_document())
    effects, proposals, audits = document["effects"], document["proposals"], document["audits"]
    enterprises = document["enterprises"]
    effects[5000]["id"] = effects[10]["id"]  # duplicate ids
    proposals[7]["id"] = proposals[3]["id"]
    effects[4500]["proposal"] = "NO-SUCH"  # unknown references, twice in a row
    effects[4501]["proposal"] = "NO-SUCH"
    proposals[20]["enterprise"] = enterprises[-1]["uscc"]  # not its audit's enterprise
    effects[4200]["amount"] = "-1.5"  # negative amounts (and a negative zero, which is not)
    effects[4201]["amount"] = "-0"
    effects[4202]["amount"] = "1E-3"
    proposals[30]["investment"] = "-2"
    proposals[31]["support_local"] = "1000000000"
    enterprises[2]["uscc"] = enterprises[2]["uscc"][:-1] + ("0" if enterprises[2]["uscc"][-1] != "0" else "1")
    enterprises[3]["region"] = "999999"
    enterprises[4]["region"] = "510102"
    enterprises[5]["industry"] = "9999"
    enterprises[6]["key_industries"] = ["nope"]
    enterprises[7]["output_values"] = [{"year": 2015, "amount": "-3"}, {"year": 2016, "amount": "-4"}]
    audits[2]["accepted_on"], audits[2]["started_on"] = "2001-01-01", "2020-01-01"
    proposals[40]["started_on"], proposals[40]["completed_on"] = "2020-01-01", "2001-01-01"
    proposals[41]["status"] = "completed"
    proposals[41].pop("completed_on", None)
    proposals[42]["status"] = "proposed"
    proposals[42]["accepted_on"] = "2019-01-01"
    proposals[43].pop("audit", None)
    effects[4300]["basis"] = None if "basis" in effects[4300] else "generation"
    effects[4300].pop("basis") if effects[4300]["basis"] is None else None
    loaded = _parse(document)
    found = _checks.semantic_issues(loaded)
    assert found == _checks_reference.semantic_issues(loaded)
    codes = {issue.code for issue in found}
    assert {
        "dataset.duplicate-id",
        "dataset.unknown-reference",
        "dataset.enterprise-mismatch",
        "dataset.negative",
        "code.uscc",
        "code.region",
        "code.region-retired",
        "code.industry",
        "code.key-industry",
        "dataset.date-order",
        "proposal.no-completion-date",
        "proposal.accepted-not-completed",
        "proposal.support-exceeds-investment",
    } <= codes, codes
