"""How a sheet falls onto A4 pages: a print scale that fits its width, and page breaks between sections.

Excel and LibreOffice ignore manual page breaks on a sheet set to "fit to N pages", so a
sheet that must break between its sections gets a print scale computed from its column
widths instead, and breaks placed where the pages would fill, moved up to the last row
that does not cut a section: never inside a range merged over several rows (a section's
label spans its rows), never right under a heading row (a title, labels or table headers
alone), and never between two lines of the notes. A block taller than a page breaks where
the page fills.

Heights are estimates (the writer's own, or Excel's default row height), so a page is
filled to :data:`FILL` of its height only: a row the spreadsheet draws a little taller than
estimated must not push a natural break above a manual one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import attrs

#: The body of an A4 page, in points, inside the margins the writer sets (0.5 in left and right,
#: 0.6 in top and bottom): (width, height) upright.
A4_BODY = (595.3 - 72.0, 841.9 - 86.4)
#: The share of a page's height filled before breaking (see the module's docstring).
FILL = 0.93
#: The share of a page's width filled.
WIDTH_FILL = 0.98
#: A character of column width in points: the width of a digit of the default font (Calibri 11). Excel rounds
#: it to 7 pixels (5.25 pt); LibreOffice takes Carlito's unrounded 5.58 pt. The wider of the two, so that a
#: sheet fits either way.
CHARACTER_POINTS = 5.6
#: Excel's default row height in points, and the most manual breaks a sheet may hold.
DEFAULT_ROW_HEIGHT = 15.0
MAX_BREAKS = 1023


def column_points(width: float) -> float:
    """A column ``width`` (in characters of the default font, as ``set_column`` takes it) in points.

    xlsxwriter stores a width of ``w`` characters as ``w + 0.71`` (its 5 pixels of padding).
    """
    return (width + 0.71) * CHARACTER_POINTS if width > 0 else 0.0


def print_scale(widths: Sequence[float], *, landscape: bool) -> int:
    """The print scale (10–100 %) at which columns of ``widths`` fit across an A4 page."""
    page_width = A4_BODY[1] if landscape else A4_BODY[0]
    total = sum(column_points(width) for width in widths) or 1.0
    return max(10, min(100, int(100 * page_width * WIDTH_FILL / total)))


def page_height(*, scale: int, landscape: bool) -> float:
    """How many points of rows (at 100%) a page holds at ``scale``, filled to :data:`FILL`."""
    return (A4_BODY[0] if landscape else A4_BODY[1]) * FILL * 100 / scale


def page_breaks(
    height: Callable[[int], float],
    last_row: int,
    joined: Callable[[int], bool],
    *,
    scale: int,
    landscape: bool,
    repeat: tuple[int, int] | None = None,
) -> list[int]:
    """Rows that start a new page: each placed where the page fills, moved up to the last row
    before which ``joined`` allows a break.

    ``height(row)`` is a row's height in points, ``joined(row)`` tells that ``row`` must stay on
    the page of the row above it; ``repeat`` (first, last) are rows printed again on top of every
    later page. At most :data:`MAX_BREAKS` breaks: a longer sheet breaks by itself after them.
    """
    page = page_height(scale=scale, landscape=landscape)
    repeated = sum(height(row) for row in range(repeat[0], repeat[1] + 1)) if repeat else 0.0
    breaks: list[int] = []
    start, used, candidate, row = 0, 0.0, None, 0
    while row <= last_row and len(breaks) < MAX_BREAKS:
        if row > start and not joined(row):
            candidate = row
        used += height(row)
        if used > page and row > start:
            start = candidate if candidate is not None else row
            breaks.append(start)
            # The new page starts over from its first row, under the rows repeated on it.
            used = repeated if repeat and start > repeat[1] else 0.0
            candidate, row = None, start
            continue
        row += 1
    return breaks


@attrs.frozen
class RowKinds:
    """What each row of a sheet holds, as far as breaking pages goes.

    ``spans`` are (first row, last row) of ranges merged over several rows, or of blocks kept on one
    page (a table that fits one, with its headers); ``headings`` rows hold a title, labels or table
    headers and nothing else; ``notes`` rows hold a note.
    """

    spans: Sequence[tuple[int, int]]
    headings: frozenset[int]
    notes: frozenset[int]

    @classmethod
    def of(cls, cells: Iterable[tuple[int, int, str]], whole: Iterable[tuple[int, int]] = ()) -> RowKinds:
        """The kinds of rows holding ``cells``: (row, rows spanned, role) of each placed cell; ``whole`` are
        (first row, last row) of blocks to keep on one page."""
        spans: list[tuple[int, int]] = list(whole)
        roles: dict[int, set[str]] = {}
        for row, rowspan, role in cells:
            roles.setdefault(row, set()).add(role)
            if rowspan > 1:
                spans.append((row, row + rowspan - 1))
        headings = frozenset(row for row, held in roles.items() if held <= {"title", "label", "header", "blank"})
        notes = frozenset(row for row, held in roles.items() if "note" in held)
        return cls(spans, headings, notes)

    def joined(self) -> Callable[[int], bool]:
        """``joined(row)``: whether ``row`` must stay on the page of the row above it."""
        inside = {row for first, last in self.spans for row in range(first + 1, last + 1)}
        headings, notes = self.headings, self.notes

        def joined(row: int) -> bool:
            return row in inside or row - 1 in headings or (row in notes and row - 1 in notes)

        return joined
