"""A smoke run of ``benchmarks/server_load.py`` (2 cities × 2 counties, a real server on loopback): the load
benchmark itself works and no request of it fails. No timing is asserted."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "server_load.py"


@pytest.mark.load_smoke
@pytest.mark.skipif(not SCRIPT.exists(), reason="benchmarks/server_load.py is not beside the server")
def test_load_benchmark_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("server_load", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    assert module.main(["--cities", "2", "--counties", "2", "--enterprises-per-city", "40"]) == 0
    out = capsys.readouterr().out
    assert "| uploads checked and submitted | 4 of 4, 0 failed |" in out
