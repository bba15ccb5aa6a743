"""Comparing the labels a clerk typed with the labels a layout prints.

Two labels are the same when they are after :func:`normalise_label`: Unicode NFKC
(full-width letters, digits and brackets become half-width: ``（万元）`` = ``(万元)``),
simplified script (繁 → 简, with OpenCC), every kind of whitespace and line break
removed, bracket styles unified (``【】［］`` as ``()``), quotes and a trailing colon
dropped, Latin letters in lower case.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from cpsdk.base._script import simplified

_SPACE = re.compile(r"\s+")
_OPEN = str.maketrans({"[": "(", "【": "(", "〔": "(", "{": "(", "]": ")", "】": ")", "〕": ")", "}": ")"})
_DROPPED = re.compile(r"[“”\"'‘’「」『』]")
_TRAILING_COLON = re.compile(r"[:：]+$")


@functools.lru_cache(maxsize=16384)
def normalise_label(text: str) -> str:
    """``text`` as labels are compared: see the module's docstring."""
    return simplified(fold_label(text)).lower()


def fold_label(text: str) -> str:
    """:func:`normalise_label` but for script and case: what a title's fields are read from, so that a
    region typed in traditional script (廣東省) keeps its script."""
    folded = unicodedata.normalize("NFKC", text)
    folded = _SPACE.sub("", folded).translate(_OPEN)
    folded = _DROPPED.sub("", folded)
    return _TRAILING_COLON.sub("", folded)


def label_text(raw: object) -> str | None:
    """A cell's value as a label (None for an empty cell or one that holds no text)."""
    if not isinstance(raw, str):
        return None
    text = normalise_label(raw)
    return text or None
