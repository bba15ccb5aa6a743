"""The fast load: a dataset file decoded a batch of records at a time by msgspec, straight into the store.

The file is read in chunks of bytes. The top-level object is framed here (its member names, and
scalar members such as ``"version"``, decoded by the standard library); each array of records is
cut into batches of whole records at a ``}`` followed by ``,`` or ``]``, and each batch decoded in
one call into the structs of :mod:`cpsdk.datasets._fast_types`, whose constraints are the schema's.
A cut that falls inside a record cannot decode (its brackets do not balance, or a text is left
open), so a batch that decodes is exactly the records it holds; a cut that fails is moved back.

Each field of a batch is then checked as one column (patterns, amounts, text loading refuses, keys
given twice) and appended to the store's columns in bulk (:meth:`RecordsBuilder.extend_columns`).
A record that fails anything here is not judged here: its bytes go to the exact path (the
standard library's decoder, jsonschema and cattrs, through the collector's ``record``), which keeps
it or says what is wrong, with the same issues, pointers and messages as a load without this path.

Whatever this reader does not expect (not UTF-8, a member name with escapes or given twice, a
number no Decimal holds, a member that is neither an array of records nor a plain value, an array
element no cut can end) raises :class:`~cpsdk.datasets._json_stream.StreamError`, and the caller
reads the file the slower ways, which report the problem precisely.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import msgspec

from cpsdk.datasets._fast_types import BLANK_START, FieldPlan, RecordPlan, record_plans
from cpsdk.datasets._json_stream import ByteSource, StreamError
from cpsdk.model._structure import UNSTORABLE_TEXT

if TYPE_CHECKING:
    from cpsdk.datasets._load import _Collector

#: Bytes of records decoded at once (about 5,000 proposals or 20,000 effects of a file cpsdk wrote).
BATCH = 1 << 20
#: A batch may grow to this while no cut ends a record in it (one record this long); past it, the slow way.
MAX_BATCH = 256 << 20
#: Cuts tried in one window of the file before reading more.
MAX_CUTS = 8

_SPACE = re.compile(rb"[ \t\n\r]*")
_NAME = re.compile(rb'"([^"\\\x00-\x1f]*)"')
_SCALAR = re.compile(
    rb'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"'
    rb"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null"
)
#: A key, then spaces before its colon: keys are counted as ``":``, so such a record is counted one by one.
_SPACED_COLON = re.compile(rb'"[ \t\n\r]+:')
_BOM = b"\xef\xbb\xbf"

_RAW_LIST = msgspec.json.Decoder(list[msgspec.Raw])
_DECODE_ERRORS = (msgspec.DecodeError, RecursionError)


class _Kind:
    """What decoding and storing one record kind needs: its plan, its decoders, its field readers."""

    def __init__(self, name: str, plan: RecordPlan) -> None:
        self.name = name
        self.plan = plan
        self.many = msgspec.json.Decoder(list[plan.struct])  # type: ignore[name-defined]
        self.one = msgspec.json.Decoder(plan.struct)
        self.getters = [(field, attrgetter(field.name)) for field in plan.fields]


class FastReader:
    """Reads a dataset file into a collector (:class:`cpsdk.datasets._load._Collector`), batch by batch."""

    def __init__(self, stream: ByteSource, collector: _Collector, decoder: json.JSONDecoder) -> None:
        self._stream = stream
        self._collector = collector
        self._decoder = decoder
        self._kinds = {name: _Kind(name, plan) for name, plan in record_plans().items()}
        self._buffer = b""
        self._pos = 0
        self._eof = False

    # ---- the file's bytes ----------------------------------------------------------------------------------

    def _read(self, want: int) -> bool:
        """Read until ``want`` bytes lie ahead of the position (or the file ends); False when nothing came."""
        ahead = len(self._buffer) - self._pos
        if ahead >= want or self._eof:
            return False
        pieces = [self._buffer[self._pos :]]
        while ahead < want:
            data = self._stream.read(max(want - ahead, 1 << 16))
            if not data:
                self._eof = True
                break
            pieces.append(data)
            ahead += len(data)
        self._buffer = b"".join(pieces)
        self._pos = 0
        return len(pieces) > 1

    def _peek(self) -> int:
        """The next byte that is not white space (not consumed), or -1 at the end of the file."""
        while True:
            self._pos = _SPACE.match(self._buffer, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._buffer):
                return self._buffer[self._pos]
            if not self._read(1 << 16):
                return -1

    def _expect(self, allowed: bytes) -> int:
        byte = self._peek()
        if byte == -1 or byte not in allowed:
            raise StreamError(f"expected one of {allowed!r}")
        self._pos += 1
        return byte

    def _token(self, pattern: re.Pattern[bytes]) -> re.Match[bytes]:
        """The token ``pattern`` matches at the position, read whole however the chunks cut it."""
        want = 1 << 16
        while True:
            self._peek()
            found = pattern.match(self._buffer, self._pos)
            if found is not None and (found.end() < len(self._buffer) or self._eof):
                self._pos = found.end()
                return found
            if self._eof or want > MAX_BATCH:
                raise StreamError("a value this reader does not frame")
            want *= 2
            self._read(want)

    # ---- the top-level object --------------------------------------------------------------------------------

    def read(self) -> None:
        """Read the whole file into the collector; raises StreamError for what it leaves to the slow ways."""
        self._read(BATCH)
        if self._buffer.startswith(_BOM):
            self._pos = len(_BOM)
        self._expect(b"{")
        seen: set[str] = set()
        if self._peek() == ord("}"):
            self._pos += 1
        else:
            while True:
                name = self._token(_NAME).group(1).decode("utf-8", errors="strict")
                if name in seen:
                    raise StreamError("a member given twice")  # the whole read says so, with its pointer
                seen.add(name)
                self._expect(b":")
                kind = self._kinds.get(name)
                if kind is not None and self._peek() == ord("["):
                    self._pos += 1
                    self._array(kind)
                else:
                    self._member(name)
                if self._expect(b",}") == ord("}"):
                    break
        if self._peek() != -1:
            raise StreamError("text after the object")

    def _member(self, name: str) -> None:
        token = self._token(_SCALAR).group(0)
        try:
            value = self._decoder.decode(token.decode("utf-8"))
        except (ValueError, RecursionError) as exc:  # a number no Decimal holds: the whole read says so
            raise StreamError(str(exc)) from exc
        self._collector.member(name, value)

    def _array(self, kind: _Kind) -> None:
        if self._peek() == ord("]"):
            self._pos += 1
            return
        index = 0
        window = BATCH
        while True:
            self._read(window)
            found = self._batch(kind, index)
            if found is None:
                if self._eof or window >= MAX_BATCH:
                    raise StreamError("no cut ends a record")
                window *= 2
                continue
            index += found
            window = BATCH
            if self._expect(b",]") == ord("]"):
                return

    def _batch(self, kind: _Kind, index: int) -> int | None:
        """Decode the records ahead up to the furthest cut that ends one, and take them; how many there were,
        or None when no cut in the bytes read ends a record."""
        buffer, start = self._buffer, self._pos
        limit = len(buffer)
        for _ in range(MAX_CUTS):
            cut = buffer.rfind(b"}", start, limit)
            if cut < 0:
                return None
            after = _SPACE.match(buffer, cut + 1).end()  # type: ignore[union-attr]
            if after >= len(buffer) or buffer[after] not in b",]":
                limit = cut
                continue
            taken = self._take(kind, index, buffer[start : cut + 1])
            if taken is None:
                limit = cut
                continue
            count, used = taken
            self._pos = start + used
            return count
        return None

    # ---- a batch of records ----------------------------------------------------------------------------------

    def _take(self, kind: _Kind, index: int, data: bytes) -> tuple[int, int] | None:
        """Take the records ``data`` starts with (whole records, commas between, up to the end of ``data`` or of
        their array): how many, and how many bytes of ``data`` they took; None when ``data`` is not that."""
        text = b"[" + data + b"]"
        try:
            structs = kind.many.decode(text)
        except _DECODE_ERRORS:
            try:
                raws = _RAW_LIST.decode(text)
            except msgspec.DecodeError as exc:
                end = _array_end(exc, text)
                return None if end is None else self._take(kind, index, data[:end])
            except RecursionError:
                return None
            self._one_by_one(kind, index, raws)
            return len(raws), len(data)
        batch = _Batch(kind, structs)
        if not _keys_once(data, batch.keys):
            self._one_by_one(kind, index, _RAW_LIST.decode(text))
        else:
            self._store(kind, index, batch, lambda: _RAW_LIST.decode(text))
        return len(structs), len(data)

    def _one_by_one(self, kind: _Kind, index: int, raws: Sequence[msgspec.Raw]) -> None:
        """Records of a batch that did not decode, or whose keys did not add up, taken one at a time: runs of
        good ones in bulk, the others by the exact path."""
        run: list[Any] = []
        run_raws: list[msgspec.Raw] = []
        first = index
        for position, raw in enumerate(raws):
            struct = None
            with contextlib.suppress(*_DECODE_ERRORS):
                struct = kind.one.decode(raw)
            if struct is not None and _keys_once(bytes(raw), _record_keys(kind.plan, struct)):
                run.append(struct)
                run_raws.append(raw)
                continue
            if run:
                self._store(kind, first, _Batch(kind, run), _given(run_raws))
                run, run_raws = [], []
            self._exact(kind, index + position, raw)
            first = index + position + 1
        if run:
            self._store(kind, first, _Batch(kind, run), _given(run_raws))

    def _store(self, kind: _Kind, index: int, batch: _Batch, raws: Callable[[], Sequence[msgspec.Raw]]) -> None:
        """Append a batch's records to the store, but for those its columns' checks refused (the exact path)."""
        refused = batch.check()
        if not refused:
            self._collector.extend(
                kind.name, index, batch.count, batch.values, batch.texts, batch.defaults, batch.tables
            )
            return
        every = raws()
        start = 0
        for position in [*sorted(refused), batch.count]:
            if position > start:  # the records between two refused ones pass the checks now
                part = list(every[start:position])
                self._store(kind, index + start, _Batch(kind, batch.structs[start:position]), _given(part))
            if position < batch.count:
                self._exact(kind, index + position, every[position])
            start = position + 1

    def _exact(self, kind: _Kind, index: int, raw: msgspec.Raw) -> None:
        """One record by the exact path: decoded by the standard library, then checked and structured."""
        try:
            item = self._decoder.decode(bytes(raw).decode("utf-8"))
        except (ValueError, RecursionError) as exc:  # no JSON the standard library reads: the whole read says why
            raise StreamError(str(exc)) from exc
        self._collector.record(kind.name, index, item)


def _keys_once(data: bytes, keys: int) -> bool:
    """True when the records whose text is ``data`` give no key twice, knowing they gave ``keys`` distinct keys.

    Every key is followed by a colon, so there are at least as many colons as keys given: as many as the
    distinct keys means no key came twice (and no text holds a colon). Otherwise the keys are counted as
    ``":``, which a text holds only as ``\\":``, when no key has spaces before its colon.
    """
    return data.count(b":") == keys or (data.count(b'":') == keys and _SPACED_COLON.search(data) is None)


_TRAILING = re.compile(r"trailing characters \(byte (\d+)\)")


def _array_end(error: msgspec.DecodeError, text: bytes) -> int | None:
    """Where the records end in ``text`` (``[`` and records, then ``]``) when the array they are in ended before
    it: msgspec read a whole array and found more after it. The length of the records' text, or None."""
    found = _TRAILING.search(str(error))
    if found is None:
        return None
    close = text.rfind(b"]", 0, int(found.group(1)))
    records = text[1:close].rstrip(b" \t\n\r") if close > 1 else b""
    return len(records) or None


def _given(raws: Sequence[msgspec.Raw]) -> Callable[[], Sequence[msgspec.Raw]]:
    """A function giving ``raws`` (the texts of records already at hand)."""
    return lambda: raws


def _record_keys(plan: RecordPlan, struct: Any) -> int:
    """How many keys a decoded record gave (those of the records nested in it included)."""
    keys = 0
    for field in plan.fields:
        value = getattr(struct, field.name)
        if value is msgspec.UNSET:
            continue
        keys += 1
        if field.nested is not None and value:
            keys += sum(_record_keys(field.nested, item) for item in value)
    return keys


class _Batch:
    """The records of a batch as columns: each field's values, with the keys they were given by counted.

    ``values`` holds what each field's column takes as values, ``texts`` what an amount's column takes as
    text; :meth:`check` says which records a column check refused (their positions).
    """

    def __init__(self, kind: _Kind, structs: list[Any]) -> None:
        self.kind = kind
        self.structs = structs
        self.count = len(structs)
        self.values: dict[str, list[Any]] = {}
        self.texts: dict[str, list[Any]] = {}
        #: The table of each field given in ``values`` by its keys (an enumeration's texts).
        self.tables: dict[str, Mapping[Any, Any]] = {}
        #: The default of each field some record of the batch left out (its rows hold ``UNSET``).
        self.defaults: dict[str, Any] = {}
        self._raw: dict[str, list[Any]] = {}
        keys = 0
        unset = msgspec.UNSET
        for field, get in kind.getters:
            column = list(map(get, structs))
            if field.required:
                keys += self.count
            else:
                missing = column.count(unset)
                keys += self.count - missing
                if missing:
                    if field.handling in _ITEMS:  # read item by item here: the default in its place
                        default = field.default
                        column = [default if value is unset else value for value in column]
                    elif field.handling != "enum":  # (an enumeration's table reads UNSET as the default)
                        self.defaults[field.name] = field.default
            if field.nested is not None:
                keys += sum(_record_keys(field.nested, item) for items in column if items for item in items)
            self._raw[field.name] = column
        self.keys = keys

    def check(self) -> set[int]:
        """The positions of records a column check refuses; the columns are made ready for the store."""
        refused: set[int] = set()
        for field, _ in self.kind.getters:
            column = self._raw[field.name]
            handling = field.handling
            if handling == "text":
                refused.update(_refused_texts(column, field))
                self.texts[field.name] = column
            elif handling == "amount":
                column = _amount_texts(column)
                refused.update(_refused_texts(column, field))
                self.texts[field.name] = column
            elif handling == "enum":
                self.values[field.name] = column  # its members looked up by the column, each text once
                assert field.table is not None
                self.tables[field.name] = field.table
            elif handling == "texts":
                refused.update(_refused_lists(column))
                self.values[field.name] = column
            elif handling == "enums":
                self.values[field.name] = _member_tuples(column, field)
            elif handling == "records":
                made, bad = _records(column, field)
                refused.update(bad)
                self.values[field.name] = made
            else:
                self.values[field.name] = column
        return refused


#: Fields whose values are lists, read item by item.
_ITEMS = frozenset({"texts", "enums", "records"})


def _amount_texts(column: list[Any]) -> list[Any]:
    """An amount column as texts: whole numbers (within their bounds, as decoded) written as text."""
    if int in set(map(type, column)):
        return [str(value) if type(value) is int else value for value in column]
    return column


def _refused_texts(column: list[Any], field: FieldPlan) -> list[int]:
    """The positions of texts the exact path would refuse or might read otherwise: not matching the field's
    pattern, of spaces only, or holding a character no file can store."""
    first = column[0] if column else None
    if type(first) is not str and column.count(first) == len(column):  # none given, or all None
        return []
    try:
        texts = column
        joined = "\n".join(texts)
    except TypeError:  # some None (or UNSET): left out
        texts = [value for value in column if type(value) is str]
        joined = "\n".join(texts)
    if not texts:
        return []
    suspect = (
        joined[:1].isspace()
        or bool(BLANK_START.search(joined))
        or (not joined.isascii() and UNSTORABLE_TEXT.search(joined) is not None)
        or (
            field.pattern is not None
            and (joined.count("\n") != len(texts) - 1 or field.pattern.fullmatch(joined + "\n") is None)
        )
    )
    if not suspect:
        return []
    return [position for position, value in enumerate(column) if type(value) is str and _bad_text(value, field)]


def _bad_text(value: str, field: FieldPlan | None) -> bool:
    if (value and value.isspace()) or UNSTORABLE_TEXT.search(value) is not None:
        return True
    return (
        field is not None and field.pattern is not None and ("\n" in value or not field.pattern.fullmatch(value + "\n"))
    )


def _refused_lists(column: list[Any]) -> list[int]:
    """The positions of lists of texts holding a text loading refuses."""
    items = list(itertools.chain.from_iterable(value for value in column if value))
    if not items:
        return []
    joined = "\n".join(items)
    if (
        not joined[:1].isspace()
        and not BLANK_START.search(joined)
        and (joined.isascii() or UNSTORABLE_TEXT.search(joined) is None)
    ):
        return []
    return [position for position, value in enumerate(column) if value and any(_bad_text(item, None) for item in value)]


def _member_tuples(column: list[Any], field: FieldPlan) -> list[Any]:
    """Lists of an enumeration's values as tuples of members: equal lists share one tuple (as records they
    are equal either way; sharing keeps the column small)."""
    assert field.members is not None
    members = field.members
    made: dict[tuple[str, ...], tuple[Any, ...]] = {}
    result: list[tuple[Any, ...] | None] = []
    for value in column:
        if value is None:
            result.append(None)
            continue
        tuple_ = made.get(value)
        if tuple_ is None:
            tuple_ = made[value] = tuple(members[item] for item in value)
        result.append(tuple_)
    return result


def _records(column: list[Any], field: FieldPlan) -> tuple[list[Any], list[int]]:
    """Lists of nested records as tuples of the model's records, and the positions of those refused."""
    nested = field.nested
    assert nested is not None
    made: list[Any] = []
    refused = []
    for position, value in enumerate(column):
        if value is None:
            made.append(None)
            continue
        try:
            made.append(tuple(_nested_record(nested, item) for item in value))
        except ValueError:
            refused.append(position)
            made.append(())
    return made, refused


def _nested_record(plan: RecordPlan, struct: Any) -> Any:
    """One nested record (e.g. a year's output value) as the model's record; ValueError when a value of it is
    left to the exact path."""
    values = {}
    for field in plan.fields:
        value = getattr(struct, field.name)
        if value is msgspec.UNSET:
            value = field.default
        elif field.handling == "amount" and value is not None:
            text = str(value) if type(value) is int else value
            if field.pattern is None or "\n" in text or field.pattern.fullmatch(text + "\n") is None:
                raise ValueError(text)
            value = Decimal(text)
        elif field.handling == "text" and value is not None and _bad_text(value, field):
            raise ValueError(value)
        elif field.handling not in ("int", "bool", "date", "text"):
            raise ValueError(field.name)  # no such nested field in the model: the exact path
        values[field.name] = value
    return plan.record_class(**values)
