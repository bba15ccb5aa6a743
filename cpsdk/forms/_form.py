"""Forms: a province's report, built from a dataset, checked, written and read.

A form is anything that satisfies :class:`Form`. Most forms subclass
:class:`LayoutForm`, which needs only the report class, a :class:`WorkbookLayout`,
``build`` and ``rules``: writing, reading, locating issues on cells and the report
schema come from the layout.
"""

from __future__ import annotations

import abc
import contextlib
import datetime
import enum
import os
import re
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, Protocol, runtime_checkable

import attrs

from cpsdk.base._errors import FormError, ReportError, WorkbookError
from cpsdk.base._issues import Issue, error, has_errors, warning
from cpsdk.base._script import Script, script_of, simplified, traditional
from cpsdk.base._version import sdk_version
from cpsdk.codes import region, region_by_name, region_by_short_name
from cpsdk.forms._negative import negative_figures
from cpsdk.model._entities import Dataset
from cpsdk.model._schema import schema_for
from cpsdk.workbook import (
    BLANK_ROWS,
    Appendix,
    SheetPlan,
    WorkbookIdentity,
    WorkbookLayout,
    a1,
    fingerprint,
    layout_in_script,
    path_pointer,
    plan_workbook,
    pointer_path,
    report_sha256,
    title_fields,
    verify_identity,
    write_workbook,
)


class Period(str, enum.Enum):
    """What span of time one report covers."""

    YEAR = "year"
    PLAN_PERIOD = "plan-period"
    NONE = "none"


class Scope(str, enum.Enum):
    """Whose figures one report holds."""

    ENTERPRISE = "enterprise"
    CITY = "city"
    PROVINCE = "province"
    REGION = "region"
    NATION = "nation"


#: A form id, ``<province>.<form>``: two names of lower-case ASCII letters and digits, words joined by
#: ``-`` (``sichuan.annual-report``). The one rule: the registry refuses other ids, the conformance suite
#: checks it.
FORM_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*\.[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def form_id_problem(form_id: str) -> str | None:
    """None for a well-formed form id (:data:`FORM_ID`); otherwise what is wrong with it."""
    if FORM_ID.fullmatch(form_id):
        return None
    return (
        "expected <province>.<form>: lower-case ASCII letters and digits, words joined by '-' (sichuan.annual-report)"
    )


@runtime_checkable
class Form(Protocol):
    """What every registered form provides: the whole contract the SDK relies on.

    Subclass :class:`LayoutForm` (a workbook described by a layout), which provides every
    member but ``build`` and ``layout``. A form that is not laid out by cpsdk subclasses
    this protocol explicitly: the optional members below then come with their defaults
    (no parameters declared, an aggregate form, merging only its own workbooks, building
    with no notes, reading with :meth:`check`'s issues), and it implements the rest.
    """

    #: The distribution that registered the form (set by the registry on its own copy; see
    #: :meth:`cpsdk.Plugins.forms`). Written on every workbook's identity sheet.
    plugin: str = "cpsdk"
    #: That distribution's version (set by the registry).
    plugin_version: str = ""

    @property
    def id(self) -> str:
        """Stable id ``<province>.<form>``."""

    @property
    def title(self) -> str:
        """Chinese title as the form prints it."""

    @property
    def layout_year(self) -> int:
        """Year the layout took effect."""

    @property
    def period(self) -> Period:
        """Span of time one report covers."""

    @property
    def scope(self) -> Scope:
        """Whose figures one report holds."""

    @property
    def report_type(self) -> type[Any]:
        """The attrs class of the form's report."""

    @property
    def source(self) -> str | None:
        """The document (and clause) the form comes from, as its issues cite it (``川经信环资〔2016〕153号
        附件3``); the conformance suite refuses none, and a placeholder. Default: None."""
        return None

    @property
    def parameters(self) -> Mapping[str, str]:
        """Parameters ``build`` takes, by name, each with a bilingual description that says its default
        (``cpsdk forms FORM`` lists them; ``cpsdk emit --param`` refuses others). Default: none declared,
        and then any parameter is passed through."""
        return {}

    @property
    def record_level(self) -> bool:
        """True when the report lists records (one row per enterprise, audit or project) in ``rows``;
        such a form names its row fields in :attr:`record_fields`. Default: False (an aggregate form)."""
        return False

    @property
    def record_fields(self) -> Mapping[str, str]:
        """Row field → concept of :data:`cpsdk.CONCEPTS`, for conversion. Default: empty."""
        return {}

    @property
    def merges_from(self) -> tuple[str, ...]:
        """Ids of the forms whose workbooks :func:`cpsdk.merge_workbooks` merges into this one (a mergeable
        form); empty (the default) for its own workbooks only."""
        return ()

    @property
    def example_params(self) -> Mapping[str, Any]:
        """Parameters that show the form at work on the example data (``cpsdk demo``): a city for a city's
        form, the plan period for a plan's table. Empty (the default): the demo picks the year."""
        return {}

    def build(self, dataset: Dataset, **params: Any) -> Any:
        """The form's report for ``dataset`` (params such as ``year`` and ``region``).

        A parameter it cannot use raises ValueError (or TypeError) saying what it accepts."""

    def build_with_issues(self, dataset: Dataset, **params: Any) -> tuple[Any, list[Issue]]:
        """The report and the notes made while building it (warnings pointing into the dataset). Default:
        :meth:`build`, with no notes."""
        return self.build(dataset, **params), []

    def check(self, report: Any) -> list[Issue]:
        """Every issue of the report, pinned to its cell where the workbook shows it."""

    def write(
        self,
        report: Any,
        path: str | os.PathLike[str],
        *,
        draft: bool = False,
        input_sha256: str = "",
        appendix: Appendix | Sequence[Appendix] | None = None,
        issues: Sequence[Issue] | None = None,
    ) -> Path:
        """Write the official workbook (or a draft) atomically; ``appendix`` adds a sheet listing issues (a
        sheet name and the issues), or several.

        ``issues`` are what :meth:`check` returned for ``report``, when the caller has them: they are
        not found again."""

    def read(self, path: str | os.PathLike[str]) -> Any:
        """Read a workbook of this form back into a report."""

    def read_with_issues(self, path: str | os.PathLike[str]) -> tuple[Any | None, list[Issue]]:
        """Read a workbook: the report (None when unreadable) and every issue, the form's rules included.
        Default: :meth:`read`; a workbook cpsdk wrote is verified against its identity sheet (an edit since
        gives ``workbook.modified``, pointing into the report); then :meth:`check`. A workbook that cannot be
        read raises WorkbookError."""
        report = self.read(path)
        from cpsdk.workbook import workbook_identity  # the reading side, imported when a workbook is read

        identity = workbook_identity(path)
        verified = verify_identity(identity, report) if identity is not None else []
        return report, [*verified, *self.check(report)]

    def report_schema(self) -> dict[str, Any]:
        """JSON Schema (2020-12) of the report."""


#: Every member of :class:`Form`, which a registered form must have (the registry names those missing).
FORM_MEMBERS: tuple[str, ...] = (
    "plugin",
    "plugin_version",
    "id",
    "title",
    "layout_year",
    "period",
    "scope",
    "report_type",
    "source",
    "parameters",
    "record_level",
    "record_fields",
    "merges_from",
    "example_params",
    "build",
    "build_with_issues",
    "check",
    "write",
    "read",
    "read_with_issues",
    "report_schema",
)


def report_hash(report: Any) -> str:
    """SHA-256 of a report's canonical JSON: keys sorted, no whitespace, UTF-8, amounts without trailing zeros.

    The hash a workbook's identity sheet holds, which reading verifies (see :mod:`cpsdk.workbook._digest`).
    """
    return report_sha256(report)


class LayoutForm(abc.ABC):
    """Base of forms whose workbook is described by a :class:`WorkbookLayout`.

    Subclasses set the class attributes and implement :meth:`build`,
    :meth:`layout` and (usually) :meth:`rules`.
    """

    id: ClassVar[str]
    title: ClassVar[str]
    layout_year: ClassVar[int]
    period: ClassVar[Period]
    scope: ClassVar[Scope]
    report_type: ClassVar[type]
    #: Parameters ``build`` takes, by name, with a bilingual description that says the default
    #: (``cpsdk forms FORM`` lists them; ``cpsdk emit --param`` refuses any other).
    parameters: ClassVar[dict[str, str]] = {}
    #: Source document of the form, cited by its issues.
    source: ClassVar[str | None] = None
    #: True when the report lists records in ``rows``, named in :attr:`record_fields` (for conversion).
    record_level: ClassVar[bool] = False
    #: Row field → concept of :data:`cpsdk.CONCEPTS`; a record-level form names every row field.
    record_fields: ClassVar[Mapping[str, str]] = {}
    #: Ids of the forms whose workbooks merge into this one; empty for its own only.
    merges_from: tuple[str, ...] = ()
    example_params: ClassVar[Mapping[str, Any]] = {}

    #: Set by the registry on the copy it registers (the plugin's own object is never changed).
    plugin: str = "cpsdk"
    plugin_version: str = ""

    @abc.abstractmethod
    def build(self, dataset: Dataset, **params: Any) -> Any:
        """The form's report for ``dataset``."""

    def build_with_issues(self, dataset: Dataset, **params: Any) -> tuple[Any, list[Issue]]:
        """The report and the notes made while building it (records left out, and why).

        Forms whose figures leave records out override this and make :meth:`build`
        return its first item; the default builds and has nothing to note.
        """
        return self.build(dataset, **params), []

    def complete(self, data: dict[str, Any]) -> Sequence[Issue] | None:
        """Fill, in the cell data read from a workbook, report fields that no cell shows, and say
        what could not be filled (issues with a pointer to the field they come from).

        Called by :meth:`read` before the data is structured (e.g. a region code
        looked up from the region name in the title). ``data`` holds the JSON-ready
        values of the titles and of the cells outside tables; tables are read after
        it, straight into their rows.
        """
        return None

    @abc.abstractmethod
    def layout(self) -> WorkbookLayout:
        """How the workbook is laid out (in simplified script)."""

    def layout_for(self, report: Any) -> WorkbookLayout:
        """The layout a report is written with: :meth:`layout`, in traditional script when ``report.script`` says so."""
        return self._layout_in(script_of(getattr(report, "script", None)))

    def _layout_in(self, script: Script) -> WorkbookLayout:
        layout = self.layout()
        return layout_in_script(layout, traditional) if script is Script.HANT else layout

    #: Report fields (by name, anywhere in the report) whose numbers may be below zero; every other number a form
    #: prints is a count or an amount, and a negative one is an error (``form.negative``).
    signed_fields: ClassVar[frozenset[str]] = frozenset()

    def rules(self, report: Any) -> Iterable[Issue]:
        """The form's consistency rules; issues point into the report (JSON pointers)."""
        return ()

    def check(self, report: Any) -> list[Issue]:
        """Every issue of ``rules``, and an error for each negative figure (``form.negative``, but for
        :attr:`signed_fields` and figures ``rules`` already spoke of), pinned to the cell that shows the value."""
        issues = list(self.rules(report))
        spoken = {issue.pointer for issue in issues if issue.pointer}
        issues += [issue for issue in negative_figures(report, self.signed_fields) if issue.pointer not in spoken]
        if not any(issue.pointer and issue.sheet is None for issue in issues):
            return issues  # nothing to locate: skip planning the workbook
        plans = self._plans(report)
        located: list[Issue] = []
        for issue in issues:
            if issue.pointer and issue.sheet is None:
                path = pointer_path(issue.pointer)
                for plan in plans:
                    cell = plan.cell_of(path)
                    if cell is not None:
                        issue = issue.at(sheet=plan.layout.name, cell=a1(cell.row, cell.col))
                        break
                    title = next((t for t in plan.titles if path in _title_paths(t.title.template)), None)
                    if title is not None:
                        issue = issue.at(sheet=plan.layout.name, cell=a1(title.row, 0))
                        break
            located.append(issue)
        return located

    #: The last report planned (weakly) and its plans: check, verify and write plan a report once.
    _last_plans: tuple[weakref.ref[Any], list[SheetPlan]] | None = None

    def _plans(self, report: Any) -> list[SheetPlan]:
        last = self._last_plans
        if last is not None and last[0]() is report:
            return last[1]
        plans = plan_workbook(self.layout_for(report), report)
        with contextlib.suppress(TypeError, AttributeError):  # not every report can be referred to weakly
            self._last_plans = (weakref.ref(report), plans)
        return plans

    def _expect_report(self, report: Any) -> None:
        if not isinstance(report, self.report_type):
            raise FormError(
                f"{type(report).__name__} is not a report of {self.id}@{self.layout_year}, "
                f"which writes {self.report_type.__name__} (another layout? see cpsdk.get_form(..., layout_year=))"
            )

    def identity(self, report: Any, *, draft: bool, input_sha256: str = "") -> WorkbookIdentity:
        """The identity sheet written with ``report``: its hash, the digests that locate an edit, and a seal."""
        found = fingerprint(report)
        return WorkbookIdentity(
            form=self.id,
            layout_year=self.layout_year,
            sdk_version=sdk_version(),
            plugin=self.plugin,
            plugin_version=self.plugin_version,
            written_at=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            report_sha256=found.sha256,
            input_sha256=input_sha256,
            draft=draft,
            params=f"script={script_of(getattr(report, 'script', None)).value}",
            report_digests=found.text(),
        ).sealed()

    def write(
        self,
        report: Any,
        path: str | os.PathLike[str],
        *,
        draft: bool = False,
        input_sha256: str = "",
        appendix: Appendix | Sequence[Appendix] | None = None,
        issues: Sequence[Issue] | None = None,
    ) -> Path:
        """Write the workbook. With errors it is refused (:class:`ReportError`) unless ``draft``.

        ``appendix`` adds a sheet listing issues (a sheet name and the issues), e.g. a conversion's losses,
        or several such sheets.
        ``issues`` are what :meth:`check` returned for ``report``, when the caller has them already (as
        ``cpsdk emit`` does): the report is then not checked again.
        """
        self._expect_report(report)
        if issues is None:
            issues = self.check(report)
        if has_errors(issues) and not draft:
            count = sum(1 for i in issues if i.is_error)
            raise ReportError(f"the report has {count} error(s); write a draft to see them in the workbook", issues)
        identity = self.identity(report, draft=draft, input_sha256=input_sha256)
        hant = script_of(getattr(report, "script", None)) is Script.HANT
        try:
            return write_workbook(
                self.layout_for(report),
                report,
                path,
                identity,
                issues=issues if draft else (),
                script=traditional if hant else str,
                appendix=appendix,
                plans=self._plans(report),
            )
        finally:
            self._last_plans = None  # written: the plans are not needed again

    def write_blank(self, path: str | os.PathLike[str], *, rows: int = BLANK_ROWS, **params: Any) -> Path:
        """Write the form's blank, to be filled in by hand and read back (see :mod:`cpsdk.workbook._blank`):
        the layout with its titles filled from ``params`` (``region`` as its name, ``year``, any other
        field a title shows), every value cell empty with data validation and an input message, and
        ``rows`` empty rows in each table."""
        fields: dict[str, Any] = {key: value for key, value in params.items() if key != "region"}
        code = params.get("region")
        if code:
            found = region(str(code))
            if found is None:
                raise ValueError(f"unknown region code {code!r}")
            fields.setdefault("region_name", found.name)
        from cpsdk.workbook import write_blank  # imported when a blank is asked for

        return write_blank(self.layout(), self.report_type, path, fields=fields, rows=rows, fixed=self._fixed(params))

    def _fixed(self, params: Mapping[str, Any]) -> Any:
        """The report built from no records, whose fixed table lines the blank prints; None when the form
        builds none from no records (a list of records has no fixed lines)."""
        try:
            return self.build(Dataset(), **params)
        except Exception:  # noqa: BLE001 - any refusal means there are no fixed lines to print
            return None

    def read_with_issues(self, path: str | os.PathLike[str]) -> tuple[Any | None, list[Issue]]:
        """Read a workbook: the report (None when unreadable) and every issue, including the form's rules.

        A workbook edited since cpsdk wrote it gives warnings ``workbook.modified`` naming the cells that
        changed (and ``workbook.identity-modified`` for its hidden identity sheet): see :meth:`verify`.
        """
        report, issues, identity, locate = self._read_identified(path)
        if report is not None:
            if identity is not None:  # typed by hand, a workbook has no record of what was written
                issues.extend(self.verify(report, identity))
            issues.extend(map(locate, self.check(report)))  # at the cells as typed
        return report, issues

    def verify(self, report: Any, identity: WorkbookIdentity) -> list[Issue]:
        """Warnings for every edit made since cpsdk wrote the workbook of ``identity`` that ``report`` was read
        from, pinned to the cells that changed; none when the report is the one written."""
        plans: list[SheetPlan] = []

        def sheets() -> list[SheetPlan]:  # planned only when something changed
            if not plans:
                plans.extend(self._plans(report))
            return plans

        return verify_identity(identity, report, sheets)

    def read(self, path: str | os.PathLike[str]) -> Any:
        """Read a workbook back into a report; raises :class:`WorkbookError` when cells cannot be read."""
        report, issues = self._read(path)
        if report is None:
            raise WorkbookError(f"{path} cannot be read as {self.id}", issues)
        return report

    def _read(self, path: str | os.PathLike[str]) -> tuple[Any | None, list[Issue]]:
        report, issues, _, _ = self._read_identified(path)
        return report, issues

    def _read_identified(
        self, path: str | os.PathLike[str]
    ) -> tuple[Any | None, list[Issue], WorkbookIdentity | None, Callable[[Issue], Issue]]:
        has_script = "script" in attrs.fields_dict(self.report_type)

        def script(identity: WorkbookIdentity) -> Script:
            params = dict(item.partition("=")[::2] for item in identity.params.split(";") if item)
            try:
                return script_of(params.get("script")) if has_script else Script.HANS
            except ValueError:  # an identity sheet edited by hand: read it as simplified
                return Script.HANS

        def extra(data: dict[str, Any], identity: WorkbookIdentity) -> Sequence[Issue]:
            if has_script:
                data.setdefault("script", script(identity).value)
            return self.complete(data) or ()

        from cpsdk.workbook import read_workbook  # the reading side, imported when a workbook is read

        return read_workbook(
            lambda identity: self._layout_in(script(identity)),
            self.report_type,
            path,
            self.id,
            extra=extra,
            layout_year=self.layout_year,
        )

    def report_schema(self) -> dict[str, Any]:
        """JSON Schema of the report, generated from :attr:`report_type`."""
        return schema_for(self.report_type, f"https://cpsdk.dev/schemas/forms/{self.id}.{self.layout_year}.schema.json")

    def pointer(self, *parts: str | int) -> str:
        """JSON pointer into the report, for issues."""
        return path_pointer(tuple(parts))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}@{self.layout_year}>"


def _title_paths(template: str) -> set[tuple[str | int, ...]]:
    return {(name,) for name in title_fields(template)}


@runtime_checkable
class MergeableForm(Form, Protocol):
    """A form whose reports of several regions add up to the report of the region above them."""

    def merge(self, reports: Sequence[Any], **params: Any) -> Any:
        """One report from the reports of several regions; raises :class:`ReportError` when they do not fit."""


def build_report(form: Form, dataset: Dataset, **params: Any) -> tuple[Any, list[Issue]]:
    """Build ``form`` from ``dataset``: the report and the notes made while building it."""
    report, notes = form.build_with_issues(dataset, **params)
    return report, list(notes)


class RegionFromTitle:
    """Mixin of a :class:`LayoutForm` whose title names its region (``{region_name}``) while the
    report also keeps the region's code, which no cell shows (``region``).

    Reading looks the code up from the name the title prints, in either script, among the
    divisions under :attr:`region_within` at the levels :attr:`region_levels` allows; a name
    typed short (``绵阳``, ``阿坝州``) is read as the one division it names, with a warning, and
    a name that names none is an error at the title (the report's region stays empty).
    """

    #: GB/T 2260 prefix the regions lie in (a province's code; empty for the whole country).
    region_within: ClassVar[str] = ""
    #: Levels of division a title may name.
    region_levels: ClassVar[tuple[str, ...]] = ("province", "prefecture", "county")

    def complete(self, data: dict[str, Any]) -> Sequence[Issue] | None:
        """The region code, from the region named in the title."""
        if "region" in data:
            return None
        typed = simplified(str(data.get("region_name", "") or "")).strip()
        found = region_by_name(typed, within=self.region_within)
        issues: list[Issue] = []
        if found is None and (short := region_by_short_name(typed, within=self.region_within)) is not None:
            found = short
            issues.append(
                warning(
                    "read.adjusted",
                    f"标题中的地区“{typed}”读作“{found.name}”",
                    f"the region {typed!r} in the title is read as {found.name!r}",
                    pointer="/region_name",
                )
            )
        if found is not None and found.level in self.region_levels:
            data["region"] = found.code
            return issues
        data["region"] = ""
        within = region(self.region_within) if self.region_within else None
        where = f"{within.name}的" if within is not None else ""
        return [
            error(
                "read.region",
                f"标题中的“{typed}”不是{where}地区名称：请写地区全称，如“成都市”“阿坝藏族羌族自治州”",
                f"{typed!r} in the title is not the name of a region{' of ' + within.code if within else ''}: "
                "type the region's full name",
                pointer="/region_name",
            )
        ]


def describe_form(form: Form) -> dict[str, Any]:
    """The form's metadata as JSON-ready data (``cpsdk forms --format json``)."""
    return {
        "id": form.id,
        "title": form.title,
        "layout_year": form.layout_year,
        "period": form.period.value,
        "scope": form.scope.value,
        "plugin": form.plugin,
        "source": form.source,
        "record_level": bool(form.record_level),
        "record_fields": dict(form.record_fields),
        "mergeable": isinstance(form, MergeableForm),
        "merges_from": list(form.merges_from or ((form.id,) if isinstance(form, MergeableForm) else ())),
        "parameters": dict(form.parameters),
    }
