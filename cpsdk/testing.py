"""The conformance suite every cpsdk plugin runs, as a pytest plugin.

Enable it with ``pytest -p cpsdk.testing`` (or ``addopts = "-p cpsdk.testing"`` in the
plugin's ``pyproject.toml``) and subclass :class:`FormConformance` in a test module,
naming the distribution whose forms it checks::

    from cpsdk.testing import FormConformance

    class TestConformance(FormConformance):
        plugin = "cpsdk-sichuan"

Every test of the class then runs once per form the distribution registers (and per
layout year): metadata well formed; the report schema valid and matching what ``build``
returns; ``build`` from generated datasets and from an empty one; ``check`` returning
issues without raising; write → read giving back an equal report (hypothesis, over
generated datasets); the hidden identity sheet present; a workbook of another form
refused; formula-looking text written as text; and an interrupted write leaving the
previous file untouched.

Every test of a suite that loads the plugin starts with plugins loaded anew (the autouse
fixture :func:`fresh_plugins`), so a plugin's own tests need no conftest for it.

A form whose ``build`` needs parameters beyond ``year`` gets them from
:attr:`FormConformance.build_params` (by form id). A form about one enterprise may raise
:class:`cpsdk.NoRecordsError` when a dataset holds nothing it can report on; such
datasets are skipped, but the suite's fixed example dataset must build.

The plugin also registers the hypothesis profiles every cpsdk suite uses
(:func:`load_hypothesis_profile`): ``ci`` when the ``CI`` environment variable is set
(derandomized, bounded), ``dev`` otherwise, or the one named by ``HYPOTHESIS_PROFILE``
(``thorough`` for a long local run). Needs the ``test`` extra (pytest, hypothesis).
"""

from __future__ import annotations

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

from cpsdk.base._errors import NoRecordsError, WrongFormError
from cpsdk.base._issues import Issue
from cpsdk.datasets._example import generate
from cpsdk.forms._form import Form, Period, Scope, build_report, describe_form
from cpsdk.forms._registry import plugins, reset_plugins
from cpsdk.model._entities import Dataset
from cpsdk.model._structure import make_converter
from cpsdk.workbook import IDENTITY_SHEET, open_workbook, read_identity

#: Text a spreadsheet would take for a formula or a link, put into every name of a dataset.
RISKY_TEXTS = (
    '=HYPERLINK("http://example.com","点击")',
    "+86-28-1234",
    "-1+2",
    "@SUM(A1:A2)",
    "\t=1+1",
    "http://example.com/企业",
)
_FORM_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*\.[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


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
        raise pytest.UsageError(f"no forms of {distribution!r} are registered; is the plugin installed?")
    metafunc.parametrize("conformance_form_key", keys)


#: Arguments of the example dataset: a seed, and at least one enterprise in each of its 16 prefectures.
_DATASET_ARGS = st.tuples(st.integers(0, 2**32 - 1), st.integers(16, 40), st.integers(1, 6))


def _example(seed: int) -> Dataset:
    """A fixed example dataset with enterprises in every prefecture the example covers."""
    return generate(seed=seed, enterprises=24)


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
    """The battery every form of a plugin must pass; subclass it and set :attr:`plugin`."""

    #: The distribution whose forms are checked (e.g. ``"cpsdk-sichuan"``); None checks every form.
    plugin: ClassVar[str | None] = None
    #: Extra ``build`` parameters by form id (``{"sichuan.annual-report": {"region": "5101"}}``).
    build_params: ClassVar[Mapping[str, Mapping[str, Any]]] = {}

    @pytest.fixture
    def conformance_form(self, conformance_form_key: str) -> Iterator[Form]:
        """The form under test, from freshly loaded plugins."""
        reset_plugins()
        form_id, _, year = conformance_form_key.partition("@")
        yield plugins().forms().get(form_id, layout_year=int(year))
        reset_plugins()

    def params(self, form: Form, dataset: Dataset) -> dict[str, Any]:
        """The parameters ``build`` gets for ``dataset``: the last year with a confirmed audit, and build_params."""
        years = [a.confirmed_on.year for a in dataset.audits if a.confirmed_on]
        params: dict[str, Any] = {"year": max(years, default=2018)}
        params.update(self.build_params.get(form.id, {}))
        return params

    def build(self, form: Form, dataset: Dataset) -> tuple[Any, list[Issue]]:
        """Build ``form`` from ``dataset`` with :meth:`params`."""
        return build_report(form, dataset, **self.params(form, dataset))

    def test_metadata_is_well_formed(self, conformance_form: Form) -> None:
        form = conformance_form
        assert _FORM_ID.match(form.id), f"{form.id!r} is not <province>.<form> in lower-case words"
        assert _CJK.search(form.title), f"{form.id}: the title should be Chinese as the form prints it"
        assert 1990 <= form.layout_year <= 2100
        assert isinstance(form.period, Period) and isinstance(form.scope, Scope)
        assert attrs.has(form.report_type), f"{form.id}: the report type should be an attrs class"
        described = describe_form(form)
        assert described["id"] == form.id and described["plugin"]

    def test_report_schema_is_valid_and_matches_built_reports(self, conformance_form: Form) -> None:
        schema = conformance_form.report_schema()
        jsonschema.Draft202012Validator.check_schema(schema)
        report, _ = self.build(conformance_form, _example(5))
        assert isinstance(report, conformance_form.report_type)
        jsonschema.Draft202012Validator(schema).validate(make_converter().unstructure(report))

    def test_build_and_check_never_raise_on_an_empty_dataset(self, conformance_form: Form) -> None:
        try:
            report, notes = self.build(conformance_form, Dataset())
        except NoRecordsError:
            return  # a form about one enterprise's audit has nothing to show
        issues = conformance_form.check(report)
        assert all(isinstance(issue, Issue) for issue in [*notes, *issues])

    @given(args=_DATASET_ARGS)
    @settings(
        max_examples=15,
        # One test method, run by several subclasses and forms: hypothesis sees several executors.
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    def test_write_then_read_gives_the_report_back(self, conformance_form: Form, args: tuple[int, int, int]) -> None:
        seed, enterprises, proposals_per_audit = args  # drawn as numbers: a failing example prints short
        dataset = generate(seed=seed, enterprises=enterprises, proposals_per_audit=proposals_per_audit)
        try:
            report, _ = self.build(conformance_form, dataset)
        except NoRecordsError:
            reject()
        issues = conformance_form.check(report)
        assert all(isinstance(issue, Issue) for issue in issues)
        with tempfile.TemporaryDirectory() as folder:
            path = conformance_form.write(report, Path(folder) / "report.xlsx", draft=True)
            assert conformance_form.read(path) == report
            reader = getattr(conformance_form, "read_with_issues", None)
            if reader is not None:  # an untouched workbook says nothing of itself (it was not edited)
                assert [issue.code for issue in reader(path)[1] if issue.code.startswith("workbook.")] == []

    def test_the_workbook_identifies_itself(self, conformance_form: Form, tmp_path: Path) -> None:
        report, _ = self.build(conformance_form, _example(6))
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
        other_report, _ = build_report(other, _example(7), year=2018)
        other_path = other.write(other_report, tmp_path / "other.xlsx", draft=True)
        with pytest.raises(WrongFormError):
            conformance_form.read(other_path)
        report, _ = self.build(conformance_form, _example(7))
        own = conformance_form.write(report, tmp_path / "own.xlsx", draft=True)
        with pytest.raises(WrongFormError):
            other.read(own)

    def test_formula_looking_text_stays_text(self, conformance_form: Form, tmp_path: Path) -> None:
        report, _ = self.build(conformance_form, _risky(_example(8)))
        path = conformance_form.write(report, tmp_path / "risky.xlsx", draft=True)
        for name, xml in _sheet_xml(path):
            assert "<f>" not in xml and "<f " not in xml, f"{name} holds a formula"
            assert "<hyperlink" not in xml, f"{name} holds a link"
        assert conformance_form.read(path) == report

    def test_an_interrupted_write_leaves_the_previous_file(
        self, conformance_form: Form, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        report, _ = self.build(conformance_form, _example(9))
        target = tmp_path / "report.xlsx"
        target.write_bytes(b"previous")

        def fail(*_: object, **__: object) -> None:
            raise OSError("disk full")

        monkeypatch.setattr("xlsxwriter.workbook.Workbook._store_workbook", fail)
        with pytest.raises(Exception, match="disk full"):
            conformance_form.write(report, target, draft=True)
        assert target.read_bytes() == b"previous"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]
        monkeypatch.undo()
        conformance_form.write(report, target, draft=True)
        assert conformance_form.read(target) == report
