"""``cpsdk new-plugin``: a working plugin package for a province, to start from.

The package has a ``pyproject.toml`` registering the plugin under the ``cpsdk`` entry
point, one example record-level form (the enterprises whose audit was confirmed in a
year), and tests that run cpsdk's conformance suite. It installs and passes its tests
as written; the province then replaces the example with its own forms.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

from cpsdk.base._errors import CpsdkError
from cpsdk.base._version import sdk_version
from cpsdk.workbook import write_text_atomic

_NAME = re.compile(r"^[a-z][a-z0-9]{1,30}$")

_PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.21"]
build-backend = "hatchling.build"

[project]
name = "cpsdk-$province"
version = "0.1.0"
description = "Cleaner-production forms of $province for cpsdk."
readme = "README.md"
requires-python = ">=3.10"
dependencies = ["cpsdk>=$cpsdk_version"]

[project.optional-dependencies]
test = ["cpsdk[test]>=$cpsdk_version"]

[project.entry-points.cpsdk]
$province = "cpsdk_$province.plugin"

[tool.hatch.build.targets.wheel]
packages = ["cpsdk_$province"]

[tool.pytest.ini_options]
testpaths = ["tests"]
addopts = "-ra --strict-markers -p cpsdk.testing"

[tool.ruff]
line-length = 120

[tool.ruff.lint]
select = ["E", "F", "W", "I", "B", "UP", "RUF"]
# Chinese full-width punctuation in strings and docstrings is intended.
ignore = ["RUF001", "RUF002", "RUF003", "RUF012"]

[tool.ruff.lint.flake8-bugbear]
# cpsdk.describe returns an attrs field, like attrs.field().
extend-immutable-calls = ["cpsdk.describe"]
"""

_README = """\
# cpsdk-$province

Cleaner-production forms of $province for [cpsdk](https://pypi.org/project/cpsdk/).

```sh
pip install -e '.[test]'     # next to cpsdk; registers the `cpsdk` entry point
cpsdk forms                  # lists $province.enterprises
python -m pytest             # the example's tests and cpsdk's conformance suite
```

`cpsdk_$province/enterprises.py` is an example form to replace with the province's own:
describe the report as attrs classes, lay the workbook out once (`layout`), build the
report from a dataset (`build`), and state the form's rules (`rules`), citing the
document each comes from. See cpsdk's `docs/plugins.md`.
"""

_INIT = '''\
"""Cleaner-production forms of $province for cpsdk."""

from cpsdk_$province.enterprises import AuditedEnterprises, EnterprisesForm

__all__ = ["AuditedEnterprises", "EnterprisesForm"]
'''

_PLUGIN = '''\
"""The hooks this plugin implements."""

from __future__ import annotations

from collections.abc import Iterable

from cpsdk import Form, hookimpl

from cpsdk_$province.enterprises import EnterprisesForm


@hookimpl
def cpsdk_register_forms() -> Iterable[Form]:
    """The forms of $province."""
    return [EnterprisesForm()]
'''

_FORM = '''\
"""``$province.enterprises`` — an example form: the enterprises whose audit was confirmed in a year.

One row per audit confirmed by the authority in the year, for a region (a GB/T 2260
prefix; all regions when none is given).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import attrs
from cpsdk import Dataset, Issue, LayoutForm, Period, Scope, describe, error, titled
from cpsdk.codes import region_full_name
from cpsdk.workbook import Column, Grid, SheetLayout, Table, Text, Title, Value, WorkbookLayout

#: The document the form comes from, cited by its issues.
SOURCE = "$province 清洁生产审核企业名单（示例）"


@titled("审核企业", "Audited enterprise")
@attrs.frozen(kw_only=True)
class Row:
    """One audit confirmed in the year."""

    name: str = describe("企业名称", "Enterprise name")
    uscc: str = describe("统一社会信用代码", "Unified social credit code")
    location: str = describe("所在地", "Where it is")
    kind: str = describe("审核类型", "Voluntary or mandatory")
    confirmed_on: datetime.date = describe("确认日期", "Date confirmed")


@titled("清洁生产审核企业名单", "Enterprises audited in a year")
@attrs.frozen(kw_only=True)
class AuditedEnterprises:
    """The report: a region, a year and its audited enterprises."""

    region_name: str = describe("地区", "Region")
    year: int = describe("年度", "Year", schema={"minimum": 2000, "maximum": 2100})
    rows: tuple[Row, ...] = describe("企业", "Enterprises", factory=tuple)
    contact_person: str | None = describe("联系人", "Contact person", default=None)


class EnterprisesForm(LayoutForm):
    """清洁生产审核企业名单."""

    id = "$province.enterprises"
    title = "清洁生产审核企业名单"
    layout_year = 2016
    period = Period.YEAR
    scope = Scope.REGION
    report_type = AuditedEnterprises
    source = SOURCE
    record_level = True
    parameters = {"year": "年度 year", "region": "地区代码 region code prefix (default: all)"}

    def build(self, dataset: Dataset, **params: Any) -> AuditedEnterprises:
        """The audits confirmed in ``year`` by enterprises of ``region``."""
        region = str(params.get("region") or "")
        data = dataset.in_region(region) if region else dataset
        years = [a.confirmed_on.year for a in data.audits if a.confirmed_on]
        year = int(params.get("year") or max(years, default=datetime.date.today().year))
        rows = []
        for audit in data.audits:
            enterprise = data.enterprise_by_uscc.get(audit.enterprise)
            if enterprise is None or audit.confirmed_on is None or audit.confirmed_on.year != year:
                continue
            rows.append(
                Row(
                    name=enterprise.name,
                    uscc=enterprise.uscc,
                    location=region_full_name(enterprise.region) or enterprise.region,
                    kind=audit.kind.zh,
                    confirmed_on=audit.confirmed_on,
                )
            )
        rows.sort(key=lambda row: (row.confirmed_on, row.name))
        name = (region_full_name(region) or region) if region else "全国"
        return AuditedEnterprises(region_name=name, year=year, rows=tuple(rows))

    def layout(self) -> WorkbookLayout:
        """Title, one table, then the contact person."""
        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="审核企业名单",
                    columns=(6, 34, 22, 26, 10, 12),
                    blocks=(
                        Title(template="{region_name}{year}年清洁生产审核企业名单"),
                        Table(
                            rows="rows",
                            columns=(
                                Column(header=("序号",), field="#"),
                                Column(header=("企业名称",), field="name", style="text"),
                                Column(header=("统一社会信用代码",), field="uscc", style="center"),
                                Column(header=("所在地",), field="location", style="center"),
                                Column(header=("审核类型",), field="kind", style="center"),
                                Column(header=("确认日期",), field="confirmed_on"),
                            ),
                        ),
                        Grid(
                            rows=(
                                (
                                    Text(text="联系人：", colspan=2, style="field_label"),
                                    Value(path="contact_person", colspan=2, style="field_value"),
                                ),
                            )
                        ),
                    ),
                ),
            )
        )

    def rules(self, report: AuditedEnterprises) -> Iterable[Issue]:
        """Each audit was confirmed in the report's year."""
        for index, row in enumerate(report.rows):
            if row.confirmed_on.year != report.year:
                yield error(
                    "$province.enterprises.year",
                    f"确认日期 {row.confirmed_on} 不在{report.year}年",
                    f"the confirmation date {row.confirmed_on} is not in {report.year}",
                    pointer=self.pointer("rows", index, "confirmed_on"),
                    source=SOURCE,
                )
'''

_TEST_CONFORMANCE = '''\
"""cpsdk's conformance suite over every form of this plugin."""

from cpsdk.testing import FormConformance


class TestConformance(FormConformance):
    plugin = "cpsdk-$province"
'''

_TEST_FORM = '''\
"""The example form: which audits it lists, and its rule."""

import attrs
import cpsdk


def test_lists_the_audits_confirmed_in_the_year() -> None:
    dataset = cpsdk.example_dataset(seed=1, enterprises=20)
    form = cpsdk.get_form("$province.enterprises")
    report = form.build(dataset, year=2017)
    expected = sum(1 for a in dataset.audits if a.confirmed_on and a.confirmed_on.year == 2017)
    assert len(report.rows) == expected
    assert not cpsdk.has_errors(form.check(report))


def test_a_row_of_another_year_is_an_error_on_its_cell() -> None:
    form = cpsdk.get_form("$province.enterprises")
    report = form.build(cpsdk.example_dataset(seed=1, enterprises=20), year=2017)
    wrong = attrs.evolve(report, year=2030)
    issue = next(issue for issue in form.check(wrong) if issue.code == "$province.enterprises.year")
    assert issue.sheet == "审核企业名单" and issue.cell is not None
'''

#: Files of the package, by path relative to its folder.
FILES = {
    "pyproject.toml": _PYPROJECT,
    "README.md": _README,
    "cpsdk_$province/__init__.py": _INIT,
    "cpsdk_$province/py.typed": "",
    "cpsdk_$province/plugin.py": _PLUGIN,
    "cpsdk_$province/enterprises.py": _FORM,
    "tests/test_conformance.py": _TEST_CONFORMANCE,
    "tests/test_enterprises.py": _TEST_FORM,
}


def new_plugin(province: str, folder: str | Path) -> list[Path]:
    """Write a plugin package for ``province`` (lower-case pinyin, e.g. ``hubei``) into ``folder``.

    Refuses a bad name, or a folder that already holds files.
    """
    if not _NAME.match(province):
        raise CpsdkError(f"{province!r}: give the province in lower-case pinyin letters, e.g. hubei")
    target = Path(folder)
    if target.exists() and any(target.iterdir()):
        raise CpsdkError(f"{target} is not empty; give a new folder")
    values = {"province": province, "cpsdk_version": sdk_version().split("+")[0]}
    written: list[Path] = []
    for relative, template in FILES.items():
        path = target / string.Template(relative).substitute(values)
        path.parent.mkdir(parents=True, exist_ok=True)
        # `$` only ever introduces a template field here; every other `$` would be a bug.
        write_text_atomic(path, string.Template(template).substitute(values))
        written.append(path)
    return written
