"""Checking an OpenDocument (``.ods``) or legacy Excel (``.xls``) workbook before python-calamine reads it.

:mod:`cpsdk.workbook._archive` says why: python-calamine aborts the whole process when an
allocation fails, and allocates from what a file *says*. Its ``.ods`` and ``.xls`` readers
(calamine 0.37, inside python-calamine 0.9) are worse placed than its ``.xlsx`` one: both
build *every* sheet when the file is opened, values and formulas each, and hold them all
until it is closed. So a file of either kind is read here first, exactly as calamine
would read it, and refused before calamine sees it when what it would allocate passes the
bounds of ``_archive`` (:data:`MAX_SHEET_CELLS` cells — here for all sheets together —
and :data:`MAX_SHARED_TEXT_BYTES` of text), when calamine would panic, or when it would
loop. Each refusal is one :class:`WorkbookError` with the codes ``_archive`` uses.

``.ods`` (a zip of XML parts). calamine checks ``mimetype``, scans ``META-INF/manifest.xml``
for encryption, and parses ``content.xml`` with quick-xml, pushing one value and one formula
per cell, per column repeat (``table:number-columns-repeated``, capped at 16,384 columns
a row), then copying each row once per row repeat (``table:number-rows-repeated``, capped
at 1,048,576 rows) into a range from the first to the last non-empty row; its own cap of
100 million cells lets a few hundred bytes ask for gigabytes. Here:

- the archive must end with its central directory (no comment, nothing between), list as
  many parts as it declares, hold ``mimetype``, the manifest and the content and no two
  parts whose names differ only in case, and declare at most :data:`MAX_INFLATED_BYTES`
  inflated and no extreme ratio; every part is inflated once within its declared size and its CRC checked, and
  XML parts may carry no DTD;
- no single tag, text or comment may pass :data:`LONGEST_XML_RUN` (quick-xml holds one
  whole, and so would expat), no element nest deeper than :data:`DEEPEST_XML`, the content
  must be UTF-8, and a manifest declaring encryption is ``workbook.encrypted``;
- ``content.xml`` is parsed with expat driven through calamine's own states (the literal
  names ``table:table``, ``table:table-row``, ``table:table-cell``,
  ``table:covered-table-cell``, its handling of string cells, ``text:s`` spaces and
  annotations). Repeats are counted, never expanded, so a file declaring a billion cells
  is refused at once: a non-empty cell past column 16,384 or row 1,048,576 is
  ``workbook.cell-out-of-range``; the used ranges of all sheets from A1 (the larger of
  values and formulas), the cells pushed before the ranges are built, and the row elements
  must each stay within :data:`MAX_SHEET_CELLS`; and the text calamine copies — every
  string and formula once per pushed cell and once per row repeat, ``text:s`` counts
  included, sheet, style and range names — within :data:`MAX_SHARED_TEXT_BYTES`. Text
  between the cells of a row (which calamine cannot read) is ``workbook.corrupt``.

``.xls`` (BIFF8 records in a stream of an OLE2 compound file). calamine follows the sector
chains the file declares into growing buffers — a chain that loops never ends until memory
does — indexes its tables with the ids it finds (a panic when out of range), reserves the
cells a ``DIMENSIONS`` record declares (with wrap-around: rows 10 to 5 are four billion),
allocates a sheet's bounding box of cells, gives each ``LABEL``/``STRING`` cell a string of
the capacity it declares (65,535 bytes from a 13-byte record), clones a shared string for
every cell naming it, and expands every formula to text (a five-byte name reference becomes
the name, up to 765 bytes; ``PtgAttrSpace`` inserts, one character at a time, at the start
of the formula). Here:

- the file must be at most :data:`MAX_XLS_BYTES`; every sector a chain visits must lie
  wholly in the file (a stream's last may be cut short by the file's end, as calamine
  allows) and be visited once (no loop), every table index must exist, and the header's
  table sizes fit the file; the workbook stream is assembled as calamine does;
  an OLE2 file holding no workbook stream is ``workbook.not-xls`` (``workbook.encrypted``
  when it is an encrypted package), and so is a workbook older than BIFF8 (Excel 95);
- the records are walked as calamine walks them — the globals up to their ``EOF``, then
  each sheet from the offset its ``BoundSheet8`` record gives (calamine reads a sheet once
  for each such record: two at one offset count twice) — and refused where calamine would panic (a record too short
  for what it reads, an offset past the stream, an empty ``CONTINUE`` in a string, a
  ``MERGECELLS`` count past its record, a formula token past its ``cce``) or stall (more
  than :data:`MOST_CONTINUES` ``CONTINUE`` records after one record); ``FILEPASS`` is
  ``workbook.encrypted``;
- cells must lie in the BIFF8 grid (256 columns), ``DIMENSIONS`` may declare at most
  :data:`MAX_SHEET_CELLS` cells, and the used ranges of all sheets from A1, the cells and
  the formulas pushed each within :data:`MAX_SHEET_CELLS`; the text calamine holds for
  cells — each ``LABEL`` or ``STRING`` string at its declared capacity, each shared string
  once per cell naming it, each formula's text as calamine builds it, measured by a
  replay of its formula printer (lengths only, and where calamine's table of function
  arguments would be needed, the most it could be) — within :data:`MAX_SHARED_TEXT_BYTES`;
  the bytes calamine would move to build formulas (counted as generously) within
  :data:`MAX_FORMULA_WORK`, and formula tokens replayed here within :data:`MAX_FORMULA_BYTES`.

Records walked are counted: past :data:`MOST_RECORDS` no workbook within bounds is
possible, so a stream of millions of empty records costs seconds, not minutes.

:func:`workbook_format` tells the three kinds apart by their bytes, never by their name.
python-calamine chooses its reader by the file's extension, so the caller must open a
file under the extension of the kind found here (see ``_reader.open_workbook``).
"""

from __future__ import annotations

import array
import functools
import mmap
import os
import re
import stat
import struct
import sys
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Final, TypeVar
from xml.parsers import expat

from cpsdk.base._errors import WorkbookError
from cpsdk.workbook._archive import (
    EXCEL_COLUMNS,
    EXCEL_ROWS,
    MAX_INFLATED_BYTES,
    MAX_RATIO,
    MAX_SHARED_TEXT_BYTES,
    MAX_SHEET_CELLS,
    _dtd_refused,
    _has_dtd,
    _pieces,
    file_issue,
    regular_file,
)

#: A legacy workbook larger than this is refused (calamine holds the whole file and a copy of its workbook stream).
MAX_XLS_BYTES = 256 * 1024**2
#: The longest tag, text or comment an ``.ods`` part may hold (the XML reader holds one whole at a time).
LONGEST_XML_RUN = 16 * 1024**2
#: The deepest an ``.ods`` part may nest its elements.
DEEPEST_XML = 256
#: ``CONTINUE`` records one record may carry (calamine takes each from the front of a list).
MOST_CONTINUES = 16_384
#: Formula tokens (bytes of ``rgce``) an ``.xls`` may hold: each is replayed here.
MAX_FORMULA_BYTES = 16 * 1024**2
#: Bytes calamine may move to build the text of all formulas (it inserts and splits strings).
MAX_FORMULA_WORK = 8 * 1024**3
#: BIFF8's grid.
XLS_ROWS = 65_536
XLS_COLUMNS = 256
#: Records walked in an ``.xls`` at most, and elements read in an ``.ods`` part: past these no workbook within
#: bounds is possible.
MOST_RECORDS = 2 * (MAX_SHEET_CELLS + XLS_ROWS)
MOST_ELEMENTS = 4 * (MAX_SHEET_CELLS + EXCEL_ROWS)

_ODS_MIMETYPE: Final = b"application/vnd.oasis.opendocument.spreadsheet"
_OLE2: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1 << 20


# --- what a file is --------------------------------------------------------------------------------------------------


def workbook_format(path: Path) -> str:
    """``"xlsx"`` (xlsm and xlsb too), ``"ods"``, ``"xls"`` or ``"unknown"``, by the file's bytes, never its name.

    An OLE2 compound file is ``"xls"`` (an encrypted xlsx is one too: :func:`inspect_xls` says so);
    a zip whose ``mimetype`` part starts with the OpenDocument spreadsheet type is ``"ods"`` (the
    part calamine checks, by that exact name); any other zip holding ``[Content_Types].xml`` or
    ``xl/workbook.xml`` (in any case) is ``"xlsx"``. Anything else — missing, not a regular file
    (never opened), damaged, foreign — is ``"unknown"``.
    """
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return "unknown"
        with open(path, "rb") as stream:
            head = stream.read(8)
            if head == _OLE2:
                return "xls"
            if not head.startswith(b"PK\x03\x04"):
                return "unknown"
            stream.seek(0)
            with zipfile.ZipFile(stream) as archive:
                if "mimetype" in archive.NameToInfo:
                    with archive.open("mimetype") as part:
                        if part.read(len(_ODS_MIMETYPE)) == _ODS_MIMETYPE:
                            return "ods"
                names = {name.lower() for name in archive.NameToInfo}
                if "[content_types].xml" in names or "xl/workbook.xml" in names:
                    return "xlsx"
    except Exception:  # noqa: BLE001 - a damaged file is of no kind; the inspectors say what is wrong with it
        return "unknown"
    return "unknown"


def _unreadable_file(exc: OSError) -> WorkbookError:
    return file_issue("workbook.unreadable", f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}")


def _corrupt(zh: str, en: str) -> WorkbookError:
    return file_issue("workbook.corrupt", f"工作簿已损坏：{zh}", f"the workbook is damaged: {en}")


def _too_large(zh: str, en: str) -> WorkbookError:
    return file_issue("workbook.too-large", f"工作簿过大：{zh}，拒绝读取", f"the workbook is too large: {en}; refused")


def _out_of_range(zh: str, en: str) -> WorkbookError:
    return file_issue(
        "workbook.cell-out-of-range",
        f"工作簿的单元格{zh}超出工作表范围",
        f"the workbook has cells {en}, outside a sheet's grid",
    )


def _encrypted() -> WorkbookError:
    return file_issue(
        "workbook.encrypted",
        "工作簿已加密（设有打开密码），请去掉密码后再读取",
        "the workbook is encrypted (it has a password to open); remove the password first",
    )


def _too_much_text() -> WorkbookError:
    return _too_large(
        f"单元格文本展开后超过 {MAX_SHARED_TEXT_BYTES} 字节",
        f"its cells' text would take more than {MAX_SHARED_TEXT_BYTES} bytes",
    )


def _too_many_cells() -> WorkbookError:
    return _too_large(
        f"各工作表的数据区域合计超过 {MAX_SHEET_CELLS} 个单元格",
        f"its sheets span more than {MAX_SHEET_CELLS} cells together",
    )


def _run_checked(name: str, check: Callable[[IO[bytes], int], None], most: int | None = None) -> None:
    """Run ``check`` on the open file and its size: damage the check did not foresee is a damaged workbook.

    The file is opened without blocking and looked at again once open: a pipe put in its place since it was
    looked at is refused, not waited on, and the size checked is that of what was opened.
    """
    try:
        descriptor = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(descriptor, "rb") as stream:
            state = os.fstat(stream.fileno())
            if not stat.S_ISREG(state.st_mode):
                raise file_issue(
                    "workbook.not-a-file",
                    f"{name} 不是普通文件（设备、管道或套接字），拒绝读取",
                    f"{name} is not a regular file (a device, pipe or socket); refused",
                )
            if most is not None and state.st_size > most:
                raise _too_large(f"文件超过 {most} 字节", f"the file is larger than {most} bytes")
            check(stream, state.st_size)
    except WorkbookError:
        raise
    except OSError as exc:
        raise _unreadable_file(exc) from None
    except Exception as exc:  # noqa: BLE001 - zlib, zipfile, expat and struct each raise their own kinds on damage
        raise _corrupt("无法解析", f"{exc}") from None


# --- .ods ----------------------------------------------------------------------------------------------------------


def inspect_ods(path: Path) -> None:
    """Refuse a file that is not an OpenDocument spreadsheet calamine can read within bounds, before it reads it."""
    _inspect_ods(*regular_file(path))


@functools.lru_cache(maxsize=64)
def _inspect_ods(name: str, device: int, inode: int, size: int, modified_ns: int) -> None:
    """The checks of :func:`inspect_ods`, once per state of a file (a refusal is never remembered)."""
    _run_checked(name, _check_ods)


def _check_ods(stream: IO[bytes], size: int) -> None:
    if stream.read(4) != b"PK\x03\x04":
        raise _not_ods()
    entries = _zip_frame(stream, size)
    stream.seek(0)
    with zipfile.ZipFile(stream) as archive:
        _check_ods_parts(archive, entries)


def _not_ods() -> WorkbookError:
    return file_issue(
        "workbook.not-ods",
        "文件不是 OpenDocument 电子表格（.ods）",
        "the file is not an OpenDocument spreadsheet (.ods)",
    )


_EOCD = struct.Struct("<IHHHHIIH")
_EOCD64_LOCATOR = struct.Struct("<IIQI")
_EOCD64 = struct.Struct("<IQHHIIQQQQ")
#: Parts an ``.ods`` may hold (a workbook has tens; each is a Python object when the directory is read).
_MOST_PARTS = 10_000


def _zip_frame(stream: IO[bytes], size: int) -> int:
    """The number of parts a zip declares, once it is known that every zip reader finds the same directory.

    Readers find the central directory from its end record by different rules when a comment, data
    after the directory or data before the archive is there (Python's takes the last signature it
    sees, calamine's the first that parses), so one file could show each a different content. Here
    the end record must close the file, with no comment, right after the directory (or its ZIP64
    records), and the directory must begin where it says.
    """
    if size < _EOCD.size:
        raise _corrupt("文件过短", "the file is too short to be a zip archive")
    stream.seek(size - _EOCD.size)
    signature, disk, directory_disk, here, entries, length, offset, comment = _EOCD.unpack(stream.read(_EOCD.size))
    if signature != 0x06054B50 or comment:
        raise _corrupt(
            "压缩包的目录不在文件末尾（带有注释或尾随数据）",
            "the zip archive does not end with its directory (a comment or data after it, which zip readers read "
            "differently)",
        )
    if disk or directory_disk or here != entries:
        raise _corrupt("分卷压缩包", "a multi-volume zip archive")
    directory_end = size - _EOCD.size
    if 0xFFFF in (here, entries) or 0xFFFFFFFF in (length, offset):
        if directory_end < _EOCD64_LOCATOR.size:
            raise _corrupt("ZIP64 记录缺失", "the ZIP64 records are missing")
        stream.seek(directory_end - _EOCD64_LOCATOR.size)
        signature, disk, record_at, disks = _EOCD64_LOCATOR.unpack(stream.read(_EOCD64_LOCATOR.size))
        if signature != 0x07064B50 or disk or disks != 1 or record_at + _EOCD64.size > directory_end:
            raise _corrupt("ZIP64 记录无效", "the ZIP64 records are invalid")
        stream.seek(record_at)
        fields = _EOCD64.unpack(stream.read(_EOCD64.size))
        signature, record_size = fields[0], fields[1]
        here64, entries, length, offset = (int(field) for field in fields[6:])
        if signature != 0x06064B50 or record_at + 12 + record_size != directory_end - _EOCD64_LOCATOR.size:
            raise _corrupt("ZIP64 记录无效", "the ZIP64 records are invalid")
        if fields[4] or fields[5] or here64 != entries:
            raise _corrupt("分卷压缩包", "a multi-volume zip archive")
        directory_end = record_at
    if offset + length != directory_end:
        raise _corrupt(
            "压缩包目录前后有多余数据",
            "the zip archive has data before it or between its directory and the directory's end record",
        )
    if entries > _MOST_PARTS:
        raise _too_large(f"压缩包含有 {entries} 个部件", f"the archive declares {entries} parts")
    return int(entries)


def _check_ods_parts(archive: zipfile.ZipFile, entries: int) -> None:
    infos = archive.infolist()
    if len(infos) != entries:
        raise _corrupt(
            "压缩包目录与声明的部件数不符", "the zip directory lists another number of parts than it declares"
        )
    if len({info.filename.lower() for info in infos}) != len(infos):
        raise _corrupt(
            "含有重名的部件，无法确定读取哪一个",
            "it holds two parts of the same name (readers differ on which they take)",
        )
    parts = {info.filename: info for info in infos}
    mimetype = parts.get("mimetype")
    if mimetype is None:
        raise _not_ods()
    with archive.open(mimetype) as part:
        if part.read(len(_ODS_MIMETYPE)) != _ODS_MIMETYPE:
            raise _not_ods()
    manifest, content = parts.get("META-INF/manifest.xml"), parts.get("content.xml")
    if manifest is None or content is None:
        raise _corrupt("缺少 content.xml 或 META-INF/manifest.xml", "content.xml or META-INF/manifest.xml is missing")
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > MAX_INFLATED_BYTES or (total > 50 * 1024**2 and total / packed > MAX_RATIO):
        raise _too_large("解压后过大", f"it would inflate to {total} bytes")
    for info in infos:
        if info is manifest or info is content:
            continue
        xml = info.filename.lower().endswith(".xml")
        for piece, _ in _pieces(archive, info):  # inflated within its declared size, its CRC checked
            if xml and _has_dtd(piece):
                raise _dtd_refused(info.filename)
    if _parse_part(archive, manifest, _Manifest(manifest.filename)).encrypted:
        raise _encrypted()
    _parse_part(archive, content, _Content(content.filename))


class _Markup:
    """Refuses a part holding one tag, text, comment, CDATA section or processing instruction longer than
    :data:`LONGEST_XML_RUN`, from its raw bytes before any parser buffers it.

    Tags and text cannot hold ``<``, so no run between two ``<`` may be longer; comments, CDATA and
    processing instructions can, so each is measured from its opening to its closing mark.
    """

    _OPENINGS: Final = re.compile(rb"<(?:!--|!\[CDATA\[|\?)")
    _CLOSINGS: Final = {b"<!--": b"-->", b"<![CDATA[": b"]]>", b"<?": b"?>"}
    _KEEP: Final = 8  # longer than any opening or closing mark

    def __init__(self, part: str) -> None:
        self.part = part
        self.read = 0  # bytes of the part seen before the current chunk
        self.last_open = 0  # offset of the last ``<``
        self.tail = b""  # the end of the last chunk, where a mark may have been cut
        self.closing: bytes | None = None  # the closing mark awaited, inside a comment, CDATA or instruction
        self.opened = 0  # offset where that began

    def feed(self, chunk: bytes) -> None:
        first = chunk.find(b"<")
        if first < 0:
            if self.read + len(chunk) - self.last_open > LONGEST_XML_RUN:
                raise self._too_long()
        else:
            if self.read + first - self.last_open > LONGEST_XML_RUN:
                raise self._too_long()
            self.last_open = self.read + chunk.rfind(b"<")
        data = self.tail + chunk
        base = self.read - len(self.tail)
        at = 0
        while True:
            if self.closing is not None:
                found = data.find(self.closing, at)
                if base + (len(data) if found < 0 else found) - self.opened > LONGEST_XML_RUN:
                    raise self._too_long()
                if found < 0:
                    break
                at = found + len(self.closing)
                self.closing = None
                continue
            opening = self._OPENINGS.search(data, at)
            if opening is None:
                break
            self.opened, self.closing, at = base + opening.start(), self._CLOSINGS[opening[0]], opening.end()
        self.tail = data[max(at, len(data) - self._KEEP) :]
        self.read += len(chunk)

    def _too_long(self) -> WorkbookError:
        return _too_large(
            f"部件 {self.part} 含有超过 {LONGEST_XML_RUN} 字节的单个标记或文本",
            f"the part {self.part} holds a single tag, text or comment longer than {LONGEST_XML_RUN} bytes",
        )


class _Reader:
    """What reads one XML part for :func:`_parse_part`: its handlers, and the nesting and element counts."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.depth = 0
        self.elements = 0

    def enter(self) -> None:
        self.depth += 1
        self.elements += 1
        if self.depth > DEEPEST_XML:
            raise _too_large(
                f"部件 {self.part} 的元素嵌套超过 {DEEPEST_XML} 层",
                f"the part {self.part} nests elements more than {DEEPEST_XML} deep",
            )
        if self.elements > MOST_ELEMENTS:
            raise _too_large(
                f"部件 {self.part} 的元素超过 {MOST_ELEMENTS} 个",
                f"the part {self.part} holds more than {MOST_ELEMENTS} elements",
            )

    def install(self, parser: expat.XMLParserType) -> None:
        raise NotImplementedError


_R = TypeVar("_R", bound=_Reader)


def _parse_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, reader: _R) -> _R:
    """Feed a part, inflated chunk by chunk, to ``reader``'s handlers; malformed XML is a damaged workbook."""
    parser = expat.ParserCreate()  # no namespace processing: elements are named as written, as calamine matches them
    parser.ordered_attributes = True
    parser.buffer_text = True
    reader.install(parser)

    def doctype(*_: object) -> None:
        raise _dtd_refused(info.filename)

    def declaration(version: str, encoding: str | None, standalone: int) -> None:
        if encoding is not None and encoding.lower() not in ("utf-8", "utf8"):
            raise _corrupt(f"部件 {info.filename} 不是 UTF-8 编码", f"the part {info.filename} is not in UTF-8")

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.XmlDeclHandler = declaration
    markup = _Markup(info.filename)
    try:
        with archive.open(info) as part:
            first = True
            while chunk := part.read(_CHUNK):
                if first and chunk.startswith((b"\xff\xfe", b"\xfe\xff", b"<\0", b"\0<")):
                    raise _corrupt(f"部件 {info.filename} 不是 UTF-8 编码", f"the part {info.filename} is not in UTF-8")
                first = False
                markup.feed(chunk)
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _corrupt(
            f"部件 {info.filename} 不是合格的 XML", f"the part {info.filename} is not well-formed XML: {exc}"
        ) from None
    return reader


class _Manifest(_Reader):
    """Reads the manifest: whether it declares encryption (calamine then refuses, less clearly)."""

    def __init__(self, part: str) -> None:
        super().__init__(part)
        self.encrypted = False

    def install(self, parser: expat.XMLParserType) -> None:
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end

    def start(self, name: str, attributes: list[str]) -> None:
        self.enter()
        if name.rpartition(":")[2] == "encryption-data":
            self.encrypted = True

    def end(self, name: str) -> None:
        self.depth -= 1


_OUTSIDE, _TABLE, _ROW, _STRING, _ANNOTATION, _SKIP, _NAMES = range(7)
_CELLS = frozenset({"table:table-cell", "table:covered-table-cell"})
_NAMED = frozenset({"table:named-range", "table:named-expression"})
_STRING_VALUES = frozenset({"office:string-value", "office:date-value", "office:time-value"})
_UNSIGNED = re.compile(r"\+?[0-9]+")  # what Rust's usize::from_str takes
_SIGNED = re.compile(r"[+-]?[0-9]+")


def _utf8(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def _text_bytes(text: str) -> int:
    """The bytes of character data as calamine keeps it, or more: expat turns a carriage return and line feed into
    one line feed, quick-xml may not, so each line feed counts twice."""
    return _utf8(text) + text.count("\n")


def _value_bytes(value: str) -> int:
    """The bytes of an attribute's value as calamine keeps it, or more: expat turns each line end or tab (a carriage
    return and line feed among them) into a space, quick-xml leaves them, so each space counts twice."""
    return _utf8(value) + value.count(" ")


def _first(attributes: list[str], key: str) -> str | None:
    for at in range(0, len(attributes), 2):
        if attributes[at] == key:
            return attributes[at + 1]
    return None


class _Content(_Reader):
    """Replays calamine's reading of ``content.xml`` (``parse_content``, ``read_table``, ``read_row``,
    ``get_datatype``, ``get_range``), counting what it would allocate instead of allocating it."""

    def __init__(self, part: str) -> None:
        super().__init__(part)
        self.state = _OUTSIDE
        self.cells = 0  # cells pushed, all sheets
        self.row_elements = 0  # row elements read, all sheets
        self.used = 0  # used ranges of the sheets done
        self.text = 0  # bytes of text calamine would hold
        self.style = -1  # the size of the current style's name, -1 for none
        self._new_sheet()
        self._new_row(1, 1)
        self.cell_repeat = self.cell_formula = self.string = 0
        self.first_paragraph = True
        self.skip_name = ""
        self.skip_depth = 0

    def install(self, parser: expat.XMLParserType) -> None:
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.data
        parser.CommentHandler = self.other
        parser.ProcessingInstructionHandler = self.other
        parser.StartCdataSectionHandler = self.other

    # -- handlers --

    def start(self, name: str, attributes: list[str]) -> None:
        self.enter()
        state = self.state
        if state == _ROW:
            if name not in _CELLS:
                raise self._unreadable(f"元素 {name}", f"the element {name}")
            self._cell(name, attributes)
        elif state == _SKIP:
            if name == self.skip_name:
                self.skip_depth += 1
        elif state == _STRING:
            if name == "text:p":
                if not self.first_paragraph:
                    self._add_string(1)
                self.first_paragraph = False
            elif name == "text:s":
                count = _first(attributes, "text:c")
                self._add_string(1 if count is None else max(0, self._number(count, _SIGNED)))
            elif name == "office:annotation":
                self.state = _ANNOTATION
        elif state == _TABLE:
            if name == "table:table-row":
                repeat = _first(attributes, "table:number-rows-repeated")
                self._row(1 if repeat is None else self._number(repeat, _UNSIGNED))
        elif state == _OUTSIDE:
            if name == "table:table":
                sheet = _first(attributes, "table:name")
                if sheet is not None:  # calamine reads only tables that have a name
                    self._add_text(3 * _value_bytes(sheet))  # its metadata, its key, python-calamine's list
                    self._new_sheet()
                    self.state = _TABLE
            elif name == "style:style":
                style = _first(attributes, "style:name")
                self.style = -1 if style is None else _value_bytes(style)
            elif name == "style:table-properties" and self.style >= 0:
                self._add_text(self.style)
            elif name == "table:named-expressions":
                self.state = _NAMES
        elif state == _NAMES:
            if name not in _NAMED:
                raise self._unreadable(f"元素 {name}", f"the element {name}")
            self._add_text(sum(_value_bytes(value) for value in attributes[1::2]))

    def end(self, name: str) -> None:
        self.depth -= 1
        state = self.state
        if state == _SKIP:
            if name == self.skip_name:
                if self.skip_depth == 0:
                    self.state = _ROW
                else:
                    self.skip_depth -= 1
        elif state == _ROW:
            if name != "table:table-row":
                raise self._unreadable(f"元素 {name} 的结束标记", f"the end of {name}")
            self._row_done()
            self.state = _TABLE
        elif state == _STRING:
            if name in _CELLS:  # calamine ends a string cell at the end of any cell
                self._push(True, self.string, self.cell_formula, self.cell_repeat)
                self.state = _ROW
        elif state == _ANNOTATION:
            if name == "office:annotation":
                self.state = _STRING
        elif state == _TABLE:
            if name == "table:table":
                self._sheet_done()
                self.state = _OUTSIDE
        elif state == _NAMES:
            if name == "table:named-expressions":
                self.state = _OUTSIDE
            elif name not in _NAMED:
                raise self._unreadable(f"元素 {name} 的结束标记", f"the end of {name}")

    def data(self, text: str) -> None:
        if self.state == _STRING:
            self._add_string(_text_bytes(text))
        elif self.state in (_ROW, _NAMES):
            raise self._unreadable("文本", "text")

    def other(self, *_: object) -> None:
        if self.state in (_ROW, _NAMES):
            raise self._unreadable("注释或指令", "a comment, CDATA section or processing instruction")

    # -- what calamine does --

    def _new_sheet(self) -> None:
        self.sheet_rows = 0  # rows so far, repeats counted (capped at calamine's 1,048,576)
        self.value_rows = self.value_columns = 0  # the values' used range from A1
        self.formula_rows = self.formula_columns = 0

    def _new_row(self, declared: int, capped: int) -> None:
        self.row_declared, self.row_repeat = declared, capped
        self.pushed = self.pending = 0  # cells pushed in this row; empty cells waiting for a filled one
        self.row_value_end = self.row_formula_end = 0
        self.row_value_text = self.row_formula_text = 0

    def _row(self, declared: int) -> None:
        self.row_elements += 1
        if self.row_elements > MAX_SHEET_CELLS:
            raise _too_large(f"含有超过 {MAX_SHEET_CELLS} 个行元素", f"it holds more than {MAX_SHEET_CELLS} rows")
        self._new_row(declared, min(declared, max(0, EXCEL_ROWS - self.sheet_rows)))
        self.state = _ROW

    def _cell(self, name: str, attributes: list[str]) -> None:
        repeat = _first(attributes, "table:number-columns-repeated")
        self.cell_repeat = 1 if repeat is None else self._number(repeat, _UNSIGNED)
        value_set = is_string = filled = False
        text = formula = 0
        for at in range(0, len(attributes), 2):
            key = attributes[at]
            if key == "table:formula":
                formula = _value_bytes(attributes[at + 1])
            elif value_set:
                continue
            elif key in _STRING_VALUES:
                text, filled, value_set = _value_bytes(attributes[at + 1]), True, True
            elif key in ("office:value", "office:boolean-value"):
                filled = value_set = True
            elif key == "office:value-type":
                is_string = attributes[at + 1] == "string"
        self.cell_formula = formula
        if is_string and not value_set:  # the text is the element's content
            self.string, self.first_paragraph, self.state = 0, True, _STRING
            return
        self._push(filled, text, formula, self.cell_repeat)
        self.skip_name, self.skip_depth, self.state = name, 0, _SKIP

    def _push(self, filled: bool, text: int, formula: int, repeat: int) -> None:
        waiting, self.pending = self.pending, 0
        empty = min(waiting, max(0, EXCEL_COLUMNS - self.pushed))
        self.pushed += empty
        copies = min(repeat, max(0, EXCEL_COLUMNS - self.pushed))
        if not filled and not formula:
            self.pending = copies
            self._add_cells(empty)
            return
        if copies < repeat:
            raise _out_of_range("超出第 16384 列", "past column 16,384")
        self.pushed += copies
        self._add_cells(empty + copies)
        self._add_text(copies * (text + formula))
        if filled:
            self.row_value_end, self.row_value_text = self.pushed, self.row_value_text + copies * text
        if formula:
            self.row_formula_end, self.row_formula_text = self.pushed, self.row_formula_text + copies * formula

    def _row_done(self) -> None:
        self.sheet_rows += self.row_repeat
        if not (self.row_value_end or self.row_formula_end):
            return
        if not self.row_declared:  # calamine would give the range a row it does not fill, and shift the rows after
            raise _corrupt(f"部件 {self.part} 含有重复零次的行", f"the part {self.part} has a row repeated no times")
        if self.row_repeat < self.row_declared:
            raise _out_of_range("超出第 1048576 行", "past row 1,048,576")
        if self.row_value_end:
            self.value_rows, self.value_columns = self.sheet_rows, max(self.value_columns, self.row_value_end)
            self._add_text(self.row_repeat * self.row_value_text)  # the row copied into the range, once a repeat
        if self.row_formula_end:
            self.formula_rows, self.formula_columns = self.sheet_rows, max(self.formula_columns, self.row_formula_end)
            self._add_text(self.row_repeat * self.row_formula_text)
        if self.used + self._area() > MAX_SHEET_CELLS:
            raise _too_many_cells()

    def _area(self) -> int:
        return max(self.value_rows * self.value_columns, self.formula_rows * self.formula_columns)

    def _sheet_done(self) -> None:
        self.used += self._area()
        self._new_sheet()

    def _add_cells(self, count: int) -> None:
        self.cells += count
        if self.cells > MAX_SHEET_CELLS:
            raise _too_large(f"单元格超过 {MAX_SHEET_CELLS} 个", f"it holds more than {MAX_SHEET_CELLS} cells")

    def _add_text(self, size: int) -> None:
        self.text += size
        if self.text > MAX_SHARED_TEXT_BYTES:
            raise _too_much_text()

    def _add_string(self, size: int) -> None:
        self.string += size
        if self.string > MAX_SHARED_TEXT_BYTES:
            raise _too_much_text()

    def _number(self, text: str, pattern: re.Pattern[str]) -> int:
        if pattern.fullmatch(text) is None or len(text) > 40:
            raise _corrupt(
                f"部件 {self.part} 含有无效的数字 {text[:20]!r}",
                f"the part {self.part} holds {text[:20]!r} for a count",
            )
        return int(text)

    def _unreadable(self, zh: str, en: str) -> WorkbookError:
        """calamine's reader expects nothing but cells in a row, and named ranges in their list."""
        where_zh, where_en = (
            ("命名区域列表中", "among its named ranges")
            if self.state == _NAMES
            else (
                "行中单元格之间",
                "between the cells of a row",
            )
        )
        return _corrupt(
            f"部件 {self.part} 的{where_zh}有{zh}，无法读取",
            f"the part {self.part} has {en} {where_en}, which the reader cannot read",
        )


# --- .xls ----------------------------------------------------------------------------------------------------------


def inspect_xls(path: Path) -> None:
    """Refuse a file that is not a BIFF8 workbook calamine can read within bounds, before it reads it."""
    _inspect_xls(*regular_file(path))


@functools.lru_cache(maxsize=64)
def _inspect_xls(name: str, device: int, inode: int, size: int, modified_ns: int) -> None:
    """The checks of :func:`inspect_xls`, once per state of a file (a refusal is never remembered)."""
    _run_checked(name, _check_xls, MAX_XLS_BYTES)


def _check_xls(stream: IO[bytes], size: int) -> None:
    if stream.read(8) != _OLE2:
        raise _not_xls("不是 OLE2 复合文档", "it is not an OLE2 compound file")
    if size < 512:
        raise _corrupt("文件过短", "the file is too short")
    with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as view:
        workbook = _Compound(view, size).workbook_stream()
    _Biff(workbook).check()


def _not_xls(zh: str, en: str) -> WorkbookError:
    return file_issue(
        "workbook.not-xls",
        f"文件不是 Excel 97-2003 工作簿（.xls）：{zh}",
        f"the file is not an Excel 97-2003 workbook: {en}",
    )


_END_OF_CHAIN: Final = 0xFFFFFFFE
_RESERVED: Final = 0xFFFFFFFA
_DIFAT_SECTOR: Final = 0xFFFFFFFC
_NO_LIMIT: Final = 1 << 62
_WORKBOOK_NAMES: Final = ("Workbook", "Book", "WORKBOOK", "BOOK")  # as calamine looks for them, in order


def _entry_name(raw: bytes) -> str:
    """A directory entry's name as calamine decodes it, to its first NUL: its decoder (encoding_rs) follows a
    byte-order mark, so "\\ufeffWorkbook" is a "Workbook" to calamine."""
    if raw.startswith(b"\xef\xbb\xbf"):
        text = raw[3:].decode("utf-8", "replace")
    elif raw.startswith(b"\xfe\xff"):
        text = raw[2:].decode("utf-16-be", "replace")
    elif raw.startswith(b"\xff\xfe"):
        text = raw[2:].decode("utf-16-le", "replace")
    else:
        text = raw.decode("utf-16-le", "replace")
    return text.partition("\0")[0]


def _u32s(data: bytes) -> array.array[int]:
    table = array.array("I" if array.array("I").itemsize == 4 else "L")
    table.frombytes(data)
    if sys.byteorder == "big":
        table.byteswap()
    return table


class _Compound:
    """An OLE2 compound file read as calamine's ``cfb`` module reads it, with every chain checked first."""

    def __init__(self, view: mmap.mmap, size: int) -> None:
        self.view = view
        header = view[:512]
        major, _, shift, mini_shift = struct.unpack_from("<HHHH", header, 26)
        if shift not in (9, 12) or mini_shift != 6:
            raise _corrupt("复合文档头无效", "the compound file's header is invalid")
        self.major = major
        self.sector = 1 << shift
        if size < self.sector:
            raise _corrupt("文件过短", "the file is too short")
        self.sectors = (size - self.sector) // self.sector  # whole sectors after the header
        self.started = -(-(size - self.sector) // self.sector)  # and the last, if it is cut short
        fat_len, self.directory_start, _, _, self.mini_fat_start, mini_fat_len, difat_start, difat_len = (
            struct.unpack_from("<8I", header, 44)
        )
        self.mini_fat_len = mini_fat_len
        if max(fat_len, mini_fat_len, difat_len) > self.sectors:
            raise _corrupt(
                "复合文档头声明的扇区表大于文件", "the compound file's header declares tables larger than the file"
            )
        self.difat = list(struct.unpack_from("<109I", header, 76))
        self.difat_start = difat_start

    def _sector(self, sid: int) -> bytes:
        at = self.sector * (sid + 1)
        return self.view[at : at + self.sector]

    def chain(
        self, start: int, table: array.array[int], length: int, unit: int, units: int, source: bytes | None
    ) -> bytes:
        """calamine's ``get_chain``: the units from ``start`` on, each the next in ``table``, up to ``length`` bytes.

        Refused where calamine would read past the file (a truncated or lying chain), loop, or index past
        its table (a panic).
        """
        out = bytearray()
        seen = bytearray(units)
        sid = start
        while sid != _END_OF_CHAIN:
            if sid >= units:
                raise _corrupt("扇区链指向文件之外", "a sector chain points past the end of the file")
            if seen[sid]:
                raise _corrupt("扇区链形成循环", "a sector chain loops")
            seen[sid] = 1
            piece = self._sector(sid) if source is None else source[sid * unit : (sid + 1) * unit]
            out += piece[: length - len(out)]
            if len(out) >= length:
                break
            if sid >= len(table):
                raise _corrupt("扇区链超出分配表", "a sector chain leaves its allocation table")
            sid = table[sid]
        return bytes(out)

    def workbook_stream(self) -> bytes:
        sectors, size = self.sectors, self.sector
        difat, seen, sid = self.difat, bytearray(sectors), self.difat_start
        while sid < _RESERVED:  # the DIFAT's own chain: calamine follows it with no check for a loop
            if sid >= sectors:
                raise _corrupt("扇区链指向文件之外", "a sector chain points past the end of the file")
            if seen[sid]:
                raise _corrupt("扇区链形成循环", "a sector chain loops")
            seen[sid] = 1
            difat.extend(_u32s(self._sector(sid)))
            sid = difat.pop()
        fat_sectors = [sid for sid in difat if sid < _DIFAT_SECTOR]
        if len(set(fat_sectors)) != len(fat_sectors) or any(sid >= sectors for sid in fat_sectors):
            raise _corrupt("扇区分配表无效", "the sector allocation table is invalid")
        fat = _u32s(b"".join(self._sector(sid) for sid in fat_sectors))
        directory = self.chain(self.directory_start, fat, _NO_LIMIT, size, sectors, None)
        entries = []
        for at in range(0, len(directory), 128):
            entry = directory[at : at + 128]
            name = _entry_name(entry[:64])
            (start,) = struct.unpack_from("<I", entry, 116)
            (length,) = struct.unpack_from("<I" if size == 512 else "<Q", entry, 120)
            entries.append((name, start, length))
        if not entries or (self.major != 3 and entries[0][1] == _END_OF_CHAIN):
            raise _corrupt("复合文档没有根目录", "the compound file has no root directory")
        ministream, minifat = b"", _u32s(b"")
        if self.mini_fat_len:  # a stream may end in a sector the file cuts short, as calamine allows
            ministream = self.chain(entries[0][1], fat, entries[0][2], size, self.started, None)
            mini_table = self.chain(self.mini_fat_start, fat, self.mini_fat_len * size, size, sectors, None)
            if len(mini_table) % 4:
                raise _corrupt("小扇区分配表无效", "the mini sector allocation table is invalid")
            minifat = _u32s(mini_table)
        names = [entry[0] for entry in entries]
        found = next((names.index(name) for name in _WORKBOOK_NAMES if name in names), None)
        if found is None:
            if "EncryptedPackage" in names or "EncryptionInfo" in names:
                raise _encrypted()
            raise _not_xls("其中没有工作簿数据流", "it holds no workbook stream (another kind of Office document?)")
        _, start, length = entries[found]
        if length < 4096:  # in the mini stream, 64-byte sectors
            return self.chain(start, minifat, length, 64, len(ministream) // 64, ministream)
        return self.chain(start, fat, length, size, self.started, None)


_RECORD = struct.Struct("<HH")
_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")
_I16 = struct.Struct("<h")
_I32 = struct.Struct("<i")
_F64 = struct.Struct("<d")
_HIGH_BYTES = bytes(range(0x80, 0x100))
_ERROR_CODES = frozenset({0x00, 0x07, 0x0F, 0x17, 0x1D, 0x24, 0x2A, 0x2B})
_ERROR_TEXTS = {0x00: 6, 0x07: 7, 0x0F: 7, 0x17: 5, 0x1D: 6, 0x24: 5, 0x2A: 4, 0x2B: 13}
#: The text calamine writes for a formula it cannot print (``Unrecognised formula for cell (r, c): <error>``), at most.
_FORMULA_ERROR_TEXT = 256
#: calamine's function table (``FTAB``): 485 entries, their names at most 18 characters (24 counted).
_FUNCTIONS = 485
_LONGEST_FUNCTION = 24
_OPERATORS = {0x09: 1, 0x0A: 2, 0x0B: 1, 0x0C: 1, 0x0D: 2, 0x0E: 2}


class _Unprintable(Exception):
    """A formula calamine's printer gives up on (an error, which it prints as a short message)."""


class _Panic(Exception):
    """A formula calamine's printer would panic on (a slice past the token's end)."""


def _digits(number: int) -> int:
    return len(str(number))


def _letters(column: int) -> int:
    """The letters calamine's ``push_column`` writes for ``column``, or one more."""
    if column < 26:
        return 1
    count = 1
    while column >= 26:
        column = (column - column % 26) // 26
        count += 1
    return count


def _float_text(value: float) -> int:
    """The length of an f64 as Rust's ``Display`` writes it (never in exponent form), or two more."""
    if value != value or value in (float("inf"), float("-inf")):
        return 4
    return len(format(Decimal(repr(value)), "f")) + 2


class _Biff:
    """The workbook stream walked as calamine's ``Xls::parse_workbook`` walks it, counting what it would hold."""

    def __init__(self, stream: bytes) -> None:
        self.stream = stream
        self.records = 0
        self.codepage = 1200
        self.strings: list[int] = []  # UTF-8 size of each shared string
        self.sheets: list[tuple[int, int]] = []  # (offset, size of the name) of each BoundSheet8
        self.names: list[int] = []  # UTF-8 size of each defined name
        self.externs: list[int] = []  # itabFirst of each XTI
        self.text = 0
        self.cells = 0
        self.formulas = 0
        self.used = 0
        self.formula_bytes = 0
        self.work = 0

    # -- records --

    def _records(self, at: int) -> Iterator[tuple[int, int, int, list[tuple[int, int]]]]:
        return _walk(self, at)

    def check(self) -> None:
        self._globals()
        done: dict[int, _Sheet] = {}
        for offset, _ in self.sheets:
            if offset > len(self.stream):
                raise _corrupt("工作表的位置超出数据流", "a sheet's offset lies past the workbook stream")
            sheet = done.get(offset)
            if sheet is None:
                sheet = done[offset] = self._sheet(offset)
            self.used += sheet.used
            self.cells += sheet.cells
            self.formulas += sheet.formulas
            self.work += sheet.work
            self._add_text(sheet.text)
            if self.used > MAX_SHEET_CELLS:
                raise _too_many_cells()
            if self.cells > MAX_SHEET_CELLS or self.formulas > MAX_SHEET_CELLS:
                raise _too_large(f"单元格超过 {MAX_SHEET_CELLS} 个", f"it holds more than {MAX_SHEET_CELLS} cells")
            if self.work > MAX_FORMULA_WORK:
                raise self._formulas_too_large()

    def _add_text(self, size: int) -> None:
        self.text += size
        if self.text > MAX_SHARED_TEXT_BYTES:
            raise _too_much_text()

    def _formulas_too_large(self) -> WorkbookError:
        return _too_large("公式过多或过长", "its formulas are too many or too long to be read")

    # -- strings --

    def _decoded(self, data: bytes, high: bool) -> int:
        """The UTF-8 size of what calamine's ``decode_to`` appends for ``data`` (UTF-16 when ``high``, else one
        byte a character), or more."""
        if self.codepage != 1200:
            return 3 * len(data) * (1 if high else 2)
        if not high:
            return 2 * len(data) - len(data.translate(None, _HIGH_BYTES))
        if data.startswith((b"\xef\xbb\xbf", b"\xfe\xff")):  # encoding_rs follows a byte-order mark
            return 3 * len(data)
        return len(data.decode("utf-16-le", "replace").encode("utf-8", "surrogatepass"))

    def _string(self, data: bytes) -> int:
        """The capacity of the string calamine's ``parse_string`` makes of an ``XLUnicodeString``."""
        if len(data) < 3:
            if len(data) == 2 and data == b"\0\0":
                return 0
            raise _corrupt("字符串记录过短", "a string record is too short")
        (count,) = _U16.unpack_from(data)
        high = bool(data[2] & 1)
        body = data[3 : 3 + (2 * count if high else count)]
        if high:
            body = body[: len(body) // 2 * 2]
        return _capacity(count, self._decoded(body, high))

    # -- the globals --

    def _globals(self) -> None:
        stream = self.stream
        for kind, start, end, continues in self._records(0):
            size = end - start
            if kind == 0x000A:
                break
            if kind in (0x002F, 0x0042, 0x0022, 0x0809, 0x0017) and size < 2:
                raise _corrupt(f"记录 0x{kind:04X} 过短", f"a record 0x{kind:04X} is too short")
            if kind == 0x002F:
                raise _encrypted()
            if kind == 0x0042:
                (self.codepage,) = _U16.unpack_from(stream, start)
            elif kind == 0x0809:
                self._bof(stream[start:end])
            elif kind == 0x0085:
                self._bound_sheet(stream[start:end])
            elif kind == 0x0018:
                self._label(stream[start:end])
            elif kind == 0x0017:
                (count,) = _U16.unpack_from(stream, start)
                for at in range(start + 2, min(end - 5, start + 2 + 6 * count), 6):
                    self.externs.append(_I16.unpack_from(stream, at + 2)[0])
            elif kind == 0x00FC:
                if size < 8:
                    raise _corrupt("共享字符串表过短", "the shared-string table is too short")
                self.strings = self._shared_strings(start + 8, end, continues)
            elif kind == 0x00E0 and size < 4:
                raise _corrupt("格式记录过短", "a format record is too short")

    def _bof(self, data: bytes) -> None:
        (version,) = _U16.unpack_from(data)
        kind = _U16.unpack_from(data, 2)[0] if len(data) >= 4 else 0
        if version in (0x0200, 0x0002, 0x0007, 0x0300, 0x0400, 0x0500) or (version == 0 and kind == 0x1000):
            raise _not_xls(
                "这是 Excel 5.0/95 或更早的格式，请另存为 .xls（97-2003）或 .xlsx", "it is Excel 5.0/95 or older"
            )

    def _bound_sheet(self, data: bytes) -> None:
        if len(data) < 6:
            raise _corrupt("工作表记录过短", "a sheet record is too short")
        (offset,) = _U32.unpack_from(data)
        if len(data) < 8:
            raise _corrupt("工作表记录过短", "a sheet record is too short")
        count, high = data[6], bool(data[7] & 1)
        body = data[8 : 8 + (2 * count if high else count)]
        if high:
            body = body[: len(body) // 2 * 2]
        name = self._decoded(body, high)
        self.sheets.append((offset, name))
        self._add_text(4 * name)

    def _label(self, data: bytes) -> None:
        """A defined name (``Lbl``), as calamine's ``parse_lbl`` slices it."""
        if len(data) < 15:
            raise _corrupt("名称记录过短", "a defined name record is too short")
        count = data[3]
        (tokens,) = _U16.unpack_from(data, 4)
        if len(data) < 15 + count or tokens > len(data):
            raise _corrupt("名称记录过短", "a defined name record is too short")
        high = bool(data[14] & 1)
        body = data[15 : 15 + count]
        if high:
            body = body[: count // 2 * 2]
        name = self._decoded(body, high)
        rgce = data[len(data) - tokens :]
        if rgce:
            need = {0x3A: 7, 0x5A: 7, 0x7A: 7, 0x3B: 11, 0x5B: 11, 0x7B: 11}.get(rgce[0], 0)
            if rgce[0] in (0x3C, 0x5C, 0x7C, 0x3D, 0x5D, 0x7D):
                need = 3
            if len(rgce) < need:
                raise _corrupt("名称记录过短", "a defined name record is too short")
        self.names.append(name)
        self._add_text(2 * name + 64)

    def _shared_strings(self, start: int, end: int, continues: list[tuple[int, int]]) -> list[int]:
        """calamine's ``parse_sst`` and ``read_rich_extended_string``: the UTF-8 size of each string (its capacity
        counted as held text), from the record's data after its counts (``start`` to ``end``) and its
        ``CONTINUE`` records."""
        stream = self.stream
        pieces = iter(continues)
        sizes: list[int] = []

        def following() -> tuple[int, int]:
            piece = next(pieces, None)
            if piece is None:
                raise _corrupt("共享字符串超出记录", "a shared string runs past its records")
            return piece

        at = start
        while True:
            if at == end:
                piece = next(pieces, None)
                if piece is None:
                    return sizes
                at, end = piece
                if at == end:
                    sizes.append(0)
                    continue
            if end - at < 3:
                raise _corrupt("共享字符串过短", "a shared string is too short")
            (count,) = _U16.unpack_from(stream, at)
            flags = stream[at + 2]
            at += 3
            high = bool(flags & 1)
            skip = 0
            if flags & 0x8:  # rich text: four bytes a formatting run
                if end - at < 2:
                    raise _corrupt("共享字符串过短", "a shared string is too short")
                skip += 4 * _U16.unpack_from(stream, at)[0]
                at += 2
            if flags & 0x4:  # phonetic data, its size signed (calamine reads it so, and skips that far)
                if end - at < 4:
                    raise _corrupt("共享字符串过短", "a shared string is too short")
                skip += _I32.unpack_from(stream, at)[0] % (1 << 64)
                at += 4
            size, left = 0, count
            while left:
                units = min((end - at) // 2 if high else end - at, left)
                taken = 2 * units if high else units
                size += self._decoded(stream[at : at + taken], high)
                at, left = at + taken, left - units
                if left:
                    at, end = following()
                    if at == end:
                        raise _corrupt("共享字符串的续记录为空", "a shared string continues in an empty record")
                    high = bool(stream[at] & 1)
                    at += 1
            while skip:
                if at == end:
                    at, end = following()
                    continue
                taken = min(skip, end - at)
                at, skip = at + taken, skip - taken
            sizes.append(size)
            self._add_text(_capacity(count, size))

    # -- sheets --

    def _sheet(self, offset: int) -> _Sheet:
        """calamine's reading of one sheet's records, from ``offset`` to its ``EOF``: what it would push and hold."""
        sheet = _Sheet()
        stream, strings = self.stream, self.strings
        unpack, u16 = _RECORD.unpack_from, _U16.unpack_from
        rows = columns = cells = 0  # the values' used range from A1, and the cells pushed
        formula_at = (0, 0)
        for kind, start, end, _ in self._records(offset):
            if kind in _SIMPLE_CELLS:  # NUMBER, LABELSST (even for an empty or missing string: the larger), RK
                if end - start < _SIMPLE_CELLS[kind]:
                    raise _short(kind)
                row, column = unpack(stream, start)
                if kind == 0x00FD:
                    (index,) = _U32.unpack_from(stream, start + 6)
                    if index < len(strings):
                        sheet.text += strings[index]
            elif kind == 0x000A:
                break
            elif kind == 0x00BD:  # MULRK
                if end - start < 6:
                    raise _short(kind)
                row, first = unpack(stream, start)
                count = (u16(stream, end - 2)[0] - first + 1) & 0xFFFF
                if end - start != 6 + 6 * count:
                    raise _short(kind)
                if not count:
                    continue
                row, column, cells = row, first + count - 1, cells + count - 1
            elif kind == 0x0204:  # LABEL
                if end - start < 6:
                    raise _short(kind)
                row, column = unpack(stream, start)
                sheet.text += self._string(stream[start + 6 : end])
            elif kind == 0x0207:  # STRING, the value of the formula before
                row, column = formula_at
                sheet.text += self._string(stream[start:end])
            elif kind == 0x0205:  # BOOLERR
                if (
                    end - start < 8
                    or stream[start + 7] > 1
                    or (stream[start + 7] and stream[start + 6] not in _ERROR_CODES)
                ):
                    raise _short(kind)
                row, column = unpack(stream, start)
            elif kind == 0x0006:  # FORMULA
                if not self._formula_record(sheet, start, end):
                    formula_at = unpack(stream, start)
                    continue
                row, column = formula_at = unpack(stream, start)
            elif kind == 0x0200:  # DIMENSIONS
                sheet.dimensions(stream[start:end])
                continue
            elif kind == 0x00E5:  # MERGECELLS
                if end - start < 2 or 2 + 8 * u16(stream, start)[0] > end - start:
                    raise _short(kind)
                continue
            else:
                continue
            if column >= XLS_COLUMNS:
                raise _out_of_range(f"（第 {column + 1} 列）", f"(column {column + 1})")
            cells += 1
            if row >= rows:
                rows = row + 1
            if column >= columns:
                columns = column + 1
            if sheet.text > MAX_SHARED_TEXT_BYTES:
                raise _too_much_text()
        sheet.rows, sheet.columns, sheet.cells = rows, columns, cells
        if sheet.text > MAX_SHARED_TEXT_BYTES:
            raise _too_much_text()
        return sheet

    def _formula_record(self, sheet: _Sheet, start: int, end: int) -> bool:
        """A ``FORMULA`` record: its formula counted in ``sheet``; whether calamine pushes its value as a cell."""
        stream = self.stream
        if end - start < 20:
            raise _short(0x0006)
        row, column = _RECORD.unpack_from(stream, start)
        value = stream[start + 6 : start + 14]
        if value[6:] != b"\xff\xff" or value[0] in (1, 3) or (value[0] == 2 and value[2] in _ERROR_CODES):
            filled = True
        elif value[0] == 0:  # a string, in the STRING record after
            filled = False
        else:
            raise _short(0x0006)
        self.formula_bytes += end - start - 20
        if self.formula_bytes > MAX_FORMULA_BYTES:
            raise self._formulas_too_large()
        capacity, work = self._formula(stream[start + 20 : end], (row, column))
        sheet.formula(row, column)
        sheet.text += capacity
        sheet.work += work
        if sheet.work > MAX_FORMULA_WORK:
            raise self._formulas_too_large()
        return filled

    def _formula(self, data: bytes, at: tuple[int, int]) -> tuple[int, int]:
        """The capacity of the text calamine's ``parse_formula`` makes of a formula's tokens, and the bytes it moves
        doing so; :class:`WorkbookError` where it would panic."""
        work = [0]
        try:
            length, longest = self._print(data, work)
        except _Panic:
            raise _corrupt(
                f"第 {at[0] + 1} 行第 {at[1] + 1} 列的公式超出其记录",
                f"the formula at R{at[0] + 1}C{at[1] + 1} runs past its record",
            ) from None
        except _Unprintable:
            return _FORMULA_ERROR_TEXT, work[0]
        return max(len(data), 2 * longest, length, _FORMULA_ERROR_TEXT), work[0]

    def _print(self, data: bytes, work: list[int]) -> tuple[int, int]:
        """Replays ``parse_formula`` on lengths: the formula's final and greatest lengths, or more; ``work[0]`` counts
        the bytes its insertions and splits move, or more.

        calamine keeps a stack of where each operand's text begins. Only its size is kept here, and only as
        an upper bound (a ``PtgFunc`` takes the arguments calamine's table gives its function, taken here as
        none): where the bound says the stack is empty, calamine's is too, and it gives up (its short error
        text); a formula it might print is counted as printed, each function with as many commas as the stack
        could hold, each insertion or split as moving all the text so far.
        """
        if len(data) < 2:
            raise _Panic
        (size,) = _U16.unpack_from(data)
        if 2 + size > len(data):
            raise _Panic
        rgce = data[2 : 2 + size]
        depth = length = longest = at = 0
        while at < size:
            token = rgce[at]
            at += 1
            left = size - at
            step = _TOKEN_SIZES.get(token, 0)
            if step > left:
                raise _Panic
            if token in (0x3A, 0x5A, 0x7A):  # PtgRef3d
                index, row, column = struct.unpack_from("<HHH", rgce, at)
                first = self.externs[index] if index < len(self.externs) else -1
                length += self._sheet_name(first) + 3 + _letters((column << 2) & 0xFFFF) + _digits((row + 1) & 0xFFFF)
                depth += 1
            elif token in (0x3B, 0x5B, 0x7B):  # PtgArea3d
                index, row1, row2, column1, column2 = struct.unpack_from("<HHHHH", rgce, at)
                length += self._sheet_name(index) + 6 + _letters(column1) + _letters(column2)
                length += _digits(row1 + 1) + _digits(row2 + 1)
                depth += 1
            elif token in (0x3C, 0x5C, 0x7C, 0x3D, 0x5D, 0x7D):  # PtgRefErr3d, PtgAreaErr3d
                length += self._sheet_name(_U16.unpack_from(rgce, at)[0]) + 6
                depth += 1
            elif token in (0x01, 0x16):  # PtgExp, PtgMissArg
                depth += 1
            elif 0x03 <= token <= 0x11:  # binary operators
                if not depth:
                    raise _Unprintable
                depth -= 1
                work[0] += 2 * length
                length += _OPERATORS.get(token, 1)
            elif token in (0x12, 0x13, 0x15):  # unary plus and minus, parentheses: inserted at an operand's start
                if not depth:
                    raise _Unprintable
                work[0] += length
                length += 2 if token == 0x15 else 1
            elif token == 0x14:
                length += 1
            elif token == 0x17:  # PtgStr: calamine 0.37 checks its length, and takes a wide string's two bytes a
                # character; a string cut short ends the formula (printed as far as it goes, or an error)
                count = rgce[at] if left else 0
                length += 2 + (3 if self.codepage == 1200 else 6) * count
                depth += 1
                step = 2 + count * (2 if left >= 2 and rgce[at + 1] & 1 else 1)
                if step > left:
                    step = left
            elif token == 0x18:
                pass
            elif token == 0x19:  # PtgAttr
                step = self._attribute(rgce, at, left, depth, length, work)
                kind = rgce[at]
                if kind == 0x10:
                    length += 5
                elif kind in (0x40, 0x41):
                    length += rgce[at + 2]
            elif token in (0x1C, 0x1D):  # PtgErr, PtgBool
                if token == 0x1C and rgce[at] not in _ERROR_TEXTS:
                    raise _Unprintable
                length += _ERROR_TEXTS[rgce[at]] if token == 0x1C else 5
                depth += 1
            elif token == 0x1E:  # PtgInt
                length += _digits(_U16.unpack_from(rgce, at)[0])
                depth += 1
            elif token == 0x1F:  # PtgNum
                length += _float_text(_F64.unpack_from(rgce, at)[0])
                depth += 1
            elif token in (0x20, 0x40, 0x60):  # PtgArray
                length += 10
                depth += 1
            elif token in (0x21, 0x41, 0x61):  # PtgFunc: its argument count is calamine's table's
                if _U16.unpack_from(rgce, at)[0] >= _FUNCTIONS:
                    raise _Unprintable
                work[0] += 2 * length
                length += _LONGEST_FUNCTION + 1 + max(1, depth)
                depth += 1
            elif token in (0x22, 0x42, 0x62):  # PtgFuncVar
                arguments = rgce[at]
                if depth < arguments or _U16.unpack_from(rgce, at + 1)[0] >= _FUNCTIONS:
                    raise _Unprintable
                work[0] += 2 * length
                length += _LONGEST_FUNCTION + 1 + max(1, arguments)
                depth += 1 - arguments if arguments else 1
            elif token in (0x23, 0x43, 0x63):  # PtgName
                index = (_U32.unpack_from(rgce, at)[0] - 1) % (1 << 64)
                length += self.names[index] if index < len(self.names) else 5
                depth += 1
            elif token in (0x24, 0x44, 0x64):  # PtgRef
                row, column = _U16.unpack_from(rgce, at)[0], rgce[at + 2] | (rgce[at + 3] & 0x3F) << 8
                length += 2 + _letters(column) + _digits((row + 1) & 0xFFFF)
                depth += 1
            elif token in (0x25, 0x45, 0x65):  # PtgArea
                row1, row2, column1, column2 = struct.unpack_from("<HHHH", rgce, at)
                length += 5 + _letters(column1) + _letters(column2) + _digits(row1 + 1) + _digits(row2 + 1)
                depth += 1
            elif token in (0x2A, 0x4A, 0x6A, 0x2B, 0x4B, 0x6B):  # PtgRefErr, PtgAreaErr
                length += 5
                depth += 1
            elif token in (0x39, 0x59):  # PtgNameX
                length += 10
                depth += 1
            else:
                raise _Unprintable
            at += step
            longest = max(longest, length)
        if not depth:
            raise _Unprintable
        return length, longest

    def _attribute(self, rgce: bytes, at: int, left: int, depth: int, length: int, work: list[int]) -> int:
        """A ``PtgAttr`` token (at ``at``, its kind byte): the bytes it takes; its work counted."""
        kind = rgce[at]
        if kind in (0x01, 0x02, 0x08, 0x20, 0x21, 0x10):
            if left < 3:
                raise _Panic
            if kind == 0x10:  # PtgAttrSum: the last operand wrapped in SUM()
                if not depth:
                    raise _Unprintable
                work[0] += 2 * length
            return 3
        if kind == 0x04:  # PtgAttrChoose: a jump table
            if left < 3:
                raise _Panic
            step: int = 3 + 2 * (_U16.unpack_from(rgce, at + 1)[0] + 1)
            if step > left:
                raise _Panic
            return step
        if kind in (0x40, 0x41):  # PtgAttrSpace: spaces inserted one at a time at the last operand's start
            if not depth:
                raise _Unprintable
            if left < 2:
                raise _Panic
            if rgce[at + 1] > 6:
                raise _Unprintable
            if left < 3:
                raise _Panic
            count = rgce[at + 2]
            work[0] += count * (length + count)
            return 3
        raise _Unprintable

    def _sheet_name(self, index: int) -> int:
        """The size of the name calamine writes for sheet ``index``: the sheet's, or ``#REF``."""
        return self.sheets[index][1] if 0 <= index < len(self.sheets) else 4


#: The bytes each formula token takes after its first (calamine slices that far before anything else),
#: (a ``PtgStr`` and a ``PtgAttr`` take more, read in :meth:`_Biff._print`).
_TOKEN_SIZES: dict[int, int] = {
    **dict.fromkeys((0x3A, 0x5A, 0x7A, 0x3C, 0x5C, 0x7C, 0x39, 0x59), 6),
    **dict.fromkeys((0x3B, 0x5B, 0x7B, 0x3D, 0x5D, 0x7D), 10),
    **dict.fromkeys((0x01, 0x23, 0x43, 0x63, 0x24, 0x44, 0x64, 0x2A, 0x4A, 0x6A), 4),
    **dict.fromkeys((0x25, 0x45, 0x65, 0x2B, 0x4B, 0x6B), 8),
    **dict.fromkeys((0x20, 0x40, 0x60), 7),
    **dict.fromkeys((0x21, 0x41, 0x61, 0x1E), 2),
    **dict.fromkeys((0x22, 0x42, 0x62), 3),
    **dict.fromkeys((0x1C, 0x1D), 1),
    0x1F: 8,
    0x18: 5,
    0x19: 1,
}


def _capacity(declared: int, size: int) -> int:
    """The capacity of a Rust ``String::with_capacity(declared)`` after ``size`` bytes are pushed to it."""
    return declared if size <= declared else max(2 * declared, size, 8)


def _short(kind: int) -> WorkbookError:
    return _corrupt(f"记录 0x{kind:04X} 无效或过短", f"a record 0x{kind:04X} is invalid or too short")


def _walk(biff: _Biff, at: int) -> Iterator[tuple[int, int, int, list[tuple[int, int]]]]:
    """calamine's ``RecordIter`` from ``at``: each record's type, data span, and the ``CONTINUE`` records after it."""
    stream = biff.stream
    size = len(stream)
    unpack, u16 = _RECORD.unpack_from, _U16.unpack_from
    while True:
        left = size - at
        if left < 4:
            if left:
                raise _corrupt("数据流在记录中途结束", "the workbook stream ends inside a record")
            return
        kind, length = unpack(stream, at)
        start = at + 4
        at = end = start + length
        if end > size:
            raise _corrupt("记录超出数据流", "a record runs past the workbook stream")
        biff.records += 1
        continues = _NO_CONTINUES
        if size - at > 4 and stream[at] == 0x3C and stream[at + 1] == 0:
            continues = []
            while size - at > 4 and stream[at] == 0x3C and stream[at + 1] == 0:
                (length,) = u16(stream, at + 2)
                if at + 4 + length > size:
                    raise _corrupt("续记录超出数据流", "a CONTINUE record runs past the workbook stream")
                continues.append((at + 4, at + 4 + length))
                at += 4 + length
                if len(continues) > MOST_CONTINUES:
                    raise _too_large(
                        f"一条记录之后有超过 {MOST_CONTINUES} 条续记录",
                        f"a record is followed by more than {MOST_CONTINUES} CONTINUE records",
                    )
            biff.records += len(continues)
        if biff.records > MOST_RECORDS:
            raise _too_large(f"记录超过 {MOST_RECORDS} 条", f"it holds more than {MOST_RECORDS} records")
        yield kind, start, end, continues


_NO_CONTINUES: list[tuple[int, int]] = []
#: Cell records calamine reads the same way (row, column first), and the bytes each must hold.
_SIMPLE_CELLS = {0x0203: 14, 0x00FD: 10, 0x027E: 10}


class _Sheet:
    """What calamine builds of one sheet: its value and formula cells' extents, the cells pushed, the text held."""

    def __init__(self) -> None:
        self.rows = self.columns = 0  # the values' used range from A1
        self.formula_rows = self.formula_columns = 0
        self.cells = self.formulas = 0
        self.reserved = 0
        self.text = 0
        self.work = 0

    @property
    def used(self) -> int:
        return max(self.rows * self.columns, self.formula_rows * self.formula_columns, self.reserved)

    def formula(self, row: int, column: int) -> None:
        if column >= XLS_COLUMNS:
            raise _out_of_range(f"（第 {column + 1} 列）", f"(column {column + 1})")
        self.formulas += 1
        self.formula_rows, self.formula_columns = max(self.formula_rows, row + 1), max(self.formula_columns, column + 1)

    def dimensions(self, data: bytes) -> None:
        """calamine reserves the cells ``DIMENSIONS`` declares (its arithmetic wraps around)."""
        if len(data) == 10:
            first, last, left, right = struct.unpack_from("<HHHH", data)
        elif len(data) == 14:
            first, last, left, right = struct.unpack_from("<IIHH", data)
        else:
            raise _short(0x0200)
        if left > 0xFF or right < left:
            left = 0
        if last >= 1 and right >= 1:
            rows = ((last - 1 - first) % (1 << 32) + 1) % (1 << 32)
            columns = ((right - 1 - left) % (1 << 32) + 1) % (1 << 32)
        else:
            rows = columns = 1
        if rows * columns > MAX_SHEET_CELLS:
            raise _too_large(
                f"工作表声明的区域（DIMENSIONS）有 {rows * columns} 个单元格",
                f"a sheet declares {rows * columns} cells (DIMENSIONS)",
            )
        self.reserved = max(self.reserved, rows * columns)
