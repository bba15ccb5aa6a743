"""Exceptions raised by cpsdk.

Validation findings are not exceptions: they are :class:`cpsdk.Issue` records,
collected in full. Exceptions are for operations that cannot go on::

    CpsdkError
    ├── DatasetError (ValueError)        -- a dataset could not be loaded; .issues
    ├── FormError (LookupError)
    │   └── UnknownFormError             -- no form with that id (and layout year)
    ├── PluginError (RuntimeError)       -- a plugin asked for directly misbehaves; .plugin
    ├── ReportError (ValueError)         -- a report has errors; .issues
    ├── WorkbookError (ValueError)       -- a workbook cannot be read; .issues
    │   └── WrongFormError               -- the workbook belongs to another form
    ├── ExcelLimitError (ValueError)     -- a value exceeds what Excel can hold
    └── OutputError (ValueError)         -- an output path that must not be written (a device, a pipe)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cpsdk.base._issues import Issue


class CpsdkError(Exception):
    """Root of every exception cpsdk raises on purpose."""


class _WithIssues(CpsdkError):
    def __init__(self, message: str, issues: Sequence[Issue] = ()) -> None:
        super().__init__(message)
        self.issues: tuple[Issue, ...] = tuple(issues)


class DatasetError(_WithIssues, ValueError):
    """The input could not be loaded as a dataset; ``issues`` says why, all at once."""


class FormError(CpsdkError, LookupError):
    """A form was asked for that cannot be provided."""


class UnknownFormError(FormError):
    """No registered form has this id (or this layout year)."""


class PluginError(CpsdkError, RuntimeError):
    """A plugin cannot be used; ``plugin`` names it.

    Raised where a plugin is asked for directly: :meth:`cpsdk.Plugins.register` of an object pluggy
    refuses, and :meth:`cpsdk.Plugins.raise_if_broken`. Plugins found through entry points are isolated
    instead: listed as broken (``cpsdk plugins``), never raised, so that the others keep working.
    """

    def __init__(self, message: str, plugin: str) -> None:
        super().__init__(message)
        self.plugin = plugin


class ReportError(_WithIssues, ValueError):
    """A report has errors, so the official workbook is refused (write a draft instead)."""


class WorkbookError(_WithIssues, ValueError):
    """A workbook cannot be read as the form asked for; ``issues`` says why."""


class WrongFormError(WorkbookError):
    """The workbook was written for another form (or is not a cpsdk workbook)."""


class ExcelLimitError(CpsdkError, ValueError):
    """A value does not fit Excel's limits (sheet name, cell length, rows)."""


class OutputError(CpsdkError, ValueError):
    """An output path cpsdk will not write: a device, a pipe, a socket (directly or through a symlink)."""


class NoRecordsError(CpsdkError, ValueError):
    """The dataset holds no record the form can report on (e.g. no audit of the enterprise asked for)."""


class CellValueError(CpsdkError, ValueError):
    """A value that cannot stand for its field, said in Chinese (``zh``) and English (``en``).

    Raised by the cell readers; the workbook and intake readers turn it into an issue at
    the cell, with both messages.
    """

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en
