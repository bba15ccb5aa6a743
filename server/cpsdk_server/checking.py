"""Checking uploads and building roll-ups, off the request thread.

:func:`check_upload` and :func:`build_rollup` are plain functions of plain data, so that they run in a
process pool (:class:`Checker`): a hostile or huge workbook costs a worker, never the server.
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


def _check_dataset(path: Path, form_id: str, year: int, region: str, store: FileStore) -> CheckResult:
    loaded = cpsdk.parse(path)
    if cpsdk.has_errors(loaded.issues):
        return CheckResult("errors", _as_json(loaded.issues))
    form = cpsdk.get_form(form_id, year=year)
    declared = dict(form.parameters)
    params: dict[str, Any] = {}
    if "year" in declared:
        params["year"] = year
    if "region" in declared:
        params["region"] = region
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
