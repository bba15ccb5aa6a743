"""Checking uploads and building roll-ups, off the request thread.

:func:`check_upload`, :func:`build_rollup` (a mergeable form's workbooks merged) and
:func:`build_rollup_from_records` (any other form built from the accepted records) are plain functions of
plain data, so that they run in a process pool (:class:`Checker`): a hostile or huge workbook costs a worker,
never the server.
"""

from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import cpsdk

from cpsdk_server.combine import Part, combine, own_part
from cpsdk_server.grid import read_grid
from cpsdk_server.sniff import DATASET, WORKBOOK
from cpsdk_server.storage import FileStore

T = TypeVar("T")


@dataclass
class CheckResult:
    """What checking an upload found."""

    status: str  # ok | errors | refused
    issues: list[dict[str, Any]]
    grid: list[dict[str, Any]] = field(default_factory=list)
    layout_year: int | None = None
    workbook_sha256: str | None = None
    draft_sha256: str | None = None


def _issue(code: str, zh: str, en: str) -> cpsdk.Issue:
    return cpsdk.error(code, zh, en)


def _as_json(issues: Sequence[cpsdk.Issue]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(cpsdk.issues_to_json(issues))
    return found


def _server_checks(report: Any, year: int, region: str) -> list[cpsdk.Issue]:
    """The report is of the year and within the region it is uploaded for."""
    issues = []
    report_year = getattr(report, "year", None)
    if isinstance(report_year, int) and report_year != year:
        issues.append(
            _issue(
                "server.year-mismatch",
                f"工作簿为 {report_year} 年度，而上传所选为 {year} 年度",
                f"the workbook is for {report_year}, the upload for {year}",
            )
        )
    report_region = getattr(report, "region", None)
    # a prefecture without counties (东莞 4419) has one county-level code (441900), which cpsdk writes as 4419
    same_prefecture = len(region) == 6 and region.endswith("00") and report_region == region[:4]
    if (
        isinstance(report_region, str)
        and report_region
        and not report_region.startswith(region)
        and not same_prefecture
    ):
        issues.append(
            _issue(
                "server.region-outside",
                f"工作簿所属地区 {report_region} 不在本账户的地区 {region} 之内",
                f"the workbook's region {report_region} is outside this account's region {region}",
            )
        )
    return issues


def check_upload(path: str, kind: str, form_id: str, year: int, region: str, files: str) -> CheckResult:
    """Check an uploaded file for ``form_id`` and ``year`` on behalf of ``region``; never raises for bad input."""
    store = FileStore(Path(files))
    try:
        if kind == WORKBOOK:
            return _check_workbook(Path(path), form_id, year, region, store)
        if kind == DATASET:
            return _check_dataset(Path(path), form_id, year, region, store)
        raise ValueError(kind)
    except cpsdk.CpsdkError as exc:
        issues = list(getattr(exc, "issues", []) or []) or [_issue("server.unreadable", "无法读取该文件", str(exc))]
        return CheckResult("refused", _as_json(issues))
    except (OSError, ValueError, KeyError, TypeError, ArithmeticError, MemoryError, RecursionError) as exc:
        return CheckResult(
            "refused",
            _as_json(
                [_issue("server.unreadable", "无法读取该文件", f"the file cannot be read ({type(exc).__name__})")]
            ),
        )


def _check_workbook(path: Path, form_id: str, year: int, region: str, store: FileStore) -> CheckResult:
    form = cpsdk.form_of_workbook(form_id, path)
    report, issues = cpsdk.read_report(form, path)
    if report is None:
        listed = _as_json(issues)
        return CheckResult("refused", listed, grid=_grid_if_safe(path, listed), layout_year=form.layout_year)
    issues = [*issues, *_server_checks(report, year, region)]
    listed = _as_json(issues)
    errors = cpsdk.has_errors(issues)
    draft = _write(form, report, store, draft=True, issues=issues)
    return CheckResult(
        "errors" if errors else "ok",
        listed,
        grid=read_grid(path, listed),
        layout_year=form.layout_year,
        workbook_sha256=None if errors else store.put_file(path),
        draft_sha256=draft,
    )


#: Refusals of a workbook's archive itself (cpsdk.workbook's checks before any cell is read): no grid is drawn.
_ARCHIVE_REFUSALS = frozenset(
    {
        "workbook.too-large",
        "workbook.corrupt",
        "workbook.not-xlsx",
        "workbook.dtd",
        "workbook.directory",
        "workbook.unreadable",
        "workbook.cell-out-of-range",
        "workbook.missing",
        "workbook.not-a-file",
    }
)


def _grid_if_safe(path: Path, issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The grid of a workbook whose cells the SDK read (its issues point at cells) but could not make a report of."""
    if not any(issue.get("cell") for issue in issues) or any(
        issue.get("code") in _ARCHIVE_REFUSALS for issue in issues
    ):
        return []
    try:
        return read_grid(path, issues)
    except Exception:  # noqa: BLE001 - no grid is better than no answer
        return []


def _parameters(form: cpsdk.Form, year: int, region: str) -> dict[str, Any]:
    """The year and region of a build, as far as the form declares them among its parameters."""
    declared = dict(form.parameters)
    params: dict[str, Any] = {}
    if "year" in declared:
        params["year"] = year
    if "region" in declared:
        params["region"] = region
    return params


def _check_dataset(path: Path, form_id: str, year: int, region: str, store: FileStore) -> CheckResult:
    loaded = cpsdk.parse(path)
    if cpsdk.has_errors(loaded.issues):
        return CheckResult("errors", _as_json(loaded.issues))
    form = cpsdk.get_form(form_id, year=year)
    params = _parameters(form, year, region)
    try:
        report, notes = cpsdk.build_report(form, loaded.dataset, **params)
    except (TypeError, ValueError, ArithmeticError) as exc:
        issue = _issue(
            "server.cannot-build", f"无法由该数据集生成 {form.title}：{exc}", f"cannot build {form.id}: {exc}"
        )
        return CheckResult("errors", _as_json([*loaded.issues, issue]), layout_year=form.layout_year)
    checked = [*form.check(report), *_server_checks(report, year, region)]
    issues = [*map(loaded.locate, notes), *loaded.issues, *checked]
    errors = cpsdk.has_errors(issues)
    official = None if errors else _write(form, report, store, draft=False, issues=checked)
    draft = _write(form, report, store, draft=True, issues=checked)
    listed = _as_json(issues)
    shown = official or draft
    return CheckResult(
        "errors" if errors else "ok",
        listed,
        grid=read_grid(store.path(shown), listed) if shown else [],
        layout_year=form.layout_year,
        workbook_sha256=official,
        draft_sha256=draft,
    )


def _write(form: cpsdk.Form, report: Any, store: FileStore, *, draft: bool, issues: list[cpsdk.Issue]) -> str | None:
    """Write ``report``'s workbook into the store; its SHA-256, or None when the form cannot write it."""
    with tempfile.TemporaryDirectory(dir=store.root) as folder:
        target = Path(folder) / "out.xlsx"
        try:
            if draft:
                form.write(report, target, draft=True, issues=issues)
            else:
                form.write(report, target)
        except (cpsdk.CpsdkError, ValueError, TypeError):
            return None
        return store.put_file(target)


def build_rollup(form_id: str, paths: list[str], files: str) -> tuple[str | None, list[dict[str, Any]]]:
    """Merge the accepted workbooks of a form into the official workbook of the region above.

    Returns the stored workbook's SHA-256 (None when they cannot be merged or the result has errors) and the issues.
    """
    form = cpsdk.get_form(form_id)
    if not isinstance(form, cpsdk.MergeableForm):
        return None, _as_json([_issue("server.not-mergeable", f"{form.title} 不能汇总", f"{form_id} is not mergeable")])
    try:
        report, issues = cpsdk.merge_workbooks(form, paths)
    except (cpsdk.CpsdkError, TypeError, ValueError, ArithmeticError) as exc:
        return None, _as_json([_issue("server.cannot-merge", f"无法汇总：{exc}", f"cannot merge: {exc}")])
    if report is None or cpsdk.has_errors(issues):
        return None, _as_json(issues)
    return _write(form, report, FileStore(Path(files)), draft=False, issues=[]), _as_json(issues)


MERGE, RECORDS = "merge", "records"


def rollup_method(form: cpsdk.Form) -> str | None:
    """How a reviewer rolls ``form`` up: :data:`MERGE` (a mergeable form's workbooks merged), :data:`RECORDS`
    (built from the accepted submissions' records), or None (an enterprise's own form: never rolled up)."""
    if isinstance(form, cpsdk.MergeableForm):
        return MERGE
    if form.scope == cpsdk.Scope.ENTERPRISE:
        return None
    return RECORDS


@dataclass(frozen=True)
class Child:
    """An accepted submission of a child region, as a roll-up from records reads it."""

    region: str
    label: str  # e.g. 深圳市罗湖区（440303）
    workbook: str  # the accepted workbook's stored path
    dataset: str | None  # the stored dataset it was built from, when it carries one


def _labelled(issue: cpsdk.Issue, label: str) -> cpsdk.Issue:
    """``issue`` naming the child region (or file) it is about."""
    return cpsdk.Issue(
        code=issue.code,
        severity=issue.severity,
        message_zh=issue.message_zh,
        message_en=issue.message_en,
        pointer=issue.pointer,
        sheet=issue.sheet,
        cell=issue.cell,
        source=issue.source,
        file=label,
    )


def build_rollup_from_records(
    form_id: str, year: int, region: str, children: list[Child], siblings: list[str], files: str
) -> tuple[str | None, list[dict[str, Any]], str | None]:
    """Build the official workbook of ``region`` for a form that is not mergeable, from the accepted records.

    When every child carries a dataset, the datasets are combined (:mod:`cpsdk_server.combine`; ``siblings`` are
    every child region of ``region``, accepted or not, whose records a child's dataset does not vouch for) and the
    form is built from the combined dataset, which is stored too. Otherwise a record-level form is built from the
    rows of the accepted workbooks (``cpsdk.to_records`` / ``cpsdk.from_records``); an aggregate form is refused,
    naming the child regions that carry no records. Returns the stored workbook's SHA-256 (None when it cannot be
    built or has errors), the issues, and the stored combined dataset's SHA-256 (None when not built from datasets).
    """
    form = cpsdk.get_form(form_id, year=year)
    if rollup_method(form) != RECORDS:
        issue = _issue(
            "server.not-rolled-up",
            f"{form.title} 为企业级表单，不汇总",
            f"{form_id} is an enterprise's own form: it is not rolled up",
        )
        return None, _as_json([issue]), None
    store = FileStore(Path(files))
    try:
        if children and all(child.dataset for child in children):
            return _rollup_datasets(form, year, region, children, siblings, store)
        if form.record_level and form.record_fields:
            return _rollup_rows(form, year, region, children, store)
    except (cpsdk.CpsdkError, OSError, TypeError, ValueError, KeyError, ArithmeticError) as exc:
        issues = list(getattr(exc, "issues", []) or []) or [
            _issue("server.cannot-build", f"无法生成汇总的 {form.title}：{exc}", f"cannot build the roll-up: {exc}")
        ]
        return None, _as_json(issues), None
    lacking = [child for child in children if not child.dataset]
    names = "、".join(child.label for child in lacking)
    codes = ", ".join(child.region for child in lacking)
    issue = _issue(
        "server.no-records",
        f"{form.title} 为汇总类表单，须由各地区的记录生成；以下地区已通过的报送是工作簿，没有可汇总的记录：{names}。"
        "请其以数据集（JSON）重新上传并报送，通过后再汇总",
        f"{form_id} is an aggregate form, built from the regions' records; the accepted submissions of {codes} are "
        "workbooks carrying no records: have them upload and submit their datasets (JSON), accept them, then roll up",
    )
    return None, _as_json([issue]), None


def _rollup_datasets(
    form: cpsdk.Form, year: int, region: str, children: list[Child], siblings: list[str], store: FileStore
) -> tuple[str | None, list[dict[str, Any]], str | None]:
    """The roll-up built from the children's datasets combined (see :func:`build_rollup_from_records`)."""
    issues: list[cpsdk.Issue] = []
    parts: list[Part] = []
    for child in children:
        if child.dataset is None:  # every child carries one on this path
            raise ValueError(child.region)
        loaded = cpsdk.parse(Path(child.dataset))
        if cpsdk.has_errors(loaded.issues):
            issues.extend(_labelled(issue, child.label) for issue in loaded.issues if issue.severity.value == "error")
            continue
        own, left_out = own_part(loaded.dataset, child.region, siblings)
        if left_out:
            issues.append(
                _labelled(
                    cpsdk.warning(
                        "server.rollup-left-out",
                        f"数据集中有 {left_out} 家企业不在 {child.region} 地区之内，其记录未计入汇总",
                        f"{left_out} enterprise(s) of the dataset lie outside {child.region}: "
                        "their records are not rolled up",
                    ),
                    child.label,
                )
            )
        parts.append(Part(child.region, child.label, own))
    if cpsdk.has_errors(issues):
        return None, _as_json(issues), None
    combined, conflicts = combine(parts)
    issues.extend(conflicts)
    if cpsdk.has_errors(issues):
        return None, _as_json(issues), None
    with tempfile.TemporaryDirectory(dir=store.root) as folder:
        path = Path(folder) / "dataset.json"
        cpsdk.save(combined, path)
        loaded = cpsdk.parse(path)  # what is stored is what is built from, checked as an upload is
        if cpsdk.has_errors(loaded.issues):
            issues.extend(_labelled(issue, "汇总数据集") for issue in loaded.issues)
            return None, _as_json(issues), None
        dataset_sha = store.put_file(path)
    report, notes = cpsdk.build_report(form, loaded.dataset, **_parameters(form, year, region))
    return _finish(form, report, year, region, [*issues, *map(loaded.locate, notes)], store, dataset_sha)


#: Losses of carrying a workbook's rows into the roll-up that the reviewer is told of.
_ROW_LOSSES = frozenset({"conversion.not-carried", "conversion.not-convertible", "conversion.changed"})


def _rollup_rows(
    form: cpsdk.Form, year: int, region: str, children: list[Child], store: FileStore
) -> tuple[str | None, list[dict[str, Any]], str | None]:
    """The roll-up of a record-level form built from the rows of the accepted workbooks."""
    params = _parameters(form, year, region)
    issues: list[cpsdk.Issue] = []
    records: list[dict[str, Any]] = []
    for child in children:
        path = Path(child.workbook)
        child_form = cpsdk.form_of_workbook(form.id, path)
        report, read = cpsdk.read_report(child_form, path)
        if report is None or cpsdk.has_errors(read):
            issues.extend(_labelled(issue, child.label) for issue in read if issue.severity.value == "error")
            continue
        records.extend(cpsdk.to_records(child_form, report))
        _converted, losses = cpsdk.convert_report(child_form, report, form, **params)
        issues.extend(_labelled(loss, child.label) for loss in losses if loss.code in _ROW_LOSSES)
    if cpsdk.has_errors(issues):
        return None, _as_json(issues), None
    without = "、".join(child.label for child in children if not child.dataset)
    issues.insert(
        0,
        cpsdk.warning(
            "server.rollup-from-rows",
            f"{without} 报送的是工作簿，汇总由各地区已通过工作簿的行生成（行的顺序按地区排列）",
            "some accepted submissions are workbooks: the roll-up is made of the rows of the accepted workbooks, "
            "region by region",
        ),
    )
    report = cpsdk.from_records(form, records, **params)
    return _finish(form, report, year, region, issues, store, None)


def _finish(
    form: cpsdk.Form,
    report: Any,
    year: int,
    region: str,
    issues: list[cpsdk.Issue],
    store: FileStore,
    dataset_sha: str | None,
) -> tuple[str | None, list[dict[str, Any]], str | None]:
    """Check the roll-up's report and write its official workbook, unless it has errors."""
    checked = [*form.check(report), *_server_checks(report, year, region)]
    found = [*issues, *checked]
    if cpsdk.has_errors(found):
        return None, _as_json(found), None
    sha = _write(form, report, store, draft=False, issues=checked)
    if sha is None:
        found.append(_issue("server.cannot-write", f"无法写出 {form.title}", f"cannot write {form.id}"))
        return None, _as_json(found), None
    return sha, _as_json(found), dataset_sha


class Checker:
    """Runs checks in a pool of processes (``workers`` > 0) or of threads (``workers`` == 0)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._lock = threading.Lock()
        self._pool = self._new_pool()

    def _new_pool(self) -> concurrent.futures.Executor:
        if self.workers > 0:
            context = multiprocessing.get_context("spawn")
            return concurrent.futures.ProcessPoolExecutor(self.workers, mp_context=context)
        return concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="cpsdk-check")

    def run(self, function: Callable[..., T], *args: Any) -> T:
        """Run ``function(*args)`` in the pool and wait for it (on the caller's thread, not the event loop).

        A worker that dies (out of memory, killed) is replaced, and :class:`WorkerLost` is raised.
        """
        with self._lock:
            pool = self._pool
        try:
            return pool.submit(function, *args).result()
        except concurrent.futures.process.BrokenProcessPool as exc:
            with self._lock:
                if self._pool is pool:
                    self._pool = self._new_pool()
            raise WorkerLost from exc

    def close(self) -> None:
        """Stop the pool."""
        self._pool.shutdown(wait=False, cancel_futures=True)


class WorkerLost(Exception):
    """A checking process died while working."""
