"""How a sheet is printed: its scale, its page breaks between sections, one set of places per column
(issue 23 items 1 and 3). The rendered pages themselves are checked in tests/test_rendering.py."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import cpsdk
from cpsdk.workbook import Column, Grid, Notes, SheetLayout, Table, Text, Title, Value, WorkbookLayout
from cpsdk.workbook._identity import WorkbookIdentity
from cpsdk.workbook._pages import DEFAULT_ROW_HEIGHT, RowKinds, page_breaks, print_scale
from cpsdk.workbook._writer import write_workbook


def test_a_wider_sheet_prints_smaller_and_a_narrow_one_at_100_percent() -> None:
    assert print_scale((10, 10), landscape=False) == 100
    wide = print_scale((30,) * 8, landscape=False)
    assert 10 <= wide < 100
    assert print_scale((30,) * 8, landscape=True) > wide
    assert print_scale((200,) * 20, landscape=False) == 10  # never below Excel's least


def test_a_page_breaks_before_a_section_not_inside_it() -> None:
    # Rows 0-29 a section merged down its left, rows 30-79 another: a page of about 48 rows at 15 pt.
    kinds = RowKinds.of([(0, 30, "label"), (30, 50, "label")])
    breaks = page_breaks(lambda _: DEFAULT_ROW_HEIGHT, 79, kinds.joined(), scale=100, landscape=False)
    assert breaks == [30, 76]  # the second section is taller than a page: it breaks where the page fills


def test_a_heading_stays_with_the_row_under_it_and_notes_stay_together() -> None:
    # A page holds 46 rows of 15 pt: the 47th (row 46) starts the next page unless that cuts something.
    def breaks(cells: list[tuple[int, int, str]]) -> list[int]:
        return page_breaks(lambda _: 15.0, 59, RowKinds.of(cells).joined(), scale=100, landscape=False)

    values = [(row, 1, "value") for row in range(60)]
    assert breaks(values) == [46]
    heading = [cell for cell in values if cell[0] != 45] + [(45, 1, "header")]
    assert breaks(heading) == [45]  # the heading goes over with the row under it
    notes = [cell for cell in values if not 40 <= cell[0] <= 49] + [(row, 1, "note") for row in range(40, 50)]
    assert breaks(notes) == [40]  # the notes go over together
    joined = RowKinds.of(notes).joined()
    assert joined(41) and not joined(40) and not joined(50)

    rows_per_page = int(page_breaks(lambda _: 15.0, 999, lambda _: False, scale=100, landscape=False)[0])
    assert 40 <= rows_per_page <= 50
    smaller = page_breaks(lambda _: 15.0, 999, lambda _: False, scale=50, landscape=False)[0]
    assert smaller == pytest.approx(2 * rows_per_page, abs=1)  # at half the size a page holds twice the rows


def test_rows_repeated_on_each_page_take_their_room() -> None:
    plain = page_breaks(lambda _: 15.0, 999, lambda _: False, scale=100, landscape=False)
    repeated = page_breaks(lambda _: 15.0, 999, lambda _: False, scale=100, landscape=False, repeat=(0, 4))
    assert repeated[0] == plain[0]  # the first page holds the header rows itself
    assert repeated[1] - repeated[0] == plain[1] - plain[0] - 5


def write_report(layout: WorkbookLayout, report: object, book: Path) -> None:
    identity = WorkbookIdentity(
        form="test.form",
        layout_year=2020,
        sdk_version="0",
        plugin="test",
        plugin_version="0",
        written_at="",
        report_sha256="",
    )
    write_workbook(layout, report, book, identity)


def _written(tmp_path: Path, layout: WorkbookLayout, report: object) -> str:
    book = tmp_path / "book.xlsx"
    write_report(layout, report, book)
    with zipfile.ZipFile(book) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


@attrs.frozen
class _Line:
    name: str
    amount: Decimal


@attrs.frozen
class _Report:
    lines: tuple[_Line, ...]
    total: Decimal


def test_a_sheet_prints_at_its_scale_with_its_breaks_and_never_fits_itself_to_the_page(tmp_path: Path) -> None:
    sections = tuple(
        Grid(
            rows=((Text(text=f"第{n}节", rowspan=20, style="section"), Value(path="total")),)
            + ((Value(path="total"),),) * 19
        )
        for n in range(3)
    )
    layout = WorkbookLayout(
        sheets=(SheetLayout(name="表", columns=(20, 20), blocks=(Title(template="表"), *sections)),)
    )
    xml = _written(tmp_path, layout, _Report(lines=(), total=Decimal(1)))
    assert "fitToPage" not in xml
    assert re.search(r"<pageSetup ", xml) and not re.search(r"<pageSetup [^>]*scale=", xml)  # 100%
    # 1 title row (36 pt) and three sections of 20 rows: the third does not fit with the first two.
    assert re.findall(r'<brk id="(\d+)"', xml) == ["41"]


def test_a_column_prints_every_amount_to_the_same_places(tmp_path: Path) -> None:
    layout = WorkbookLayout(
        sheets=(
            SheetLayout(
                name="表",
                columns=(20, 20),
                blocks=(
                    Table(
                        rows="lines",
                        columns=(
                            Column(header=("名称",), field="name"),
                            Column(header=("金额",), field="amount", decimals=-1),
                        ),
                    ),
                    Notes(lines=("注",)),
                ),
            ),
        )
    )
    values = ("18240.1", "974.41", "6.5817", "9.0")
    report = _Report(lines=tuple(_Line(str(n), Decimal(v)) for n, v in enumerate(values)), total=Decimal(0))
    book = tmp_path / "book.xlsx"
    write_report(layout, report, book)
    with zipfile.ZipFile(book) as archive:
        styles = archive.read("xl/styles.xml").decode()
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    formats = dict(re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles))
    xfs = re.findall(r"<xf [^>]*>", styles.split("<cellXfs")[1])
    amount_cells = re.findall(r'<c r="B\d+" s="(\d+)" t="n"|<c r="B\d+" s="(\d+)"><v>', sheet)
    shown = set()
    for pair in amount_cells:
        style = int(pair[0] or pair[1])
        found = re.search(r'numFmtId="(\d+)"', xfs[style])
        assert found is not None
        shown.add(formats.get(found.group(1), found.group(1)))
    assert shown == {"#,##0.0000"}


def test_a_layout_wider_than_its_columns_is_refused() -> None:
    layout = SheetLayout(
        name="表",
        columns=(10, 10),
        blocks=(
            Table(
                rows="lines",
                columns=(Column(header=("名称",), field="name", span=2), Column(header=("金额",), field="amount")),
            ),
        ),
    )
    with pytest.raises(ValueError, match="uses 3 columns but gives widths for 2"):
        from cpsdk.workbook._layout import plan_sheet

        plan_sheet(layout, {})


@pytest.mark.parametrize("form", cpsdk.list_forms(), ids=lambda form: f"{form.id}.{form.layout_year}")
def test_every_form_s_blank_prints_within_its_columns(form: cpsdk.Form, tmp_path: Path) -> None:
    write_blank = getattr(form, "write_blank", None)
    if write_blank is None:
        pytest.skip(f"{form.id} has no blank")
    xml = zipfile.ZipFile(write_blank(tmp_path / "blank.xlsx")).read("xl/worksheets/sheet1.xml").decode()
    assert "fitToPage" not in xml
    assert "<pageSetup " in xml  # its scale (none written: 100%)


def test_a_narrow_column_prints_fewer_places_never_hashes() -> None:
    """The places a column can print beside its widest whole part: the cell holds the value, its print never
    turns to ###."""
    from cpsdk.workbook._writer import _column_places

    lines = [_Line("a", Decimal("265.661869")), _Line("b", Decimal("12345.5"))]
    assert _column_places(lines, ("amount",), 30) == 6
    assert _column_places(lines, ("amount",), 10) == 2  # 12,345 takes 6 of its 10, with padding and the point
    assert _column_places(lines, ("amount",), 7) == 0


def test_a_unit_too_wide_for_its_line_breaks_inside_not_before_its_bracket() -> None:
    from cpsdk.workbook._writer import _unit_kept_whole

    assert _unit_kept_whole("园区企业总数（家）", 10) == "园区企业总数\n（家）"
    assert (
        _unit_kept_whole("一、按审核方式（本年度完成审核，家次）", 20) == "一、按审核方式\n（本年度完成审核，\n家次）"
    )
    assert (
        _unit_kept_whole("七、方案与绩效（本年度完成审核的方案）", 20) == "七、方案与绩效\n（本年度完成审核的\n方案）"
    )
    assert _unit_kept_whole("总投资（万元）", 40) == "总投资（万元）"


@pytest.mark.parametrize(
    ("label", "width", "lines"),
    [
        ("获得经济效益", 10, ["获得经", "济效益"]),
        ("统一社会信用代码", 14, ["统一社会", "信用代码"]),
        ("评估结论：是否授予绩效证书", 22, ["评估结论：是否", "授予绩效证书"]),
        ("种类2（吨）", 8, ["种类2", "（吨）"]),
        ("项目", 10, ["项目"]),
    ],
)
def test_a_label_too_long_for_its_cell_breaks_into_even_lines(label: str, width: int, lines: list[str]) -> None:
    """No label ends on a lone character or a lone closing mark (issue 23 item 4)."""
    from cpsdk.workbook._writer import _balanced, _line_room, _unit_kept_whole

    assert _balanced(_unit_kept_whole(label, width), _line_room(width, 10)).split("\n") == lines


def test_a_table_whose_rows_have_units_prints_each_amount_in_its_own_places(tmp_path: Path) -> None:
    @attrs.frozen
    class Line:
        name: str
        unit: str
        amount: Decimal

    @attrs.frozen
    class Lines:
        lines: tuple[Line, ...]

    layout = WorkbookLayout(
        sheets=(
            SheetLayout(
                name="表",
                columns=(20, 10, 20),
                blocks=(
                    Table(
                        rows="lines",
                        columns=(
                            Column(header=("项目",), field="name"),
                            Column(header=("单位",), field="unit"),
                            Column(header=("数量",), field="amount", decimals=-1),
                        ),
                    ),
                ),
            ),
        )
    )
    report = Lines(lines=(Line("提出方案", "个", Decimal(22)), Line("节约标准煤", "万吨标准煤", Decimal("4.4467"))))
    book = tmp_path / "book.xlsx"
    write_report(layout, report, book)
    with zipfile.ZipFile(book) as archive:
        styles = archive.read("xl/styles.xml").decode()
    assert 'formatCode="#,##0.0000"' in styles  # 4.4467
    assert 'formatCode="#,##0"' in styles  # 22, not 22.0000


def test_a_block_kept_whole_goes_over_to_the_next_page_with_its_first_row() -> None:
    values = [(row, 1, "value") for row in range(60)]
    kinds = RowKinds.of(values, whole=[(40, 55)])
    assert page_breaks(lambda _: 15.0, 59, kinds.joined(), scale=100, landscape=False) == [40]


def test_a_line_break_in_a_value_s_fixed_text_is_the_print_s_typed_or_not() -> None:
    from cpsdk.workbook._reader import cell_value

    spec = Value(path="kind1_name", template="{}\n（吨）", empty="种类1\n（吨）")
    assert cell_value("种类1\n（吨）", spec) is None and cell_value("种类1（吨）", spec) is None
    assert cell_value("钢渣\n（吨）", spec) == "钢渣" and cell_value("钢渣（吨）", spec) == "钢渣"
