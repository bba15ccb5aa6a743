"""The hidden sheet that tells what a workbook is.

Every workbook cpsdk writes carries a hidden sheet ``_cpsdk`` of key/value rows:
form id, layout year, SDK and plugin versions, when it was written, a hash of its
input, whether it is a draft. Reading, merging and converting use it instead of
guessing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

IDENTITY_SHEET = "_cpsdk"
MAGIC = "cpsdk-workbook"


@attrs.frozen(kw_only=True)
class WorkbookIdentity:
    """What a cpsdk workbook says about itself."""

    form: str
    layout_year: int
    sdk_version: str
    plugin: str
    plugin_version: str
    written_at: str
    report_sha256: str
    input_sha256: str = ""
    draft: bool = False
    params: str = ""

    def rows(self) -> list[tuple[str, str]]:
        """Key/value rows as written to the sheet."""
        values = attrs.asdict(self)
        rows = [("magic", MAGIC)]
        rows.extend((key, _text(value)) for key, value in values.items())
        return rows

    @classmethod
    def from_rows(cls, rows: Mapping[str, Any]) -> WorkbookIdentity:
        """Read the identity back; raises ValueError when it is not one."""
        if rows.get("magic") != MAGIC:
            raise ValueError("not a cpsdk identity sheet")
        year = rows.get("layout_year")
        return cls(
            form=str(rows.get("form", "")),
            layout_year=int(float(year)) if isinstance(year, (int, float, str)) and str(year).strip() else 0,
            sdk_version=str(rows.get("sdk_version", "")),
            plugin=str(rows.get("plugin", "")),
            plugin_version=str(rows.get("plugin_version", "")),
            written_at=str(rows.get("written_at", "")),
            report_sha256=str(rows.get("report_sha256", "")),
            input_sha256=str(rows.get("input_sha256", "")),
            draft=str(rows.get("draft", "")).lower() == "true",
            params=str(rows.get("params", "")),
        )


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
