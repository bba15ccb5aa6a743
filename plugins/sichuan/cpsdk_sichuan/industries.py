"""Section 6 of 附件3: which industry column an enterprise counts in.

The form's columns are sectors (钢铁, 机械, 建材, …, 其它) and, under some of them,
其中 sub-industries (电镀 under 机械, 水泥 under 建材, …). Note [7]: a sector's
总计/合计 is the whole sector; the 其中 columns are parts of it.

An enterprise is matched by its GB/T 4754-2017 class and its key-industry tags:

- A column matches when the enterprise carries one of its ``tags``, or its class
  starts with one of its ``codes``. A tag match beats a code match; a longer code
  beats a shorter one; then a 其中 column beats its sector (造纸 22 within 轻工 22);
  then the earlier column wins. The best match decides.
- When the best match is a 其中 column, the enterprise counts there and in its
  sector's total; otherwise in the sector's total only.
- An enterprise no column matches counts in 其它, with a warning.

铬盐, 电石法聚氯乙烯, ADC发泡剂, 电解锰 and 荧光灯 are not classes of GB/T 4754 (they sit
inside 2613, 2651, 2614, 3140 and 3871 with other products), so they match by tag
only. Choices where the document is silent, following MIIT's sector split: 机械 is
33-38 and 40 without 电池 (384) and 照明器具 (387), which are 轻工; 化工 is 25, 26 and
橡胶 (291); 纺织 includes 服装 (18) and 化纤 (28); 轻工 is 13-16, 19-24, 塑料 (292), 384 and
387; 皮革 is 19; 发酵（含酿酒） is 146 and 151.

:data:`COLUMNS` is the default table. A user with other rules passes their own to
``build`` (``industry_columns=``), or overrides the codes and tags of some columns
from a CSV file (:func:`columns_from_csv`; ``--param industry_columns=FILE`` on the
command line).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence

import attrs

from cpsdk import Enterprise


@attrs.frozen(kw_only=True)
class IndustryColumn:
    """One column of section 6: its report field, printed label, and what matches it."""

    key: str
    label: str
    codes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    #: The sector a 其中 column belongs to (its key); None for a sector.
    sector: str | None = None


def _column(key: str, label: str, codes: str = "", tags: str = "", sector: str | None = None) -> IndustryColumn:
    return IndustryColumn(key=key, label=label, codes=tuple(codes.split()), tags=tuple(tags.split()), sector=sector)


#: Key of the column that takes every enterprise no other column matches.
OTHER = "other"

#: The default table, in the form's column order.
COLUMNS: tuple[IndustryColumn, ...] = (
    _column("steel", "钢铁", "31", "steel"),
    _column("machinery", "机械", "33 34 35 36 37 38 40"),
    _column("electroplating", "电镀", "3360", "electroplating", sector="machinery"),
    _column("building_materials", "建材", "30"),
    _column("cement", "水泥", "3011", "cement", sector="building_materials"),
    _column("nonferrous", "有色", "32"),
    _column("lead_zinc", "铅锌冶炼", "3212", "lead_zinc_smelting", sector="nonferrous"),
    _column("rare_earth", "稀土", "3232", "rare_earth", sector="nonferrous"),
    _column("textiles", "纺织", "17 18 28", "textile_dyeing"),
    _column("pharmaceuticals", "制药", "27", "pharmaceutical"),
    _column("chemicals", "化工", "25 26 291"),
    _column("nitrogen_fertilizer", "氮肥", "2621", "nitrogen_fertilizer", sector="chemicals"),
    _column("pesticides", "农药", "263", "pesticide", sector="chemicals"),
    _column("chromium_salt", "铬盐", tags="chromium_salt", sector="chemicals"),
    _column("carbide_pvc", "电石法聚氯乙烯", tags="carbide_pvc", sector="chemicals"),
    _column("adc", "ADC发泡剂", tags="adc_blowing_agent", sector="chemicals"),
    _column("electrolytic_manganese", "电解锰", tags="electrolytic_manganese"),
    _column("electronics", "电子", "39"),
    _column("light", "轻工", "13 14 15 16 19 20 21 22 23 24 292 384 387"),
    _column("fermentation", "发酵（含酿酒）", "146 151", "fermentation", sector="light"),
    _column("paper", "造纸", "22", "paper", sector="light"),
    _column("sugar", "制糖", "1340", "sugar", sector="light"),
    _column("batteries", "电池", "384", "battery", sector="light"),
    _column("leather", "皮革", "19", "leather", sector="light"),
    _column("fluorescent_lamps", "荧光灯", tags="fluorescent_lamp", sector="light"),
    _column(OTHER, "其它"),
)


def match(enterprise: Enterprise, columns: Sequence[IndustryColumn] = COLUMNS) -> tuple[str, ...]:
    """The keys of the columns ``enterprise`` counts in (the sector first); empty when none matches."""
    best: tuple[int, int, int, int] | None = None
    chosen: IndustryColumn | None = None
    for position, column in enumerate(columns):
        part = int(column.sector is not None)
        if any(tag in enterprise.key_industries for tag in column.tags):
            score = (1, 0, part, -position)
        else:
            length = max((len(code) for code in column.codes if enterprise.industry.startswith(code)), default=0)
            if not length:
                continue
            score = (0, length, part, -position)
        if best is None or score > best:
            best, chosen = score, column
    if chosen is None:
        return ()
    return (chosen.sector, chosen.key) if chosen.sector else (chosen.key,)


def validate_columns(columns: Sequence[IndustryColumn]) -> None:
    """Refuse a table that does not give every column of the form exactly once, or names an unknown sector."""
    keys = [column.key for column in columns]
    expected = [column.key for column in COLUMNS]
    if sorted(keys) != sorted(expected):
        missing = sorted(set(expected) - set(keys))
        extra = sorted(set(keys) - set(expected))
        raise ValueError(f"the industry table must give each column once; missing {missing}, unknown {extra}")
    for column in columns:
        if column.sector is not None and column.sector not in keys:
            raise ValueError(f"column {column.key!r} names an unknown sector {column.sector!r}")


def columns_from_csv(
    path: str | os.PathLike[str], base: Sequence[IndustryColumn] = COLUMNS
) -> tuple[IndustryColumn, ...]:
    """``base`` with the codes and tags of some columns replaced from a CSV file.

    The file has a header ``key,codes,tags``; codes and tags are separated by spaces.
    A column not in the file keeps its codes and tags.
    """
    with open(path, encoding="utf-8-sig", newline="") as stream:
        rows = {row["key"].strip(): row for row in csv.DictReader(stream) if row.get("key")}
    unknown = sorted(set(rows) - {column.key for column in base})
    if unknown:
        raise ValueError(f"unknown industry column(s) {unknown}; the form's columns are fixed")
    return tuple(
        attrs.evolve(
            column,
            codes=tuple((rows[column.key].get("codes") or "").split()),
            tags=tuple((rows[column.key].get("tags") or "").split()),
        )
        if column.key in rows
        else column
        for column in base
    )


def resolve_columns(value: object) -> tuple[IndustryColumn, ...]:
    """The table a ``build`` parameter names: None for the default, a sequence, or a CSV path."""
    if value is None or value == "":
        return COLUMNS
    if isinstance(value, (str, os.PathLike)):
        columns = columns_from_csv(value)
    elif isinstance(value, Iterable):
        columns = tuple(value)
    else:
        raise ValueError("industry_columns must be a table of IndustryColumn or a CSV file")
    if not all(isinstance(column, IndustryColumn) for column in columns):
        raise ValueError("industry_columns must be a table of IndustryColumn or a CSV file")
    validate_columns(columns)
    return columns
