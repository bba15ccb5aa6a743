"""Combining the datasets of several child regions into the dataset of the region above.

The public cpsdk API has no such operation (``merge_workbooks`` merges a mergeable form's workbooks, not
datasets), so it lives here, on cpsdk's public names only:

- :func:`own_part` keeps of a child's dataset what its submission vouches for: the enterprises of the child's
  region and every record that hangs off them (audits, proposals, effects, …, as :meth:`cpsdk.Dataset.in_region`
  follows them), the region's own records (trainings, demonstrations, by-product use) unless they lie in a
  sibling's region (which that sibling reports itself), and the shared records others name (agencies, experts,
  documents) whole.
- :func:`combine` concatenates the parts kind by kind. A record whose key (统一社会信用代码 for enterprises, ``id``
  for the rest) another part already gave is kept once when both are equal, and is an error naming both regions
  when they differ: conflicting records are never merged silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import cpsdk

#: Kinds that follow their enterprise (through :meth:`cpsdk.Dataset.in_region`).
ENTERPRISE_LINKED = (
    "enterprises",
    "audits",
    "proposals",
    "effects",
    "discharges",
    "agreements",
    "environmental_reports",
)
#: Kinds that are records of a region of their own (``region``).
REGIONAL = ("trainings", "demonstrations", "byproducts")
#: Kinds that other records name and several regions share: kept whole, de-duplicated by id.
SHARED = ("agencies", "experts", "documents")
#: At most this many conflicts are listed per kind (then one line says how many more).
MAX_CONFLICTS = 20


@dataclass(frozen=True)
class Part:
    """A child region's dataset, with the label its issues name it by (e.g. ``深圳市罗湖区（440303）``)."""

    region: str
    label: str
    dataset: cpsdk.Dataset


def key_of(kind: str) -> str:
    """The field that identifies a record of ``kind``: 统一社会信用代码 for enterprises, ``id`` otherwise."""
    return "uscc" if kind == "enterprises" else "id"


def own_part(dataset: cpsdk.Dataset, region: str, siblings: Sequence[str]) -> tuple[cpsdk.Dataset, int]:
    """What of ``dataset`` a submission of ``region`` vouches for (see the module's docstring), and how many
    enterprises it left out (of other regions)."""
    others = tuple(code for code in siblings if code != region)

    def not_a_siblings(code: Any) -> bool:
        return not (isinstance(code, str) and code.startswith(others)) if others else True

    own = dataset.in_region(region)
    kept: dict[str, Any] = {kind: own.records(kind) for kind in ENTERPRISE_LINKED}
    kept.update({kind: dataset.records(kind).where("region", not_a_siblings) for kind in REGIONAL})
    kept.update({kind: dataset.records(kind) for kind in SHARED})
    missing = set(cpsdk.RECORD_KINDS) - set(kept)
    if missing:  # a kind cpsdk added since: carried whole rather than lost
        kept.update({kind: dataset.records(kind) for kind in missing})
    left_out = len(dataset.enterprises) - len(own.enterprises)
    return cpsdk.Dataset(**kept), left_out


def combine(parts: Sequence[Part]) -> tuple[cpsdk.Dataset, list[cpsdk.Issue]]:
    """The parts' records concatenated kind by kind, each key once; an error for each conflicting duplicate."""
    issues: list[cpsdk.Issue] = []
    collections: dict[str, Any] = {}
    for kind in cpsdk.RECORD_KINDS:
        key = key_of(kind)
        seen: dict[Any, tuple[Any, Part]] = {}
        records: list[Any] = []
        conflicts = 0
        for part in parts:
            for record in part.dataset.records(kind):
                value = getattr(record, key, None)
                first = seen.get(value)
                if first is None:
                    seen[value] = (record, part)
                    records.append(record)
                    continue
                if first[0] == record:
                    continue
                conflicts += 1
                if conflicts <= MAX_CONFLICTS:
                    issues.append(_conflict(kind, value, first[1], part))
        if conflicts > MAX_CONFLICTS:
            more = conflicts - MAX_CONFLICTS
            issues.append(
                cpsdk.error(
                    "server.rollup-conflict",
                    f"{kind} 另有 {more} 处编号相同而内容不同的记录",
                    f"{more} more conflicting record(s) of {kind}",
                )
            )
        collections[kind] = records
    return cpsdk.Dataset(**collections), issues


def _conflict(kind: str, value: Any, first: Part, second: Part) -> cpsdk.Issue:
    key = key_of(kind)
    where = first.label if first.region == second.region else f"{first.label}与{second.label}"
    where_en = first.region if first.region == second.region else f"{first.region} and {second.region}"
    return cpsdk.error(
        "server.rollup-conflict",
        f"{where}的数据集中 {kind} 有{key}为“{value}”而内容不同的记录，不能合并；请核对后重新报送",
        f"the datasets of {where_en} hold different {kind} records with {key} {value!r}: they cannot be combined; "
        "correct them and submit again",
    )
