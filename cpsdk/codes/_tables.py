"""Reading the CSV code tables shipped in ``cpsdk/codes/data``."""

from __future__ import annotations

import csv
import io
from importlib import resources


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of a shipped CSV table as dicts keyed by its header."""
    text = (resources.files("cpsdk.codes") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))
