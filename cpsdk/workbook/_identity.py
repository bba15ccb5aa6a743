"""The hidden sheet that tells what a workbook is.

Every workbook cpsdk writes carries a hidden sheet ``_cpsdk`` of key/value rows:
form id, layout year, SDK and plugin versions, when it was written, a hash of its
input, whether it is a draft, the hash of its report and the digests that locate an
edit (``report_digests``, cut over rows ``report_digests``, ``report_digests.2``, …
of at most :data:`CHUNK` characters), and a ``seal`` over all of them (see
:mod:`cpsdk.workbook._digest`). Reading, merging and converting use it instead of
guessing.

The sheet is read as hostile input: a value of any type in any cell, keys renamed or
removed. What cannot be an identity (no magic, a layout year that is not a year from
:data:`FIRST_YEAR` to :data:`LAST_YEAR`) raises :class:`InvalidIdentity`, a
``ValueError``: the workbook is then one cpsdk did not write.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

IDENTITY_SHEET = "_cpsdk"
MAGIC = "cpsdk-workbook"
#: Characters of the digests held in one cell (Excel allows 32,767).
CHUNK = 32_000
#: Cells of digests read at most (a million-row table needs about 260).
MAX_CHUNKS = 512
#: Layout years an identity may name.
FIRST_YEAR, LAST_YEAR = 1980, 2100
_DIGESTS = "report_digests"
_YEAR_TEXT = re.compile(r"\s*([0-9]{4})(?:\.0*)?\s*", re.ASCII)
#: What the seal covers, in order.
_SEALED = (
    "form",
    "layout_year",
    "sdk_version",
    "plugin",
    "plugin_version",
    "written_at",
    "report_sha256",
    "input_sha256",
    "draft",
    "params",
    "report_digests",
)


class InvalidIdentity(ValueError):
    """An identity sheet that cannot be one (edited by hand): ``message_zh`` and ``message_en`` say why."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en


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
    #: Digests of the report's values, rows and columns (JSON), to locate an edit; empty in older workbooks.
    report_digests: str = attrs.field(default="", repr=False)
    #: SHA-256 (16 hex) of the values above; empty in older workbooks.
    seal: str = ""

    def expected_seal(self) -> str:
        """The seal of this identity's values."""
        values = attrs.asdict(self)
        text = json.dumps([_text(values[name]) for name in _SEALED], ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def sealed(self) -> WorkbookIdentity:
        """The same identity with its :attr:`seal`."""
        return attrs.evolve(self, seal=self.expected_seal())

    def seal_ok(self) -> bool:
        """True when the identity carries a seal and it matches its values (nothing was edited by hand)."""
        return bool(self.seal) and self.seal == self.expected_seal()

    def rows(self) -> list[tuple[str, str]]:
        """Key/value rows as written to the sheet (the digests over several rows; empty new values left out)."""
        values = attrs.asdict(self)
        rows = [("magic", MAGIC)]
        for key, value in values.items():
            if key == _DIGESTS:
                rows.extend((_digest_key(index), chunk) for index, chunk in enumerate(_chunks(value)))
            elif key != "seal" or value:
                rows.append((key, _text(value)))
        return rows

    @classmethod
    def from_rows(cls, rows: Mapping[str, Any]) -> WorkbookIdentity:
        """Read the identity back; raises :class:`InvalidIdentity` (a ValueError) when it is not one."""
        if rows.get("magic") != MAGIC:
            raise InvalidIdentity("不是 cpsdk 的标识工作表", "not a cpsdk identity sheet")
        return cls(
            form=form_of(rows.get("form")),
            layout_year=layout_year_of(rows.get("layout_year")),
            sdk_version=_string(rows.get("sdk_version")),
            plugin=_string(rows.get("plugin")),
            plugin_version=_string(rows.get("plugin_version")),
            written_at=_string(rows.get("written_at")),
            report_sha256=_string(rows.get("report_sha256")),
            input_sha256=_string(rows.get("input_sha256")),
            draft=_string(rows.get("draft")).lower() == "true",
            params=_string(rows.get("params")),
            report_digests=_joined_digests(rows),
            seal=_string(rows.get("seal")),
        )


#: A form id as plugins name them (``sichuan.retrofit-plan``): letters, digits, dots, dashes, underscores.
_FORM_ID = re.compile(r"[A-Za-z0-9_.\-]{1,100}")


def form_of(value: Any) -> str:
    """The form id an identity cell holds; raises :class:`InvalidIdentity` for text no form is named by
    (which would otherwise be echoed, whatever its length, in every message naming the form)."""
    text = _string(value)
    if _FORM_ID.fullmatch(text) is None:
        shown = text if len(text) <= 40 else text[:39] + "…"
        raise InvalidIdentity(f"表单标识无效：{shown!r}", f"the form id {shown!r} is not one")
    return text


def layout_year_of(value: Any) -> int:
    """The layout year an identity cell holds (a number or four digits, :data:`FIRST_YEAR`–:data:`LAST_YEAR`);
    raises :class:`InvalidIdentity` for anything else (``inf``, ``nan``, ``-1``, ``1e400``, 5,000 digits, empty)."""
    year: int | None = None
    if isinstance(value, bool):
        year = None
    elif isinstance(value, int):
        year = value
    elif isinstance(value, float):
        year = int(value) if math.isfinite(value) and value.is_integer() and abs(value) < 1e6 else None
    elif isinstance(value, Decimal):
        year = int(value) if value.is_finite() and value == value.to_integral_value() and abs(value) < 10**6 else None
    elif isinstance(value, str) and len(value) <= 32 and (match := _YEAR_TEXT.fullmatch(value)):
        year = int(match.group(1))
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        shown = _string(value)[:20]
        raise InvalidIdentity(
            f"标识工作表的版式年份无效：{shown!r}（应为 {FIRST_YEAR}–{LAST_YEAR} 年）",
            f"the identity sheet's layout year is not valid: {shown!r} (expected {FIRST_YEAR}-{LAST_YEAR})",
        )
    return year


def _string(value: Any) -> str:
    """A cell as text (an empty cell as ``""``; a number typed by hand as it prints)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and math.isfinite(value):
        return str(int(value))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    try:
        return str(value)
    except ValueError:  # an integer too long for Python to print
        return ""


def _digest_key(index: int) -> str:
    return _DIGESTS if index == 0 else f"{_DIGESTS}.{index + 1}"


def _chunks(text: str) -> list[str]:
    return [text[at : at + CHUNK] for at in range(0, len(text), CHUNK)]


def _joined_digests(rows: Mapping[str, Any]) -> str:
    """The digests' text from its rows, in order, up to the first missing one (at most :data:`MAX_CHUNKS`)."""
    parts: list[str] = []
    for index in range(MAX_CHUNKS):
        value = rows.get(_digest_key(index))
        if value is None:
            break
        parts.append(_string(value))
    return "".join(parts)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
