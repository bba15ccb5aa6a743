"""Guangdong's key industries, key basins and park kinds (意见: 重点行业、重点流域、重点园区).

The document names 19 key industries; each is matched by GB/T 4754-2017 class or by a
key-industry tag (the MIIT tags where the industry is the same, ``gd_*`` tags that this
plugin registers for the others, e.g. 多晶硅, which no class isolates). Basins and parks
are matched by name after bringing it to simplified script, so input in traditional
characters (石馬河, 廣佛跨界河) counts the same.
"""

from __future__ import annotations

import functools

import attrs

from cpsdk import Enterprise, simplified
from cpsdk.codes import KeyIndustry, KeyIndustryGroup


@attrs.frozen
class GuangdongIndustry:
    """A key industry of the document: its name, GB/T 4754-2017 classes and tags."""

    name: str
    codes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def covers(self, enterprise: Enterprise) -> bool:
        """True when the enterprise's class or one of its tags is this industry's."""
        return self.matches(enterprise.industry, enterprise.key_industries)

    def matches(self, industry: str, tags: tuple[str, ...]) -> bool:
        """True when the class ``industry`` or one of ``tags`` is this industry's."""
        return industry.startswith(self.codes) or any(t in tags for t in self.tags)


def _industry(name: str, codes: str = "", tags: str = "") -> GuangdongIndustry:
    return GuangdongIndustry(name=name, codes=tuple(codes.split()), tags=tuple(tags.split()))


#: The 19 key industries, in the document's order.
KEY_INDUSTRIES: tuple[GuangdongIndustry, ...] = (
    _industry("钢铁", "31", "steel"),
    _industry("水泥", "3011", "cement"),
    _industry("化工", "26", "gd_chemical"),
    _industry("石化", "251", "gd_petrochemical"),
    _industry("焦化", "2521", "gd_coking"),
    _industry("原料药制造", "2710", "gd_api"),
    _industry("有色金属", "32", "gd_nonferrous"),
    _industry("造纸", "221 222", "paper"),
    _industry("氮肥", "2621", "nitrogen_fertilizer"),
    _industry("印染", "1713 1723 1733 1743 1752", "textile_dyeing"),
    _industry("制革", "1910", "leather"),
    _industry("电镀", "3360", "electroplating"),
    _industry("农副食品加工", "13", "gd_agrifood"),
    _industry("平板玻璃", "3041", "gd_flat_glass"),
    _industry("农药", "263", "pesticide"),
    _industry("煤化工", "2522 2523", "gd_coal_chemical"),
    _industry("多晶硅", "", "gd_polysilicon"),
    _industry("电解铝", "3216", "gd_electrolytic_aluminium"),
    _industry("造船", "373", "gd_shipbuilding"),
)

#: The tags this plugin adds to the MIIT list (registered through ``cpsdk_register_key_industries``).
REGISTERED: tuple[KeyIndustry, ...] = tuple(
    KeyIndustry(
        tag=tag,
        name=industry.name,
        group=KeyIndustryGroup.PROVINCIAL,
        codes=industry.codes,
        within="3985" if tag == "gd_polysilicon" else None,
        source="广东省关于全面推进绿色清洁生产工作的意见（2016） 重点行业",
    )
    for industry in KEY_INDUSTRIES
    for tag in industry.tags
    if tag.startswith("gd_")
)

#: The six key basins, in the document's order.
KEY_BASINS: tuple[str, ...] = ("淡水河", "石马河", "广佛跨界河", "茅洲河", "练江", "小东江")
#: A park's enterprises must be audited at more than this rate (percent).
PARK_RATE = 80


def industries_of(enterprise: Enterprise) -> tuple[str, ...]:
    """The names of the key industries the enterprise belongs to."""
    return _industries(enterprise.industry, tuple(enterprise.key_industries))


@functools.lru_cache(maxsize=4096)
def _industries(industry: str, tags: tuple[str, ...]) -> tuple[str, ...]:
    # A province's enterprises have a few hundred (class, tags) pairs: each is matched against the 19 once.
    return tuple(k.name for k in KEY_INDUSTRIES if k.matches(industry, tags))


def basin_of(enterprise: Enterprise) -> str | None:
    """The key basin the enterprise is in (its ``basin``, in either script), or None."""
    if not enterprise.basin:
        return None
    name = simplified(enterprise.basin)
    return next((basin for basin in KEY_BASINS if basin in name), None)


def park_key(enterprise: Enterprise) -> str | None:
    """The enterprise's park, in simplified script, for grouping (None outside a park)."""
    return key_of_park(enterprise.park)


def key_of_park(park: str | None) -> str | None:
    """A park's name in simplified script, for grouping (None for no park)."""
    return simplified(park).strip() if park and park.strip() else None
