"""Recognising a form's layout in a workbook cpsdk did not write: one typed by hand.

A clerk types the form as the notice prints it, in Excel or WPS: the title may sit a few
rows down, the table may start in column B, headers may be merged differently or wrap,
a blank row may sit inside the table and a 合计 row under it. :func:`recognise_sheet`
finds each block of a :class:`SheetLayout` in such a sheet by its labels, compared after
:func:`~cpsdk.workbook._labels.normalise_label`:

- a :class:`Title` by its template's fixed text (the fields it shows are read from it);
- a :class:`Table` by its header row, each column by its header text (or a synonym the
  column declares), wherever it is; its rows run to the table's real end (a notes block,
  a 联系人 line, the next block's labels, or the end of the sheet), blank rows inside are
  skipped, and 合计/小计/总计 rows are checked against the sum of the rows and not read
  as records;
- a :class:`Grid` by its labels: the grid is placed where most of its labels are found,
  and each value is read from its cell there (or typed after its label: ``联系人：张三``).

It then lays the values found out as cpsdk would have written them (:attr:`Recognised.rows`),
so the one reader reads both kinds of workbook, with :attr:`Recognised.origin` mapping each
cell back to the cell typed, for issues. Each value is read as typed (:func:`as_typed`):
every adjustment, and every row left out, is a warning pinned to its cell.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

import attrs
from xlsxwriter.utility import xl_cell_to_rowcol

from cpsdk.base._errors import CellValueError
from cpsdk.base._issues import Issue, error, warning
from cpsdk.base._script import simplified
from cpsdk.model._fields import field_titles
from cpsdk.model._quantity import Unit, format_decimal
from cpsdk.workbook._labels import fold_label, label_text, normalise_label
from cpsdk.workbook._layout import (
    DRAFT_MARK,
    Column,
    Grid,
    Notes,
    Path,
    Placed,
    SheetLayout,
    SheetPlan,
    Table,
    Text,
    Title,
    Value,
    a1,
    header_depth,
    parse_path,
    plan_sheet,
    title_example,
    title_fields,
    title_pattern,
)
from cpsdk.workbook._typed import EMPTY_MARKS, as_typed
from cpsdk.workbook._values import cell_at, is_blank

Rows = list[list[Any]]
#: What a table's total row starts with.
TOTAL_WORDS = ("合计", "小计", "总计", "共计")
#: Labels that end a table (besides the next block's own): notes, signatures, contacts.
END_WORDS = ("填报说明", "填表说明", "说明", "注", "备注", "联系人", "填表人", "填报人", "填报单位", "审核人", "负责人")
#: Rows searched for a block's labels beyond where the previous block ended.
_SEARCH_ROWS = 40
_MAX_COLUMNS = 256
_DRAFT = normalise_label(DRAFT_MARK)


@attrs.frozen(kw_only=True)
class Recognised:
    """A sheet laid out as cpsdk writes it, from a sheet typed by hand."""

    sheet: str
    #: The sheet's values where cpsdk would have written them (read with the form's plan).
    rows: Rows
    plan: SheetPlan
    #: Each cell of :attr:`rows` → the cell it was typed in.
    origin: dict[tuple[int, int], tuple[int, int]]
    #: Adjustments, rows left out, totals checked: pinned to the cells typed.
    issues: tuple[Issue, ...]
    #: Labels the layout prints and labels found (how sure the recognition is).
    expected: int
    found: int
    #: What was recognised, for ``cpsdk identify``.
    evidence: tuple[str, ...]
    #: The script its labels were typed in: ``hant`` when its title is in traditional script.
    script: str = "hans"

    @property
    def score(self) -> float:
        """The share of the layout's labels found (0 to 1)."""
        return self.found / self.expected if self.expected else 0.0

    def typed_cell(self, cell: str) -> str | None:
        """The A1 reference of the cell typed for the laid-out cell ``cell``; None when nothing was typed
        for it (its labels were not found)."""
        row, col = xl_cell_to_rowcol(cell)
        typed = self.origin.get((row, col))
        return a1(*typed) if typed is not None else None


@attrs.define
class _TableFound:
    columns: dict[int, int]  # layout column index -> typed column
    rows: list[int]  # typed rows of the records
    totals: list[int]  # typed rows of 合计/小计/总计
    units: dict[int, Unit] = attrs.field(factory=dict)  # layout column index -> unit its typed header names


@attrs.define
class _State:
    rows: Rows
    sheet: str
    report_type: type
    type_at: Callable[[type, Path], tuple[Any, bool, Unit | None]]
    merges: Sequence[tuple[tuple[int, int], tuple[int, int]]] = ()
    #: Whether the title was typed in traditional script (the script the form's labels are read in).
    traditional: bool = False
    cursor: int = 0
    expected: int = 0
    found: int = 0
    issues: list[Issue] = attrs.field(factory=list)
    evidence: list[str] = attrs.field(factory=list)
    #: Where each title was typed, by its template.
    title_cells: dict[str, tuple[int, int]] = attrs.field(factory=dict)
    #: The cells grids' values were read from, and the rows each grid's values span.
    grid_cells: set[tuple[int, int]] = attrs.field(factory=set)
    grid_spans: list[tuple[int, int]] = attrs.field(factory=list)
    #: The grids' own labels (a printed target such as ``65万吨`` is one, not a figure typed).
    grid_labels: set[str] = attrs.field(factory=set)

    def row(self, row: int) -> Sequence[Any]:
        """The cells of a row (none past the sheet's end), as far as recognition looks."""
        if not 0 <= row < len(self.rows):
            return ()
        cells = self.rows[row]
        return cells if len(cells) <= _MAX_COLUMNS else cells[:_MAX_COLUMNS]  # no copy of a row of usual width

    @property
    def titles(self) -> dict[str, str]:
        """The report's top-level fields by name → their Chinese titles (地区, 年度), for messages."""
        return field_titles(self.report_type)


def recognise_sheet(
    layout: SheetLayout,
    rows: Rows,
    sheet: str,
    report_type: type,
    type_at: Callable[[type, Path], tuple[Any, bool, Unit | None]],
    merges: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
) -> Recognised:
    """Find ``layout``'s blocks in ``rows`` (a sheet typed by hand, named ``sheet``) and lay them out.

    ``type_at`` gives the type, optionality and unit at a path of ``report_type``; ``merges`` are
    the sheet's merged ranges (top-left and bottom-right, inclusive) when the reader knows them.
    """
    state = _State(rows=rows, sheet=sheet, report_type=report_type, type_at=type_at, merges=merges)
    titles: dict[int, dict[str, str]] = {}
    tables: dict[int, _TableFound] = {}
    grids: dict[int, dict[Path, tuple[Any, tuple[int, int], Unit | None]]] = {}
    for position, block in enumerate(layout.blocks):
        if isinstance(block, Title):
            found_title = _find_title(block, state)
            if found_title is not None:
                titles[position] = found_title
        elif isinstance(block, Table):
            found_table = _find_table(block, layout.blocks[position + 1 :], state)
            if found_table is not None:
                tables[position] = found_table
        elif isinstance(block, Grid):
            grids[position] = _find_grid(block, layout.width, state)
        elif isinstance(block, Notes):
            _skip_notes(block, state)
    _check_grid_leftovers(state, next((found["year"] for found in titles.values() if "year" in found), None))
    counts = {
        block.rows: len(tables[p].rows)
        for p, block in enumerate(layout.blocks)
        if isinstance(block, Table) and p in tables
    }
    plan = plan_sheet(layout, counts)
    laid: dict[tuple[int, int], Any] = {}
    origin: dict[tuple[int, int], tuple[int, int]] = {}
    _lay_out(layout, plan, state, titles, tables, grids, laid, origin)
    grid_rows: Rows = [[None] * layout.width for _ in range(plan.last_row + 1)]
    for (row, col), value in laid.items():
        if row < len(grid_rows) and col < layout.width:
            grid_rows[row][col] = value
    return Recognised(
        sheet=sheet,
        rows=grid_rows,
        plan=plan,
        origin=origin,
        issues=tuple(state.issues),
        expected=state.expected,
        found=state.found,
        evidence=tuple(state.evidence),
        script="hant" if state.traditional else "hans",
    )


def _find_title(block: Title, state: _State) -> dict[str, str] | None:
    names = title_fields(block.template)
    numeric = [name for name in names if state.type_at(state.report_type, (name,))[0] is int]
    pattern = title_pattern(block.template, numeric, normalise_label)
    state.expected += 2  # a title is strong evidence: it names the form
    for row in range(state.cursor, min(len(state.rows), state.cursor + _SEARCH_ROWS)):
        for col, raw in enumerate(state.row(row)):
            text = label_text(raw)
            if text is None:
                continue
            text = _ATTACHMENT.sub("", text)  # 附件2：成都市…: the attachment's number typed before its title
            match = pattern.match(text.removesuffix(_DRAFT))  # a draft's title ends with its mark
            if match is not None:
                state.traditional = simplified(str(raw)) != str(raw)
                state.found += 2
                state.cursor = row + 1
                state.title_cells[block.template] = (row, col)
                state.evidence.append(f"标题“{str(raw).strip()}”在 {state.sheet}!{a1(row, col)}")
                folded = _ATTACHMENT.sub("", fold_label(str(raw)))
                if len(folded) != len(text):  # script conversion changed the length: read the simplified text
                    return {name: match.group(name) for name in names}
                return {name: folded[match.start(name) : match.end(name)] for name in names}
    example = title_example(block.template, state.titles)
    state.issues.append(
        warning(
            "read.title-missing",
            f"未找到标题：表格上方应有一行“{example}”，写在一个单元格内，方括号处填实际内容",
            f"the title was not found: a line {example!r} above the table, in one cell, the bracketed parts filled in",
        ).at(sheet=state.sheet)
    )
    return None


#: An attachment's number typed before its title (``附件2：``, ``附件 3、``), as the notice prints it above.
_ATTACHMENT = re.compile(r"^附件\s*[0-9一二三四五六七八九十]+\s*[:：、.．]?\s*")


_TRAILING_UNIT = re.compile(r"\(([^()]*)\)$")


def _column_labels(column: Column) -> set[str]:
    """The labels a column's header may be typed as: its text, its last line, a synonym, and each of
    these without the unit in brackets at its end (``2015年产值`` for ``2015年产值（万元）``)."""
    labels = {normalise_label("".join(column.header)), normalise_label(column.header[-1])}
    labels.update(normalise_label(synonym) for synonym in column.synonyms)
    labels.update({_TRAILING_UNIT.sub("", label) for label in labels})
    labels.discard("")
    return labels


def header_unit(label: str) -> Unit | None:
    """The unit a typed header names in brackets at its end (``总投资（亿元）``), if it names one."""
    match = _TRAILING_UNIT.search(label)
    if match is None:
        return None
    try:
        return Unit.parse(match.group(1))
    except ValueError:
        return None


def _find_table(block: Table, following: Sequence[Any], state: _State) -> _TableFound | None:
    columns = block.columns
    depth = header_depth(columns)
    state.expected += len(columns)
    wanted = [_column_labels(column) for column in columns]
    every = set().union(*wanted) | {normalise_label(part) for column in columns for part in column.header}
    best_row, best_hits = -1, 0
    end = min(len(state.rows), state.cursor + _SEARCH_ROWS)
    for row in range(state.cursor, end):
        labels = {label_text(raw) for raw in state.row(row)}
        hits = sum(1 for choices in wanted if choices & labels)
        if hits > best_hits:
            best_row, best_hits = row, hits
    if best_hits == 0:
        state.issues.append(
            warning("read.table-missing", "未找到表格的表头", "the table's header row was not found").at(
                sheet=state.sheet
            )
        )
        return None
    top = best_row
    while top > state.cursor and top > best_row - depth - 1:
        above = {label_text(raw) for raw in state.row(top - 1)}
        if not (above & every):
            break
        top -= 1
    header_rows = range(top, best_row + 1)
    # Header rows below the best one (a unit row such as "（万元）" under the labels) also belong to it.
    bottom = best_row
    while bottom + 1 < len(state.rows):
        below = [text for raw in state.row(bottom + 1) if (text := label_text(raw))]
        if any(text in every for text in below) or (below and all(_TRAILING_UNIT.fullmatch(t) for t in below)):
            bottom += 1  # more header: labels of the form, or a row of units in brackets under the labels
            continue
        break
    header_rows = range(top, bottom + 1)
    paths = _typed_header_paths(state.rows, header_rows)
    mapping: dict[int, int] = {}
    units: dict[int, Unit] = {}
    taken: set[int] = set()
    for index, column in enumerate(columns):
        col = _match_column(column, wanted[index], paths, taken)
        if col is None:
            if not column.is_number:
                state.issues.append(
                    warning(
                        "read.column-missing",
                        f"未找到“{'／'.join(column.header)}”栏，该栏按空读取",
                        f"the column {'/'.join(column.header)!r} was not found; it reads as empty",
                    ).at(sheet=state.sheet, cell=a1(best_row, 0))
                )
            continue
        mapping[index] = col
        taken.add(col)
        state.found += 1
        typed_unit = header_unit("".join(paths[col]))
        if typed_unit is not None:
            units[index] = typed_unit
    state.evidence.append(
        f"表头在 {state.sheet}!{header_rows.start + 1}—{header_rows.stop} 行，找到 {len(mapping)}/{len(columns)} 栏"
    )
    lead = label_text(block.lead.text) if block.lead is not None else None
    for col, path in sorted(paths.items()):
        if col not in taken and path and path[-1] and path[-1] != lead and len(mapping) > 0:
            state.issues.append(
                warning(
                    "read.column-extra",
                    f"“{path[-1]}”栏不在本表之列，未读取",
                    f"the column {path[-1]!r} is not one of this table's; it was not read",
                ).at(sheet=state.sheet, cell=a1(header_rows.stop - 1, col))
            )
    found = _table_rows(block, following, mapping, header_rows.stop, state)
    found.units = units
    return found


def _typed_header_paths(rows: Rows, header_rows: range) -> dict[int, tuple[str, ...]]:
    """Each typed column's header labels, top to bottom. Above the last header row, a label merged
    across columns (its text in the leftmost) counts for the empty cells right of it."""
    width = min(max((len(rows[row]) for row in header_rows), default=0), _MAX_COLUMNS)
    paths: dict[int, list[str]] = {col: [] for col in range(width)}
    for position, row in enumerate(header_rows):
        last = position == len(header_rows) - 1
        carried: str | None = None
        for col in range(width):
            text = label_text(cell_at(rows, row, col))
            if text is None:
                text = None if last else carried
            else:
                carried = text
            if text is not None and (not paths[col] or paths[col][-1] != text):
                paths[col].append(text)
    return {col: tuple(path) for col, path in paths.items() if path}


def _match_column(column: Column, choices: set[str], paths: dict[int, tuple[str, ...]], taken: set[int]) -> int | None:
    full = tuple(normalise_label(part) for part in column.header)
    joined = "".join(full)
    ranked: list[tuple[int, int]] = []
    for col, path in paths.items():
        if col in taken:
            continue
        if path == full:
            ranked.append((0, col))
        elif path and path[-len(full) :] == full:
            ranked.append((1, col))
        elif "".join(path) == joined or (path and "".join(path[-2:]) == joined):
            ranked.append((2, col))
        elif path and (path[-1] in choices or _TRAILING_UNIT.sub("", "".join(path[-2:])) in choices):
            ranked.append((3, col))
    return min(ranked)[1] if ranked else None


def table_stops(following: Sequence[Any]) -> set[str]:
    """Labels that end a table: notes and signature words, and the first labels of the next block."""
    labels = {normalise_label(word) for word in END_WORDS}
    for block in following[:1]:
        if isinstance(block, Grid):
            for row in block.rows[:1]:
                labels.update(
                    normalise_label(cell.text) for cell in row if isinstance(cell, Text) and "{" not in cell.text
                )
        elif isinstance(block, Notes):
            labels.update(normalise_label(text) for text in (block.title, *block.lines[:1]) if text)
        elif isinstance(block, Title):
            labels.add(normalise_label(block.template.split("{")[0]))
        elif isinstance(block, Table):
            if block.lead is not None:
                labels.add(normalise_label(block.lead.text))
            labels.update(normalise_label(column.header[0]) for column in block.columns[:1])
    labels.discard("")
    return labels


def is_stop_row(cells: Sequence[Any], stops: set[str]) -> bool:
    """Whether a row's first label ends a table: one of ``stops``, or starts with one, or names the
    same section as one (``清洁生产示范工作开展情况`` for ``八、清洁生产示范工作开展情况``)."""
    for raw in cells[:_MAX_COLUMNS]:
        text = label_text(raw)
        if text is None:
            continue
        if any(text == stop or (text.startswith(stop) and len(stop) >= 2) for stop in stops):
            return True
        key = _section_key(str(raw))
        return len(key) >= 4 and any(key == _section_key(stop) for stop in stops)
    return False


def _is_total(cells: Sequence[Any], mapping: dict[int, int], block: Table) -> bool:
    text_cols = [col for index, col in mapping.items() if block.columns[index].is_number or index <= 2]
    for col in sorted(text_cols):
        text = label_text(cell_at([list(cells)], 0, col))
        if text is not None:
            return text.startswith(tuple(TOTAL_WORDS))
    return False


def _table_rows(
    block: Table, following: Sequence[Any], mapping: dict[int, int], first: int, state: _State
) -> _TableFound:
    stops = table_stops(following)
    data_cols = [col for index, col in mapping.items() if not block.columns[index].is_number]
    records: list[int] = []
    totals: list[int] = []
    blanks: list[int] = []
    row = first
    while row < len(state.rows):
        cells = state.rows[row]
        if is_stop_row(cells, stops):
            break
        if all(is_blank(cell_at(state.rows, row, col)) for col in data_cols):
            if all(is_blank(raw) for raw in cells):
                blanks.append(row)
            elif not block.totals_are_records and _is_total(cells, mapping, block):
                totals.append(row)
            else:
                blanks.append(row)  # only a 序号 or a stray note: no record
            row += 1
            continue
        if not block.totals_are_records and _is_total(cells, mapping, block):
            totals.append(row)
        else:
            for blank in blanks:
                if records:  # blank rows between records, not above the first
                    state.issues.append(
                        warning(
                            "read.blank-row",
                            f"第{blank + 1}行为空行，已跳过",
                            f"row {blank + 1} is empty and was skipped",
                        ).at(sheet=state.sheet, cell=a1(blank, min(mapping.values(), default=0)))
                    )
            records.append(row)
        blanks = []
        row += 1
    state.cursor = row
    found = _TableFound(columns=mapping, rows=records, totals=totals)
    _check_totals(block, found, state)
    return found


def _check_totals(block: Table, found: _TableFound, state: _State) -> None:
    """Each total row left out, said, and checked against what it sums: a 小计 the rows since the previous
    小计, a 合计 (总计, 共计) every row."""
    rows_path = parse_path(block.rows)
    subtotal_after = -1
    for total in found.totals:
        subtotal = any(isinstance(raw, str) and normalise_label(raw).startswith("小计") for raw in state.row(total))
        summed_rows = [row for row in found.rows if (subtotal_after < row < total if subtotal else row < total)]
        if subtotal:
            subtotal_after = total
        state.issues.append(
            warning(
                "read.total-row",
                f"第{total + 1}行为合计行，未作为记录读取",
                f"row {total + 1} is a total and was not read as a record",
            ).at(sheet=state.sheet, cell=a1(total, found.columns.get(0, 0)))
        )
        for index, col in found.columns.items():
            column = block.columns[index]
            if column.is_number:
                continue
            tp, _, unit = state.type_at(state.report_type, (*rows_path, 0, *parse_path(column.field)))
            if tp not in (Decimal, int):
                continue
            shown = cell_at(state.rows, total, col)
            if is_blank(shown):
                continue
            label = "／".join(column.header)
            try:
                stated, _ = as_typed(shown, Decimal, unit)
            except (CellValueError, ValueError, ArithmeticError):
                state.issues.append(
                    warning(
                        "read.total-unchecked",
                        f"合计“{label}”不是数值，未能与各行之和核对",
                        f"the total of {label!r} is not a number and was not checked against the rows",
                    ).at(sheet=state.sheet, cell=a1(total, col))
                )
                continue
            try:
                parts = [as_typed(cell_at(state.rows, row, col), Decimal, unit)[0] for row in summed_rows]
            except (CellValueError, ValueError, ArithmeticError):
                continue  # a row's value that cannot be read is an error of its own
            if stated is None:
                continue
            summed = sum((Decimal(str(part)) for part in parts if part is not None), Decimal(0))
            if Decimal(str(stated)) != summed:
                state.issues.append(
                    warning(
                        "read.total-differs",
                        f"合计“{label}”为 {format_decimal(Decimal(str(stated)))}，各行之和为 {format_decimal(summed)}",
                        f"the total of {label!r} is {stated}, the rows sum to {summed}",
                    ).at(sheet=state.sheet, cell=a1(total, col))
                )


_SECTION_ORDINAL = re.compile(r"^[一二三四五六七八九十]+[、.,]")
_NOTE_MARK = re.compile(r"\(\d+\)$")
#: A year heading as labels normalise: ``2018年`` typed, ``{year}年`` in a layout (braces become brackets).
_YEAR_LABEL = re.compile(r"^(?:\d{4}|\(year\))年(?:度)?$")


@functools.lru_cache(maxsize=4096)
def _section_key(text: str) -> str:
    """A section's name without its ordinal and note marker (``一、…培训情况[2]`` → ``…培训情况``)."""
    return _NOTE_MARK.sub("", _SECTION_ORDINAL.sub("", normalise_label(text)))


@functools.lru_cache(maxsize=16384)
def _path_label(text: str) -> str:
    """A header label as a value's path compares it: without a note marker (``累计[1]``), and a year
    heading (``2018年``, ``{year}年``) as one token."""
    label = _NOTE_MARK.sub("", normalise_label(text)) or normalise_label(text)
    return "{year}年" if _YEAR_LABEL.match(label) else label


@attrs.frozen
class _Anchor:
    """Where a grid value is, told by labels: its section, the headers above it, the label left of it."""

    section: str | None
    above: tuple[str, ...]
    left: str | None

    @property
    def labels(self) -> frozenset[str]:
        """Every label naming the value, wherever it stands."""
        return frozenset(label for label in (*self.above, self.left) if label is not None and label != "*")


def _covering(plan: SheetPlan) -> dict[tuple[int, int], Placed]:
    """Each sheet cell of a plan's fixed cells → the placed cell covering it (its merge's)."""
    covering: dict[tuple[int, int], Placed] = {}
    for cell in plan.fixed:
        for row in range(cell.row, cell.row + cell.rowspan):
            for col in range(cell.col, cell.col + cell.colspan):
                covering[(row, col)] = cell
    return covering


def _canonical_anchors(plan: SheetPlan, covering: dict[tuple[int, int], Placed]) -> dict[tuple[int, int], _Anchor]:
    """Each value cell of a planned grid (by its row and column) and the labels that find it."""
    anchors: dict[tuple[int, int], _Anchor] = {}
    for cell in plan.fixed:
        if cell.path is None:
            continue
        section_cell = next(
            (
                other
                for other in plan.fixed
                if other.style == "section"
                and other.row <= cell.row < other.row + other.rowspan
                and other.col < cell.col
            ),
            None,
        )
        top = section_cell.row if section_cell is not None else 0
        #: A header the filer names (种类1（吨）) heads its own column: the block above is not its.
        is_header = cell.value is not None and cell.value.template is not None
        above: list[str] = []
        for row in range(cell.row - 1, top - 1, -1):
            over = covering.get((row, cell.col))
            if over is None or (over.row != row and over.role != "label"):
                continue
            if over.path is not None:
                if over.value is not None and over.value.template is not None:
                    above.insert(0, "*")  # a header the filer names (种类1（吨）): any label
                elif above or is_header:
                    break  # the values of the block above: its headers are not this value's
                continue
            if over.style != "section" and over.text and label_text(over.text) and over.row == row:
                above.insert(0, _path_label(over.text))
        left = None
        for col in range(cell.col - 1, -1, -1):
            beside = covering.get((cell.row, col))
            if beside is None or beside.path is not None or beside.style == "section":
                continue
            if beside.text and label_text(beside.text):
                left = _path_label(beside.text)
                break
        section = _section_key(section_cell.text) if section_cell is not None and section_cell.text else None
        anchors[(cell.row, cell.col)] = _Anchor(section=section, above=tuple(above), left=left)
    return anchors


class _TypedGrid:
    """The typed sheet's labels as a grid value's anchors see them, merged cells resolved."""

    def __init__(self, state: _State, sections: Iterable[str] = ()) -> None:
        self.state = state
        #: The grid's section names (as :func:`_section_key` gives them): a section's name heads its rows,
        #: never the columns right of it, wherever the clerk's sheet puts it.
        self.sections = frozenset(sections)
        self._value_rows: dict[int, bool] = {}
        self.owner: dict[tuple[int, int], tuple[int, int]] = {}
        for (top, left), (bottom, right) in state.merges:
            for row in range(top, min(bottom, top + 200) + 1):
                for col in range(left, min(right, left + _MAX_COLUMNS) + 1):
                    self.owner[(row, col)] = (top, left)

    def label(self, row: int, col: int, carry: bool = False, top: int = 0) -> str | None:
        """The label shown at a cell: its own, or its merged range's. With ``carry``, an empty cell no
        merge covers shows the nearest label left of it in its row, as an unmerged header spreads
        (``top``: the first row of its section, above which labels are another section's)."""
        top_left = self.owner.get((row, col), (row, col))
        raw = cell_at(self.state.rows, *top_left)
        if label_text(raw) is not None and not _number_text(raw) and not _empty_or_mark(raw):
            return _path_label(str(raw))
        if not carry or (row, col) in self.owner or not is_blank(raw):
            return None
        if self._holds_values(row):
            return None  # a row of figures: an empty cell in it is a figure left out, under no spread header
        above = cell_at(self.state.rows, row - 1, col) if row > top else None
        if label_text(above) is not None and not _number_text(above) and not _empty_or_mark(above):
            return None  # the label above is this column's own, spread down (unmerged rowspan)
        for back in range(col - 1, 0, -1):
            if (row, back) in self.owner:
                return None
            left = cell_at(self.state.rows, row, back)
            if is_blank(left):
                continue
            if label_text(left) is not None and not _number_text(left) and not _empty_or_mark(left):
                if _section_key(str(left)) in self.sections:
                    return None
                carried = _path_label(str(left))
                # 年 and 累计 each stand over their own column; beside values they name a row, not a span
                return None if carried in _ROW_LABELS else carried
            return None  # a value (a number, a dash): a row of values carries no header
        return None

    def _holds_values(self, row: int) -> bool:
        held = self._value_rows.get(row)
        if held is None:
            cells = self.state.row(row)
            held = any(
                (isinstance(raw, (int, float)) and not isinstance(raw, bool)) or _number_text(raw) for raw in cells
            )
            self._value_rows[row] = held
        return held

    def is_value_cell(self, row: int, col: int) -> bool:
        """A cell a value may be typed in: not covered by another cell's merge, not a label of the form."""
        return self.owner.get((row, col), (row, col)) == (row, col)

    def anchor(self, row: int, col: int, top: int, section: str | None, labels: set[str]) -> _Anchor:
        above: list[str] = []
        seen_owner: tuple[int, int] | None = None
        #: A label typed where a value goes is a header the filer names (冶炼渣（吨）): the block
        #: above is not its.
        is_header = self.label(row, col) is not None
        for up in range(row - 1, top - 1, -1):
            owner = self.owner.get((up, col), (up, col))
            if owner == seen_owner:
                continue
            seen_owner = owner
            text = self.label(up, col, carry=True, top=top)
            if text is not None and (text in labels or text == "{year}年"):
                above.insert(0, text)
            elif text is not None:
                above.insert(0, "*")
            elif (above or is_header) and not is_blank(cell_at(self.state.rows, *owner)):
                break  # the values of the block above: its headers are not this value's
        left = None
        for back in range(col - 1, -1, -1):
            text = self.label(row, back)
            if text is not None and (text in labels or text == "{year}年"):
                left = text
                break
        return _Anchor(section=section, above=tuple(above), left=left)

    def labels_left(self, row: int, col: int, labels: set[str]) -> list[str]:
        """The form's labels left of a cell in its row, nearest first."""
        found: list[str] = []
        seen_owner: tuple[int, int] | None = None
        for back in range(col - 1, -1, -1):
            owner = self.owner.get((row, back), (row, back))
            if owner == seen_owner:
                continue
            seen_owner = owner
            text = self.label(row, back)
            if text is None and self._row_label_cell(row, back):
                text = self.label(row - 1, back)  # a row label two rows high, typed in its top cell only
            if text is not None and (text in labels or text == "{year}年"):
                found.append(text)
        return found

    def _row_label_cell(self, row: int, col: int) -> bool:
        """An empty, unmerged cell first in its row (only a taller merge, a section's name, left of it),
        under a label in a row of labels: the cell a row label two rows high spans, typed unmerged."""
        if row < 1 or (row, col) in self.owner or not is_blank(cell_at(self.state.rows, row, col)):
            return False
        if self._holds_values(row - 1) or self.label(row - 1, col) in (None, *_ROW_LABELS):
            return False
        return all(
            self.owner.get((row, back), (row, back))[0] < row or is_blank(cell_at(self.state.rows, row, back))
            for back in range(col)
        )


_NUMBER_TEXT = re.compile(r"[+-]?[\d,]*\.?\d+\s*(?:[%\w()（）]{0,8})")


def _number_text(raw: Any) -> bool:
    """Whether a text cell holds a number (``949.406``, ``１２,５８０．５``, ``12.5万元``, ``55个``): a value,
    not a label. A year heading (``2018年``) is a label."""
    return isinstance(raw, str) and _is_number_text(raw)


@functools.lru_cache(maxsize=16384)
def _is_number_text(raw: str) -> bool:
    text = unicodedata.normalize("NFKC", raw).strip()
    return bool(_NUMBER_TEXT.fullmatch(text)) and not _YEAR_LABEL.match(normalise_label(text))


_ROW_LABELS = frozenset({"{year}年", "累计", "本年", "上年"})


def _same_path(typed: tuple[str, ...], wanted: tuple[str, ...]) -> bool:
    """The headers above a typed cell end with those above the value. ``*`` stands for a label that is
    not the form's: a header the filer names (种类1（吨） typed as 冶炼渣（吨）) where the value wants one,
    a clerk's own note above the headers where it does not (then left out)."""
    labels = [label for label in typed if label != "*"] if "*" not in wanted else list(typed)
    if len(labels) < len(wanted):
        return False
    return labels[len(labels) - len(wanted) :] == list(wanted)


def _find_grid(block: Grid, width: int, state: _State) -> dict[Path, tuple[Any, tuple[int, int], Unit | None]]:
    """The grid's values by their path: what was typed, the cell it was typed in, and the unit its header
    names (if any).

    Each value is found by its labels: the section it is in (by the section's name), the headers
    above it and the label left of it, all compared as labels are. So a grid typed with other
    column spans, other merges, sections further down or a column more still reads.
    """
    plan = plan_sheet(SheetLayout(name="grid", columns=(1,) * width, blocks=(block,)), {})
    covering = _covering(plan)
    anchors = _canonical_anchors(plan, covering)
    units = _label_units(plan, covering)
    paths = {(cell.row, cell.col): cell.path for cell in plan.fixed if cell.path is not None}
    labels = {
        _path_label(cell.text) for cell in plan.fixed if cell.path is None and cell.text and label_text(cell.text)
    }
    state.expected += len(anchors)
    typed = _TypedGrid(state, (_section_key(cell.text) for cell in plan.fixed if cell.style == "section" and cell.text))
    end = min(len(state.rows), state.cursor + _SEARCH_ROWS + 2 * len(block.rows))
    sections = _typed_sections(plan, state, end)
    values: dict[Path, tuple[Any, tuple[int, int], Unit | None]] = {}
    first_row = state.cursor
    last_row = state.cursor - 1
    taken: set[tuple[int, int]] = set()
    blank_beside_label: list[tuple[_Anchor, tuple[int, int], Path]] = []
    for place, anchor in sorted(anchors.items()):
        span = sections.get(anchor.section) if anchor.section is not None else (state.cursor, end)
        if span is None:
            continue
        place_found = _typed_place(typed, anchor, span, labels, taken, state)
        if place_found is not None:
            where, raw = place_found, cell_at(state.rows, *place_found)
        else:
            after_label = _typed_after_label(anchor, span, state)
            if after_label is None:
                _label_without_value(anchor, span, state)
                continue
            raw, where = after_label
        if is_blank(raw) and anchor.left is not None:
            blank_beside_label.append((anchor, where, paths[place]))
        taken.add(where)
        state.found += 1
        values[paths[place]] = (raw, where, units.get(place))
        last_row = max(last_row, where[0])
    if values:
        state.grid_spans.append((first_row, last_row))
        state.grid_cells.update(taken)
        state.grid_labels.update(labels)
        state.cursor = max(state.cursor, last_row + 1)
    for anchor, where, path in blank_beside_label:
        shape = tuple(0 if isinstance(key, int) else key for key in path)
        if state.type_at(state.report_type, shape)[0] is str:  # a name or a line of text, not a figure
            _typed_below_label(anchor, where, state)
    return values


def _typed_sections(plan: SheetPlan, state: _State, end: int) -> dict[str | None, tuple[int, int]]:
    """Each section of the grid → the typed rows it spans (from its title to the next section's)."""
    keys = [_section_key(cell.text) for cell in plan.fixed if cell.style == "section" and cell.text]
    starts: list[tuple[int, str]] = []
    for row in range(state.cursor, min(end, len(state.rows))):
        for raw in state.row(row):
            text = label_text(raw)
            if text is None:
                continue
            key = _section_key(str(raw))
            if key in keys and all(key != seen for _, seen in starts):
                starts.append((row, key))
            break  # a section's name is the first label of its row
    spans: dict[str | None, tuple[int, int]] = {}
    for index, (row, key) in enumerate(starts):
        following = starts[index + 1][0] if index + 1 < len(starts) else end
        spans[key] = (row, following)
    return spans


def _typed_place(
    typed: _TypedGrid,
    anchor: _Anchor,
    span: tuple[int, int],
    labels: set[str],
    taken: set[tuple[int, int]],
    state: _State,
) -> tuple[int, int] | None:
    """The cell a grid value was typed in: one under its headers and right of its label, or else one
    among its labels laid out otherwise (:func:`_among_labels`). A filled cell is preferred to an empty
    one in the first row that has either (unmerged, a value's cell has empty neighbours), and a filled
    cell among the labels to an empty one under the headers (a blank row may follow a section)."""
    empty: tuple[int, int] | None = None
    for row, col in _under_headers(typed, anchor, span, labels, taken, state):
        if empty is not None and row != empty[0]:
            break
        if not is_blank(cell_at(state.rows, row, col)):
            return row, col
        empty = empty or (row, col)
    for row, col in _among_labels(typed, anchor, span, labels, taken, state):
        if not is_blank(cell_at(state.rows, row, col)):
            return row, col
        empty = empty or (row, col)
    return empty


def _candidates(
    typed: _TypedGrid, anchor: _Anchor, span: tuple[int, int], taken: set[tuple[int, int]], state: _State
) -> Iterable[tuple[int, int]]:
    """Every cell of the section's rows a value may be typed in, row by row."""
    top, bottom = span
    for row in range(top, bottom):
        width = len(state.row(row))
        for col in range(1 if anchor.section is not None else 0, width):
            if (row, col) in taken or not typed.is_value_cell(row, col):
                continue
            raw = cell_at(state.rows, row, col)
            if isinstance(raw, str) and anchor.section is not None and _section_key(raw) == anchor.section:
                continue  # the section's name, typed without its ordinal where the form has it
            yield row, col


def _under_headers(
    typed: _TypedGrid,
    anchor: _Anchor,
    span: tuple[int, int],
    labels: set[str],
    taken: set[tuple[int, int]],
    state: _State,
) -> Iterable[tuple[int, int]]:
    """Cells under the value's headers, with its label nearest on their left (as cpsdk lays it out)."""
    for row, col in _candidates(typed, anchor, span, taken, state):
        if typed.label(row, col) in labels:
            continue  # a label of the form, not a value
        found = typed.anchor(row, col, span[0], anchor.section, labels)
        if anchor.left is not None and found.left != anchor.left:
            continue
        if _same_path(found.above, anchor.above):
            yield row, col


def _among_labels(
    typed: _TypedGrid,
    anchor: _Anchor,
    span: tuple[int, int],
    labels: set[str],
    taken: set[tuple[int, int]],
    state: _State,
) -> Iterable[tuple[int, int]]:
    """Cells whose labels are laid out otherwise: beside rather than above them, as the notice's print
    puts ``2018年 ▢ 累计 ▢`` under 国家级. The cell's labels, above it and left of it in its row, include
    every label of the value, and the nearest label left of it is one of them (so 累计's value is not
    taken for the 2018年 value before it)."""
    wanted = anchor.labels
    if "*" in anchor.above or len(wanted) < 2:
        return
    for row, col in _candidates(typed, anchor, span, taken, state):
        if typed.label(row, col) is not None:
            continue
        beside = typed.labels_left(row, col, labels)
        if not beside or beside[0] not in wanted:
            continue
        above = typed.anchor(row, col, span[0], anchor.section, labels).above
        if above and above[-1] not in wanted:
            continue  # under another value's header (its values left empty between)
        if _ROW_LABELS.intersection(above):
            continue  # under a 年/累计 header: laid out as cpsdk lays it, and not this value's place
        if wanted <= {*above, *beside}:
            yield row, col


#: ``label：value`` pairs typed in one cell, several to a cell (``填表人：李四  联系人：张三``).
_LABELLED = re.compile(r"([^\s:：]+)\s*[:：]\s*(.*?)(?=\s+[^\s:：]+\s*[:：]|$)", re.DOTALL)
#: What joins a second word to a label typed longer than the form's (``联系人及电话`` for 联系人).
_LABEL_JOINERS = ("及", "和", "与", "、", "/")


def _typed_after_label(anchor: _Anchor, span: tuple[int, int], state: _State) -> tuple[Any, tuple[int, int]] | None:
    """A value typed after its label in the label's own cell (``联系人：张三``), perhaps beside other
    labelled values (``填表人：李四  联系人：张三``) or under a longer label (``联系人及电话：``, said)."""
    if anchor.left is None:
        return None
    for row in range(*span):
        for col, raw in enumerate(state.row(row)):
            if not isinstance(raw, str) or (":" not in raw and "：" not in raw):
                continue
            for match in _LABELLED.finditer(raw.strip()):
                label, value = normalise_label(match.group(1)), match.group(2).strip()
                if not value:
                    continue
                if label == anchor.left:
                    return value, (row, col)
                rest = label.removeprefix(anchor.left)
                if rest != label and rest.startswith(_LABEL_JOINERS):
                    state.issues.append(
                        warning(
                            "read.adjusted",
                            f"“{match.group(1)}”后的“{value[:40]}”按“{anchor.left}”读取",
                            f"{value[:40]!r} after {match.group(1)!r} is read as {anchor.left!r}",
                        ).at(sheet=state.sheet, cell=a1(row, col))
                    )
                    return value, (row, col)
    return None


def _typed_below_label(anchor: _Anchor, where: tuple[int, int], state: _State) -> None:
    """A value's cell right of its label is empty while something is typed alone in the row below, under
    the label or under the cell (``联系人：`` with 张三 below): said, as it is not read."""
    row, col = where
    if sum(1 for raw in (state.rows[row + 1] if row + 1 < len(state.rows) else ()) if not is_blank(raw)) != 1:
        return  # a row of labels or figures below: another block's, not this value
    label_col = next(
        (
            back
            for back in range(col - 1, -1, -1)
            if normalise_label(str(cell_at(state.rows, row, back) or "")) == anchor.left
        ),
        None,
    )
    for below in (label_col, col):
        if below is None:
            continue
        raw = cell_at(state.rows, row + 1, below)
        if not is_blank(raw) and (row + 1, below) not in state.grid_cells:
            state.issues.append(
                warning(
                    "read.not-found",
                    f"“{anchor.left}”右侧为空，其下方的“{str(raw).strip()[:20]}”未读取：请填在“{anchor.left}”右侧的单元格",
                    f"the cell right of {anchor.left!r} is empty and {str(raw).strip()[:20]!r} under it was not read: "
                    "type it in the cell to the label's right",
                ).at(sheet=state.sheet, cell=a1(row + 1, below))
            )
            return


def _label_without_value(anchor: _Anchor, span: tuple[int, int], state: _State) -> None:
    """Say so when a value's label was typed but no value could be told for it (a 联系人 typed in the row
    below its label): nothing typed is left out in silence."""
    if anchor.left is None:
        return
    for row in range(*span):
        for col, raw in enumerate(state.row(row)):
            if isinstance(raw, str) and normalise_label(raw).startswith(anchor.left):
                if any(issue.code == "read.not-found" and issue.cell == a1(row, col) for issue in state.issues):
                    return  # said once for the label, however many of its values are missing
                state.issues.append(
                    warning(
                        "read.not-found",
                        f"找到“{raw.strip()[:20]}”，但未能确定其填写内容：请填在它右侧的单元格，或写作“{anchor.left}：内容”",
                        f"found {raw.strip()[:20]!r} but could not tell its value: type it in the cell to its right, "
                        f"or as '{anchor.left}: value'",
                    ).at(sheet=state.sheet, cell=a1(row, col))
                )
                return


def _check_grid_leftovers(state: _State, title_year: str | None) -> None:
    """What the grids' rows hold beyond their values, said: a figure typed where no value of the form is
    (a pair's other half, a column too many) is not read, and a 年 heading of another year than the
    title's would put its figures in the wrong year."""
    for first, last in state.grid_spans:
        for row in range(first, last + 1):
            for col, raw in enumerate(state.row(row)):
                if (row, col) in state.grid_cells or is_blank(raw) or isinstance(raw, bool):
                    continue
                shown = _shown(raw)
                year = _YEAR_HEADING.fullmatch(normalise_label(shown))
                if title_year is not None and year is not None and year.group(1) != title_year:
                    state.issues.append(
                        error(
                            "read.year-mismatch",
                            f"表头“{shown}”与标题的年度 {title_year} 不一致：请核对填报年度",
                            f"the heading {shown!r} is not the title's year {title_year}: check the year reported",
                        ).at(sheet=state.sheet, cell=a1(row, col))
                    )
                    continue
                if _path_label(shown) in state.grid_labels:
                    continue  # a label of the form that reads like a number
                if isinstance(raw, (int, float)) or _number_text(raw):
                    state.issues.append(
                        warning(
                            "read.unread",
                            f"此单元格的“{shown[:20]}”不在本表任何栏目下，未读取：请核对是否填错位置",
                            f"{shown[:20]!r} stands under none of the form's headings and was not read: "
                            "check where it was typed",
                        ).at(sheet=state.sheet, cell=a1(row, col))
                    )


def _shown(raw: Any) -> str:
    """A cell as Excel shows it by default: 5 for the number 5.0."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return repr(raw) if isinstance(raw, float) else str(raw).strip()


_YEAR_HEADING = re.compile(r"(\d{4})年(?:度)?")


def _skip_notes(block: Notes, state: _State) -> None:
    heading = normalise_label(block.title or (block.lines[0] if block.lines else ""))
    if not heading:
        return
    for row in range(state.cursor, min(len(state.rows), state.cursor + _SEARCH_ROWS)):
        first = next((label_text(raw) for raw in state.rows[row] if label_text(raw)), None)
        if first is not None and first.startswith(heading[:4]):
            state.cursor = row + 1 + len(block.lines)
            return


def _lay_out(
    layout: SheetLayout,
    plan: SheetPlan,
    state: _State,
    titles: dict[int, dict[str, str]],
    tables: dict[int, _TableFound],
    grids: dict[int, dict[Path, tuple[Any, tuple[int, int], Unit | None]]],
    laid: dict[tuple[int, int], Any],
    origin: dict[tuple[int, int], tuple[int, int]],
) -> None:
    title_plans = iter(plan.titles)
    table_plans = iter(plan.tables)
    for position, block in enumerate(layout.blocks):
        if isinstance(block, Title):
            title_plan = next(title_plans)
            captures = titles.get(position)
            if captures is not None:
                laid[(title_plan.row, 0)] = block.template.format_map(captures)
                origin[(title_plan.row, 0)] = state.title_cells[block.template]
        elif isinstance(block, Table):
            table_plan = next(table_plans)
            found = tables.get(position)
            if found is None:
                continue
            for offset, typed_row in enumerate(found.rows):
                row = table_plan.first_row + offset
                for index, (col, column) in enumerate(table_plan.columns):
                    typed_col = found.columns.get(index)
                    if typed_col is None or column.is_number:
                        continue
                    path = (*table_plan.rows_path, offset, *parse_path(column.field))
                    raw = cell_at(state.rows, typed_row, typed_col)
                    if column.empty is not None and isinstance(raw, str) and raw.strip() == column.empty:
                        raw = None  # the column's own text for no value
                    _place(
                        state,
                        path,
                        raw,
                        (typed_row, typed_col),
                        (row, col),
                        laid,
                        origin,
                        column.blank,
                        found.units.get(index),
                    )
        elif isinstance(block, Grid):
            for path, (raw, typed, unit) in grids.get(position, {}).items():
                cell = plan.by_path.get(path)
                if cell is None:
                    continue
                raw = _spec_value(raw, cell.value)
                _place(state, path, raw, typed, (cell.row, cell.col), laid, origin, cell.blank, label_unit=unit)


def _in_header_unit(raw: Any, unit: Unit | None) -> Any:
    """A bare number under a header that names its unit (``（亿元）``), as that amount: the field's own
    unit is then converted to, and said."""
    if unit is None or isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)):
        return f"{raw!r}{unit.symbol}"
    if isinstance(raw, str) and _BARE_NUMBER.fullmatch(raw.strip()):
        return f"{raw.strip()}{unit.symbol}"
    return raw


_BARE_NUMBER = re.compile(r"[+-]?[\d,，]+(?:[.．]\d+)?|[+-]?[０-９，]+(?:．[０-９]+)?")


def _empty_or_mark(raw: Any) -> bool:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return True
    return isinstance(raw, str) and unicodedata.normalize("NFKC", raw).strip() in EMPTY_MARKS


def _label_units(plan: SheetPlan, covering: dict[tuple[int, int], Placed]) -> dict[tuple[int, int], Unit]:
    """Each value of a planned grid whose nearest header above names a unit (``COD（吨）``, or a header
    the filer names printed as ``{}（吨）``), with that unit."""
    units: dict[tuple[int, int], Unit] = {}
    for cell in plan.fixed:
        if cell.path is None:
            continue
        for row in range(cell.row - 1, -1, -1):
            over = covering.get((row, cell.col))
            if over is None or over.style == "section":
                continue
            text = over.text if over.path is None else (over.value.template if over.value is not None else None)
            unit = header_unit(normalise_label(text.replace("{}", ""))) if text else None
            if unit is not None:
                units[(cell.row, cell.col)] = unit
                break
    return units


def _spec_value(raw: Any, spec: Value | None) -> Any:
    """Undo what a grid value's ``template``, ``empty`` text or yes/no ``labels`` add, as typed."""
    if spec is None or not isinstance(raw, str):
        return raw
    text = normalise_label(raw)
    if spec.empty is not None and text == normalise_label(spec.empty):
        return None
    if spec.labels is not None:
        if text == normalise_label(spec.labels[0]):
            return True
        if text == normalise_label(spec.labels[1]):
            return False
    if spec.template is not None:
        before, _, after = spec.template.partition("{}")
        value = raw.strip()
        for fixed, cut in ((before, str.removeprefix), (after, str.removesuffix)):
            if fixed and fixed.strip():
                for form in (fixed.strip(), normalise_label(fixed)):
                    value = cut(value, form).strip()
        return value
    return raw


def _place(
    state: _State,
    path: Path,
    raw: Any,
    typed: tuple[int, int],
    cell: tuple[int, int],
    laid: dict[tuple[int, int], Any],
    origin: dict[tuple[int, int], tuple[int, int]],
    blank: str,
    typed_unit: Unit | None = None,
    label_unit: Unit | None = None,
) -> None:
    origin[cell] = typed
    shape = tuple(0 if isinstance(key, int) else key for key in path)
    tp, _, unit = state.type_at(state.report_type, shape)
    unit = unit or label_unit  # a bare amount whose label names its unit (COD（吨）): 1793.289吨 is read
    if typed_unit is not None and unit is not None and typed_unit.dimension is unit.dimension:
        raw = _in_header_unit(raw, typed_unit)
    try:
        value, note = as_typed(raw, tp, unit, blank)
    except CellValueError as exc:
        state.issues.append(error("read.value", exc.zh, exc.en).at(sheet=state.sheet, cell=a1(*typed)))
        laid[cell] = None
        return
    if note is None and typed_unit is not None and _other_unit_typed(raw, typed_unit) and value is not None:
        shown = str(raw).strip()
        note = (
            f"“{shown}”写明的单位与表头的“{typed_unit.symbol}”不同，按单元格所写读取",
            f"{shown!r} names another unit than the header's {typed_unit.symbol!r}; read as the cell says",
        )
    if note is not None:
        state.issues.append(warning("read.adjusted", note[0], note[1]).at(sheet=state.sheet, cell=a1(*typed)))
    laid[cell] = value.strip() if isinstance(value, str) else value  # typed by hand: spaces around are not meant


def _other_unit_typed(raw: Any, header_unit: Unit) -> bool:
    """Whether a cell under a header naming its unit (``（亿元）``) was typed with another unit in it
    (``12580.5万元``): read as the cell says, which the clerk should know is not the header's."""
    if not isinstance(raw, str) or _BARE_NUMBER.fullmatch(raw.strip()):
        return False
    text = unicodedata.normalize("NFKC", raw).strip()
    return bool(text) and text[-1] not in "0123456789" and not text.endswith(header_unit.symbol)
