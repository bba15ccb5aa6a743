"""Checking uploads and building roll-ups, off the request thread.

:func:`check_upload`, :func:`build_rollup` (a mergeable form's workbooks merged) and
:func:`build_rollup_from_records` (any other form built from the accepted records) are plain functions of
plain data, so that they run in a pool of processes (:class:`Checker`): a hostile or huge workbook costs a
worker, never the server, and a check that runs longer than the server's limit has its process killed and
replaced (:class:`CheckTimeout`).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import multiprocessing
import queue
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnContext, SpawnProcess
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
    with store.scratch() as folder:
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
    with store.scratch() as folder:
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


def _seconds(seconds: float) -> str:
    """``seconds`` as a person writes them: 120, 1.5."""
    return f"{seconds:g}"


def timed_out(seconds: float) -> CheckResult:
    """What an upload whose check ran longer than ``seconds`` is stored with: refused, saying why."""
    issue = _issue(
        "server.check-timeout",
        f"检查超时（超过 {_seconds(seconds)} 秒），请拆分文件或联系管理员",
        f"the check took longer than {_seconds(seconds)} s: split the file, or ask the administrator",
    )
    return CheckResult("refused", _as_json([issue]))


class WorkerLost(Exception):
    """A checking process died while working."""


class CheckTimeout(Exception):
    """A check ran longer than the server's limit (``seconds``): its process was killed and replaced (a thread
    cannot be stopped: see :class:`Checker`)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


_READY, _OK, _ERROR = "ready", "ok", "error"
#: How long a new checking process may take to start (Python, cpsdk and its plugins) before it counts as lost;
#: not part of any check's time limit.
START_SECONDS = 120.0


def _serve(connection: Connection) -> None:
    """A checking process: runs each ``(function, args)`` it is sent and sends back what came of it, one at a
    time, until the server closes the pipe (or dies)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops its checking processes
    # the plugins are loaded before the first check's clock starts; a check says what is wrong with a plugin
    with contextlib.suppress(Exception):
        cpsdk.list_forms()
    connection.send((_READY, None))
    while True:
        try:
            function, args = connection.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[str, Any] = (_OK, function(*args))
        except Exception as exc:  # noqa: BLE001 - the caller gets the exception, as from a call of its own
            answer = (_ERROR, exc)
        try:
            connection.send(answer)
        except OSError:  # the server is gone
            return
        except Exception as exc:  # noqa: BLE001 - a result (or exception) that cannot be pickled
            connection.send((_ERROR, RuntimeError(f"the check's result cannot be sent back ({type(exc).__name__})")))


class _Process:
    """A checking process and the pipe to it: one call at a time."""

    def __init__(self, context: SpawnContext) -> None:
        self.connection, child = context.Pipe()
        # daemonic: if the server exits without closing the checker, its processes do not outlive it
        self.process: SpawnProcess = context.Process(target=_serve, args=(child,), name="cpsdk-check", daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    @property
    def pid(self) -> int:
        """The process's id."""
        return self.process.pid or 0

    def call(self, function: Callable[..., T], args: tuple[Any, ...], timeout: float | None) -> T:
        """``function(*args)`` in the process, within ``timeout`` seconds (from when the process has it).

        :class:`CheckTimeout` when it takes longer, :class:`WorkerLost` when the process dies: the caller then
        kills the process (:meth:`kill`), which must not be used again.
        """
        if not self.ready:
            if not self.connection.poll(START_SECONDS):
                raise WorkerLost
            self._receive()
            self.ready = True
        try:
            self.connection.send((function, args))
        except (BrokenPipeError, ConnectionError, EOFError) as exc:
            raise WorkerLost from exc
        if not self.connection.poll(timeout):
            raise CheckTimeout(timeout or 0)
        kind, value = self._receive()
        if kind == _ERROR:
            raise value
        result: T = value
        return result

    def _receive(self) -> tuple[str, Any]:
        try:
            found: tuple[str, Any] = self.connection.recv()
        except (EOFError, OSError) as exc:
            raise WorkerLost from exc
        return found

    def kill(self) -> None:
        """Stop the process at once (SIGKILL) and wait for it."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(10)
        self.connection.close()


class Checker:
    """Runs checks in ``workers`` processes (``workers`` > 0) or two threads (``workers`` == 0), each check
    within ``timeout`` seconds (None: no limit).

    A check has a process to itself while it runs (a caller waits for a free one; the wait is not part of the
    limit). A check that takes longer than ``timeout``, or whose process dies, has its process killed and a new
    one started in its place; ``on_kill(pid)`` then removes what the killed process left half-written (the file
    store's :meth:`~cpsdk_server.storage.FileStore.clean_after`), and the caller gets :class:`CheckTimeout` or
    :class:`WorkerLost`. The other processes and their checks go on undisturbed.

    On threads the limit answers the caller in time (:class:`CheckTimeout`) but cannot stop the check: Python
    cannot interrupt a thread, so it runs on to its end, holding one of the two threads, and what it finds is
    thrown away.
    """

    def __init__(
        self, workers: int, timeout: float | None = None, on_kill: Callable[[int], object] | None = None
    ) -> None:
        self.workers = workers
        self.timeout = timeout
        self._on_kill = on_kill
        self._lock = threading.Lock()
        self._closed = False
        self._context = multiprocessing.get_context("spawn")
        self._processes: set[_Process] = set()
        #: free processes; None is a place whose process is started on first use
        self._idle: queue.Queue[_Process | None] = queue.Queue()
        for _ in range(max(workers, 0)):
            self._idle.put(None)
        self._threads = (
            concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="cpsdk-check") if workers <= 0 else None
        )

    def run(self, function: Callable[..., T], *args: Any) -> T:
        """Run ``function(*args)`` in the pool and wait for it (on the caller's thread, not the event loop).

        Raises what ``function`` raises; :class:`CheckTimeout` when it runs longer than the limit;
        :class:`WorkerLost` when its process dies (out of memory, killed). Either way the process is replaced.
        """
        if self._threads is not None:
            return self._run_on_thread(function, args)
        worker = self._idle.get()
        try:
            worker = self._started(worker)
            result = worker.call(function, args, self.timeout)
        except (CheckTimeout, WorkerLost):
            self._replace(worker)
            raise
        except BaseException:
            self._idle.put(worker)  # the function raised: its process is fine
            raise
        self._idle.put(worker)
        return result

    def _started(self, worker: _Process | None) -> _Process:
        """``worker``, or a new process in its place when it has none or its process has died."""
        if worker is not None and worker.process.is_alive():
            return worker
        if worker is not None:
            self._forget(worker)
        with self._lock:
            if self._closed:
                raise WorkerLost
            fresh = _Process(self._context)
            self._processes.add(fresh)
        return fresh

    def _forget(self, worker: _Process) -> None:
        """Kill ``worker``'s process and remove what it left half-written."""
        worker.kill()
        with self._lock:
            self._processes.discard(worker)
        if self._on_kill is not None and worker.pid:
            self._on_kill(worker.pid)

    def _replace(self, worker: _Process | None) -> None:
        """Kill ``worker`` (if any) and put a new process in its place, started now (once closed, an empty place,
        so that a caller still waiting for one gets it and :class:`WorkerLost`)."""
        if worker is not None:
            self._forget(worker)
        with self._lock:
            fresh = None if self._closed else _Process(self._context)
            if fresh is not None:
                self._processes.add(fresh)
        self._idle.put(fresh)

    def _run_on_thread(self, function: Callable[..., T], args: tuple[Any, ...]) -> T:
        """Run on a thread; the limit counts from when the thread starts the check, and cannot stop it."""
        assert self._threads is not None
        started = threading.Event()

        def task() -> T:
            started.set()
            return function(*args)

        future = self._threads.submit(task)
        while not started.wait(1.0):
            if future.done():
                break
        try:
            return future.result(timeout=self.timeout)
        except concurrent.futures.TimeoutError:
            raise CheckTimeout(self.timeout or 0) from None

    def pids(self) -> list[int]:
        """The ids of the checking processes running now (none on threads, or before the first check)."""
        with self._lock:
            return sorted(worker.pid for worker in self._processes if worker.process.is_alive())

    def close(self) -> None:
        """Stop the checking processes (a check under way ends with :class:`WorkerLost`) or threads."""
        with self._lock:
            self._closed = True
            processes = list(self._processes)
            self._processes.clear()
        for worker in processes:
            worker.kill()
        if self._threads is not None:
            self._threads.shutdown(wait=False, cancel_futures=True)
