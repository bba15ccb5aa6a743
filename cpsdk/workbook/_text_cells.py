"""Writing text into a cell so that it reads back exactly, whatever it holds.

xlsxwriter (3.3) writes a string into the sheet (or the shared-strings table) as it comes
except for three things, which this module deals with:

- A string that begins with ``<r>`` and ends with ``</r>`` is taken for xlsxwriter's own
  rich-text XML and written *unescaped*: dataset text of that shape would become live
  formulas, malformed XML or lost text. Such a text is written as a one-run rich string
  whose XML is made here, the run escaped, in the cell format's font (it looks the same).
- Excel's escapes: ``_xHHHH_`` in a cell's XML stands for the character HHHH (how control
  characters are stored). xlsxwriter escapes control characters and a literal ``_xHHHH_``,
  but only non-overlapping ones, and not one that a control character completes
  (``_x0041`` then U+0001), so such text read back changed. A text holding ``_x`` and
  four hex digits is written the rich way too, with every underscore that a reader could
  take for the start of an escape escaped itself (``_x005F_``), as the format specifies.
- Characters no xlsx file can hold: lone surrogates (the file is UTF-8) and the
  noncharacters U+FFFE and U+FFFF (XML forbids them; their escapes ``_xFFFE_`` are read
  back literally). A data cell holding one is refused (:func:`text_problem`, raised by
  :meth:`TextCells.write` as :class:`~cpsdk.ExcelLimitError`), as is one longer than
  Excel's 32,767 characters (counted as Excel counts them: UTF-16 units). Diagnostics
  (a draft's issues sheet, cell comments) are fitted instead (:func:`fit_text`).

Every other text — nearly all — goes through ``write_string`` unchanged, so the sheet XML
for ordinary data is what xlsxwriter always wrote. Tab, line feed and the other control
characters are carried exactly (as Excel's escapes).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from io import StringIO
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from cpsdk.base._errors import ExcelLimitError
from cpsdk.model._structure import UNSTORABLE_TEXT
from cpsdk.workbook._layout import MAX_CELL_TEXT, a1

try:  # the cell record xlsxwriter keeps for a rich string
    from xlsxwriter.worksheet import CellRichStringTuple
except ImportError:  # pragma: no cover - a later xlsxwriter: the public method is used
    CellRichStringTuple = None

#: An underscore a reader would take for the start of an escape ``_xHHHH_`` (or that a control
#: character's escape could complete into one).
_ESCAPE_START = re.compile("_(?=x[0-9A-Fa-f]{4})")
#: Control characters XML cannot hold as they are (xlsxwriter's set): stored as ``_xHHHH_``.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")
_XML_SPECIAL = re.compile("[&<>]")
_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
#: Texts up to this long fit whatever their characters (each is at most two UTF-16 units).
SAFE_LENGTH = MAX_CELL_TEXT // 2

StringWriter = Callable[..., Any]


def excel_length(text: str) -> int:
    """Characters as Excel counts them (UTF-16 units: a character beyond U+FFFF counts twice)."""
    return len(text) + sum(1 for char in text if char > "\uffff") if not text.isascii() else len(text)


def text_problem(text: str) -> str | None:
    """Why a cell cannot hold ``text`` exactly (None when it can), to follow a cell's address."""
    if len(text) > SAFE_LENGTH and (length := excel_length(text)) > MAX_CELL_TEXT:
        return f"would hold {length} characters; Excel allows {MAX_CELL_TEXT}"
    bad = UNSTORABLE_TEXT.search(text)
    if bad is not None:
        kind = "a lone surrogate" if "\ud800" <= bad.group() <= "\udfff" else "a noncharacter"
        return f"holds U+{ord(bad.group()):04X} ({kind}), which no xlsx file can hold"
    return None


def is_plain(text: str) -> bool:
    """True when ``write_string`` carries ``text`` exactly (nearly every text): not rich-text shaped,
    no ``_x`` and four hex digits, no character an xlsx cannot hold."""
    if text.startswith("<r>") and text.endswith("</r>"):
        return False
    if "_x" in text and _ESCAPE_START.search(text) is not None:
        return False
    return UNSTORABLE_TEXT.search(text) is None


def fit_text(text: str) -> str:
    """``text`` made fit for a diagnostic (an issues sheet, a comment): a character no xlsx can hold
    becomes U+FFFD, and text beyond Excel's length is cut."""
    text = UNSTORABLE_TEXT.sub("\ufffd", text)
    if len(text) > SAFE_LENGTH and excel_length(text) > MAX_CELL_TEXT:
        length = 0
        for index, char in enumerate(text):
            length += 2 if char > "\uffff" else 1
            if length > MAX_CELL_TEXT:
                return text[:index]
    return text


def excel_escaped(text: str) -> str:
    """``text`` with Excel's escapes: control characters as ``_xHHHH_``, and every underscore a
    reader could take for the start of one as ``_x005F_`` (ECMA-376 Part 1, 22.9.2.19 ST_Xstring)."""
    if "_x" in text:
        text = _ESCAPE_START.sub("_x005F_", text)
    return _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


def run_text_xml(text: str) -> str:
    """The XML of a run's ``<t>`` content for ``text``: escaped for Excel, then for XML, and with every
    underscore as a character reference, so that xlsxwriter's own escaping (which it applies once more
    to a rich string's whole XML) finds nothing to change."""
    escaped = _XML_SPECIAL.sub(lambda match: _XML_ESCAPES[match.group()], excel_escaped(text))
    return escaped.replace("_", "&#95;")


class TextCells:
    """Writes text into the cells of one worksheet so that each reads back exactly.

    ``write_string`` is the writer of plain strings to use (xlsxwriter's public method or the one
    behind it). :meth:`write` decides, for each text, between it and a one-run rich string.
    """

    def __init__(self, sheet: Worksheet, write_string: StringWriter | None = None) -> None:
        self.sheet = sheet
        self.write_string: StringWriter = write_string or sheet.write_string
        self._fonts: dict[int, tuple[Format | None, str]] = {}
        self._internal = CellRichStringTuple is not None and all(
            hasattr(sheet, name) for name in ("_check_dimensions", "_write_single_row", "_write_font", "table")
        )

    def write(self, row: int, col: int, text: str, fmt: Format | None = None) -> None:
        """Write ``text`` at (row, col); :class:`~cpsdk.ExcelLimitError` when no cell can hold it."""
        if is_plain(text):
            if len(text) > SAFE_LENGTH:
                self.check(row, col, text)
            self.write_string(row, col, text, fmt)
            return
        self.check(row, col, text)
        self.write_rich(row, col, text, fmt)

    def check(self, row: int, col: int, text: str) -> None:
        """Refuse ``text`` for the cell (row, col) when no cell can hold it exactly."""
        problem = text_problem(text)
        if problem is not None:
            raise ExcelLimitError(f"cell {self.sheet.name}!{a1(row, col)} {problem}")

    def write_rich(self, row: int, col: int, text: str, fmt: Format | None) -> None:
        """Write ``text`` (not empty, checked) as a rich string of one run in ``fmt``'s font."""
        if not self._internal:  # pragma: no cover - a later xlsxwriter without the internals used here
            self.sheet.write_rich_string(row, col, fmt or Format(), text[:1], fmt or Format(), text[1:], fmt)
            return
        sheet: Any = self.sheet
        xml = f'<r>{self._run_properties(fmt)}<t xml:space="preserve">{run_text_xml(text)}</t></r>'
        # What xlsxwriter's write_rich_string does with the XML it makes (worksheet._write_rich_string).
        if sheet._check_dimensions(row, col):
            return
        index = xml if sheet.constant_memory else sheet.str_table._get_shared_string_index(xml)
        if sheet.constant_memory and row > sheet.previous_row:
            sheet._write_single_row(row)
        sheet.table[row][col] = CellRichStringTuple(index, fmt, text)

    def _run_properties(self, fmt: Format | None) -> str:
        """The ``<rPr>`` of a run in ``fmt``'s font, as xlsxwriter writes it (none for no format)."""
        if fmt is None:
            return ""
        found = self._fonts.get(id(fmt))
        if found is None:
            from xlsxwriter.xmlwriter import XMLwriter

            sheet: Any = self.sheet
            writer = XMLwriter()
            writer._set_filehandle(StringIO())
            saved = getattr(sheet, "rstring", None)
            sheet.rstring = writer
            try:
                sheet._write_font(fmt)
            finally:
                sheet.rstring = saved
            # The format is kept with its XML, so that its id is not reused while it is remembered.
            found = self._fonts[id(fmt)] = (fmt, writer.fh.getvalue())
        return found[1]
