"""Describing a form's sheets once, for writing and for reading.

A sheet is a column of blocks laid out top to bottom:

- :class:`Title` — a line of text across the sheet, possibly naming report fields
  (``"{region_name}{year}年度工业清洁生产改造计划"``); reading parses it back.
- :class:`Grid` — fixed rows of :class:`Text` labels and :class:`Value` cells bound
  to report fields, placed like an HTML table (``colspan``/``rowspan`` merge cells).
- :class:`Table` — multi-row merged headers from :class:`Column` header paths, then
  one row per item of a tuple in the report.
- :class:`Notes` — the 填报说明 lines printed under the grid.

:func:`plan_sheet` turns a sheet and the number of rows of each table into placed
cells; the writer writes them and the reader reads the same addresses, so a value's
cell is known for issues (:meth:`SheetPlan.cell_of`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Literal

import attrs
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell_fast

from cpsdk.base._errors import ExcelLimitError

#: Excel's limits (Excel specifications and limits).
MAX_ROWS = 1_048_576
MAX_CELL_TEXT = 32_767
MAX_SHEET_NAME = 31
#: What a draft's titles end with (written, and taken off when read).
DRAFT_MARK = "（草稿）"
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

Path = tuple[str | int, ...]


def parse_path(text: str) -> Path:
    """A dotted path (``"s2.voluntary.year"``) as a tuple of keys."""
    return tuple(int(part) if part.isdigit() else part for part in text.split("."))


def path_pointer(path: Path) -> str:
    """The JSON pointer of a path into a report."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def pointer_path(pointer: str) -> Path:
    """The path a JSON pointer into a report names (the inverse of :func:`path_pointer`)."""
    parts = (part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:])
    # An index is ASCII digits of a size a list can have: anything else (², 5,000 digits) is a name.
    return tuple(int(part) if part.isascii() and part.isdigit() and len(part) <= 9 else part for part in parts)


#: What an empty cell, or one typed ``—``, ``-``, ``/`` or ``无``, means for a value, as the form's notes
#: say: ``"empty"`` no value (the default), ``"zero"`` a count or amount of 0 (read with a warning), or
#: ``"refuse"`` nothing a clerk may leave (an error saying to type the value, or 0).
Blank = Literal["empty", "zero", "refuse"]


@attrs.frozen(kw_only=True)
class Text:
    """A fixed label cell; ``{field}`` names a top-level report field (``"{year}年"``)."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    style: str = "label"


@attrs.frozen(kw_only=True)
class Value:
    """A cell bound to a report field by its dotted ``path``.

    ``template`` shows a text value inside fixed text (``"{}（吨）"``) and is taken off
    again when reading; ``empty`` is the text shown for no value (read back as none);
    ``labels`` are the texts of true and false for a yes/no field (a tick box such as
    ``("有☑　无☐", "有☐　无☑")``).
    """

    path: str
    colspan: int = 1
    rowspan: int = 1
    decimals: int | None = None
    style: str | None = None
    template: str | None = None
    empty: str | None = None
    labels: tuple[str, str] | None = None
    #: What the cell left empty or dashed means (:data:`Blank`); None: the grid's rule.
    blank: Blank | None = None


Cell = Text | Value


@attrs.frozen(kw_only=True)
class Title:
    """A line of text across the sheet; ``{field}`` names a top-level report field."""

    template: str
    style: str = "title"
    height: float = 36


@attrs.frozen(kw_only=True)
class Grid:
    """Fixed rows of cells, placed left to right, skipping cells covered by a rowspan above."""

    rows: tuple[tuple[Cell, ...], ...]
    #: Whether a count or amount left blank (or typed as a dash) means zero, as forms whose notes say
    #: to leave zeros empty have it; reading it then gives 0, with a warning. A value's own
    #: ``Value(blank=…)`` overrides it.
    blank_is_zero: bool = False


@attrs.frozen(kw_only=True)
class Column:
    """A table column: its header path (outermost first), the row field it shows, its width."""

    header: tuple[str, ...]
    field: str
    width: float = 12
    decimals: int | None = None
    style: str | None = None
    #: Sheet columns the column's cells are merged across.
    span: int = 1
    #: Other headers a clerk may type for this column (compared as labels are: see
    #: :func:`~cpsdk.workbook._labels.normalise_label`), when reading a workbook typed by hand.
    synonyms: tuple[str, ...] = ()
    #: What a cell of the column left empty or dashed means (:data:`Blank`).
    blank: Blank = "empty"
    #: The text shown for no value (``"—"`` where a figure cannot be given), read back as no value.
    empty: str | None = None

    @property
    def is_number(self) -> bool:
        """True for the 序号 column, which counts rows rather than showing a field."""
        return self.field == "#"


@attrs.frozen(kw_only=True)
class Table:
    """A header made of merged cells, then one row per item of the report's tuple ``rows``.

    One blank row is always written after the items, for the filer to add to.
    ``lead`` is an optional label merged down the left of the whole table (a
    section name in a larger grid); it takes ``lead.colspan`` columns.
    """

    rows: str
    columns: tuple[Column, ...]
    lead: Text | None = None
    #: Whether a row named 合计/小计/总计 is one of the table's rows (a summary's 合计 line) rather than
    #: a total under them, which reading a workbook typed by hand checks and leaves out.
    totals_are_records: bool = False


@attrs.frozen(kw_only=True)
class Notes:
    """Lines printed under the grid, e.g. 填报说明."""

    lines: tuple[str, ...]
    title: str | None = None


Block = Title | Grid | Table | Notes


@attrs.frozen(kw_only=True)
class SheetLayout:
    """One worksheet: its name, width in columns, blocks, and print setup."""

    name: str
    columns: tuple[float, ...]
    blocks: tuple[Block, ...]
    landscape: bool = False
    repeat_table_header: bool = True
    #: Rows and columns frozen at the top left; None freezes a single table's header.
    freeze: tuple[int, int] | None = None

    def __attrs_post_init__(self) -> None:
        check_sheet_name(self.name)

    @property
    def width(self) -> int:
        """Number of columns the sheet uses."""
        return len(self.columns)

    def tables(self) -> tuple[Table, ...]:
        """The sheet's tables, in order."""
        return tuple(block for block in self.blocks if isinstance(block, Table))


@attrs.frozen(kw_only=True)
class WorkbookLayout:
    """Every sheet of a form's workbook, in order."""

    sheets: tuple[SheetLayout, ...]


def check_sheet_name(name: str) -> None:
    """Refuse a sheet name Excel would refuse."""
    if not name or len(name) > MAX_SHEET_NAME:
        raise ExcelLimitError(f"sheet name {name!r} must have 1 to {MAX_SHEET_NAME} characters")
    if _SHEET_NAME_FORBIDDEN.search(name) or name.startswith("'") or name.endswith("'"):
        raise ExcelLimitError(f"sheet name {name!r} contains a character Excel forbids")


@attrs.frozen(kw_only=True)
class Placed:
    """A cell placed on the sheet: top-left position, span, and what it holds."""

    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    text: str | None = None
    path: Path | None = None
    style: str = "label"
    decimals: int | None = None
    role: str = "label"  # label, value, title, note, header, number, blank
    value: Value | None = None  # how a grid value cell shows its value
    #: What a grid value's cell left empty or dashed means: its own rule, or its grid's.
    blank: Blank = "empty"


@attrs.frozen(kw_only=True)
class TablePlan:
    """Where a table's data rows are: first data row, count, and its data columns.

    Its cells are not placed one by one (a table may have a million): :meth:`cells`
    places them on demand, and writers and readers go through the rows themselves.
    """

    table: Table
    first_row: int
    count: int
    columns: tuple[tuple[int, Column], ...]
    #: Each column's field as a path into a row (None for the 序号 column).
    fields: tuple[Path | None, ...] = attrs.field()

    #: Where the table's rows are in the report, and which column shows each field (worked out once:
    #: locating many issues in one table asks again and again).
    _rows_path: Path = attrs.field(init=False, eq=False, repr=False)
    _column_of: dict[Path, int] = attrs.field(init=False, eq=False, repr=False)

    @fields.default
    def _fields(self) -> tuple[Path | None, ...]:
        return tuple(None if column.is_number else parse_path(column.field) for _, column in self.columns)

    @_rows_path.default
    def _parse_rows_path(self) -> Path:
        return parse_path(self.table.rows)

    @_column_of.default
    def _index_fields(self) -> dict[Path, int]:
        index: dict[Path, int] = {}
        for position, field in enumerate(self.fields):
            if field is not None:
                index.setdefault(field, position)
        return index

    @property
    def blank_row(self) -> int:
        """The row left blank under the data, for additions."""
        return self.first_row + self.count

    def cell(self, offset: int, index: int) -> Placed:
        """The cell of data row ``offset`` (the blank row when it equals ``count``) in column ``index``."""
        col, column = self.columns[index]
        row = self.first_row + offset
        if offset == self.count:
            return Placed(row=row, col=col, colspan=column.span, style="blank", role="blank")
        field = self.fields[index]
        if field is None:
            return Placed(row=row, col=col, colspan=column.span, text=str(offset + 1), style="number", role="number")
        return Placed(
            row=row,
            col=col,
            colspan=column.span,
            path=(*self.rows_path, offset, *field),
            style=column.style or "",
            decimals=column.decimals,
            role="value",
        )

    def cells(self) -> Iterator[Placed]:
        """Every cell of the data rows and of the blank row, in row order."""
        for offset in range(self.count + 1):
            for index in range(len(self.columns)):
                yield self.cell(offset, index)

    @property
    def rows_path(self) -> Path:
        """Where the table's rows are in the report."""
        return self._rows_path

    def cell_of(self, path: Path) -> Placed | None:
        """The cell bound to ``path`` (``(*rows_path, offset, *field)``), if this table shows it."""
        depth = len(self.rows_path)
        if len(path) < depth + 2 or tuple(path[:depth]) != self.rows_path:
            return None
        offset = path[depth]
        if not isinstance(offset, int) or not 0 <= offset < self.count:
            return None
        index = self._column_of.get(tuple(path[depth + 1 :]))
        return None if index is None else self.cell(offset, index)


@attrs.frozen(kw_only=True)
class TitlePlan:
    """Where a title is and its template."""

    title: Title
    row: int


@attrs.frozen(kw_only=True)
class SheetPlan:
    """Every placed cell of a sheet, for a given number of rows per table."""

    layout: SheetLayout
    #: The cells outside tables' data rows: titles, grids, notes, table headers.
    fixed: tuple[Placed, ...]
    tables: tuple[TablePlan, ...]
    titles: tuple[TitlePlan, ...]
    last_row: int
    by_path: Mapping[Path, Placed]

    @property
    def cells(self) -> tuple[Placed, ...]:
        """Every cell: the fixed ones, then each table's data rows (placed now: for large tables prefer
        :attr:`fixed` and :meth:`TablePlan.cells`)."""
        return (*self.fixed, *(cell for table in self.tables for cell in table.cells()))

    def cell_of(self, path: Path) -> Placed | None:
        """The value cell bound to ``path``, if this sheet shows it."""
        found = self.by_path.get(path)
        if found is None:
            found = next((cell for table in self.tables if (cell := table.cell_of(path)) is not None), None)
        return found


def header_depth(columns: Sequence[Column]) -> int:
    """Rows taken by a table's header."""
    return max(len(column.header) for column in columns)


def plan_sheet(layout: SheetLayout, counts: Mapping[str, int]) -> SheetPlan:
    """Place every cell of ``layout`` with ``counts[table.rows]`` data rows per table."""
    cells: list[Placed] = []
    tables: list[TablePlan] = []
    titles: list[TitlePlan] = []
    row = 0
    for block in layout.blocks:
        if isinstance(block, Title):
            titles.append(TitlePlan(title=block, row=row))
            cells.append(
                Placed(row=row, col=0, colspan=layout.width, text=block.template, style=block.style, role="title")
            )
            row += 1
        elif isinstance(block, Grid):
            row = _plan_grid(block, row, layout.width, cells)
        elif isinstance(block, Table):
            plan, row = _plan_table(block, row, counts.get(block.rows, 0), cells)
            tables.append(plan)
        else:
            if block.title:
                cells.append(
                    Placed(row=row, col=0, colspan=layout.width, text=block.title, style="notes_title", role="note")
                )
                row += 1
            for line in block.lines:
                cells.append(Placed(row=row, col=0, colspan=layout.width, text=line, style="note", role="note"))
                row += 1
    if row > MAX_ROWS:
        raise ExcelLimitError(f"sheet {layout.name!r} would need {row} rows; Excel allows {MAX_ROWS}")
    widest = max(
        [cell.col + cell.colspan for cell in cells]
        + [col + column.span for table in tables for col, column in table.columns]
    )
    if widest > layout.width:
        # Columns past the sheet's widths print narrow, on a page of their own.
        raise ValueError(f"sheet {layout.name!r} uses {widest} columns but gives widths for {layout.width}")
    return SheetPlan(
        layout=layout,
        fixed=tuple(cells),
        tables=tuple(tables),
        titles=tuple(titles),
        last_row=row - 1,
        by_path={cell.path: cell for cell in cells if cell.path is not None},
    )


def _plan_grid(grid: Grid, top: int, width: int, cells: list[Placed]) -> int:
    covered: set[tuple[int, int]] = set()
    bottom = top + len(grid.rows)
    for offset, row_cells in enumerate(grid.rows):
        row = top + offset
        col = 0
        for cell in row_cells:
            while (row, col) in covered:
                col += 1
            if isinstance(cell, Text):
                placed = Placed(
                    row=row, col=col, rowspan=cell.rowspan, colspan=cell.colspan, text=cell.text, style=cell.style
                )
            else:
                placed = Placed(
                    row=row,
                    col=col,
                    rowspan=cell.rowspan,
                    colspan=cell.colspan,
                    path=parse_path(cell.path),
                    style=cell.style or "",
                    decimals=cell.decimals,
                    role="value",
                    value=cell,
                    blank=cell.blank or ("zero" if grid.blank_is_zero else "empty"),
                )
            cells.append(placed)
            for r in range(row, row + cell.rowspan):
                for c in range(col, col + cell.colspan):
                    covered.add((r, c))
            bottom = max(bottom, row + cell.rowspan)
            col += cell.colspan
        if col > width:
            raise ValueError(f"grid row {offset} is {col} columns wide; the sheet has {width}")
    return bottom


def _plan_table(table: Table, top: int, count: int, cells: list[Placed]) -> tuple[TablePlan, int]:
    depth = header_depth(table.columns)
    data_rows = count + 1  # one blank row for additions, placed by TablePlan.cell
    left = 0
    if table.lead is not None:
        left = table.lead.colspan
        cells.append(
            Placed(
                row=top, col=0, rowspan=depth + data_rows, colspan=left, text=table.lead.text, style=table.lead.style
            )
        )
    columns: list[tuple[int, Column]] = []
    col = left
    for column in table.columns:
        columns.append((col, column))
        col += column.span
    # Header: a level-l cell spans the consecutive columns sharing the header prefix up to l;
    # a header shorter than the depth is merged down to the bottom header row.
    for level in range(depth):
        index = 0
        while index < len(columns):
            col, column = columns[index]
            if len(column.header) <= level:
                index += 1
                continue
            prefix = column.header[: level + 1]
            span = 1
            while (
                index + span < len(columns)
                and len(columns[index + span][1].header) > level
                and columns[index + span][1].header[: level + 1] == prefix
            ):
                span += 1
            last_level = len(column.header) - 1 == level and span == 1
            rowspan = depth - level if last_level else 1
            width = sum(c.span for _, c in columns[index : index + span])
            cells.append(
                Placed(
                    row=top + level,
                    col=col,
                    rowspan=rowspan,
                    colspan=width,
                    text=prefix[-1],
                    style="header",
                    role="header",
                )
            )
            index += span
    first = top + depth
    plan = TablePlan(table=table, first_row=first, count=count, columns=tuple(columns))
    return plan, first + data_rows


def title_pattern(
    template: str, numeric: Collection[str] = (), literal: Callable[[str], str] = lambda text: text
) -> re.Pattern[str]:
    """A regex that reads a title written from ``template`` back into its fields (``numeric`` ones are
    digits; ``literal`` is applied to the fixed text first). A text field beside a numeric one neither
    starts nor ends with a digit, so that ``2018年度…`` is never read as region ``2``, year ``018``."""
    parts = re.split(r"\{(\w+)\}", template)
    pieces = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            pieces.append(re.escape(literal(part)))
            continue
        if part in numeric:
            pieces.append(f"(?P<{part}>[0-9]{{1,9}})")
            continue
        before = i >= 2 and parts[i - 1] == "" and parts[i - 2] in numeric
        after = i + 2 < len(parts) and parts[i + 1] == "" and parts[i + 2] in numeric
        pieces.append(f"(?P<{part}>{'(?![0-9])' if before else ''}.+?{'(?<![0-9])' if after else ''})")
    return re.compile(f"^{''.join(pieces)}$", re.DOTALL)


def title_example(template: str, titles: Mapping[str, str]) -> str:
    """The title a clerk should type, each field shown by its name in brackets (``［地区］［年度］年度…``)."""
    return re.sub(r"\{(\w+)\}", lambda match: f"［{titles.get(match.group(1), match.group(1))}］", template)


def title_fields(template: str) -> tuple[str, ...]:
    """Names of the report fields a title template shows."""
    return tuple(re.findall(r"\{(\w+)\}", template))


def column_letter(col: int) -> str:
    """Excel column letters of a 0-based column index."""
    return str(xl_col_to_name(col))


def a1(row: int, col: int) -> str:
    """A1 reference of a 0-based row and column."""
    return str(xl_rowcol_to_cell_fast(row, col))


def layout_in_script(layout: WorkbookLayout, script: Callable[[str], str]) -> WorkbookLayout:
    """The same layout with every printed text passed through ``script`` (e.g. into traditional script).

    Sheet names, titles, labels, headers, notes and the fixed texts of value cells are
    converted; ``{field}`` names are left as they are.
    """

    def title(template: str) -> str:
        parts = re.split(r"(\{\w+\})", template)
        return "".join(part if part.startswith("{") else script(part) for part in parts)

    def cell(item: Cell) -> Cell:
        if isinstance(item, Text):
            return attrs.evolve(item, text=title(item.text))
        return attrs.evolve(
            item,
            template=title(item.template) if item.template is not None else None,
            empty=script(item.empty) if item.empty is not None else None,
            labels=(script(item.labels[0]), script(item.labels[1])) if item.labels is not None else None,
        )

    def block(item: Block) -> Block:
        if isinstance(item, Title):
            return attrs.evolve(item, template=title(item.template))
        if isinstance(item, Grid):
            return attrs.evolve(item, rows=tuple(tuple(cell(c) for c in row) for row in item.rows))
        if isinstance(item, Table):
            return attrs.evolve(
                item,
                lead=attrs.evolve(item.lead, text=script(item.lead.text)) if item.lead is not None else None,
                columns=tuple(attrs.evolve(c, header=tuple(script(h) for h in c.header)) for c in item.columns),
            )
        return attrs.evolve(
            item, title=script(item.title) if item.title is not None else None, lines=tuple(map(script, item.lines))
        )

    return WorkbookLayout(
        sheets=tuple(
            attrs.evolve(sheet, name=script(sheet.name), blocks=tuple(block(b) for b in sheet.blocks))
            for sheet in layout.sheets
        )
    )


def labelled(label: str, path: str, colspan: int = 1, style: str = "center") -> tuple[Text, Value]:
    """A header label and the value it names, side by side in a grid row: ``(*labelled("企业名称", "name", 3),)``."""
    return Text(text=label, style="header"), Value(path=path, colspan=colspan, style=style)
