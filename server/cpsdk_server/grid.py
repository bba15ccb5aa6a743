"""A workbook drawn as a grid of cells, each issue's cell marked: what the upload page shows.

Cells are read with python-calamine, only from workbooks the SDK has already read without refusing them
(its archive checks run first), and only up to :data:`MAX_ROWS` × :data:`MAX_COLUMNS` a sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import python_calamine

MAX_ROWS = 300
MAX_COLUMNS = 40
_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})")


def cell_position(reference: str) -> tuple[int, int] | None:
    """The zero-based (row, column) of an A1 reference (the first cell of a range), or None."""
    found = _CELL.match(reference.strip().upper())
    if not found:
        return None
    column = 0
    for letter in found[1]:
        column = column * 26 + ord(letter) - 64
    return int(found[2]) - 1, column - 1


def column_name(index: int) -> str:
    """The letters of a zero-based column index (0 → A)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return str(value)


def read_grid(path: Path, issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The visible sheets of a workbook as JSON-ready grids, each issue with a cell attached to it.

    Each sheet is ``{"name", "columns", "rows": [{"number", "cells": [{"text", "span", "marks"}], "marks"}],
    "truncated"}``: ``marks`` are indexes into ``issues``; a cell covered by a merged range is left out, and the
    first cell of the range carries ``span`` (rows, columns).
    """
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    sheets: list[dict[str, Any]] = []
    for meta in book.sheets_metadata:
        if str(meta.visible).rsplit(".", 1)[-1].lower() != "visible":
            continue
        sheet = book.get_sheet_by_name(meta.name)
        values = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS)
        width = min(max((len(row) for row in values), default=0), MAX_COLUMNS)
        marks: dict[tuple[int, int], list[int]] = {}
        for index, issue in enumerate(issues):
            if issue.get("sheet") == meta.name and issue.get("cell"):
                position = cell_position(str(issue["cell"]))
                if position is not None:
                    row, column = position
                    marks.setdefault((min(row, MAX_ROWS), min(column, max(width - 1, 0))), []).append(index)
        spans, covered = _merged(sheet)
        rows = []
        for r in range(max(len(values), max((row + 1 for row, _ in marks), default=0))):
            row_values = values[r] if r < len(values) else []
            cells = []
            for c in range(width):
                if (r, c) in covered:
                    continue
                cells.append(
                    {
                        "ref": f"{column_name(c)}{r + 1}",
                        "text": _text(row_values[c]) if c < len(row_values) else "",
                        "span": spans.get((r, c), (1, 1)),
                        "marks": marks.get((r, c), []),
                    }
                )
            row_marks = [index for (row, _), found in sorted(marks.items()) if row == r for index in found]
            rows.append({"number": r + 1, "cells": cells, "marks": row_marks})
        sheets.append(
            {
                "name": meta.name,
                "columns": [column_name(c) for c in range(width)],
                "rows": rows,
                "truncated": len(values) >= MAX_ROWS,
            }
        )
    return sheets


def _merged(sheet: Any) -> tuple[dict[tuple[int, int], tuple[int, int]], set[tuple[int, int]]]:
    """The spans of merged ranges by their first cell, and the cells they cover."""
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    try:
        ranges = sheet.merged_cell_ranges or []
    except Exception:  # noqa: BLE001 - a reader without merged ranges draws every cell
        return spans, covered
    for (top, left), (bottom, right) in ranges:
        if top >= MAX_ROWS or left >= MAX_COLUMNS:
            continue
        bottom, right = min(bottom, MAX_ROWS - 1), min(right, MAX_COLUMNS - 1)
        spans[(top, left)] = (bottom - top + 1, right - left + 1)
        covered.update((r, c) for r in range(top, bottom + 1) for c in range(left, right + 1) if (r, c) != (top, left))
    return spans, covered
