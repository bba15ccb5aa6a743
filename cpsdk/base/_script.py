"""Simplified and traditional script, converted with OpenCC (never a hand-made table).

Traditional output follows Hong Kong's conventions (OpenCC ``s2hk``): the Guangdong–Hong
Kong cleaner-production partnership works in them, and they spell 审核 as 審核 as the
provincial documents do (plain ``s2t`` gives 審覈). Text in either script is brought to
simplified for matching with :func:`simplified`.
"""

from __future__ import annotations

import enum
import functools

import opencc


class Script(str, enum.Enum):
    """The script a workbook is written in."""

    HANS = "hans"
    HANT = "hant"


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@functools.lru_cache(maxsize=65536)
def traditional(text: str) -> str:
    """``text`` in traditional script, Hong Kong conventions."""
    return _convert_text("s2hk", text)


@functools.lru_cache(maxsize=65536)
def simplified(text: str) -> str:
    """``text`` in simplified script (from traditional of any convention)."""
    return _convert_text("t2s", text)


def _convert_text(config: str, text: str) -> str:
    """OpenCC's conversion of ``text``. OpenCC takes text as a C string, which ends at U+0000:
    the pieces between NULs are converted one by one, so that nothing after one is lost."""
    convert = _converter(config).convert
    if "\x00" in text:
        return "\x00".join(str(convert(piece)) for piece in text.split("\x00"))
    return str(convert(text))


_ALIASES = {
    "简体": Script.HANS,
    "zh-hans": Script.HANS,
    "繁体": Script.HANT,
    "繁體": Script.HANT,
    "zh-hant": Script.HANT,
}


def script_of(value: object) -> Script:
    """A :class:`Script` from its name (``hans``/``hant``, also ``简体``/``繁体``/``繁體``)."""
    if isinstance(value, Script):
        return value
    text = str(value or Script.HANS.value).strip().lower()
    if text in _ALIASES:
        return _ALIASES[text]
    try:
        return Script(text)
    except ValueError:
        raise ValueError(f"unknown script {value!r}: use hans (simplified) or hant (traditional)") from None
