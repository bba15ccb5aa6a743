"""Merging the workbooks of several regions into the report of the region above them."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from cpsdk.base._errors import FormError, ReportError, WorkbookError
from cpsdk.base._issues import Issue, has_errors
from cpsdk.forms._form import Form, MergeableForm
from cpsdk.forms._identify import identify
from cpsdk.forms._registry import get_form, plugins
from cpsdk.workbook import workbook_identity


def read_report(form: Form, path: str | os.PathLike[str]) -> tuple[Any | None, list[Issue]]:
    """Read one workbook of ``form``: the report (None when unreadable) and its issues, naming the file.

    A workbook edited since cpsdk wrote it gives warnings ``workbook.modified``, pinned to the cells changed
    (:meth:`LayoutForm.read_with_issues`).
    """
    name = Path(path).name
    try:
        report, issues = form.read_with_issues(path)
    except WorkbookError as exc:
        return None, [issue.in_file(name) for issue in exc.issues]
    return report, [issue.in_file(name) for issue in issues]


def form_of_workbook(form_id: str, path: str | os.PathLike[str]) -> Form:
    """The registered layout of ``form_id`` that wrote the workbook at ``path`` (the newest when it cannot tell).

    Reading detects the layout: a 2016 workbook is read with the 2016 layout even when a
    later one is registered.
    """
    form = get_form(form_id)
    return _reader_for(form, (form_id,), path)


def _reader_for(target: Form, sources: tuple[str, ...], path: str | os.PathLike[str]) -> Form:
    """The form that reads ``path``: ``target``, or one of the forms it merges from, by the workbook's identity."""
    try:
        identity = workbook_identity(path)
    except WorkbookError:
        return target  # reading it again reports why
    if identity is None:  # typed by hand: the form and layout year whose labels it shows best
        candidates = [form for form in plugins().forms().all() if form.id in {target.id, *sources}]
        try:
            found = identify(path, candidates)
        except WorkbookError:
            return target
        if not found:
            return target
        return get_form(found[0].form, layout_year=found[0].layout_year)
    if identity.form not in {target.id, *sources}:
        return target
    if identity.form == target.id and identity.layout_year == target.layout_year:
        return target
    try:
        return get_form(identity.form, layout_year=identity.layout_year)
    except FormError:
        return target


def merge_workbooks(
    form: Form | str, paths: Sequence[str | os.PathLike[str]], **params: Any
) -> tuple[Any | None, list[Issue]]:
    """Read the workbooks at ``paths`` and merge their reports (e.g. a province's cities).

    A form may merge the workbooks of other forms it names in ``merges_from`` (e.g. a
    province's summary from its cities' summaries). Returns the merged report and every
    issue found, each naming its file. The report
    is None when a workbook cannot be read, has errors, or the reports do not fit
    together (same region twice, different years — the form's ``merge`` says, raising
    :class:`~cpsdk.ReportError`). An issue of ``merge`` about one of the reports points at it by its
    position among them, ``/1`` or ``/1/year`` (``form.pointer(1, "year")``): it is said to be in that
    report's file (``b.xlsx:/year``); an issue pointing nowhere is of the reports together.
    """
    target = get_form(form) if isinstance(form, str) else form
    if not isinstance(target, MergeableForm):
        raise FormError(f"{target.id} does not merge: it has no merge operation")
    sources = tuple(target.merges_from) or (target.id,)
    reports: list[Any] = []
    issues: list[Issue] = []
    for path in paths:
        report, found = read_report(_reader_for(target, sources, path), path)
        issues.extend(found)
        if report is not None:
            reports.append(report)
    if len(reports) < len(paths) or has_errors(issues):
        return None, issues
    try:
        merged = target.merge(reports, **params)
    except ReportError as exc:
        return None, [*issues, *in_files(exc.issues, [Path(path).name for path in paths])]
    return merged, [*issues, *target.check(merged)]


def in_files(issues: Sequence[Issue], files: Sequence[str]) -> list[Issue]:
    """``issues`` of a merge, each pointing at one of the merged reports (``/<position>/<field>…``) said to be
    in its file instead: ``/1/year`` of the reports of ``a.xlsx`` and ``b.xlsx`` becomes ``b.xlsx:/year``."""
    named: list[Issue] = []
    for issue in issues:
        if issue.file is None and issue.pointer:
            head, _, rest = issue.pointer[1:].partition("/")
            if head.isascii() and head.isdigit() and int(head) < len(files):
                issue = attrs.evolve(issue, file=files[int(head)], pointer=f"/{rest}" if rest else None)
        named.append(issue)
    return named
