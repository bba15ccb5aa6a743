"""Fuzzing the readers: mutated workbooks give issues or one clean error, never an uncaught exception.

Bounded for CI by the hypothesis profile (a quarter of its examples here, since each
one saves a workbook); ``HYPOTHESIS_PROFILE=thorough`` runs hundreds. The dataset
loader's fuzzing is in ``test_dataset.py``.
"""

from __future__ import annotations

import datetime
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cpsdk
from cpsdk.intake import write_intake

FUZZ = settings(max_examples=max(8, settings().max_examples // 4))

cell_values = st.one_of(
    st.none(),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=30),
    st.sampled_from(["=1+1", '=HYPERLINK("http://x")', "NaN", "1,23", "１２３", "2018年6月30日", "是", "有☑　无☐"]),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(2100, 1, 1)),
    st.booleans(),
)
edits = st.lists(st.tuples(st.integers(1, 40), st.integers(1, 16), cell_values), min_size=1, max_size=12)


def _mutate(source: Path, target: Path, changes: list[tuple[int, int, object]], sheet_index: int) -> Path:
    book = openpyxl.load_workbook(source)
    sheet = book.worksheets[sheet_index % len(book.worksheets)]
    for row, col, value in changes:
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            value = str(value)  # openpyxl cannot store them as numbers
        cell = sheet.cell(row, col)
        if not isinstance(cell, openpyxl.cell.cell.MergedCell):  # openpyxl writes only a merge's first cell
            cell.value = value
    book.save(target)
    return target


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("fuzz")
    paths = {}
    data = cpsdk.example_dataset(seed=5, enterprises=16)
    for form in cpsdk.list_forms():
        report, _ = cpsdk.build_report(form, data, year=2019)
        paths[f"{form.id}@{form.layout_year}"] = form.write(report, folder / f"{form.id}.xlsx", draft=True)
    paths["intake"] = write_intake(folder / "intake.xlsx", cpsdk.example_dataset(seed=5, enterprises=4))
    return paths


@FUZZ
@given(data=st.data())
def test_any_form_reads_a_mutated_workbook_without_an_uncaught_exception(
    data: st.DataObject, originals: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    key = data.draw(st.sampled_from(sorted(k for k in originals if k != "intake")))
    form_id, _, year = key.partition("@")
    form = cpsdk.get_form(form_id, layout_year=int(year))
    path = _mutate(
        originals[key], tmp_path_factory.mktemp("m") / "m.xlsx", data.draw(edits), data.draw(st.integers(0, 2))
    )
    try:
        report, issues = form.read_with_issues(path)  # type: ignore[attr-defined]
    except cpsdk.WorkbookError as exc:
        assert exc.issues
    else:
        assert report is not None or any(issue.is_error for issue in issues)


@FUZZ
@given(changes=edits, sheet=st.integers(1, 12))
def test_the_intake_reader_takes_any_mutation(
    changes: list[tuple[int, int, object]],
    sheet: int,
    originals: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    path = _mutate(originals["intake"], tmp_path_factory.mktemp("i") / "i.xlsx", changes, sheet)
    issues = cpsdk.validate(path)
    assert all(isinstance(issue, cpsdk.Issue) for issue in issues)


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8))
def test_flipped_bytes_give_one_clean_error_or_a_report(
    flips: list[tuple[int, int]], originals: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    raw = bytearray(originals["national.summary@2016"].read_bytes())
    for position, value in flips:
        raw[position % len(raw)] = value
    path = tmp_path_factory.mktemp("b") / "b.xlsx"
    path.write_bytes(bytes(raw))
    try:
        cpsdk.get_form("national.summary").read_with_issues(path)  # type: ignore[attr-defined]
    except cpsdk.WorkbookError as exc:
        assert exc.issues


KILLED_WRITER = """
import sys
import cpsdk
from cpsdk.intake import write_intake

dataset = cpsdk.example_dataset(seed=1, enterprises=60, proposals_per_audit=10)
print("ready", flush=True)
while True:
    write_intake(sys.argv[1], dataset)
"""


@pytest.mark.parametrize("delay", [0.05, 0.3, 0.8])
def test_a_write_killed_at_any_moment_leaves_the_previous_file_or_the_new_one(delay: float, tmp_path: Path) -> None:
    target = tmp_path / "intake.xlsx"
    target.write_bytes(b"previous")
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(target)], stdout=subprocess.PIPE, text=True, env=dict(os.environ)
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    content = target.read_bytes()
    if content != b"previous":
        assert not cpsdk.has_errors(cpsdk.parse(target).issues)  # a whole workbook, never a partial one


#: Values an attacker puts into a dataset's fields: amounts at and past every bound, text no file can hold,
#: markup, terminal escapes, and anything else JSON can say.
hostile_values = st.one_of(
    st.sampled_from(
        [
            "0E-999999999",
            "1E-999999",
            "1e-400",
            "9e17 亿元",
            "9e17",
            "1e18",
            "-0",
            "1,23",
            "NaN",
            {"value": "1e17", "unit": "亿元"},
            "\ud800",
            "a\udfffb",
            "\ufffe",
            "<r><f>1+1</f></r>",
            "\x1b[2J\u202e",
            '=HYPERLINK("http://x")',
            "",
            " ",
            "长" * 40_000,
        ]
    ),
    st.text(max_size=20),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
)


def _hostile_document(data: st.DataObject) -> bytes:
    document = cpsdk.dump(cpsdk.example_dataset(seed=7, enterprises=2))
    kinds = sorted(kind for kind, records in document.items() if isinstance(records, list) and records)
    for _ in range(data.draw(st.integers(0, 3))):
        kind = data.draw(st.sampled_from(kinds))
        record = data.draw(st.sampled_from(document[kind]))
        record[data.draw(st.sampled_from(sorted(record)))] = data.draw(hostile_values)
    text = json.dumps(document, ensure_ascii=True)  # lone surrogates as \ud800 escapes, as a file can hold them
    if data.draw(st.booleans()):  # a key given twice
        text = text.replace('"name": ', '"name": "x", "name": ', 1)
    if data.draw(st.booleans()):  # a number past what a Decimal holds
        text = text.replace('"version": "1.0"', '"version": "1.0", "n": 1e1000000000000000000', 1)
    return text.encode("ascii")


@FUZZ
@given(data=st.data())
def test_a_hostile_dataset_gives_issues_and_what_loads_is_written_and_read_back(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    raw = _hostile_document(data)
    loaded = cpsdk.parse(raw)
    issues = cpsdk.validate(raw)
    assert all(isinstance(issue, cpsdk.Issue) for issue in (*loaded.issues, *issues))
    for issue in issues:  # every issue prints, whatever the input held
        issue.render().encode("utf-8", "backslashreplace")
    if cpsdk.has_errors(issues):
        return
    form = cpsdk.get_form("national.summary")
    report = form.build(loaded.dataset, year=2019, start_year=2016)
    path = form.write(report, tmp_path_factory.mktemp("h") / "h.xlsx", draft=True)
    assert form.read(path) == report
