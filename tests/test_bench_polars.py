"""The build benchmark's bare cost (``benchmarks/_polars_forms.py``) agrees with cpsdk's built reports.

The benchmark fails when the two disagree; these tests run the same comparison on a small generated dataset, so
a change to a form's rules (or to the polars restatement of them) is caught without running the benchmark.
polars is only in the ``bench`` extra: without it the tests are skipped.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import cpsdk

pytest.importorskip("polars")

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_polars_forms", BENCHMARKS / "_polars_forms.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # its dataclass resolves its annotations through sys.modules
    spec.loader.exec_module(sys.modules[spec.name])
    return sys.modules[spec.name]


@pytest.fixture(scope="module")
def forms() -> ModuleType:
    return _module()


@pytest.fixture(scope="module")
def dataset_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench-polars") / "dataset.json"
    cpsdk.save(cpsdk.example_dataset(seed=7, enterprises=120, proposals_per_audit=4), path)
    return path


@pytest.mark.parametrize("year", [2017, 2018])
@pytest.mark.parametrize(
    "form_id",
    [
        "national.indicators",
        "national.summary",
        "sichuan.annual-report",
        "guangdong.province-summary",
        "shandong.statistics",
    ],
)
def test_polars_figures_agree_with_the_built_report(
    forms: ModuleType, dataset_file: Path, form_id: str, year: int
) -> None:
    frames = forms.load(dataset_file)
    report = cpsdk.get_form(form_id).build(cpsdk.load(dataset_file), year=year)
    figures = forms.FIGURES[form_id](frames, year=year)
    assert forms.COMPARE[form_id](report, figures) == []


def test_a_figure_that_differs_is_named(forms: ModuleType, dataset_file: Path) -> None:
    frames = forms.load(dataset_file)
    report = cpsdk.get_form("national.summary").build(cpsdk.load(dataset_file), year=2018)
    figures: dict[str, Any] = forms.summary_figures(frames)
    figures["rows.9.value"] += Decimal("0.01")
    figures["rows.0.value"] += 1
    found = forms.compare_summary(report, figures)
    assert [name for name, _, _ in found] == ["rows.0.value", "rows.9.value"]


def test_an_amount_that_is_not_a_plain_text_is_refused(forms: ModuleType, tmp_path: Path) -> None:
    document = {
        "version": "1.0",
        "effects": [{"id": "E1", "proposal": "P1", "metric": "cod", "amount": 1.5}],
    }
    path = tmp_path / "number.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError, match="not a text"):
        forms.load(path)
    document["effects"][0]["amount"] = "1.5 万吨"  # type: ignore[index]
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="plain decimal"):
        forms.load(path)
