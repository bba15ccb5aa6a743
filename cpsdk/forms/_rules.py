"""Extra validation rules registered by plugins."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from cpsdk.base._issues import Issue
from cpsdk.model._entities import Dataset


@attrs.frozen(kw_only=True)
class Rule:
    """A dataset rule: id, bilingual title, the check, and the document it comes from."""

    id: str
    title_zh: str
    title_en: str
    check: Callable[[Dataset], Iterable[Issue]]
    source: str | None = None
