"""OpenDocument (``.ods``) and legacy Excel (``.xls``) workbooks, and macro-enabled ``.xlsm``: each is checked before
python-calamine reads it (``cpsdk/workbook/_formats.py``, ``cpsdk/workbook/_archive.py``).

Honest files of each kind — written here byte by byte: an ``.ods`` with :mod:`zipfile` (``mimetype`` stored first,
a manifest, the content), an ``.xls`` by a small BIFF8 and OLE2 writer (:func:`_ole2`, :func:`_workbook`), so the
tests need nothing beyond the test extra and no network — pass the inspectors and read back through calamine cell for
cell. An ``.xlsm`` (an xlsx with the macro-enabled content type and ``xl/vbaProject.bin``) passes the xlsx checks
unchanged. Hostile ones (:data:`HOSTILE`) are refused, each with its code, in well under a second, by the inspector
alone. Each hostile file is also read by python-calamine itself, in a child process limited in memory
(:func:`test_what_calamine_does_with_each_hostile_file`), to show what the check prevents. With python-calamine 0.9.1
(calamine 0.37.0), under 1.5 GiB of address space:

- killed by SIGABRT (an allocation failed), from files of 1 to 850 KB: 6,000 rows of 16,384 repeated values
  (``ods-rows-repeated``; under calamine's own cap of 100 million cells), the same as 6,000 row elements, one
  ``text:s`` of two billion spaces, a 1 MiB string repeated over 16,384 columns; an ``.xls`` whose workbook stream,
  directory or DIFAT chain loops, a ``DIMENSIONS`` from row 10 to row 4 (wraps to four billion rows, reserved at
  once), a cell at column 65,536 (4.3 billion cells between it and A1), 60,000 one-character ``LABEL`` records
  declaring 65,535 characters each, one 65,535-character shared string named by 40,000 cells;
- a Rust panic (``PanicException``: clean, but unguarded): a chain index past the FAT, a shared string continuing
  into an empty ``CONTINUE``, a ``BoundSheet8`` offset past the stream, a ``MERGECELLS`` count past its record, a
  formula's ``cce`` past its record, a formula token cut short, a defined name too short for what is read of it;
- busy for minutes: one 64 KB formula of ``PtgAttrSpace`` tokens (16,000 × 255 spaces inserted one at a time at the
  formula's start);
- read without complaint, though refused here: a value past column 16,384 or row 1,048,576 (silently dropped), a DTD
  in a part calamine does not read, elements nested 100,000 deep, a 20 MiB text run, an archive comment, a looping
  mini-stream chain (bounded by 4 KB), ``DIMENSIONS`` of the whole grid with a table declaring four billion strings
  (671 MB reserved, within 1.5 GiB), 16,385 ``CONTINUE`` records, an Excel 95 workbook;
- refused cleanly by calamine too: the rest (its own cell cap, entities, a lying zip, truncation, encryption, text
  between cells, a chain past the file).
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

import cpsdk
from cpsdk.workbook import _formats
from cpsdk.workbook._archive import inspect_archive
from cpsdk.workbook._formats import inspect_ods, inspect_xls, workbook_format

# --- an OpenDocument spreadsheet, by hand ---------------------------------------------------------------------------

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _content(tables: str, *, prolog: str = '<?xml version="1.0" encoding="UTF-8"?>') -> bytes:
    return (
        f'{prolog}<office:document-content {_NAMESPACES} office:version="1.2">'
        '<office:automatic-styles><style:style style:name="ta1" style:family="table">'
        '<style:table-properties table:display="true"/></style:style></office:automatic-styles>'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    ).encode()


def _table(name: str, *rows: str) -> str:
    return f'<table:table table:name="{name}" table:style-name="ta1">' + "".join(rows) + "</table:table>"


def _row(*cells: str, repeat: int = 1) -> str:
    attribute = f' table:number-rows-repeated="{repeat}"' if repeat != 1 else ""
    return f"<table:table-row{attribute}>" + "".join(cells) + "</table:table-row>"


def _float(value: float, repeat: int = 1) -> str:
    attribute = f' table:number-columns-repeated="{repeat}"' if repeat != 1 else ""
    return f'<table:table-cell office:value-type="float" office:value="{value}"{attribute}/>'


def _text(*paragraphs: str, repeat: int = 1) -> str:
    attribute = f' table:number-columns-repeated="{repeat}"' if repeat != 1 else ""
    body = "".join(f"<text:p>{paragraph}</text:p>" for paragraph in paragraphs)
    return f'<table:table-cell office:value-type="string"{attribute}>{body}</table:table-cell>'


def _empty(repeat: int = 1) -> str:
    return f'<table:table-cell table:number-columns-repeated="{repeat}"/>'


def _ods(
    path: Path,
    content: bytes,
    *,
    manifest: str = _MANIFEST,
    parts: dict[str, bytes] | None = None,
    comment: bytes = b"",
) -> Path:
    """An ``.ods`` as LibreOffice lays one out: ``mimetype`` first and stored, then the manifest and the parts."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        for name, data in (parts or {"styles.xml": b'<?xml version="1.0"?><office:document-styles/>'}).items():
            archive.writestr(name, data, zipfile.ZIP_DEFLATED)
        archive.comment = comment
    return path


# --- a BIFF8 workbook in an OLE2 compound file, by hand -------------------------------------------------------------

END_OF_CHAIN, FREE, FAT_SECTOR, NO_STREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
SECTOR = 512


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(kind: int, version: int = 0x0600) -> bytes:
    """``BOF``: ``kind`` 0x0005 for the workbook globals, 0x0010 for a worksheet."""
    return _record(0x0809, struct.pack("<HHHHII", version, kind, 0x0DBB, 0x07CC, 0x000080C9, 0x00000206))


def _unicode(text: str) -> bytes:
    """An ``XLUnicodeString``: compressed (one byte a character) when it can be, else UTF-16."""
    wide = any(ord(char) > 0xFF for char in text)
    return struct.pack("<HB", len(text), 1 if wide else 0) + text.encode("utf-16-le" if wide else "latin-1")


def _sst(strings: list[str]) -> bytes:
    """The shared-string table, carried on in ``CONTINUE`` records past 8,224 bytes as Excel does (a string cut
    between two records goes on after a byte saying whether its characters are wide)."""
    limit = 8224
    records: list[bytearray] = []
    current = bytearray(struct.pack("<II", len(strings), len(strings)))
    for text in strings:
        wide = any(ord(char) > 0xFF for char in text)
        unit = 2 if wide else 1
        raw = text.encode("utf-16-le" if wide else "latin-1")
        header = struct.pack("<HB", len(text), 1 if wide else 0)
        if len(current) + len(header) + unit > limit:
            records.append(current)
            current = bytearray()
        current += header
        while raw:
            room = (limit - len(current)) // unit * unit
            if not room:
                records.append(current)
                current = bytearray([1 if wide else 0])
                continue
            current += raw[:room]
            raw = raw[room:]
    records.append(current)
    return _record(0x00FC, bytes(records[0])) + b"".join(_record(0x003C, bytes(record)) for record in records[1:])


def _number(row: int, column: int, value: float) -> bytes:
    return _record(0x0203, struct.pack("<HHHd", row, column, 0, value))


def _rk(row: int, column: int, value: int) -> bytes:
    return _record(0x027E, struct.pack("<HHHi", row, column, 0, value << 2 | 2))


def _mulrk(row: int, column: int, values: list[int]) -> bytes:
    cells = b"".join(struct.pack("<Hi", 0, value << 2 | 2) for value in values)
    return _record(0x00BD, struct.pack("<HH", row, column) + cells + struct.pack("<H", column + len(values) - 1))


def _labelsst(row: int, column: int, index: int) -> bytes:
    return _record(0x00FD, struct.pack("<HHHI", row, column, 0, index))


def _label(row: int, column: int, text: str) -> bytes:
    return _record(0x0204, struct.pack("<HHH", row, column, 0) + _unicode(text))


def _boolean(row: int, column: int, value: bool) -> bytes:
    return _record(0x0205, struct.pack("<HHHBB", row, column, 0, value, 0))


def _formula(row: int, column: int, tokens: bytes, value: float | None) -> bytes:
    """A ``FORMULA`` record; ``value`` None says its value is a string, in a ``STRING`` record after it."""
    cached = b"\0\0\0\0\0\0\xff\xff" if value is None else struct.pack("<d", value)
    head = struct.pack("<HHH", row, column, 0) + cached + struct.pack("<HI", 0, 0)
    return _record(0x0006, head + struct.pack("<H", len(tokens)) + tokens)


def _string(text: str) -> bytes:
    return _record(0x0207, _unicode(text))


def _reference(row: int, column: int) -> bytes:
    """``PtgRef`` to a cell, relative in both directions."""
    return b"\x24" + struct.pack("<HH", row, column | 0xC000)


def _dimensions(first_row: int, last_row: int, first_column: int, last_column: int) -> bytes:
    """``DIMENSIONS``: rows ``first_row`` to ``last_row`` - 1, columns likewise (as Excel writes them)."""
    return _record(0x0200, struct.pack("<IIHHH", first_row, last_row, first_column, last_column, 0))


def _workbook(
    sheets: list[tuple[str, list[bytes]]],
    strings: list[str] | None = None,
    *,
    globals_: bytes = b"",
    version: int = 0x0600,
) -> bytes:
    """A workbook stream: the globals (``BOF``, ``CODEPAGE`` 1200, ``globals_``, a ``BoundSheet8`` a sheet, the
    shared strings, ``EOF``), then each sheet (``BOF``, its records, ``EOF``)."""

    def bound(offset: int, name: str) -> bytes:
        wide = any(ord(char) > 0xFF for char in name)
        encoded = name.encode("utf-16-le" if wide else "latin-1")
        return _record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 1 if wide else 0) + encoded)

    head = _bof(0x0005, version) + _record(0x0042, struct.pack("<H", 1200)) + globals_
    tail = (_sst(strings) if strings is not None else b"") + _record(0x000A)
    bodies = [_bof(0x0010, version) + b"".join(records) + _record(0x000A) for _, records in sheets]
    offset = len(head) + sum(len(bound(0, name)) for name, _ in sheets) + len(tail)
    bounds = b""
    for (name, _), body in zip(sheets, bodies, strict=True):
        bounds += bound(offset, name)
        offset += len(body)
    return head + bounds + tail + b"".join(bodies)


class Layout(NamedTuple):
    """Where :func:`_ole2` put things: sector ids (sector 0 follows the 512-byte header)."""

    directory: int  # the first directory sector
    streams: dict[str, tuple[int, int]]  # each regular stream's first sector and sector count
    mini_streams: dict[str, tuple[int, int]]  # each mini stream's first 64-byte sector and count
    minifat: int  # the mini FAT's sector, END_OF_CHAIN when there is none


def _ole2(streams: list[tuple[str, bytes]], *, mini: bool = False) -> tuple[bytes, Layout]:
    """A version-3 compound file (512-byte sectors) holding ``streams``, as Excel lays one out: the FAT first, then
    the directory, then (with ``mini``, for streams under 4,096 bytes) the mini FAT and the mini stream, then each
    stream in consecutive sectors. Without ``mini`` a short stream is padded to 4,096 bytes, as Excel pads its
    workbook stream."""
    regular, small = [], []
    for name, data in streams:
        if mini and len(data) < 4096:
            small.append((name, data))
        else:
            regular.append((name, data.ljust(4096, b"\0")))
    ministream = b"".join(data.ljust(-(-len(data) // 64) * 64, b"\0") for _, data in small)
    mini_count = len(ministream) // 64
    directory_count = -(-(1 + len(streams)) // 4)
    minifat_count = -(-mini_count // 128) if small else 0
    ministream_count = -(-len(ministream) // SECTOR)
    stream_counts = [-(-len(data) // SECTOR) for _, data in regular]
    used = directory_count + minifat_count + ministream_count + sum(stream_counts)
    fat_count = 1
    while fat_count * 128 < used + fat_count:
        fat_count += 1
    assert fat_count <= 109, "no DIFAT sectors in this writer"
    fat = [FREE] * (fat_count * 128)
    fat[:fat_count] = [FAT_SECTOR] * fat_count

    def chain(first: int, count: int) -> None:
        for sid in range(first, first + count):
            fat[sid] = sid + 1 if sid + 1 < first + count else END_OF_CHAIN

    directory = fat_count
    chain(directory, directory_count)
    minifat = directory + directory_count
    chain(minifat, minifat_count)
    ministream_at = minifat + minifat_count
    chain(ministream_at, ministream_count)
    sid = ministream_at + ministream_count
    placed: dict[str, tuple[int, int]] = {}
    for (name, _), count in zip(regular, stream_counts, strict=True):
        placed[name] = (sid, count)
        chain(sid, count)
        sid += count
    mini_fat = [FREE] * (minifat_count * 128)
    mini_placed: dict[str, tuple[int, int]] = {}
    at = 0
    for name, data in small:
        count = -(-len(data) // 64)
        mini_placed[name] = (at, count)
        for index in range(at, at + count):
            mini_fat[index] = index + 1 if index + 1 < at + count else END_OF_CHAIN
        at += count

    def entry(name: str, kind: int, start: int, size: int, *, child: int = NO_STREAM, right: int = NO_STREAM) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", NO_STREAM, right, child)
            + b"\0" * 36
            + struct.pack("<III", start, size, 0)
        )

    entries = entry("Root Entry", 5, ministream_at if small else END_OF_CHAIN, len(ministream), child=1)
    for index, (name, data) in enumerate(streams):
        start = mini_placed[name][0] if name in mini_placed else placed[name][0]
        size = len(data) if name in mini_placed else len(dict(regular)[name])
        entries += entry(name, 2, start, size, right=index + 2 if index + 1 < len(streams) else NO_STREAM)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        fat_count,
        directory,
        0,
        4096,
        minifat if small else END_OF_CHAIN,
        minifat_count,
        END_OF_CHAIN,
        0,
    ) + struct.pack("<109I", *(list(range(fat_count)) + [FREE] * (109 - fat_count)))
    body = (
        struct.pack(f"<{len(fat)}I", *fat)
        + entries.ljust(directory_count * SECTOR, b"\0")
        + struct.pack(f"<{len(mini_fat)}I", *mini_fat)
        + ministream.ljust(ministream_count * SECTOR, b"\0")
        + b"".join(data.ljust(count * SECTOR, b"\0") for (_, data), count in zip(regular, stream_counts, strict=True))
    )
    layout = Layout(directory, placed, mini_placed, minifat if small else END_OF_CHAIN)
    return header + body, layout


def _patched(data: bytes, *changes: tuple[int, str, int]) -> bytes:
    """``data`` with each (offset, struct format, value) written over it."""
    out = bytearray(data)
    for offset, layout, value in changes:
        struct.pack_into(layout, out, offset, value)
    return bytes(out)


def _fat_entry(sid: int) -> int:
    """Where the FAT entry of sector ``sid`` lies (the FAT's sectors come first, from sector 0)."""
    return SECTOR + 4 * sid


def _sector_at(sid: int) -> int:
    return SECTOR * (sid + 1)


def _xls(path: Path, stream: bytes, *, mini: bool = False) -> Path:
    path.write_bytes(_ole2([("Workbook", stream)], mini=mini)[0])
    return path


# --- honest files -----------------------------------------------------------------------------------------------


def _calamine_rows(path: Path, index: int = 0) -> list[list[object]]:
    with CalamineWorkbook.from_path(str(path)) as book:
        return [list(row) for row in book.get_sheet_by_index(index).to_python()]


def _honest_ods(path: Path) -> Path:
    first = _table(
        "汇总表",
        _row(_text("名称"), _float(12.5)),
        _row(_text("企业甲", "第二段"), _float(3, repeat=2)),
        _row(
            '<table:table-cell office:value-type="date" office:date-value="2019-05-01"/>',
            '<table:table-cell office:value-type="boolean" office:boolean-value="true"/>',
            '<table:covered-table-cell office:value-type="string" office:string-value="合并&amp;属性"/>',
        ),
        _row(_empty(), repeat=2),
        _row(
            '<table:table-cell office:value-type="string"><text:p>a<text:s text:c="3"/>b<text:span>c</text:span>'
            "</text:p><office:annotation><text:p>批注</text:p></office:annotation></table:table-cell>",
            '<table:table-cell table:formula="of:=[.B1]*2" office:value-type="float" office:value="25"/>',
            _empty(1020),
        ),
        _row(_empty(1024), repeat=1048570),  # LibreOffice fills the sheet to its end like this
    )
    second = _table("Other", "\n", _row(_float(7)), "\n")  # text between rows is allowed
    return _ods(path, _content(first + second), parts={"styles.xml": b"<office:document-styles/>", "meta.xml": b"<m/>"})


def test_an_honest_ods_passes_and_reads_cell_for_cell(tmp_path: Path) -> None:
    path = _honest_ods(tmp_path / "book.ods")
    assert workbook_format(path) == "ods"
    inspect_ods(path)
    assert _calamine_rows(path) == [
        ["名称", 12.5, ""],
        ["企业甲\n第二段", 3.0, 3.0],
        [date(2019, 5, 1), True, "合并&属性"],
        ["", "", ""],
        ["", "", ""],
        ["a   bc", 25.0, ""],
    ]
    assert _calamine_rows(path, 1) == [[7.0]]


def _honest_stream() -> bytes:
    long_text = "长文本" * 3000  # 9,000 characters: the table goes on in CONTINUE records, the string cut between them
    strings = ["名称", "企业甲", long_text, "ascii text"]
    first = [
        _dimensions(0, 7, 0, 5),
        _labelsst(0, 0, 0),
        _number(0, 1, 12.5),
        _labelsst(1, 0, 1),
        _rk(1, 1, 3),
        _label(2, 0, "直接文本"),
        _formula(2, 1, _reference(0, 1) + _reference(1, 1) + b"\x03", 15.5),  # =B1+B2
        _boolean(3, 0, True),
        _formula(3, 1, b"\x17\x02\x00ok", None),  # ="ok", its value in the STRING record after
        _string("公式文本"),
        _mulrk(4, 2, [1, 2, 3]),
        _labelsst(5, 0, 2),
        _labelsst(6, 4, 3),
    ]
    return _workbook([("汇总表", first), ("Other", [_number(0, 0, 7)])], strings)


def test_an_honest_xls_passes_and_reads_cell_for_cell(tmp_path: Path) -> None:
    path = _xls(tmp_path / "book.xls", _honest_stream())
    assert workbook_format(path) == "xls"
    inspect_xls(path)
    rows = _calamine_rows(path)
    assert rows[:5] == [
        ["名称", 12.5, "", "", ""],
        ["企业甲", 3, "", "", ""],
        ["直接文本", 15.5, "", "", ""],
        [True, "公式文本", "", "", ""],
        ["", "", 1, 2, 3],
    ]
    assert rows[5][0] == "长文本" * 3000 and rows[6] == ["", "", "", "", "ascii text"]
    assert _calamine_rows(path, 1) == [[7.0]]


def test_a_small_xls_in_the_mini_stream_passes_and_reads(tmp_path: Path) -> None:
    stream = _workbook([("S", [_number(0, 0, 1.5), _labelsst(0, 1, 0)])], ["小"])
    assert len(stream) < 4096
    path = _xls(tmp_path / "small.xls", stream, mini=True)
    inspect_xls(path)
    assert _calamine_rows(path) == [[1.5, "小"]]


def _xlsm(path: Path, source: Path) -> Path:
    """An ``.xlsm`` made of an xlsx: the macro-enabled content type, and a VBA project part (itself a compound file)."""
    macro_type = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    vba, _ = _ole2([("VBA", b'Attribute VB_Name = "Module1"\r\nSub Run()\r\nEnd Sub\r\n')])
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", macro_type.encode()
                ).replace(
                    b"<Default ",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default ',
                    1,
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVBA" Type="http://schemas.microsoft.com/office/2006/relationships/'
                    b'vbaProject" Target="vbaProject.bin"/></Relationships>',
                )
            new.writestr(info, data)
        new.writestr("xl/vbaProject.bin", vba)
    return path


def test_an_xlsm_passes_the_xlsx_checks_and_reads_its_cells_never_its_macros(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "宏表"
    book.active.append(["名称", 1.5])
    book.save(tmp_path / "plain.xlsx")
    path = _xlsm(tmp_path / "book.xlsm", tmp_path / "plain.xlsx")
    with zipfile.ZipFile(path) as archive:
        assert b"macroEnabled" in archive.read("[Content_Types].xml")
        assert archive.read("xl/vbaProject.bin").startswith(b"\xd0\xcf\x11\xe0")
    assert workbook_format(path) == "xlsx"
    inspect_archive(path)  # the VBA part is inflated for its CRC like any part, and its content type never looked at
    assert _calamine_rows(path) == [["名称", 1.5]]


@pytest.mark.parametrize(
    ("name", "kind"),
    [("book.ods", "ods"), ("book.xls", "xls"), ("book.xlsx", "xlsx"), ("book.xlsm", "xlsx")],
)
def test_workbook_format_goes_by_content_never_by_name(name: str, kind: str, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.save(tmp_path / "plain.xlsx")
    sources = {
        "ods": _honest_ods(tmp_path / "a"),
        "xls": _xls(tmp_path / "b", _honest_stream()),
        "xlsx": tmp_path / "plain.xlsx",
    }
    source = _xlsm(tmp_path / "c", sources["xlsx"]) if name.endswith("xlsm") else sources[kind]
    for misnamed in (tmp_path / name, tmp_path / "renamed.txt", tmp_path / "no-extension"):
        misnamed.write_bytes(source.read_bytes())
        assert workbook_format(misnamed) == kind


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_workbook_format_of_what_is_no_workbook(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    (tmp_path / "text.xlsx").write_text("just text")
    (tmp_path / "empty.xls").write_bytes(b"")
    (tmp_path / "half.ods").write_bytes(_honest_ods(tmp_path / "whole.ods").read_bytes()[:300])
    other_zip = tmp_path / "other.ods"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")  # a text document
        archive.writestr("content.xml", "<x/>")
    for path in (fifo, tmp_path / "missing.ods", tmp_path, tmp_path / "text.xlsx", tmp_path / "empty.xls"):
        assert workbook_format(path) == "unknown"  # a pipe is never opened: this returns at once
    assert workbook_format(tmp_path / "half.ods") == "unknown"
    assert workbook_format(other_zip) == "unknown"


@pytest.mark.parametrize("inspect", [inspect_ods, inspect_xls])
def test_the_inspectors_refuse_what_is_no_file_as_inspect_archive_does(
    inspect: Callable[[Path], None], tmp_path: Path
) -> None:
    for path, code in ((tmp_path / "missing", "workbook.missing"), (tmp_path, "workbook.directory")):
        with pytest.raises(cpsdk.WorkbookError) as caught:
            inspect(path)
        assert [issue.code for issue in caught.value.issues] == [code]
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe")
        with pytest.raises(cpsdk.WorkbookError) as caught:
            inspect(tmp_path / "pipe")
        assert [issue.code for issue in caught.value.issues] == ["workbook.not-a-file"]


def test_each_inspector_refuses_the_other_kinds(tmp_path: Path) -> None:
    ods, xls = _honest_ods(tmp_path / "a.ods"), _xls(tmp_path / "b.xls", _honest_stream())
    book = openpyxl.Workbook()
    book.save(tmp_path / "c.xlsx")
    for path in (xls, tmp_path / "c.xlsx"):
        with pytest.raises(cpsdk.WorkbookError) as caught:
            inspect_ods(path)
        assert [issue.code for issue in caught.value.issues] == ["workbook.not-ods"]
    for path in (ods, tmp_path / "c.xlsx"):
        with pytest.raises(cpsdk.WorkbookError) as caught:
            inspect_xls(path)
        assert [issue.code for issue in caught.value.issues] == ["workbook.not-xls"]


# --- hostile files ----------------------------------------------------------------------------------------------


def _ods_bomb_rows(path: Path) -> Path:
    """6,000 rows of 16,384 repeated values, in a few hundred bytes: 98 million cells, under calamine's own cap of 100
    million, each a value and a formula (about 5.5 GB)."""
    return _ods(path, _content(_table("S", _row(_float(1, repeat=16_384), repeat=6_000))))


def _ods_bomb_row_elements(path: Path) -> Path:
    """6,000 row elements of 16,384 repeated values each: calamine pushes every one before building the range."""
    return _ods(path, _content(_table("S", *[_row(_float(1, repeat=16_384))] * 6_000)))


def _ods_bomb_past_cap(path: Path) -> Path:
    """The whole grid declared in one cell: past calamine's own cap, which it refuses cleanly."""
    return _ods(path, _content(_table("S", _row(_float(1, repeat=16_384), repeat=1_048_576))))


def _ods_spaces(path: Path) -> Path:
    """One ``text:s`` asking for two billion spaces, which calamine pushes one at a time."""
    cell = (
        '<table:table-cell office:value-type="string"><text:p><text:s text:c="2000000000"/></text:p></table:table-cell>'
    )
    return _ods(path, _content(_table("S", _row(cell))))


def _ods_repeated_string(path: Path) -> Path:
    """A 1 MiB string repeated over 16,384 columns: calamine clones it for each (16 GiB)."""
    long = "x" * (1 << 20)
    cell = (
        f'<table:table-cell office:value-type="string" office:string-value="{long}" '
        'table:number-columns-repeated="16384"/>'
    )
    return _ods(path, _content(_table("S", _row(cell))))


def _ods_cell_past_grid(path: Path) -> Path:
    return _ods(path, _content(_table("S", _row(_empty(16_384), _float(1)))))


def _ods_row_past_grid(path: Path) -> Path:
    return _ods(path, _content(_table("S", _row(_float(1)), _row(_empty(), repeat=1_048_575), _row(_float(2)))))


def _ods_entities(path: Path) -> Path:
    prolog = (
        '<?xml version="1.0"?><!DOCTYPE office:document-content [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    return _ods(path, _content(_table("S", _row(_text("&c;"))), prolog=prolog))


def _ods_deep(path: Path) -> Path:
    """Elements nested 100,000 deep inside a cell."""
    cell = '<table:table-cell office:value-type="float" office:value="1">' + "<x>" * 100_000 + "</x>" * 100_000
    return _ods(path, _content(_table("S", _row(cell + "</table:table-cell>"))))


def _ods_long_text(path: Path) -> Path:
    """A text run of 20 MiB between two rows, which the XML reader holds whole."""
    return _ods(path, _content(_table("S", _row(_float(1)), " " * (20 << 20), _row(_float(2)))))


def _ods_lying_sizes(path: Path) -> Path:
    """``content.xml`` declaring 1 KiB and inflating to 64 MiB (a disguised zip bomb)."""
    raw = bytearray(_ods(path, _content(_table("S", _row(_float(1)))) + b" " * (64 << 20)).read_bytes())
    for signature, size_at, name_length_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        start = 0
        while (start := raw.find(signature, start)) != -1:
            (length,) = struct.unpack_from("<H", raw, start + name_length_at)
            if raw[start + name_at : start + name_at + length] == b"content.xml":
                struct.pack_into("<I", raw, start + size_at, 1024)
            start += 4
    path.write_bytes(bytes(raw))
    return path


def _ods_truncated(path: Path) -> Path:
    data = _honest_ods(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _ods_comment(path: Path) -> Path:
    """An archive comment after the directory. Harmless here, but where it holds a decoy end record zip readers differ
    on which end record they take (Python's the last, calamine's the first valid), and so on what the file holds."""
    return _ods(path, _content(_table("S", _row(_float(1)))), comment=b"a comment")


def _ods_encrypted(path: Path) -> Path:
    manifest = _MANIFEST.replace(
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        '<manifest:encryption-data manifest:checksum="x"/></manifest:file-entry>',
    )
    return _ods(path, _content(_table("S", _row(_float(1)))), manifest=manifest)


def _ods_text_in_row(path: Path) -> Path:
    """A pretty-printed row: text between its cells, which calamine cannot read."""
    return _ods(path, _content(_table("S", "<table:table-row>\n  " + _float(1) + "\n</table:table-row>")))


def _ods_dtd_elsewhere(path: Path) -> Path:
    styles = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    return _ods(path, _content(_table("S", _row(_float(1)))), parts={"styles.xml": styles})


def _xls_patched(path: Path, stream: bytes, change: Callable[[bytes, Layout], bytes]) -> Path:
    data, layout = _ole2([("Workbook", stream)])
    path.write_bytes(change(data, layout))
    return path


_SMALL = _workbook([("S", [_number(0, 0, 1)])])


def _workbook_entry(layout: Layout) -> int:
    """Where the directory entry of the workbook stream lies (the second entry)."""
    return _sector_at(layout.directory) + 128


def _xls_chain_loop(path: Path) -> Path:
    """The workbook stream's last sector leads back to its first, and its size is 4 GiB."""

    def change(data: bytes, layout: Layout) -> bytes:
        first, count = layout.streams["Workbook"]
        return _patched(
            data, (_fat_entry(first + count - 1), "<I", first), (_workbook_entry(layout) + 120, "<I", 0xFFFFFFF0)
        )

    return _xls_patched(path, _SMALL, change)


def _xls_directory_loop(path: Path) -> Path:
    """The directory's chain leads back to itself: calamine reads it with no limit."""
    return _xls_patched(
        path, _SMALL, lambda data, layout: _patched(data, (_fat_entry(layout.directory), "<I", layout.directory))
    )


def _xls_difat_loop(path: Path) -> Path:
    """The DIFAT chain starts at a sector whose last entry names that sector again."""

    def change(data: bytes, layout: Layout) -> bytes:
        first, _ = layout.streams["Workbook"]
        return _patched(data, (68, "<I", first), (_sector_at(first) + 508, "<I", first))

    return _xls_patched(path, _SMALL, change)


def _xls_past_table(path: Path) -> Path:
    """A chain leading to sector 150 of a file of 200 sectors whose FAT covers 128: calamine indexes past its FAT."""

    def change(data: bytes, layout: Layout) -> bytes:
        first, _ = layout.streams["Workbook"]
        return _patched(data, (_fat_entry(first), "<I", 150)) + b"\0" * (200 * SECTOR)

    return _xls_patched(path, _SMALL, change)


def _xls_past_end(path: Path) -> Path:
    return _xls_patched(
        path, _SMALL, lambda data, layout: _patched(data, (_fat_entry(layout.streams["Workbook"][0]), "<I", 100_000))
    )


def _xls_truncated(path: Path) -> Path:
    data = _xls(path, _honest_stream()).read_bytes()
    path.write_bytes(data[: len(data) - 700])
    return path


def _xls_mini_loop(path: Path) -> Path:
    """A workbook in the mini stream whose mini chain loops, and which declares 4,000 bytes: calamine reads it round
    and round up to that size (the most a mini stream may hold, so no more)."""
    data, layout = _ole2([("Workbook", _SMALL)], mini=True)
    first, count = layout.mini_streams["Workbook"]
    entry = _sector_at(layout.directory) + 128
    path.write_bytes(
        _patched(data, (_sector_at(layout.minifat) + 4 * (first + count - 1), "<I", first), (entry + 120, "<I", 4000))
    )
    return path


def _xls_dimensions_wrapped(path: Path) -> Path:
    """``DIMENSIONS`` from row 10 to row 4: calamine's arithmetic wraps to four billion rows, and reserves them."""
    return _xls(path, _workbook([("S", [_dimensions(10, 5, 0, 3), _number(0, 0, 1)])]))


def _xls_dimensions_grid(path: Path) -> Path:
    """``DIMENSIONS`` of the whole grid (65,536 × 256) and a shared-string table declaring four billion strings:
    calamine reserves 16.7 million cells (671 MB) and ignores the counts; within 1.5 GiB it survives."""
    table = _record(0x00FC, struct.pack("<II", 0xFFFFFFFF, 0xFFFFFFFF) + _unicode("a"))
    return _xls(path, _workbook([("S", [_dimensions(0, 65_536, 0, 256), _labelsst(0, 0, 0)])], globals_=table))


def _xls_cell_past_grid(path: Path) -> Path:
    """Cells at A1 and at column 65,536: calamine allocates the 4.3 billion cells between them."""
    return _xls(path, _workbook([("S", [_number(0, 0, 1), _number(65_535, 65_535, 1)])]))


def _xls_label_capacity(path: Path) -> Path:
    """60,000 ``LABEL`` records of one character each, each declaring 65,535: calamine reserves what they declare."""
    labels = [_record(0x0204, struct.pack("<HHHHB", row, 0, 0, 0xFFFF, 0) + b"a") for row in range(60_000)]
    return _xls(path, _workbook([("S", labels)]))


def _xls_shared_string_bomb(path: Path) -> Path:
    """One string of 65,535 characters named by 40,000 cells: calamine clones it for each (2.6 GB)."""
    return _xls(path, _workbook([("S", [_labelsst(row, 0, 0) for row in range(40_000)])], ["x" * 65_535]))


def _xls_string_past_record(path: Path) -> Path:
    """A shared string declaring more characters than its record and no ``CONTINUE`` after it."""
    table = _record(0x00FC, struct.pack("<II", 1, 1) + struct.pack("<HB", 5000, 0) + b"abc")
    return _xls(path, _workbook([("S", [_labelsst(0, 0, 0)])], globals_=table))


def _xls_empty_continue(path: Path) -> Path:
    """A shared string going on into an empty ``CONTINUE`` record, whose first byte calamine reads."""
    table = _record(0x00FC, struct.pack("<II", 1, 1) + struct.pack("<HB", 5, 0) + b"ab") + _record(0x003C)
    return _xls(path, _workbook([("S", [_labelsst(0, 0, 0)])], globals_=table))


def _xls_continue_flood(path: Path) -> Path:
    """16,385 empty ``CONTINUE`` records after the shared strings (calamine takes each from the front of a list)."""
    table = _record(0x00FC, struct.pack("<II", 1, 1) + _unicode("a")) + _record(0x003C) * 16_385
    return _xls(path, _workbook([("S", [_labelsst(0, 0, 0)])], globals_=table))


def _xls_sheet_past_stream(path: Path) -> Path:
    stream = bytearray(_SMALL)
    struct.pack_into("<I", stream, stream.index(struct.pack("<H", 0x0085)) + 4, 100_000_000)
    return _xls(path, bytes(stream))


def _xls_merges_past_record(path: Path) -> Path:
    return _xls(path, _workbook([("S", [_number(0, 0, 1), _record(0x00E5, struct.pack("<H", 1000) + b"\0" * 8)])]))


def _xls_formula_past_record(path: Path) -> Path:
    """A formula declaring 500 bytes of tokens in a record of three."""
    record = _record(0x0006, struct.pack("<HHHdHIH", 0, 0, 0, 1.0, 0, 0, 500) + b"\x1e\x01\x00")
    return _xls(path, _workbook([("S", [record])]))


def _xls_token_past_formula(path: Path) -> Path:
    """A ``PtgInt`` cut after one byte of its two."""
    return _xls(path, _workbook([("S", [_formula(0, 0, b"\x1e\x01", 1.0)])]))


def _xls_short_name(path: Path) -> Path:
    return _xls(path, _workbook([("S", [_number(0, 0, 1)])], globals_=_record(0x0018, b"\0\0\0")))


def _xls_formula_spaces(path: Path) -> Path:
    """One formula of 64 KB: an integer, then 16,000 ``PtgAttrSpace`` tokens of 255 spaces, which calamine inserts
    one at a time at the formula's start (four million insertions into a string of up to four million bytes)."""
    return _xls(path, _workbook([("S", [_formula(0, 0, b"\x1e\x01\x00" + b"\x19\x40\x00\xff" * 16_000, 1.0)])]))


def _xls_encrypted_records(path: Path) -> Path:
    filepass = _record(0x002F, struct.pack("<HHH", 1, 1, 1) + b"\0" * 48)
    return _xls(path, _workbook([("S", [_number(0, 0, 1)])], globals_=filepass))


def _xls_biff5(path: Path) -> Path:
    return _xls(path, _workbook([("S", [_number(0, 0, 1)])], version=0x0500))


def _xls_no_workbook(path: Path) -> Path:
    path.write_bytes(_ole2([("WordDocument", b"\0" * 5000)])[0])
    return path


def _xls_encrypted_package(path: Path) -> Path:
    """An encrypted xlsx: an OLE2 file holding the package, encrypted, and how."""
    path.write_bytes(_ole2([("EncryptionInfo", b"\4\0\4\0" + b"\0" * 5000), ("EncryptedPackage", b"\0" * 5000)])[0])
    return path


class Case(NamedTuple):
    build: Callable[[Path], Path]
    code: str  #: the refusal's code
    calamine: str  #: what python-calamine does with the file, in a child (see :func:`_read_in_child`)


#: Every hostile file: how it is made, the code it is refused with, and what python-calamine 0.9.1 does with it
#: unchecked, read in a child limited to 1.5 GiB of address space (512 MiB where it asks for far more than 1.5 GiB at
#: once, so it fails in a moment): "aborts" (killed by SIGABRT: an allocation failed, or a loop grew until one did),
#: "panics" (a Rust panic, raised as ``PanicException``: clean, but a bug calamine does not guard against), "hangs"
#: (still busy after 2 s), "refuses" (a clean ``CalamineError``), "reads" (it survives; the file is refused as past
#: cpsdk's bounds, or as something no reader should be trusted with).
HOSTILE: dict[str, Case] = {
    # .ods
    "ods-rows-repeated": Case(_ods_bomb_rows, "workbook.too-large", "aborts"),
    "ods-row-elements-repeated": Case(_ods_bomb_row_elements, "workbook.too-large", "aborts"),
    "ods-past-calamine-cap": Case(_ods_bomb_past_cap, "workbook.too-large", "refuses"),
    "ods-two-billion-spaces": Case(_ods_spaces, "workbook.too-large", "aborts"),
    "ods-repeated-long-string": Case(_ods_repeated_string, "workbook.too-large", "aborts"),
    "ods-cell-past-grid": Case(_ods_cell_past_grid, "workbook.cell-out-of-range", "reads"),
    "ods-row-past-grid": Case(_ods_row_past_grid, "workbook.cell-out-of-range", "reads"),
    "ods-entity-expansion": Case(_ods_entities, "workbook.dtd", "refuses"),
    "ods-dtd-in-another-part": Case(_ods_dtd_elsewhere, "workbook.dtd", "reads"),
    "ods-deeply-nested": Case(_ods_deep, "workbook.too-large", "reads"),
    "ods-huge-text-run": Case(_ods_long_text, "workbook.too-large", "reads"),
    "ods-lying-sizes": Case(_ods_lying_sizes, "workbook.corrupt", "refuses"),
    "ods-truncated": Case(_ods_truncated, "workbook.corrupt", "refuses"),
    "ods-archive-comment": Case(_ods_comment, "workbook.corrupt", "reads"),
    "ods-encrypted": Case(_ods_encrypted, "workbook.encrypted", "refuses"),
    "ods-text-between-cells": Case(_ods_text_in_row, "workbook.corrupt", "refuses"),
    # .xls
    "xls-chain-loop": Case(_xls_chain_loop, "workbook.corrupt", "aborts"),
    "xls-directory-loop": Case(_xls_directory_loop, "workbook.corrupt", "aborts"),
    "xls-difat-loop": Case(_xls_difat_loop, "workbook.corrupt", "aborts"),
    "xls-mini-chain-loop": Case(_xls_mini_loop, "workbook.corrupt", "reads"),
    "xls-chain-past-fat": Case(_xls_past_table, "workbook.corrupt", "panics"),
    "xls-chain-past-end": Case(_xls_past_end, "workbook.corrupt", "refuses"),
    "xls-truncated": Case(_xls_truncated, "workbook.corrupt", "refuses"),
    "xls-dimensions-wrapped": Case(_xls_dimensions_wrapped, "workbook.too-large", "aborts"),
    "xls-dimensions-whole-grid": Case(_xls_dimensions_grid, "workbook.too-large", "reads"),
    "xls-cell-past-grid": Case(_xls_cell_past_grid, "workbook.cell-out-of-range", "aborts"),
    "xls-label-capacity": Case(_xls_label_capacity, "workbook.too-large", "aborts"),
    "xls-shared-string-bomb": Case(_xls_shared_string_bomb, "workbook.too-large", "aborts"),
    "xls-string-past-record": Case(_xls_string_past_record, "workbook.corrupt", "refuses"),
    "xls-empty-continue": Case(_xls_empty_continue, "workbook.corrupt", "panics"),
    "xls-continue-flood": Case(_xls_continue_flood, "workbook.too-large", "reads"),
    "xls-sheet-past-stream": Case(_xls_sheet_past_stream, "workbook.corrupt", "panics"),
    "xls-merges-past-record": Case(_xls_merges_past_record, "workbook.corrupt", "panics"),
    "xls-formula-past-record": Case(_xls_formula_past_record, "workbook.corrupt", "panics"),
    "xls-token-past-formula": Case(_xls_token_past_formula, "workbook.corrupt", "panics"),
    "xls-short-defined-name": Case(_xls_short_name, "workbook.corrupt", "panics"),
    "xls-formula-of-spaces": Case(_xls_formula_spaces, "workbook.too-large", "hangs"),
    "xls-encrypted": Case(_xls_encrypted_records, "workbook.encrypted", "refuses"),
    "xls-biff5": Case(_xls_biff5, "workbook.not-xls", "reads"),
    "xls-no-workbook-stream": Case(_xls_no_workbook, "workbook.not-xls", "refuses"),
    "xls-encrypted-package": Case(_xls_encrypted_package, "workbook.encrypted", "refuses"),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    return {name: case.build(folder / f"{name}.{name[:3]}") for name, case in HOSTILE.items()}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_refused_at_once_before_any_reader(name: str, hostile: dict[str, Path]) -> None:
    path, case = hostile[name], HOSTILE[name]
    assert workbook_format(path) == ("ods" if name.startswith("ods") else "xls") or name == "ods-truncated"
    inspect = inspect_ods if name.startswith("ods") else inspect_xls
    started = time.perf_counter()
    with pytest.raises(cpsdk.WorkbookError) as caught:
        inspect(path)
    assert time.perf_counter() - started < 1.5
    assert [issue.code for issue in caught.value.issues] == [case.code], caught.value
    with pytest.raises(cpsdk.WorkbookError):  # a refusal is never remembered: the file is checked again
        inspect(path)


_CHILD = """
import resource, sys
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from python_calamine import CalamineWorkbook
book = CalamineWorkbook.from_path(sys.argv[1])
for index in range(len(book.sheet_names)):
    book.get_sheet_by_index(index).to_python(skip_empty_area=False)
"""


def _read_in_child(path: Path, limit: int, timeout: float) -> str:
    """What python-calamine does reading every sheet of ``path`` (from A1, as cpsdk reads) in a child process limited
    to ``limit`` bytes of address space: "reads", "refuses" (a ``CalamineError``), "panics" (``PanicException``),
    "aborts" (killed by a signal) or "hangs" (still running after ``timeout`` seconds)."""
    try:
        result = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path), str(limit)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "RUST_BACKTRACE": "0"},
        )
    except subprocess.TimeoutExpired:
        return "hangs"
    if result.returncode < 0:
        return "aborts"
    if result.returncode == 0:
        return "reads"
    return "panics" if "PanicException" in result.stderr else "refuses"


def test_what_calamine_does_with_each_hostile_file(hostile: dict[str, Path]) -> None:
    """Every hostile file, read by python-calamine with no check, in children run side by side: what each does is
    what :data:`HOSTILE` says (the aborting ones under 512 MiB, the others under 1.5 GiB; the one that hangs is
    stopped after 2 s, the others given a minute)."""
    limits = {name: (512 if case.calamine == "aborts" else 1536) * 1024**2 for name, case in HOSTILE.items()}

    def outcome(name: str) -> str:
        return _read_in_child(hostile[name], limits[name], timeout=2 if HOSTILE[name].calamine == "hangs" else 60)

    with ThreadPoolExecutor(max_workers=4) as pool:
        order = sorted(HOSTILE, key=lambda name: HOSTILE[name].calamine != "hangs")  # the slowest first
        seen = dict(zip(order, pool.map(outcome, order), strict=True))
    assert seen == {name: case.calamine for name, case in HOSTILE.items()}


# --- the replay of calamine's formula printer accepts what it prints ----------------------------------------------


def _defined_name(name: str, tokens: bytes) -> bytes:
    """``Lbl``: a defined name and its formula."""
    head = struct.pack("<HBBHHHBBBB", 0, 0, len(name), len(tokens), 0, 0, 0, 0, 0, 0)
    return _record(0x0018, head + b"\0" + name.encode("latin-1") + tokens)


def test_formulas_of_every_token_calamine_prints_pass_and_read(tmp_path: Path) -> None:
    area = b"\x25" + struct.pack("<HHHH", 0, 1, 0xC000, 0xC001)  # A1:B2
    choose = b"\x1e\x01\x00" + b"\x19\x04\x02\x00" + struct.pack("<HHH", 6, 13, 20)
    choose += b"\x1e\x02\x00\x19\x08\x03\x00\x1e\x03\x00\x19\x08\x00\x00\x42\x03\x64\x00"  # CHOOSE(1,2,3)
    formulas = [
        _reference(0, 1) + b"\x1e\x02\x00\x41\x1b\x00",  # ROUND(B1,2)
        area + b"\x42\x01\x04\x00\x1e\x01\x00\x03",  # SUM(A1:B2)+1
        b"\x1f" + struct.pack("<d", 1.5) + b"\x15\x13\x14",  # -(1.5)%
        b"\x3a" + struct.pack("<HHH", 0, 0, 0xC000),  # Other!A1
        b"\x3b" + struct.pack("<HHHHH", 1, 0, 1, 0, 1),  # Other!$A$1:$B$2
        b"\x1d\x01\x17\x01\x00x\x08",  # TRUE&"x"
        b"\x1c\x2a",  # #N/A
        _reference(0, 0) + b"\x19\x10\x00\x00",  # SUM(A1), by PtgAttrSum
        _reference(0, 0) + b"\x19\x40\x00\x01",  # a space before A1
        b"\x23" + struct.pack("<I", 1) + b"\0\0",  # the defined name
        choose,
        b"\x01" + struct.pack("<HH", 0, 0),  # part of a shared formula
        b"\x1e\xff\xff\x1f" + struct.pack("<d", 5e-324) + b"\x05",  # 65535*5e-324
    ]
    records = [_formula(row, 2, tokens, float(row)) for row, tokens in enumerate(formulas)]
    externs = _record(0x0017, struct.pack("<HHhh", 1, 0, 1, 1))
    stream = _workbook(
        [("S", [_number(0, 0, 1), _number(0, 1, 2), *records]), ("Other", [_number(0, 0, 3)])],
        globals_=externs + _defined_name("Name1", b"\x3b" + struct.pack("<HHHHH", 0, 0, 0, 0, 0)),
    )
    path = _xls(tmp_path / "formulas.xls", stream)
    inspect_xls(path)
    assert [row[2] for row in _calamine_rows(path)] == [float(row) for row in range(len(formulas))]


# --- bounds at their edge --------------------------------------------------------------------------------------


def test_an_ods_within_the_cell_bound_passes_and_one_row_more_is_refused_at_once(tmp_path: Path) -> None:
    edge = _row(_float(1, repeat=10_000), repeat=1_000)  # 10,000,000 cells from A1: the bound itself
    inspect_ods(_ods(tmp_path / "edge.ods", _content(_table("S", edge))))
    for name, tables in (
        ("row", _table("S", _row(_float(1, repeat=10_000), repeat=1_001))),
        (
            "sheet",
            _table("S", edge) + _table("T", _row(_float(1))),
        ),  # all sheets together
    ):
        started = time.perf_counter()
        with pytest.raises(cpsdk.WorkbookError) as caught:
            inspect_ods(_ods(tmp_path / f"{name}.ods", _content(tables)))
        assert [issue.code for issue in caught.value.issues] == ["workbook.too-large"]
        assert time.perf_counter() - started < 0.5


def test_an_xls_within_the_cell_bound_passes_and_one_cell_more_is_refused(tmp_path: Path) -> None:
    edge = ("S", [_dimensions(0, 40_000, 0, 250), _number(39_999, 249, 1)])  # 40,000 × 250 from A1
    inspect_xls(_xls(tmp_path / "edge.xls", _workbook([edge])))
    with pytest.raises(cpsdk.WorkbookError) as caught:
        inspect_xls(_xls(tmp_path / "more.xls", _workbook([edge, ("T", [_number(0, 0, 1)])])))
    assert [issue.code for issue in caught.value.issues] == ["workbook.too-large"]


def test_shared_text_is_counted_once_a_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_formats, "MAX_SHARED_TEXT_BYTES", 20_000)
    for cells, refused in ((100, False), (300, True)):
        xls = _xls(
            tmp_path / f"{cells}.xls", _workbook([("S", [_labelsst(row, 0, 0) for row in range(cells)])], ["x" * 100])
        )
        ods = _ods(tmp_path / f"{cells}.ods", _content(_table("S", _row(_text("x" * 100), repeat=cells))))
        for inspect, path in ((inspect_xls, xls), (inspect_ods, ods)):
            if refused:
                with pytest.raises(cpsdk.WorkbookError, match="text would take"):
                    inspect(path)
            else:
                inspect(path)


def test_row_elements_and_records_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_formats, "MAX_SHEET_CELLS", 1_000)
    monkeypatch.setattr(_formats, "MOST_RECORDS", 1_000)
    with pytest.raises(cpsdk.WorkbookError, match="more than 1000 rows"):
        inspect_ods(_ods(tmp_path / "rows.ods", _content(_table("S", *["<table:table-row/>"] * 1_001))))
    with pytest.raises(cpsdk.WorkbookError, match="more than 1000 records"):
        inspect_xls(_xls(tmp_path / "records.xls", _workbook([("S", [_record(0x0201, b"\0" * 6)] * 1_001)])))


# --- what the XML reader holds at once is bounded, wherever the chunks it is inflated in fall ------------------------


@pytest.mark.parametrize("shift", [-9, -3, -1, 0, 2])
@pytest.mark.parametrize("mark", [("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?pi ", "?>")])
def test_a_long_comment_is_refused_wherever_its_marks_fall(
    shift: int, mark: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_formats, "LONGEST_XML_RUN", 2 << 20)
    head = _content("").split(b"<office:body>")[0] + b"<office:body>"
    filler = b"<a/>" * 100  # no run between two "<" is long: only the comment is
    for size, refused in ((3 << 20, True), (3 << 19, False)):
        body = head.ljust((1 << 20) + shift, b" ") + mark[0].encode()  # the opening mark cut by the first chunk's end
        body += (filler * (size // len(filler))).replace(b"<", b"(" if mark[0] == "<?pi " else b"<") + mark[1].encode()
        body += b"<office:spreadsheet/></office:body></office:document-content>"
        path = _ods(tmp_path / f"{shift}-{size}.ods", body)
        if refused:
            with pytest.raises(cpsdk.WorkbookError, match="longer than"):
                inspect_ods(path)
        else:
            inspect_ods(path)


def test_a_long_text_or_tag_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_formats, "LONGEST_XML_RUN", 2 << 20)
    long_text = _content(_table("S", _row(_text("x" * (3 << 20)))))
    long_tag = _content(
        _table("S", _row(f'<table:table-cell office:value-type="string" office:string-value="{"x" * (3 << 20)}"/>'))
    )
    for name, content in (("text", long_text), ("tag", long_tag)):
        with pytest.raises(cpsdk.WorkbookError, match="longer than"):
            inspect_ods(_ods(tmp_path / f"{name}.ods", content))
    inspect_ods(_ods(tmp_path / "fine.ods", _content(_table("S", _row(_text("x" * (1 << 20)))))))


def test_a_file_is_checked_once_however_often_it_is_opened(tmp_path: Path) -> None:
    ods, xls = _honest_ods(tmp_path / "a.ods"), _xls(tmp_path / "b.xls", _honest_stream())
    for inspect, cached in ((inspect_ods, _formats._inspect_ods), (inspect_xls, _formats._inspect_xls)):
        path = ods if inspect is inspect_ods else xls
        inspect(path)
        hits = cached.cache_info().hits
        inspect(path)
        assert cached.cache_info().hits == hits + 1


def test_an_xls_whose_last_sector_is_cut_short_passes_as_calamine_reads_it(tmp_path: Path) -> None:
    whole = _xls(tmp_path / "whole.xls", _honest_stream())
    cut = tmp_path / "cut.xls"
    cut.write_bytes(whole.read_bytes()[:-100])  # the workbook stream's padding, in its last sector
    inspect_xls(cut)
    assert _calamine_rows(cut) == _calamine_rows(whole)


@pytest.mark.parametrize("change", ["between", "count", "zip64-count"])
def test_an_archive_every_zip_reader_may_not_read_alike_is_refused(change: str, tmp_path: Path) -> None:
    """Python's zipfile and calamine's zip crate find the directory by different rules: only an archive whose end
    record closes the file, right after a directory of as many parts as it declares, reads alike in both."""
    data = bytearray(_honest_ods(tmp_path / "a.ods").read_bytes())
    end = len(data) - 22
    (entries,) = struct.unpack_from("<H", data, end + 10)
    if change == "between":
        data[end:end] = b"junk"
    elif change == "count":
        struct.pack_into("<HH", data, end + 8, entries + 1, entries + 1)
    else:  # ZIP64 end records declaring a trillion parts: Python's zipfile reads it, calamine's refuses it
        length, offset = struct.unpack_from("<II", data, end + 12)
        record = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, 2**40, 2**40, length, offset)
        locator = struct.pack("<IIQI", 0x07064B50, 0, end, 1)
        data[end:] = (
            record + locator + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, length, 0xFFFFFFFF, 0)
        )
    path = tmp_path / f"{change}.ods"
    path.write_bytes(bytes(data))
    if change != "between":
        with zipfile.ZipFile(path) as archive:
            assert len(archive.infolist()) == entries  # Python's zipfile reads it without complaint
    with pytest.raises(cpsdk.WorkbookError) as caught:
        inspect_ods(path)
    assert [issue.code for issue in caught.value.issues] == [
        "workbook.too-large" if change == "zip64-count" else "workbook.corrupt"
    ]


def test_an_xls_larger_than_the_bound_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_formats, "MAX_XLS_BYTES", 4096)
    with pytest.raises(cpsdk.WorkbookError, match="larger than 4096 bytes"):
        inspect_xls(_xls(tmp_path / "big.xls", _honest_stream()))


# --- a form typed by hand in each format, read by recognition ---------------------------------------------------

_TYPED_TITLE = "成都市“十三五”清洁生产审核计划"
_TYPED_HEADER = ["序号", "企业名称", "所在地", "所属行业", "2015年产值（万元）", "主要产品", "主要污染物", "实施年度"]
_TYPED_ROW = [1.0, "成都甲化工有限公司", "武侯区", "化学原料和化学制品制造业", 12580.5, "化肥", "COD", 2018.0]


def _typed_ods(path: Path) -> Path:
    def cells(values: list[object]) -> str:
        return "".join(_float(v) if isinstance(v, float) else _text(str(v)) for v in values)

    content = _content(
        _table(
            "附件1",
            _row(_text(_TYPED_TITLE)),
            _row(cells(list(_TYPED_HEADER))),
            _row(cells(_TYPED_ROW)),
            _row(_text("联系人：张三")),
        )
    )
    return _ods(path, content)


def _typed_xls(path: Path) -> Path:
    strings = [_TYPED_TITLE, *_TYPED_HEADER, *(v for v in _TYPED_ROW if isinstance(v, str)), "联系人：张三"]
    index = {text: position for position, text in enumerate(strings)}
    records = [_dimensions(0, 4, 0, 8), _labelsst(0, 0, index[_TYPED_TITLE])]
    records += [_labelsst(1, col, index[text]) for col, text in enumerate(_TYPED_HEADER)]
    records += [
        _number(2, col, value) if isinstance(value, float) else _labelsst(2, col, index[value])
        for col, value in enumerate(_TYPED_ROW)
    ]
    records.append(_labelsst(3, 0, index["联系人：张三"]))
    return _xls(path, _workbook([("附件1", records)], strings))


@pytest.mark.parametrize(("name", "make"), [("typed.ods", _typed_ods), ("typed.xls", _typed_xls)])
def test_a_form_typed_by_hand_in_ods_or_xls_is_recognised_and_read(name: str, make: Any, tmp_path: Path) -> None:
    path = make(tmp_path / name)
    form = cpsdk.form_of_workbook("sichuan.audit-plan", path)
    report, issues = form.read_with_issues(path)
    assert [issue for issue in issues if issue.is_error] == []
    assert report.region_name == "成都市" and report.contact_person == "张三"
    (row,) = report.rows
    assert (row.name, row.output_2015, row.year) == ("成都甲化工有限公司", Decimal("12580.5"), 2018)
    renamed = path.rename(tmp_path / "renamed.xlsx")  # a name that says another format: opened as what it is
    assert cpsdk.form_of_workbook("sichuan.audit-plan", renamed).read_with_issues(renamed)[0] == report
