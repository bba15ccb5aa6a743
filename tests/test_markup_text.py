"""Text shaped like the XML of a workbook stays text, and every text reads back exactly.

xlsxwriter writes a string that begins with ``<r>`` and ends with ``</r>`` unescaped, as if it
were its own rich-text XML, and its escapes of ``_xHHHH_`` are not all undone on reading: such
dataset text came out as live formulas, malformed sheets or changed text. Every form, the issues
sheet, cell comments and the intake workbook are checked here: no formula anywhere, every part
well-formed XML, and the text read back equal. Also the limits around text and dates: what no
cell can hold is refused (never cut or changed), a date Excel cannot hold reads back exactly.
"""

from __future__ import annotations

import datetime
import functools
import re
import tempfile
import typing
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
import python_calamine
import xlsxwriter
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import cpsdk
from cpsdk.cli import main
from cpsdk.datasets._example import generate
from cpsdk.forms._form import build_report
from cpsdk.forms._registry import plugins
from cpsdk.intake import intake_sheets, write_intake
from cpsdk.model._entities import NAME, TEXT
from cpsdk.workbook._text_cells import TextCells, fit_text, is_plain
from cpsdk.workbook._values import cell_date

#: The shapes that broke: a formula, sheet XML closed and reopened, escapes, XML's own specials.
PAYLOADS = (
    '<r><f>HYPERLINK("http://x","y")</f></r>',
    "<r></t></is><f>1+1</f><is><t></r>",
    "<r>]]>&amp;\"'<![CDATA[x]]></r>",
    "<r><rPr><b/></rPr><t>粗体</t></r>",
    "<r>_x0041_\x01\r\t</r>",
    "_x005F_x0041_",
    "_x0041\x01",
    "__x0041_x0042_",
)
#: What a list cell of a form or the intake separates items with (an item holding one reads back as two).
_SEPARATORS = re.compile("[、,，;；\n]")
_PIECES = (
    "<r>",
    "</r>",
    "<t>",
    "</t>",
    "<is>",
    "</is>",
    "<f>",
    "</f>",
    "<v>1</v>",
    "]]>",
    "&",
    "&amp;",
    "&#95;",
    '"',
    "'",
    "<",
    ">",
    "_",
    "_x",
    "_x0041_",
    "_x005F_",
    "_x0000_",
    "_xFFFE_",
    "_xD800_",
    "x0041_",
    "\x00",
    "\x01",
    "\x0b",
    "\x1f",
    "\r",
    "\t",
    "\n",
    " ",
    'HYPERLINK("http://x","y")',
    "=1+1",
    "清洁生产",
)
_CHARACTERS = st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\ufffe\uffff")
_INNER = st.lists(st.sampled_from(_PIECES) | st.text(_CHARACTERS, max_size=3), max_size=6).map("".join)


def _wrapped(inner: str) -> str:
    return f"<r>{inner}</r>"


#: Texts xlsxwriter would take for its own XML.
wrapped_texts = _INNER.map(_wrapped)
#: Those, and texts holding Excel's escapes and control characters: not blank (a blank cell reads as none).
markup_texts = wrapped_texts | _INNER.filter(lambda text: text.strip() != "")
#: The same for one item of a list cell: no separator.
markup_items = _INNER.map(lambda inner: _wrapped(_SEPARATORS.sub("", inner)))


def _without_nul(texts: list[str]) -> list[str]:
    """For the forms: Guangdong's traditional script is made by OpenCC, which ends a text at U+0000 (the
    report then holds less, or an empty text that reads back as none). The intake and the sheet test keep it."""
    return texts


# --- the datasets and forms ------------------------------------------------------------------------------------


def _free_text_fields(cls: type) -> list[tuple[str, bool]]:
    """The fields of a record class that hold free text (not ids, codes or references), and whether each is
    a list of texts."""
    hints = typing.get_type_hints(cls)
    fields = []
    for field in attrs.fields(cls):
        schema = field.metadata.get("schema")
        if schema in (NAME, TEXT) or field.name == "contact_phone":
            fields.append((field.name, False))
        elif hints[field.name] == tuple[str, ...] and field.name != "key_industries":
            fields.append((field.name, True))
    return fields


_KINDS = [field.name for field in attrs.fields(cpsdk.Dataset) if field.name != "version"]


@functools.cache
def _base() -> cpsdk.Dataset:
    return generate(seed=5, enterprises=16, proposals_per_audit=3)


def _filled(texts: list[str], items: list[str]) -> cpsdk.Dataset:
    """The example dataset with every free-text field of every record holding one of ``texts`` (a list, one
    of ``items``), in turn."""
    dataset: Any = _base()
    turn = 0
    changes: dict[str, tuple[Any, ...]] = {}
    for kind in _KINDS:
        records = list(getattr(dataset, kind))
        if not records:
            continue
        fields = _free_text_fields(type(records[0]))
        changed = []
        for record in records:
            values: dict[str, Any] = {}
            for name, is_list in fields:
                turn += 1
                values[name] = (items[turn % len(items)],) if is_list else texts[turn % len(texts)]
            changed.append(attrs.evolve(record, **values))
        changes[kind] = tuple(changed)
    filled: cpsdk.Dataset = attrs.evolve(dataset, **changes)
    return filled


def _builds(dataset: cpsdk.Dataset) -> Iterator[tuple[Any, Any]]:
    """Every registered form with its report of ``dataset`` (Guangdong's in both scripts)."""
    year = max(audit.confirmed_on.year for audit in dataset.audits if audit.confirmed_on)
    for form in plugins().forms().all():
        scripts: tuple[dict[str, str], ...] = ({},)
        if "script" in attrs.fields_dict(form.report_type):
            scripts = ({}, {"script": "hant"})
        for script in scripts:
            try:
                report, _ = build_report(form, dataset, year=year, **script)
            except cpsdk.NoRecordsError:
                continue
            yield form, report


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from _strings(getattr(value, field.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _strings(item)


def _check_parts(path: Path) -> None:
    """Every XML part of the workbook is well-formed, and no sheet or shared string holds a formula."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.endswith((".xml", ".rels", ".vml")):
                continue
            root = ET.fromstring(archive.read(name))  # raises for malformed XML
            if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml":
                formulas = [element for element in root.iter() if element.tag.rpartition("}")[2] == "f"]
                assert not formulas, f"{path.name}: {name} holds a formula"


def _sheet_rows(path: Path, sheet: str) -> list[list[Any]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        return book.get_sheet_by_name(sheet).to_python()
    finally:
        book.close()


_BOUNDED = settings(
    max_examples=4,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_BOUNDED
@given(
    first=wrapped_texts, texts=st.lists(markup_texts, max_size=4), items=st.lists(markup_items, min_size=1, max_size=2)
)
@example(first=PAYLOADS[0], texts=list(PAYLOADS[1:]), items=["<r>a</t>b</r>", "<r>_x0041_\x01</r>"])
@example(first="<r> </r>", texts=[" 前后有空格 ", "\x0b竖表\x0b", "\t<r>x</r>\n"], items=["<r>a</r>"])
# A name holding a line break, printed in a header above its unit's own line (Sichuan 附件3's 种类1（吨）)
@example(first="<r></r>", texts=["<r></r>", "<r></r>", "<r></r>", "<r>\n</r>"], items=["<r></r>"])
def test_markup_in_every_text_field_of_every_form_stays_text_and_reads_back(
    first: str, texts: list[str], items: list[str]
) -> None:
    dataset = _filled(_without_nul([first, *texts]), _without_nul(items))
    shown = 0
    with tempfile.TemporaryDirectory() as folder:
        for number, (form, report) in enumerate(_builds(dataset)):
            path = form.write(report, Path(folder) / f"{number}.xlsx", draft=True)  # with its issues and notes
            _check_parts(path)
            assert form.read(path) == report, form.id
            shown += _without_nul([first])[0] in set(_strings(report))
    assert shown, "no form shows the text"


@_BOUNDED
@given(texts=st.lists(markup_texts, min_size=1, max_size=5), items=st.lists(markup_items, min_size=1, max_size=2))
@example(texts=list(PAYLOADS), items=["<r>a</t>b</r>", "<r>_x0041_\x01</r>"])
def test_markup_in_every_text_field_of_the_intake_stays_text_and_reads_back(texts: list[str], items: list[str]) -> None:
    dataset = _filled(texts, items)
    with tempfile.TemporaryDirectory() as folder:
        path = write_intake(Path(folder) / "intake.xlsx", dataset)
        _check_parts(path)
        assert cpsdk.parse(path).dataset == dataset


# --- each place, one payload at a time ------------------------------------------------------------------------------


def _roundtrip(form_id: str, report: Any, path: Path) -> Any:
    form = cpsdk.get_form(form_id)
    written = form.write(report, path, draft=True)
    _check_parts(written)
    return form.read(written)


@pytest.mark.parametrize("text", PAYLOADS)
def test_an_enterprise_name(text: str, tmp_path: Path) -> None:
    form: Any = cpsdk.get_form("sichuan.audit-plan")
    report = form.build(generate(seed=2, enterprises=16), region="51")
    report = attrs.evolve(report, rows=(attrs.evolve(report.rows[0], name=text), *report.rows[1:]))
    assert _roundtrip(form.id, report, tmp_path / "plan.xlsx").rows[0].name == text


@pytest.mark.parametrize("text", PAYLOADS)
def test_a_proposal_s_progress(text: str, tmp_path: Path) -> None:
    form = cpsdk.get_form("sichuan.retrofit-plan")
    report = form.build(generate(seed=3, enterprises=16), year=2018)
    row = attrs.evolve(report.rows[0], progress=text, project=text)
    back = _roundtrip(form.id, attrs.evolve(report, rows=(row, *report.rows[1:])), tmp_path / "retrofit.xlsx")
    assert (back.rows[0].progress, back.rows[0].project) == (text, text)


@pytest.mark.parametrize("text", PAYLOADS)
def test_a_grid_cell_and_the_issues_sheet_and_the_notes_of_a_draft(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form: Any = cpsdk.get_form("sichuan.audit-plan")
    report = form.build(generate(seed=2, enterprises=16), region="51")
    report = attrs.evolve(report, contact_person=text)
    issue = cpsdk.Issue(
        code="test.markup",
        severity=cpsdk.Severity.ERROR,
        message_zh=f"名称有误：{text}",
        message_en=text,
        sheet=form.layout().sheets[0].name,
        cell="B5",
        source=text,
    )
    monkeypatch.setattr(type(form), "check", lambda self, report: [issue])
    path = form.write(report, tmp_path / "draft.xlsx", draft=True)
    _check_parts(path)
    assert form.read(path) == report
    rows = _sheet_rows(path, "问题清单")
    assert rows[1][1:] == ["test.markup", issue.where, issue.message_zh, text, text]
    with zipfile.ZipFile(path) as archive:
        notes = [name for name in archive.namelist() if name.startswith("xl/comments")]
    assert notes  # the issue's note on its cell


@pytest.mark.parametrize("text", PAYLOADS[:4])  # openpyxl, which edits the file here, writes these exactly
def test_convert_of_a_hand_edited_workbook(text: str, tmp_path: Path) -> None:
    source_form: Any = cpsdk.get_form("sichuan.audit-plan")
    report = source_form.build(generate(seed=2, enterprises=16), region="51")
    source = source_form.write(report, tmp_path / "plan.xlsx")
    book = openpyxl.load_workbook(source)
    sheet = book[source_form.layout().sheets[0].name]
    cell = next(cell for row in sheet.iter_rows() for cell in row if cell.value == report.rows[0].name)
    cell.value = text
    book.save(source)
    out = tmp_path / "filings.xlsx"
    assert (
        main(["convert", "sichuan.audit-plan", str(source), "guangdong.filings", "-o", str(out), "--year", "2018"]) == 0
    )
    _check_parts(out)
    assert text in [row.enterprise for row in cpsdk.get_form("guangdong.filings").read(out).rows]


def test_each_payload_through_one_sheet_in_both_of_xlsxwriter_s_modes(tmp_path: Path) -> None:
    texts = [
        *PAYLOADS,
        "a\r\nb",
        "\x00",
        " <r> </r> ",
        "😀_x0041_",
        "_x00e9_\x02",
        "x_x1234_x_x5678",
        "_xABCD",
        "纯文本",
    ]
    for constant_memory in (True, False):
        path = tmp_path / f"{constant_memory}.xlsx"
        with xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory}) as book:
            sheet = book.add_worksheet("s")
            bold = book.add_format({"bold": True, "font_name": "宋体"})
            cells = TextCells(sheet)
            assert cells._internal  # this xlsxwriter: the rich string is made past its public method
            for row, text in enumerate(texts):
                cells.write(row, 0, text, bold if row % 2 else None)
        _check_parts(path)
        assert [row[0] for row in _sheet_rows(path, "s")] == texts
    assert is_plain("纯文本") and is_plain("a_xyz") and is_plain("\x01") and not is_plain("_x0041_")


# --- what no cell can hold, and dates Excel cannot ------------------------------------------------------------------


@pytest.mark.parametrize(("text", "says"), [("a\ufffeb", "U+FFFE"), ("\uffff", "U+FFFF"), ("a\ud800", "U+D800")])
def test_a_character_no_xlsx_can_hold_is_refused_before_any_file_is_written(
    text: str, says: str, tmp_path: Path
) -> None:
    form = cpsdk.get_form("sichuan.retrofit-plan")
    report = form.build(generate(seed=3, enterprises=16), year=2018)
    report = attrs.evolve(report, rows=(attrs.evolve(report.rows[0], progress=text), *report.rows[1:]))
    if not text.endswith("\ud800"):  # a lone surrogate already fails the report's hash (UnicodeEncodeError)
        with pytest.raises(cpsdk.ExcelLimitError, match=rf"cell 改造计划!\w+ holds {re.escape(says)}"):
            form.write(report, tmp_path / "x.xlsx", draft=True)
    refused = pytest.raises(cpsdk.ExcelLimitError, match=rf"cell s!B3 holds {re.escape(says)}")
    with xlsxwriter.Workbook(str(tmp_path / "sheet.xlsx"), {"constant_memory": True}) as book, refused:
        TextCells(book.add_worksheet("s")).write(2, 1, text)
    (tmp_path / "sheet.xlsx").unlink()
    dataset = attrs.evolve(
        _base(), proposals=(attrs.evolve(_base().proposals[0], progress=text), *_base().proposals[1:])
    )
    with pytest.raises(cpsdk.ExcelLimitError, match=rf"/proposals/0/progress .*项目进度.*{re.escape(says)}"):
        write_intake(tmp_path / "intake.xlsx", dataset)
    assert list(tmp_path.iterdir()) == []


def test_too_long_a_text_is_refused_by_the_intake_never_cut(tmp_path: Path) -> None:
    proposal = attrs.evolve(_base().proposals[2], progress="长" * 40_000)
    dataset = attrs.evolve(_base(), proposals=(*_base().proposals[:2], proposal, *_base().proposals[3:]))
    with pytest.raises(cpsdk.ExcelLimitError, match=r"/proposals/2/progress .*40000 characters; Excel allows 32767"):
        write_intake(tmp_path / "intake.xlsx", dataset)
    assert list(tmp_path.iterdir()) == []
    fits = attrs.evolve(_base(), proposals=(attrs.evolve(proposal, progress="长" * 32_767), *_base().proposals[3:]))
    assert cpsdk.parse(write_intake(tmp_path / "intake.xlsx", fits)).dataset == fits


def test_length_is_counted_as_excel_counts_it(tmp_path: Path) -> None:
    form = cpsdk.get_form("sichuan.retrofit-plan")
    report = form.build(generate(seed=3, enterprises=16), year=2018)
    wide = "😀" * 20_000  # 20,000 characters, 40,000 UTF-16 units: xlsxwriter would cut it in silence
    report = attrs.evolve(report, rows=(attrs.evolve(report.rows[0], progress=wide), *report.rows[1:]))
    with pytest.raises(cpsdk.ExcelLimitError, match="40000 characters"):
        form.write(report, tmp_path / "x.xlsx", draft=True)
    assert fit_text(wide) == "😀" * 16_383 and fit_text("a\ufffe\ud800") == "a\ufffd\ufffd"


def test_a_diagnostic_with_a_character_no_xlsx_can_hold_is_shown_not_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form: Any = cpsdk.get_form("sichuan.audit-plan")
    report = form.build(generate(seed=2, enterprises=16), region="51")
    issue = cpsdk.Issue(
        code="test.odd",
        severity=cpsdk.Severity.WARNING,
        message_zh="值“a\ufffe”有误",
        message_en="odd value 'a\ud800'",
        sheet=form.layout().sheets[0].name,
        cell="B5",
    )
    monkeypatch.setattr(type(form), "check", lambda self, report: [issue])
    path = form.write(report, tmp_path / "draft.xlsx", draft=True)
    _check_parts(path)
    assert _sheet_rows(path, "问题清单")[1][3:5] == ["值“a\ufffd”有误", "odd value 'a\ufffd'"]


EARLY_DAYS = (
    datetime.date(1, 1, 1),
    datetime.date(218, 6, 30),
    datetime.date(1899, 12, 30),
    datetime.date(1899, 12, 31),
    datetime.date(1900, 1, 1),
    datetime.date(1900, 2, 28),
    datetime.date(1900, 3, 1),
)


@pytest.mark.parametrize("day", EARLY_DAYS)
def test_a_date_excel_cannot_hold_reads_back_exactly(day: datetime.date, tmp_path: Path) -> None:
    form = cpsdk.get_form("sichuan.retrofit-plan")
    report = form.build(generate(seed=3, enterprises=16), year=2018)
    rows = (attrs.evolve(report.rows[0], planned_completion=day), *report.rows[1:])
    assert _roundtrip(form.id, attrs.evolve(report, rows=rows), tmp_path / "x.xlsx").rows[0].planned_completion == day
    proposals = _base().proposals
    dataset = attrs.evolve(_base(), proposals=(attrs.evolve(proposals[0], started_on=day), *proposals[1:]))
    assert cpsdk.parse(write_intake(tmp_path / "intake.xlsx", dataset)).dataset == dataset


def test_a_date_typed_as_excel_s_day_number_counts_its_false_leap_day() -> None:
    assert cell_date(1) == datetime.date(1900, 1, 1)
    assert cell_date(59) == datetime.date(1900, 2, 28)
    assert cell_date(61) == datetime.date(1900, 3, 1)
    assert cell_date(43281.0) == datetime.date(2018, 6, 30)
    for number in (0, 60, -1, 2958466):
        with pytest.raises(ValueError):
            cell_date(number)


def test_the_intake_columns_of_free_text_are_the_ones_filled_here() -> None:
    """The test above fills what the intake holds: every text column of a record is a free-text field here,
    or an id, code or reference."""
    for sheet in intake_sheets():
        records = getattr(_base(), sheet.kind)
        if not records:
            continue
        free = {name for name, _ in _free_text_fields(type(records[0]))}
        texts = {column.key for column in sheet.columns if column.kind in ("text", "list")}
        assert free <= texts, sheet.kind


def test_traditional_script_keeps_text_after_a_nul() -> None:
    from cpsdk.base._script import simplified, traditional

    assert traditional("清洁\x00生产\x00") == "清潔\x00生產\x00"  # OpenCC alone stops at the first NUL
    assert simplified("清潔\x00生產") == "清洁\x00生产"
