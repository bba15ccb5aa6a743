"""Issues: every problem found in a dataset, a report or a workbook.

An issue has a stable ``code``, a ``severity``, a location (a JSON pointer into the
input, or a sheet and A1 cell of a workbook), a message in Chinese and in English,
and where there is one, the ``source`` of the rule it enforces (document and clause).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable
from typing import Any

import attrs


class Severity(str, enum.Enum):
    """How bad an issue is: an ``error`` blocks the official workbook."""

    ERROR = "error"
    WARNING = "warning"


@attrs.frozen(kw_only=True)
class Issue:
    """One finding, located and explained in Chinese and English."""

    code: str
    severity: Severity
    message_zh: str
    message_en: str
    pointer: str | None = None
    sheet: str | None = None
    cell: str | None = None
    source: str | None = None
    #: The file the issue is in, when several are read at once (e.g. by merge).
    file: str | None = None

    @property
    def is_error(self) -> bool:
        """True when the issue blocks an official workbook."""
        return self.severity is Severity.ERROR

    @property
    def where(self) -> str:
        """The location as people write it: ``企业!C12``, ``a.xlsx:企业!C12`` or a JSON pointer."""
        if self.sheet is not None and self.cell is not None:
            place = f"{self.sheet}!{self.cell}"
        elif self.sheet is not None:
            place = self.sheet
        else:
            place = self.pointer if self.pointer is not None else ""
        if self.file is not None:
            return f"{self.file}:{place}" if place else self.file
        return place

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping with every field (``None`` where absent)."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "pointer": self.pointer,
            "sheet": self.sheet,
            "cell": self.cell,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "source": self.source,
            "file": self.file,
        }

    def render(self) -> str:
        """One line of text: severity, code, location, both messages and the source."""
        where = f" {self.where}" if self.where else ""
        text = f"{self.severity.value} {self.code}{where}: {self.message_zh} ({self.message_en})"
        if self.source:
            text += f" [{self.source}]"
        return text

    def at(self, *, sheet: str | None = None, cell: str | None = None) -> Issue:
        """The same issue pinned to a workbook cell."""
        return attrs.evolve(self, sheet=sheet, cell=cell)

    def in_file(self, file: str) -> Issue:
        """The same issue, said to be in ``file``."""
        return attrs.evolve(self, file=file)


def error(code: str, zh: str, en: str, *, pointer: str | None = None, source: str | None = None) -> Issue:
    """Shorthand for an error issue."""
    return Issue(code=code, severity=Severity.ERROR, message_zh=zh, message_en=en, pointer=pointer, source=source)


def warning(code: str, zh: str, en: str, *, pointer: str | None = None, source: str | None = None) -> Issue:
    """Shorthand for a warning issue."""
    return Issue(code=code, severity=Severity.WARNING, message_zh=zh, message_en=en, pointer=pointer, source=source)


#: Issues of one code listed at most; the rest are counted in one closing issue ("and N more").
MAX_ISSUES_PER_CODE = 1000


class IssueLog:
    """Issues collected as they are found, at most ``per_code`` of each code.

    A hostile input can hold millions of faults of one kind; listing each would take
    memory out of proportion to the input and help no reader. Past the bound an issue is
    only counted, and :meth:`close` ends each such code with one issue saying how many
    more there were (of the worst severity among them).
    """

    def __init__(self, issues: Iterable[Issue] = (), *, per_code: int = MAX_ISSUES_PER_CODE) -> None:
        self._kept: list[Issue] = []
        self._counts: dict[str, int] = {}
        self._more: dict[str, Severity] = {}
        self._per_code = per_code
        self.extend(issues)

    def append(self, issue: Issue) -> None:
        """Keep ``issue``, or count it when its code has reached the bound."""
        count = self._counts.get(issue.code, 0) + 1
        self._counts[issue.code] = count
        if count <= self._per_code:
            self._kept.append(issue)
        elif issue.is_error or issue.code not in self._more:
            self._more[issue.code] = issue.severity

    def extend(self, issues: Iterable[Issue]) -> None:
        """:meth:`append` each issue."""
        for issue in issues:
            self.append(issue)

    def close(self) -> list[Issue]:
        """The issues kept, and for each code past the bound one issue counting the rest."""
        closing = [
            Issue(
                code=code,
                severity=severity,
                message_zh=f"另有 {self._counts[code] - self._per_code} 个同类问题（{code}）未列出",
                message_en=f"and {self._counts[code] - self._per_code} more issues of this kind ({code}) not listed",
            )
            for code, severity in self._more.items()
        ]
        return [*self._kept, *closing]


def capped(issues: Iterable[Issue], *, per_code: int = MAX_ISSUES_PER_CODE) -> list[Issue]:
    """``issues`` with at most ``per_code`` of each code, and a closing count of the rest (:class:`IssueLog`)."""
    return IssueLog(issues, per_code=per_code).close()


def has_errors(issues: Iterable[Issue]) -> bool:
    """True when any issue is an error."""
    return any(issue.is_error for issue in issues)


def render_issues(issues: Iterable[Issue]) -> str:
    """Issues as text, one per line, followed by a count line."""
    items = list(issues)
    lines = [issue.render() for issue in items]
    errors = sum(1 for issue in items if issue.is_error)
    lines.append(f"{errors} error(s), {len(items) - errors} warning(s)")
    return "\n".join(lines)


def issues_to_json(issues: Iterable[Issue]) -> str:
    """Issues as a JSON array (UTF-8 text, Chinese kept readable)."""
    return json.dumps([issue.to_dict() for issue in issues], ensure_ascii=False, indent=2)


def json_pointer(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) from its reference tokens."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)
