"""Workbooks: round trips, text stays text, atomic writes, drafts, identity, hand edits."""

from __future__ import annotations

import datetime
import os
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
import xlsxwriter
from hypothesis import example, given
from hypothesis import strategies as st

import cpsdk
from cpsdk.workbook import IDENTITY_SHEET, ISSUES_SHEET, SheetLayout, Title, plan_sheet
from tests.plugins.cpsdk_testform import EnterpriseList, Listing, Row
from tests.strategies import tricky_text, usccs

FORM = EnterpriseList()
ROW = Row(
    name="甲企业",
    uscc="91110000600037341L",
    region="510107",
    above_scale=True,
    output=Decimal("12.50"),
    products="水泥",
)
INJECTIONS = [
    "=1+1",
    '=HYPERLINK("http://evil","x")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "http://x",
    "https://x.y/z",
    "www.x.com",
    "mailto:a@b",
]

rows = st.builds(
    Row,
    name=tricky_text,
    uscc=usccs(),
    region=st.sampled_from(["510107", "440103"]),
    above_scale=st.booleans(),
    output=st.none() | st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2),
    products=st.none() | tricky_text,
)


def _non_blank(text: str | None) -> bool:
    return text is not None and text.strip() != ""


@given(
    st.lists(
        rows.filter(lambda r: r.name.strip() != "" and (r.products is None or r.products.strip() != "")), max_size=6
    ),
    st.none() | tricky_text.filter(_non_blank),
)
def test_a_written_workbook_reads_back_to_an_equal_report(
    tmp_path_factory: pytest.TempPathFactory, items: list[Row], contact: str | None
) -> None:
    report = Listing(region_name="测试省", year=2017, contact=contact, rows=tuple(items))
    path = tmp_path_factory.mktemp("wb") / "out.xlsx"
    FORM.write(report, path)
    assert FORM.read(path) == report


def test_formula_and_link_looking_text_stays_text(tmp_path: Path) -> None:
    report = Listing(
        region_name="测试省",
        year=2017,
        contact="=1+1",
        rows=tuple(attrs.evolve(ROW, name=text, products=text) for text in INJECTIONS),
    )
    path = tmp_path / "inj.xlsx"
    FORM.write(report, path)
    assert FORM.read(path) == report
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                assert cell.hyperlink is None, cell.coordinate


def test_the_identity_sheet_is_hidden_and_names_the_form(tmp_path: Path) -> None:
    path = FORM.write(FORM.build(cpsdk.Dataset()), tmp_path / "x.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book[IDENTITY_SHEET]
    assert sheet.sheet_state == "hidden"
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert values["form"] == "testprov.enterprises"
    assert values["layout_year"] == "2016"
    assert values["sdk_version"] == cpsdk.sdk_version()
    assert len(values["report_sha256"]) == 64
    assert values["draft"] == "false"


def test_a_workbook_of_another_form_is_refused(tmp_path: Path) -> None:
    summary = cpsdk.get_form("national.summary")
    path = summary.write(summary.build(cpsdk.Dataset(), year=2016), tmp_path / "s.xlsx")
    with pytest.raises(cpsdk.WrongFormError) as raised:
        FORM.read(path)
    assert "national.summary" in raised.value.issues[0].message_zh


def test_a_workbook_not_written_by_cpsdk_is_refused(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(tmp_path / "plain.xlsx")
    book.add_worksheet("企业名录").write(0, 0, "hello")
    book.close()
    with pytest.raises(cpsdk.WrongFormError):
        FORM.read(tmp_path / "plain.xlsx")


@pytest.mark.parametrize(
    "content", [b"", b"not a zip", b"PK\x03\x04broken", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old xls"]
)
def test_files_that_are_not_workbooks_give_one_clean_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(cpsdk.WorkbookError) as raised:
        FORM.read(path)
    assert raised.value.issues and raised.value.issues[0].code.startswith("workbook.")


def test_a_hand_edited_cell_is_reported_at_its_address(tmp_path: Path) -> None:
    path = FORM.write(Listing(region_name="测试省", year=2017, rows=(ROW, ROW)), tmp_path / "x.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["企业名录"]
    sheet["F5"] = "十二万"
    sheet["E4"] = "也许"
    book.save(path)
    report, issues = FORM.read_with_issues(path)
    assert report is None
    assert {(i.sheet, i.cell) for i in issues} == {("企业名录", "F5"), ("企业名录", "E4")}


def test_rows_added_by_hand_are_read_and_checked(tmp_path: Path) -> None:
    path = FORM.write(Listing(region_name="测试省", year=2017, rows=(ROW,)), tmp_path / "x.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["企业名录"]
    for col, value in zip("ABCDEF", ["2", "乙企业", "91110000600037341L", "510107", "否", -5], strict=False):
        sheet[f"{col}5"] = value
    book.save(path)
    report, issues = FORM.read_with_issues(path)
    assert report is not None and len(report.rows) == 2 and report.rows[1].output == Decimal(-5)
    assert [(i.code, i.cell) for i in issues] == [("workbook.modified", "A5:G5"), ("test.negative-output", "F5")]


def test_errors_refuse_the_official_workbook_and_a_draft_shows_them(tmp_path: Path) -> None:
    report = Listing(region_name="测试省", year=2017, rows=(attrs.evolve(ROW, output=Decimal(-1)),))
    target = tmp_path / "x.xlsx"
    with pytest.raises(cpsdk.ReportError) as raised:
        FORM.write(report, target)
    assert not target.exists()
    assert raised.value.issues[0].where == "企业名录!F4"
    FORM.write(report, target, draft=True)
    book = openpyxl.load_workbook(target)
    assert book["企业名录"]["A1"].value.endswith("（草稿）")
    assert "test.negative-output" in book["企业名录"]["F4"].comment.text
    assert [c.value for c in book[ISSUES_SHEET][2]][:3] == ["错误", "test.negative-output", "企业名录!F4"]
    assert {row[0]: row[1] for row in book[IDENTITY_SHEET].iter_rows(values_only=True)}["draft"] == "true"
    assert FORM.read(target) == report


def test_a_failed_write_leaves_the_previous_file_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = FORM.write(Listing(region_name="测试省", year=2017, rows=(ROW,)), tmp_path / "x.xlsx")
    before = target.read_bytes()

    def explode(self: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(xlsxwriter.Workbook, "close", explode)
    with pytest.raises(OSError):
        FORM.write(Listing(region_name="测试省", year=2018, rows=()), target)
    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == ["x.xlsx"]


def test_excel_limits_are_refused_before_any_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "x.xlsx"
    with pytest.raises(cpsdk.ExcelLimitError):
        FORM.write(Listing(region_name="测试省", year=2017, rows=(attrs.evolve(ROW, name="长" * 40000),)), target)
    with pytest.raises(cpsdk.ExcelLimitError):
        FORM.write(
            Listing(region_name="测试省", year=2017, rows=(attrs.evolve(ROW, output=Decimal("1234567890.123456789")),)),
            target,
        )
    assert os.listdir(tmp_path) == []
    # Digits are counted without trailing zeros: 21 stored, 3 significant, which Excel holds exactly.
    zeros = attrs.evolve(ROW, output=Decimal("12.5000000000000000000"))
    written = FORM.write(Listing(region_name="测试省", year=2017, rows=(zeros,)), target)
    assert FORM.read(written).rows[0].output == Decimal("12.5")
    target.unlink()
    with pytest.raises(cpsdk.ExcelLimitError):
        SheetLayout(name="a" * 32, columns=(1,), blocks=())
    with pytest.raises(cpsdk.ExcelLimitError):
        SheetLayout(name="a/b", columns=(1,), blocks=())


def test_too_many_rows_are_refused() -> None:
    layout = SheetLayout(name="x", columns=(1,), blocks=(Title(template="t"),) * 3)
    assert plan_sheet(layout, {}).last_row == 2
    from cpsdk.workbook import Column, Table

    big = SheetLayout(name="x", columns=(1,), blocks=(Table(rows="rows", columns=(Column(header=("a",), field="a"),)),))
    with pytest.raises(cpsdk.ExcelLimitError):
        plan_sheet(big, {"rows": 1_048_576})


def test_multi_row_headers_are_merged(tmp_path: Path) -> None:
    path = FORM.write(Listing(region_name="测试省", year=2017, rows=(ROW,)), tmp_path / "x.xlsx")
    merged = {str(r) for r in openpyxl.load_workbook(path)["企业名录"].merged_cells.ranges}
    assert {"A1:G1", "B2:C2", "A2:A3", "D2:D3", "G2:G3"} <= merged


def test_rows_stream_in_order_with_merges_formats_and_heights_kept(tmp_path: Path) -> None:
    """The workbook streams each row once the next starts: a range merged over two rows still has its
    lower cells bordered, and the title row its height, though both are written before later rows."""
    long_name = "很长的企业名称" * 12
    rows = tuple(attrs.evolve(ROW, name=f"{long_name}{i}") for i in range(3))
    path = FORM.write(Listing(region_name="测试省", year=2017, rows=rows), tmp_path / "x.xlsx")
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert re.search(r'<c r="A3" s="[1-9]', xml)  # the lower half of A2:A3, written in its row with its format
    sheet = openpyxl.load_workbook(path)["企业名录"]
    assert sheet.row_dimensions[1].height == FORM.layout().sheets[0].blocks[0].height  # type: ignore[union-attr]
    assert all((sheet.row_dimensions[row].height or 0) > 15 for row in (4, 5, 6))  # wrapped long names
    assert [sheet.cell(row, 2).value for row in (4, 5, 6)] == [row.name for row in rows]


def test_a_value_that_reads_like_the_next_label_does_not_end_the_table(tmp_path: Path) -> None:
    row = Row(name="0", uscc="911101010000000002", region="510107", above_scale=False, products="联系人：")
    report = Listing(region_name="测试省", year=2017, rows=(row, row))
    assert FORM.read(FORM.write(report, tmp_path / "out.xlsx")) == report


def test_a_plan_places_table_cells_on_demand_where_the_writer_puts_them(tmp_path: Path) -> None:
    layout = FORM.layout().sheets[0]
    plan = plan_sheet(layout, {"rows": 3})
    (table,) = plan.tables
    assert all(cell.path is None or cell.path[0] != "rows" for cell in plan.fixed)
    assert len(plan.cells) == len(plan.fixed) + 4 * len(table.columns)  # three rows and the blank one
    name = plan.cell_of(("rows", 2, "name"))
    assert name is not None and (name.row, name.col) == (table.first_row + 2, 1)
    assert plan.cell_of(("rows", 3, "name")) is None  # the blank row shows no value
    assert plan.cell_of(("rows", 0, "nothing")) is None
    rows = tuple(attrs.evolve(ROW, name=f"企业{i}") for i in range(3))
    path = FORM.write(Listing(region_name="测试省", year=2017, rows=rows), tmp_path / "x.xlsx")
    sheet = openpyxl.load_workbook(path)["企业名录"]
    assert sheet.cell(name.row + 1, name.col + 1).value == "企业2"


@given(st.dates())
@example(datetime.date(1900, 2, 28))
@example(datetime.date(1900, 3, 1))
def test_a_date_is_stored_as_the_number_xlsxwriter_would_store(day: datetime.date) -> None:
    from xlsxwriter.utility import _datetime_to_excel_datetime

    from cpsdk.workbook._writer import excel_serial

    serial = excel_serial(day)
    if serial is None:
        assert day < datetime.date(1900, 3, 1)
    else:
        assert serial == _datetime_to_excel_datetime(day, False, False)


def test_text_is_taken_for_a_formula_or_link_exactly_when_the_pattern_says_so() -> None:
    from cpsdk.workbook._writer import _RISKY

    for code in range(0x110000):  # the first character decides whether the pattern is tried at all
        for text in (chr(code), chr(code) + "ttp://x", chr(code) + "ww.x", chr(code) + "ailto:x"):
            assert cpsdk.workbook.looks_active(text) == bool(_RISKY.match(text)), hex(code)
    assert not cpsdk.workbook.looks_active("")


def test_a_written_workbook_has_the_permissions_of_a_new_file_or_of_the_one_it_replaces(tmp_path: Path) -> None:
    import stat

    report = Listing(region_name="测试省", year=2017, rows=(ROW,))
    mask = os.umask(0o027)
    try:
        path = FORM.write(report, tmp_path / "new.xlsx")
        assert stat.S_IMODE(path.stat().st_mode) == 0o640  # not the temporary file's private 0600
        os.chmod(path, 0o604)
        FORM.write(report, path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o604
    finally:
        os.umask(mask)


@pytest.mark.parametrize(
    ("form_id", "params"),
    [("sichuan.retrofit-plan", {"year": 2018}), ("guangdong.filings", {"year": 2018}), ("shandong.plan-progress", {})],
)
def test_a_table_s_values_written_the_short_way_are_written_as_the_long_way_writes_them(
    form_id: str, params: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cpsdk.datasets._example import generate
    from cpsdk.workbook import _writer

    form = cpsdk.get_form(form_id)
    report = form.build(generate(seed=7, enterprises=40), **params)
    short = form.write(report, tmp_path / "short.xlsx")
    monkeypatch.setattr(_writer._SheetWriter, "_put_plain", lambda *_: False)  # every non-text value the long way
    long = form.write(report, tmp_path / "long.xlsx")
    sheets = [f"xl/worksheets/sheet{number}.xml" for number in range(1, len(form.layout().sheets) + 1)]
    with zipfile.ZipFile(short) as one, zipfile.ZipFile(long) as other:
        for name in sheets:  # the identity sheet says when each was written
            assert one.read(name) == other.read(name), name


def test_the_cells_written_past_xlsxwriter_s_public_methods_are_what_the_public_methods_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cpsdk.datasets._example import generate
    from cpsdk.workbook import _writer

    form = cpsdk.get_form("guangdong.filings")
    report = form.build(generate(seed=8, enterprises=40), year=2018)
    direct = form.write(report, tmp_path / "direct.xlsx")
    with xlsxwriter.Workbook(str(tmp_path / "probe.xlsx")) as book:  # this xlsxwriter has the fast way
        assert _writer._cell_writer(book.add_worksheet(), "write_string").__name__ == "_write_string"
    monkeypatch.setattr(_writer, "_cell_writer", lambda sheet, name: getattr(sheet, name))
    public = form.write(report, tmp_path / "public.xlsx")
    with zipfile.ZipFile(direct) as one, zipfile.ZipFile(public) as other:
        for name in [f"xl/worksheets/sheet{number}.xml" for number in range(1, len(form.layout().sheets) + 1)]:
            assert one.read(name) == other.read(name), name


@pytest.mark.parametrize(
    ("value", "places"),
    [("9.0", 1), ("8.95", 2), ("100", 0), ("1E+2", 0), ("55.20", 2), ("12.16586385700", 9), ("0.1000000", 1)],
)
def test_an_amount_prints_the_places_it_was_given_to(value: str, places: int) -> None:
    """A figure rounded to one decimal prints 9.0, not 9 (issue 23 item 3); zeros a computation leaves beyond
    six places are not a precision and are not printed."""
    from cpsdk.workbook._writer import _places

    assert _places(Decimal(value)) == places


def test_a_label_too_wide_for_its_cell_keeps_its_unit_whole_on_a_line(tmp_path: Path) -> None:
    """Wrapping never leaves a lone “）” (issue 23 item 4): a header that does not fit puts its bracketed unit
    on a line of its own; one that fits is left as it is."""
    import openpyxl

    from cpsdk.workbook._writer import _unit_kept_whole

    assert _unit_kept_whole("园区企业总数（家）", 10) == "园区企业总数\n（家）"
    assert _unit_kept_whole("园区企业总数（家）", 40) == "园区企业总数（家）"
    assert _unit_kept_whole("说明（一）", 4) == "说明\n（一）"
    assert _unit_kept_whole("项目名称", 4) == "项目名称"
    form = cpsdk.get_form("sichuan.retrofit-plan")
    report = form.build(cpsdk.example_dataset(seed=5, enterprises=20), region="5101", year=2019)
    path = form.write(report, tmp_path / "plan.xlsx", draft=True)
    headers = [cell.value for row in openpyxl.load_workbook(path).worksheets[0].iter_rows(max_row=3) for cell in row]
    assert "总投资\n（万元）" in headers
    assert form.read(path) == report
