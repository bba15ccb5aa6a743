"""The SDK never imports the server: the server is a distribution of its own, on top of it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import cpsdk

from cpsdk_server.cli import build_parser


def test_importing_and_using_the_sdk_loads_nothing_of_the_server() -> None:
    code = (
        "import sys, cpsdk, cpsdk.cli, cpsdk.codes; cpsdk.list_forms(); "
        "print(sorted(m for m in sys.modules if m.startswith(('cpsdk_server', 'fastapi', 'sqlalchemy'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_no_module_of_the_sdk_imports_the_server_at_import_time() -> None:
    """Only a function may name it (``cpsdk serve`` delegating, lazily, to an installed server)."""
    top_level = re.compile(r"^(?:from|import)\s+cpsdk_server", re.MULTILINE)
    sdk = Path(cpsdk.__file__).parent
    offenders = [str(path) for path in sdk.rglob("*.py") if top_level.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_command_line_parses_its_commands() -> None:
    parser = build_parser()
    args = parser.parse_args(["--data", "d", "users", "add", "x", "--role", "county-clerk", "--region", "440303"])
    assert (args.data, args.name, args.region) == ("d", "x", "440303")
    args = parser.parse_args(["users", "add", "x", "--role", "city-reviewer", "--region", "4403", "--data", "e"])
    assert args.data == "e"
    assert parser.parse_args(["--db", "postgresql+psycopg://h/db", "upgrade"]).db == "postgresql+psycopg://h/db"
