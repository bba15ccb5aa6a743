"""The intake workbook: enterprises and cities fill in records in Excel, cpsdk reads them as a dataset.

``cpsdk template -o intake.xlsx`` writes it empty; :func:`write_intake` writes it filled
from a dataset; every command and function that takes a dataset also takes a filled
intake workbook, and every issue then points to its sheet and cell (``企业!C12``).

It may import ``cpsdk.base``, ``cpsdk.codes``, ``cpsdk.model`` and ``cpsdk.workbook``.
"""

from cpsdk.base._public import report_as_public as _report_as_public
from cpsdk.intake._columns import IntakeColumn, IntakeSheet, intake_sheets
from cpsdk.intake._read import Locator, read_intake
from cpsdk.intake._write import INTAKE_FORM, write_intake

__all__ = ["INTAKE_FORM", "IntakeColumn", "IntakeSheet", "Locator", "intake_sheets", "read_intake", "write_intake"]

_report_as_public(globals())
