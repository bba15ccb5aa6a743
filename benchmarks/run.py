"""cpsdk's benchmarks: each operation against the bare cost of the same work, as a ratio, in one run.

    .venv/bin/pip install -q -e '.[bench]' -e plugins/sichuan -e plugins/shandong -e plugins/guangdong
    .venv/bin/python benchmarks/run.py --size province          # or small, national; several allowed

Each measurement runs in a child process of its own, so its peak memory (RSS) is its
own; "added" is how far the peak rose above the memory already in use when the timed
run began (for a write, over the loaded dataset and built report). The dataset is
generated once per size (deterministic by seed) and cached under ``benchmarks/.data/``.
Writes and reads are timed in turns with their bare costs in one process, each the least of
its runs (at least three, after one to warm up): the machine's speed drifts, and in turns
both costs share each phase; the bare cost's memory comes from a process of its own. Builds
and validation run once, from a freshly loaded dataset. The bare costs:

- **emit** (``sichuan.retrofit-plan``, one row per planned project, and ``guangdong.filings``,
  one row per audit): writing the built report as the official workbook, against a plain
  xlsxwriter script in ``constant_memory`` mode writing the same cells, with no SDK;
- **build** (the aggregate forms: Sichuan 附件3 for the province, Guangdong's province summary, Shandong's
  statistics, the national indicators and summary, all for 2018): the same aggregation written in polars
  (``benchmarks/_polars_forms.py``, independent of cpsdk) over the same data, the file read into DataFrames
  first (amounts as exact decimals; not timed, as the build is timed on a loaded dataset), the least of a few
  runs. The build's line also checks that every figure of the built report equals polars' (exactly, amounts as
  numbers), and fails naming the figures that differ;
- **read**: python-calamine reading the same workbook raw;
- **validate**: fastjsonschema validating the same document with the dataset schema.

Results go to stdout as a Markdown table; ``benchmarks/RESULTS.md`` records them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
DATA = HERE / ".data"
#: size → (enterprises, proposals per audit) of the example dataset (about 1.4 audits per enterprise, with a third
#: more enterprises audited in 2011-2015 and 2021 besides). Since the example data gained its history and more
#: effects a proposal (issue 23), the same number of records takes about two thirds of the enterprises it did.
SIZES = {
    "small": (400, 12),
    "province": (5_000, 20),  # 9,026 audits, 176,000 proposals, 740,000 records, 154 MB (Guangdong's 12th FYP: 6,979)
    "national": (25_000, 20),  # 45,169 audits, 881,000 proposals, 2,600,000 effects, 3,690,000 records, 771 MB
}


def _dataset_path(size: str) -> Path:
    DATA.mkdir(exist_ok=True)
    path = DATA / f"{size}.json"
    if not path.exists():
        import cpsdk

        enterprises, per_audit = SIZES[size]
        data = cpsdk.example_dataset(seed=2016, enterprises=enterprises, proposals_per_audit=per_audit)
        cpsdk.save(data, path)
    return path


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (VmHWM: peak resident, VmRSS: resident now)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


#: Resident memory when the last timed run started; what the operation itself added is the peak less this.
_before_mb = 0.0


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    global _before_mb
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # Linux: the peak (VmHWM) starts again from now
    _before_mb = _status_mb("VmRSS")
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def _best(work: Callable[[], Any], budget: float = 3.0) -> float:
    """The least time of several runs after one run to warm up (imports, caches, formats): the cost of the
    work itself, as in a service that writes one workbook after another. At least three runs, more (up to
    twenty) while they fit in ``budget`` seconds: a virtual machine's noise is least in the least of many."""
    started = time.perf_counter()
    work()
    return min(_timed(work)[0] for _ in range(_runs(time.perf_counter() - started, budget)))


def _runs(seconds: float, budget: float) -> int:
    """How many runs of ``seconds`` each to time: at least three, up to twenty while they fit in ``budget``."""
    return max(3, min(20, int(budget / max(seconds, 1e-6))))


def _best_pair(work: Callable[[], Any], bare: Callable[[], Any], budget: float = 6.0) -> tuple[float, float]:
    """The least times of ``work`` and of its bare cost, run in turns in this one process.

    This virtual machine runs faster and slower by turns (by up to a fifth, for seconds at a time): timed in
    processes of their own, one after the other, two costs can land in different phases; in turns, each
    phase is shared. The last run is ``work``'s, so the peak memory measured after it is its own.
    """
    bare()
    work()  # warm-up of both
    bare_seconds, work_seconds = _timed(bare)[0], _timed(work)[0]
    for _ in range(_runs(bare_seconds + work_seconds, budget) - 1):
        bare_seconds = min(bare_seconds, _timed(bare)[0])
        work_seconds = min(work_seconds, _timed(work)[0])
    return work_seconds, bare_seconds


# ---- the operations, each run in a child -------------------------------------------------------------


def write(size: str, form_id: str) -> dict[str, float]:
    """Write a built report as the official workbook (its rules checked, its identity sheet hashed), in turns
    with the bare write of the same cells."""
    import gc

    import cpsdk

    data = cpsdk.load(_dataset_path(size))
    form = cpsdk.get_form(form_id)
    report = form.build(data, year=2018)
    out = DATA / f"{size}.{form_id}.xlsx"
    form.write(report, out)
    # Both writes run with the loaded records out of the collector's view, as the bare script would in a
    # process of its own.
    gc.freeze()
    seconds, bare_seconds = _best_pair(lambda: form.write(report, out), _bare_write(size, form_id))
    return {"seconds": seconds, "bare_seconds": bare_seconds, "rows": len(report.rows)}


def write_bare(size: str, form_id: str) -> dict[str, float]:
    """The bare write alone, in a process of its own: its memory (and its time, standing alone)."""
    return {"seconds": _best(_bare_write(size, form_id))}


def _bare_write(size: str, form_id: str) -> Callable[[], None]:
    """xlsxwriter in constant_memory mode writing the cells ``write`` wrote, with one format per kind of value.

    Every cell of each sheet's used range is written (the form's sheet and the identity sheet every cpsdk
    workbook carries), the empty ones as bordered blanks, as the form's are: its title, headers and notes
    span the width, and empty values keep the grid's borders.
    """
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    source = DATA / f"{size}.{form_id}.xlsx"
    written = CalamineWorkbook.from_path(str(source))
    sheets = [written.get_sheet_by_name(name).to_python() for name in written.sheet_names]  # the identity's too
    target = DATA / f"{size}.{form_id}.bare.xlsx"

    def one() -> None:
        book = xlsxwriter.Workbook(str(target), {"constant_memory": True, "strings_to_formulas": False})
        text = book.add_format({"border": 1, "text_wrap": True, "valign": "vcenter"})
        number = book.add_format({"border": 1, "num_format": "#,##0.00"})
        for sheet in sheets:
            ws = book.add_worksheet()
            for r, row in enumerate(sheet):
                for c, value in enumerate(row):
                    if value is None or value == "":
                        ws.write_blank(r, c, None, text)  # the form's grid: empty cells keep their borders
                    elif isinstance(value, (int, float)):
                        ws.write_number(r, c, value, number)
                    else:
                        ws.write_string(r, c, str(value), text)
        book.close()

    return one


#: The parameters every build line uses (the polars figures of ``_polars_forms`` take the same defaults).
BUILD_PARAMS: dict[str, Any] = {"year": 2018}


class FiguresDisagree(AssertionError):
    """cpsdk's built report and the same aggregation in polars give different figures."""


def aggregate(size: str, form_id: str) -> dict[str, float]:
    """Build an aggregate form from the dataset (timed, once, as a first build is), then check every figure of the
    report against the same aggregation in polars (``aggregate_bare``'s), computed in this process after the
    build's memory was taken; raises :class:`FiguresDisagree` naming the figures that differ."""
    import cpsdk

    path = _dataset_path(size)
    data = cpsdk.load(path)
    form = cpsdk.get_form(form_id)
    seconds, report = _timed(lambda: form.build(data, **BUILD_PARAMS))
    peak_mb = _status_mb("VmHWM")
    added_mb = peak_mb - _before_mb
    forms = _polars_forms()
    disagreements = forms.COMPARE[form_id](report, forms.FIGURES[form_id](forms.load(path), **BUILD_PARAMS))
    if disagreements:
        lines = "\n".join(f"  {name}: cpsdk {built!r}, polars {bare!r}" for name, built, bare in disagreements[:50])
        raise FiguresDisagree(f"{form_id} ({size}): {len(disagreements)} figure(s) disagree with polars:\n{lines}")
    form.write(report, DATA / f"{size}.{form_id}.xlsx")  # and it can be written: every figure fits a cell
    return {"seconds": seconds, "peak_mb": peak_mb, "added_mb": added_mb}


def aggregate_bare(size: str, form_id: str) -> dict[str, float]:
    """The same aggregation written in polars over the same data (``_polars_forms``, no cpsdk): the file read into
    DataFrames first (not timed, as cpsdk's build is timed on a loaded dataset), then the form's figures computed
    with polars expressions, the least time of a few runs after one to warm up."""
    forms = _polars_forms()
    frames = forms.load(_dataset_path(size))
    figures = forms.FIGURES[form_id]
    return {"seconds": _best(lambda: figures(frames, **BUILD_PARAMS), budget=3.0)}


def _polars_forms() -> Any:
    """``benchmarks/_polars_forms.py``, imported from this folder."""
    sys.path.insert(0, str(HERE))
    import _polars_forms

    return _polars_forms


def read(size: str, form_id: str) -> dict[str, float]:
    """Read the workbook ``write`` wrote back into its report (its layout detected, every cell checked), in
    turns with the raw read of the same file."""
    import cpsdk
    from cpsdk.workbook import _archive

    path = DATA / f"{size}.{form_id}.xlsx"

    def one() -> None:
        _archive._inspect_file.cache_clear()  # check the archive every time, as for a file never seen before
        cpsdk.form_of_workbook(form_id, path).read(path)

    seconds, bare_seconds = _best_pair(one, _bare_read(path))
    return {"seconds": seconds, "bare_seconds": bare_seconds}


def read_bare(size: str, form_id: str) -> dict[str, float]:
    """The raw read alone, in a process of its own: its memory (and its time, standing alone)."""
    return {"seconds": _best(_bare_read(DATA / f"{size}.{form_id}.xlsx"))}


def _bare_read(path: Path) -> Callable[[], None]:
    """python-calamine reading every sheet of the same workbook raw."""
    from python_calamine import CalamineWorkbook

    def raw() -> None:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()

    return raw


def validate(size: str, _: str) -> dict[str, float]:
    """Every issue of the dataset file (schema, semantic checks, plugins' rules)."""
    import cpsdk

    os.environ["CPSDK_NO_CACHE"] = "1"  # the file parsed, as the first time (the cache's line is its own)
    path = _dataset_path(size)
    cpsdk.validate(b'{"version": "1.0"}')  # once-per-process setup (schemas compiled, plugins loaded), as below
    seconds, issues = _timed(lambda: cpsdk.validate(path))
    return {"seconds": seconds, "issues": len(issues)}


def validate_paired(size: str, _: str) -> dict[str, float]:
    """``cpsdk validate`` of the dataset file (the cache off), timed in turns with the bare msgspec decode of it, as
    ``load`` is; its memory from a process of its own (``validate``). Also how long its parts take (one run each:
    parsing, the semantic checks, the plugins' rules), from the run's own pieces."""
    import cpsdk
    from cpsdk.datasets._checks import semantic_issues
    from cpsdk.forms._registry import plugins

    os.environ["CPSDK_NO_CACHE"] = "1"
    path = _dataset_path(size)
    cpsdk.validate(b'{"version": "1.0"}')  # once-per-process setup (schemas compiled, plugins loaded)
    seconds, bare_seconds = _best_pair(lambda: cpsdk.validate(path), _bare_load(path), budget=30.0)
    parse_seconds, loaded = _timed(lambda: cpsdk.parse(path))
    checks_seconds, _ = _timed(lambda: semantic_issues(loaded))
    host = plugins()
    rules_seconds, _ = _timed(lambda: host.rule_runner()(loaded.dataset))
    alone = _child("validate", size, "-")
    return {
        "seconds": seconds,
        "bare_seconds": bare_seconds,
        "parse_seconds": parse_seconds,
        "checks_seconds": checks_seconds,
        "rules_seconds": rules_seconds,
        "rules": len(host.rules()),
        "peak_mb": alone["peak_mb"],
        "added_mb": alone["added_mb"],
    }


def validate_bare(size: str, _: str) -> dict[str, float]:
    """fastjsonschema validating the same document with the dataset schema (reading the JSON included)."""
    import fastjsonschema

    import cpsdk

    check = fastjsonschema.compile(cpsdk.dataset_schema())
    path = _dataset_path(size)
    seconds, _ = _timed(lambda: check(json.loads(path.read_text(encoding="utf-8"))))
    return {"seconds": seconds}


def _bare_load(path: Path) -> Callable[[], object]:
    """msgspec decoding the file into typed structs with the schema's constraints (``_msgspec_shape``), with no
    cpsdk: the whole document at once, as msgspec decodes."""
    sys.path.insert(0, str(HERE))
    from _msgspec_shape import DECODER

    return lambda: DECODER.decode(path.read_bytes())


def load(size: str, _: str) -> dict[str, float]:
    """``cpsdk.load`` of the dataset file (the cache off: parsed, and the large collections' amounts made the whole
    numbers their sums add, as polars' load casts them to decimals), timed in turns with the bare msgspec decode of
    it; its memory from a process of its own (the bare decode's would stay in this one's)."""
    import cpsdk

    os.environ["CPSDK_NO_CACHE"] = "1"
    path = _dataset_path(size)
    cpsdk.parse(b'{"version": "1.0"}')  # once-per-process setup
    seconds, bare_seconds = _best_pair(lambda: cpsdk.load(path), _bare_load(path), budget=20.0)
    alone = _child("load_alone", size, "-")
    return {
        "seconds": seconds,
        "bare_seconds": bare_seconds,
        "peak_mb": alone["peak_mb"],
        "added_mb": alone["added_mb"],
    }


def load_alone(size: str, _: str) -> dict[str, float]:
    """``cpsdk.load`` alone (the cache off), for its memory."""
    import cpsdk

    os.environ["CPSDK_NO_CACHE"] = "1"
    path = _dataset_path(size)
    cpsdk.parse(b'{"version": "1.0"}')
    seconds, _ = _timed(lambda: cpsdk.load(path))
    return {"seconds": seconds}


def load_bare(size: str, _: str) -> dict[str, float]:
    """The bare msgspec decode alone, in a process of its own: its memory (and its time, standing alone)."""
    seconds, _ = _timed(_bare_load(_dataset_path(size)))
    return {"seconds": seconds}


def load_cached(size: str, _: str) -> dict[str, float]:
    """``cpsdk.parse`` served from the cache of loaded datasets (an entry made first, in a cache folder of its
    own): the file's SHA-256 checked again, the columns read back."""
    import tempfile

    import cpsdk

    path = _dataset_path(size)
    with tempfile.TemporaryDirectory(dir=DATA) as folder:
        os.environ["CPSDK_CACHE_DIR"] = folder
        os.environ.pop("CPSDK_NO_CACHE", None)
        cpsdk.parse(path)  # makes the entry
        seconds = _best(lambda: cpsdk.parse(path), budget=3.0)
        entry_mb = sum(f.stat().st_size for f in Path(folder).glob("*.store")) / 1024**2
    return {"seconds": seconds, "entry_mb": entry_mb}


def emit_start(size: str, form: str) -> dict[str, float]:
    """A second ``cpsdk emit`` of the file (the first made the cache entry): seconds until it starts building."""
    import tempfile

    path = _dataset_path(size)
    with tempfile.TemporaryDirectory(dir=DATA) as folder:
        env = {**os.environ, "CPSDK_CACHE_DIR": folder}
        env.pop("CPSDK_NO_CACHE", None)
        command = [sys.executable, "-m", "cpsdk", "emit", form, str(path), "-o", str(Path(folder) / "out.xlsx")]
        subprocess.run([*command, "--year", "2018"], env=env, capture_output=True, check=False)
        started = time.perf_counter()
        child = subprocess.Popen([*command, "--year", "2018"], env=env, stderr=subprocess.PIPE, text=True)
        assert child.stderr is not None
        building = float("nan")
        for line in child.stderr:
            if "building" in line and building != building:
                building = time.perf_counter() - started
        child.wait()
        total = time.perf_counter() - started
    return {"seconds": building, "total_seconds": total}


#: Hostile dataset files whose validation's memory is measured: megabytes of records that are all faults.
FLOODS_MB = (3, 12)
#: What validating any dataset file may add to the process's memory: this base plus a multiple of the file's size.
VALIDATE_MEMORY_BASE_MB = 64
VALIDATE_MEMORY_PER_FILE_MB = 1.0


def _flood_path(megabytes: int) -> Path:
    """A dataset file of about ``megabytes`` MB of empty records (four faults each, three kinds of record)."""
    DATA.mkdir(exist_ok=True)
    path = DATA / f"flood-{megabytes}.json"
    if not path.exists():
        count = megabytes * 1024**2 // 12
        kinds = ("enterprises", "audits", "proposals")
        body = ", ".join(f'"{kind}": [' + ", ".join(["{}"] * count) + "]" for kind in kinds)
        path.write_text('{"version": "1.0", ' + body + "}", encoding="utf-8")
    return path


def validate_file(name: str, _: str) -> dict[str, float]:
    """Validate one dataset file (a size's dataset, or ``flood-N``), for its memory against the file's size."""
    import cpsdk

    os.environ["CPSDK_NO_CACHE"] = "1"
    path = _flood_path(int(name.removeprefix("flood-"))) if name.startswith("flood-") else _dataset_path(name)
    cpsdk.validate(b'{"version": "1.0"}')
    seconds, issues = _timed(lambda: cpsdk.validate(path))
    return {"seconds": seconds, "issues": len(issues), "file_mb": path.stat().st_size / 1024**2}


def generate(size: str, _: str) -> dict[str, float]:
    """Generate (or find) the dataset of a size."""
    seconds, _ = _timed(lambda: _dataset_path(size))
    return {"seconds": seconds}


OPERATIONS: dict[str, Callable[[str, str], dict[str, float]]] = {
    f.__name__: f
    for f in (
        generate,
        write,
        write_bare,
        aggregate,
        aggregate_bare,
        read,
        read_bare,
        validate,
        validate_paired,
        validate_bare,
        validate_file,
        load,
        load_alone,
        load_bare,
        load_cached,
        emit_start,
    )
}

#: (what, operation, its bare cost, form, target ratio)
SCENARIOS = (
    ("emit (write) sichuan.retrofit-plan", "write", "write_bare", "sichuan.retrofit-plan", 1.3),
    ("emit (write) guangdong.filings", "write", "write_bare", "guangdong.filings", 1.3),
    ("read sichuan.retrofit-plan", "read", "read_bare", "sichuan.retrofit-plan", 1.5),
    ("read guangdong.filings", "read", "read_bare", "guangdong.filings", 1.5),
    ("build sichuan.annual-report (province) vs polars", "aggregate", "aggregate_bare", "sichuan.annual-report", 3.0),
    ("build guangdong.province-summary vs polars", "aggregate", "aggregate_bare", "guangdong.province-summary", 3.0),
    ("build shandong.statistics vs polars", "aggregate", "aggregate_bare", "shandong.statistics", 3.0),
    ("build national.indicators vs polars", "aggregate", "aggregate_bare", "national.indicators", 3.0),
    ("build national.summary vs polars", "aggregate", "aggregate_bare", "national.summary", 3.0),
    ("validate the dataset", "validate", "validate_bare", "-", 3.0),
    ("load the dataset (cpsdk.load) vs msgspec typed+constrained", "load", "load_bare", "-", 2.0),
    ("validate the dataset vs msgspec typed+constrained", "validate_paired", "load_bare", "-", 2.0),
)


def _child(operation: str, size: str, form: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", operation, size, form], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{operation} {size} {form} failed:\n{result.stderr[-3000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _memory(result: dict[str, float]) -> str:
    return f"{result['peak_mb']:.0f} ({result['added_mb']:.0f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", action="append", choices=sorted(SIZES), help="small, province, national")
    parser.add_argument("--child", nargs=3, metavar=("OPERATION", "SIZE", "FORM"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        operation, size, form = args.child
        result = OPERATIONS[operation](size, form)
        result.setdefault("peak_mb", _status_mb("VmHWM"))  # an operation may measure it in a process of its own
        result.setdefault("added_mb", result["peak_mb"] - _before_mb)
        print(json.dumps(result))
        return 0
    sizes = args.size or ["small"]
    parts: list[str] = []  # where validate's time goes, printed after the main table
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPU(s), Python {platform.python_version()}")
    print("| size | operation | rows | SDK s | bare s | ratio | target | SDK peak MB (added) | bare peak MB (added) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for size in sizes:
        _child("generate", size, "-")  # in a child, so that this process stays small
        for what, operation, bare, form, target in SCENARIOS:
            sdk = _child(operation, size, form)
            base = _child(bare, size, form)
            bare_seconds = sdk.get("bare_seconds", base["seconds"])  # timed in turns with the SDK's, if it was
            ratio = sdk["seconds"] / bare_seconds if bare_seconds else float("inf")
            mark = "" if ratio <= target else " ✗"
            rows = f"{sdk['rows']:,.0f}" if "rows" in sdk else ""
            if "checks_seconds" in sdk:
                parts.append(
                    f"| {size} | {sdk['parse_seconds']:.2f} | {sdk['checks_seconds']:.2f} | "
                    f"{sdk['rules_seconds']:.3f} ({sdk['rules']:.0f} rules) |"
                )
            print(
                f"| {size} | {what} | {rows} | {sdk['seconds']:.3f} | {bare_seconds:.3f} | {ratio:.2f}×{mark} | "
                f"≤ {target}× | {_memory(sdk)} | {_memory(base)} |",
                flush=True,
            )
    print()
    print("validate, one run each of its parts: parsing, the semantic checks, the plugins' dataset rules")
    print("| size | parse s | semantic checks s | plugin rules s |")
    print("|---|---|---|---|")
    print("\n".join(parts))
    print()
    print(
        "Load from the cache of loaded datasets, and the start of a second `cpsdk emit` (target: building within 2 s)"
    )
    print("| size | cache hit s | entry MB | peak MB (added) | second emit: building after s | whole emit s |")
    print("|---|---|---|---|---|---|")
    for size in sizes:
        cached = _child("load_cached", size, "-")
        start = _child("emit_start", size, "sichuan.annual-report")
        print(
            f"| {size} | {cached['seconds']:.2f} | {cached['entry_mb']:.0f} | {_memory(cached)} | "
            f"{start['seconds']:.2f} | {start['total_seconds']:.2f} |",
            flush=True,
        )
    print()
    print(
        f"Memory of validate against the file's size (bound: {VALIDATE_MEMORY_BASE_MB} MB + "
        f"{VALIDATE_MEMORY_PER_FILE_MB}× the file)"
    )
    print("| file | MB on disk | seconds | issues | peak MB (added) | added ÷ file | within bound |")
    print("|---|---|---|---|---|---|---|")
    for name in [*sizes, *(f"flood-{mb}" for mb in FLOODS_MB)]:
        result = _child("validate_file", name, "-")
        bound = VALIDATE_MEMORY_BASE_MB + VALIDATE_MEMORY_PER_FILE_MB * result["file_mb"]
        print(
            f"| {name} | {result['file_mb']:.1f} | {result['seconds']:.2f} | {result['issues']:,.0f} | "
            f"{_memory(result)} | {result['added_mb'] / result['file_mb']:.2f} | "
            f"{'yes' if result['added_mb'] <= bound else 'NO'} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
