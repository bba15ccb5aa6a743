"""``cpsdk emit sichuan.annual-report`` of the province dataset, end to end, against a direct script (issue 26 item 5).

Each command runs in a fresh process, start to exit, the least of ``--runs`` (≥ 3) runs, the commands interleaved so
that a busy machine slows them alike:

- ``cpsdk emit`` with the cache of loaded datasets warm (a user's second command) and with ``CPSDK_NO_CACHE=1``
  (the file parsed, as the first time);
- a direct script doing the same work independently of cpsdk: the file read into polars DataFrames (msgspec cuts
  each collection out of the document, polars reads it with a fixed schema, amounts as exact decimals), 附件3's
  figures computed with polars (``benchmarks/_polars_forms.py``), and written with bare xlsxwriter, one cell per
  figure.

Before timing, the workbook cpsdk wrote is read back (``cpsdk read``) and its figures compared with the direct
script's: they must do the same work. Target: the emit ≤ 2× the direct script.

    .venv/bin/pip install -q -e '.[bench]' -e plugins/sichuan
    .venv/bin/python benchmarks/end_to_end.py [--runs 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
FORM = "sichuan.annual-report"
YEAR = 2018
TARGET = 2.0

#: The direct script: no cpsdk. Arguments: the benchmarks folder, dataset, output, year.
DIRECT = r"""
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, sys.argv[1])
import _polars_forms
import xlsxwriter

figures = _polars_forms.FIGURES["sichuan.annual-report"](_polars_forms.load(Path(sys.argv[2])), year=int(sys.argv[4]))
book = xlsxwriter.Workbook(sys.argv[3], {"strings_to_formulas": False})
sheet = book.add_worksheet("附件3")
sheet.write_string(0, 0, "四川省清洁生产工作情况统计表")
for row, (name, value) in enumerate(sorted(figures.items()), start=1):
    sheet.write_string(row, 0, name)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        sheet.write_number(row, 1, float(value))
    elif value is not None:
        sheet.write_string(row, 1, str(value))
book.close()
"""


def _same_figures(workbook: Path, dataset: Path) -> list[str]:
    """The figures of cpsdk's workbook, read back, that differ from the polars ones (empty when they agree)."""
    sys.path.insert(0, str(HERE))
    import _polars_forms

    import cpsdk

    report = cpsdk.form_of_workbook(FORM, workbook).read(workbook)
    figures = _polars_forms.FIGURES[FORM](_polars_forms.load(dataset), year=YEAR)
    return [
        f"{name}: cpsdk {ours!r}, polars {theirs!r}"
        for name, ours, theirs in _polars_forms.COMPARE[FORM](report, figures)
    ]


def main() -> int:
    """Measure, print the least times and the ratios; exit 1 when the target is missed or the work differs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (at least 3)")
    runs = max(parser.parse_args().runs, 3)
    sys.path.insert(0, str(HERE))
    from run import _dataset_path  # the benchmarks' province dataset, generated once
    from startup import cpsdk_command, environments, least_times, run

    dataset = _dataset_path("province")
    cpsdk = cpsdk_command()
    with tempfile.TemporaryDirectory(prefix="cpsdk-e2e-") as scratch:
        folder = Path(scratch)
        env, no_cache = environments(folder)
        direct = folder / "direct.py"
        direct.write_text(DIRECT, encoding="utf-8")
        out = folder / "cpsdk.xlsx"
        emit = [*cpsdk, "emit", FORM, str(dataset), "-o", str(out), "--year", str(YEAR)]
        commands = {
            f"cpsdk emit {FORM} (cache warm)": (emit, env),
            f"cpsdk emit {FORM} (no cache)": (emit, no_cache),
            "direct script (polars, xlsxwriter)": (
                [sys.executable, str(direct), str(HERE), str(dataset), str(folder / "direct.xlsx"), str(YEAR)],
                env,
            ),
        }
        run(emit, env)  # cpsdk's workbook, to compare its figures first
        differ = _same_figures(out, dataset)
        if differ:
            print("cpsdk's workbook and the direct script's figures differ:\n  " + "\n  ".join(differ[:20]))
            return 1
        best = least_times(commands, runs)
    direct_time = best["direct script (polars, xlsxwriter)"]
    print(f"province dataset ({dataset.stat().st_size / 1e6:.0f} MB), least of {runs} runs each; s (× direct script)")
    for name, seconds in best.items():
        print(f"  {name:<48} {seconds:6.2f} s  {seconds / direct_time:5.2f}×")
    worst = max(best[name] for name in commands if name.startswith("cpsdk")) / direct_time
    print(f"emit ≤ {worst:.2f}× the direct script (target ≤ {TARGET}×)")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
