"""Code tables shipped with cpsdk: regions (GB/T 2260, with the history of every code since
1980: when it went and what replaced it), industries (GB/T 4754-2017), key industries (MIIT
工业清洁生产推行"十二五"规划, footnotes ①②③) and 统一社会信用代码 checks (GB 32100, through
python-stdnum).

The tables are package data read on first use; nothing is fetched at run time.

It imports nothing from the rest of cpsdk; everything above ``cpsdk.base`` may use it.
"""

from cpsdk.base._public import report_as_public as _report_as_public
from cpsdk.codes._history import RegionPeriod, region_history, region_successors
from cpsdk.codes._industries import Industry, all_industries, industry, industry_ancestors, industry_name, is_industry
from cpsdk.codes._key_industries import (
    MIIT_KEY_INDUSTRIES,
    KeyIndustry,
    KeyIndustryGroup,
    key_industries_of,
)
from cpsdk.codes._regions import (
    Region,
    all_regions,
    region,
    region_by_name,
    region_by_short_name,
    region_children,
    region_full_name,
    region_name,
    region_parent,
    region_province,
    region_status,
)
from cpsdk.codes._uscc import example_uscc, uscc_problem

__all__ = [
    "MIIT_KEY_INDUSTRIES",
    "Industry",
    "KeyIndustry",
    "KeyIndustryGroup",
    "Region",
    "RegionPeriod",
    "all_industries",
    "all_regions",
    "example_uscc",
    "industry",
    "industry_ancestors",
    "industry_name",
    "is_industry",
    "key_industries_of",
    "region",
    "region_by_name",
    "region_by_short_name",
    "region_children",
    "region_full_name",
    "region_history",
    "region_name",
    "region_parent",
    "region_province",
    "region_status",
    "region_successors",
    "uscc_problem",
]

_report_as_public(globals())
