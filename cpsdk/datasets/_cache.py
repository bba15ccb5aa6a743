"""Loaded datasets kept between commands: a cache of the store's columns, keyed by the file they came from.

Each ``cpsdk`` command loads its input anew; emitting fifteen forms from the whole country's file
would load it fifteen times. A dataset file that loaded without errors is kept here as a dump of its
columns (:mod:`cpsdk.store._dump`), and the next load of the same file reads the dump instead.

- **Where**: ``$CPSDK_CACHE_DIR``, else ``$XDG_CACHE_HOME/cpsdk``, else ``~/.cache/cpsdk``; a folder of
  the user's own that no one else may write to (else nothing is cached). ``CPSDK_NO_CACHE=1``
  turns the cache off.
- **Found by** the file's path, device, inode, size and modification time, with the cpsdk version and
  the cache format: an entry for the file as it is now. **Trusted only after** the file's bytes are
  hashed again (SHA-256, a pass at the disk's speed, on a second thread while the dump is read) and
  equal the hash the entry was made from: a file changed in place, its size and time forged, is read
  anew. The file is the truth; the cache only saves the parse.
- **Authenticated**: each entry ends with a keyed BLAKE2b of all it holds, under a key of this cache
  folder (``key``, readable by the user only); an entry that is truncated, corrupted, for another file
  or version, or not written by this cache is ignored (and replaced by the next load). Restoring
  reads only data (no pickle), with every length and type checked.
- **Bounded**: at most :data:`MAX_ENTRIES` entries and :data:`MAX_BYTES` bytes, the least recently used
  dropped first; written to a temporary file and renamed into place, so a reader never sees half.
- Files smaller than :data:`MIN_CACHED_BYTES` are not cached: they load in less time than a cache costs.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import hashlib
import hmac
import os
import secrets
import stat
import struct
import tempfile
import threading
import time
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import attrs
import msgspec

from cpsdk.base._issues import Issue, Severity
from cpsdk.base._version import sdk_version
from cpsdk.model._entities import RECORD_KINDS, Dataset
from cpsdk.store._dump import DumpError, TableDump, _Body, _Part, dump_records, restore_records

#: The layout of an entry; a new layout ignores entries of the old one.
FORMAT = 2
#: Files smaller than this are loaded, not cached.
MIN_CACHED_BYTES = 1 << 20
#: Entries kept at most, and bytes of entries at most (the least recently used go first).
MAX_ENTRIES = 8
MAX_BYTES = 4 << 30

_MAGIC = b"CPSDK-STORE\x00"
_LENGTH = struct.Struct("<I")
_TAG_BYTES = 32
_KEY_BYTES = 32
_SUFFIX = ".store"
#: Bytes hashed at a time (hashlib lets other threads run meanwhile).
_HASH_CHUNK = 8 << 20


class _Header(msgspec.Struct, forbid_unknown_fields=True):
    """What an entry holds, besides its columns' sections."""

    format: int
    cpsdk: str
    source_sha256: str
    source_size: int
    issues: list[dict[str, str | None]]
    kinds: dict[str, TableDump]


def cache_dir() -> Path | None:
    """The cache folder (made if need be), or None when caching is off or the folder is not the user's own."""
    if os.environ.get("CPSDK_NO_CACHE", "").strip() not in ("", "0"):
        return None
    chosen = os.environ.get("CPSDK_CACHE_DIR")
    if chosen:
        folder = Path(chosen)
    else:
        base = os.environ.get("XDG_CACHE_HOME")
        folder = (Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache") / "cpsdk"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        state = folder.stat()
    except (OSError, RuntimeError):  # no home folder, or none writable
        return None
    if not stat.S_ISDIR(state.st_mode):
        return None
    if hasattr(os, "getuid") and (state.st_uid != os.getuid() or state.st_mode & 0o022):
        return None  # another user's folder, or one others may write to: its entries could be anyone's
    return folder


def _key(folder: Path) -> bytes | None:
    """This cache folder's secret key (made on first use, readable by the user only)."""
    path = folder / "key"
    try:
        with open(path, "rb") as stream:
            key = stream.read(_KEY_BYTES + 1)
    except FileNotFoundError:
        key = secrets.token_bytes(_KEY_BYTES)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # made meanwhile by another process: use that one
            return _key_file(path)
        except OSError:
            return None
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(key)
    except OSError:
        return None
    return key if len(key) == _KEY_BYTES else None


def _key_file(path: Path) -> bytes | None:
    try:
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == _KEY_BYTES else None


def _entry(folder: Path, path: Path, state: os.stat_result) -> Path:
    """The entry of ``path`` as it is now (its place, identity, size and time; cpsdk's version; the format)."""
    identity = "\0".join(
        map(
            str,
            (
                FORMAT,
                sdk_version(),
                os.path.abspath(path),
                state.st_dev,
                state.st_ino,
                state.st_size,
                state.st_mtime_ns,
            ),
        )
    )
    return folder / (hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:40] + _SUFFIX)


def cacheable(path: Path, state: os.stat_result) -> bool:
    """True when a dataset file is worth caching (a regular file of some size) and the cache is on."""
    return stat.S_ISREG(state.st_mode) and state.st_size >= MIN_CACHED_BYTES and cache_dir() is not None


# ---- types a dump may hold ---------------------------------------------------------------------------------


@functools.cache
def _classes() -> dict[str, type]:
    """The enumerations and nested record classes of the model's fields, by name: all a dump may make."""
    found: dict[str, type] = {}

    def visit(hint: Any) -> None:
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            found[f"{hint.__module__}.{hint.__qualname__}"] = hint
        elif isinstance(hint, type) and attrs.has(hint):
            found[f"{hint.__module__}.{hint.__qualname__}"] = hint
            for field_hint in typing.get_type_hints(hint).values():
                visit(field_hint)
        for inner in typing.get_args(hint):
            visit(inner)

    for record_class in RECORD_KINDS.values():
        for hint in typing.get_type_hints(record_class).values():
            visit(hint)
    return found


@functools.cache
def _names() -> dict[type, str]:
    return {cls: name for name, cls in _classes().items()}


# ---- reading -----------------------------------------------------------------------------------------------


class _Hasher(threading.Thread):
    """The SHA-256 of a file, computed on a thread of its own (hashlib leaves the interpreter to others)."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self._path = path
        self.digest: str | None = None

    def run(self) -> None:
        try:
            with open(self._path, "rb") as stream:
                self.digest = _sha256(stream)
        except OSError:
            self.digest = None


def _sha256(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    while data := stream.read(_HASH_CHUNK):
        digest.update(data)
    return digest.hexdigest()


class _Reader:
    """An entry's sections read in order, each added to the entry's tag as it is read."""

    def __init__(self, stream: BinaryIO, tag: Any, start: int, end: int) -> None:
        self._stream = stream
        self._tag = tag
        self._at = start
        self._end = end
        self._body = start

    def section(self, part: _Part) -> memoryview:
        if part.offset != self._at - self._body or part.length < 0 or self._at + part.length > self._end:
            raise DumpError("a section out of place")
        data = self._stream.read(part.length)
        if len(data) != part.length:
            raise DumpError("a truncated entry")
        self._tag.update(data)
        self._at += part.length
        return memoryview(data)

    def finish(self) -> None:
        if self._at != self._end:
            raise DumpError("an entry longer than its sections")


def lookup(path: Path, state: os.stat_result) -> tuple[Dataset, tuple[Issue, ...], dict[str, range], str] | None:
    """The dataset kept for ``path`` as it is now: (dataset, issues, origin, sha256), or None when there is no
    entry, or one that does not hold, or the file's bytes are not those the entry was made from."""
    folder = cache_dir()
    if folder is None:
        return None
    entry = _entry(folder, path, state)
    key = _key(folder)
    if key is None or not entry.is_file():
        return None
    hasher = _Hasher(path)
    hasher.start()
    try:
        found = _read_entry(entry, key, state.st_size)
    except (DumpError, OSError, msgspec.DecodeError, ValueError, TypeError, KeyError, RecursionError):
        found = None
    hasher.join()
    if found is None or hasher.digest is None or not hmac.compare_digest(found[3], hasher.digest):
        with contextlib.suppress(OSError):
            entry.unlink()  # of no use: the load that follows writes a new one
        return None
    with contextlib.suppress(OSError):
        os.utime(entry)  # recently used
    return found


def _read_entry(
    entry: Path, key: bytes, source_size: int
) -> tuple[Dataset, tuple[Issue, ...], dict[str, range], str] | None:
    with open(entry, "rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        head = stream.read(len(_MAGIC) + _LENGTH.size)
        if len(head) != len(_MAGIC) + _LENGTH.size or not head.startswith(_MAGIC):
            raise DumpError("not an entry of this cache")
        (header_length,) = _LENGTH.unpack_from(head, len(_MAGIC))
        if header_length > size:
            raise DumpError("a truncated entry")
        header_bytes = stream.read(header_length)
        tag = hashlib.blake2b(key=key, digest_size=_TAG_BYTES)
        tag.update(head)
        tag.update(header_bytes)
        header = msgspec.msgpack.decode(header_bytes, type=_Header)
        if header.format != FORMAT or header.cpsdk != sdk_version() or header.source_size != source_size:
            raise DumpError("an entry of another version or file")
        reader = _Reader(stream, tag, len(head) + header_length, size - _TAG_BYTES)
        collections: dict[str, Any] = {}
        for kind, table in header.kinds.items():
            record_class = RECORD_KINDS.get(kind)
            if record_class is None:
                raise DumpError(f"no record kind {kind!r}")
            collections[kind] = restore_records(record_class, table, reader.section, _classes())
        reader.finish()
        trailer = stream.read(_TAG_BYTES + 1)
        if not hmac.compare_digest(trailer, tag.digest()):
            raise DumpError("an entry this cache did not write, or one changed since")
    issues = tuple(_issue(fields) for fields in header.issues)
    origin = {kind: range(len(records)) for kind, records in collections.items()}
    return Dataset(**collections), issues, origin, header.source_sha256


def _issue(fields: dict[str, str | None]) -> Issue:
    severity = fields.get("severity")
    if severity != Severity.WARNING.value or set(fields) != set(attrs.fields_dict(Issue)):
        raise DumpError("an issue of no known form")
    if not all(isinstance(fields[name], str) for name in ("code", "message_zh", "message_en")):
        raise DumpError("an issue of no known form")
    return Issue(**{**fields, "severity": Severity.WARNING})  # type: ignore[arg-type]


# ---- writing -----------------------------------------------------------------------------------------------


def store(
    path: Path,
    state: os.stat_result,
    dataset: Dataset,
    issues: tuple[Issue, ...],
    origin: dict[str, Any],
    sha256: str,
) -> None:
    """Keep a dataset that loaded without errors from ``path`` (as ``state`` found it), replacing any entry for
    it; nothing when caching is off or the entry cannot be written (a cache never fails a load)."""
    folder = cache_dir()
    if folder is None or any(issue.is_error for issue in issues) or len(sha256) != 64:
        return
    if any(origin[kind] != range(len(dataset.records(kind))) for kind in origin):
        return  # records left out: only a dataset read whole is kept
    key = _key(folder)
    if key is None:
        return
    try:
        body = _Body()
        kinds = {kind: dump_records(dataset.records(kind), _names(), body) for kind in origin}
        header = _Header(FORMAT, sdk_version(), sha256, state.st_size, [i.to_dict() for i in issues], kinds)
        header_bytes = msgspec.msgpack.encode(header)
    except (TypeError, ValueError, OverflowError, UnicodeError):
        return  # a value the format cannot hold: not cached
    head = _MAGIC + _LENGTH.pack(len(header_bytes))
    tag = hashlib.blake2b(key=key, digest_size=_TAG_BYTES)
    try:
        with tempfile.NamedTemporaryFile("wb", dir=folder, prefix=".tmp-", suffix=_SUFFIX, delete=False) as stream:
            temporary = Path(stream.name)
            for piece in (head, header_bytes, *body.pieces):
                tag.update(piece)
                stream.write(piece)
            stream.write(tag.digest())
        os.replace(temporary, _entry(folder, path, state))
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            temporary.unlink()
        return
    _evict(folder)


def _entries(folder: Path) -> Iterator[tuple[float, int, Path]]:
    for entry in folder.iterdir():
        if entry.name.endswith(_SUFFIX):
            with contextlib.suppress(OSError):
                state = entry.stat()
                yield state.st_mtime, state.st_size, entry


def _evict(folder: Path) -> None:
    """Drop the least recently used entries beyond the bounds (and temporary files a killed write left)."""
    try:
        entries = sorted(_entries(folder), reverse=True)
    except OSError:
        return
    total = 0
    kept = 0
    for _, size, entry in entries:
        stale = entry.name.startswith(".tmp-")
        if not stale:
            total += size
            kept += 1
        if stale or kept > MAX_ENTRIES or total > MAX_BYTES:
            if stale and _young(entry):
                continue  # being written by another process
            with contextlib.suppress(OSError):
                entry.unlink()


def _young(entry: Path) -> bool:
    """True for a temporary file written to within the last hour (a write in progress elsewhere)."""
    try:
        return time.time() - entry.stat().st_mtime < 3600
    except OSError:
        return False
