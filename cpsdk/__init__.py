"""cpsdk: cleaner-production (清洁生产) audit reporting for China's provinces.

Load enterprise-level records, validate them, build a province's forms, write the
official workbooks, and read them back::

    import cpsdk

    dataset = cpsdk.load("dataset.json")
    issues = cpsdk.validate(dataset)
    form = cpsdk.get_form("national.summary")
    report = form.build(dataset, year=2018, region="51")
    form.write(report, "summary.xlsx")
"""

from cpsdk.base._errors import (
    CellValueError,
    CpsdkError,
    DatasetError,
    ExcelLimitError,
    FormError,
    NoRecordsError,
    OutputError,
    PluginError,
    ReportError,
    UnknownFormError,
    WorkbookError,
    WrongFormError,
)
from cpsdk.base._issues import (
    MAX_ISSUES_PER_CODE,
    Issue,
    IssueLog,
    Severity,
    capped,
    error,
    has_errors,
    issues_to_json,
    json_pointer,
    render_issues,
    warning,
)
from cpsdk.base._public import report_as_public as _report_as_public
from cpsdk.base._script import Script, script_of, simplified, traditional
from cpsdk.base._version import sdk_version
from cpsdk.datasets._example import generate as example_dataset
from cpsdk.datasets._load import Loaded, dump, dumps, load, parse, save
from cpsdk.forms._form import (
    Form,
    LayoutForm,
    MergeableForm,
    Period,
    RegionFromTitle,
    Scope,
    build_report,
    describe_form,
    report_hash,
)
from cpsdk.forms._merge import form_of_workbook, merge_workbooks, read_report
from cpsdk.forms._registry import FormRegistry, PluginInfo, Plugins, get_form, list_forms, plugins, reset_plugins
from cpsdk.forms._rules import Rule
from cpsdk.forms._submission import SUBMISSION_PARAMETERS, Submission, submission_from, submission_lines
from cpsdk.forms._tally import Totals, tally
from cpsdk.forms._translate import CONCEPTS, convert_report, from_records, to_records
from cpsdk.forms._validate import validate
from cpsdk.hookspecs import hookimpl
from cpsdk.model._dataset_schema import dataset_schema
from cpsdk.model._energy import STANDARD_COAL_FACTORS, STANDARD_COAL_SOURCE, energy_saved
from cpsdk.model._entities import (
    DATASET_VERSION,
    RECORD_KINDS,
    Agency,
    Agreement,
    Audit,
    ByproductUse,
    Dataset,
    Demonstration,
    Discharge,
    Document,
    Effect,
    Enterprise,
    EnvironmentalReport,
    Expert,
    Proposal,
    Training,
    YearAmount,
)
from cpsdk.model._fields import describe, titled
from cpsdk.model._quantity import Dimension, Quantity, Unit, decimal_parameter, flag_parameter, format_decimal, to_unit
from cpsdk.model._schema import schema_for, schema_text
from cpsdk.model._structure import make_converter
from cpsdk.model._vocabulary import (
    Audience,
    AuditKind,
    AuditTrack,
    Basis,
    ByproductKind,
    CleanerProductionLevel,
    CostClass,
    DemonstrationKind,
    Labelled,
    Level,
    MandatoryGround,
    Metric,
    Outcome,
    ProposalStatus,
)
from cpsdk.store._key_index import RecordGroups, RecordsByKey
from cpsdk.store._records import Records, RecordsBuilder

__all__ = [
    "CONCEPTS",
    "DATASET_VERSION",
    "MAX_ISSUES_PER_CODE",
    "RECORD_KINDS",
    "STANDARD_COAL_FACTORS",
    "STANDARD_COAL_SOURCE",
    "SUBMISSION_PARAMETERS",
    "Agency",
    "Agreement",
    "Audience",
    "Audit",
    "AuditKind",
    "AuditTrack",
    "Basis",
    "ByproductKind",
    "ByproductUse",
    "CellValueError",
    "CleanerProductionLevel",
    "CostClass",
    "CpsdkError",
    "Dataset",
    "DatasetError",
    "Demonstration",
    "DemonstrationKind",
    "Dimension",
    "Discharge",
    "Document",
    "Effect",
    "Enterprise",
    "EnvironmentalReport",
    "ExcelLimitError",
    "Expert",
    "Form",
    "FormError",
    "FormRegistry",
    "Issue",
    "IssueLog",
    "Labelled",
    "LayoutForm",
    "Level",
    "Loaded",
    "MandatoryGround",
    "MergeableForm",
    "Metric",
    "NoRecordsError",
    "Outcome",
    "OutputError",
    "Period",
    "PluginError",
    "PluginInfo",
    "Plugins",
    "Proposal",
    "ProposalStatus",
    "Quantity",
    "RecordGroups",
    "Records",
    "RecordsBuilder",
    "RecordsByKey",
    "RegionFromTitle",
    "ReportError",
    "Rule",
    "Scope",
    "Script",
    "Severity",
    "Submission",
    "Totals",
    "Training",
    "Unit",
    "UnknownFormError",
    "WorkbookError",
    "WrongFormError",
    "YearAmount",
    "__version__",
    "build_report",
    "capped",
    "convert_report",
    "dataset_schema",
    "decimal_parameter",
    "describe",
    "describe_form",
    "dump",
    "dumps",
    "energy_saved",
    "error",
    "example_dataset",
    "flag_parameter",
    "form_of_workbook",
    "format_decimal",
    "from_records",
    "get_form",
    "has_errors",
    "hookimpl",
    "issues_to_json",
    "json_pointer",
    "list_forms",
    "load",
    "make_converter",
    "merge_workbooks",
    "parse",
    "plugins",
    "read_report",
    "render_issues",
    "report_hash",
    "reset_plugins",
    "save",
    "schema_for",
    "schema_text",
    "script_of",
    "sdk_version",
    "simplified",
    "submission_from",
    "submission_lines",
    "tally",
    "titled",
    "to_records",
    "to_unit",
    "traditional",
    "validate",
    "warning",
]


_report_as_public(globals())


def __getattr__(name: str) -> object:
    if name == "__version__":
        return sdk_version()
    if name == "convert":
        import warnings

        warnings.warn(
            "cpsdk.convert is now cpsdk.to_unit; 'convert' means a report turned into another form",
            DeprecationWarning,
            stacklevel=2,
        )
        return to_unit
    raise AttributeError(f"module 'cpsdk' has no attribute {name!r}")
