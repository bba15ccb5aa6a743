"""What the two corpora of hand-typed books share: a sheet typed cell by cell, the marks a reader must
report, and how a test finds the issues pinned to them. Nothing here uses cpsdk's reading."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

Pos = tuple[int, int]


@dataclass
class Mark:
    """A cell (or a whole row, ``col`` None) a reader must report an issue at."""

    row: int
    col: int | None
    #: ``issue``: any issue; ``error``: an error.
    severity: Literal["issue", "error"]
    why: str


@dataclass(kw_only=True)
class TypedSheet:
    """A sheet typed by hand, as cells (rows and columns from 0) with their styles, formats and merges."""

    sheet: str = "Sheet1"
    cells: dict[Pos, Any] = field(default_factory=dict)
    formats: dict[Pos, str] = field(default_factory=dict)
    styles: dict[Pos, str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)

    @staticmethod
    def ref(row: int, col: int) -> str:
        """A1 reference of a cell."""
        return f"{get_column_letter(col + 1)}{row + 1}"

    def put(self, pos: Pos, value: Any, *, style: str | None = None, fmt: str | None = None) -> None:
        """Type ``value`` into a cell (None empties it), with its style and number format."""
        if value is None:
            self.cells.pop(pos, None)
        else:
            self.cells[pos] = value
        if style is not None:
            self.styles[pos] = style
        if fmt is None:
            self.formats.pop(pos, None)
        else:
            self.formats[pos] = fmt

    def merge(self, row1: int, col1: int, row2: int, col2: int) -> None:
        """Merge a range, as Excel does: only the top left cell keeps its value (one cell is no range)."""
        if (row1, col1) == (row2, col2):
            return
        for row in range(row1, row2 + 1):
            for col in range(col1, col2 + 1):
                if (row, col) != (row1, col1):
                    self.cells.pop((row, col), None)
        self.merges.append((row1, col1, row2, col2))

    def move_cells(self, moved: Callable[[int, int], Pos]) -> None:
        """Move every cell, its style, format and merge, and every mark, to where ``moved`` puts it."""
        for name in ("cells", "formats", "styles"):
            setattr(self, name, {moved(*pos): value for pos, value in getattr(self, name).items()})
        self.merges = [(*moved(r1, c1), *moved(r2, c2)) for r1, c1, r2, c2 in self.merges]
        for mark in self.marks:
            mark.row, col = moved(mark.row, mark.col if mark.col is not None else 0)
            mark.col = col if mark.col is not None else None


def pinned(issue: Any, sheet: str, row: int, col: int | None) -> bool:
    """True when the issue names ``sheet`` and a cell (or range) covering the row and column (from 0)."""
    if issue.sheet != sheet or not issue.cell:
        return False
    min_col, min_row, max_col, max_row = range_boundaries(issue.cell.replace("$", ""))
    in_rows = min_row is None or max_row is None or min_row <= row + 1 <= max_row
    in_cols = col is None or min_col is None or max_col is None or min_col <= col + 1 <= max_col
    return in_rows and in_cols


def issues_at(issues: Sequence[Any], book: TypedSheet, mark: Mark) -> list[Any]:
    """The issues pinned to a mark's cell (or row); only errors where the mark asks for an error."""
    found = [issue for issue in issues if pinned(issue, book.sheet, mark.row, mark.col)]
    return [issue for issue in found if issue.is_error] if mark.severity == "error" else found


def saved_cells(path: Path, sheet: str) -> dict[Pos, Any]:
    """The cells of a saved sheet that hold a value, as openpyxl reads them back."""
    workbook = openpyxl.load_workbook(path)
    return {
        (cell.row - 1, cell.column - 1): cell.value
        for row in workbook[sheet].iter_rows()
        for cell in row
        if cell.value is not None
    }
