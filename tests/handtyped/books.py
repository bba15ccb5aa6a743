"""附件1 and 附件2 of 川经信环资〔2016〕153号 as a city clerk types them in Excel or WPS, built with openpyxl.

Nothing here uses cpsdk: the books are what a 市（州） sends in after typing the notice's printed
tables by hand, so that reading them tests cpsdk's recognition and not its own writer.

A book is described as a grid of cells (:class:`Book`), built from a description of the
form's columns (:class:`FormSpec`, :class:`Col`) and plain rows (dicts keyed by the report
row's field names), then saved with :func:`save`. :func:`clean_book` types the table as
printed: the title, the notice's header labels, the rows, and the ``联系人：`` line. Each
habit (:data:`HABITS`) changes a copy of a book the way clerks do, and keeps the book's
bookkeeping right: where the title, header, rows and contact line now are
(:meth:`Book.ref`), which cells a reader must say something about (:attr:`Book.marks`) and
which dates were typed to the month only (:attr:`Book.month_only`). :func:`combine` applies
several habits in the catalogue's order.
"""

from __future__ import annotations

import copy
import datetime
import functools
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from tests.handtyped.sheet import Mark, Pos, TypedSheet

Kind = Literal["seq", "text", "amount", "int", "date", "bool"]

#: Powers of ten of the money units a clerk types, in 元.
MONEY_EXPONENT = {"元": 0, "万元": 4, "亿元": 8}
_FULL_WIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")
#: The units of the rows of a book typed with mixed units: 12580.5万元, 1258000元, 1.2亿元, 86.25万元.
_MIXED_UNITS = ("万元", "元", "亿元", "万元")
#: The characters of a unit that differ in traditional script.
_TRADITIONAL_UNITS = str.maketrans("万亿", "萬億")


@dataclass(frozen=True)
class Col:
    """One column of a printed table."""

    #: The label as the notice prints it.
    header: str
    #: The report row's field (None for 序号).
    field: str | None
    kind: Kind
    #: The label in traditional script.
    traditional: str
    #: The label as typed with line breaks (Alt+Enter), where the printed form wraps it.
    broken: str
    #: The unit an amount is in, printed in the label or not (万元).
    unit: str | None = None
    width: float = 12


@dataclass(frozen=True)
class FormSpec:
    """A printed form: its columns, its title, and the rows of the example the books hold."""

    form_id: str
    #: The attachment's number as printed above its title: ``附件1``.
    attachment: str
    #: The title with ``{region_name}`` and ``{year}``.
    title: str
    title_traditional: str
    columns: tuple[Col, ...]
    rows: tuple[Mapping[str, Any], ...]
    #: The lines of a 填报说明 a clerk adds under the table.
    notes: tuple[str, ...]
    #: The name cpsdk gives the form's sheet.
    cpsdk_sheet: str
    #: The contact line's label as the notice prints it (附件1 with a full-width colon, 附件2 a half-width one).
    contact_label: str
    region: str = "5101"
    region_name: str = "成都市"
    #: The plan year the title names (附件2); None when the title names none.
    year: int | None = None

    def title_text(self, variant: str = "clean") -> str:
        """The title as typed: ``clean`` as printed, ``spaced``, ``straight-quotes`` or ``traditional``."""
        template = self.title_traditional if variant == "traditional" else self.title
        text = template.format(region_name=self.region_name, year=self.year)
        if variant == "spaced":
            return re.sub(r"\s*(\d+|“[^”]*”)\s*", r" \1 ", text).strip()
        if variant == "straight-quotes":
            return text.replace("“", '"').replace("”", '"')
        return text

    def column(self, name: str) -> Col:
        """The column of a field."""
        return next(col for col in self.columns if col.field == name)

    def fields(self, kind: Kind) -> list[str]:
        """The fields of the columns of one kind."""
        return [col.field for col in self.columns if col.kind == kind and col.field is not None]


def _row(**values: Any) -> dict[str, Any]:
    return values


AUDIT_PLAN = FormSpec(
    form_id="sichuan.audit-plan",
    attachment="附件1",
    title="{region_name}“十三五”清洁生产审核计划",
    title_traditional="{region_name}“十三五”清潔生產審核計劃",
    columns=(
        Col("序号", None, "seq", "序號", "序\n号", width=6),
        Col("企业名称", "name", "text", "企業名稱", "企业\n名称", width=30),
        Col("所在地", "location", "text", "所在地", "所在\n地", width=12),
        Col("所属行业", "industry", "text", "所屬行業", "所属\n行业", width=22),
        # The notice prints no unit here; the province's convention is 万元.
        Col("2015年产值", "output_2015", "amount", "2015年產值", "2015年\n产值", unit="万元", width=12),
        Col("主要产品", "main_products", "text", "主要產品", "主要\n产品", width=18),
        Col("主要污染物", "main_pollutants", "text", "主要污染物", "主要\n污染物", width=18),
        Col("实施年度", "year", "int", "實施年度", "实施\n年度", width=10),
    ),
    rows=(
        _row(
            name="四川蓉欣化工有限公司",
            location="青白江区",
            industry="无机盐制造",
            output_2015=Decimal("12580.5"),
            main_products="硫酸钾、氯化铵",
            main_pollutants="二氧化硫、氨氮",
            year=2016,
        ),
        _row(
            name="成都锦华电镀有限公司",
            location="龙泉驿区",
            industry="金属表面处理及热处理加工",
            output_2015=Decimal("3260"),
            main_products="电镀件",
            main_pollutants="铬、镍、COD",
            year=2017,
        ),
        _row(
            name="成都天府制药股份有限公司",
            location="双流区",
            industry="化学药品原料药制造",
            output_2015=Decimal("125.8"),
            main_products="原料药",
            main_pollutants="COD、VOCs",
            year=2018,
        ),
        _row(
            name="成都西岭纸业有限公司",
            location="崇州市",
            industry="机制纸及纸板制造",
            output_2015=Decimal("12000"),
            main_products="瓦楞原纸",
            main_pollutants="COD、氨氮",
            year=2019,
        ),
    ),
    notes=("填报说明：", "1.所在地填写到县（市、区）；", "2.2015年产值以万元为单位。"),
    cpsdk_sheet="审核计划",
    contact_label="联系人：",
)

RETROFIT_PLAN = FormSpec(
    form_id="sichuan.retrofit-plan",
    attachment="附件2",
    title="{region_name}{year}年度工业清洁生产改造计划",
    title_traditional="{region_name}{year}年度工業清潔生產改造計劃",
    columns=(
        Col("序号", None, "seq", "序號", "序\n号", width=6),
        Col("企业名称", "name", "text", "企業名稱", "企业\n名称", width=28),
        Col("所在地", "location", "text", "所在地", "所在\n地", width=12),
        Col("所属行业", "industry", "text", "所屬行業", "所属\n行业", width=20),
        Col("项目名称", "project", "text", "項目名稱", "项目\n名称", width=26),
        Col("总投资（万元）", "investment", "amount", "總投資（萬元）", "总投资\n（万元）", unit="万元", width=12),
        Col("计划完成时间", "planned_completion", "date", "計劃完成時間", "计划完成\n时间", width=12),
        Col(
            "是否为审核提出的中高费方案",
            "from_audit",
            "bool",
            "是否為審核提出的中高費方案",
            "是否为审核提出\n的中高费方案",
            width=14,
        ),
        Col("项目进度", "progress", "text", "項目進度", "项目\n进度", width=12),
    ),
    rows=(
        _row(
            name="四川蓉欣化工有限公司",
            location="青白江区",
            industry="无机盐制造",
            project="硫酸尾气深度脱硫改造",
            investment=Decimal("12580.5"),
            planned_completion=datetime.date(2018, 12, 5),
            from_audit=True,
            progress="设备安装",
        ),
        _row(
            name="成都锦华电镀有限公司",
            location="龙泉驿区",
            industry="金属表面处理及热处理加工",
            project="镀铬漂洗水回用改造",
            investment=Decimal("125.8"),
            planned_completion=datetime.date(2018, 6, 30),
            from_audit=True,
            progress="已完成",
        ),
        _row(
            name="成都天府制药股份有限公司",
            location="双流区",
            industry="化学药品原料药制造",
            project="溶剂回收及VOCs治理",
            investment=Decimal("12000"),
            planned_completion=datetime.date(2019, 3, 31),
            from_audit=False,
            progress="前期准备",
        ),
        _row(
            name="成都西岭纸业有限公司",
            location="崇州市",
            industry="机制纸及纸板制造",
            project="白水封闭循环回用",
            investment=Decimal("86.25"),
            planned_completion=datetime.date(2018, 9, 30),
            from_audit=True,
            progress="土建施工",
        ),
    ),
    notes=("填报说明：", "1.计划完成时间填写到月；", "2.是否为审核提出的中高费方案填“是”或“否”。"),
    cpsdk_sheet="改造计划",
    contact_label="联系人:",
    year=2018,
)

SPECS = (AUDIT_PLAN, RETROFIT_PLAN)


@dataclass(repr=False)
class Book(TypedSheet):
    """A hand-typed workbook as a grid of cells (rows and columns from 0), and where its parts are."""

    spec: FormSpec
    #: The report rows the book holds, in the order typed.
    rows: list[dict[str, Any]]
    contact: str
    title_row: int = 0
    header_rows: list[int] = field(default_factory=list)
    data_rows: list[int] = field(default_factory=list)
    #: Every row of the table's body: data rows, blank rows, 合计 and trailing empty rows.
    table_rows: list[int] = field(default_factory=list)
    total_row: int | None = None
    contact_row: int = 0
    first_col: int = 0
    #: The unit each amount column is typed in (the unit of its label).
    units: dict[str, str] = field(default_factory=dict)
    #: (row index, field) of the dates typed to the month only: a reader may take any day of that month.
    month_only: set[tuple[int, str]] = field(default_factory=set)
    sheets_before: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    sheets_after: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    habits: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"<Book {self.spec.attachment} on {self.sheet!r} with {self.habits or 'no habits'}>"

    # -- where things are ------------------------------------------------------------------

    @property
    def last_col(self) -> int:
        """The table's last column."""
        return self.first_col + len(self.spec.columns) - 1

    def col(self, name: str | None) -> int:
        """The column of a field (``None``: 序号)."""
        return self.first_col + next(i for i, col in enumerate(self.spec.columns) if col.field == name)

    def data_cell(self, index: int, name: str) -> Pos:
        """Where the value of ``name`` of row ``index`` is."""
        return self.data_rows[index], self.col(name)

    def report_data(self) -> dict[str, Any]:
        """The report the book holds, JSON-ready (amounts as exact text, dates as ISO text)."""
        data: dict[str, Any] = {
            "region": self.spec.region,
            "region_name": self.spec.region_name,
            "rows": [{key: _json_ready(value) for key, value in row.items() if value is not None} for row in self.rows],
            "contact_person": self.contact,
        }
        if self.spec.year is not None:
            data["year"] = self.spec.year
        return data

    # -- editing ---------------------------------------------------------------------------

    def retype(
        self,
        index: int,
        name: str,
        value: Any,
        *,
        fmt: str | None = None,
        mark: tuple[Literal["issue", "error"], str] | None = None,
        month_only: bool = False,
    ) -> None:
        """Type a data cell anew: what a reader must say of it, and its precision, go with it."""
        row, col = self.data_cell(index, name)
        self.put((row, col), value, fmt=fmt)
        self.marks = [m for m in self.marks if (m.row, m.col) != (row, col)]
        if mark is not None:
            self.marks.append(Mark(row, col, *mark))
        if month_only:
            self.month_only.add((index, name))
        else:
            self.month_only.discard((index, name))

    def insert_rows(self, at: int, count: int = 1) -> None:
        """Insert empty rows before row ``at``; everything from ``at`` on moves down."""

        def moved(row: int) -> int:
            return row + count if row >= at else row

        self.move_cells(lambda row, col: (moved(row), col))
        self.title_row = moved(self.title_row)
        self.header_rows = [moved(r) for r in self.header_rows]
        self.data_rows = [moved(r) for r in self.data_rows]
        self.table_rows = [moved(r) for r in self.table_rows]
        self.total_row = None if self.total_row is None else moved(self.total_row)
        self.contact_row = moved(self.contact_row)

    def insert_cols(self, at: int, count: int = 1) -> None:
        """Insert empty columns before column ``at``; everything from ``at`` on moves right."""

        def moved(col: int) -> int:
            return col + count if col >= at else col

        self.move_cells(lambda row, col: (row, moved(col)))
        self.first_col = moved(self.first_col)

    @property
    def last_table_row(self) -> int:
        """The last row of the table (its header when it has no body)."""
        return max([*self.header_rows, *self.table_rows])

    def body_row(self, row: int) -> None:
        """Give an inserted row of the table's body its borders."""
        for col in range(self.first_col, self.last_col + 1):
            self.styles[(row, col)] = "cell"


def _json_ready(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def plain(number: Decimal) -> str:
    """An exact number as a clerk types it: no exponent, no trailing zeros."""
    return format(number.normalize(), "f")


def in_unit(amount: Decimal, unit: str, of: str = "万元") -> Decimal:
    """An amount in ``of`` expressed in ``unit``, exactly."""
    return amount.scaleb(MONEY_EXPONENT[of] - MONEY_EXPONENT[unit])


@dataclass(frozen=True)
class Summed:
    """A 合计 cell typed as ``=SUM()`` over its column's data rows, saved with the value Excel computed."""

    value: int | float


def _number(value: Decimal) -> int | float:
    """How a typed number is stored in the cell: Excel keeps a double."""
    return int(value) if value == value.to_integral_value() else float(value)


def typed_value(book: Book, col: Col, value: Any) -> tuple[Any, str | None]:
    """A value as a clerk types it into a clean book, and the cell's number format."""
    if value is None:
        return None, None
    if col.kind == "amount":
        assert col.field is not None
        return _number(in_unit(value, book.units[col.field])), None
    if col.kind == "date":
        return datetime.datetime(value.year, value.month, value.day), "yyyy/m/d"
    if col.kind == "bool":
        return ("是" if value else "否"), None
    return value, None


def clean_book(spec: FormSpec, rows: Iterable[Mapping[str, Any]] | None = None, *, contact: str = "张三") -> Book:
    """The table as printed in the notice, typed on Sheet1 from A1: title, header, rows, ``联系人：``."""
    book = Book(spec=spec, rows=[dict(row) for row in (spec.rows if rows is None else rows)], contact=contact)
    book.units = {col.field: col.unit for col in spec.columns if col.field is not None and col.unit is not None}
    book.put((0, 0), spec.title_text(), style="title")
    book.header_rows = [1]
    for index, col in enumerate(spec.columns):
        book.put((1, index), col.header, style="header")
    for number, row in enumerate(book.rows):
        at = 2 + number
        book.data_rows.append(at)
        book.table_rows.append(at)
        for index, col in enumerate(spec.columns):
            if col.kind == "seq":
                value, fmt = number + 1, None
            else:
                assert col.field is not None
                value, fmt = typed_value(book, col, row.get(col.field))
            book.put((at, index), value, style="cell", fmt=fmt)
    book.contact_row = 2 + len(book.rows)
    book.put((book.contact_row, 0), f"{spec.contact_label}{contact}")
    return book


# -- saving ------------------------------------------------------------------------------------

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def save(book: Book, path: str | Path) -> Path:
    """Write the book with openpyxl, as Excel or WPS would save it."""
    workbook = openpyxl.Workbook()
    default = workbook.active
    assert default is not None
    workbook.remove(default)
    for name, lines in book.sheets_before:
        _text_sheet(workbook, name, lines)
    sheet = workbook.create_sheet(book.sheet)
    for (row, col), style in book.styles.items():
        cell = sheet.cell(row=row + 1, column=col + 1)
        if style == "title":
            cell.font = Font(bold=True, size=16)
            cell.alignment = Alignment(horizontal="center", vertical="center")
        elif style == "header":
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _BORDER
        elif style == "cell":
            cell.border = _BORDER
    cached: dict[str, int | float] = {}
    for (row, col), value in book.cells.items():
        if isinstance(value, Summed):
            letter = get_column_letter(col + 1)
            value, cached[f"{letter}{row + 1}"] = (
                f"=SUM({letter}{min(book.data_rows) + 1}:{letter}{max(book.data_rows) + 1})",
                value.value,
            )
        sheet.cell(row=row + 1, column=col + 1, value=value)
    for (row, col), fmt in book.formats.items():
        sheet.cell(row=row + 1, column=col + 1).number_format = fmt
    for row1, col1, row2, col2 in book.merges:
        sheet.merge_cells(start_row=row1 + 1, start_column=col1 + 1, end_row=row2 + 1, end_column=col2 + 1)
    for index, column in enumerate(book.spec.columns):
        sheet.column_dimensions[get_column_letter(book.first_col + index + 1)].width = column.width
    for name, lines in book.sheets_after:
        _text_sheet(workbook, name, lines)
    target = Path(path)
    workbook.save(target)
    if cached:
        _save_formula_values(target, cached)
    return target


def _save_formula_values(path: Path, cached: Mapping[str, int | float]) -> None:
    """Put in each formula cell the value Excel or WPS saves with it (openpyxl saves none)."""
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            if info.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                for cell, value in cached.items():
                    text = re.sub(
                        rf'(<c r="{cell}"[^>]*>\s*<f>[^<]*</f>)\s*<v\s*/>',
                        lambda match, value=value: f"{match.group(1)}<v>{value!r}</v>",
                        text,
                    )
                data = text.encode("utf-8")
            target.writestr(info, data)


def _text_sheet(workbook: openpyxl.Workbook, name: str, lines: Sequence[str]) -> None:
    sheet = workbook.create_sheet(name)
    for number, line in enumerate(lines, start=1):
        sheet.cell(row=number, column=1, value=line)


# -- habits ------------------------------------------------------------------------------------


def _always(spec: FormSpec) -> bool:
    return True


def _has(kind: Kind) -> Callable[[FormSpec], bool]:
    def has(spec: FormSpec) -> bool:
        return bool(spec.fields(kind))

    return has


def _unit_unprinted(spec: FormSpec) -> bool:
    return any(col.kind == "amount" and "（" not in col.header for col in spec.columns)


def _quoted_title(spec: FormSpec) -> bool:
    return "“" in spec.title


@dataclass(frozen=True, repr=False)
class Habit:
    """One way a clerk types the form differently from the printed table."""

    name: str
    #: Habits of one group are variants of one another: a book has at most one of each group.
    group: str
    change: Callable[[Book], None]
    applies: Callable[[FormSpec], bool] = _always
    #: True when the book still holds the clean report (else it is to be refused or questioned).
    same_report: bool = True

    def __repr__(self) -> str:
        return f"<Habit {self.name}>"

    def __call__(self, book: Book) -> Book:
        """A copy of ``book`` with the habit applied."""
        changed = copy.deepcopy(book)
        self.change(changed)
        changed.habits.append(self.name)
        return changed


def header_unit(book: Book, unit: str) -> None:
    """Amount columns whose label prints no unit labelled with ``unit``, their values typed in it."""
    for col in book.spec.columns:
        if col.kind != "amount" or col.field is None or "（" in col.header:
            continue
        book.units[col.field] = unit
        book.put((book.header_rows[0], book.col(col.field)), f"{col.header}（{unit}）")
        for index, row in enumerate(book.rows):
            value, fmt = typed_value(book, col, row.get(col.field))
            book.retype(index, col.field, value, fmt=fmt)


def amounts(book: Book, style: str, unit: str | None = None) -> None:
    """Amounts typed as text, with thousands separators, in full-width digits, or with a unit in the cell."""
    for name in book.spec.fields("amount"):
        column_unit = book.units[name]
        for index, row in enumerate(book.rows):
            value: Decimal | None = row.get(name)
            if value is None:
                continue
            shown = in_unit(value, column_unit)
            if style == "text":
                book.retype(index, name, plain(shown), fmt="@")
            elif style == "thousands":
                book.retype(index, name, format(shown.normalize(), ",f"), fmt="@")
            elif style == "full-width":
                book.retype(index, name, plain(shown).translate(_FULL_WIDTH), fmt="@")
            elif style == "unit":
                typed_unit = unit or _MIXED_UNITS[index % len(_MIXED_UNITS)]
                converted = typed_unit != column_unit
                book.retype(
                    index,
                    name,
                    f"{plain(in_unit(value, typed_unit))}{typed_unit}",
                    fmt="@",
                    mark=("issue", f"{typed_unit} converted to {column_unit}") if converted else None,
                )
            else:
                raise ValueError(style)


def dates(book: Book, style: str) -> None:
    """Dates typed the ways clerks type them; a date typed to the month only is a guess a reader must say."""
    for name in book.spec.fields("date"):
        for index, row in enumerate(book.rows):
            day: datetime.date | None = row.get(name)
            if day is None:
                continue
            month_mark: tuple[Literal["issue"], str] = ("issue", "a day was chosen for a month")
            if style == "number":
                if day.month == 10:
                    raise ValueError("2018.10 is stored as 2018.1, which reads as January")
                # Typed 2018.12, Excel keeps the number 2018.12 (never a date).
                book.retype(
                    index,
                    name,
                    float(f"{day.year}.{day.month:02d}"),
                    mark=("issue", "a number read as a month"),
                    month_only=True,
                )
            elif style == "month-text":
                book.retype(index, name, f"{day.year}年{day.month}月", fmt="@", mark=month_mark, month_only=True)
            elif style == "month-dash":
                book.retype(index, name, f"{day.year}-{day.month:02d}", fmt="@", mark=month_mark, month_only=True)
            elif style == "slash":
                book.retype(index, name, f"{day.year}/{day.month}/{day.day}", fmt="@")
            elif style == "iso-text":
                book.retype(index, name, day.isoformat(), fmt="@")
            elif style == "dots":
                book.retype(index, name, f"{day.year}.{day.month}.{day.day}", fmt="@")
            elif style == "excel-month":
                # Typed 2018年12月, Excel makes it the date 2018-12-01 shown as a month: the day is not the clerk's.
                first = datetime.datetime(day.year, day.month, 1)
                book.retype(index, name, first, fmt='yyyy"年"m"月"', month_only=True)
            else:
                raise ValueError(style)


def ticks(book: Book) -> None:
    """是/否 typed as √/×."""
    for name in book.spec.fields("bool"):
        for index, row in enumerate(book.rows):
            if row.get(name) is not None:
                book.retype(index, name, "√" if row[name] else "×")


def years_with_suffix(book: Book) -> None:
    """A year typed as ``2017年``."""
    for name in book.spec.fields("int"):
        for index, row in enumerate(book.rows):
            if row.get(name) is not None:
                book.retype(index, name, f"{row[name]}年", fmt="@")


def spaces(book: Book, space: str = " ") -> None:
    """Text cells with spaces around them (and the contact's name)."""
    for name in book.spec.fields("text"):
        for index, row in enumerate(book.rows):
            if row.get(name) is not None:
                book.retype(index, name, f"{space}{row[name]}{space}")
    book.put((book.contact_row, book.first_col), f"{book.spec.contact_label}{space}{book.contact}{space}")


def labels(book: Book, style: str) -> None:
    """Header labels typed with line breaks, spaced out, with half-width brackets, in traditional script or
    with the unit the notice does not print."""
    row = book.header_rows[0]
    for index, col in enumerate(book.spec.columns):
        pos = (row, book.first_col + index)
        label = str(book.cells[pos])
        unit = book.units.get(col.field or "")
        if style == "line-breaks":
            label = col.broken if label == col.header else label.replace("（", "\n（")
        elif style == "spaces":
            spaced = re.sub(r"\s*（", " （", re.sub(r"(\d+)\s*", r"\1 ", label))
            label = " ".join(label) if len(label) <= 4 else spaced.strip() + " "
        elif style == "half-width":
            if unit is not None and "（" not in label:
                label += f"（{unit}）"
            label = label.replace("（", "(").replace("）", ")")
        elif style == "traditional":
            if label.startswith(col.header):
                label = col.traditional + label.removeprefix(col.header).translate(_TRADITIONAL_UNITS)
        elif style == "with-unit":
            if unit is not None and "（" not in label:
                label += f"（{unit}）"
        else:
            raise ValueError(style)
        book.put(pos, label)


def title(book: Book, variant: str) -> None:
    """The title typed with spaces, straight quotes or in traditional script."""
    book.put((book.title_row, book.first_col), book.spec.title_text(variant))


def contact(book: Book, style: str) -> None:
    """The 联系人 line split over two cells, with the other colon (full-width or half-width) than the notice
    prints, or with a telephone number after it."""
    row, col = book.contact_row, book.first_col
    label = book.spec.contact_label
    if style == "split":
        book.put((row, col), label)
        book.put((row, col + 1), book.contact)
    elif style == "other-colon":
        other = label.translate(str.maketrans(":：", "：:"))
        book.put((row, col), f"{other}{book.contact}")
    elif style == "phone":
        book.put((row, col + 4), "联系电话：028-86001234")
    else:
        raise ValueError(style)


def wrong_dimension(book: Book, index: int = 1, text: str = "12吨") -> None:
    """An amount typed in another dimension (a mass in a money column): to be refused, naming the cell."""
    for name in book.spec.fields("amount"):
        book.retype(index, name, text, fmt="@", mark=("error", f"{text} is not money"))


def blank_row(book: Book, after: int | None = None) -> None:
    """An empty row left inside the table (between two rows of data): to be skipped, saying so."""
    index = len(book.data_rows) // 2 - 1 if after is None else after
    at = book.data_rows[index] + 1
    book.insert_rows(at)
    book.table_rows.append(at)
    book.table_rows.sort()
    book.body_row(at)
    book.marks.append(Mark(at, None, "issue", "a blank row inside the table was skipped"))


def total_row(
    book: Book, off_by: Decimal = Decimal(0), label: str = "合计", merge_label: bool = False, formulas: bool = False
) -> None:
    """A 合计 row after the data, summing each amount column (``off_by`` more than the sum): to be left out.
    With ``formulas``, each total is ``=SUM()`` of its column, saved with its value as Excel saves it."""
    at = max([*book.data_rows, *book.table_rows]) + 1
    book.insert_rows(at)
    book.table_rows.append(at)
    book.total_row = at
    book.body_row(at)
    book.put((at, book.first_col), label)
    for name in book.spec.fields("amount"):
        total = sum((row[name] for row in book.rows if row.get(name) is not None), Decimal(0)) + off_by
        shown = _number(in_unit(total, book.units[name]))
        book.put((at, book.col(name)), Summed(shown) if formulas else shown)
    if merge_label:
        book.merge(at, book.first_col, at, book.first_col + 1)
    book.marks.append(Mark(at, None, "issue", "the 合计 row was left out"))


def trailing_rows(book: Book, count: int = 3, numbered: bool = False) -> None:
    """Empty bordered rows after the table, left for more entries (their 序号 typed in advance or not)."""
    at = book.last_table_row + 1
    book.insert_rows(at, count)
    for offset in range(count):
        book.table_rows.append(at + offset)
        book.body_row(at + offset)
        if numbered:
            book.put((at + offset, book.first_col), len(book.rows) + offset + 1)


def notes(book: Book, position: str) -> None:
    """A 填报说明 under the table: one merged line after 联系人, or its lines between the table and 联系人."""
    lines = book.spec.notes
    if position == "after-contact":
        at = book.contact_row + 1
        book.insert_rows(at)
        book.put((at, book.first_col), "".join(lines))
        book.merge(at, book.first_col, at, book.last_col)
    elif position == "before-contact":
        at = book.contact_row
        book.insert_rows(at, len(lines))
        for offset, line in enumerate(lines):
            book.put((at + offset, book.first_col), line)
    else:
        raise ValueError(position)


def line_above_header(book: Book, kind: str) -> None:
    """A line between the title and the header: the money unit, or who files and when."""
    at = book.header_rows[0]
    book.insert_rows(at)
    if kind == "unit":
        unit = next(iter(book.units.values()), "万元")
        book.put((at, book.last_col), f"单位：{unit}")
    elif kind == "filer":
        book.put((at, book.first_col), f"填报单位（盖章）：{book.spec.region_name}经济和信息化委员会")
        book.put((at, book.last_col - 1), "填报日期：2018年3月15日")
    else:
        raise ValueError(kind)


def merged_header(book: Book, style: str) -> None:
    """The header typed over two rows: each label merged down (``tall``), or the unit in the second row under
    its label and the other labels merged down (``unit-row``)."""
    top = book.header_rows[-1]
    bottom = top + 1
    book.insert_rows(bottom)
    book.header_rows.append(bottom)
    for col in range(book.first_col, book.last_col + 1):
        book.styles[(bottom, col)] = "header"
        label = str(book.cells.get((top, col), ""))
        split = re.search(r"\s*[（(]", label)
        if style == "unit-row" and split is not None:
            book.put((top, col), label[: split.start()].strip())
            book.put((bottom, col), label[split.start() :].strip())
        elif style in ("tall", "unit-row"):
            book.merge(top, col, bottom, col)
        else:
            raise ValueError(style)


def merged_title(book: Book) -> None:
    """The title merged and centred across the table's columns."""
    book.merge(book.title_row, book.first_col, book.title_row, book.last_col)


def leading_column(book: Book, count: int = 1) -> None:
    """Empty columns left before the table."""
    book.insert_cols(0, count)


def above_title(book: Book) -> None:
    """The attachment's number above the title, then an empty row, as the notice prints it."""
    book.insert_rows(0, 2)
    book.put((0, book.first_col), book.spec.attachment)


def sheet_name(book: Book, called: str) -> None:
    """The sheet renamed: ``attachment`` for the attachment's number (附件2), ``cpsdk`` for cpsdk's sheet name."""
    book.sheet = {"attachment": book.spec.attachment, "cpsdk": book.spec.cpsdk_sheet}.get(called, called)


def other_sheets(book: Book, before: bool) -> None:
    """Other sheets in the workbook: a 填报说明 sheet before the form, or Excel's empty Sheet2 and Sheet3 after."""
    if before:
        book.sheets_before.append(("填报说明", book.spec.notes))
    else:
        book.sheets_after.extend([("Sheet2", ()), ("Sheet3", ())])


def _habit(
    name: str,
    group: str,
    change: Callable[..., None],
    applies: Callable[[FormSpec], bool] = _always,
    same_report: bool = True,
    **params: Any,
) -> Habit:
    return Habit(name, group, functools.partial(change, **params), applies, same_report)


#: Every habit, in the order :func:`combine` applies them (values, then labels and lines, then the rows
#: and columns inserted around them, then the sheets).
HABITS: tuple[Habit, ...] = (
    _habit("header-unit-yi", "header-unit", header_unit, _unit_unprinted, unit="亿元"),
    _habit("amounts-text", "amounts", amounts, _has("amount"), style="text"),
    _habit("amounts-thousands", "amounts", amounts, _has("amount"), style="thousands"),
    _habit("amounts-full-width", "amounts", amounts, _has("amount"), style="full-width"),
    _habit("amounts-unit-wan", "amounts", amounts, _has("amount"), style="unit", unit="万元"),
    _habit("amounts-unit-yi", "amounts", amounts, _has("amount"), style="unit", unit="亿元"),
    _habit("amounts-unit-yuan", "amounts", amounts, _has("amount"), style="unit", unit="元"),
    _habit("amounts-mixed-units", "amounts", amounts, _has("amount"), style="unit"),
    _habit("dates-number", "dates", dates, _has("date"), style="number"),
    _habit("dates-month-text", "dates", dates, _has("date"), style="month-text"),
    _habit("dates-month-dash", "dates", dates, _has("date"), style="month-dash"),
    _habit("dates-slash", "dates", dates, _has("date"), style="slash"),
    _habit("dates-iso-text", "dates", dates, _has("date"), style="iso-text"),
    _habit("dates-dots", "dates", dates, _has("date"), style="dots"),
    _habit("dates-excel-month", "dates", dates, _has("date"), style="excel-month"),
    _habit("bools-ticks", "bools", ticks, _has("bool")),
    _habit("years-with-suffix", "years", years_with_suffix, _has("int")),
    _habit("spaces-around-text", "spaces", spaces, space=" "),
    _habit("ideographic-spaces-around-text", "spaces", spaces, space="\u3000"),
    _habit("labels-line-breaks", "labels", labels, style="line-breaks"),
    _habit("labels-spaces", "labels", labels, style="spaces"),
    _habit("labels-half-width", "labels", labels, style="half-width"),
    _habit("labels-traditional", "labels", labels, style="traditional"),
    _habit("labels-with-unit", "labels", labels, _unit_unprinted, style="with-unit"),
    _habit("title-spaced", "title", title, variant="spaced"),
    _habit("title-straight-quotes", "title", title, _quoted_title, variant="straight-quotes"),
    _habit("title-traditional", "title", title, variant="traditional"),
    _habit("contact-split", "contact", contact, style="split"),
    _habit("contact-other-colon", "contact", contact, style="other-colon"),
    _habit("contact-with-phone", "contact", contact, style="phone"),
    _habit("wrong-dimension", "wrong", wrong_dimension, _has("amount"), same_report=False),
    _habit("blank-row-inside", "blank", blank_row),
    _habit("total-row", "total", total_row),
    _habit("total-row-merged-label", "total", total_row, merge_label=True),
    _habit("total-row-formulas", "total", total_row, _has("amount"), formulas=True),
    _habit("total-row-differs", "total", total_row, _has("amount"), same_report=False, off_by=Decimal(100)),
    _habit("trailing-empty-rows", "trailing", trailing_rows),
    _habit("trailing-numbered-rows", "trailing", trailing_rows, numbered=True),
    _habit("notes-after-contact", "notes", notes, position="after-contact"),
    _habit("notes-before-contact", "notes", notes, position="before-contact"),
    _habit("unit-line", "above-header", line_above_header, _has("amount"), kind="unit"),
    _habit("filer-line", "above-header", line_above_header, kind="filer"),
    _habit("merged-header-tall", "header-merge", merged_header, style="tall"),
    _habit("merged-header-unit-row", "header-merge", merged_header, style="unit-row"),
    _habit("merged-title", "title-merge", merged_title),
    _habit("leading-column", "column", leading_column),
    _habit("rows-above-title", "above-title", above_title),
    _habit("sheet-attachment", "sheet", sheet_name, called="attachment"),
    _habit("sheet-city", "sheet", sheet_name, called="成都市"),
    _habit("sheet-cpsdk-name", "sheet", sheet_name, called="cpsdk"),
    _habit("sheets-after", "other-sheets", other_sheets, before=False),
    _habit("sheet-before", "other-sheets", other_sheets, before=True),
)

_ORDER = {habit.name: position for position, habit in enumerate(HABITS)}


def habit(name: str) -> Habit:
    """A habit by name."""
    return HABITS[_ORDER[name]]


def habits_for(spec: FormSpec, *, same_report: bool | None = None) -> list[Habit]:
    """The habits a clerk can have typing ``spec`` (those keeping the report only, or the others only)."""
    return [h for h in HABITS if h.applies(spec) and (same_report is None or h.same_report == same_report)]


def combine(book: Book, habits: Iterable[Habit | str]) -> Book:
    """``book`` with several habits (one of each group at most), applied in the catalogue's order."""
    chosen = sorted((habit(h) if isinstance(h, str) else h for h in habits), key=lambda h: _ORDER[h.name])
    groups = [h.group for h in chosen]
    if len(groups) != len(set(groups)):
        raise ValueError(f"two habits of one group: {[h.name for h in chosen]}")
    for each in chosen:
        book = each(book)
    return book
