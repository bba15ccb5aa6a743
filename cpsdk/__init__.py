"""cpsdk: cleaner-production (清洁生产) audit reporting for China's provinces.

Load enterprise-level records, validate them, build a province's forms, write the
official workbooks, and read them back::

    import cpsdk

    dataset = cpsdk.load("dataset.json")
    issues = cpsdk.validate(dataset)
    form = cpsdk.get_form("national.summary")
    report = form.build(dataset, year=2018, region="51")
    form.write(report, "summary.xlsx")

The public names are imported on first use (PEP 562): ``import cpsdk`` itself costs a few milliseconds,
and a program or a command pays only for the parts it touches (``cpsdk forms`` never imports the
workbook writer). Every public name still reports ``cpsdk`` as its module however it was reached: a
module defining public names has them marked the moment it is imported (:func:`_publish`).
"""

import importlib as _importlib
import sys as _sys
from types import ModuleType as _ModuleType

# For type checkers only (typing itself is not imported: it costs more than the rest of this module).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.abc import Loader
    from importlib.machinery import ModuleSpec

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
    from cpsdk.model._energy import (
        ENERGY_METRICS,
        STANDARD_COAL_FACTORS,
        STANDARD_COAL_SOURCE,
        energy_saved,
        energy_saved_by,
    )
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
    from cpsdk.model._quantity import (
        Dimension,
        Quantity,
        Unit,
        decimal_parameter,
        flag_parameter,
        format_decimal,
        to_unit,
    )
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
del TYPE_CHECKING

__all__ = [
    "CONCEPTS",
    "DATASET_VERSION",
    "ENERGY_METRICS",
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
    "energy_saved_by",
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

#: Where each public name lives: defining module -> the names (space-separated) imported from it as they are.
_SOURCES: dict[str, str] = {
    "cpsdk.base._errors": (
        "CellValueError CpsdkError DatasetError ExcelLimitError FormError NoRecordsError OutputError PluginError "
        "ReportError UnknownFormError WorkbookError WrongFormError"
    ),
    "cpsdk.base._issues": (
        "MAX_ISSUES_PER_CODE Issue IssueLog Severity capped error has_errors issues_to_json json_pointer "
        "render_issues warning"
    ),
    "cpsdk.base._script": "Script script_of simplified traditional",
    "cpsdk.base._version": "sdk_version",
    "cpsdk.datasets._load": "Loaded dump dumps load parse save",
    "cpsdk.forms._form": (
        "Form LayoutForm MergeableForm Period RegionFromTitle Scope build_report describe_form report_hash"
    ),
    "cpsdk.forms._merge": "form_of_workbook merge_workbooks read_report",
    "cpsdk.forms._registry": "FormRegistry PluginInfo Plugins get_form list_forms plugins reset_plugins",
    "cpsdk.forms._rules": "Rule",
    "cpsdk.forms._submission": "SUBMISSION_PARAMETERS Submission submission_from submission_lines",
    "cpsdk.forms._tally": "Totals tally",
    "cpsdk.forms._translate": "CONCEPTS convert_report from_records to_records",
    "cpsdk.forms._validate": "validate",
    "cpsdk.hookspecs": "hookimpl",
    "cpsdk.model._dataset_schema": "dataset_schema",
    "cpsdk.model._energy": "ENERGY_METRICS STANDARD_COAL_FACTORS STANDARD_COAL_SOURCE energy_saved energy_saved_by",
    "cpsdk.model._entities": (
        "DATASET_VERSION RECORD_KINDS Agency Agreement Audit ByproductUse Dataset Demonstration Discharge Document "
        "Effect Enterprise EnvironmentalReport Expert Proposal Training YearAmount"
    ),
    "cpsdk.model._fields": "describe titled",
    "cpsdk.model._quantity": "Dimension Quantity Unit decimal_parameter flag_parameter format_decimal to_unit",
    "cpsdk.model._schema": "schema_for schema_text",
    "cpsdk.model._structure": "make_converter",
    "cpsdk.model._vocabulary": (
        "Audience AuditKind AuditTrack Basis ByproductKind CleanerProductionLevel CostClass DemonstrationKind "
        "Labelled Level MandatoryGround Metric Outcome ProposalStatus"
    ),
    "cpsdk.store._key_index": "RecordGroups RecordsByKey",
    "cpsdk.store._records": "Records RecordsBuilder",
}
#: Public names that are another name in their module.
_ALIASES: dict[str, tuple[str, str]] = {
    "example_dataset": ("cpsdk.datasets._example", "generate"),
}


#: Public name -> (module, attribute), from the two tables above.
_EXPORTS: dict[str, tuple[str, str]] = {
    **{name: (module, name) for module, names in _SOURCES.items() for name in names.split()},
    **_ALIASES,
}
#: Defining module -> the public names it holds, as (public name, attribute in the module).
_PUBLISHED_BY: dict[str, list[tuple[str, str]]] = {}
for _name, (_module, _attribute) in _EXPORTS.items():
    _PUBLISHED_BY.setdefault(_module, []).append((_name, _attribute))
#: Subpackages whose public names are lazy too (their own ``_EXPORTS`` table, as above) and published the
#: same way, as the subpackage's: their modules are learnt when the first of them is found (the subpackage,
#: imported before any of its modules, holds the table by then).
_SUBPACKAGES = ("cpsdk.workbook",)
#: Defining module -> the package its public names report, when not this one.
_PACKAGE_OF: dict[str, str] = {}


def _learn(package: str) -> None:
    """Add the public names of ``package`` (one of :data:`_SUBPACKAGES`, imported) to :data:`_PUBLISHED_BY`."""
    exports: dict[str, tuple[str, str]] = getattr(_sys.modules[package], "_EXPORTS", {})
    for name, (module, attribute) in exports.items():
        if _PACKAGE_OF.setdefault(module, package) == package:
            _PUBLISHED_BY.setdefault(module, []).append((name, attribute))
    _PACKAGE_OF.setdefault(package, package)  # learnt


def _publish(module: _ModuleType) -> None:
    """Make the public names defined in ``module`` report ``cpsdk`` as their module.

    Run as soon as the module has been executed, however it was imported (``import cpsdk.forms._form``
    as much as ``cpsdk.LayoutForm``), so that ``__module__`` is the same whatever was imported first:
    reprs, tracebacks and pickles show ``cpsdk.Enterprise``, and anything keyed by a class's
    ``module.qualname`` agrees across processes.
    """
    from cpsdk.base._public import report_as_public

    names = _PUBLISHED_BY.get(module.__name__, [])
    package = _PACKAGE_OF.get(module.__name__, __name__)
    namespace: dict[str, object] = {"__name__": package, "__all__": [name for name, _ in names]}
    for name, attribute in names:
        namespace[name] = getattr(module, attribute)
    report_as_public(namespace)


class _PublishingLoader:
    """A module's own loader, which then publishes the module's public names (see :func:`_publish`).

    Everything but executing the module (``get_source`` for tracebacks, resource readers) is the loader's.
    """

    def __init__(self, loader: "Loader") -> None:
        self._loader = loader

    def __getattr__(self, name: str) -> object:
        return getattr(self._loader, name)

    def create_module(self, spec: "ModuleSpec") -> _ModuleType | None:
        """As the wrapped loader does."""
        create = getattr(self._loader, "create_module", None)
        return create(spec) if create is not None else None

    def exec_module(self, module: _ModuleType) -> None:
        """Execute the module as the wrapped loader does, then publish its public names."""
        self._loader.exec_module(module)
        _publish(module)


class _PublishingFinder:
    """On ``_sys.meta_path``: finds the modules defining public names as the other finders would, and
    has them published once executed. Every other module is left to the other finders untouched."""

    def find_spec(
        self, name: str, path: "Sequence[str] | None", target: _ModuleType | None = None
    ) -> "ModuleSpec | None":
        """The spec the next finder gives, with a loader that publishes (None for any other module)."""
        if name not in _PUBLISHED_BY:
            package = name.rpartition(".")[0]
            if package not in _SUBPACKAGES or package in _PACKAGE_OF or package not in _sys.modules:
                return None
            _learn(package)
            if name not in _PUBLISHED_BY:
                return None
        for finder in _sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or isinstance(finder, _PublishingFinder) or find is None:
                continue
            spec: ModuleSpec | None = find(name, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _PublishingLoader(spec.loader)  # type: ignore[assignment]
                return spec
        return None


if not any(isinstance(finder, _PublishingFinder) for finder in _sys.meta_path):
    _sys.meta_path.insert(0, _PublishingFinder())
for _module in _SUBPACKAGES:
    if _module in _sys.modules:
        _learn(_module)
for _module in _PUBLISHED_BY:  # imported before this package was (a reload): published now
    if _module in _sys.modules:
        _publish(_sys.modules[_module])
del _name, _module, _attribute


def __getattr__(name: str) -> object:
    """A public name, imported on first use (and kept, so the next lookup is an ordinary one)."""
    source = _EXPORTS.get(name)
    if source is not None:
        value = getattr(_importlib.import_module(source[0]), source[1])
        globals()[name] = value
        return value
    if name == "__version__":
        from cpsdk.base._version import sdk_version

        return sdk_version()
    if name == "convert":
        import warnings

        warnings.warn(
            "cpsdk.convert is now cpsdk.to_unit; 'convert' means a report turned into another form",
            DeprecationWarning,
            stacklevel=2,
        )
        return __getattr__("to_unit")
    raise AttributeError(f"module 'cpsdk' has no attribute {name!r}")


def __dir__() -> list[str]:
    """Every public name, whether imported yet or not, and what the module holds."""
    return sorted(set(globals()) | set(__all__))
