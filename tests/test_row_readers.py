"""Table rows read straight into row objects: exactly what the cell-by-cell reading and cattrs make."""

from __future__ import annotations

import datetime
import enum
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cpsdk
from cpsdk.model._entities import Effect
from cpsdk.model._structure import converter
from cpsdk.workbook._reader import _type_at, plan_sheet
from cpsdk.workbook._row_readers import _cell_reader, row_reader
from cpsdk.workbook._values import from_cell


class Colour(enum.Enum):
    RED = "red"
    GREEN = "green"

    @property
    def zh(self) -> str:
        return {"red": "红", "green": "绿"}[self.value]


HINTS: list[Any] = [
    str,
    str | None,
    bool,
    datetime.date,
    int,
    int | None,
    bool | None,
    Decimal,
    Decimal | None,
    datetime.date | None,
    Colour,
    Colour | None,
    tuple[str, ...],
    tuple[Colour, ...] | None,
]

cells = st.one_of(
    st.none(),
    st.sampled_from(["", "  ", "是", "否", "√", "red", "红", " 绿 ", "1,234.5", "12", "-0", "2019-05-01", "红、绿"]),
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True),
    # Near the bounds the fast paths test on the float itself: amounts' magnitude, exact integers.
    st.sampled_from([1e18, -1e18, 9.999999999999999e17, 5e18, 2.0**53, 2.0**53 + 2, -(2.0**53), 1e16 + 2, 0.1]),
    st.floats(min_value=-1e20, max_value=1e20).map(round),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)


def _exact(raw: Any, hint: Any) -> tuple[str, Any]:
    """What reading ``raw`` cell by cell and structuring it makes: ("ok", value) or ("error", None)."""
    optional = typing.get_origin(hint) is not tuple and type(None) in typing.get_args(hint)
    inner = typing.get_args(hint)[0] if optional else hint
    try:
        return "ok", converter().structure(from_cell(raw, inner, optional), hint)
    except Exception:  # noqa: BLE001 - any refusal counts as one
        return "error", None


def _fast(raw: Any, hint: Any) -> tuple[str, Any]:
    try:
        return "ok", _cell_reader(hint)(raw)
    except Exception:  # noqa: BLE001
        return "error", None


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, tuple) and isinstance(right, tuple):
        return len(left) == len(right) and all(_same(a, b) for a, b in zip(left, right, strict=True))
    # Equal and of one type, down to a Decimal's digits (1.0 is not 1 on a printed form).
    return type(left) is type(right) and left == right and str(left) == str(right)


@pytest.mark.parametrize("hint", HINTS, ids=str)
@given(raw=cells)
def test_a_cell_reads_straight_into_what_the_exact_reading_makes(hint: Any, raw: Any) -> None:
    (exact, expected), (fast, got) = _exact(raw, hint), _fast(raw, hint)
    assert fast == exact, (raw, expected, got)
    assert _same(got, expected), (raw, expected, got)


def test_text_read_straight_is_the_cell_s_text_whitespace_and_all() -> None:
    read = _cell_reader(str | None)
    assert read(" 华兴公司 ") == " 华兴公司 " and read("  ") is None and read(12.0) == "12" and read(1.5) == "1.5"


@attrs.frozen(kw_only=True)
class Flat:
    name: str
    amount: Decimal | None = None


def test_rows_it_cannot_read_exactly_are_left_to_the_exact_reading() -> None:
    assert row_reader(Flat, ((1, ("name",)), (2, ("amount",)))) is not None
    assert row_reader(Flat, ((1, ("name", "x")),)) is None  # a nested field
    assert row_reader(Flat, ((1, ("missing",)),)) is None  # not a field of the row
    assert row_reader(Effect, ((1, ("proposal",)),)) is None  # its amount takes its metric's unit
    assert row_reader(dict, ((1, ("name",)),)) is None


def test_a_row_reader_fills_short_rows_with_blank_cells() -> None:
    read = row_reader(Flat, ((1, ("name",)), (5, ("amount",))))
    assert read is not None
    assert read(["1", "甲"]) == Flat(name="甲")
    with pytest.raises(ValueError):
        read(["1"])  # the name is required


@pytest.mark.parametrize("form", cpsdk.list_forms(), ids=lambda form: form.id)
def test_every_shipped_table_is_read_straight_into_its_rows(form: Any) -> None:
    layout = form.layout()
    for sheet in layout.sheets:
        for table in plan_sheet(sheet, {}).tables:
            row_type = _type_at(form.report_type, (*table.rows_path, 0))[0]
            columns = tuple(
                (col, field) for (col, _), field in zip(table.columns, table.fields, strict=True) if field is not None
            )
            if attrs.has(row_type) and all(len(field) == 1 for _, field in columns) and row_type is not Effect:
                assert row_reader(row_type, columns) is not None, (sheet.name, table.table.rows)


def test_a_row_its_class_refuses_is_reported_at_its_cells(tmp_path: Path) -> None:
    from tests.plugins.cpsdk_testform import EnterpriseList, Listing, Row

    form = EnterpriseList()
    row = Row(name="甲企业", uscc="91110000600037341L", region="510107", above_scale=True, output=Decimal("1"))
    path = form.write(Listing(region_name="测试省", year=2017, rows=(row, row)), tmp_path / "x.xlsx")
    assert form.read(path) == Listing(region_name="测试省", year=2017, rows=(row, row))
    import openpyxl

    book = openpyxl.load_workbook(path)
    book["企业名录"]["B5"] = ""  # a required name left empty in the second row
    book.save(path)
    report, issues = form.read_with_issues(path)
    assert report is None
    assert [(issue.sheet, issue.cell) for issue in issues] == [("企业名录", "B5")]


@attrs.frozen(kw_only=True)
class Inlined:
    text: str | None = None
    amount: Decimal | None = None
    day: datetime.date | None = None
    flag: bool | None = None
    count: int | None = None


EDGES = [None, "", " ", "x", 0.1, 1e18, -1e18, 9.999999999999999e17, float("nan"), float("inf"), 5, True]
EDGES += [datetime.date(2020, 1, 2), datetime.datetime(2020, 1, 2, 3, 4), "2020-01-02", "1,234.5", "是", "否", False]
EDGES += [2.0**53, 2.0**53 - 1, -(2.0**53), 3.0, -0.0, 2.5]
INLINED = {
    "text": str | None,
    "amount": Decimal | None,
    "day": datetime.date | None,
    "flag": bool | None,
    "count": int | None,
}


@pytest.mark.parametrize("raw", EDGES, ids=repr)
def test_edge_cells_written_out_in_the_row_reader_read_as_their_readers_do(raw: Any) -> None:
    for position in range(len(INLINED)):
        row: list[Any] = [None] * len(INLINED)
        row[position] = raw
        _reads_as_its_cell_readers(row)


@given(row=st.lists(cells, min_size=len(INLINED), max_size=len(INLINED)))
def test_cells_written_out_in_the_row_reader_read_as_their_readers_do(row: list[Any]) -> None:
    _reads_as_its_cell_readers(row)


def _reads_as_its_cell_readers(row: list[Any]) -> None:
    read = row_reader(Inlined, tuple((col, (name,)) for col, name in enumerate(INLINED)))
    assert read is not None
    expected = [_fast(raw, hint) for raw, hint in zip(row, INLINED.values(), strict=True)]
    try:
        got = read(row)
    except Exception:  # noqa: BLE001
        assert any(outcome == "error" for outcome, _ in expected)
    else:
        assert all(outcome == "ok" for outcome, _ in expected)
        assert all(_same(getattr(got, name), value) for name, (_, value) in zip(INLINED, expected, strict=True))


def test_a_field_shown_in_two_columns_is_left_to_the_exact_reading() -> None:
    assert row_reader(Flat, ((1, ("name",)), (2, ("name",)))) is None
