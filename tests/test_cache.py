"""The cache of loaded datasets: a hit gives what a load gives; anything that does not hold is ignored and replaced."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import cpsdk
from cpsdk.datasets import _cache, _load


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CPSDK_CACHE_DIR", str(folder))
    monkeypatch.delenv("CPSDK_NO_CACHE", raising=False)
    monkeypatch.setattr(_cache, "MIN_CACHED_BYTES", 0)
    yield folder


@pytest.fixture(scope="module")
def dataset() -> cpsdk.Dataset:
    return cpsdk.example_dataset(seed=11, enterprises=12, proposals_per_audit=3)


@pytest.fixture
def path(tmp_path: Path, dataset: cpsdk.Dataset) -> Path:
    return cpsdk.save(dataset, tmp_path / "dataset.json")


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.store"))


def _served_from_cache(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records, for each load that follows, whether the file was parsed (False) or the cache served it (True)."""
    served: list[bool] = []
    real = _load._fast_stream

    def parsing(*args: object) -> _load.Loaded:
        served.append(False)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(_load, "_fast_stream", parsing)
    return served


def test_a_second_load_is_served_from_the_cache_and_equal(
    path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cpsdk.parse(path, digest=True)
    assert len(_entries(cache)) == 1
    parsed = _served_from_cache(monkeypatch)
    again = cpsdk.parse(path, digest=True)
    assert parsed == []  # not parsed
    assert again == first
    assert again.sha256 == first.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert cpsdk.dumps(again.dataset) == cpsdk.dumps(first.dataset)
    assert cpsdk.parse(path).sha256 == ""  # asked for no digest: none given, as without the cache
    assert cpsdk.validate(path) == cpsdk.validate(cpsdk.parse(path).dataset)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-1],
        lambda data: b"",
        lambda data: data[:100] + bytes([data[100] ^ 1]) + data[101:],  # one bit of the header
        lambda data: data[:-40] + bytes([data[-40] ^ 1]) + data[-39:],  # one bit of a section
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit of the tag
        lambda data: b"CPSDK-STORE\x00" + b"\xff" * 64,
        lambda data: os.urandom(len(data)),
    ],
)
def test_a_damaged_entry_is_ignored_and_replaced(
    damage: object, path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cpsdk.parse(path)
    [entry] = _entries(cache)
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    parsed = _served_from_cache(monkeypatch)
    assert cpsdk.parse(path) == first
    assert parsed == [False]  # parsed again
    assert len(_entries(cache)) == 1
    assert _cache.lookup(path, path.stat()) is not None  # a good entry again


def test_an_entry_for_another_version_or_written_under_another_key_is_ignored(
    path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cpsdk.parse(path)
    monkeypatch.setattr(_cache, "sdk_version", lambda: "0.0.0-other")
    assert _cache.lookup(path, path.stat()) is None  # another version's name: not even found
    monkeypatch.undo()
    monkeypatch.setenv("CPSDK_CACHE_DIR", str(cache))
    monkeypatch.setattr(_cache, "MIN_CACHED_BYTES", 0)
    (cache / "key").write_bytes(b"k" * 32)  # another key: the entry's tag no longer holds
    parsed = _served_from_cache(monkeypatch)
    assert cpsdk.parse(path) == first
    assert parsed == [False]


def test_a_file_changed_in_place_with_its_size_and_time_forged_is_read_anew(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cpsdk.parse(path)
    before = path.stat()
    data = path.read_bytes()
    path.write_bytes(data.replace(b'"name": "', b'"name": "X', 1)[:-1])  # one more letter, the final newline less
    assert path.stat().st_size == before.st_size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    parsed = _served_from_cache(monkeypatch)
    loaded = cpsdk.parse(path)
    assert parsed == [False]  # the content hash did not match: parsed
    assert loaded.dataset.enterprises[0].name.startswith("X")


def test_no_cache_when_it_is_turned_off(path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CPSDK_NO_CACHE", "1")
    cpsdk.parse(path)
    cpsdk.parse(path)
    assert not cache.exists() or _entries(cache) == []


def test_a_dataset_with_errors_is_not_cached(tmp_path: Path, cache: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": "1.0", "enterprises": [{"uscc": 5}]}', encoding="utf-8")
    assert cpsdk.has_errors(cpsdk.parse(bad).issues)
    assert _entries(cache) == []


def test_a_folder_others_may_write_to_is_not_used(path: Path, cache: Path) -> None:
    cache.mkdir(mode=0o777)
    cache.chmod(0o777)
    cpsdk.parse(path)
    assert _entries(cache) == []


def test_entries_beyond_the_bound_are_evicted_oldest_first(
    tmp_path: Path, dataset: cpsdk.Dataset, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_cache, "MAX_ENTRIES", 2)
    paths = [cpsdk.save(dataset, tmp_path / f"d{n}.json") for n in range(3)]
    for number, each in enumerate(paths):
        cpsdk.parse(each)
        for entry in _entries(cache):  # older entries: older times
            os.utime(entry, (entry.stat().st_mtime - 10 * (3 - number),) * 2)
    assert len(_entries(cache)) == 2
    assert _cache.lookup(paths[0], paths[0].stat()) is None
    assert _cache.lookup(paths[2], paths[2].stat()) is not None
