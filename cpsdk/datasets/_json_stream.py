"""Reading a dataset file one record at a time, so the whole document never sits in memory.

A dataset is one JSON object whose members are mostly long arrays of records. The
standard library decodes a whole document at once: for a national dataset (≈ 800 MB
of text) its object tree takes several GB. This module frames the top-level object and
its arrays itself and hands each member value, and each array element, to the standard
library's decoder (:meth:`json.JSONDecoder.raw_decode`), reading the file in chunks.

Why not ijson: its C backend is fast, but it yields either the items under one prefix
per pass over the file (twelve passes for twelve record kinds) or one Python-level
event per token (≈ 16 per record); framing one object of arrays takes a few lines,
and every value is still decoded by the standard library's C scanner.

Anything this reader does not expect (not UTF-8, not an object at the top, bad JSON)
raises :class:`StreamError`; the caller then reads the file the ordinary way, which
reports the problem precisely.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Collection, Iterator
from typing import Any, Protocol

#: Bytes read at a time at first; a value longer than the buffer doubles the read.
CHUNK = 1 << 20
_SPACE = " \t\n\r"


class StreamError(ValueError):
    """The file is not a JSON object this reader frames (the caller falls back to a whole read)."""


class ByteSource(Protocol):
    """What the reader needs of a file: ``read(size)``."""

    def read(self, size: int = -1, /) -> bytes: ...


class _Buffer:
    """Decoded text of a binary stream, read on demand; ``pos`` is the next character to look at."""

    def __init__(self, stream: ByteSource) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.text = ""
        self.pos = 0
        self.eof = False
        self._want = CHUNK

    def more(self) -> bool:
        """Read the next chunk (dropping text already consumed); False at the end of the file."""
        if self.eof:
            return False
        data = self._stream.read(self._want)
        try:
            decoded = self._decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            raise StreamError("not UTF-8") from exc
        if not data:
            self.eof = True
        self.text = self.text[self.pos :] + decoded
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next non-space character (not consumed), or "" at the end of the file."""
        while True:
            text = self.text
            pos = self.pos
            while pos < len(text) and text[pos] in _SPACE:
                pos += 1
            self.pos = pos
            if pos < len(text):
                return text[pos]
            if not self.more():
                return ""

    def expect(self, allowed: str) -> str:
        """Consume the next non-space character, which must be one of ``allowed``."""
        char = self.peek()
        if not char or char not in allowed:
            raise StreamError(f"expected one of {allowed!r}")
        self.pos += 1
        return char

    def _may_continue(self, end: int) -> bool:
        """True when the value decoded from ``pos`` to ``end`` may go on in the next chunk."""
        text = self.text
        return end == len(text) or (text[self.pos] in _NUMBER_START and _number_cut(text, end))

    def value(self, decode: Callable[[str, int], tuple[Any, int]]) -> Any:
        """Decode the JSON value that starts at the next non-space character."""
        self.peek()
        while True:
            try:
                value, end = decode(self.text, self.pos)
            except json.JSONDecodeError:
                end = -1
            # A number that ends at the buffer's end, or before text that could still be part of it
            # ("1." or "1e" cut off by the chunk), may continue in the next chunk.
            if end != -1 and (self.eof or not self._may_continue(end)):
                self.pos = end
                return value
            if self.eof:
                raise StreamError("bad JSON")
            self._want = max(self._want, 2 * (len(self.text) - self.pos))  # a long value: read more at once
            self.more()


#: How a number starts (whatever type the decoder makes of numbers), and what may follow digits that a
#: chunk's end cut short.
_NUMBER_START = frozenset("-0123456789")
_NUMBER_TAIL = frozenset("0123456789.eE+-")


def _number_cut(text: str, end: int) -> bool:
    """True when all of ``text`` after the number that ends at ``end`` could still belong to it."""
    # Stops at the first other character (a comma, a bracket, a space): rarely past the first.
    return all(text[at] in _NUMBER_TAIL for at in range(end, len(text)))


def members(
    stream: ByteSource, arrays: Collection[str], decoder: json.JSONDecoder
) -> Iterator[tuple[str, int | None, Any]]:
    """The members of the top-level JSON object in ``stream``, in order.

    The value of a member named in ``arrays`` that is a JSON array comes one element
    at a time as ``(name, index, element)``; any other value comes whole as
    ``(name, None, value)``. Raises :class:`StreamError` when the text is not such an object.
    """
    buffer = _Buffer(stream)
    decode = decoder.raw_decode
    buffer.expect("{")
    seen: set[str] = set()
    if buffer.peek() == "}":
        buffer.pos += 1
    else:
        while True:
            name = buffer.value(decode)
            if not isinstance(name, str) or name in seen:
                raise StreamError("a member name must be text, given once")  # json.loads keeps the last of two
            seen.add(name)
            buffer.expect(":")
            if name in arrays and buffer.peek() == "[":
                buffer.pos += 1
                yield from _elements(buffer, name, decode)
            else:
                yield name, None, buffer.value(decode)
            if buffer.expect(",}") == "}":
                break
    if buffer.peek():
        raise StreamError("text after the object")


def _elements(buffer: _Buffer, name: str, decode: Callable[[str, int], tuple[Any, int]]) -> Iterator[Any]:
    if buffer.peek() == "]":
        buffer.pos += 1
        return
    index = 0
    while True:
        yield name, index, buffer.value(decode)
        index += 1
        if buffer.expect(",]") == "]":
            return
