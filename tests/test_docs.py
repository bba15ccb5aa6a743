"""The guides' examples run as written."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

DOCS = Path(__file__).parent.parent / "docs"


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_plugin_guide_runs_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = _python_blocks(DOCS / "plugins.md")
    assert len(blocks) >= 6
    monkeypatch.chdir(tmp_path)
    # The blocks run as one module, as a reader pasting them into a file would run them.
    module = types.ModuleType("plugins_guide")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    for number, block in enumerate(blocks, start=1):
        code = compile(block, f"docs/plugins.md block {number}", "exec", dont_inherit=True)
        exec(code, module.__dict__)
    assert (tmp_path / "audits-2017.xlsx").exists() and (tmp_path / "audits-2017-draft.xlsx").exists()


def test_the_guide_names_only_public_api() -> None:
    text = (DOCS / "plugins.md").read_text(encoding="utf-8")
    assert not re.search(r"\bcpsdk(\.\w+)*\._[a-z]\w*", text)
