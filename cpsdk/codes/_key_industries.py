"""Key industries of the MIIT 工业清洁生产推行"十二五"规划 (footnotes ①②③).

Each key industry is a tag (a stable ASCII id) with the GB/T 4754-2017 codes whose
enterprises belong to it as a whole. Some are only part of one class — 铬盐 inside
无机盐制造 (2613), 电石法聚氯乙烯 inside 初级形态塑料及合成树脂制造 (2651) — and are
known only by an explicit tag on the enterprise: for those ``codes`` is empty and
``within`` names the class that contains them.

Mapping choices (the plan names industries, not codes):

- 钢铁: division 31 (黑色金属冶炼和压延加工业).
- 发酵（含酿酒）: 151 酒的制造 and 1461 味精制造; other fermentation products
  (citric acid, amino acids, yeast) by tag.
- 纺织染整: the six 印染/染整精加工 classes 1713, 1723, 1733, 1743, 1752, 1762.
- 皮革: 1910 皮革鞣制加工 (tanning, the heavy-metal concern), not leather goods.
- 照明电器（荧光灯）: by tag within 3871 电光源制造, since LED makers share the class.
- 电解锰: by tag within 3140 铁合金冶炼; an untagged 3140 enterprise counts as 钢铁.
- ADC发泡剂: by tag within 2614 有机化学原料制造.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs


class KeyIndustryGroup(str, enum.Enum):
    """Which list a key industry comes from."""

    HIGH_EMISSION = "high_emission"  # ① 11 industries tied to the main-pollutant reductions
    HEAVY_METAL = "heavy_metal"  # ② 8 heavy-metal prevention industries
    PROVINCIAL = "provincial"  # added by a province's plugin


@attrs.frozen(kw_only=True)
class KeyIndustry:
    """A key industry: tag, Chinese name, list, member codes and (for tag-only ones) the containing class."""

    tag: str
    name: str
    group: KeyIndustryGroup
    codes: tuple[str, ...] = ()
    within: str | None = None
    source: str = "工业清洁生产推行“十二五”规划"

    def covers_code(self, industry: str) -> bool:
        """True when an enterprise of this GB/T 4754 code belongs to the industry by code alone."""
        return any(industry.startswith(code) for code in self.codes)


_H = KeyIndustryGroup.HIGH_EMISSION
_M = KeyIndustryGroup.HEAVY_METAL

#: The 11 + 8 key industries of the MIIT plan, in the plan's order.
MIIT_KEY_INDUSTRIES: tuple[KeyIndustry, ...] = (
    KeyIndustry(tag="steel", name="钢铁", group=_H, codes=("31",)),
    KeyIndustry(tag="cement", name="水泥", group=_H, codes=("3011",)),
    KeyIndustry(tag="nitrogen_fertilizer", name="氮肥", group=_H, codes=("2621",)),
    KeyIndustry(tag="adc_blowing_agent", name="偶氮二甲酰胺（ADC）发泡剂", group=_H, within="2614"),
    KeyIndustry(tag="fermentation", name="发酵（含酿酒）", group=_H, codes=("151", "1461")),
    KeyIndustry(tag="paper", name="造纸", group=_H, codes=("221", "222")),
    KeyIndustry(tag="sugar", name="制糖", group=_H, codes=("1340",)),
    KeyIndustry(
        tag="textile_dyeing",
        name="纺织染整",
        group=_H,
        codes=("1713", "1723", "1733", "1743", "1752", "1762"),
    ),
    KeyIndustry(tag="pharmaceutical", name="制药", group=_H, codes=("27",)),
    KeyIndustry(tag="pesticide", name="农药", group=_H, codes=("263",)),
    KeyIndustry(tag="rare_earth", name="稀土", group=_H, codes=("3232",)),
    KeyIndustry(tag="lead_zinc_smelting", name="铅锌冶炼", group=_M, codes=("3212",)),
    KeyIndustry(tag="chromium_salt", name="铬盐", group=_M, within="2613"),
    KeyIndustry(tag="leather", name="皮革", group=_M, codes=("1910",)),
    KeyIndustry(tag="battery", name="电池", group=_M, codes=("384",)),
    KeyIndustry(tag="carbide_pvc", name="电石法聚氯乙烯", group=_M, within="2651"),
    KeyIndustry(tag="electroplating", name="电镀", group=_M, codes=("3360",)),
    KeyIndustry(tag="fluorescent_lamp", name="照明电器（荧光灯）", group=_M, within="3871"),
    KeyIndustry(tag="electrolytic_manganese", name="电解锰", group=_M, within="3140"),
)


def key_industries_of(
    industry: str,
    tags: Iterable[str] = (),
    table: Iterable[KeyIndustry] = MIIT_KEY_INDUSTRIES,
) -> tuple[KeyIndustry, ...]:
    """The key industries an enterprise belongs to, by its code or by an explicit tag."""
    explicit = set(tags)
    return tuple(k for k in table if k.tag in explicit or k.covers_code(industry))
