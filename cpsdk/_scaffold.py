"""``cpsdk new-plugin``: a working plugin package for a province, to start from.

The package has a ``pyproject.toml`` registering the plugin under the ``cpsdk`` entry
point (with its pytest, ruff and mypy configuration), a ``.gitignore``, one example
record-level form (the enterprises whose audit was confirmed in a year, its region read
back from its title), the form's published report schema, and tests that run cpsdk's
conformance suite. It installs and passes its tests as written once the document the
form comes from is cited (``--source``: its title in 《》 or its 文号, then the clause, e.g.
``《山西省清洁生产“十二五”推行规划》 四、（一）1``); until then the conformance suite's citation
check fails, saying so. The province then replaces the example with its own forms.

A province is given by its GB/T 2260 code and name (``--region 14 --name 山西``): pinyin
alone is ambiguous (山西 shanxi, 陕西 shaanxi). The package is named in pinyin, derived
from the code or given.
"""

from __future__ import annotations

import datetime
import importlib.util
import json
import re
import string
import sys
from pathlib import Path

import attrs

from cpsdk.base._errors import CpsdkError
from cpsdk.base._version import sdk_version
from cpsdk.codes import region, region_by_name
from cpsdk.model._schema import schema_text
from cpsdk.workbook import write_text_atomic

_PINYIN = re.compile(r"^[a-z][a-z0-9]{1,30}$")

#: The package name of each province-level division (GB/T 2260 code → pinyin; 山西 and 陕西 as their
#: own romanisations have it: shanxi, shaanxi).
PROVINCE_PINYIN: dict[str, str] = {
    "11": "beijing",
    "12": "tianjin",
    "13": "hebei",
    "14": "shanxi",
    "15": "neimenggu",
    "21": "liaoning",
    "22": "jilin",
    "23": "heilongjiang",
    "31": "shanghai",
    "32": "jiangsu",
    "33": "zhejiang",
    "34": "anhui",
    "35": "fujian",
    "36": "jiangxi",
    "37": "shandong",
    "41": "henan",
    "42": "hubei",
    "43": "hunan",
    "44": "guangdong",
    "45": "guangxi",
    "46": "hainan",
    "50": "chongqing",
    "51": "sichuan",
    "52": "guizhou",
    "53": "yunnan",
    "54": "xizang",
    "61": "shaanxi",
    "62": "gansu",
    "63": "qinghai",
    "64": "ningxia",
    "65": "xinjiang",
    "71": "taiwan",
    "81": "xianggang",
    "82": "aomen",
}

#: What the generated form cites until the province's document is given: conformance refuses it.
PLACEHOLDER_SOURCE = "TODO: 填写本表所依据的文件及条款（《文件名称》或文号，附件，条款）"
#: What ``--source`` looks like: the document's title in 《》 (or its 文号, e.g. 晋环发〔2010〕231号), then the clause.
SOURCE_EXAMPLE = "《山西省清洁生产“十二五”推行规划》 四、（一）1"

_PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.21"]
build-backend = "hatchling.build"

[project]
name = "cpsdk-$pinyin"
version = "0.1.0"
description = "Cleaner-production (清洁生产) forms of $province_name ($region) for cpsdk."
readme = "README.md"
requires-python = ">=3.10"
dependencies = ["cpsdk>=$cpsdk_version"]

[project.optional-dependencies]
test = ["cpsdk[test]>=$cpsdk_version"]

[project.entry-points.cpsdk]
$pinyin = "cpsdk_$pinyin.plugin"

[tool.hatch.build.targets.wheel]
packages = ["cpsdk_$pinyin"]

[tool.pytest.ini_options]
testpaths = ["tests"]
addopts = "-ra --strict-markers -p cpsdk.testing"

[tool.mypy]
python_version = "3.10"
strict = true
packages = ["cpsdk_$pinyin"]

[[tool.mypy.overrides]]
module = ["python_calamine.*", "stdnum.*", "xlsxwriter.*", "jsonschema.*", "opencc.*"]
ignore_missing_imports = true

[tool.ruff]
line-length = 120
target-version = "py310"

[tool.ruff.lint]
select = ["E", "F", "W", "I", "B", "UP", "RUF"]
# Chinese full-width punctuation in strings and docstrings is intended.
ignore = ["RUF001", "RUF002", "RUF003", "RUF012"]

[tool.ruff.lint.flake8-bugbear]
# cpsdk.describe returns an attrs field, like attrs.field().
extend-immutable-calls = ["cpsdk.describe"]
"""

_GITIGNORE = """\
__pycache__/
*.py[cod]
*.egg-info/
build/
dist/
.venv/
.pytest_cache/
.mypy_cache/
.ruff_cache/
.hypothesis/
*.xlsx
~$$*
"""

_README = """\
# cpsdk-$pinyin

Cleaner-production (清洁生产) forms of $province_name (GB/T 2260 `$region`) for
[cpsdk](https://pypi.org/project/cpsdk/).

```sh
pip install -e '.[test]'     # next to cpsdk; registers the `cpsdk` entry point
cpsdk forms $pinyin.enterprises   # the example form, its parameters and columns
python -m pytest             # the example's tests and cpsdk's conformance suite
ruff check . && mypy         # as configured in pyproject.toml
```

`cpsdk_$pinyin/enterprises.py` is an example form to replace with the province's own:
describe the report as attrs classes, lay the workbook out once (`layout`), build the
report from a dataset (`build`), and state the form's rules (`rules`), citing the
document each comes from (`SOURCE`: the conformance suite refuses a placeholder). The
report schemas this package publishes are in `schemas/forms/`; after changing a report,
write them again with `cpsdk schema --write schemas --plugin cpsdk-$pinyin`. See cpsdk's
`docs/plugins.md`.
"""

_INIT = '''\
"""Cleaner-production forms of $province_name for cpsdk."""

from cpsdk_$pinyin.enterprises import AuditedEnterprises, EnterprisesForm

__all__ = ["AuditedEnterprises", "EnterprisesForm"]
'''

_PLUGIN = '''\
"""The hooks this plugin implements."""

from __future__ import annotations

from collections.abc import Iterable

from cpsdk import Form, hookimpl

from cpsdk_$pinyin.enterprises import EnterprisesForm


@hookimpl
def cpsdk_register_forms() -> Iterable[Form]:
    """The forms of $province_name."""
    return [EnterprisesForm()]
'''

_FORM = '''\
"""``$pinyin.enterprises`` — an example form: the enterprises of $province_name whose audit was confirmed in a year.

One row per audit the authority confirmed in the year, for the province or one of its
regions (the ``region`` parameter). The title names the region; reading a workbook looks
its code up from that name (``cpsdk.RegionFromTitle``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import attrs
from cpsdk import Dataset, Issue, LayoutForm, Period, RegionFromTitle, Scope, describe, error, titled
from cpsdk.codes import industry_name, region, region_full_name, uscc_problem
from cpsdk.workbook import Column, Grid, SheetLayout, Table, Text, Title, Value, WorkbookLayout

#: GB/T 2260 code of $province_name.
PROVINCE = "$region"
#: The document (and clause) the form comes from, cited by its issues: 《title》 or 文号, then the clause.
SOURCE = $source


@titled("审核企业", "Audited enterprise")
@attrs.frozen(kw_only=True)
class Row:
    """One audit confirmed in the year. Every field may be empty (a conversion from another form
    may not give it); the rules say which are required."""

    name: str | None = describe("企业名称", "Enterprise name", default=None)
    uscc: str | None = describe("统一社会信用代码", "Unified social credit code", default=None)
    location: str | None = describe("所在地", "Where it is", default=None)
    industry: str | None = describe("所属行业", "Industry (GB/T 4754-2017)", default=None)
    year: int | None = describe("审核年度", "Year the audit was confirmed", default=None)


@titled("清洁生产审核企业名单", "Enterprises audited in a year")
@attrs.frozen(kw_only=True)
class AuditedEnterprises:
    """The report: a region of $province_name, a year and its audited enterprises."""

    region: str = describe("地区代码", "Region code", schema={"pattern": "^$region([0-9]{2}){0,2}$$"})
    region_name: str = describe("地区", "Region")
    year: int = describe("年度", "Year", schema={"minimum": 1990, "maximum": 2100})
    rows: tuple[Row, ...] = describe("企业", "Enterprises", factory=tuple)
    contact_person: str | None = describe("联系人", "Contact person", default=None)


class EnterprisesForm(RegionFromTitle, LayoutForm):
    """清洁生产审核企业名单."""

    id = "$pinyin.enterprises"
    title = "清洁生产审核企业名单"
    layout_year = $layout_year
    period = Period.YEAR
    scope = Scope.REGION
    report_type = AuditedEnterprises
    source = SOURCE
    region_within = PROVINCE
    record_level = True
    #: What each row field is, for converting to and from other record-level forms (cpsdk.CONCEPTS).
    record_fields = {
        "name": "enterprise.name",
        "uscc": "enterprise.uscc",
        "location": "enterprise.location",
        "industry": "enterprise.industry",
        "year": "audit.year",
    }
    parameters = {
        "year": "年度 year (default: the last year with an audit confirmed)",
        "region": "地区代码 a region of $province_name, e.g. ${region}01 (default: $region, the province)",
        "contact_person": "联系人 contact person (default: none)",
    }

    def build(self, dataset: Dataset, **params: Any) -> AuditedEnterprises:
        """The audits confirmed in ``year`` by enterprises of ``region``; refuses a region outside the province."""
        code = str(params.get("region") or PROVINCE)
        found = region(code)
        if found is None or not code.startswith(PROVINCE):
            raise ValueError(f"region takes a GB/T 2260 code of $province_name ({PROVINCE}…), got {code[:20]!r}")
        data = dataset.in_region(code)
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
                    industry=f"{enterprise.industry} {industry_name(enterprise.industry) or ''}".strip(),
                    year=year,
                )
            )
        rows.sort(key=lambda row: (row.location or "", row.name or ""))
        contact = str(params.get("contact_person") or "").strip() or None
        return AuditedEnterprises(
            region=code, region_name=found.name, year=year, rows=tuple(rows), contact_person=contact
        )

    def layout(self) -> WorkbookLayout:
        """Title, one table, then the contact person."""
        return WorkbookLayout(
            sheets=(
                SheetLayout(
                    name="审核企业名单",
                    columns=(6, 34, 22, 30, 26, 10),
                    landscape=True,
                    blocks=(
                        Title(template="{region_name}{year}年清洁生产审核企业名单"),
                        Table(
                            rows="rows",
                            columns=(
                                Column(header=("序号",), field="#"),
                                Column(header=("企业名称",), field="name", style="text", synonyms=("单位名称",)),
                                Column(header=("统一社会信用代码",), field="uscc", style="center"),
                                Column(header=("所在地",), field="location", style="text"),
                                Column(header=("所属行业",), field="industry", style="text"),
                                Column(header=("审核年度",), field="year", style="center"),
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
        """Each row names its enterprise, with a valid 统一社会信用代码, audited in the report's year."""
        for index, row in enumerate(report.rows):
            if not row.name:
                yield error(
                    "$pinyin.enterprises.name",
                    "企业名称必须填写",
                    "the enterprise's name is required",
                    pointer=self.pointer("rows", index, "name"),
                    source=SOURCE,
                )
            problem = uscc_problem(row.uscc) if row.uscc else None
            if problem is not None:
                yield error(
                    "$pinyin.enterprises.uscc",
                    f"统一社会信用代码{problem[0]}",
                    f"the unified social credit code {problem[1]}",
                    pointer=self.pointer("rows", index, "uscc"),
                    source=SOURCE,
                )
            if row.year is not None and row.year != report.year:
                yield error(
                    "$pinyin.enterprises.year",
                    f"审核年度 {row.year} 不是{report.year}年",
                    f"the audit's year {row.year} is not {report.year}",
                    pointer=self.pointer("rows", index, "year"),
                    source=SOURCE,
                )
'''

_TEST_CONFORMANCE = '''\
"""cpsdk's conformance suite over every form of this plugin, with example data of $province_name."""

from cpsdk.testing import FormConformance


class TestConformance(FormConformance):
    plugin = "cpsdk-$pinyin"
    #: The example data's enterprises are spread over $province_name's prefectures.
    province = "$region"
'''

_TEST_FORM = '''\
"""The example form: which audits it lists, its rules, and the schema it publishes."""

import json
from pathlib import Path

import attrs
import cpsdk
import pytest
from cpsdk.codes import example_uscc

SCHEMAS = Path(__file__).parent.parent / "schemas" / "forms"


def dataset() -> cpsdk.Dataset:
    return cpsdk.example_dataset(seed=1, enterprises=20, cities=["$region"])


def test_lists_the_audits_confirmed_in_the_year() -> None:
    data = dataset()
    form = cpsdk.get_form("$pinyin.enterprises")
    report = form.build(data, year=2018)
    expected = sum(1 for a in data.audits if a.confirmed_on and a.confirmed_on.year == 2018)
    assert expected and len(report.rows) == expected
    assert report.region == "$region" and not cpsdk.has_errors(form.check(report))


def test_a_region_outside_the_province_is_refused() -> None:
    with pytest.raises(ValueError, match="region"):
        cpsdk.get_form("$pinyin.enterprises").build(dataset(), region="11")


def test_a_row_of_another_year_and_a_bad_code_are_errors_on_their_cells() -> None:
    form = cpsdk.get_form("$pinyin.enterprises")
    report = form.build(dataset(), year=2018)
    good = example_uscc("$region", 1)
    rows = (attrs.evolve(report.rows[0], uscc=good[:-1] + ("0" if good[-1] != "0" else "1"), year=2030),)
    issues = {issue.code: issue for issue in form.check(attrs.evolve(report, rows=rows))}
    assert {"$pinyin.enterprises.uscc", "$pinyin.enterprises.year"} <= set(issues)
    assert all(issue.sheet == "审核企业名单" and issue.cell for issue in issues.values())


def test_the_published_schemas_are_current() -> None:
    """Written by `cpsdk schema --write schemas --plugin cpsdk-$pinyin`."""
    for form in cpsdk.list_forms():
        if form.plugin == "cpsdk-$pinyin":
            path = SCHEMAS / f"{form.id}.{form.layout_year}.schema.json"
            assert json.loads(path.read_text(encoding="utf-8")) == form.report_schema(), path
'''

#: Files of the package, by path relative to its folder.
FILES = {
    "pyproject.toml": _PYPROJECT,
    ".gitignore": _GITIGNORE,
    "README.md": _README,
    "cpsdk_$pinyin/__init__.py": _INIT,
    "cpsdk_$pinyin/py.typed": "",
    "cpsdk_$pinyin/plugin.py": _PLUGIN,
    "cpsdk_$pinyin/enterprises.py": _FORM,
    "tests/test_conformance.py": _TEST_CONFORMANCE,
    "tests/test_enterprises.py": _TEST_FORM,
}


@attrs.frozen(kw_only=True)
class Scaffold:
    """What :func:`new_plugin` wrote."""

    #: The distribution's name, ``cpsdk-<pinyin>``.
    distribution: str
    #: The import package, ``cpsdk_<pinyin>``.
    package: str
    #: The province's GB/T 2260 code and full name.
    region: str
    province_name: str
    files: tuple[Path, ...]


def province_of(region_code: str | None, name: str | None) -> tuple[str, str]:
    """The province's code and full name from its code, its name, or both (which must agree)."""
    found = None
    if region_code is not None:
        code = region_code.strip()
        found = region(code) if code.isascii() and code.isdigit() and len(code) == 2 else None
        if found is None:
            raise CpsdkError(f"--region takes a province's 2-digit GB/T 2260 code (14 for 山西), got {code[:20]!r}")
    if name is not None:
        given = name.strip()
        by_name = region_by_name(given)
        if by_name is None or by_name.level != "province":
            candidates = [r for r in map(region, PROVINCE_PINYIN) if r is not None and len(given) >= 2]
            matches = [r for r in candidates if r.name.startswith(given)]
            by_name = matches[0] if len(matches) == 1 else None
        if by_name is None:
            raise CpsdkError(f"--name {given[:20]!r} is not the name of a province (e.g. 山西 or 山西省)")
        if found is not None and by_name.code != found.code:
            raise CpsdkError(f"--name {given} is {by_name.name} ({by_name.code}), not {found.name} ({found.code})")
        found = by_name
    if found is None:
        raise CpsdkError(
            "give the province's code (--region 14) or name (--name 山西): pinyin alone is ambiguous (shanxi, shaanxi)"
        )
    return found.code, found.name


def new_plugin(
    folder: str | Path,
    *,
    region: str | None = None,
    name: str | None = None,
    pinyin: str | None = None,
    source: str | None = None,
    layout_year: int | None = None,
) -> Scaffold:
    """Write a plugin package for a province (its code ``region`` and/or ``name``) into ``folder``.

    ``pinyin`` names the package (``cpsdk-<pinyin>``, default the province's); ``source`` is the document
    the example form cites, by title in 《》 or 文号 and clause (:data:`SOURCE_EXAMPLE`; default a placeholder the
    conformance suite refuses); ``layout_year`` the year
    its layout took effect (default this year). Refuses a bad name, or a folder that already holds files.
    """
    code, province_name = province_of(region, name)
    package = pinyin if pinyin is not None else PROVINCE_PINYIN.get(code, "")
    if not _PINYIN.match(package):
        raise CpsdkError(f"{package!r}: give the package's name in lower-case pinyin letters, e.g. shanxi")
    year = layout_year if layout_year is not None else datetime.date.today().year
    if not 1990 <= year <= 2100:
        raise CpsdkError(f"a layout year is from 1990 to 2100, got {year}")
    target = Path(folder)
    if target.exists() and any(target.iterdir()):
        raise CpsdkError(f"{target} is not empty; give a new folder")
    values = {
        "pinyin": package,
        "region": code,
        "province_name": province_name,
        "cpsdk_version": sdk_version().split("+")[0],
        "layout_year": str(year),
        "source": json.dumps(source.strip() if source and source.strip() else PLACEHOLDER_SOURCE, ensure_ascii=False),
    }
    # Every file is made before any is written. `$` only ever introduces a template field here (`$$` is a
    # dollar); any other would be a bug.
    texts = {
        target / string.Template(relative).substitute(values): string.Template(template).substitute(values)
        for relative, template in FILES.items()
    }
    written: list[Path] = []
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
        written.append(path)
    written.extend(_write_schemas(target, package))
    return Scaffold(
        distribution=f"cpsdk-{package}",
        package=f"cpsdk_{package}",
        region=code,
        province_name=province_name,
        files=tuple(written),
    )


def _write_schemas(target: Path, package: str) -> list[Path]:
    """The example form's report schema, where the package publishes it (``schemas/forms/``), made by
    loading the module just written (it imports only cpsdk)."""
    module_name = f"_cpsdk_scaffold_{package}"
    spec = importlib.util.spec_from_file_location(module_name, target / f"cpsdk_{package}" / "enterprises.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # attrs resolves the report's annotations through it
    try:
        spec.loader.exec_module(module)
        form = module.EnterprisesForm()
        path = target / "schemas" / "forms" / f"{form.id}.{form.layout_year}.schema.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, schema_text(form.report_schema()))
    finally:
        sys.modules.pop(module_name, None)
    return [path]
