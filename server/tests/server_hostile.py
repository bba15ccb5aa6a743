"""A corpus of hostile uploads, after the SDK's own (tests/test_hostile.py of the repository)."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

SHEET = "xl/worksheets/sheet1.xml"


def _rezip(
    source: Path, target: Path, change: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None
) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return target


def _lying_sizes(source: Path, target: Path) -> Path:
    """The sheet inflates to 64 MiB of zeros while the headers declare 1 KiB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == SHEET:
                data = data + b"\0" * (64 * 1024**2)
            new.writestr(info.filename, data)
    raw = bytearray(buffer.getvalue())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := raw.find(signature, start)) != -1:
            name_length = struct.unpack_from("<H", raw, start + (26 if signature == b"PK\x03\x04" else 28))[0]
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if raw[name_at : name_at + name_length] == SHEET.encode():
                raw[start + offset : start + offset + 4] = struct.pack("<I", 1024)
            start += 4
    target.write_bytes(bytes(raw))
    return target


def _declared_huge(source: Path, target: Path) -> Path:
    raw = bytearray(source.read_bytes())
    start = 0
    while (start := raw.find(b"PK\x01\x02", start)) != -1:
        raw[start + 24 : start + 28] = struct.pack("<I", 0xFFFFFFF0)
        start += 4
    target.write_bytes(bytes(raw))
    return target


def _entity(name: str, data: bytes) -> bytes:
    if name != SHEET:
        return data
    body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
    prolog = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    return prolog + body


def _corner_cell(name: str, data: bytes) -> bytes:
    if name != SHEET:
        return data
    row = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return data.replace(b"</sheetData>", row + b"</sheetData>", 1)


#: name → (file, statuses the server may answer: an HTTP refusal, or the upload's checked status)
def corpus(valid: Path, folder: Path) -> dict[str, Path]:
    """Hostile files, each named by what it tries."""
    raw = valid.read_bytes()
    cases: dict[str, Path] = {}

    def file(name: str, content: bytes) -> None:
        cases[name] = folder / name
        cases[name].write_bytes(content)

    file("text-renamed.xlsx", b"just some text, not a workbook\n" * 100)
    file("pdf-renamed.json", b"%PDF-1.4\n" + b"0" * 1000)
    file("truncated-zip.xlsx", raw[: len(raw) // 2])
    file("xls-renamed.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    file("ods-renamed.xlsx", ods.getvalue())
    file("deep.json", b"{" + b'"a":[' * 100_000 + b"]" * 100_000 + b"}")
    file("garbage.json", b'{"version": "1.0", "enterprises": [{"uscc": <script>}]}')
    cases["xlsm.xlsx"] = _rezip(valid, folder / "xlsm.xlsx", lambda _n, d: d, {"xl/vbaProject.bin": b"\0" * 64})
    cases["disguised-zip-bomb.xlsx"] = _lying_sizes(valid, folder / "disguised-zip-bomb.xlsx")
    cases["declared-zip-bomb.xlsx"] = _declared_huge(valid, folder / "declared-zip-bomb.xlsx")
    cases["entity-expansion.xlsx"] = _rezip(valid, folder / "entity-expansion.xlsx", _entity)
    cases["cell-at-corner.xlsx"] = _rezip(valid, folder / "cell-at-corner.xlsx", _corner_cell)
    return cases
