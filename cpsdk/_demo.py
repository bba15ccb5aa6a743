"""``cpsdk demo``: an example dataset and every registered form's workbook built from it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs

from cpsdk.base._errors import DatasetError
from cpsdk.base._issues import has_errors
from cpsdk.datasets._example import generate
from cpsdk.datasets._load import parse, save
from cpsdk.forms._form import Form, build_report
from cpsdk.forms._registry import plugins


def demo_file_name(form: Form, forms: Sequence[Form]) -> str:
    """``<form id>.xlsx``; an older layout of a form with several is ``<form id>.<layout year>.xlsx``."""
    newest = max(f.layout_year for f in forms if f.id == form.id)
    return f"{form.id}.xlsx" if form.layout_year == newest else f"{form.id}.{form.layout_year}.xlsx"


def write_demo(folder: Path, seed: int, say: Callable[[str], None], progress_bar: Callable[[int], Any]) -> bool:
    """Write the example dataset and every form's workbook into ``folder``; False when a form failed.

    ``say`` prints a line of progress, ``progress_bar(n)`` makes a bar of ``n`` steps (its ``step(message)``).
    """
    folder.mkdir(parents=True, exist_ok=True)
    dataset = generate(seed=seed)
    dataset_path = folder / "dataset.json"
    save(dataset, dataset_path)
    say(
        f"wrote {dataset_path} ({len(dataset.enterprises)} enterprises, {len(dataset.audits)} audits, "
        f"{len(dataset.proposals)} proposals)"
    )
    years = [a.confirmed_on.year for a in dataset.audits if a.confirmed_on]
    year = max(years) if years else None
    failures = 0
    loaded = parse(dataset_path, digest=True)  # the forms are built from the file as a user would load it
    if has_errors(loaded.issues):
        raise DatasetError(f"{dataset_path} cannot be loaded", loaded.issues)
    written = loaded.dataset
    forms = plugins().forms().all()
    progress = progress_bar(len(forms))
    summary: list[str] = []
    for form in forms:
        target = folder / demo_file_name(form, forms)
        try:
            report, notes = build_report(form, written, year=year)
            checked = form.check(report)
            issues = [*notes, *checked]
            form.write(report, target, draft=has_errors(issues), input_sha256=loaded.sha256, issues=checked)
            progress.step(f"wrote {target}" + (" (draft: the report has errors)" if has_errors(issues) else ""))
            summary.append(_demo_line(target, form, report, has_errors(issues)))
        except Exception as exc:  # noqa: BLE001 - one form's failure must not stop the others
            failures += 1
            progress.step(f"could not write {target} ({form.plugin}): {type(exc).__name__}: {exc}")
    print(f"demo written to {folder}:")
    print("\n".join(summary))
    print(
        f"Look first at {folder / 'sichuan.annual-report.xlsx'} (附件3, every figure computed from the records);\n"
        f"to see the workbooks as printed: tools/render-workbook {folder / 'pages'} {folder}/*.xlsx"
    )
    return not failures


def _demo_line(target: Path, form: Form, report: Any, draft: bool) -> str:
    """One line of the demo's summary: the workbook, its form, and how many rows its tables hold."""
    rows = (
        sum(
            len(value)
            for value in (getattr(report, field.name) for field in attrs.fields(type(report)))
            if isinstance(value, tuple)
        )
        if attrs.has(type(report))
        else 0
    )
    shown = f"{rows} row(s)" if rows else "figures only"
    return f"  {target.name:<42} {form.title}  ({shown}{', draft' if draft else ''})"
