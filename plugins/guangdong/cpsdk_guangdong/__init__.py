"""Guangdong's cleaner-production forms for cpsdk, from 《关于全面推进绿色清洁生产工作的意见》(2016).

- ``guangdong.filing`` / ``guangdong.filings`` — 清洁生产审核备案及验收登记表, one audit or a
  region's list (:mod:`cpsdk_guangdong.filing`)
- ``guangdong.city-summary`` / ``guangdong.province-summary`` — 清洁生产工作汇总表, county →
  city → province (:mod:`cpsdk_guangdong.summary`)
- ``guangdong.disclosure`` — 清洁生产审核企业名单及成效公示 (:mod:`cpsdk_guangdong.disclosure`)

Every form is labelled in simplified Chinese and can be written in traditional script
(``script=hant``, Hong Kong conventions, through OpenCC); input in either script is
accepted. The document describes the provincial system rather than printing forms, so
these are designed from it.
"""

from importlib.metadata import PackageNotFoundError, version

from cpsdk_guangdong.disclosure import Disclosure, DisclosureForm
from cpsdk_guangdong.filing import Filing, FilingForm, Filings, FilingsForm
from cpsdk_guangdong.summary import ProvinceSummaryForm, Summary, SummaryForm

try:
    __version__ = version("cpsdk-guangdong")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "Disclosure",
    "DisclosureForm",
    "Filing",
    "FilingForm",
    "Filings",
    "FilingsForm",
    "ProvinceSummaryForm",
    "Summary",
    "SummaryForm",
    "__version__",
]
