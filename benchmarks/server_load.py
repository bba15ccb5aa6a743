"""`cpsdk serve` under a province's collection at once, against the CLI's bare cost of checking the same files.

    .venv/bin/pip install -q -e server -e plugins/guangdong
    .venv/bin/python benchmarks/server_load.py --cities 21 --counties 10     # a province; default 4 × 5

Starts a real server (``cpsdk-serve``, SQLite in a temporary folder, or ``--db URL``, ``--workers 2``) on
loopback, adds Guangdong's accounts (a province administrator, a reviewer per city, a county clerk per county:
the first ``--counties`` counties of each of the first ``--cities`` prefectures), and writes each county's
workbook of ``guangdong.city-summary`` (the form a city collects from its counties, built from one example
dataset of those prefectures, as ``cpsdk demo`` builds it). Then every clerk, on a client of its own (one
httpx async client, one cookie jar each), logs in, and all upload their workbooks at once through the JSON
API and submit them to their city. Measured: throughput (workbooks checked and submitted per second), the
latency of each request (p50, p95, p99, max), the server's peak memory (RSS of the server process, and of it
and its checking workers together, sampled every 20 ms), against ``cpsdk.read_report`` reading and checking
the same files one after another in one process (the bare cost of the checking). Every request must succeed
and every upload pass its checks (exit 1 otherwise). The results go to stdout as a Markdown table.

Accounts are added in this process before the server starts with one Argon2id hash shared by every
account (all have the same password): hashing 200 passwords one by one would only time the set-up.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

import cpsdk
from cpsdk.codes import region_children

FORM = "guangdong.city-summary"
YEAR = 2018
PASSWORD = "load-test-password-1"
PROVINCE = "44"


@dataclass
class Clerk:
    """A county clerk and its workbook."""

    name: str
    county: str
    book: Path


@dataclass
class Timings:
    """What the clients saw."""

    login: list[float] = field(default_factory=list)
    upload: list[float] = field(default_factory=list)
    submit: list[float] = field(default_factory=list)
    both: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def prepare(folder: Path, cities: int, counties: int, enterprises_per_city: int) -> list[Clerk]:
    """The counties' workbooks, one per clerk, in ``folder``."""
    chosen = [city.code for city in region_children(PROVINCE)][:cities]
    dataset = cpsdk.example_dataset(seed=2016, enterprises=enterprises_per_city * len(chosen), cities=chosen)
    form = cpsdk.get_form(FORM)
    clerks = []
    for city in chosen:
        for county in [child.code for child in region_children(city)][:counties]:
            report, _notes = cpsdk.build_report(form, dataset, region=county, year=YEAR)
            # a prefecture without counties (东莞 4419, 中山 4420: "441900") files as the prefecture itself
            county = report.region if county.startswith(report.region) else county
            book = folder / f"{county}.xlsx"
            form.write(report, book)
            clerks.append(Clerk(f"clerk-{county}", county, book))
    return clerks


def add_accounts(data: Path, url: str, clerks: list[Clerk]) -> None:
    """The administrator, the cities' reviewers and the clerks, with one shared hash (see the module's doc)."""
    from cpsdk_server import accounts
    from cpsdk_server.config import load_settings
    from cpsdk_server.db import Database
    from cpsdk_server.migrate import upgrade
    from cpsdk_server.passwords import hash_password

    shared = hash_password(PASSWORD)
    original = accounts.hash_password
    accounts.hash_password = lambda _password: shared  # type: ignore[assignment]
    database = Database(load_settings(data, url).url())
    try:
        upgrade(database.engine)
        with database.session() as db:
            accounts.add_user(db, None, "gd-admin", "province-admin", PROVINCE, PASSWORD)
            for city in sorted({clerk.county[:4] for clerk in clerks}):
                accounts.add_user(db, None, f"reviewer-{city}", "city-reviewer", city, PASSWORD)
            for clerk in clerks:
                accounts.add_user(db, None, clerk.name, "county-clerk", clerk.county, PASSWORD)
    finally:
        accounts.hash_password = original  # type: ignore[assignment]
        database.dispose()


def _rss_kib(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
    return int(found[1]) if found else 0


def _descendants(pid: int) -> list[int]:
    """``pid``'s children, grandchildren, … (from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found.extend(children)
        todo.extend(children)
    return found


class MemoryWatch:
    """The peak RSS of a process, and of it with its descendants, sampled in a thread."""

    def __init__(self, pid: int, every: float = 0.02) -> None:
        self.pid, self.every = pid, every
        self.peak_server = self.peak_tree = 0
        self.logins = (0, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        children: list[int] = []
        rounds = 0
        while not self._stop.is_set():
            if rounds % 25 == 0:  # the worker processes change rarely; /proc is walked twice a second
                children = _descendants(self.pid)
            rounds += 1
            server = _rss_kib(self.pid)
            self.peak_server = max(self.peak_server, server)
            self.peak_tree = max(self.peak_tree, server + sum(_rss_kib(child) for child in children))
            self._stop.wait(self.every)

    def phase(self) -> tuple[int, int]:
        """The peaks since the last phase began (server, with its workers), in KiB; a new phase begins."""
        peaks = (self.peak_server, self.peak_tree)
        self.peak_server = self.peak_tree = 0
        return peaks

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


@contextlib.contextmanager
def serve(data: Path, url: str, workers: int, log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``cpsdk-serve`` on a free loopback port, until it answers; stopped (SIGTERM, then SIGKILL) afterwards."""
    port = _free_port()
    command = [sys.executable, "-m", "cpsdk_server.cli", "--data", str(data), "--port", str(port)]
    command += ["--workers", str(workers), *(["--db", url] if url else [])]
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited ({process.returncode}):\n{log.read_text()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer within 60 s")
            time.sleep(0.1)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def _login(client: httpx.AsyncClient, name: str, timings: Timings) -> str:
    started = time.perf_counter()
    token = (await client.get("/api/session")).json()["csrf_token"]
    answer = await client.post("/api/login", json={"name": name, "password": PASSWORD}, headers={"X-CSRF-Token": token})
    timings.login.append(time.perf_counter() - started)
    if answer.status_code != 200:
        timings.failures.append(f"login {name}: {answer.status_code} {answer.text[:200]}")
        return ""
    csrf: str = answer.json()["csrf_token"]
    return csrf


async def _file(
    client: httpx.AsyncClient, clerk: Clerk, token: str, timings: Timings, start: asyncio.Event, rounds: int
) -> None:
    content = clerk.book.read_bytes()
    headers = {"X-CSRF-Token": token}
    await start.wait()
    for _ in range(rounds):  # a resubmission supersedes the previous submission
        began = time.perf_counter()
        answer = await client.post(
            "/api/uploads",
            data={"form": FORM, "year": str(YEAR)},
            files={"file": (clerk.book.name, content)},
            headers=headers,
        )
        uploaded = time.perf_counter()
        timings.upload.append(uploaded - began)
        if answer.status_code != 200 or answer.json().get("status") != "ok":
            timings.failures.append(f"upload {clerk.name}: {answer.status_code} {answer.text[:300]}")
            return
        answer = await client.post(f"/api/uploads/{answer.json()['id']}/submit", headers=headers)
        done = time.perf_counter()
        timings.submit.append(done - uploaded)
        timings.both.append(done - began)
        if answer.status_code != 200:
            timings.failures.append(f"submit {clerk.name}: {answer.status_code} {answer.text[:300]}")
            return


async def warm_up(base: str, book: Path, workers: int) -> None:
    """The administrator uploads (never submits) a workbook per checking worker, so that each has imported the
    SDK and its plugins before the clock starts, as on a server that has been running."""
    async with httpx.AsyncClient(base_url=base, timeout=600) as client:
        timings = Timings()
        token = await _login(client, "gd-admin", timings)
        content = book.read_bytes()
        answers = await asyncio.gather(
            *(
                client.post(
                    "/api/uploads",
                    data={"form": FORM, "year": str(YEAR)},
                    files={"file": (book.name, content)},
                    headers={"X-CSRF-Token": token},
                )
                for _ in range(max(workers, 1) * 2)
            )
        )
        if timings.failures or any(answer.status_code != 200 for answer in answers):
            raise RuntimeError(f"warming up failed: {timings.failures} {[a.text[:200] for a in answers]}")


async def collect(base: str, clerks: list[Clerk], timings: Timings, memory: MemoryWatch, rounds: int) -> float:
    """Every clerk logs in, then all upload and submit at once; the seconds from the start to the last answer."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [httpx.AsyncClient(base_url=base, timeout=600, limits=limits) for _ in clerks]
    try:
        memory.phase()
        tokens = await asyncio.gather(*(_login(c, k.name, timings) for c, k in zip(clients, clerks, strict=True)))
        memory.logins = memory.phase()
        start = asyncio.Event()
        tasks = [
            asyncio.create_task(_file(client, clerk, token, timings, start, rounds))
            for client, clerk, token in zip(clients, clerks, tokens, strict=True)
            if token
        ]
        await asyncio.sleep(0.2)  # every task waiting at the start line
        began = time.perf_counter()
        start.set()
        await asyncio.gather(*tasks)
        return time.perf_counter() - began
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))


def bare(clerks: list[Clerk]) -> float:
    """Seconds for ``cpsdk.read_report`` to read and check every workbook, one after another (after a warm-up)."""
    form = cpsdk.get_form(FORM)
    cpsdk.read_report(form, clerks[0].book)
    began = time.perf_counter()
    for clerk in clerks:
        report, issues = cpsdk.read_report(form, clerk.book)
        if report is None or cpsdk.has_errors(issues):
            raise RuntimeError(f"{clerk.book} does not pass its checks: {issues[:3]}")
    return time.perf_counter() - began


def _submissions(data: Path, url: str) -> int:
    from sqlalchemy import func, select

    from cpsdk_server.config import load_settings
    from cpsdk_server.db import Database
    from cpsdk_server.models import Submission

    database = Database(load_settings(data, url).url())
    try:
        with database.sessions() as db:
            return int(db.scalar(select(func.count()).select_from(Submission)) or 0)
    finally:
        database.dispose()


def _percentiles(values: list[float]) -> tuple[float, float, float, float]:
    if len(values) < 2:
        value = values[0] if values else 0.0
        return value, value, value, value
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98], max(values)


def run(args: argparse.Namespace) -> int:
    """The benchmark; 0 when every request succeeded."""
    with tempfile.TemporaryDirectory(prefix="cpsdk-load-") as temporary:
        folder = Path(temporary)
        (folder / "books").mkdir()
        began = time.perf_counter()
        clerks = prepare(folder / "books", args.cities, args.counties, args.enterprises_per_city)
        size = statistics.mean(clerk.book.stat().st_size for clerk in clerks)
        print(
            f"{len(clerks)} workbooks of {FORM} ({size / 1024:.0f} KiB each) in {time.perf_counter() - began:.1f} s",
            file=sys.stderr,
        )
        data = folder / "data"
        add_accounts(data, args.db, clerks)
        timings = Timings()
        with (
            serve(data, args.db, args.workers, folder / "server.log") as (base, process),
            MemoryWatch(process.pid) as memory,
        ):
            idle = _rss_kib(process.pid)
            asyncio.run(warm_up(base, clerks[0].book, args.workers))
            warm = _rss_kib(process.pid)
            wall = asyncio.run(collect(base, clerks, timings, memory, args.rounds))
        if process.returncode not in (0, -15):
            timings.failures.append(f"the server exited with {process.returncode}")
        stored = _submissions(data, args.db)
        if stored != len(clerks) * args.rounds:
            timings.failures.append(f"{stored} submissions stored, {len(clerks) * args.rounds} expected")
        bare_seconds = bare(clerks) * args.rounds
        if timings.failures:
            log = (folder / "server.log").read_text()
            first = log.find("Traceback")
            block = log[first:].split("\nINFO:", 1)[0] if first >= 0 else log
            print(block[-3000:], file=sys.stderr)
    report(args, clerks, timings, wall, bare_seconds, (idle, warm), memory)
    for failure in timings.failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if timings.failures else 0


def report(
    args: argparse.Namespace,
    clerks: list[Clerk],
    timings: Timings,
    wall: float,
    bare_seconds: float,
    idle_kib: tuple[int, int],
    memory: MemoryWatch,
) -> None:
    """The Markdown table."""
    count = len(clerks) * args.rounds
    database = "PostgreSQL" if args.db.startswith("postgresql") else "SQLite"
    print(
        f"\n{args.cities} cities × up to {args.counties} counties = {len(clerks)} county clerks, all at once, "
        f"{args.rounds} upload(s) each; "
        f"{database}, --workers {args.workers}; {os.cpu_count()} CPUs, Python {platform.python_version()}\n"
    )
    print("| measure | value |")
    print("|---|---|")
    print(f"| uploads checked and submitted | {len(timings.both)} of {count}, {len(timings.failures)} failed |")
    print(f"| server, all at once (wall) | {wall:.2f} s → {count / wall:.1f} workbooks/s |")
    print(
        f"| `cpsdk.read_report`, one after another (bare) | {bare_seconds:.2f} s → {count / bare_seconds:.1f} "
        f"workbooks/s |"
    )
    print(f"| server ÷ bare (time) | {wall / bare_seconds:.2f}× |")
    for name, values in (
        ("log in", timings.login),
        ("upload and check", timings.upload),
        ("submit", timings.submit),
        ("upload + submit", timings.both),
    ):
        p50, p95, p99, top = _percentiles(values)
        print(
            f"| latency of {name}: p50 / p95 / p99 / max | {p50 * 1000:.0f} / {p95 * 1000:.0f} / "
            f"{p99 * 1000:.0f} / {top * 1000:.0f} ms |"
        )
    idle, warm = idle_kib
    print(
        f"| server RSS: started → warmed up → peak while uploading | {idle / 1024:.0f} → {warm / 1024:.0f} → "
        f"{memory.peak_server / 1024:.0f} MiB |"
    )
    print(f"| server with its checking workers, peak RSS while uploading | {memory.peak_tree / 1024:.0f} MiB |")
    print(f"| server RSS, peak while every clerk logs in at once | {memory.logins[0] / 1024:.0f} MiB |")


def main(argv: list[str] | None = None) -> int:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cities", type=int, default=4, help="prefectures of Guangdong (21 for the province)")
    parser.add_argument("--counties", type=int, default=5, help="counties of each (10 for the province)")
    parser.add_argument(
        "--rounds", type=int, default=1, help="uploads and submissions of each clerk, one after another"
    )
    parser.add_argument("--workers", type=int, default=2, help="the server's checking processes")
    parser.add_argument("--db", default="", help="a database URL (default: SQLite in the temporary data folder)")
    parser.add_argument(
        "--enterprises-per-city", type=int, default=150, help="enterprises of the example dataset per prefecture"
    )
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
