"""The fast load (msgspec, a batch of records at a time) gives exactly what the exact path gives.

Every dataset, valid or not, loads to the same records, issues, pointers and origins whichever
way it is read; a record the fast path refuses is read by the exact path, with today's issue.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cpsdk
from cpsdk.datasets import _fast_load, _load
from cpsdk.datasets._fast_types import record_plans
from tests.strategies import corrupted, datasets
from tests.test_fuzz import hostile_values


def _exact(raw: bytes) -> _load.Loaded:
    """The dataset of ``raw`` as loading read it before the fast path: record by record, or whole."""
    try:
        return _load._stream(io.BytesIO(raw), True)  # type: ignore[arg-type]
    except _load.StreamError:
        return cpsdk.parse(raw)


def _fast(raw: bytes, batch: int | None = None) -> _load.Loaded:
    original = _fast_load.BATCH
    if batch is not None:
        _fast_load.BATCH = batch
    try:
        return _load._fast_stream(io.BytesIO(raw), True)  # type: ignore[arg-type]
    except _load.StreamError:
        return _exact(raw)
    finally:
        _fast_load.BATCH = original


def _same(fast: _load.Loaded, exact: _load.Loaded) -> None:
    assert fast.issues == exact.issues
    assert fast.dataset == exact.dataset
    assert dict(fast.origin) == dict(exact.origin)
    assert cpsdk.dumps(fast.dataset) == cpsdk.dumps(exact.dataset)  # every Decimal's digits and exponent too
    for kind in cpsdk.RECORD_KINDS:
        assert [repr(r) for r in fast.dataset.records(kind)] == [repr(r) for r in exact.dataset.records(kind)]
    assert fast.sha256 == exact.sha256


def _text(document: Any, indent: int | None) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=indent).encode("utf-8")


@given(datasets(), st.sampled_from([None, 1]), st.sampled_from([64, 1 << 20]))
def test_a_valid_dataset_loads_the_same_by_either_path(dataset: cpsdk.Dataset, indent: int | None, batch: int) -> None:
    raw = _text(cpsdk.dump(dataset), indent)
    _same(_fast(raw, batch), _exact(raw))


@given(st.data(), st.sampled_from([None, 1]), st.sampled_from([64, 1 << 20]))
def test_an_invalid_dataset_gives_the_same_issues_by_either_path(
    data: st.DataObject, indent: int | None, batch: int
) -> None:
    document = cpsdk.dump(data.draw(datasets(max_enterprises=2)))
    raw = _text(data.draw(corrupted(document)), indent)
    _same(_fast(raw, batch), _exact(raw))


@given(st.data())
def test_hostile_values_give_the_same_issues_by_either_path(data: st.DataObject) -> None:
    document = cpsdk.dump(cpsdk.example_dataset(seed=7, enterprises=2))
    kinds = sorted(kind for kind, records in document.items() if isinstance(records, list) and records)
    for _ in range(data.draw(st.integers(1, 4))):
        kind = data.draw(st.sampled_from(kinds))
        record = data.draw(st.sampled_from(document[kind]))
        record[data.draw(st.sampled_from(sorted(record)))] = data.draw(hostile_values)
    raw = json.dumps(document, ensure_ascii=data.draw(st.booleans())).encode("utf-8", "surrogatepass")
    _same(_fast(raw, data.draw(st.sampled_from([64, 4096, 1 << 20]))), _exact(raw))


VALID = cpsdk.dump(cpsdk.example_dataset(seed=3, enterprises=3))


def _with(kind: str, index: int, **changes: Any) -> dict[str, Any]:
    document = json.loads(json.dumps(VALID))
    document[kind][index].update(changes)
    return document


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (_with("enterprises", 1, name=" "), ("schema.value", "/enterprises/1/name")),
        (_with("enterprises", 0, region="5101070"), ("schema.format", "/enterprises/0/region")),
        (_with("proposals", 2, investment="-1e999"), ("schema.value", "/proposals/2/investment")),
        (_with("proposals", 1, status="done"), ("schema.enum", "/proposals/1/status")),
        (_with("effects", 3, amount=1.5), None),  # a number with a fraction: exact, and kept
        (_with("proposals", 0, investment="1.2 亿元"), None),  # a unit: converted by the exact path
        (_with("proposals", 0, investment="007.50"), None),
        (_with("enterprises", 0, name="a\ufffeb"), ("schema.value", "/enterprises/0/name")),
    ],
)
def test_a_record_the_fast_path_refuses_gets_the_exact_paths_issue(
    document: dict[str, Any], expected: tuple[str, str] | None
) -> None:
    raw = _text(document, 1)
    fast, exact = _fast(raw, 256), _exact(raw)
    _same(fast, exact)
    found = [(issue.code, issue.pointer) for issue in fast.issues]
    assert found == ([expected] if expected else [])


def test_a_key_given_twice_is_an_error_with_its_pointer_by_the_fast_path() -> None:
    text = _text(VALID, None).decode("utf-8")
    name = json.dumps(VALID["proposals"][1]["name"], ensure_ascii=False)
    raw = text.replace(f'"name": {name}', f'"name": "x", "name": {name}', 1).encode("utf-8")
    fast = _fast(raw)
    _same(fast, _exact(raw))
    assert ("input.duplicate-key", "/proposals/1/name") in {(issue.code, issue.pointer) for issue in fast.issues}
    spaced = raw.replace(b'"name": "x", ', b'"name" : "x", ', 1)
    _same(_fast(spaced), _exact(spaced))


def test_amounts_keep_their_exact_digits() -> None:
    document = _with("proposals", 0, investment="12.50")
    document["effects"][0]["amount"] = "0.0000001"
    document["effects"][1]["amount"] = 123456789012345678
    loaded = _fast(_text(document, 1), 256)
    assert str(loaded.dataset.proposals[0].investment) == "12.50"
    assert loaded.dataset.effects[0].amount.as_tuple() == Decimal("0.0000001").as_tuple()
    assert loaded.dataset.effects[1].amount == Decimal(123456789012345678)


def test_what_the_fast_reader_does_not_frame_is_read_the_slower_ways(tmp_path: Path) -> None:
    for raw in (
        b'{"version": "1.0", "n": 1e1000000000000000000}',
        b'{"\\u0065nterprises": []}',
        b'{"enterprises": [1, 2], "enterprises": []}',
        b'{"enterprises": [{"uscc": "\\ud800"}]}',
        b'{"enterprises": [{}, NaN]}',
        b"[1]",
    ):
        with pytest.raises(_load.StreamError):
            _load._fast_stream(io.BytesIO(raw), False)  # type: ignore[arg-type]
        path = tmp_path / "d.json"
        path.write_bytes(raw)
        assert cpsdk.parse(path).issues == cpsdk.parse(raw).issues


def test_every_record_kind_has_a_fast_plan() -> None:
    """A constraint the fast path cannot check would raise here: a new one must be taught to it first."""
    assert set(record_plans()) == set(cpsdk.RECORD_KINDS)
