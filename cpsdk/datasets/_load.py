"""Loading a dataset from untrusted input: JSON text, a file, or a mapping.

Loading never raises for bad input. :func:`parse` returns the records that could be
read together with every problem found (schema and structure), all at once;
:func:`load` raises :class:`~cpsdk.DatasetError` carrying those issues when any is
an error. Records that fail the schema are left out of the dataset, so later
checks still run on the rest.
"""

from __future__ import annotations

import collections
import concurrent.futures
import copy
import functools
import hashlib
import itertools
import json
import os
import stat
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import attrs
import msgspec

from cpsdk.base._errors import DatasetError
from cpsdk.base._issues import Issue, IssueLog, error, has_errors, json_pointer, warning
from cpsdk.datasets import _cache
from cpsdk.datasets._fast_load import FastReader
from cpsdk.datasets._json_stream import StreamError, members
from cpsdk.model._dataset_schema import dataset_schema
from cpsdk.model._entities import DATASET_VERSION, RECORD_KINDS, Dataset
from cpsdk.model._structure import converter, structure_failures
from cpsdk.store._records import RecordsBuilder

if TYPE_CHECKING:  # jsonschema and fastjsonschema (≈ 40 ms) are imported by the exact path, when it runs
    from jsonschema import Draft202012Validator, ValidationError

#: Inputs larger than this are refused before parsing (bytes).
MAX_INPUT_BYTES = 2 * 1024**3

Source = Dataset | Mapping[str, Any] | str | os.PathLike[str] | bytes


@attrs.frozen
class Loaded:
    """What :func:`parse` found: the readable records, the issues, and where each record came from.

    ``origin[kind][i]`` is the index in the input of ``dataset.<kind>[i]``, so issues
    about a record can point at it even when records before it were left out.
    """

    dataset: Dataset
    issues: tuple[Issue, ...]
    origin: Mapping[str, Sequence[int]]
    #: Pins an issue to the sheet and cell of an intake workbook (unchanged for JSON input).
    locate: Callable[[Issue], Issue] = attrs.field(default=lambda issue: issue, eq=False)
    #: SHA-256 of the input's bytes, computed as it was read when :func:`parse` was asked for it
    #: (``digest=True``; "" otherwise, and for a mapping or a Dataset): what a workbook written from
    #: it records as ``input_sha256``.
    sha256: str = attrs.field(default="", eq=False)

    def pointer(self, kind: str, index: int, *rest: str | int) -> str:
        """The JSON pointer of ``dataset.<kind>[index]`` (and a path inside it) in the input."""
        indices = self.origin.get(kind)
        original = indices[index] if indices is not None and index < len(indices) else index
        return json_pointer(kind, original, *rest)


#: Longer number texts are not remembered (a hostile file could pin large values in the caches).
_SHARED_DIGITS = 32


def _decimal_of(text: str) -> Decimal:
    """Amounts repeat across records: equal texts share one Decimal (exact: keyed by the text).

    A number no Decimal can hold (an exponent past 10**18) is bad JSON, as the decoder reports it.
    """
    try:
        return _shared_decimal(text) if len(text) <= _SHARED_DIGITS else Decimal(text)
    except ArithmeticError:
        raise ValueError(f"the number {_short(text)} is out of range") from None


def _int_of(text: str) -> int:
    """Years and counts repeat across records: equal texts share one int."""
    return _shared_int(text) if len(text) <= _SHARED_DIGITS else int(text)


_shared_decimal = functools.lru_cache(maxsize=1 << 14)(Decimal)
_shared_int = functools.lru_cache(maxsize=1 << 12)(int)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _unreadable(exc: OSError) -> Issue:
    return error("input.unreadable", f"无法读取文件：{exc.strerror}", f"cannot read the file: {exc.strerror}")


def _refuse_file(path: Path) -> list[Issue]:
    """Why ``path`` cannot be read as a dataset (a directory, a device or pipe, too large, unreadable);
    empty when it can. A device or a pipe has no size to bound its read by (``/dev/zero`` never ends)."""
    try:
        state = path.stat()
    except OSError as exc:
        return [_unreadable(exc)]
    if stat.S_ISDIR(state.st_mode):
        return [error("input.unreadable", f"{path} 是目录，不是数据文件", f"{path} is a directory, not a dataset")]
    if not stat.S_ISREG(state.st_mode):
        return [
            error(
                "input.not-a-file",
                f"{path} 不是普通文件（设备、管道或套接字），拒绝读取",
                f"{path} is not a regular file (a device, pipe or socket); refused",
            )
        ]
    if state.st_size > MAX_INPUT_BYTES:
        return [error("input.too-large", "文件过大", f"the file is larger than {MAX_INPUT_BYTES} bytes")]
    return []


class _Repeated(dict):  # type: ignore[type-arg]
    """A JSON object that names a key more than once; like every JSON parser, it keeps the last value.

    Which keys were repeated is kept, so that :func:`_repeated_keys` can report each one.
    """

    repeated: tuple[str, ...] = ()


#: How many objects with a repeated key the decoder has made, ever: a record is searched for them
#: only when the count moved while it was decoded (another thread's parse only costs a search).
_repeats = [0]


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    made = dict(pairs)
    if len(made) == len(pairs):
        return made
    repeated = _Repeated(made)
    counts = collections.Counter(name for name, _ in pairs)
    repeated.repeated = tuple(name for name, count in counts.items() if count > 1)
    _repeats[0] += 1
    return repeated


def _repeated_keys(value: Any, *path: str | int) -> Iterator[Issue]:
    """An error for each key named twice in one object, anywhere inside ``value``."""
    if isinstance(value, dict):
        for name in getattr(value, "repeated", ()):
            yield error(
                "input.duplicate-key",
                f"字段 {_short(name)} 在同一对象中出现了多次（只会读取最后一次，其余被忽略）",
                f"the key {_short(name)!r} is given more than once in one object (only the last would be read)",
                pointer=json_pointer(*path, name),
            )
        for name, item in value.items():
            yield from _repeated_keys(item, *path, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _repeated_keys(item, *path, index)


def _read_bounded(path: Path) -> bytes:
    """The bytes of ``path``, never more than ``MAX_INPUT_BYTES + 1`` however the file grows while read.

    One read of the size the file has (a read of the bound itself would allocate the bound), then,
    only if it grew, the rest a MiB at a time.
    """
    with open(path, "rb") as stream:
        size = min(os.fstat(stream.fileno()).st_size, MAX_INPUT_BYTES)
        pieces = [stream.read(size + 1)]
        total = len(pieces[0])
        while total > size and total <= MAX_INPUT_BYTES and (more := stream.read(1 << 20)):
            pieces.append(more)
            total += len(more)
    return pieces[0] if len(pieces) == 1 else b"".join(pieces)


def _json_decoder() -> json.JSONDecoder:
    return json.JSONDecoder(
        parse_float=_decimal_of, parse_int=_int_of, parse_constant=_reject_constant, object_pairs_hook=_json_object
    )


def _read_json(source: str | os.PathLike[str] | bytes) -> tuple[Any, list[Issue]]:
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        refused = _refuse_file(path)
        if refused:
            return None, refused
        try:
            data = _read_bounded(path)
        except OSError as exc:
            return None, [_unreadable(exc)]
        if len(data) > MAX_INPUT_BYTES:
            return None, [error("input.too-large", "文件过大", f"the file is larger than {MAX_INPUT_BYTES} bytes")]
    if data.startswith(b"PK\x03\x04"):
        return None, [
            error(
                "input.workbook",
                "这是一个工作簿，请按填报模板读取",
                "this is a workbook: read it as an intake workbook, not as JSON",
            )
        ]
    text, notes = _decode(data)
    if text is None:
        return None, notes
    try:
        return _json_decoder().decode(text), notes
    except json.JSONDecodeError as exc:
        return None, [
            error(
                "input.json",
                f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列",
                f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            )
        ]
    except (ValueError, RecursionError) as exc:
        return None, [error("input.json", "JSON 内容无法读取", f"invalid JSON: {_short(str(exc))}")]


def _decode(data: bytes) -> tuple[str | None, list[Issue]]:
    """UTF-8 (with or without BOM); UTF-16 with a BOM; GB 18030 with a warning, as Chinese
    systems still export it. Anything else is an issue."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        position = exc.start
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None, [
            error(
                "input.encoding",
                f"文件不是 UTF-8 编码（第 {position} 字节）",
                f"the file is not UTF-8 (byte {position})",
            )
        ]
    return text, [
        warning(
            "input.encoding",
            "文件为 GB 18030 编码，已按 GB 18030 读取；建议使用 UTF-8",
            "the file is GB 18030 encoded and was read as such; UTF-8 is preferred",
        )
    ]


def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_TYPES_ZH = {
    "object": "对象",
    "array": "数组",
    "string": "文本",
    "integer": "整数",
    "number": "数值",
    "boolean": "true/false",
    "null": "空值",
}


def _schema_issues(err: ValidationError, prefix: tuple[str | int, ...] = ()) -> Iterator[Issue]:
    """Bilingual issues for one jsonschema error (one per missing or unknown key).

    ``prefix`` is where the validated instance sits in the document (a record checked on its own).
    """
    path = [*prefix, *err.absolute_path]
    pointer = json_pointer(*path)
    keyword = err.validator
    instance = err.instance
    if keyword == "required" and isinstance(instance, dict):
        for name in err.validator_value:
            if name not in instance:
                yield error(
                    "schema.required",
                    f"缺少必填字段 {name}",
                    f"required field {name!r} is missing",
                    pointer=json_pointer(*path, name),
                )
        return
    if keyword == "additionalProperties" and isinstance(instance, dict):
        known = set(err.schema.get("properties", {}))
        for name in instance:
            if name not in known:
                yield error(
                    "schema.unknown-field",
                    f"未知字段 {_short(name)}",
                    f"unknown field {_short(name)!r}",
                    pointer=json_pointer(*path, name),
                )
        return
    if keyword == "anyOf" and err.context:
        non_null = [e for e in err.context if e.validator != "type" or e.validator_value != "null"]
        if instance is None:
            yield error("schema.type", "不能为空", "must not be null", pointer=pointer)
            return
        if "x-unit" in err.schema or "x-unit-from" in err.schema or any(e.validator == "pattern" for e in non_null):
            yield error(
                "schema.amount",
                f"应为数值或带单位的数值：{_short(instance)}",
                f"expected a number or a number with a unit, got {_short(instance)}",
                pointer=pointer,
            )
            return
        from jsonschema.exceptions import best_match

        best = best_match(non_null or err.context)
        yield from _schema_issues(best, prefix)
        return
    if keyword == "type":
        expected = err.validator_value if isinstance(err.validator_value, str) else "/".join(err.validator_value)
        yield error(
            "schema.type",
            f"类型错误，应为{_TYPES_ZH.get(expected, expected)}：{_short(instance)}",
            f"expected {expected}, got {_short(instance)}",
            pointer=pointer,
        )
    elif keyword == "enum":
        labels = err.schema.get("x-labels-zh", {})
        allowed = "、".join(f"{v}（{labels[v]}）" if v in labels else str(v) for v in err.validator_value)
        yield error(
            "schema.enum",
            f"取值 {_short(instance)} 无效，应为：{allowed}",
            f"{_short(instance)} is not one of {err.validator_value}",
            pointer=pointer,
        )
    elif keyword == "const":
        yield error(
            "schema.version",
            f"不支持的格式版本 {_short(instance)}，应为 {DATASET_VERSION}",
            f"unsupported version {_short(instance)}; expected {DATASET_VERSION}",
            pointer=pointer,
        )
    elif keyword in ("pattern", "format"):
        yield error(
            "schema.format",
            f"格式不正确：{_short(instance)}",
            f"badly formed value {_short(instance)}",
            pointer=pointer,
        )
    elif keyword in ("minimum", "maximum"):
        word = (
            ("不得小于", "must not be less than") if keyword == "minimum" else ("不得大于", "must not be greater than")
        )
        yield error(
            "schema.range",
            f"{word[0]} {err.validator_value}：{_short(instance)}",
            f"{word[1]} {err.validator_value}: {_short(instance)}",
            pointer=pointer,
        )
    elif keyword == "minLength":
        yield error("schema.empty", "不能为空", "must not be empty", pointer=pointer)
    elif keyword == "maxLength":
        yield error(
            "schema.too-long",
            f"过长（最多 {err.validator_value} 个字符）",
            f"too long (at most {err.validator_value} characters)",
            pointer=pointer,
        )
    else:
        yield error("schema.invalid", "内容不符合数据格式", _short(err.message, 200), pointer=pointer)


@functools.cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(dataset_schema(), format_checker=FormatChecker())


@attrs.frozen
class _RecordSchema:
    """One record kind's schema: compiled by fastjsonschema for speed, and jsonschema to say what is wrong."""

    fast: Callable[[Any], Any] | None
    full: Draft202012Validator

    def passes(self, item: Any) -> bool:
        """Whether ``item`` is valid, without saying why not."""
        if self.fast is not None:
            try:
                self.fast(item)
                return True
            except _fast_failure():
                return False
            except Exception:  # noqa: BLE001 - anything odd: let jsonschema judge it
                pass
        return bool(self.full.is_valid(item))

    def errors(self, item: Any) -> list[ValidationError]:
        """Every violation of ``item``; most records are valid, and compiled code says so an order of magnitude
        faster, so jsonschema runs only on a record that fails it."""
        if self.fast is not None:
            try:
                self.fast(item)
                return []
            except Exception:  # noqa: BLE001 - JsonSchemaException or anything odd: let jsonschema judge it
                pass
        return list(itertools.islice(self.full.iter_errors(item), MAX_FAULTS_PER_RECORD + 1))


def _fast_failure() -> type[Exception]:
    """fastjsonschema's exception for an invalid record (imported: a compiled schema exists, so it was)."""
    import fastjsonschema

    return fastjsonschema.JsonSchemaValueException


@functools.cache
def _record_schemas() -> dict[str, _RecordSchema]:
    import fastjsonschema
    from jsonschema import Draft202012Validator, FormatChecker

    schema = dataset_schema()
    schemas: dict[str, _RecordSchema] = {}
    for kind in RECORD_KINDS:
        one = {"$schema": schema["$schema"], "$defs": schema["$defs"], **schema["properties"][kind]["items"]}
        try:
            fast = fastjsonschema.compile(copy.deepcopy(one))  # it rewrites the schema it is given
        except Exception:  # noqa: BLE001 - fall back to jsonschema alone
            fast = None
        schemas[kind] = _RecordSchema(fast, Draft202012Validator(one, format_checker=FormatChecker()))
    return schemas


#: Faults of one record explained at most (one record may hold a million items in a list, each faulty);
#: past this, one issue says the record has more.
MAX_FAULTS_PER_RECORD = 100
#: Records failing the schema that are explained fault by fault; past this, each is only counted
#: (saying why is the slow part, and no reader needs a million explanations).
MAX_EXPLAINED_RECORDS = 2000


def _too_deep(*where: str | int) -> Issue:
    return error("input.too-deep", "嵌套过深", "nested too deeply", pointer=json_pointer(*where))


class _Collector:
    """Records of a dataset checked and structured one at a time, with every issue found on the way.

    Each record kept goes into its kind's columns at once (:class:`~cpsdk.Records`), so that the
    dataset is never held as millions of objects; where each came from is kept as an array of
    input positions.
    """

    def __init__(self, issues: list[Issue], *, search_every: bool = False) -> None:
        """``search_every``: search every record for repeated keys (they were decoded before, with some)."""
        self.issues = IssueLog(issues)
        self._search_every = search_every
        self.records: dict[str, RecordsBuilder[Any]] = {}
        self.origin: dict[str, array[int]] = {}
        self._converter = converter()
        self._explained = 0
        self._repeats_seen = _repeats[0]
        self._unexplained: dict[str, int] = {}

    def member(self, name: str, value: Any) -> None:
        """A top-level member other than an array of records: the version, an unknown key, a kind that is no array."""
        try:
            self.issues.extend(_repeated_keys(value, name))
            if name == "version" and type(value) is str and value == DATASET_VERSION:
                errors = []  # the schema's verdict on the version it requires, without importing jsonschema
            else:
                errors = list(itertools.islice(_validator().iter_errors({name: value}), MAX_FAULTS_PER_RECORD))
        except RecursionError:
            self.issues.append(_too_deep(name))
            return
        self.issues.extend(dict.fromkeys(issue for err in errors for issue in _schema_issues(err)))

    def _builder(self, kind: str) -> RecordsBuilder[Any]:
        kept = self.records.get(kind)
        if kept is None:
            kept = self.records[kind] = RecordsBuilder(RECORD_KINDS[kind])
            self.origin[kind] = array("I")
        return kept

    def extend(
        self,
        kind: str,
        index: int,
        count: int,
        values: Mapping[str, list[Any]],
        texts: Mapping[str, list[Any]],
        defaults: Mapping[str, Any],
        tables: Mapping[str, Mapping[Any, Any]],
    ) -> None:
        """Records ``index`` to ``index + count - 1`` of ``kind``, checked already, given field by field as
        :meth:`RecordsBuilder.extend_columns` takes them (``UNSET`` where a record left a field of ``defaults``
        out): kept, all of them."""
        self._builder(kind).extend_columns(count, values, texts, defaults, msgspec.UNSET, tables)
        self.origin[kind].extend(range(index, index + count))

    def record(self, kind: str, index: int, item: Any) -> None:
        """The ``index``-th record of ``kind``: kept when it passes the schema and structures."""
        kept = self._builder(kind)
        try:
            if self._search_every or self._repeats_seen != _repeats[0]:
                self._repeats_seen = _repeats[0]
                repeated = list(_repeated_keys(item, kind, index))
                if repeated:  # a record whose fields are ambiguous is not kept
                    self.issues.extend(repeated)
                    return
            schema = _record_schemas()[kind]  # compiled on the exact path's first record: never on the fast path
            if self._explained >= MAX_EXPLAINED_RECORDS:
                if not schema.passes(item):
                    self._unexplained[kind] = self._unexplained.get(kind, 0) + 1
                    return
                errors = []
            else:
                errors = schema.errors(item)
            if errors:
                self._explained += 1
                # One issue per fault: a schema's branches can report the same fault more than once.
                self.issues.extend(
                    dict.fromkeys(
                        issue
                        for err in errors[:MAX_FAULTS_PER_RECORD]
                        for issue in itertools.islice(_schema_issues(err, (kind, index)), MAX_FAULTS_PER_RECORD)
                    )
                )
                if len(errors) > MAX_FAULTS_PER_RECORD:
                    self.issues.append(
                        error(
                            "schema.more-faults",
                            f"该记录还有更多不符合数据格式之处（只列出前 {MAX_FAULTS_PER_RECORD} 处）",
                            f"the record has more faults than the first {MAX_FAULTS_PER_RECORD} listed",
                            pointer=json_pointer(kind, index),
                        )
                    )
                return
            record = self._converter.structure(item, RECORD_KINDS[kind])
        except RecursionError:
            self.issues.append(_too_deep(kind, index))
            return
        except Exception as exc:  # noqa: BLE001 - any structuring failure is an issue about this record
            self.issues.extend(_structure_issues(exc, kind, index))
            return
        kept.append(record)
        self.origin[kind].append(index)

    def take(self, members: Iterable[tuple[str, int | None, Any]]) -> Loaded:
        """Every member of a dataset, as :func:`cpsdk.datasets._json_stream.members` gives them, and what they load."""
        for name, index, value in members:
            if index is None:
                self.member(name, value)
            else:
                self.record(name, index, value)
        for kind, count in self._unexplained.items():
            self.issues.append(
                error(
                    "schema.more-records",
                    f"另有 {count} 条 {kind} 记录不符合数据格式，未逐条说明",
                    f"{count} more {kind} records fail the schema; not explained one by one",
                    pointer=json_pointer(kind),
                )
            )
        collections: dict[str, Any] = {kind: builder.build() for kind, builder in self.records.items()}
        dataset = Dataset(**collections)
        origin: dict[str, Sequence[int]] = {
            kind: range(len(at)) if _counts_up(at) else at for kind, at in self.origin.items()
        }
        return Loaded(dataset, tuple(self.issues.close()), origin)


def _counts_up(positions: array[int]) -> bool:
    """True when every record of a kind was kept: its positions are 0, 1, 2, …"""
    return not positions or (positions[0] == 0 and positions[-1] == len(positions) - 1)


def _mapping_members(raw: Mapping[str, Any]) -> Iterator[tuple[str, int | None, Any]]:
    """The members of a dataset already in memory, as the file reader gives them."""
    for name, value in raw.items():
        if name in RECORD_KINDS and isinstance(value, list):
            for index, item in enumerate(value):
                yield name, index, item
        else:
            yield name, None, value


class _Hashing:
    """A binary stream that hashes what is read through it, so a file is read once for both.

    Large reads are hashed on a thread of its own (hashlib lets the parser run meanwhile), in order.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.digest = hashlib.sha256()
        self._worker: concurrent.futures.ThreadPoolExecutor | None = None

    def read(self, size: int = -1, /) -> bytes:
        data = self._stream.read(size)
        if len(data) >= _THREADED_HASH:
            if self._worker is None:
                self._worker = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="cpsdk-sha256")
            self._worker.submit(self.digest.update, data)
        elif self._worker is not None:
            self._worker.submit(self.digest.update, data)
        else:
            self.digest.update(data)
        return data

    def hexdigest(self) -> str:
        """The SHA-256 of the whole stream: what the parser left unread is read here."""
        while self.read(1 << 20):
            pass
        self.close()
        return self.digest.hexdigest()

    def close(self) -> None:
        """Wait for the hashing thread (if any) and let it go."""
        if self._worker is not None:
            self._worker.shutdown(wait=True)
            self._worker = None


#: Reads at least this long are hashed on a thread.
_THREADED_HASH = 1 << 20


def _stream(stream: BinaryIO, digest: bool) -> Loaded:
    """A dataset file read one record at a time; raises StreamError when it needs a whole read instead."""
    hashing = _Hashing(stream) if digest else stream
    try:
        loaded = _Collector([]).take(members(hashing, RECORD_KINDS, _json_decoder()))
    except (ValueError, RecursionError) as exc:  # bad JSON, a NaN, or nesting too deep for the scanner
        raise StreamError(str(exc)) from exc
    return attrs.evolve(loaded, sha256=hashing.hexdigest()) if isinstance(hashing, _Hashing) else loaded


def _fast_stream(stream: BinaryIO, digest: bool) -> Loaded:
    """A dataset file read a batch of records at a time (:mod:`cpsdk.datasets._fast_load`), each record the batch
    refuses by the exact path; raises StreamError when the file needs one of the slower ways instead."""
    hashing = _Hashing(stream) if digest else stream
    collector = _Collector([])
    try:
        FastReader(hashing, collector, _json_decoder()).read()
    except (ValueError, RecursionError) as exc:
        if isinstance(hashing, _Hashing):
            hashing.close()
        raise StreamError(str(exc)) from exc
    loaded = collector.take(())
    return attrs.evolve(loaded, sha256=hashing.hexdigest()) if isinstance(hashing, _Hashing) else loaded


def _file_sha256(path: str | os.PathLike[str]) -> str:
    with open(path, "rb") as stream:
        return _Hashing(stream).hexdigest()


def _cached(path: Path, digest: bool) -> Loaded | None:
    """What the cache keeps for the dataset file ``path`` as it is now (``cpsdk.datasets._cache``), if anything."""
    try:
        state = path.stat()
    except OSError:
        return None
    if not _cache.cacheable(path, state):
        return None
    found = _cache.lookup(path, state)
    if found is None:
        return None
    dataset, issues, origin, sha256 = found
    return Loaded(dataset, issues, origin, sha256=sha256 if digest else "")


def _parse_intake(path: str | os.PathLike[str]) -> Loaded:
    from cpsdk.base._errors import WorkbookError
    from cpsdk.intake import read_intake

    try:
        raw, cell_issues, locator = read_intake(path)
    except WorkbookError as exc:
        return Loaded(Dataset(), tuple(exc.issues), {})
    loaded = parse(raw)
    located = tuple(locator.locate(issue) for issue in loaded.issues)
    return Loaded(loaded.dataset, (*cell_issues, *located), loaded.origin, locator.locate)


def parse(source: Source, *, digest: bool = False) -> Loaded:
    """Read a dataset from a path (JSON, or a filled intake workbook), JSON bytes, a mapping or a
    :class:`Dataset`, never raising for bad input. With ``digest``, the input's SHA-256 is computed as
    it is read (:attr:`Loaded.sha256`, what a workbook written from it records)."""
    if isinstance(source, Dataset):
        return Loaded(source, (), {})
    if isinstance(source, (str, os.PathLike)):
        refused = _refuse_file(Path(source))  # before opening: opening a pipe would wait for a writer
        if refused:
            return Loaded(Dataset(), tuple(refused), {})
        cached = _cached(Path(source), digest)
        if cached is not None:
            return cached
        try:
            with open(source, "rb") as stream:  # opened once: to tell a workbook, then to stream and hash
                if stream.read(4) == b"PK\x03\x04":
                    intake = _parse_intake(source)
                    return attrs.evolve(intake, sha256=_file_sha256(source)) if digest else intake
                stream.seek(0)
                state = os.fstat(stream.fileno())
                keep = _cache.cacheable(Path(source), state)
                try:
                    loaded = _fast_stream(stream, digest or keep)
                except StreamError:
                    stream.seek(0)  # read it record by record with the standard library's decoder
                    loaded = _stream(stream, digest or keep)
                if keep:
                    _cache.store(Path(source), state, loaded.dataset, loaded.issues, dict(loaded.origin), loaded.sha256)
                return loaded if digest else attrs.evolve(loaded, sha256="")
        except (StreamError, OSError):
            pass  # read it whole: that says precisely what is wrong with it
    if isinstance(source, Mapping):
        return _Collector([]).take(_mapping_members(source))
    repeats = _repeats[0]
    raw, issues = _read_json(source)
    if has_errors(issues):
        return Loaded(Dataset(), tuple(issues), {})
    if not isinstance(raw, Mapping):
        return Loaded(
            Dataset(), (error("schema.type", "数据集应为 JSON 对象", "a dataset is a JSON object", pointer=""),), {}
        )
    top = [
        error(
            "input.duplicate-key",
            f"成员 {_short(name)} 出现了多次（只会读取最后一次，其余被忽略）",
            f"the member {_short(name)!r} is given more than once (only the last would be read)",
            pointer=json_pointer(name),
        )
        for name in getattr(raw, "repeated", ())
    ]
    loaded = _Collector([*issues, *top], search_every=repeats != _repeats[0]).take(_mapping_members(raw))
    if not digest:
        return loaded
    found = hashlib.sha256(source).hexdigest() if isinstance(source, bytes) else _file_sha256(source)
    return attrs.evolve(loaded, sha256=found)


def _structure_issues(exc: BaseException, kind: str, index: int) -> Iterator[Issue]:
    for text, pointer in structure_failures(exc, path=f"$.{kind}[{index}]"):
        yield error(
            "schema.value",
            f"取值无效：{_short(text, 120)}",
            f"invalid value: {_short(text, 120)}",
            pointer=pointer or json_pointer(kind, index),
        )


def load(source: Source) -> Dataset:
    """Load a dataset, raising :class:`~cpsdk.DatasetError` (with every issue) if any record is unreadable.

    A dataset is loaded to be worked on: the amounts of its large collections are made the whole numbers their
    sums add (:meth:`Records.prepare_sums`), as a column engine reads amounts into numbers when it loads a file.
    :func:`parse`, which validation uses, leaves them to the first sum."""
    loaded = parse(source)
    if has_errors(loaded.issues):
        count = sum(1 for issue in loaded.issues if issue.is_error)
        raise DatasetError(f"the dataset has {count} error(s)", loaded.issues)
    for kind in RECORD_KINDS:
        loaded.dataset.records(kind).prepare_sums()
    return loaded.dataset


def dump(dataset: Dataset) -> dict[str, Any]:
    """A dataset as JSON-ready data: amounts as decimal text, dates as ISO text, defaults left out."""
    body = converter().unstructure(dataset)
    body.pop("version", None)
    return {"version": dataset.version, **body}


def dumps(dataset: Dataset) -> str:
    """A dataset as JSON text (UTF-8, Chinese kept readable, stable key order)."""
    return "".join(_json_pieces(dataset))


def save(dataset: Dataset, path: str | os.PathLike[str]) -> Path:
    """Write ``dataset`` to ``path`` as :func:`dumps` gives it (and a final newline), atomically.

    The text is written record by record, so a dataset of the whole country is never held
    as one document in memory.
    """
    from cpsdk.workbook import atomic_target

    with atomic_target(path) as temporary, open(temporary, "w", encoding="utf-8") as stream:
        stream.writelines(_json_pieces(dataset))
        stream.write("\n")
    return Path(path)


def _json_pieces(dataset: Dataset) -> Iterator[str]:
    """The text of ``json.dumps(dump(dataset), ensure_ascii=False, indent=1)``, one record at a time."""
    unstructure = converter().unstructure
    encode = json.JSONEncoder(ensure_ascii=False, indent=1).encode  # one encoder for millions of records

    def indented(value: Any, depth: int) -> str:
        return " " * depth + encode(value).replace("\n", "\n" + " " * depth)

    yield '{\n "version": ' + encode(dataset.version)
    for kind in RECORD_KINDS:
        records = dataset.records(kind)
        if not records:
            continue  # left out, as dump leaves out every default
        yield f',\n "{kind}": [\n'
        for position, record in enumerate(records):
            yield (",\n" if position else "") + indented(unstructure(record), 2)
        yield "\n ]"
    yield "\n}"
