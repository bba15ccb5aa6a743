"""What an empty or dashed cell means is the form's to say, cell by cell (``Blank``): no value, 0, or
refused — and a workbook typed by hand is read by that rule, each reading said at its cell."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest

import cpsdk
from cpsdk.workbook import Column, Grid, SheetLayout, Table, Text, Title, Value, WorkbookLayout


@attrs.frozen(kw_only=True)
class Line:
    name: str = cpsdk.describe("企业名称", "Name")
    staff: int = cpsdk.describe("培训人数", "Trained staff", default=0)
    investment: Decimal | None = cpsdk.describe("投资额", "Investment", default=None, unit=cpsdk.Unit.TEN_THOUSAND_YUAN)
    remark: int | None = cpsdk.describe("项目数", "Projects", default=None)


@attrs.frozen(kw_only=True)
class Sheet:
    region_name: str = cpsdk.describe("地区", "Region")
    year: int = cpsdk.describe("年度", "Year")
    audits: int = cpsdk.describe("审核企业数", "Audits", default=0)
    funds: Decimal | None = cpsdk.describe("资金", "Funds", default=None, unit=cpsdk.Unit.TEN_THOUSAND_YUAN)
    parks: int | None = cpsdk.describe("园区数", "Parks", default=None)
    rows: tuple[Line, ...] = cpsdk.describe("企业", "Enterprises", factory=tuple)


class RulesForm(cpsdk.LayoutForm):
    id = "testprov.blank-rules"
    title = "空白规则"
    layout_year = 2016
    period = cpsdk.Period.YEAR
    scope = cpsdk.Scope.REGION
    report_type = Sheet

    def build(self, dataset: cpsdk.Dataset, **params: Any) -> Sheet:
        return Sheet(region_name="测试省", year=2018)

    def layout(self) -> WorkbookLayout:
        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="表",
                    columns=(24, 12, 12, 12),
                    blocks=(
                        Title(template="{region_name}{year}年空白规则表"),
                        Grid(
                            rows=(
                                (Text(text="审核企业数（个）"), Value(path="audits", blank="zero")),
                                (Text(text="资金（万元）"), Value(path="funds", blank="refuse")),
                                (Text(text="园区数（个）"), Value(path="parks")),
                            )
                        ),
                        Table(
                            rows="rows",
                            columns=(
                                Column(header=("企业名称",), field="name"),
                                Column(header=("培训人数",), field="staff", blank="zero"),
                                Column(header=("投资额（万元）",), field="investment", blank="refuse"),
                                Column(header=("项目数",), field="remark"),
                            ),
                        ),
                    ),
                ),
            )
        )

    def rules(self, report: Sheet) -> list[cpsdk.Issue]:
        return []


GRID = {"audits": 3, "funds": 1, "parks": 2}  # the row of each grid value's cell (column B)
TABLE = {"staff": 1, "investment": 2, "remark": 3}  # the column of each table field (row 6)


def _typed(folder: Path, grid: dict[str, Any], line: dict[str, Any]) -> Path:
    """The form as a clerk types it: title, the grid's three rows, the table with one enterprise."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["测试省2018年空白规则表"])
    for label, field in (("审核企业数（个）", "audits"), ("资金（万元）", "funds"), ("园区数（个）", "parks")):
        sheet.append([label, grid.get(field)])
    sheet.append(["企业名称", "培训人数", "投资额（万元）", "项目数"])
    sheet.append(["甲企业", line.get("staff"), line.get("investment"), line.get("remark")])
    path = folder / "typed.xlsx"
    book.save(path)
    return path


FILLED_GRID = {"audits": 5, "funds": 12.5, "parks": 1}
FILLED_LINE = {"staff": 8, "investment": 30, "remark": 2}


def _read(folder: Path, grid: dict[str, Any], line: dict[str, Any]) -> tuple[Sheet | None, list[cpsdk.Issue]]:
    report, issues = RulesForm().read_with_issues(_typed(folder, grid, line))
    return report, list(issues)


def test_the_filled_form_reads_as_typed(tmp_path: Path) -> None:
    report, issues = _read(tmp_path, FILLED_GRID, FILLED_LINE)
    assert [i for i in issues if i.is_error] == []
    assert report is not None
    assert (report.audits, report.funds, report.parks) == (5, Decimal("12.5"), 1)
    assert report.rows == (Line(name="甲企业", staff=8, investment=Decimal("30"), remark=2),)


@pytest.mark.parametrize("mark", [None, "—", "-", "/", "无"], ids=["empty", "dash", "hyphen", "slash", "none"])
def test_a_cell_whose_blank_is_zero_reads_as_0_and_says_so(mark: str | None, tmp_path: Path) -> None:
    report, issues = _read(tmp_path, {**FILLED_GRID, "audits": mark}, {**FILLED_LINE, "staff": mark})
    assert report is not None and [i for i in issues if i.is_error] == []
    assert report.audits == 0 and report.rows[0].staff == 0
    said = {i.cell for i in issues if i.code == "read.adjusted" and "按 0 读取" in i.message_zh}
    assert said == {"B2", "B6"}


@pytest.mark.parametrize("mark", ["—", "/", "无"])
def test_a_dash_where_blank_means_nothing_reads_as_no_value_and_says_so(mark: str, tmp_path: Path) -> None:
    report, issues = _read(tmp_path, {**FILLED_GRID, "parks": mark}, {**FILLED_LINE, "remark": mark})
    assert report is not None and [i for i in issues if i.is_error] == []
    assert report.parks is None and report.rows[0].remark is None
    said = {i.cell for i in issues if i.code == "read.adjusted" and "读作空" in i.message_zh}
    assert said == {"B4", "D6"}


@pytest.mark.parametrize("mark", [None, "—", "无"], ids=["empty", "dash", "none"])
def test_a_cell_that_refuses_blanks_is_an_error_saying_to_type_0(mark: str | None, tmp_path: Path) -> None:
    _report, issues = _read(tmp_path, {**FILLED_GRID, "funds": mark}, {**FILLED_LINE, "investment": mark})
    errors = {i.cell: i for i in issues if i.is_error}
    assert set(errors) == {"B3", "C6"}, [i.render() for i in issues]
    assert all("没有请填 0" in i.message_zh and "0 for none" in i.message_en for i in errors.values())


def test_the_blank_says_each_cells_rule_in_its_input_message(tmp_path: Path) -> None:
    path = RulesForm().write_blank(tmp_path / "blank.xlsx")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    messages = {str(dv.sqref): dv.prompt or "" for dv in sheet.data_validations.dataValidation}
    by_cell = {cell: next((m for ref, m in messages.items() if cell in ref.split()), "") for cell in ("B2", "B3", "B4")}
    assert "留空即为 0" in by_cell["B2"]
    assert "不能留空" in by_cell["B3"]
    assert "留空" not in by_cell["B4"]


class DashedForm(RulesForm):
    """The same form, its 项目数 column printing “—” for no value (``Column(empty="—")``)."""

    id = "testprov.dashed"

    def layout(self) -> WorkbookLayout:
        sheet = super().layout().sheets[0]
        table = sheet.blocks[2]
        assert isinstance(table, Table)
        columns = tuple(
            attrs.evolve(column, empty="—") if column.field == "remark" else column for column in table.columns
        )
        blocks = (*sheet.blocks[:2], attrs.evolve(table, columns=columns))
        return WorkbookLayout(sheets=(attrs.evolve(sheet, blocks=blocks),))


def test_a_columns_own_text_for_no_value_is_written_and_read_back_as_none(tmp_path: Path) -> None:
    form = DashedForm()
    report = Sheet(region_name="测试省", year=2018, rows=(Line(name="甲企业", staff=3, investment=Decimal(5)),))
    path = form.write(report, tmp_path / "dashed.xlsx", draft=True)
    assert openpyxl.load_workbook(path).worksheets[0]["D6"].value == "—"
    read, issues = form.read_with_issues(path)
    assert read == report
    assert [i for i in issues if i.code.startswith(("read.", "workbook."))] == []
