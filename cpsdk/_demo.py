"""``cpsdk demo``: an example dataset and every registered form's workbook built from it."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from cpsdk.base._errors import DatasetError
from cpsdk.base._issues import Issue, has_errors
from cpsdk.datasets._example import generate
from cpsdk.datasets._load import parse, save
from cpsdk.forms._form import Form, build_report
from cpsdk.forms._registry import plugins
from cpsdk.model._entities import Dataset

#: Enterprises of the demo's dataset (and a third more with a history): enough that a city's forms show a
#: dozen of them, few enough that the demo takes a few seconds.
DEMO_ENTERPRISES = 240


def demo_file_name(form: Form, forms: Sequence[Form]) -> str:
    """``<form id>.xlsx``; an older layout of a form with several is ``<form id>.<layout year>.xlsx``."""
    newest = max(f.layout_year for f in forms if f.id == form.id)
    return f"{form.id}.xlsx" if form.layout_year == newest else f"{form.id}.{form.layout_year}.xlsx"


def write_demo(folder: Path, seed: int, say: Callable[[str], None], progress_bar: Callable[[int], Any]) -> bool:
    """Write the example dataset and every form's workbook into ``folder``; False when a form failed.

    ``say`` prints a line of progress, ``progress_bar(n)`` makes a bar of ``n`` steps (its ``step(message)``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    dataset = generate(seed=seed, enterprises=DEMO_ENTERPRISES)
    dataset_path = folder / "dataset.json"
    save(dataset, dataset_path)
    say(
        f"wrote {dataset_path} ({len(dataset.enterprises)} enterprises, {len(dataset.audits)} audits, "
        f"{len(dataset.proposals)} proposals)"
    )
    failures = 0
    loaded = parse(dataset_path, digest=True)  # the forms are built from the file as a user would load it
    if has_errors(loaded.issues):
        raise DatasetError(f"{dataset_path} cannot be loaded", loaded.issues)
    written = loaded.dataset
    forms = plugins().forms().all()
    years = _data_years(written)
    progress = progress_bar(len(forms))
    summary: list[str] = []
    for form in forms:
        target = folder / demo_file_name(form, forms)
        try:
            params, report, notes = _at_work(form, forms, written, years)
            checked = form.check(report)
            issues = [*notes, *checked]
            form.write(report, target, draft=has_errors(issues), input_sha256=loaded.sha256, issues=checked)
            progress.step(f"wrote {target}" + (" (draft: the report has errors)" if has_errors(issues) else ""))
            summary.append(_demo_line(target, form, report, params, has_errors(issues)))
        except Exception as exc:  # noqa: BLE001 - one form's failure must not stop the others
            failures += 1
            progress.step(f"could not write {target} ({form.plugin}): {type(exc).__name__}: {exc}")
    print(f"demo written to {folder}:")
    print("\n".join(summary))
    print(
        f"Look first at {folder / 'sichuan.annual-report.xlsx'} (附件3, every figure computed from the records);\n"
        f"to see the workbooks as printed: {_render_command(folder)}"
    )
    return not failures


def _render_command(folder: Path) -> str:
    """The command that prints ``folder``'s workbooks to PDF and PNG pages, runnable from any directory: the
    source tree's ``tools/render-workbook`` when cpsdk runs from one, LibreOffice itself otherwise."""
    pages = (folder / "pages").resolve()
    tool = Path(__file__).resolve().parents[1] / "tools" / "render-workbook"
    if tool.is_file():
        return f"{tool} {pages} {folder.resolve()}/*.xlsx"
    return f"soffice --headless --calc --convert-to pdf --outdir {pages} {folder.resolve()}/*.xlsx"


def _data_years(dataset: Dataset) -> list[int]:
    """The years in which the dataset's audits were confirmed, evaluated or accepted, latest first (a year only
    planned for has nothing yet to report)."""
    found = {
        day.year
        for audit in dataset.audits
        for day in (audit.confirmed_on, audit.evaluated_on, audit.accepted_on)
        if day is not None
    }
    return sorted(found, reverse=True)


def _at_work(
    form: Form, forms: Sequence[Form], dataset: Dataset, years: Sequence[int]
) -> tuple[dict[str, Any], Any, list[Issue]]:
    """The parameters, report and notes that show ``form`` at work on ``dataset``.

    The form's own example parameters (its ``example_params``, e.g. a city for a city's form) when it names
    them; a form that takes a ``year`` gets, of the data's years in which its layout is in force (from its
    layout year to the next layout's), the one whose report shows the most (figures other than 0 and rows;
    the latest of equals), and shows something if any does.
    """
    params = dict(form.example_params)
    if "year" not in form.parameters or "year" in params:
        report, notes = build_report(form, dataset, **params)
        return params, report, notes
    later = [f.layout_year for f in forms if f.id == form.id and f.layout_year > form.layout_year]
    in_force = [y for y in years if form.layout_year <= y < min(later, default=10_000)] or [form.layout_year]
    chosen: tuple[dict[str, Any], Any, list[Issue]] | None = None
    most = -1
    for year in in_force:  # latest first: of years showing as much, the latest
        report, notes = build_report(form, dataset, **params, year=year)
        shown = _shown(report) if not report_is_empty(report) else -1
        if shown > most or chosen is None:
            chosen, most = ({**params, "year": year}, report, notes), shown
    assert chosen is not None
    return chosen


def report_is_empty(report: Any) -> bool:
    """Whether a report shows nothing of the data: every table without a row that shows something (a figure
    other than 0, a date, or only text: a record listed), and every figure outside tables 0. Its own header
    (region, year, the day it is judged on) does not count."""
    if not attrs.has(type(report)):
        return False
    return not any(
        _shows(getattr(report, field.name), top=True)
        for field in attrs.fields(type(report))
        if field.name not in _HEADER_FIELDS
    )


#: A report's fields that say what it is for, not what it shows.
_HEADER_FIELDS = frozenset({"year", "start_year", "end_year"})


def _shows(value: Any, *, top: bool = False) -> bool:
    if isinstance(value, tuple):
        return any(_row_shows(item) for item in value)
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return value != 0
    if attrs.has(type(value)):
        return any(_shows(getattr(value, field.name)) for field in attrs.fields(type(value)))
    return isinstance(value, datetime.date) and not top


def _row_shows(row: Any) -> bool:
    """Whether a table's row shows something: a figure other than 0, a date, or, holding no figure at all,
    its text (a fixed line of labels and zeros does not)."""
    if not attrs.has(type(row)):
        return _shows(row)
    values = [getattr(row, field.name) for field in attrs.fields(type(row))]
    figures = [v for v in values if isinstance(v, (int, Decimal)) and not isinstance(v, bool)]
    return any(_shows(v) for v in values) or (not figures and any(isinstance(v, str) and v for v in values))


def _shown(value: Any) -> int:
    """How much a report shows: its figures other than 0, dates, and rows of text only, counted one by one."""
    if isinstance(value, tuple):
        return sum(_shown(row) if not _text_only(row) else 1 for row in value)
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return int(value != 0)
    if attrs.has(type(value)):
        return sum(_shown(getattr(value, field.name)) for field in attrs.fields(type(value)))
    return int(isinstance(value, datetime.date))


def _text_only(row: Any) -> bool:
    if not attrs.has(type(row)):
        return False
    values = [getattr(row, field.name) for field in attrs.fields(type(row))]
    return not any(isinstance(v, (int, Decimal, datetime.date)) for v in values) and any(
        isinstance(v, str) and v for v in values
    )


def _shown_rows(report: Any) -> int:
    """The rows of a report's tables that show something (:func:`_row_shows`)."""
    if not attrs.has(type(report)):
        return 0
    return sum(
        sum(1 for row in value if _row_shows(row))
        for value in (getattr(report, field.name) for field in attrs.fields(type(report)))
        if isinstance(value, tuple)
    )


def _demo_line(target: Path, form: Form, report: Any, params: dict[str, Any], draft: bool) -> str:
    """One line of the demo's summary: the workbook, its form, the parameters it was built with, and how many
    rows its tables hold."""
    rows = _shown_rows(report)
    shown = f"{rows} row(s)" if rows else "figures only"
    if params:
        shown += "; " + ", ".join(f"{key}={value}" for key, value in sorted(params.items()))
    return f"  {target.name:<42} {form.title}  ({shown}{', draft' if draft else ''})"
