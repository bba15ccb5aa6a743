"""Checking a workbook file before any native reader touches it.

python-calamine is fast, but it aborts the whole process (no Python exception) when an
allocation fails, and it allocates from what a file *says*: a sheet's used range from
its cell references, every shared string once per cell that uses it. So a file is read
here first, streaming, inside bounds of its own:

- it must be a regular file holding a real xlsx archive (not `.xls`, an encrypted
  workbook, `.ods`, a truncated or foreign zip), declaring at most
  :data:`MAX_INFLATED_BYTES` inflated and no extreme compression ratio;
- every part is inflated once within its declared size, its CRC checked (a lying
  header fails here, not in the reader), and XML parts may carry no DTD (entity
  expansion, external entities);
- the cells a sheet declares must lie within Excel's grid, and the used range calamine
  would allocate within :data:`MAX_SHEET_CELLS`;
- the text the cells take from the shared-strings table, counted once per cell, must
  stay within :data:`MAX_SHARED_TEXT_BYTES`.

The cell checks cost a few regular-expression searches per part for the files Excel, WPS,
LibreOffice and cpsdk write (every cell and row carrying a small reference); anything
else — a reference past column Z or row 99,999, a cell or row without a reference, a
namespaced element — is read again exactly, placing each cell where the native reader
would (its row from its row element, its column from its own reference) or further. Where
a file could mean two things, the larger is counted; parts are found whatever the case of
their names, and an archive holding two parts of one name is refused. Exact reads stop
past the number of elements no sheet within bounds can have, so a small file of a
gigabyte of empty rows costs seconds.
"""

from __future__ import annotations

import functools
import re
import stat
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.parsers import expat

from cpsdk.base._errors import WorkbookError
from cpsdk.base._issues import error

#: A workbook whose parts would inflate beyond this is refused before reading (bytes).
MAX_INFLATED_BYTES = 1024**3
#: ... or whose parts inflate more than this many times their compressed size.
MAX_RATIO = 200
#: The used range of one sheet (rows × columns from A1) a reader may be asked to allocate.
MAX_SHEET_CELLS = 10_000_000
#: Shared-string text all cells together may take, each cell counted once (bytes of XML).
MAX_SHARED_TEXT_BYTES = 256 * 1024**2
#: Excel's grid.
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
#: Markup a workbook never needs and entity attacks always do (markup is case-sensitive in XML).
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
#: How much of a part is inflated at a time.
_CHUNK = 1 << 20
#: Enough of the end of one chunk to hold any mark or short tag split between it and the next.
_SEAM = 64

#: A cell whose reference is not of the usual form, ``<c r="A1"`` (one letter, a row up to 99,999)
#: as its first attribute, and a row not of the form ``<row r="12"``. Parts without either, and
#: without namespaced cells or rows (:data:`_NAMESPACED_CELL`), place every cell within
#: 26 × 99,999 cells, under :data:`MAX_SHEET_CELLS` (the native reader takes a cell's row from its
#: row element and its column from its own reference); any other part is read exactly.
_UNUSUAL_CELL = re.compile(rb'<c(?! r="[A-Z]?[1-9][0-9]{0,4}")[\s/>]')
_UNUSUAL_ROW = re.compile(rb'<row(?! r="[1-9][0-9]{0,4}")[\s/>]')
#: A cell or row element with a namespace prefix (``<x:c``): searched from the rare ``:``.
_NAMESPACED_CELL = re.compile(rb":(?:c|row)[\s/>]")
_FAST_SEARCHES = (_UNUSUAL_CELL, _UNUSUAL_ROW, _NAMESPACED_CELL)
#: What a cell taking its text from the shared-strings table says (``t="s"``; any quotes, any spaces:
#: counted as the quoted value alone, which may count more, never fewer).
_SHARED_VALUES = (b'"s"', b"'s'")
#: The shared-strings table's root element.
_SST_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?sst[\s>]")
#: Parts read as XML, by their name's ending in any case (the native reader finds parts ignoring case).
_XML_ENDINGS = (".xml", ".rels", ".vml")
#: A row or cell start tag, attributes and all (quoted values may hold ``>``), with or without a prefix.
_CELL_TAG = re.compile(rb"""<(?:[A-Za-z_][\w.\-]*:)?(row|c)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_R_ATTRIBUTE = re.compile(rb"""\sr\s*=\s*(?:"([^"]*)"|'([^']*)')""")
#: A start tag longer than this, cut by a chunk's end, is refused (no workbook writes one).
_LONGEST_TAG = 1 << 16
#: Row and cell elements an exact read goes through at most: past this no sheet within bounds is possible.
_MOST_ELEMENTS = 2 * (MAX_SHEET_CELLS + EXCEL_ROWS)
_REFERENCE = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")


def file_issue(code: str, zh: str, en: str) -> WorkbookError:
    """A refusal of the whole file: one issue, its English message as the exception's."""
    return WorkbookError(en, [error(code, zh, en)])


def regular_file(path: Path) -> tuple[str, int, int, int, int]:
    """The identity of a regular file (resolved name, device, inode, size, modification), which the checks'
    caches are keyed by; a WorkbookError for a missing file, a directory, a device, pipe or socket."""
    if not path.exists():
        raise file_issue("workbook.missing", f"文件不存在：{path}", f"no such file: {path}")
    if path.is_dir():
        raise file_issue("workbook.directory", f"{path} 是目录，不是工作簿", f"{path} is a directory, not a workbook")
    try:
        state = path.stat()
    except OSError as exc:
        raise file_issue(
            "workbook.unreadable", f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}"
        ) from None
    if not stat.S_ISREG(state.st_mode):
        raise file_issue(
            "workbook.not-a-file",
            f"{path} 不是普通文件（设备、管道或套接字），拒绝读取",
            f"{path} is not a regular file (a device, pipe or socket); refused",
        )
    return str(path.resolve()), state.st_dev, state.st_ino, state.st_size, state.st_mtime_ns


def inspect_archive(path: Path) -> None:
    """Refuse a file that is not a readable xlsx archive, or would take a reader too far, before reading it."""
    _inspect_file(*regular_file(path))


@functools.lru_cache(maxsize=256)
def _inspect_file(name: str, device: int, inode: int, size: int, modified_ns: int) -> None:
    """The checks of :func:`inspect_archive`, done once per state of a file.

    Reading one workbook opens it more than once (its identity first, to find the form
    and layout, then its sheets): the whole archive is inflated once, not each time. A
    file that is changed has a new size or modification time and is checked again; a
    refusal is never remembered.
    """
    path = Path(name)
    try:
        with open(path, "rb") as stream:
            head = stream.read(8)
    except OSError as exc:
        raise file_issue(
            "workbook.unreadable", f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}"
        ) from None
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise file_issue(
            "workbook.not-xlsx",
            "文件是旧版 .xls 或加密的工作簿，请另存为 .xlsx 后再读取",
            "the file is a legacy .xls or an encrypted workbook; save it as .xlsx first",
        )
    if not head.startswith(b"PK"):
        raise file_issue("workbook.not-xlsx", "文件不是 .xlsx 工作簿", "the file is not an .xlsx workbook")
    try:
        with zipfile.ZipFile(path) as archive:
            _check_parts(archive)
    except WorkbookError:
        raise
    except Exception as exc:  # noqa: BLE001 - zlib, zipfile and struct each raise their own kinds on damage
        raise file_issue("workbook.corrupt", "工作簿已损坏，无法打开", f"the workbook is damaged: {exc}") from None


def _check_parts(archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if len({name.lower() for name in names}) != len(infos):
        raise file_issue(
            "workbook.corrupt",
            "工作簿含有重名的部件，无法确定读取哪一个，拒绝读取",
            "the workbook holds two parts of the same name (readers differ on which they take); refused",
        )
    if "xl/workbook.xml" not in names:
        kind = "OpenDocument" if "content.xml" in names else "zip"
        raise file_issue(
            "workbook.not-xlsx", f"文件不是 .xlsx 工作簿（{kind}）", f"the file is not an .xlsx workbook ({kind})"
        )
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > MAX_INFLATED_BYTES or (total > 50 * 1024**2 and total / packed > MAX_RATIO):
        raise file_issue(
            "workbook.too-large",
            "工作簿解压后过大，拒绝读取",
            f"the workbook would inflate to {total} bytes; refused",
        )
    _verify_parts(archive)


def _has_dtd(data: bytes) -> bool:
    """True when ``data`` holds one of :data:`_DTD_MARKS`.

    Every mark starts with ``<!``. Markup is full of ``<`` but shows ``!`` rarely (comments,
    CDATA, the odd text), and a one-byte search is the fastest there is: the marks are
    looked for only where a ``!`` is found.
    """
    at = data.find(b"!")
    while at >= 0:
        if at and data.startswith(_DTD_MARKS, at - 1):
            return True
        at = data.find(b"!", at + 1)
    return False


def _verify_parts(archive: zipfile.ZipFile) -> None:
    """Inflate every part once, within its declared size, before a native reader touches it.

    A hostile archive can declare small sizes and inflate to gigabytes: Python's zipfile
    never reads past the declared size and checks each part's CRC, so a lying header
    fails here instead of exhausting memory in the reader. XML parts may not carry a DTD:
    a workbook has no use for one, and it is how entity-expansion and external-entity
    attacks come in. On the same pass, each XML part is searched for cells the native
    reader would place beyond the usual (read again exactly, by :func:`_check_cells`),
    and the cells taking shared strings are counted (:func:`_check_shared_text`).
    """
    infos = archive.infolist()
    # The shared-strings table first, where its name says it is: cells naming its strings are
    # then counted on the way. A table found elsewhere is checked by a second, exact pass.
    infos.sort(key=lambda info: "sharedstrings" not in info.filename.lower())
    unusual: list[zipfile.ZipInfo] = []
    tables: list[zipfile.ZipInfo] = []
    counted = False  # whether cells naming shared strings are being counted
    shared_cells = 0
    for info in infos:
        if not info.filename.lower().endswith(_XML_ENDINGS):
            archive.read(info)  # inflated for its CRC and size
            continue
        found_unusual = is_table = False
        for piece, last in _pieces(archive, info):
            if _has_dtd(piece):
                raise _dtd_refused(info.filename)
            if not found_unusual:
                # A tag cut by the chunk's end is searched again, whole, at the start of the next piece: a
                # search's first match lying there says nothing of the piece before it.
                end = len(piece) if last else len(piece) - _SEAM
                found_unusual = any(
                    (found := search.search(piece)) is not None and found.start() < end for search in _FAST_SEARCHES
                )
            is_table = is_table or (b"sst" in piece and _SST_ROOT.search(piece) is not None)
            if counted:
                shared_cells += sum(piece.count(value) for value in _SHARED_VALUES)
        if found_unusual:
            unusual.append(info)
        if is_table:
            counted = counted or (not tables and "sharedstrings" in info.filename.lower())
            tables.append(info)
    for info in unusual:
        _check_cells(archive, info)
    if tables and (not counted or shared_cells * max(info.file_size for info in tables) > MAX_SHARED_TEXT_BYTES):
        _check_shared_text(archive, tables)


def _pieces(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[tuple[bytes, bool]]:
    """A part's bytes, and whether they are the last: whole when it declares at most a chunk, chunk by
    chunk otherwise. From the second chunk on, each piece starts with the last :data:`_SEAM` bytes of
    the one before, so that nothing searched for is missed where two chunks meet (a count may then
    see it twice)."""
    if info.file_size <= _CHUNK:
        yield archive.read(info), True
        return
    tail = b""
    with archive.open(info) as part:
        chunk = part.read(_CHUNK)
        while chunk:
            following = part.read(_CHUNK)
            yield tail + chunk, not following
            tail, chunk = chunk[-_SEAM:], following


def _dtd_refused(name: str) -> WorkbookError:
    return file_issue(
        "workbook.dtd",
        f"工作簿部件 {name} 含有 DTD（可能是实体扩展攻击），拒绝读取",
        f"the workbook part {name} carries a DTD (a possible entity attack); refused",
    )


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


def _parse(archive: zipfile.ZipFile, info: zipfile.ZipInfo, parser: expat.XMLParserType) -> None:
    """Feed a part to ``parser``; malformed XML is a damaged workbook."""
    try:
        with archive.open(info) as part:
            while chunk := part.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise file_issue(
            "workbook.corrupt",
            f"工作簿部件 {info.filename} 不是合格的 XML",
            f"the workbook part {info.filename} is not well-formed XML: {exc}",
        ) from None


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _check_cells(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Place every cell of a part as the native reader would, and refuse a reference outside Excel's
    grid or a used range beyond :data:`MAX_SHEET_CELLS`.

    The row and cell start tags are found by a regular expression (every other element is skipped in
    C, so a part of a gigabyte of other markup costs seconds, not minutes), whatever their prefix.
    A cell's row is its row element's (or the next after the last), or its reference's where that
    is greater; its column its reference's, or the next after the last cell's: the greater of what
    the native reader and the file could mean.
    """
    last_row = last_column = row = column = elements = 0

    def outside(reference: bytes) -> WorkbookError:
        text = reference.decode("utf-8", "replace")
        shown = text if len(text) <= 20 else text[:19] + "…"
        return file_issue(
            "workbook.cell-out-of-range",
            f"工作簿部件 {info.filename} 的单元格引用 {shown} 超出工作表范围",
            f"the workbook part {info.filename} refers to cell {shown!r}, outside a sheet's grid",
        )

    def too_large() -> WorkbookError:
        return file_issue(
            "workbook.too-large",
            f"工作簿部件 {info.filename} 的数据区域超过 {MAX_SHEET_CELLS} 个单元格，拒绝读取",
            f"the workbook part {info.filename} spans more than {MAX_SHEET_CELLS} cells; refused",
        )

    carry = b""
    with archive.open(info) as part:
        while True:
            chunk = part.read(_CHUNK)
            text = carry + chunk
            cut = len(text) if not chunk else text.rfind(b"<")
            if cut < 0:
                cut = len(text)
            carry = text[cut:]
            if len(carry) > _LONGEST_TAG:
                raise outside(b"(a tag longer than 64 KiB)")
            for tag in _CELL_TAG.finditer(text, 0, cut):
                elements += 1
                if elements > _MOST_ELEMENTS:
                    raise too_large()
                found = _R_ATTRIBUTE.search(tag[2])
                reference = None if found is None else (found[1] if found[1] is not None else found[2])
                if tag[1] == b"row":
                    if reference is None:
                        row += 1
                    elif reference.isdigit() and len(reference) <= 7 and 1 <= int(reference) <= EXCEL_ROWS:
                        row = int(reference)
                    else:
                        raise outside(reference)
                    if row > EXCEL_ROWS:
                        raise outside(b"R%d" % row)
                    column = 0
                    continue
                cell_row = max(row, 1)
                if reference is None:
                    column += 1
                else:
                    match = _REFERENCE.fullmatch(reference.decode("ascii", "replace"))
                    if match is None:
                        raise outside(reference)
                    column, cell_row = _column_number(match[1]), max(cell_row, int(match[2]))
                if column > EXCEL_COLUMNS or cell_row > EXCEL_ROWS:
                    raise outside(reference or b"R%dC%d" % (cell_row, column))
                last_row, last_column = max(last_row, cell_row), max(last_column, column)
                if last_row * last_column > MAX_SHEET_CELLS:
                    raise too_large()
            if not chunk:
                return


def _check_shared_text(archive: zipfile.ZipFile, tables: list[zipfile.ZipInfo]) -> None:
    """Refuse a workbook whose cells would together take more than :data:`MAX_SHARED_TEXT_BYTES` of
    shared strings, each cell counting the text of the string it names (the native reader makes
    a copy per cell: one long string named by many cells expands without bound).

    Where the file could mean more than one thing, the most is counted: with several tables, each
    index takes its longest string; a value split by a comment or CDATA counts the longest of its
    pieces and of their whole.
    """
    sizes: list[int] = []
    for info in tables:
        more = _string_sizes(archive, info)
        sizes = [max(pair) for pair in zip(sizes, more, strict=False)] + (sizes[len(more) :] or more[len(sizes) :])
    total = 0
    for info in archive.infolist():
        if info.filename.lower().endswith(".xml") and info not in tables:
            total += _shared_text_of(archive, info, sizes)
            if total > MAX_SHARED_TEXT_BYTES:
                raise file_issue(
                    "workbook.too-large",
                    "工作簿中共享字符串被大量重复引用，展开后过大，拒绝读取",
                    f"the workbook's cells repeat its shared strings to more than {MAX_SHARED_TEXT_BYTES} bytes; "
                    "refused",
                )


def _counter(info: zipfile.ZipInfo) -> Callable[[], None]:
    """Counts the elements an exact read goes through, refusing a part past :data:`_MOST_ELEMENTS` (no
    workbook within bounds has that many, and each costs a Python call)."""
    seen = [0]

    def count() -> None:
        seen[0] += 1
        if seen[0] > _MOST_ELEMENTS:
            raise file_issue(
                "workbook.too-large",
                f"工作簿部件 {info.filename} 的元素过多，拒绝读取",
                f"the workbook part {info.filename} holds more than {_MOST_ELEMENTS} elements; refused",
            )

    return count


def _string_sizes(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> list[int]:
    """The size (bytes of XML) of each string of a shared-strings table, in order."""
    sizes: list[int] = []
    parser = expat.ParserCreate(namespace_separator=" ")
    starts: list[int] = []
    count = _counter(info)

    def start(name: str, attributes: dict[str, str]) -> None:
        count()
        if _local(name) == "si":
            starts.append(parser.CurrentByteIndex)

    def end(name: str) -> None:
        if _local(name) == "si" and starts:
            sizes.append(parser.CurrentByteIndex - starts.pop())

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    _parse(archive, info, parser)
    return sizes


def _shared_text_of(archive: zipfile.ZipFile, info: zipfile.ZipInfo, sizes: list[int]) -> int:
    """The shared-string bytes the cells of one part name, each cell counted."""
    total = 0
    shared = in_value = False
    text: list[str] = []
    parser = expat.ParserCreate(namespace_separator=" ")
    count = _counter(info)

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal shared, in_value
        count()
        local = _local(name)
        if local == "c":
            shared = attributes.get("t", "").strip() == "s"
        elif local == "v" and shared:
            in_value = True
            text.clear()

    def data(chunk: str) -> None:
        if in_value and len(text) < 16:
            text.append(chunk)

    def end(name: str) -> None:
        nonlocal in_value, total
        if in_value and _local(name) == "v":
            in_value = False
            named = [size for value in (*text, "".join(text)) if (size := _size_named(value.strip(), sizes))]
            total += max(named, default=0)

    parser.StartElementHandler = start
    parser.CharacterDataHandler = data
    parser.EndElementHandler = end
    _parse(archive, info, parser)
    return total


def _size_named(value: str, sizes: list[int]) -> int:
    return sizes[int(value)] if value.isdigit() and len(value) < 12 and int(value) < len(sizes) else 0
