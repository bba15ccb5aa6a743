"""Reading a dataset file one record at a time gives what reading it whole gives."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import cpsdk
from cpsdk.datasets import _json_stream, _load
from tests.strategies import corrupted, datasets, json_values

KINDS = ("proposals", "effects")
DECODER = _load._json_decoder()  # the one parse uses: NaN and Infinity are refused


def _rebuild(text: str, chunk: int) -> dict[str, Any]:
    """The object ``members`` frames, put back together."""
    rebuilt: dict[str, Any] = {}
    stream = io.BytesIO(text.encode("utf-8"))
    original = _json_stream.CHUNK
    _json_stream.CHUNK = chunk
    try:
        for name, index, value in _json_stream.members(stream, KINDS, DECODER):
            if index is None:
                rebuilt[name] = value
            else:
                assert index == len(rebuilt.setdefault(name, []))
                rebuilt[name].append(value)
    finally:
        _json_stream.CHUNK = original
    return rebuilt


members_values = st.dictionaries(
    st.sampled_from(("version", "proposals", "effects", "其它", "x")),
    st.one_of(st.lists(json_values, max_size=6), json_values),
    max_size=4,
)


@given(members_values, st.integers(1, 9), st.sampled_from((None, 0, 1, 3)))
def test_members_give_back_the_object_whatever_the_chunk_and_spacing(
    document: dict[str, Any], chunk: int, indent: int | None
) -> None:
    try:
        text = json.dumps(document, ensure_ascii=False, indent=indent, allow_nan=False)
    except ValueError:
        assume(False)  # NaN and Infinity are no JSON; the stream refuses them (below)
    expected = {  # an empty array gives no element, as if the member were absent
        name: value for name, value in json.loads(text, parse_float=Decimal).items() if value != [] or name not in KINDS
    }
    assert _rebuild(text, chunk) == expected


@pytest.mark.parametrize(
    "text",
    [
        '{"proposals": [12345678901234567890, 1.25, true]}',  # numbers split by a tiny chunk
        '{"version": [], "proposals": 1000000000000000.0, "x": [1e+16, -2.5E-3]}',  # cut before "." or "e"
        '{"effects": [{}], "version": "1.0", "proposals": [[], {"a": [1, 2.5]}]}',
        "{}",
        '\ufeff{"version": "1.0"}',
    ],
)
def test_values_cut_by_a_chunk_end_are_read_whole(text: str) -> None:
    assert _rebuild(text, 1) == json.loads(text.lstrip("\ufeff"), parse_float=Decimal)


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        '{"proposals": [1, 2}',
        '{"proposals": [1] "x": 2}',
        '{"a": 1, "a": 2}',  # json.loads keeps the last: the whole read decides
        '{"a": 1} extra',
        '{"a": NaN}',
        '{"a": "unterminated',
        "",
    ],
)
def test_what_the_stream_does_not_frame_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        _rebuild(text, 4)


def _issues(loaded: _load.Loaded) -> list[tuple[str, str | None]]:
    return sorted((issue.code, issue.pointer) for issue in loaded.issues)


@given(datasets())
def test_a_file_read_by_record_loads_like_the_same_text_read_whole(tmp_path_factory: Any, dataset: Any) -> None:
    path = tmp_path_factory.mktemp("stream") / "data.json"
    text = cpsdk.dumps(dataset)
    path.write_text(text, encoding="utf-8")
    streamed = cpsdk.parse(path)
    whole = cpsdk.parse(text.encode("utf-8"))
    assert streamed.dataset == whole.dataset == dataset
    assert _issues(streamed) == _issues(whole)


@given(st.data())
def test_a_corrupted_file_gives_the_same_issues_by_record_as_whole(tmp_path_factory: Any, data: st.DataObject) -> None:
    document = cpsdk.dump(data.draw(datasets()))
    broken = data.draw(corrupted(document))
    path = tmp_path_factory.mktemp("stream") / "data.json"
    raw = json.dumps(broken, ensure_ascii=False, default=str).encode("utf-8")
    path.write_bytes(raw)
    streamed = cpsdk.parse(path)
    whole = cpsdk.parse(raw)
    assert _issues(streamed) == _issues(whole)
    assert streamed.dataset == whole.dataset
    assert streamed.origin == whole.origin


def test_a_file_is_read_by_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file is never read whole (which would hold its whole object tree)."""
    path = tmp_path / "data.json"
    path.write_text(cpsdk.dumps(cpsdk.example_dataset(seed=1, enterprises=6)), encoding="utf-8")

    def whole_read(*_: Any) -> Any:
        raise AssertionError("the file was read whole")

    monkeypatch.setattr(_load, "_read_json", whole_read)
    monkeypatch.setattr(_json_stream, "CHUNK", 4096)
    assert len(cpsdk.load(path).proposals) > 0


def test_files_the_stream_refuses_are_read_whole_and_say_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text('{"version": "1.0", "proposals": [{"id": 1}', encoding="utf-8")
    assert [issue.code for issue in cpsdk.parse(path).issues] == ["input.json"]
    path.write_text('{"proposals": [], "proposals": [{"id": "p"}]}', encoding="utf-8")
    issues = cpsdk.parse(path).issues
    assert {issue.code for issue in issues} == {"schema.required", "input.duplicate-key"}
    assert [issue.pointer for issue in issues if issue.code == "input.duplicate-key"] == ["/proposals"]


@pytest.mark.parametrize(
    "raw",
    [
        b'{"enterprises": [1, 2',
        b'{"a": NaN}',
        b'{"enterprises": [{"output_values": [{"year": 2015, "amount": 1e999999}]}]}',
        b"[1, 2]",
        b"\xff\xfe\x00\xd8",
        b"9" * 5000,
        b"[" * 100000,
        b'{"proposals": [' + b"[" * 100000 + b"]}",  # too deep for the decoder, inside an array of records
        b'{"proposals": ["' + b"x" * (3 << 20) + b'"]}',  # one value longer than several chunks
        '{"version": "1.0", "proposals": [{"id": "方案"}]}'.encode("gb18030"),
    ],
)
def test_hostile_files_give_the_issues_their_text_gives(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "data.json"
    path.write_bytes(raw)
    assert _issues(cpsdk.parse(path)) == _issues(cpsdk.parse(raw))
