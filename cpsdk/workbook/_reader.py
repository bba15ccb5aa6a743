"""Reading a workbook back through the same layout that wrote it.

The file is checked before any reader touches it (a zip archive, of bounded
inflated size); sheets are read with python-calamine. Every cell that cannot be
read becomes an issue pinned to its sheet and cell; the report is structured
from the cells with the same converter that loads datasets.
"""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
from python_calamine import CalamineWorkbook

from cpsdk.base._errors import CellValueError, WorkbookError, WrongFormError
from cpsdk.base._issues import Issue, capped, error, warning
from cpsdk.model._fields import field_titles
from cpsdk.model._structure import converter, structure_failures
from cpsdk.workbook._archive import file_issue as _file_issue
from cpsdk.workbook._archive import inspect_archive
from cpsdk.workbook._formats import inspect_ods, inspect_xls, workbook_format
from cpsdk.workbook._identity import IDENTITY_SHEET, InvalidIdentity, WorkbookIdentity
from cpsdk.workbook._layout import (
    DRAFT_MARK,
    Grid,
    Notes,
    SheetLayout,
    SheetPlan,
    Table,
    TablePlan,
    Text,
    Title,
    Value,
    WorkbookLayout,
    a1,
    plan_sheet,
    pointer_path,
    title_example,
    title_fields,
    title_pattern,
)
from cpsdk.workbook._recognise import Recognised, is_stop_row, recognise_sheet, table_stops
from cpsdk.workbook._row_readers import row_reader
from cpsdk.workbook._typed import as_typed
from cpsdk.workbook._values import cell_at, from_cell, is_blank, set_path, type_at, type_unit_at

#: Rows read from one sheet at most.
MAX_SHEET_ROWS = 1_048_576

Rows = list[list[Any]]


#: The names python-calamine takes each format under (it picks its reader by the name, not the content).
_SUFFIXES = {"xlsx": (".xlsx", ".xlsm"), "ods": (".ods",), "xls": (".xls",)}


def open_workbook(path: str | os.PathLike[str]) -> CalamineWorkbook:
    """Open a workbook for reading — .xlsx/.xlsm, .ods or .xls, told by its content — after the checks
    of its format (:func:`inspect_archive`, :func:`inspect_ods`, :func:`inspect_xls`); any failure is a
    WorkbookError."""
    file = Path(path)
    kind = workbook_format(file)
    if kind == "ods":
        inspect_ods(file)
    elif kind == "xls":
        inspect_xls(file)
    else:
        inspect_archive(file)  # for a file of no known format, this says precisely why it is refused
        if kind == "unknown":  # the file changed in between
            raise _file_issue("workbook.not-xlsx", "文件不是工作簿", "the file is not a workbook")
    try:
        if file.suffix in _SUFFIXES[kind]:
            return CalamineWorkbook.from_path(str(file))
        with tempfile.TemporaryDirectory() as folder:  # a renamed file: opened under its real format's name
            alias = Path(folder) / f"workbook{_SUFFIXES[kind][0]}"
            alias.symlink_to(file.resolve())
            return CalamineWorkbook.from_path(str(alias))  # the reader holds its own descriptor
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - the native reader raises many kinds, and may panic
        raise _file_issue("workbook.corrupt", "工作簿无法读取", f"the workbook cannot be read: {exc}") from None


def sheet_rows(book: CalamineWorkbook, name: str) -> Rows:
    """All rows of a sheet, from A1 (empty leading rows and columns kept)."""
    try:
        sheet = book.get_sheet_by_name(name)
        return sheet.to_python(skip_empty_area=False, nrows=MAX_SHEET_ROWS)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - a Rust panic in the reader is a BaseException (e.g. a date out of range)
        raise _file_issue(
            "workbook.corrupt", f"工作表“{name}”无法读取", f"sheet {name!r} cannot be read: {exc}"
        ) from None


def sheet_merges(book: CalamineWorkbook, name: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """A sheet's merged ranges (top-left, bottom-right, inclusive); none where the format keeps none."""
    try:
        ranges = book.get_sheet_by_name(name).merged_cell_ranges
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - merges only help recognition: without them it reads by labels alone
        return []
    return [((int(a), int(b)), (int(c), int(d))) for (a, b), (c, d) in (ranges or ())[:100_000]]


def read_identity(book: CalamineWorkbook) -> WorkbookIdentity | None:
    """The workbook's identity, or None when it was not written by cpsdk.

    Raises :class:`WorkbookError` when the identity sheet is there but was edited past reading
    (a layout year that is no year): which layout wrote the workbook can then not be known.
    """
    if IDENTITY_SHEET not in book.sheet_names:
        return None
    rows = sheet_rows(book, IDENTITY_SHEET)
    values = {str(row[0]): row[1] for row in rows if len(row) >= 2 and row[0] not in (None, "")}
    try:
        return WorkbookIdentity.from_rows(values)
    except InvalidIdentity as exc:
        raise WorkbookError(
            exc.message_en,
            [
                error(
                    "workbook.identity",
                    f"隐藏工作表 {IDENTITY_SHEET} 被修改，无法确定生成该工作簿的表式：{exc.message_zh}",
                    f"the hidden sheet {IDENTITY_SHEET} was edited; the layout that wrote the workbook cannot be "
                    f"known: {exc.message_en}",
                ).at(sheet=IDENTITY_SHEET)
            ],
        ) from None
    except ValueError:
        return None


def workbook_identity(path: str | os.PathLike[str]) -> WorkbookIdentity | None:
    """The identity of the workbook at ``path`` (None when cpsdk did not write it); WorkbookError if unreadable."""
    book = open_workbook(path)
    try:
        return read_identity(book)
    finally:
        book.close()


def expect_form(identity: WorkbookIdentity | None, form_id: str, layout_year: int | None = None) -> None:
    """Refuse a workbook that is not of ``form_id`` (in the layout of ``layout_year`` if given), naming it."""
    if identity is None:
        raise WrongFormError(
            "not a cpsdk workbook",
            [
                error(
                    "workbook.unknown",
                    f"该工作簿不是由 cpsdk 生成的（缺少 {IDENTITY_SHEET} 工作表），无法确定表单",
                    f"the workbook was not written by cpsdk (no {IDENTITY_SHEET} sheet), so its form is unknown",
                )
            ],
        )
    if identity.form != form_id:
        raise WrongFormError(
            f"the workbook is a {identity.form} workbook, not {form_id}",
            [
                error(
                    "workbook.wrong-form",
                    f"该工作簿属于表单 {identity.form}，不是 {form_id}",
                    f"the workbook is of form {identity.form}, not {form_id}",
                )
            ],
        )
    if layout_year is not None and identity.layout_year != layout_year:
        raise WrongFormError(
            f"the workbook has the {identity.layout_year} layout of {form_id}, not the {layout_year} one",
            [
                error(
                    "workbook.wrong-layout",
                    f"该工作簿为 {form_id} 的 {identity.layout_year} 年版式，不是 {layout_year} 年版式",
                    f"the workbook has the {identity.layout_year} layout of {form_id}, not the {layout_year} one",
                )
            ],
        )


def _stop_cells(layout: SheetLayout, after: int) -> dict[int, set[str]]:
    """Where the block after block ``after`` starts, as column → label texts (where a table must stop).

    A table ends at the first row that shows one of these labels in its own column, so a
    value in a data column that happens to read like a label (``联系人：``) does not end it.
    """
    stops: dict[int, set[str]] = {}
    for block in layout.blocks[after + 1 :]:
        if isinstance(block, Grid) and block.rows:
            col = 0
            for cell in block.rows[0]:
                if isinstance(cell, Text) and cell.text.strip():
                    stops.setdefault(col, set()).add(cell.text.strip())
                col += cell.colspan
        elif isinstance(block, Notes):
            stops.setdefault(0, set()).update(text.strip() for text in (block.title, *block.lines[:1]) if text)
        elif isinstance(block, Title):
            stops.setdefault(0, set()).add(block.template.split("{")[0].strip())
        for texts in stops.values():
            texts.discard("")
        if any(stops.values()):
            break
    return stops


def detect_plan(layout: SheetLayout, rows: Rows) -> SheetPlan:
    """The plan of a sheet as filled: each table's row count found by scanning its rows."""
    counts: dict[str, int] = {}
    table_index = 0
    for position, block in enumerate(layout.blocks):
        if not isinstance(block, Table):
            continue
        table_plan = plan_sheet(layout, counts).tables[table_index]
        table_index += 1
        stops = _stop_cells(layout, position)
        data_cols = [col for col, column in table_plan.columns if not column.is_number]
        counts[table_plan.table.rows] = _rows_filled(rows, table_plan.first_row, data_cols, list(stops.items()))
    return plan_sheet(layout, counts)


def _rows_after_a_table(layout: SheetLayout, plan: SheetPlan, rows: Rows) -> bool:
    """Whether rows are filled in under a table past the blank row its count stopped at (and before
    the next block): cpsdk's own workbook, filled in with a blank row left inside a table."""
    positions = [position for position, block in enumerate(layout.blocks) if isinstance(block, Table)]
    for position, table in zip(positions, plan.tables, strict=True):
        stops = table_stops(layout.blocks[position + 1 :])
        data_cols = [col for col, column in table.columns if not column.is_number]
        for row in range(table.blank_row, min(len(rows), table.blank_row + MAX_SHEET_ROWS)):
            cells = rows[row]
            if is_stop_row(cells, stops):
                break
            if any(col < len(cells) and not is_blank(cells[col]) for col in data_cols):
                return True
    return False


def _rows_filled(rows: Rows, first: int, data_cols: list[int], stops: list[tuple[int, set[str]]]) -> int:
    """How many rows from ``first`` on hold data: up to a row with no data at all, or the next block's label."""
    end = min(len(rows), first + MAX_SHEET_ROWS)
    for row in range(first, end):
        cells = rows[row]
        width = len(cells)
        for col in data_cols:  # one filled data cell is enough (written out: this runs for every row)
            if col < width and (value := cells[col]) is not None and not (isinstance(value, str) and not value.strip()):
                break
        else:
            return row - first
        for col, texts in stops:
            if col < width and isinstance(value := cells[col], str) and value.strip() in texts:
                return row - first
    return end - first


def read_workbook(
    layout: WorkbookLayout | Callable[[WorkbookIdentity], WorkbookLayout],
    report_type: type,
    path: str | os.PathLike[str],
    form_id: str,
    *,
    extra: Callable[[dict[str, Any], WorkbookIdentity], Iterable[Issue] | None] | None = None,
    layout_year: int | None = None,
    recognise: bool = True,
) -> tuple[Any | None, list[Issue], WorkbookIdentity | None, Callable[[Issue], Issue]]:
    """Read a workbook of ``form_id``: the report (None if unreadable), every issue found, the
    workbook's identity (None for a workbook cpsdk did not write), and what moves an issue pinned
    to a cell of the layout onto the cell it was typed in (for the form's own rules; it leaves
    issues alone for a workbook cpsdk wrote).

    ``layout`` may be a function of the workbook's identity, for forms whose layout
    depends on how the workbook was written. A workbook without cpsdk's identity sheet (one
    typed by hand) is read by recognising the layout from its labels
    (:mod:`cpsdk.workbook._recognise`) unless ``recognise`` is false.

    Raises :class:`WorkbookError` when the file cannot be read at all and
    :class:`WrongFormError` when it belongs to another form (or, typed by hand, shows none
    of the form's labels).
    """
    book = open_workbook(path)
    recognised: dict[str, Recognised] = {}
    typed_issues: list[Issue] = []
    try:
        identity = read_identity(book)
        if identity is None and recognise:
            stand_in = stand_in_identity(form_id, layout_year)
            if callable(layout):
                layout = layout(stand_in)
            recognised = recognise_workbook(book, layout, report_type, form_id)
            if any(found.script == "hant" for found in recognised.values()):  # typed in traditional script
                stand_in = attrs.evolve(stand_in, params="script=hant")
        else:
            expect_form(identity, form_id, layout_year)
            assert identity is not None
            stand_in = identity
            if callable(layout):
                layout = layout(identity)  # e.g. the layout in the script the workbook was written in
        data: dict[str, Any] = {}
        issues: list[Issue] = []
        plans: list[SheetPlan] = []
        tables: list[tuple[TablePlan, Rows, str]] = []  # read after ``extra``, which sees the other cells only
        for sheet in layout.sheets:
            found = recognised.get(sheet.name)
            if found is not None:
                rows, plan = found.rows, found.plan
                typed_issues.extend(found.issues)
            elif sheet.name not in book.sheet_names or identity is None:
                issues.append(
                    error(
                        "workbook.missing-sheet", f"缺少工作表“{sheet.name}”", f"the sheet {sheet.name!r} is missing"
                    ).at(sheet=sheet.name)
                )
                continue
            else:
                rows = sheet_rows(book, sheet.name)
                plan = detect_plan(sheet, rows)
                if _rows_after_a_table(sheet, plan, rows):  # a clerk left a blank row and went on
                    found = recognise_sheet(
                        sheet, rows, sheet.name, report_type, _type_unit_at, sheet_merges(book, sheet.name)
                    )
                    recognised[sheet.name] = found
                    rows, plan = found.rows, found.plan
                    typed_issues.extend(found.issues)
            plans.append(plan)
            issues.extend(_read_titles(plan, rows, report_type, data))
            for cell in plan.fixed:
                if cell.path is None:
                    continue
                tp, optional, unit = _type_unit_at(
                    report_type, tuple(0 if isinstance(k, int) else k for k in cell.path)
                )
                raw = cell_value(cell_at(rows, cell.row, cell.col), cell.value)
                where = {"sheet": sheet.name, "cell": a1(cell.row, cell.col)}
                try:
                    raw, note = as_typed(raw, tp, unit, _own_rule(cell.blank))
                    set_path(data, cell.path, from_cell(raw, tp, optional))
                except ValueError as exc:
                    issues.append(_cell_issue("workbook.cell", exc).at(**where))
                    continue
                if note is not None:
                    issues.append(warning("read.adjusted", *note).at(**where))
            tables.extend((table, rows, sheet.name) for table in plan.tables)
        if extra is not None:
            issues.extend(_at_title(extra(data, stand_in) or (), plans))
        for table, rows, sheet_name in tables:
            issues.extend(_read_table(table, rows, report_type, data, sheet_name))
    finally:
        book.close()
    report: Any = None
    if not any(issue.is_error for issue in (*issues, *typed_issues)):
        try:
            report = converter().structure(data, report_type)
        except Exception as exc:  # noqa: BLE001 - any structuring failure is an issue
            issues.extend(_structure_issues(exc, plans))

    def locate(issue: Issue) -> Issue:
        return _typed_issue(issue, recognised)

    if recognised:  # the cells cpsdk would have written → the cells typed
        refused = {(issue.sheet, issue.cell) for issue in typed_issues if issue.is_error}
        issues = [
            *typed_issues,
            *(issue for issue in map(locate, issues) if (issue.sheet, issue.cell) not in refused or not issue.cell),
        ]
    # a sheet of a million bad cells: a thousand of each kind, and a count
    return report, capped(issues), identity, locate


def stand_in_identity(form_id: str, layout_year: int | None) -> WorkbookIdentity:
    """What a workbook typed by hand is taken to say about itself: the form it is read as."""
    return WorkbookIdentity(
        form=form_id,
        layout_year=layout_year or 0,
        sdk_version="",
        plugin="",
        plugin_version="",
        written_at="",
        report_sha256="",
    )


def recognise_workbook(
    book: CalamineWorkbook, layout: WorkbookLayout, report_type: type, form_id: str
) -> dict[str, Recognised]:
    """Each of ``layout``'s sheets found in ``book`` (typed by hand), by its labels; WrongFormError when
    the workbook shows none of the form's."""
    found = TypedWorkbook.of(book).recognise(layout, report_type)
    accepted = {name: sheet for name, sheet in found.items() if sheet.score >= RECOGNISED_SCORE}
    if not accepted:
        raise WrongFormError(
            f"the workbook does not show the labels of {form_id}",
            [
                error(
                    "workbook.unrecognised",
                    f"该工作簿不是由 cpsdk 生成的，也未能按 {form_id} 的标题和表头识别出表格"
                    "（请核对标题、表头文字是否与表式一致）",
                    f"the workbook was not written by cpsdk, and the title and headers of {form_id} were not "
                    "found in it (check that they read as the form prints them)",
                )
            ],
        )
    return accepted


#: The share of a sheet's labels that must be found for it to count as the layout's sheet.
RECOGNISED_SCORE = 0.5


@attrs.frozen(kw_only=True)
class Recognition:
    """How well a workbook typed by hand shows a layout: the share of its labels found, and where."""

    score: float
    evidence: tuple[str, ...]


@attrs.frozen
class TypedWorkbook:
    """A workbook's sheets (name, rows, merged ranges), read once, to recognise layouts in: telling
    which of many forms a workbook is reads it once, not once a form."""

    sheets: tuple[tuple[str, Rows, list[tuple[tuple[int, int], tuple[int, int]]]], ...]

    @classmethod
    def of(cls, book: CalamineWorkbook) -> TypedWorkbook:
        """The sheets of an open workbook, but cpsdk's identity sheet."""
        return cls(
            tuple(
                (name, sheet_rows(book, name), sheet_merges(book, name))
                for name in book.sheet_names
                if name != IDENTITY_SHEET
            )
        )

    def recognise(self, layout: WorkbookLayout, report_type: type) -> dict[str, Recognised]:
        """The sheet that shows each of ``layout``'s sheets best (its own name first on a tie), by the
        layout's sheet name; a sheet taken (found well enough to read) is not offered to the next."""
        found: dict[str, Recognised] = {}
        taken: set[str] = set()
        also: dict[str, list[str]] = {}  # other sheets that show a layout sheet well enough to read
        for sheet in layout.sheets:
            candidates = sorted(
                (typed for typed in self.sheets if typed[0] not in taken),
                key=lambda typed: typed[0] != sheet.name,
            )
            attempts = [
                recognise_sheet(sheet, rows, name, report_type, _type_unit_at, merges)
                for name, rows, merges in candidates
            ]
            best = max(attempts, key=lambda attempt: attempt.score, default=None)
            if best is None:
                continue
            found[sheet.name] = best
            if best.score >= RECOGNISED_SCORE:
                taken.add(best.sheet)
                also[sheet.name] = [a.sheet for a in attempts if a is not best and a.score >= RECOGNISED_SCORE]
        for name, others in also.items():
            left = [other for other in others if other not in taken]
            if left:  # a second copy of the form (原始 / 修改后): which one is meant is the clerk's to say
                best = found[name]
                said = warning(
                    "read.other-sheet",
                    f"工作表{'、'.join(f'“{other}”' for other in left)}也是本表，未读取；已读取“{best.sheet}”："
                    "请只保留要报送的一份",
                    f"sheet(s) {', '.join(left)} also show the form and were not read; {best.sheet!r} was: "
                    "keep only the copy to submit",
                ).at(sheet=best.sheet)
                found[name] = attrs.evolve(best, issues=(*best.issues, said))
        return found

    def recognition(self, layout: WorkbookLayout, report_type: type) -> Recognition:
        """How well the workbook shows ``layout`` (for telling which form, and which layout year, it is)."""
        found = self.recognise(layout, report_type).values()
        expected = sum(sheet.expected for sheet in found)
        score = sum(sheet.found for sheet in found) / expected if expected else 0.0
        return Recognition(score=score, evidence=tuple(line for sheet in found for line in sheet.evidence))


def typed_workbook(path: str | os.PathLike[str]) -> TypedWorkbook:
    """The workbook at ``path``, its sheets read once for recognising layouts; WorkbookError when the file
    cannot be read."""
    book = open_workbook(path)
    try:
        return TypedWorkbook.of(book)
    finally:
        book.close()


@functools.lru_cache(maxsize=4096)
def _type_unit_at(report_type: type, path: tuple[str | int, ...]) -> tuple[Any, bool, Any]:
    return type_unit_at(report_type, path)


def _typed_issue(issue: Issue, recognised: dict[str, Recognised]) -> Issue:
    """``issue`` at the cell typed; a value whose labels were not found has no such cell, and its issue
    names the sheet alone (not the cell cpsdk's own layout would have used, which holds something else)."""
    found = recognised.get(issue.sheet or "")
    if found is None:
        return issue
    return issue.at(sheet=found.sheet, cell=found.typed_cell(issue.cell) if issue.cell else None)


def cell_value(raw: Any, spec: Value | None) -> Any:
    """Undo what :func:`~cpsdk.workbook._writer.shown_value` did to a grid value (the inverse)."""
    if spec is None or not isinstance(raw, str):
        return raw
    # A line break the layout puts in its fixed text (a unit on a line of its own) is the print's, not the
    # value's: it may be typed or not.
    text = raw.strip().replace("\n", "")
    if spec.empty is not None and text == _flat(spec.empty):
        return None
    if spec.labels is not None:
        if text == _flat(spec.labels[0]):
            return True
        if text == _flat(spec.labels[1]):
            return False
    if spec.template is not None:
        pattern = title_pattern(spec.template.replace("\n", "").replace("{}", "{value}"))
        # As written first, line breaks and the value's own edge whitespace its own (a name may hold a line break),
        # then as a clerk may have retyped it.
        match = (
            title_pattern(spec.template.replace("{}", "{value}")).match(raw)
            or pattern.match(raw.replace("\n", ""))
            or pattern.match(text)
        )
        if match is not None:
            return match.group("value")
    return raw


def _flat(fixed: str) -> str:
    return fixed.strip().replace("\n", "")


@functools.lru_cache(maxsize=4096)
def _type_at(report_type: type, path: tuple[str | int, ...]) -> tuple[Any, bool]:
    """:func:`type_at`, remembered: every row of a table has the same types (resolving hints is slow)."""
    return type_at(report_type, path)


def _cell_issue(code: str, exc: ValueError) -> Issue:
    """An error from :func:`from_cell`'s exception, in both languages when it has them."""
    if isinstance(exc, CellValueError):
        return error(code, exc.zh, exc.en)
    return error(code, str(exc), str(exc))


def _read_titles(plan: SheetPlan, rows: Rows, report_type: type, data: dict[str, Any]) -> list[Issue]:
    issues: list[Issue] = []
    for title_plan in plan.titles:
        names = title_fields(title_plan.title.template)
        if not names:
            continue
        raw = str(cell_at(rows, title_plan.row, 0) or "")
        numeric = {name for name in names if _type_at(report_type, (name,))[0] is int}
        pattern = title_pattern(title_plan.title.template, numeric)
        # As written first (a field's own edge whitespace is its own), then as a clerk may have retyped it.
        text = raw.removesuffix(DRAFT_MARK)
        match = pattern.match(text)
        if match is None:
            text = raw.strip().removesuffix(DRAFT_MARK)
            match = pattern.match(text)
        where = {"sheet": plan.layout.name, "cell": a1(title_plan.row, 0)}
        if match is None:
            example = title_example(title_plan.title.template, field_titles(report_type))
            if text.strip():
                zh, en = f"标题无法识别：{text[:60]}", f"the title cannot be read: {text[:60]!r}"
            else:
                zh, en = "未找到标题", "no title was found"
            issues.append(
                error(
                    "workbook.title",
                    f"{zh}；应为“{example}”，写在一个单元格内，方括号处填实际内容",
                    f"{en}; expected {example!r} in one cell, the bracketed parts filled in",
                ).at(**where)
            )
            continue
        for name in names:
            tp, optional = _type_at(report_type, (name,))
            try:
                data[name] = from_cell(match.group(name), tp, optional)
            except ValueError as exc:
                issues.append(_cell_issue("workbook.title", exc).at(**where))
    return issues


def _at_title(issues: Iterable[Issue], plans: Sequence[SheetPlan]) -> list[Issue]:
    """Issues about a field the title shows (``/region_name``), placed at the title's cell."""
    cells = {
        f"/{name}": (plan.layout.name, a1(title_plan.row, 0))
        for plan in plans
        for title_plan in plan.titles
        for name in title_fields(title_plan.title.template)
    }
    placed = []
    for issue in issues:
        where = cells.get(issue.pointer or "") if issue.cell is None else None
        placed.append(issue.at(sheet=where[0], cell=where[1]) if where is not None else issue)
    return placed


def _own_rule(blank: str) -> str:
    """What an empty cell means in a workbook cpsdk wrote: a value it left empty is none, whatever a clerk
    typing by hand may not leave (``refuse`` is for recognition); a 0 left empty is still 0."""
    return "empty" if blank == "refuse" else blank


def _read_table(table: TablePlan, rows: Rows, report_type: type, data: dict[str, Any], sheet: str) -> list[Issue]:
    """A table's data rows into ``data``: straight into row objects when every cell reads cleanly,
    else row by row into JSON-ready values with an issue for each cell that cannot be read."""
    if table.count == 0:
        return []
    rows_path = table.rows_path
    # else each cell by its rule, and a column's own text for no value read as none
    plain = all(_own_rule(column.blank) == "empty" and column.empty is None for _, column in table.columns)
    read_row = row_reader(
        _type_at(report_type, (*rows_path, 0))[0],
        tuple((col, field) for (col, _), field in zip(table.columns, table.fields, strict=True) if field is not None),
    )
    if read_row is not None and plain:
        try:  # the rows counted are rows of the sheet (detect_plan counts no further)
            objects = [read_row(cells) for cells in rows[table.first_row : table.first_row + table.count]]
        except Exception:  # noqa: BLE001 - any failure: the exact reading below says which cell and why
            pass
        else:
            set_path(data, rows_path, objects)
            return []
    columns = [
        (col, field, _own_rule(column.blank), column.empty, *_type_unit_at(report_type, (*rows_path, 0, *field)))
        for (col, column), field in zip(table.columns, table.fields, strict=True)
        if field is not None
    ]
    issues: list[Issue] = []
    items: list[dict[str, Any]] = []
    for row in range(table.first_row, table.first_row + table.count):
        cells = rows[row] if row < len(rows) else ()
        item: dict[str, Any] = {}
        for col, field, blank, empty, tp, optional, unit in columns:
            typed = cells[col] if col < len(cells) else None
            if empty is not None and isinstance(typed, str) and typed.strip() == empty:
                typed = None  # the column's own text for no value
            try:  # as a clerk may have typed it (2018.12 for a month, 1.2亿元), then as the field holds it
                raw, note = as_typed(typed, tp, unit, blank)
                value = from_cell(raw, tp, optional)
            except ValueError as exc:
                issues.append(_cell_issue("workbook.cell", exc).at(sheet=sheet, cell=a1(row, col)))
                continue
            if note is not None:
                issues.append(warning("read.adjusted", *note).at(sheet=sheet, cell=a1(row, col)))
            if len(field) == 1:
                item[field[0]] = value  # type: ignore[index]
            else:
                set_path(item, field, value)
        items.append(item)
    set_path(data, rows_path, items)
    return issues


def _structure_issues(exc: BaseException, plans: list[SheetPlan]) -> list[Issue]:
    issues: list[Issue] = []
    for text, pointer in structure_failures(exc):
        issue = error("workbook.value", f"取值无效：{text[:120]}", f"invalid value: {text[:120]}", pointer=pointer)
        if pointer:
            path = pointer_path(pointer)
            for plan in plans:
                cell = plan.cell_of(path)
                if cell is not None:
                    issue = issue.at(sheet=plan.layout.name, cell=a1(cell.row, cell.col))
                    break
        issues.append(issue)
    return issues
