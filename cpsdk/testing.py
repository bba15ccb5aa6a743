"""The conformance suite every cpsdk plugin runs, as a pytest plugin.

Enable it with ``pytest -p cpsdk.testing`` (or ``addopts = "-p cpsdk.testing"`` in the
plugin's ``pyproject.toml``) and subclass :class:`FormConformance` in a test module,
naming the distribution whose forms it checks::

    from cpsdk.testing import FormConformance

    class TestConformance(FormConformance):
        plugin = "cpsdk-sichuan"

Every test of the class then runs once per form the distribution registers (and per
layout year): metadata well formed (the id, a Chinese title, a layout year, a record-level
form naming its row fields); the document cited, not a placeholder; the report schema
valid and matching what ``build`` returns; ``build`` from generated datasets and from an
empty one; reports that show the records of the plugin's province (a suite whose every
report is empty would pass vacuously, so it fails); ``check`` returning issues without
raising; write → read giving back an equal report (hypothesis, over generated datasets);
the hidden identity sheet present; a workbook of another form refused; formula-looking
text written as text; and an interrupted write leaving the previous file untouched.

The data is :func:`cpsdk.example_dataset` with its enterprises in the plugin's province:
:attr:`FormConformance.province`, else the region a form is built for (its ``region`` in
:attr:`FormConformance.build_params`), else the one province its forms' titles lie in
(:attr:`cpsdk.RegionFromTitle.region_within`), else the example's own regions. A plugin
whose forms need other records overrides :meth:`FormConformance.dataset`.

Every test of a suite that loads the plugin starts with plugins loaded anew (the autouse
fixture :func:`fresh_plugins`), so a plugin's own tests need no conftest for it.

A form whose ``build`` needs parameters beyond ``year`` gets them from
:attr:`FormConformance.build_params` (by form id). A form about one enterprise may raise
:class:`cpsdk.NoRecordsError` when a dataset holds nothing it can report on; such
datasets are skipped, but the suite's fixed example dataset must build.

The plugin also registers the hypothesis profiles every cpsdk suite uses
(:func:`load_hypothesis_profile`): ``ci`` when the ``CI`` environment variable is set
(derandomized, bounded), ``dev`` otherwise, or the one named by ``HYPOTHESIS_PROFILE``
(``thorough`` for a long local run). The profile governs every property of the suite:
none fixes its own number of examples or deadline. Needs the ``test`` extra (pytest,
hypothesis).
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

import attrs
import jsonschema
import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from cpsdk.base._errors import NoRecordsError, PluginError, WrongFormError
from cpsdk.base._issues import Issue
from cpsdk.datasets._example import generate
from cpsdk.forms._form import Form, Period, RegionFromTitle, Scope, build_report, describe_form, form_id_problem
from cpsdk.forms._registry import plugins, reset_plugins
from cpsdk.forms._translate import convert_report, record_fields, to_records
from cpsdk.model._entities import Dataset
from cpsdk.model._structure import make_converter
from cpsdk.workbook import IDENTITY_SHEET, open_workbook, read_identity, type_at

#: Text a spreadsheet would take for a formula or a link, put into every name of a dataset.
RISKY_TEXTS = (
    '=HYPERLINK("http://example.com","点击")',
    "+86-28-1234",
    "-1+2",
    "@SUM(A1:A2)",
    "\t=1+1",
    "http://example.com/企业",
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: What a citation left to fill in looks like: a marker (TODO, XXX, 待填, 示例, placeholder, …) or a document
#: number not given (``〔2016〕X号``).
PLACEHOLDER_CITATION = re.compile(
    r"TODO|TBD|FIXME|XXX|placeholder|lorem|\bexample\b|示例|样例|范例|占位|待填|待定|待补|请填写|填写本表|"
    r"〔\s*\d{4}\s*〕\s*[XxＸｘ×*＊?？]+\s*号|[(（]?\s*[Xx]{2,}\s*[)）]?\s*号",
    re.IGNORECASE,
)


#: What names a document: a title in 《》 or “” (four characters at least: “十二五” is not a title), a 文号
#: (``川经信环资〔2016〕153号``, ``晋环发[2010]231号``), a standard's number (``DB37/T 1086-2008``), or a full
#: title written out, ending in the kind of document it is (``广东省关于全面推进绿色清洁生产工作的意见``). A clause
#: may follow any of them (``附件3 填报说明[3]``, ``四、（一）1``).
DOCUMENT_NAMED = re.compile(
    r"《[^《》]{4,}》|“[^“”]{4,}”|\"[^\"]{4,}\""
    r"|[\u4e00-\u9fff]{2,}\s*[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d+\s*号"
    r"|\b(?:GB|GB/T|GB/Z|HJ|HJ/T|DB\d{2}(?:/T)?|[A-Z]{2}/T)\s*\d+(?:\.\d+)?-(?:19|20)\d{2}\b"
    r"|(?:[\u4e00-\u9fff“”\"]){6,}(?:意见|通知|规划|纲要|办法|方案|决定|规定|细则|指南|标准|条例|公告|通告|批复|计划)"
)


def citation_problem(source: str | None) -> str | None:
    """None for a citation of a document; otherwise what is wrong with it: missing, a placeholder, or not naming a
    document (:data:`DOCUMENT_NAMED`: a title in 《》 or “”, a 文号 such as ``晋环发〔2010〕231号``, a standard's
    number, or a full title ending in the kind of document it is), optionally followed by a clause."""
    if source is None or not source.strip():
        return "no document is cited: set the form's `source` to the document and clause it comes from"
    found = PLACEHOLDER_CITATION.search(source)
    if found is not None:
        return f"{source!r} is a placeholder ({found[0]!r}), not the document the form comes from"
    if DOCUMENT_NAMED.search(source) is None:
        return (
            f"{source!r} names no document: cite its title in 《》 or “” (《山西省清洁生产“十二五”推行规划》) "
            "or its 文号 (晋环发〔2010〕231号), then the clause (四、（一）1)"
        )
    return None


def load_hypothesis_profile() -> str:
    """Register the ``ci``, ``dev`` and ``thorough`` profiles and load the one this run asks for."""
    settings.register_profile(
        "ci",
        max_examples=40,
        derandomize=True,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    settings.register_profile("dev", max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile(
        "thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    name = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
    settings.load_profile(name)
    return name


def pytest_configure(config: pytest.Config) -> None:
    """Load the hypothesis profile of this run."""
    load_hypothesis_profile()


@pytest.fixture(autouse=True)
def fresh_plugins() -> Iterator[None]:
    """Each test starts with plugins loaded anew (entry points read again), and leaves none behind: a test
    that installs or breaks a plugin cannot change what the next one sees."""
    reset_plugins()
    yield
    reset_plugins()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each test of a :class:`FormConformance` subclass once per form of its plugin."""
    if "conformance_form_key" not in metafunc.fixturenames:
        return
    distribution = getattr(metafunc.cls, "plugin", None)
    keys = [
        f"{form.id}@{form.layout_year}"
        for form in plugins().forms().all()
        if distribution is None or form.plugin == distribution
    ]
    if not keys:
        try:
            if distribution is not None:
                plugins().raise_if_broken(distribution)
        except PluginError as exc:
            raise pytest.UsageError(f"no forms of {distribution!r}: {exc}") from exc
        raise pytest.UsageError(f"no forms of {distribution!r} are registered; is the plugin installed?")
    metafunc.parametrize("conformance_form_key", keys)


#: Arguments of the example dataset: a seed, a number of enterprises and of proposals per audit.
_DATASET_ARGS = st.tuples(st.integers(0, 2**32 - 1), st.integers(16, 40), st.integers(1, 6))
#: Seeds of the fixed datasets the suite's other tests build from.
_FIXED_SEEDS = (5, 6, 7, 8, 9)


def _risky(dataset: Dataset) -> Dataset:
    """``dataset`` with every name and title replaced by text that looks like a formula or a link."""

    def rename(records: Sequence[Any], field: str) -> tuple[Any, ...]:
        return tuple(
            attrs.evolve(r, **{field: f"{RISKY_TEXTS[i % len(RISKY_TEXTS)]}{i}"}) for i, r in enumerate(records)
        )

    return attrs.evolve(
        dataset,
        enterprises=tuple(
            attrs.evolve(e, main_products=(RISKY_TEXTS[0],), contact_person=RISKY_TEXTS[1])
            for e in rename(dataset.enterprises, "name")
        ),
        proposals=rename(dataset.proposals, "name"),
        documents=rename(dataset.documents, "title"),
    )


def _sheet_xml(path: Path) -> Iterator[tuple[str, str]]:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                yield name, archive.read(name).decode("utf-8")


class FormConformance:
    """The battery every form of a plugin must pass; subclass it and set :attr:`plugin`.

    A subclass may set :attr:`plugin`, :attr:`build_params` and :attr:`province`, and override
    :meth:`dataset` (the records the forms are built from) and :meth:`params` (the parameters
    ``build`` gets for a dataset). Everything else, the tests among it, is the suite's.
    """

    #: The distribution whose forms are checked (e.g. ``"cpsdk-sichuan"``); None checks every form.
    plugin: ClassVar[str | None] = None
    #: Extra ``build`` parameters by form id (``{"sichuan.annual-report": {"region": "5101"}}``).
    build_params: ClassVar[Mapping[str, Mapping[str, Any]]] = {}
    #: GB/T 2260 code of the province (``"14"``) or prefectures the example data's enterprises are in. None:
    #: the region a form is built for (``build_params``), else the one province the plugin's forms' titles
    #: lie in (``RegionFromTitle.region_within``), if they agree; else the example's own regions
    #: (prefectures of Sichuan, Guangdong and Shandong).
    province: ClassVar[str | Sequence[str] | None] = None

    @pytest.fixture
    def conformance_form(self, conformance_form_key: str) -> Iterator[Form]:
        """The form under test, from freshly loaded plugins."""
        reset_plugins()
        form_id, _, year = conformance_form_key.partition("@")
        yield plugins().forms().get(form_id, layout_year=int(year))
        reset_plugins()

    def regions(self, form: Form) -> tuple[str, ...] | None:
        """The codes the example data spreads enterprises over: :attr:`province`; else the region the form
        is built for (its ``region`` in :attr:`build_params`: a prefecture, or a county's prefecture); else
        the one province the plugin's forms' titles lie in; None for the example's own regions."""
        if self.province is not None:
            return (self.province,) if isinstance(self.province, str) else tuple(self.province)
        asked = str(self.build_params.get(form.id, {}).get("region") or "")
        if asked.isascii() and asked.isdigit() and len(asked) in (2, 4, 6):
            return (asked[:4],)
        within = {
            other.region_within[:2]
            for other in plugins().forms().all()
            if other.plugin == form.plugin and isinstance(other, RegionFromTitle) and other.region_within
        }
        return (within.pop(),) if len(within) == 1 else None

    def dataset(self, form: Form, *, seed: int, enterprises: int = 24, proposals_per_audit: int = 12) -> Dataset:
        """The records ``form`` is built from, deterministic by ``seed``: the example dataset in :meth:`regions`.

        Override it to give the forms records the example does not make (a province's own key
        industries, programme records). Its reports must show records (:meth:`shows_records`) for at
        least one of the suite's fixed seeds, or the suite fails: it would pass without checking anything.
        """
        regions = self.regions(form)
        if regions is None:
            return generate(seed=seed, enterprises=enterprises, proposals_per_audit=proposals_per_audit)
        return generate(seed=seed, enterprises=enterprises, proposals_per_audit=proposals_per_audit, cities=regions)

    def params(self, form: Form, dataset: Dataset) -> dict[str, Any]:
        """The parameters ``build`` gets for ``dataset``: the last year with a confirmed audit, and build_params."""
        years = [a.confirmed_on.year for a in dataset.audits if a.confirmed_on]
        params: dict[str, Any] = {"year": max(years, default=2018)}
        params.update(self.build_params.get(form.id, {}))
        return params

    def build(self, form: Form, dataset: Dataset) -> tuple[Any, list[Issue]]:
        """Build ``form`` from ``dataset`` with :meth:`params`."""
        return build_report(form, dataset, **self.params(form, dataset))

    def _example(self, form: Form, seed: int) -> Dataset:
        return self.dataset(form, seed=seed)

    def shows_records(self, form: Form, dataset: Dataset, report: Any) -> bool:
        """True when ``report``, built from ``dataset``, shows something of its records: it is not the report
        the form builds, with the same parameters, from no records at all (tables empty, figures zero).
        A form that refuses to build from no records (:class:`cpsdk.NoRecordsError`) shows them whenever
        it builds."""
        try:
            nothing, _ = build_report(form, Dataset(), **self.params(form, dataset))
        except NoRecordsError:
            return True
        return bool(report != nothing)

    def test_metadata_is_well_formed(self, conformance_form: Form) -> None:
        form = conformance_form
        problem = form_id_problem(form.id)
        assert problem is None, f"{form.id!r}: {problem}"
        assert _CJK.search(form.title), f"{form.id}: the title should be Chinese as the form prints it"
        assert 1990 <= form.layout_year <= 2100
        assert isinstance(form.period, Period) and isinstance(form.scope, Scope)
        assert attrs.has(form.report_type), f"{form.id}: the report type should be an attrs class"
        described = describe_form(form)
        assert described["id"] == form.id and described["plugin"]

    def test_the_form_cites_its_document(self, conformance_form: Form) -> None:
        problem = citation_problem(conformance_form.source)
        assert problem is None, f"{conformance_form.id}: {problem}"

    def test_a_record_level_form_names_its_fields(self, conformance_form: Form) -> None:
        form = conformance_form
        if not form.record_level:
            return
        fields = record_fields(form)  # a FormError says what is missing: no fields, or an unknown concept
        row_type, _ = type_at(form.report_type, ("rows", 0))
        columns = {field.name: field for field in attrs.fields(row_type)}
        unknown = sorted(set(fields) - set(columns))
        assert not unknown, f"{form.id}: record_fields names {unknown}, which are not fields of {row_type.__name__}"
        unnamed = sorted(
            name for name, field in columns.items() if name not in fields and field.default is attrs.NOTHING
        )
        assert not unnamed, (
            f"{form.id}: record_fields does not name the row fields {unnamed}, which have no default: a converted "
            "row cannot be made without them (a field with a default may be left out; it is then not converted, "
            "and each conversion says what it drops: conversion.not-convertible)"
        )
        dataset = self._example(form, _FIXED_SEEDS[0])
        report, _ = self.build(form, dataset)
        converted, _ = convert_report(form, report, form, **self.params(form, dataset))
        assert to_records(form, converted) == to_records(form, report), f"{form.id}: converting to itself changes rows"

    def test_report_schema_is_valid_and_matches_built_reports(self, conformance_form: Form) -> None:
        schema = conformance_form.report_schema()
        jsonschema.Draft202012Validator.check_schema(schema)
        report, _ = self.build(conformance_form, self._example(conformance_form, 5))
        assert isinstance(report, conformance_form.report_type)
        jsonschema.Draft202012Validator(schema).validate(make_converter().unstructure(report))

    def test_build_and_check_never_raise_on_an_empty_dataset(self, conformance_form: Form) -> None:
        try:
            report, notes = self.build(conformance_form, Dataset())
        except NoRecordsError:
            return  # a form about one enterprise's audit has nothing to show
        issues = conformance_form.check(report)
        assert all(isinstance(issue, Issue) for issue in [*notes, *issues])

    def test_reports_show_the_records_they_are_built_from(self, conformance_form: Form) -> None:
        form = conformance_form
        for seed in _FIXED_SEEDS:
            dataset = self._example(form, seed)
            try:
                report, _ = self.build(form, dataset)
            except NoRecordsError:
                continue
            if self.shows_records(form, dataset, report):
                return
        where = ", ".join(self.regions(form) or ("the example's regions",))
        pytest.fail(
            f"{form.id}: every report built from the example data ({where}) is empty, so the suite would pass "
            "without checking anything: set `province` to the plugin's province, give `build_params`, or "
            "override `dataset` to give the form records it reports on"
        )

    def test_write_then_read_gives_the_report_back(self, conformance_form: Form) -> None:
        form = conformance_form
        shown: list[bool] = []

        # Made here, as the test runs: the loaded profile (ci, dev, thorough) decides the examples and deadline.
        @given(args=_DATASET_ARGS)
        def round_trip(args: tuple[int, int, int]) -> None:
            seed, enterprises, proposals_per_audit = args  # drawn as numbers: a failing example prints short
            dataset = self.dataset(form, seed=seed, enterprises=enterprises, proposals_per_audit=proposals_per_audit)
            try:
                report, _ = self.build(form, dataset)
            except NoRecordsError:
                reject()
            issues = form.check(report)
            assert all(isinstance(issue, Issue) for issue in issues)
            cited = {issue.source for issue in issues if issue.source}
            assert not [source for source in cited if citation_problem(source)], f"bad citations: {cited}"
            with tempfile.TemporaryDirectory() as folder:
                path = form.write(report, Path(folder) / "report.xlsx", draft=True)
                assert form.read(path) == report
                # An untouched workbook says nothing of itself (it was not edited).
                assert [
                    issue.code for issue in form.read_with_issues(path)[1] if issue.code.startswith("workbook.")
                ] == []
            shown.append(self.shows_records(form, dataset, report))

        round_trip()
        assert any(shown), f"{form.id}: every report of the round trip was empty; it checked nothing"

    def test_the_workbook_identifies_itself(self, conformance_form: Form, tmp_path: Path) -> None:
        report, _ = self.build(conformance_form, self._example(conformance_form, 6))
        path = conformance_form.write(report, tmp_path / "report.xlsx", draft=True)
        book = open_workbook(path)
        try:
            identity = read_identity(book)
        finally:
            book.close()
        assert identity is not None
        assert (identity.form, identity.layout_year) == (conformance_form.id, conformance_form.layout_year)
        with zipfile.ZipFile(path) as archive:
            workbook_xml = archive.read("xl/workbook.xml").decode("utf-8")
        assert re.search(rf'<sheet name="{IDENTITY_SHEET}"[^>]*state="hidden"', workbook_xml)

    def test_a_workbook_of_another_form_is_refused(self, conformance_form: Form, tmp_path: Path) -> None:
        other = next(f for f in plugins().forms().all() if f.id != conformance_form.id)
        other_report, _ = build_report(other, generate(seed=7, enterprises=24), year=2018)
        other_path = other.write(other_report, tmp_path / "other.xlsx", draft=True)
        with pytest.raises(WrongFormError):
            conformance_form.read(other_path)
        report, _ = self.build(conformance_form, self._example(conformance_form, 7))
        own = conformance_form.write(report, tmp_path / "own.xlsx", draft=True)
        with pytest.raises(WrongFormError):
            other.read(own)

    def test_formula_looking_text_stays_text(self, conformance_form: Form, tmp_path: Path) -> None:
        report, _ = self.build(conformance_form, _risky(self._example(conformance_form, 8)))
        path = conformance_form.write(report, tmp_path / "risky.xlsx", draft=True)
        for name, xml in _sheet_xml(path):
            assert "<f>" not in xml and "<f " not in xml, f"{name} holds a formula"
            assert "<hyperlink" not in xml, f"{name} holds a link"
        assert conformance_form.read(path) == report

    def test_an_interrupted_write_leaves_the_previous_file(
        self, conformance_form: Form, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        report, _ = self.build(conformance_form, self._example(conformance_form, 9))
        target = tmp_path / "report.xlsx"
        target.write_bytes(b"previous")

        def disk_full(*_: object, **__: object) -> None:
            raise OSError(errno.ENOSPC, "disk full")

        # The workbook is written whole to a file beside the target, then renamed into place: the disk
        # filling up before the rename is the last moment a write can be interrupted.
        monkeypatch.setattr(os, "replace", disk_full)
        with pytest.raises(OSError, match="disk full"):
            conformance_form.write(report, target, draft=True)
        monkeypatch.undo()
        assert target.read_bytes() == b"previous"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]
        conformance_form.write(report, target, draft=True)
        assert conformance_form.read(target) == report
