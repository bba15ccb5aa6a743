"""Which form, in which layout year, a workbook is: by its identity sheet, or by its labels."""

from __future__ import annotations

import os
from collections.abc import Iterable

import attrs

from cpsdk.forms._form import Form, LayoutForm
from cpsdk.forms._registry import plugins
from cpsdk.workbook import RECOGNISED_SCORE, TypedWorkbook, open_workbook, read_identity


@attrs.frozen(kw_only=True)
class Identified:
    """A form a workbook is taken to be, and why."""

    form: str
    layout_year: int
    #: ``identity`` (cpsdk wrote it) or ``labels`` (recognised from what was typed).
    by: str
    #: The share of the layout's labels found (1 for a workbook cpsdk wrote).
    score: float
    evidence: tuple[str, ...]


def identify(path: str | os.PathLike[str], forms: Iterable[Form] | None = None) -> list[Identified]:
    """The forms ``path`` may be, most likely first: the one its identity sheet names, or (typed by
    hand) every form whose layout's labels it shows, by the share found. Raises WorkbookError when
    the file cannot be read."""
    book = open_workbook(path)  # once: for its identity sheet, or for the sheets its labels are read from
    try:
        identity = read_identity(book)
        typed = TypedWorkbook.of(book) if identity is None else None
    finally:
        book.close()
    if identity is not None:
        return [
            Identified(
                form=identity.form,
                layout_year=identity.layout_year,
                by="identity",
                score=1.0,
                evidence=(f"隐藏工作表 _cpsdk：{identity.form}@{identity.layout_year}，{identity.written_at}",),
            )
        ]
    assert typed is not None
    found: list[Identified] = []
    for form in forms if forms is not None else plugins().forms().all():
        if not isinstance(form, LayoutForm):
            continue  # only a layout can be recognised
        try:
            seen = typed.recognition(form.layout(), form.report_type)
        except Exception:  # noqa: BLE001 - a plugin's layout that cannot be laid out is not this workbook's
            continue
        if seen.score >= RECOGNISED_SCORE:
            found.append(
                Identified(
                    form=form.id, layout_year=form.layout_year, by="labels", score=seen.score, evidence=seen.evidence
                )
            )
    return sorted(found, key=lambda item: (-item.score, -item.layout_year, item.form))
