"""The dataset format: loading, dumping, round trips and bad input."""

from __future__ import annotations

import json
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cpsdk
from tests.strategies import corrupted, datasets, json_values

VALID = {
    "version": "1.0",
    "enterprises": [{"uscc": "91110000600037341L", "name": "成都水泥有限公司", "region": "510107", "industry": "3011"}],
    "audits": [{"id": "A1", "enterprise": "91110000600037341L", "kind": "voluntary", "confirmed_on": "2016-05-01"}],
    "proposals": [
        {
            "id": "P1",
            "enterprise": "91110000600037341L",
            "audit": "A1",
            "name": "余热发电",
            "cost_class": "mid_high",
            "investment": "1.2 亿元",
            "status": "completed",
            "completed_on": "2017-01-01",
        }
    ],
    "effects": [{"id": "E1", "proposal": "P1", "metric": "energy", "amount": "0.5 万吨标准煤"}],
}


def test_a_valid_document_loads_with_units_converted_exactly() -> None:
    dataset = cpsdk.load(VALID)
    assert dataset.proposals[0].investment == Decimal(12000)
    assert dataset.effects[0].amount == Decimal(5000)
    assert cpsdk.validate(dataset) == []


def test_dump_writes_amounts_as_decimal_text_and_leaves_defaults_out() -> None:
    dumped = cpsdk.dump(cpsdk.load(VALID))
    assert dumped["version"] == "1.0"
    assert dumped["proposals"][0]["investment"] == "12000"
    assert "above_scale" not in dumped["enterprises"][0]


@given(datasets())
def test_generated_datasets_load_dump_and_load_again_unchanged(dataset: cpsdk.Dataset) -> None:
    first = cpsdk.dump(dataset)
    text = json.dumps(first, ensure_ascii=False)
    again = cpsdk.load(text.encode("utf-8"))
    assert again == dataset
    assert cpsdk.dump(again) == first


@given(datasets())
def test_generated_datasets_are_valid(dataset: cpsdk.Dataset) -> None:
    assert [i for i in cpsdk.validate(cpsdk.dump(dataset)) if i.is_error] == []


@given(st.data())
def test_corrupted_datasets_give_issues_never_exceptions(data: st.DataObject) -> None:
    document = cpsdk.dump(data.draw(datasets(max_enterprises=2)))
    bad = data.draw(corrupted(document))
    issues = cpsdk.validate(bad)
    assert all(isinstance(issue, cpsdk.Issue) for issue in issues)
    try:
        cpsdk.load(bad)
    except cpsdk.DatasetError as exc:
        assert exc.issues and all(issue in issues for issue in exc.issues)


@given(json_values)
def test_any_json_at_all_gives_issues_never_exceptions(value: object) -> None:
    issues = cpsdk.validate(json.dumps(value).encode())
    assert all(isinstance(issue, cpsdk.Issue) for issue in issues)


@given(st.binary(max_size=200))
def test_any_bytes_give_issues_never_exceptions(data: bytes) -> None:
    assert all(isinstance(issue, cpsdk.Issue) for issue in cpsdk.validate(data))


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b'{"enterprises": [1, 2', "input.json"),
        (b'{"a": NaN}', "input.json"),
        (b'{"enterprises": [{"output_values": [{"year": 2015, "amount": 1e999999}]}]}', "schema.required"),
        (b"[1, 2]", "schema.type"),
        (b"\xff\xfe\x00\xd8", "schema.type"),
        ("9" * 5000, "input.json"),
        ("[" * 100000, "input.json"),
    ],
)
def test_hostile_json_is_reported(raw: bytes | str, code: str) -> None:
    data = raw.encode() if isinstance(raw, str) else raw
    codes = {issue.code for issue in cpsdk.validate(data)}
    assert code in codes or codes, codes


def test_every_problem_is_reported_at_once_with_pointers() -> None:
    document = json.loads(json.dumps(VALID))
    document["enterprises"].append({"uscc": "91110000600037341M", "name": "坏", "region": "999999", "industry": "9999"})
    document["audits"].append(
        {
            "id": "A1",
            "enterprise": "910000000000000000",
            "kind": "mandatory",
            "started_on": "2017-01-01",
            "accepted_on": "2016-01-01",
            "acceptance": "passed",
        }
    )
    document["proposals"][0]["status"] = "completed"
    del document["proposals"][0]["completed_on"]
    document["proposals"].append(
        {"id": "P2", "enterprise": "91110000600037341L", "name": "x", "cost_class": "no_low", "investment": "-3"}
    )
    document["effects"].append({"id": "E2", "proposal": "P9", "metric": "cod", "amount": 1})
    issues = cpsdk.validate(document)
    found = {(i.code, i.pointer) for i in issues}
    assert ("code.uscc", "/enterprises/1/uscc") in found
    assert ("code.region", "/enterprises/1/region") in found
    assert ("code.industry", "/enterprises/1/industry") in found
    assert ("dataset.duplicate-id", "/audits/1/id") in found
    assert ("dataset.unknown-reference", "/audits/1/enterprise") in found
    assert ("dataset.date-order", "/audits/1/accepted_on") in found
    assert ("proposal.no-completion-date", "/proposals/0/completed_on") in found
    assert ("dataset.negative", "/proposals/1/investment") in found
    assert ("dataset.unknown-reference", "/effects/1/proposal") in found
    assert ("effect.no-basis", "/effects/1/basis") in found
    assert all(i.message_zh and i.message_en for i in issues)


def test_schema_errors_keep_the_other_records_and_point_at_the_original_index() -> None:
    document = json.loads(json.dumps(VALID))
    document["enterprises"].insert(0, {"uscc": 5})
    document["enterprises"].append(
        {"uscc": "91110000600037341L", "name": "重复", "region": "510107", "industry": "3011"}
    )
    loaded = cpsdk.parse(document)
    assert len(loaded.dataset.enterprises) == 2
    issues = cpsdk.validate(document)
    assert ("dataset.duplicate-id", "/enterprises/2/uscc") in {(i.code, i.pointer) for i in issues}
    with pytest.raises(cpsdk.DatasetError) as raised:
        cpsdk.load(document)
    assert {i.pointer for i in raised.value.issues} >= {"/enterprises/0/uscc", "/enterprises/0/name"}


def test_retired_region_codes_are_warnings(tmp_path: Path) -> None:
    document = json.loads(json.dumps(VALID))
    document["enterprises"][0]["region"] = "371202"
    issues = cpsdk.validate(document)
    assert [(i.code, i.severity) for i in issues] == [("code.region-retired", cpsdk.Severity.WARNING)]


def test_files_in_gb18030_and_utf16_are_read(tmp_path: Path) -> None:
    text = json.dumps(VALID, ensure_ascii=False)
    (tmp_path / "gbk.json").write_bytes(text.encode("gb18030"))
    (tmp_path / "u16.json").write_bytes(text.encode("utf-16"))
    assert [i.code for i in cpsdk.validate(tmp_path / "gbk.json")] == ["input.encoding"]
    assert cpsdk.validate(tmp_path / "u16.json") == []


def test_missing_file_and_directory_are_issues(tmp_path: Path) -> None:
    assert [i.code for i in cpsdk.validate(tmp_path / "nope.json")] == ["input.unreadable"]
    assert [i.code for i in cpsdk.validate(tmp_path)] == ["input.unreadable"]


def test_issues_render_as_text_and_json() -> None:
    issue = cpsdk.error("x.y", "中文", "English", pointer="/a/0", source="川经信环资〔2016〕153号 附件3 填报说明[3]")
    assert issue.render() == "error x.y /a/0: 中文 (English) [川经信环资〔2016〕153号 附件3 填报说明[3]]"
    assert json.loads(cpsdk.issues_to_json([issue]))[0]["source"].endswith("[3]")
    assert issue.at(sheet="企业", cell="C12").where == "企业!C12"


def test_an_explicit_null_amount_is_none_and_a_missing_required_one_is_refused() -> None:
    converter = cpsdk.make_converter()
    body = {"id": "p", "enterprise": "91510100MA61234567", "name": "n", "cost_class": "mid_high"}
    assert converter.structure({**body, "investment": None}, cpsdk.Proposal).investment is None
    with pytest.raises(Exception, match="While structuring YearAmount"):
        converter.structure({"year": 2015, "amount": None}, cpsdk.YearAmount)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.5", Decimal("1234.5")),
        ("12.50", Decimal("12.50")),
        (" 7 ", Decimal("7")),
        ("1,23", None),
        ("1,2345", None),
    ],
)
def test_an_amount_given_as_text_takes_commas_only_as_thousands_grouping(text: str, expected: Decimal | None) -> None:
    """As in a workbook cell: ``1,23`` is refused, never read as 123 (found while adding the plain-number fast path)."""
    record = {"id": "a", "enterprise": "91510118240990978G", "name": "n", "cost_class": "no_low", "investment": text}
    loaded = cpsdk.parse({"proposals": [record]})
    if expected is None:
        assert [issue.code for issue in loaded.issues] == ["schema.value"]
        assert loaded.dataset.proposals == ()
    else:
        assert loaded.issues == ()
        assert loaded.dataset.proposals[0].investment == expected
        assert str(loaded.dataset.proposals[0].investment) == str(expected)


@given(datasets())
def test_dumps_and_save_write_the_json_of_dump_record_by_record(dataset: cpsdk.Dataset) -> None:
    expected = json.dumps(cpsdk.dump(dataset), ensure_ascii=False, indent=1)
    assert cpsdk.dumps(dataset) == expected
    with tempfile.TemporaryDirectory() as folder:
        path = cpsdk.save(dataset, Path(folder) / "dataset.json")
        assert path.read_text(encoding="utf-8") == expected + "\n"
        assert cpsdk.load(path) == dataset


def test_dumps_writes_every_kind_of_record_as_dump_does() -> None:
    dataset = cpsdk.example_dataset(seed=2, enterprises=12, proposals_per_audit=2)
    assert all(dataset.records(kind) for kind in cpsdk.RECORD_KINDS)
    assert cpsdk.dumps(dataset) == json.dumps(cpsdk.dump(dataset), ensure_ascii=False, indent=1)
    assert cpsdk.dumps(cpsdk.Dataset()) == json.dumps({"version": "1.0"}, indent=1)


def test_the_example_data_looks_like_the_documents_world() -> None:
    """Issue 23 item 8, in part: 规模以上 enterprises have an output of 2000 万元 or more, the others less;
    无/低费 proposals cost up to 10 万元; the notice 川经信环资〔2016〕153号 has its own title."""
    dataset = cpsdk.example_dataset(seed=4, enterprises=200)
    for enterprise in dataset.enterprises:
        output = enterprise.output_value(2015)
        assert output is not None and (output >= 2000) is enterprise.above_scale, enterprise.name
    costs = {
        cost: [p.investment for p in dataset.proposals if p.cost_class is cost and p.investment is not None]
        for cost in cpsdk.CostClass
    }
    assert max(costs[cpsdk.CostClass.NO_LOW]) <= 10  # 无/低费: up to 10 万元
    assert min(costs[cpsdk.CostClass.MID_HIGH]) >= 10  # 中/高费: tens of 万元 and more
    [notice] = [d for d in dataset.documents if d.number == "川经信环资〔2016〕153号"]
    assert notice.title == "关于进一步做好工业清洁生产工作的通知"
