"""How long the command line takes to start, against the floor: ``python -c pass`` and a direct script.

Measured in one run, each figure the least of ``--runs`` (≥ 5) runs in fresh subprocesses, the commands
interleaved so that a busy machine slows them alike:

- ``python -c pass``: the interpreter's own start;
- ``cpsdk --version`` and ``cpsdk forms`` (the forms index warm, and with ``CPSDK_NO_CACHE=1``: every
  plugin imported);
- ``cpsdk emit sichuan.retrofit-plan`` of the demo's dataset (``cpsdk demo``: 320 enterprises, ≈ 5,000
  proposals, 4.5 MB), against a direct script doing the same work independently of cpsdk: decode the
  JSON (msgspec when installed, else json), select the retrofit projects of the year and region as the
  form does (``plugins/sichuan/cpsdk_sichuan/retrofit_plan.py``), write them with bare xlsxwriter.

The caches (forms index, loaded datasets) live in a temporary folder, warmed by one run first: what a
user's second command meets. Targets (issue 26): ``cpsdk forms`` ≤ 100 ms, the emit ≤ 3× the direct script.

    python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FORM = "sichuan.retrofit-plan"
REGION = "5105"
YEAR = 2021

#: The direct script: no cpsdk, only the decoder and xlsxwriter. Arguments: dataset, output, region, year.
DIRECT = r"""
import sys

try:
    import msgspec

    def decode(data):
        return msgspec.json.decode(data)
except ImportError:
    import json

    def decode(data):
        return json.loads(data)

import xlsxwriter

source, output, region, year = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with open(source, "rb") as stream:
    dataset = decode(stream.read())
enterprises = {enterprise["uscc"]: enterprise for enterprise in dataset["enterprises"]}
rows = []
for proposal in dataset["proposals"]:
    enterprise = enterprises.get(proposal["enterprise"])
    if enterprise is None or not enterprise["region"].startswith(region):
        continue
    planned = proposal.get("planned_year")
    if planned is None and proposal.get("planned_completion"):
        planned = int(proposal["planned_completion"][:4])
    if planned != year or proposal.get("status") == "abandoned":
        continue
    from_audit = proposal.get("audit") is not None
    if from_audit and proposal.get("cost_class") != "mid_high":
        continue
    rows.append(
        (
            enterprise["region"],
            enterprise["name"],
            enterprise["industry"],
            proposal["name"],
            proposal.get("investment"),
            proposal.get("planned_completion"),
            "是" if from_audit else "否",
            proposal.get("progress") or proposal.get("status"),
        )
    )
rows.sort(key=lambda row: (row[0], row[1], row[3]))
book = xlsxwriter.Workbook(output)
sheet = book.add_worksheet("改造计划")
sheet.write(0, 0, f"{region}{year}年度工业清洁生产改造计划")
headers = (
    "序号", "所在地", "企业名称", "所属行业", "项目名称", "总投资（万元）", "计划完成时间",
    "是否为审核提出的中高费方案", "项目进度",
)
for column, header in enumerate(headers):
    sheet.write_string(1, column, header)
for number, row in enumerate(rows, start=1):
    sheet.write_number(number + 1, 0, number)
    for column, value in enumerate(row, start=1):
        if value is None:
            continue
        if column == 5:
            sheet.write_number(number + 1, column, float(value))
        else:
            sheet.write_string(number + 1, column, str(value))
book.close()
print(len(rows))
"""


def cpsdk_command() -> list[str]:
    """The ``cpsdk`` console script of this Python, else ``python -m cpsdk``."""
    script = Path(sys.executable).parent / "cpsdk"
    return [str(script)] if script.exists() else [sys.executable, "-m", "cpsdk"]


def run(command: list[str], env: dict[str, str]) -> float:
    """Seconds one run of ``command`` takes, start to exit (it must succeed)."""
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def environments(folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The environment of the commands (the cache of loaded datasets in ``folder``), and the same with it off."""
    env = {**os.environ, "CPSDK_CACHE_DIR": str(folder / "cache")}
    env.pop("CPSDK_NO_CACHE", None)
    # Modules' bytecode cached, as an installed package has it (pip compiles it; a shell may have turned
    # writing it off, and every start would then compile the sources again).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env, {**env, "CPSDK_NO_CACHE": "1"}


def least_times(commands: dict[str, tuple[list[str], dict[str, str]]], runs: int) -> dict[str, float]:
    """Each command's least time of ``runs``, the commands run in turns after one run each to warm up (the
    caches, the page cache, the bytecode): the machine's slower and faster phases fall on all of them alike."""
    for command, command_env in commands.values():
        run(command, command_env)
    best = {name: float("inf") for name in commands}
    for _ in range(runs):
        for name, (command, command_env) in commands.items():
            best[name] = min(best[name], run(command, command_env))
    return best


def main() -> int:
    """Measure, print a table of the least times and the ratios; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (at least 5)")
    options = parser.parse_args()
    runs = max(options.runs, 5)
    cpsdk = cpsdk_command()
    with tempfile.TemporaryDirectory(prefix="cpsdk-startup-") as scratch:
        folder = Path(scratch)
        env, no_cache = environments(folder)
        subprocess.run([*cpsdk, "demo", "--out", str(folder / "demo")], env=env, check=True, capture_output=True)
        dataset = str(folder / "demo" / "dataset.json")
        direct = folder / "direct.py"
        direct.write_text(DIRECT, encoding="utf-8")
        emit = [
            *cpsdk,
            "emit",
            FORM,
            dataset,
            "-o",
            str(folder / "cpsdk.xlsx"),
            "--region",
            REGION,
            "--year",
            str(YEAR),
        ]
        commands: dict[str, tuple[list[str], dict[str, str]]] = {
            "python -c pass": ([sys.executable, "-c", "pass"], env),
            "cpsdk --version": ([*cpsdk, "--version"], env),
            "cpsdk forms": ([*cpsdk, "forms"], env),
            "cpsdk forms (no cache)": ([*cpsdk, "forms"], no_cache),
            f"cpsdk emit {FORM}": (emit, env),
            f"cpsdk emit {FORM} (no cache)": (emit, no_cache),
            "direct script": (
                [sys.executable, str(direct), dataset, str(folder / "direct.xlsx"), REGION, str(YEAR)],
                env,
            ),
        }
        # The same rows: what cpsdk wrote, read back, against what the direct script selected.
        subprocess.run(emit, env=env, check=True, capture_output=True)
        read = folder / "read.json"
        subprocess.run([*cpsdk, "read", FORM, str(folder / "cpsdk.xlsx"), "-o", str(read)], env=env, check=True)
        ours = len(json.loads(read.read_text(encoding="utf-8"))["rows"])
        theirs = int(subprocess.run(commands["direct script"][0], env=env, check=True, capture_output=True).stdout)
        if ours != theirs:
            print(f"cpsdk wrote {ours} row(s), the direct script {theirs}: they do not do the same work")
            return 1
        best = least_times(commands, runs)
    floor = best["python -c pass"]
    direct_time = best["direct script"]
    print(f"least of {runs} runs each, {ours} row(s) emitted; ms (× python -c pass, × direct script)")
    for name, seconds in best.items():
        print(f"  {name:<42} {seconds * 1e3:7.1f} ms  {seconds / floor:5.1f}×  {seconds / direct_time:5.2f}×")
    forms_ms = best["cpsdk forms"] * 1e3
    emit_ratio = best[f"cpsdk emit {FORM}"] / direct_time
    print(f"cpsdk forms {forms_ms:.0f} ms (target ≤ 100 ms); emit {emit_ratio:.2f}× the direct script (target ≤ 3×)")
    return 0 if forms_ms <= 100 and emit_ratio <= 3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
