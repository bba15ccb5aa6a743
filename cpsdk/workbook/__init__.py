"""Describing, writing and reading official workbooks.

A form describes its sheets once with :class:`WorkbookLayout` (titles, grids of
labels and bound values, tables with merged headers, notes); the same description
writes the workbook and reads it back, so every value's cell is known.

It may import ``cpsdk.base`` and ``cpsdk.model`` (for quantities and the text no file
can hold); nothing in it knows a particular form.
"""

from cpsdk.base._public import report_as_public as _report_as_public
from cpsdk.workbook._archive import inspect_archive
from cpsdk.workbook._atomic import atomic_target, output_target, write_text_atomic
from cpsdk.workbook._blank import BLANK_ROWS, write_blank
from cpsdk.workbook._digest import fingerprint, report_sha256
from cpsdk.workbook._digest import verify as verify_identity
from cpsdk.workbook._identity import IDENTITY_SHEET, WorkbookIdentity
from cpsdk.workbook._layout import (
    DRAFT_MARK,
    Blank,
    Column,
    Grid,
    Notes,
    SheetLayout,
    SheetPlan,
    Table,
    Text,
    Title,
    Value,
    WorkbookLayout,
    a1,
    labelled,
    layout_in_script,
    path_pointer,
    plan_sheet,
    pointer_path,
    title_fields,
)
from cpsdk.workbook._reader import (
    RECOGNISED_SCORE,
    Recognition,
    TypedWorkbook,
    open_workbook,
    read_identity,
    read_workbook,
    typed_workbook,
    workbook_identity,
)
from cpsdk.workbook._values import type_at
from cpsdk.workbook._writer import ISSUES_SHEET, Appendix, looks_active, plan_workbook, write_workbook

__all__ = [
    "BLANK_ROWS",
    "DRAFT_MARK",
    "IDENTITY_SHEET",
    "ISSUES_SHEET",
    "RECOGNISED_SCORE",
    "Appendix",
    "Blank",
    "Column",
    "Grid",
    "Notes",
    "Recognition",
    "SheetLayout",
    "SheetPlan",
    "Table",
    "Text",
    "Title",
    "TypedWorkbook",
    "Value",
    "WorkbookIdentity",
    "WorkbookLayout",
    "a1",
    "atomic_target",
    "fingerprint",
    "inspect_archive",
    "labelled",
    "layout_in_script",
    "looks_active",
    "open_workbook",
    "output_target",
    "path_pointer",
    "plan_sheet",
    "plan_workbook",
    "pointer_path",
    "read_identity",
    "read_workbook",
    "report_sha256",
    "title_fields",
    "type_at",
    "typed_workbook",
    "verify_identity",
    "workbook_identity",
    "write_blank",
    "write_text_atomic",
    "write_workbook",
]

_report_as_public(globals())
