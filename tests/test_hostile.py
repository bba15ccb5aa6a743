"""Hostile workbooks: each gives clear issues or one clean error, within bounded time and memory.

Every case of the corpus is read by ``cpsdk read`` and ``cpsdk validate`` in a child
process limited to :data:`MEMORY_LIMIT` of address space and :data:`TIME_LIMIT`
seconds: the child must exit with 0, 1 or 2 (not be killed, not crash, not hang),
print no traceback, and say what is wrong. A native reader that aborted the process
(python-calamine on a sheet inflating past memory) would fail here.
"""

from __future__ import annotations

import io
import json
import os
import resource
import stat
import struct
import subprocess
import sys
import warnings
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import attrs
import openpyxl
import pytest

import cpsdk
from cpsdk.workbook._archive import EXCEL_ROWS

#: Bounds every hostile read must stay within.
MEMORY_LIMIT = 1536 * 1024**2
TIME_LIMIT = 60
FORM = "national.summary"
MERGEABLE = next((f.id for f in cpsdk.list_forms() if isinstance(f, cpsdk.MergeableForm)), "national.summary")


def _valid(folder: Path) -> Path:
    form = cpsdk.get_form(FORM)
    report = form.build(cpsdk.example_dataset(seed=3, enterprises=16), year=2019, start_year=2016)
    return form.write(report, folder / "valid.xlsx")


def _rezip(source: Path, target: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """A copy of an xlsx with each part passed through ``change`` (None drops the part)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)
    return target


def _edit(source: Path, target: Path, edit: Callable[[openpyxl.Workbook], None]) -> Path:
    book = openpyxl.load_workbook(source)
    edit(book)
    book.save(target)
    return target


def _lying_sizes(source: Path, target: Path) -> Path:
    """A zip whose sheet inflates to 64 MiB of zeros while its headers declare 1 KiB (a disguised bomb)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data + b"\0" * (64 * 1024**2)
            new.writestr(info.filename, data)
    raw = bytearray(buffer.getvalue())
    declared = struct.pack("<I", 1024)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, central directory
        start = 0
        while (start := raw.find(signature, start)) != -1:
            name_length = struct.unpack_from("<H", raw, start + (26 if signature == b"PK\x03\x04" else 28))[0]
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if raw[name_at : name_at + name_length] == b"xl/worksheets/sheet1.xml":
                raw[start + offset : start + offset + 4] = declared
            start += 4
    target.write_bytes(bytes(raw))
    return target


def _declared_huge(source: Path, target: Path) -> Path:
    """A zip that declares a 4 GiB sheet (an honest bomb): refused before anything is inflated."""
    raw = bytearray(source.read_bytes())
    start = 0
    while (start := raw.find(b"PK\x01\x02", start)) != -1:
        raw[start + 24 : start + 28] = struct.pack("<I", 0xFFFFFFF0)
        start += 4
    target.write_bytes(bytes(raw))
    return target


def _entity(kind: str) -> Callable[[str, bytes], bytes | None]:
    def change(name: str, data: bytes) -> bytes | None:
        if name != "xl/worksheets/sheet1.xml":  # text is written inline in the sheet (rows are streamed)
            return data
        body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
        if kind == "expansion":
            prolog = (
                b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            )
        else:
            prolog = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        return prolog + body.replace(b"<t>", b"<t>&c;" if kind == "expansion" else b"<t>&x;", 1)

    return change


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _extra_rows(rows: str) -> Callable[[str, bytes], bytes | None]:
    """A change for :func:`_rezip` adding ``rows`` at the end of the first sheet's data."""

    def change(name: str, data: bytes) -> bytes | None:
        if name != "xl/worksheets/sheet1.xml":
            return data
        return data.replace(b"</sheetData>", rows.encode() + b"</sheetData>", 1)

    return change


def _inline(reference: str, text: str = "x", prefix: str = "") -> str:
    ref = f' r="{reference}"' if reference else ""
    return f'<{prefix}c{ref} t="inlineStr"><{prefix}is><{prefix}t>{text}</{prefix}t></{prefix}is></{prefix}c>'


def _shared_string_bomb(
    target: Path,
    *,
    length: int = 40 * 1024**2,
    cells: int = 200,
    cell: str = '<c r="A{i}" t="s"><v>0</v></c>',
    strings: str = "<si><t>{long}</t></si>",
    table: str = "xl/sharedStrings.xml",
    decoy: str | None = None,
) -> Path:
    """A workbook of a few KB whose one long shared string is named by many cells: each cell would be a copy.

    ``cell`` and ``strings`` shape the cells and the table; ``decoy``, a small table written first under the
    same name (a zip may hold two parts of one name).
    """
    rels = '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'{rels}<Relationship Id="r1" Type="{kind}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{kind}"><sheets><sheet name="S" sheetId="1" r:id="r1"/>'
            "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{rels}<Relationship Id="r1" Type="{kind}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="r2" Type="{kind}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
        rows = "".join(f'<row r="{i}">{cell.format(i=i)}</row>' for i in range(1, cells + 1))
        archive.writestr(
            "xl/worksheets/sheet1.xml", f'<worksheet xmlns="{_MAIN_NS}"><sheetData>{rows}</sheetData></worksheet>'
        )
        if decoy is not None:
            archive.writestr(table, f'<sst xmlns="{_MAIN_NS}">{decoy}</sst>')
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns of a duplicate name, which is the point
            archive.writestr(table, f'<sst xmlns="{_MAIN_NS}">{strings.format(long="x" * length)}</sst>')
    return target


def _renamed_part(source: Path, target: Path, old: str, new: str, rows: str) -> Path:
    """A copy of an xlsx whose part ``old`` is stored as ``new`` (and named so by the workbook), with ``rows`` added."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == old:
                copy.writestr(new, data.replace(b"</sheetData>", rows.encode() + b"</sheetData>", 1))
                continue
            if info.filename.endswith(".rels") or info.filename == "[Content_Types].xml":
                data = data.replace(old.removeprefix("xl/").encode(), new.removeprefix("xl/").encode())
            copy.writestr(info.filename, data)
    return target


def _corpus(folder: Path) -> dict[str, Path]:
    valid = _valid(folder)
    raw = valid.read_bytes()
    cases: dict[str, Path] = {}

    def file(name: str, content: bytes) -> None:
        path = folder / f"{name}.xlsx"
        path.write_bytes(content)
        cases[name] = path

    file("empty", b"")
    file("not-a-zip", b"just some text, not a workbook\n" * 100)
    file("truncated-zip", raw[: len(raw) // 2])
    file("xls-renamed", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    file("password-protected", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"EncryptedPackage".ljust(8192, b"\0"))
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    file("ods-renamed", ods.getvalue())
    cases["disguised-zip-bomb"] = _lying_sizes(valid, folder / "disguised-zip-bomb.xlsx")
    cases["declared-zip-bomb"] = _declared_huge(valid, folder / "declared-zip-bomb.xlsx")
    cases["entity-expansion"] = _rezip(valid, folder / "entity-expansion.xlsx", _entity("expansion"))
    cases["external-entity"] = _rezip(valid, folder / "external-entity.xlsx", _entity("external"))
    other = openpyxl.Workbook()
    other.active.title = "Sheet1"
    other.save(folder / "plain-workbook.xlsx")
    cases["plain-workbook"] = folder / "plain-workbook.xlsx"
    cases["missing-sheet"] = _edit(valid, folder / "missing-sheet.xlsx", _replace_sheet)
    cases["renamed-sheet"] = _edit(
        valid, folder / "renamed-sheet.xlsx", lambda b: setattr(b["汇总表"], "title", "Sheet")
    )
    cases["shifted-cells"] = _edit(valid, folder / "shifted-cells.xlsx", lambda b: b["汇总表"].insert_rows(1, 3))
    cases["merges-broken"] = _edit(
        valid,
        folder / "merges-broken.xlsx",
        lambda b: [b["汇总表"].unmerge_cells(str(r)) for r in list(b["汇总表"].merged_cells.ranges)],
    )
    cases["numbers-as-text"] = _edit(valid, folder / "numbers-as-text.xlsx", lambda b: _numbers_as_text(b["汇总表"]))
    cases["formulas-for-values"] = _edit(valid, folder / "formulas-for-values.xlsx", lambda b: _formulas(b["汇总表"]))
    cases["million-rows"] = _edit(valid, folder / "million-rows.xlsx", lambda b: b["汇总表"].cell(1_048_576, 1, "末行"))
    cases["long-cell"] = _edit(valid, folder / "long-cell.xlsx", lambda b: b["汇总表"].cell(5, 2, "长" * 32_767))
    cases["both-scripts"] = _edit(
        valid, folder / "both-scripts.xlsx", lambda b: b["汇总表"].cell(5, 2, "清潔生產 清洁生产")
    )
    cases["mixed-units"] = _edit(valid, folder / "mixed-units.xlsx", lambda b: b["汇总表"].cell(5, 4, "1.2 亿元"))
    cases["hostile-numbers"] = _edit(valid, folder / "hostile-numbers.xlsx", _hostile_numbers)
    # Workbooks of a few KB that make the native reader allocate without bound (it aborts the process).
    cases["cells-at-corners"] = _rezip(
        valid, folder / "cells-at-corners.xlsx", _extra_rows(f'<row r="1048576">{_inline("XFD1048576")}</row>')
    )
    cases["reference-past-limits"] = _rezip(
        valid, folder / "reference-past-limits.xlsx", _extra_rows(f'<row r="900">{_inline("ZZZZZZZZZZ900")}</row>')
    )
    cases["row-zero"] = _rezip(valid, folder / "row-zero.xlsx", _extra_rows(f'<row r="900">{_inline("A0")}</row>'))
    cases["cells-without-references"] = _rezip(
        valid, folder / "cells-without-references.xlsx", _extra_rows(f'<row r="1048576">{_inline("") * 40}</row>')
    )
    cases["namespaced-cells"] = _rezip(
        valid,
        folder / "namespaced-cells.xlsx",
        _extra_rows(f'<x:row xmlns:x="{_MAIN_NS}" r="1048576">{_inline("XFD1048576", prefix="x:")}</x:row>'),
    )
    cases["shared-string-bomb"] = _shared_string_bomb(folder / "shared-string-bomb.xlsx")
    # The native reader takes a cell's row from its row element, whatever the cell's own reference says.
    cases["row-element-places-cells"] = _rezip(
        valid,
        folder / "row-element-places-cells.xlsx",
        _extra_rows('<row r="1048576"><c r="A1"><v>1</v></c><c r="XFC1"><v>1</v></c><c><v>1</v></c></row>'),
    )
    # It finds parts whatever the case of their names.
    cases["upper-case-part"] = _renamed_part(
        valid,
        folder / "upper-case-part.xlsx",
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet1.XML",
        f'<row r="1048576">{_inline("XFD1048576")}</row>',
    )
    cases["quoted-shared-cells"] = _shared_string_bomb(
        folder / "quoted-shared-cells.xlsx", cell="<c r='A{i}' t = 's'><v>0</v></c>"
    )
    cases["value-split-by-comment"] = _shared_string_bomb(
        folder / "value-split-by-comment.xlsx",
        cell='<c r="A{i}" t="s"><v>1<!---->0</v></c>',
        strings="<si><t>a</t></si><si><t>{long}</t></si>",
    )
    cases["duplicate-parts"] = _shared_string_bomb(
        folder / "duplicate-parts.xlsx", decoy="<si><t>a</t></si>", strings="<si><t>{long}</t></si>"
    )
    # A million empty rows and more: read exactly (a cell without a reference), in seconds.
    cases["endless-rows"] = _rezip(
        valid, folder / "endless-rows.xlsx", _extra_rows(_inline("") + "<row/>" * (EXCEL_ROWS + 10))
    )
    # The identity sheet removed: the workbook no longer says what it is.
    cases["no-identity"] = _edit(valid, folder / "no-identity.xlsx", lambda b: b.remove(b["_cpsdk"]))
    return cases


def _replace_sheet(book: openpyxl.Workbook) -> None:
    book.create_sheet("其他")
    book.remove(book["汇总表"])


def _value_cells(sheet: openpyxl.worksheet.worksheet.Worksheet) -> list[openpyxl.cell.cell.Cell]:
    """The figures under the 数值 header."""
    header = next(cell for row in sheet.iter_rows() for cell in row if cell.value == "数值")
    column = header.column - 1
    return [
        row[column] for row in sheet.iter_rows(min_row=header.row + 1) if isinstance(row[column].value, (int, float))
    ]


def _numbers_as_text(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
    for cell in _value_cells(sheet):
        cell.value = str(cell.value)


def _formulas(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
    for cell in _value_cells(sheet)[:3]:
        cell.value = "=1+1"


def _hostile_numbers(book: openpyxl.Workbook) -> None:
    cells = _value_cells(book["汇总表"])
    for cell, text in zip(
        cells, ["NaN", "-Infinity", "1e308", "1" * 40, "１２３", "1,234.5", "1,23", "-0"], strict=False
    ):
        cell.value = text


def _limit_resources() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cpsdk", *args],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        preexec_fn=_limit_resources,
        env={**os.environ, "CPSDK_DEBUG": ""},
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _corpus(tmp_path_factory.mktemp("hostile"))


def test_the_corpus_has_every_kind_of_hostile_workbook(corpus: dict[str, Path]) -> None:
    assert len(corpus) >= 20


CASES = [
    "empty", "not-a-zip", "truncated-zip", "xls-renamed", "password-protected", "ods-renamed",
    "disguised-zip-bomb", "declared-zip-bomb", "entity-expansion", "external-entity", "no-identity",
    "plain-workbook", "missing-sheet", "renamed-sheet", "shifted-cells", "merges-broken", "numbers-as-text",
    "formulas-for-values", "million-rows", "long-cell", "both-scripts", "mixed-units", "hostile-numbers",
    "cells-at-corners", "reference-past-limits", "row-zero", "cells-without-references", "namespaced-cells",
    "shared-string-bomb", "row-element-places-cells", "upper-case-part", "quoted-shared-cells",
    "value-split-by-comment", "duplicate-parts", "endless-rows",
]  # fmt: skip


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("command", ["read", "validate", "merge"])
def test_a_hostile_workbook_gives_issues_or_one_clean_error(
    case: str, command: str, corpus: dict[str, Path], tmp_path: Path
) -> None:
    before = corpus[case].read_bytes()
    args = {
        "read": ("read", FORM, str(corpus[case]), "-o", str(tmp_path / "out.json")),
        "validate": ("validate", str(corpus[case])),
        "merge": ("merge", MERGEABLE, str(corpus[case]), "-o", str(tmp_path / "merged.xlsx")),
    }[command]
    result = _run(*args)
    assert result.returncode in (0, 1, 2), result.stderr[-2000:]
    assert "Traceback" not in result.stderr + result.stdout
    assert "internal error" not in result.stderr
    if result.returncode != 0:
        assert (result.stderr + result.stdout).strip(), "a refusal says why"
    assert corpus[case].read_bytes() == before  # inputs are never modified


EXPECTED_CODES = {
    # .xls and .ods are read now (cpsdk/workbook/_formats.py checks them first): these are not valid ones
    "xls-renamed": "workbook.corrupt",
    "password-protected": "workbook.corrupt",
    "ods-renamed": "workbook.corrupt",
    "truncated-zip": "workbook.corrupt",
    "disguised-zip-bomb": "workbook.corrupt",
    "declared-zip-bomb": "workbook.too-large",
    "entity-expansion": "workbook.dtd",
    "external-entity": "workbook.dtd",
    "cells-at-corners": "workbook.too-large",
    "reference-past-limits": "workbook.cell-out-of-range",
    "row-zero": "workbook.cell-out-of-range",
    "cells-without-references": "workbook.too-large",
    "namespaced-cells": "workbook.too-large",
    "shared-string-bomb": "workbook.too-large",
    "row-element-places-cells": "workbook.too-large",
    "upper-case-part": "workbook.too-large",
    "quoted-shared-cells": "workbook.too-large",
    "value-split-by-comment": "workbook.too-large",
    "duplicate-parts": "workbook.corrupt",
    "endless-rows": "workbook.cell-out-of-range",
}


@pytest.mark.parametrize(("case", "code"), EXPECTED_CODES.items())
def test_dangerous_files_are_refused_before_any_reader_touches_them(
    case: str, code: str, corpus: dict[str, Path]
) -> None:
    with pytest.raises(cpsdk.WorkbookError) as caught:
        cpsdk.get_form(FORM).read(corpus[case])
    assert [issue.code for issue in caught.value.issues] == [code]


def test_a_workbook_of_unknown_origin_or_another_form_is_refused_by_name(corpus: dict[str, Path]) -> None:
    with pytest.raises(cpsdk.WrongFormError):
        cpsdk.get_form(FORM).read(corpus["plain-workbook"])
    with pytest.raises(cpsdk.WrongFormError):
        cpsdk.get_form("national.indicators").read(corpus["numbers-as-text"])


def test_numbers_stored_as_text_are_read_exactly(corpus: dict[str, Path], tmp_path: Path) -> None:
    form = cpsdk.get_form(FORM)
    original = form.read(_valid(tmp_path))
    assert form.read(corpus["numbers-as-text"]) == original


def test_hostile_numbers_are_issues_or_exact(corpus: dict[str, Path]) -> None:
    report, issues = cpsdk.get_form(FORM).read_with_issues(corpus["hostile-numbers"])
    assert report is None
    flagged = {issue.cell for issue in issues if issue.code == "workbook.cell"}
    assert len(flagged) == 5  # NaN, -Infinity, 1e308, 40 digits, "1,23"; １２３, 1,234.5 and -0 are exact
    assert all(issue.sheet == "汇总表" for issue in issues)


def test_text_numbers_are_accepted_exactly_or_refused() -> None:
    from cpsdk.model._quantity import to_decimal

    assert to_decimal("１２３") == Decimal(123)
    assert to_decimal("1,234.5") == Decimal("1234.5")
    for bad in ("NaN", "inf", "1,23", "1e308", "1" * 40, "1.2 亿元"):
        with pytest.raises(ValueError):
            to_decimal(bad)


def test_a_workbook_is_inflated_once_however_often_it_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cpsdk.workbook import _archive

    path = _valid(tmp_path)
    calls: list[Path] = []
    real = _archive._verify_parts
    monkeypatch.setattr(_archive, "_verify_parts", lambda p: (calls.append(p), real(p))[1])
    form = cpsdk.form_of_workbook(FORM, path)
    form.read(path)
    assert len(calls) == 1
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(path.read_bytes()[:100])
    for _ in range(2):  # a refusal is never remembered
        with pytest.raises(cpsdk.WorkbookError):
            form.read(truncated)


def _refusal_of_sheet(path: Path, sheet: bytes) -> list[str]:
    """The codes with which a workbook of just ``sheet`` is refused before any reader touches it."""
    from cpsdk.workbook import _archive

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    with pytest.raises(cpsdk.WorkbookError) as caught:
        _archive.inspect_archive(path)
    return [issue.code for issue in caught.value.issues]


@pytest.mark.parametrize("mark", [b"<!DOCTYPE", b"<!ENTITY"])
@pytest.mark.parametrize("shift", [-9, -5, -1, 0, 3])
def test_a_dtd_split_between_the_chunks_it_is_inflated_in_is_still_found(
    mark: bytes, shift: int, tmp_path: Path
) -> None:
    at = (1 << 20) + shift  # parts are inflated a MiB at a time
    sheet = b"<!-- a comment -->".ljust(at, b" ") + mark + b' x "y">' + b"<worksheet/>"
    assert _refusal_of_sheet(tmp_path / f"split{shift}.xlsx", sheet) == ["workbook.dtd"]


def test_comments_and_cdata_are_not_taken_for_a_dtd(tmp_path: Path) -> None:
    from cpsdk.workbook import _reader

    path = tmp_path / "comments.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<!-- <!DOC --><x><![CDATA[<!ENTIT]]></x>" * 50_000)
    _reader.inspect_archive(path)  # no exception: nothing is refused


@pytest.mark.parametrize("shift", [-40, -9, -3, 0, 5])
def test_a_cell_past_the_grid_split_between_chunks_is_still_found(shift: int, tmp_path: Path) -> None:
    at = (1 << 20) + shift  # parts are inflated a MiB at a time
    head = f'<worksheet xmlns="{_MAIN_NS}"><sheetData><row r="1">'.encode()
    filler = _inline("A1").encode()
    body = head + filler * ((at - len(head)) // len(filler))
    body = body.ljust(at, b" ") + _inline("XFD1048576").encode() + b"</row></sheetData></worksheet>"
    assert _refusal_of_sheet(tmp_path / f"split{shift}.xlsx", body) == ["workbook.too-large"]


@pytest.mark.parametrize("shift", [-60, -8, -1, 0, 7])
def test_a_namespaced_cell_is_found_whatever_tag_the_chunk_cuts(shift: int, tmp_path: Path) -> None:
    at = (1 << 20) + shift  # parts are inflated a MiB at a time; a usual cell is cut there
    head = f'<worksheet xmlns="{_MAIN_NS}" xmlns:x="{_MAIN_NS}"><sheetData><row r="1">'
    head += _inline("XFD1048576", prefix="x:")
    filler = _inline("A1").encode()
    body = head.encode() + filler * ((at - len(head) - 8) // len(filler))
    body = body.ljust(at - 8, b" ") + filler * 2 + b"</row></sheetData></worksheet>"
    assert _refusal_of_sheet(tmp_path / f"seam{shift}.xlsx", body) == ["workbook.too-large"]


def test_the_usual_sheets_pass_the_cell_checks_and_wide_ones_are_read_exactly(tmp_path: Path) -> None:
    from cpsdk.workbook import _archive

    path = _shared_string_bomb(tmp_path / "small.xlsx", length=100, cells=50)  # shared strings well within bounds
    _archive.inspect_archive(path)
    wide = _rezip(_valid(tmp_path), tmp_path / "wide.xlsx", _extra_rows(f'<row r="5000">{_inline("AZ5000")}</row>'))
    _archive.inspect_archive(wide)  # beyond column Z, read exactly, and within bounds
    assert cpsdk.get_form(FORM).read_with_issues(wide)[0] is not None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_or_device_is_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(cpsdk.WorkbookError) as caught:
            cpsdk.get_form(FORM).read(path)
        assert [issue.code for issue in caught.value.issues] == ["workbook.not-a-file"]


# --- Datasets and the command line: inputs that explode, outputs that overwrite, errors that escape ---------------


def _dataset_with(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def _valid_document(seed: int = 3) -> dict[str, object]:
    return cpsdk.dump(cpsdk.example_dataset(seed=seed, enterprises=3))


def test_an_empty_record_is_one_issue_per_missing_field() -> None:
    loaded = cpsdk.parse({"version": "1.0", "enterprises": [{}]})
    pointers = [issue.pointer for issue in loaded.issues]
    assert len(pointers) == len(set(pointers)) == 4  # uscc, name, region, industry: each once


def test_issues_of_one_code_are_bounded_and_the_rest_counted() -> None:
    records = 2 * cpsdk.MAX_ISSUES_PER_CODE
    issues = cpsdk.validate({"version": "1.0", "enterprises": [{}] * records})
    required = [issue for issue in issues if issue.code == "schema.required"]
    assert len(required) == cpsdk.MAX_ISSUES_PER_CODE + 1
    closing = required[-1]
    assert closing.pointer is None and closing.is_error
    assert f"and {4 * records - cpsdk.MAX_ISSUES_PER_CODE} more" in closing.message_en


def test_validating_a_flood_of_empty_records_stays_within_memory(tmp_path: Path) -> None:
    # 3 MB of `{}`: 16 issues each once took more than 11 GB.
    path = _dataset_with(
        tmp_path, "flood.json", '{"version": "1.0", "enterprises": [' + ", ".join(["{}"] * 750_000) + "]}"
    )
    result = _run("validate", str(path))
    assert result.returncode == 1, result.stderr[-2000:]
    assert "more" in result.stdout and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0E-999999999", Decimal(0)),  # a zero is zero, whatever its exponent
        ("1E-999999", None),
        ("1e-400", None),
        ("1e-31", None),
        ("1e-30", Decimal("1e-30")),
        ("0.30000000000000004", Decimal("0.30000000000000004")),
        ("9e17 亿元", None),  # in bounds as written, past them in 万元
        ("9e13 万元", Decimal("9e13")),
    ],
)
def test_amounts_are_bounded_in_places_and_after_unit_conversion(amount: str, expected: Decimal | None) -> None:
    document = _valid_document()
    proposal = document["proposals"][0]  # type: ignore[index]
    proposal["investment"] = amount
    loaded = cpsdk.parse(document)
    found = [issue for issue in loaded.issues if issue.pointer == "/proposals/0/investment"]
    if expected is None:
        assert found and all(issue.is_error for issue in found), loaded.issues
    else:
        assert not found
        assert loaded.dataset.proposals[0].investment == expected


def test_a_zero_with_a_huge_exponent_is_written_in_no_time(tmp_path: Path) -> None:
    document = _valid_document()
    for proposal in document["proposals"]:  # type: ignore[union-attr]
        proposal["investment"] = "0E-999999999"
    path = _dataset_with(tmp_path, "zero.json", json.dumps(document))
    result = _run("emit", FORM, str(path), "-o", str(tmp_path / "out.xlsx"), "--year", "2019", "--draft")
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.parametrize("number", ["1e1000000000000000000", "-1E+99999999999999999999", "1" + "0" * 5000])
def test_a_json_number_no_decimal_holds_is_an_issue(number: str) -> None:
    text = '{"version": "1.0", "proposals": [{"investment": ' + number + "}]}"
    loaded = cpsdk.parse(text.encode())
    assert loaded.issues and loaded.issues[0].code == "input.json"


def test_a_key_given_twice_is_an_error_with_its_pointer() -> None:
    record = json.dumps(_valid_document()["enterprises"][0], ensure_ascii=False)  # type: ignore[index]
    twice = record[:-1] + ', "name": "另一个名称"}'
    text = '{"version": "1.0", "enterprises": [' + twice + '], "audits": [], "audits": []}'
    loaded = cpsdk.parse(text.encode())
    found = {(issue.code, issue.pointer) for issue in loaded.issues}
    assert ("input.duplicate-key", "/enterprises/0/name") in found
    assert ("input.duplicate-key", "/audits") in found
    assert not loaded.dataset.enterprises  # the ambiguous record is not kept


def test_a_key_given_twice_is_found_in_a_streamed_file_too(tmp_path: Path) -> None:
    enterprise = dict(_valid_document()["enterprises"][0])  # type: ignore[index]
    enterprise.pop("output_values", None)
    record = json.dumps(enterprise, ensure_ascii=False)
    nested = record[:-1] + ', "output_values": [{"year": 2015, "year": 2016, "amount": "1"}]}'
    path = _dataset_with(tmp_path, "twice.json", '{"version": "1.0", "enterprises": [' + record + ", " + nested + "]}")
    issues = cpsdk.validate(path)
    assert [issue.pointer for issue in issues if issue.code == "input.duplicate-key"] == [
        "/enterprises/1/output_values/0/year"
    ]


@pytest.mark.parametrize("text", ["a\\ud800b", "\\udfff", "x\\ufffe", "\\uffff"])
def test_text_no_file_can_store_is_an_issue_in_every_command(text: str, tmp_path: Path) -> None:
    document = json.dumps(_valid_document(), ensure_ascii=False)
    name = json.dumps(_valid_document()["enterprises"][0]["name"], ensure_ascii=False)  # type: ignore[index]
    path = _dataset_with(tmp_path, "surrogate.json", document.replace(name, f'"{text}"', 1))
    for args in (("validate", str(path)), ("emit", FORM, str(path), "-o", str(tmp_path / "o.xlsx"), "--year", "2019")):
        result = _run(*args)
        assert result.returncode == 1, result.stderr[-2000:]
        assert "U+" in result.stdout and "internal error" not in result.stderr


def test_a_key_no_file_can_store_prints_without_an_encoding_error(tmp_path: Path) -> None:
    path = _dataset_with(tmp_path, "key.json", '{"version": "1.0", "enterprises": [{"\\ud800": 1}]}')
    for fmt in ("text", "json"):
        result = _run("validate", str(path), "--format", fmt)
        assert result.returncode == 1, result.stderr[-2000:]
        assert "internal error" not in result.stderr


def test_terminal_escapes_in_the_input_are_printed_escaped(tmp_path: Path) -> None:
    path = _dataset_with(tmp_path, "esc.json", '{"version": "1.0", "enterprises": [{"\\u001b[2J\\u202e": 1}]}')
    result = _run("validate", str(path))
    assert result.returncode == 1
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "\\x1b[2J" in result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_or_device_is_not_read_as_a_dataset(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        issues = cpsdk.validate(path)  # returns at once: nothing is opened
        assert [issue.code for issue in issues] == ["input.not-a-file"]
        result = _run("validate", str(path))
        assert result.returncode == 1 and "not a regular file" in result.stdout


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("outputs")
    data = folder / "dataset.json"
    cpsdk.save(cpsdk.example_dataset(seed=3, enterprises=16), data)
    form = cpsdk.get_form(FORM)
    report = form.build(cpsdk.load(data), year=2019, start_year=2016)
    book = form.write(report, folder / "summary.xlsx")
    retrofit = next(f for f in cpsdk.list_forms() if getattr(f, "record_level", False))
    record_report, _ = cpsdk.build_report(retrofit, cpsdk.load(data), year=2019)
    records = retrofit.write(record_report, folder / "records.xlsx", draft=True)
    mergeable = cpsdk.get_form(MERGEABLE)
    merge_report, _ = cpsdk.build_report(mergeable, cpsdk.load(data), year=2019)
    part = mergeable.write(merge_report, folder / "part.xlsx", draft=True)
    return {"dataset": data, "workbook": book, "records": records, "record_form": Path(retrofit.id), "part": part}


def _commands_writing(files: dict[str, Path], output: str) -> list[tuple[str, ...]]:
    data, book, records = str(files["dataset"]), str(files["workbook"]), str(files["records"])
    record_form = str(files["record_form"])
    return [
        ("emit", FORM, data, "-o", output, "--year", "2019"),
        ("read", FORM, book, "-o", output),
        ("template", "-o", output, "--from", data),
        ("convert", record_form, records, record_form, "-o", output),
        ("merge", MERGEABLE, str(files["part"]), "-o", output, "--draft"),
    ]


@pytest.mark.parametrize("index", range(5))
def test_an_output_naming_an_input_is_refused(index: int, files: dict[str, Path], tmp_path: Path) -> None:
    inputs = {"emit": "dataset", "read": "workbook", "template": "dataset", "convert": "records", "merge": "part"}
    command = _commands_writing(files, "")[index][0]
    source = files[inputs[command]]
    link = tmp_path / "link"
    link.symlink_to(source)
    for output in (str(source), str(link), f"{source.parent}/./{source.name}"):
        args = _commands_writing(files, output)[index]
        before = source.read_bytes()
        result = _run(*args)
        assert result.returncode == 2, (args, result.stderr[-2000:])
        assert "inputs are never overwritten" in result.stderr
        assert source.read_bytes() == before
        assert link.is_symlink()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_an_output_that_is_a_device_or_pipe_is_refused(files: dict[str, Path], tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    to_fifo = tmp_path / "to-pipe.xlsx"
    to_fifo.symlink_to(fifo)
    to_null = tmp_path / "to-null.xlsx"
    to_null.symlink_to("/dev/null")
    for output in (fifo, to_fifo, to_null, Path("/dev/null")):
        for args in _commands_writing(files, str(output)):
            result = _run(*args)
            assert result.returncode == 2, (args, result.stderr[-2000:])
            assert "not a regular file" in result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and to_fifo.is_symlink() and to_null.is_symlink()
    with pytest.raises(cpsdk.OutputError):
        cpsdk.save(cpsdk.example_dataset(seed=1, enterprises=1), to_null)


def test_an_output_symlink_to_a_file_writes_that_file_and_stays_a_link(files: dict[str, Path], tmp_path: Path) -> None:
    real = tmp_path / "real.xlsx"
    real.write_bytes(b"old")
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    result = _run("emit", FORM, str(files["dataset"]), "-o", str(link), "--year", "2019")
    assert result.returncode == 0, result.stderr[-2000:]
    assert link.is_symlink() and real.read_bytes().startswith(b"PK")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--region", "nonsense"), "region code"),
        (("--region", "123456"), "region code"),
        (("--year", "0"), "from 1990 to 2100"),
        (("--year", str(10**29)), "from 1990 to 2100"),
        (("--year", "inf"), "from 1990 to 2100"),
        (("--layout-year", "-1"), "from 1990 to 2100"),
        (("--param", "no_such=1"), "it takes: "),
        (("--param", "start_year=99999999999999999999"), "from 1990 to 2100"),
        (("--year", "２０１９"), "from 1990 to 2100"),
    ],
)
def test_bad_command_line_values_are_usage_errors_saying_what_is_accepted(
    args: tuple[str, ...], says: str, files: dict[str, Path], tmp_path: Path
) -> None:
    result = _run("emit", FORM, str(files["dataset"]), "-o", str(tmp_path / "o.xlsx"), *args)
    assert result.returncode == 2, result.stderr[-2000:]
    assert says in result.stderr
    assert not (tmp_path / "o.xlsx").exists()


@pytest.mark.parametrize("case", ["workbook", "plain"])
def test_validate_and_emit_refuse_a_workbook_that_is_not_an_intake_workbook(
    case: str, files: dict[str, Path], tmp_path: Path
) -> None:
    path = files["workbook"]
    if case == "plain":
        path = tmp_path / "plain.xlsx"
        plain = openpyxl.Workbook()
        plain.active.append(["名称", "金额"])
        plain.save(path)
    for args in (("validate", str(path)), ("emit", FORM, str(path), "-o", str(tmp_path / "o.xlsx"))):
        result = _run(*args)
        assert result.returncode == 1, result.stderr[-2000:]
        assert "workbook.not-intake" in result.stdout
        assert ("cpsdk read national.summary" in result.stdout) == (case == "workbook")
    assert not (tmp_path / "o.xlsx").exists()


def test_a_record_of_a_million_faulty_items_is_bounded(tmp_path: Path) -> None:
    items = ", ".join(["{}"] * 300_000)
    path = _dataset_with(
        tmp_path, "items.json", '{"version": "1.0", "enterprises": [{"output_values": [' + items + "]}]}"
    )
    result = _run("validate", str(path))  # once took 2.4 GB and 15 s
    assert result.returncode == 1, result.stderr[-2000:]
    assert "schema.more-faults /enterprises/0" in result.stdout


@pytest.mark.parametrize(
    ("form", "param", "says"),
    [
        ("guangdong.city-summary", "share=abc", "from 0 to 100"),
        ("guangdong.city-summary", "share=nan", "from 0 to 100"),
        ("guangdong.city-summary", "share=1e-400", "from 0 to 100"),
        ("shandong.certificate", "min_no_low_rate=abc", "from 0 to 100"),
        ("shandong.certificate", "min_no_low_rate=-1", "from 0 to 100"),
        ("shandong.certificate", "require_acceptance=ture", "true or false"),
        ("shandong.plan-progress", "standards=inf", "at least 0"),
        ("shandong.plan-progress", "standards=1e400", "at least 0"),
    ],
)
def test_a_form_parameter_that_is_no_number_is_a_usage_error(
    form: str, param: str, says: str, files: dict[str, Path], tmp_path: Path
) -> None:
    result = _run("emit", form, str(files["dataset"]), "-o", str(tmp_path / "o.xlsx"), "--param", param)
    assert result.returncode == 2, result.stderr[-2000:]
    assert says in result.stderr and "internal error" not in result.stderr


def test_an_output_through_a_loop_or_into_no_folder_is_refused(files: dict[str, Path], tmp_path: Path) -> None:
    loop = tmp_path / "loop.xlsx"
    loop.symlink_to(loop)
    dangling = tmp_path / "dangling.xlsx"
    dangling.symlink_to(tmp_path / "no-such-folder" / "x.xlsx")
    for output in (loop, dangling):
        result = _run("emit", FORM, str(files["dataset"]), "-o", str(output), "--year", "2019")
        assert result.returncode == 2, result.stderr[-2000:]
        assert "cannot be written" in result.stderr
        assert output.is_symlink()


@pytest.mark.parametrize("blank", [" ", "\t", "\n", "\u3000", "\xa0"])
def test_text_of_spaces_is_refused_on_load_as_no_cell_gives_it_back(blank: str) -> None:
    document = _valid_document()
    document["proposals"][0]["progress"] = blank  # type: ignore[index]
    document["enterprises"][0]["main_products"] = ["产品", blank]  # type: ignore[index]
    found = {(issue.pointer, "item 2" in issue.message_en) for issue in cpsdk.parse(document).issues}
    assert {("/proposals/0/progress", False), ("/enterprises/0/main_products", True)} <= found


def test_an_intake_list_item_holding_a_line_break_is_refused_not_split(tmp_path: Path) -> None:
    from cpsdk.intake import write_intake

    dataset = cpsdk.example_dataset(seed=3, enterprises=2)
    enterprise = attrs.evolve(dataset.enterprises[0], main_products=("x", "a\nb"))
    changed = attrs.evolve(dataset, enterprises=(enterprise, *dataset.enterprises[1:]))
    with pytest.raises(cpsdk.ExcelLimitError, match="main_products"):
        write_intake(tmp_path / "intake.xlsx", changed)
    assert not (tmp_path / "intake.xlsx").exists()


def test_a_parameter_of_spaces_is_no_value_and_the_workbook_reads_back_untouched(
    files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "plan.xlsx"
    result = _run("emit", "sichuan.audit-plan", str(files["dataset"]), "-o", str(out), "--param", "contact_person= ")
    assert result.returncode in (0, 1), result.stderr[-2000:]
    if out.exists():
        read = _run("read", "sichuan.audit-plan", str(out))
        assert "workbook.modified" not in read.stdout


def test_an_object_of_many_keys_with_one_given_twice_is_found_in_linear_time() -> None:
    keys = ", ".join(f'"k{i}": 1' for i in range(200_000))
    loaded = cpsdk.parse(('{"version": "1.0", "enterprises": [{' + keys + ', "k1": 2}]}').encode())
    assert [(issue.code, issue.pointer) for issue in loaded.issues] == [("input.duplicate-key", "/enterprises/0/k1")]


def test_capped_keeps_each_code_within_its_bound_and_counts_the_rest() -> None:
    many = [cpsdk.warning("a.code", "甲", "a", pointer=f"/{n}") for n in range(5)]
    other = cpsdk.error("b.code", "乙", "b")
    kept = cpsdk.capped([*many, other, *many], per_code=3)
    assert [issue.code for issue in kept] == ["a.code"] * 3 + ["b.code", "a.code"]
    assert kept[-1].severity is cpsdk.Severity.WARNING and "and 7 more" in kept[-1].message_en
