"""Large builds run with the cyclic garbage collector paused, and leave it as they found it."""

from __future__ import annotations

import datetime
import gc
import sys
from collections.abc import Iterator
from typing import Any

import pytest

import cpsdk
from cpsdk.base._gc import collector_paused
from cpsdk.workbook import SheetLayout, Title, WorkbookLayout


class _Probe(cpsdk.LayoutForm):
    id = "test.gc-probe"
    title = "probe"
    layout_year = 2016
    period = cpsdk.Period.YEAR
    scope = cpsdk.Scope.PROVINCE
    report_type = dict
    seen: list[bool] = []

    def build(self, dataset: cpsdk.Dataset, **params: Any) -> Any:
        self.seen.append(gc.isenabled())
        return {}

    def layout(self) -> WorkbookLayout:
        return WorkbookLayout(sheets=(SheetLayout(name="s", columns=(10,), blocks=(Title(template="t"),)),))


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_a_forms_build_runs_with_the_collector_paused_and_restores_it(collector_on: None) -> None:
    probe = _Probe()
    probe.build(cpsdk.Dataset())
    probe.build_with_issues(cpsdk.Dataset())
    assert probe.seen == [False, False]
    assert gc.isenabled()


def test_a_failing_build_still_restores_the_collector(collector_on: None) -> None:
    with pytest.raises(ZeroDivisionError), collector_paused():
        assert not gc.isenabled()
        _ = 1 / 0
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused(collector_on: None) -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_loading_and_indexes_never_start_a_collection(collector_on: None) -> None:
    text = cpsdk.dumps(cpsdk.example_dataset(seed=3, enterprises=4)).encode()
    watched = {"parse", "_index", "effects_by_proposal", "in_region", "tally"}
    collections: list[str] = []

    def seen(phase: str, info: dict[str, Any]) -> None:
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_name in watched:
                collections.append(frame.f_code.co_name)  # a collection started while it ran
                return
            frame = frame.f_back  # type: ignore[assignment]

    threshold = gc.get_threshold()
    gc.set_threshold(1)  # a collection at every new container, unless paused
    gc.callbacks.append(seen)
    try:
        data = cpsdk.load(text)
        assert data.effects_by_proposal and data.audit_by_id and data.in_region("51")
        assert cpsdk.tally(data, datetime.date(2016, 1, 1), datetime.date(2020, 12, 31)).investment >= 0
    finally:
        gc.callbacks.remove(seen)
        gc.set_threshold(*threshold)
    assert collections == []
    assert gc.isenabled()
