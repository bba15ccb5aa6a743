"""Describing, writing and reading official workbooks.

A form describes its sheets once with :class:`WorkbookLayout` (titles, grids of
labels and bound values, tables with merged headers, notes); the same description
writes the workbook and reads it back, so every value's cell is known.

It may import ``cpsdk.base`` and ``cpsdk.model`` (for quantities and the text no file
can hold); nothing in it knows a particular form.

The public names are imported on first use (PEP 562), as ``cpsdk``'s are: writing a workbook never
imports the reader, the recogniser or the archive checks. Each still reports ``cpsdk.workbook`` as its
module however it was reached: ``cpsdk``'s import hook publishes the names of the modules in
:data:`_SOURCES` the moment one is imported.
"""

import importlib as _importlib

# For type checkers only (typing itself is not imported).
TYPE_CHECKING = False
if TYPE_CHECKING:
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
del TYPE_CHECKING

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

#: Where each public name lives: defining module -> the names (space-separated) imported from it as they are.
#: ``cpsdk``'s import hook reads this table too (and :data:`_ALIASES`) to publish them.
_SOURCES: dict[str, str] = {
    "cpsdk.workbook._archive": "inspect_archive",
    "cpsdk.workbook._atomic": "atomic_target output_target write_text_atomic",
    "cpsdk.workbook._blank": "BLANK_ROWS write_blank",
    "cpsdk.workbook._digest": "fingerprint report_sha256",
    "cpsdk.workbook._identity": "IDENTITY_SHEET WorkbookIdentity",
    "cpsdk.workbook._layout": (
        "DRAFT_MARK Blank Column Grid Notes SheetLayout SheetPlan Table Text Title Value WorkbookLayout a1 labelled "
        "layout_in_script path_pointer plan_sheet pointer_path title_fields"
    ),
    "cpsdk.workbook._reader": (
        "RECOGNISED_SCORE Recognition TypedWorkbook open_workbook read_identity read_workbook typed_workbook "
        "workbook_identity"
    ),
    "cpsdk.workbook._values": "type_at",
    "cpsdk.workbook._writer": "ISSUES_SHEET Appendix looks_active plan_workbook write_workbook",
}
#: Public names that are another name in their module.
_ALIASES: dict[str, tuple[str, str]] = {
    "verify_identity": ("cpsdk.workbook._digest", "verify"),
}
#: Public name -> (module, attribute), from the two tables above.
_EXPORTS: dict[str, tuple[str, str]] = {
    **{name: (module, name) for module, names in _SOURCES.items() for name in names.split()},
    **_ALIASES,
}


def __getattr__(name: str) -> object:
    """A public name, imported on first use (and kept, so the next lookup is an ordinary one)."""
    source = _EXPORTS.get(name)
    if source is None:
        raise AttributeError(f"module 'cpsdk.workbook' has no attribute {name!r}")
    value = getattr(_importlib.import_module(source[0]), source[1])
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """Every public name, whether imported yet or not, and what the module holds."""
    return sorted(set(globals()) | set(__all__))
