"""Shared fixtures. The hypothesis profiles, and plugins loaded anew for each test, come from ``cpsdk.testing``
(``-p cpsdk.testing``)."""

from __future__ import annotations

import os
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import cpsdk

PLUGINS_DIR = Path(__file__).parent / "plugins"

# The suite keeps its loaded datasets in a cache of its own, never in the user's (cpsdk.datasets._cache); its
# subprocesses inherit it.
os.environ.setdefault("CPSDK_CACHE_DIR", tempfile.mkdtemp(prefix="cpsdk-test-cache-"))


InstallPlugin = Callable[..., Path]


@pytest.fixture
def install_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> InstallPlugin:
    """Install a plugin distribution for this test: a module and a dist-info with a ``cpsdk`` entry point.

    The folder is put on ``sys.path`` (and on ``PYTHONPATH`` for subprocesses), which is
    what installing a package does for ``importlib.metadata``.
    """
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))

    def install(
        name: str, module: str, source: str | None = None, *, copy_from: str | None = None, version: str = "0.1.0"
    ) -> Path:
        text = (PLUGINS_DIR / copy_from).read_text(encoding="utf-8") if copy_from else textwrap.dedent(source or "")
        (site / f"{module}.py").write_text(text, encoding="utf-8")
        dist = site / f"{name.replace('-', '_')}-{version}.dist-info"
        dist.mkdir()
        (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")
        (dist / "entry_points.txt").write_text(f"[cpsdk]\n{module} = {module}\n", encoding="utf-8")
        sys.modules.pop(module, None)
        cpsdk.reset_plugins()
        return site

    return install
