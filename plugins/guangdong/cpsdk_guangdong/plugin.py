"""The hooks Guangdong implements: its forms, and the key-industry tags it adds."""

from __future__ import annotations

from collections.abc import Iterable

from cpsdk import Form, hookimpl
from cpsdk.codes import KeyIndustry
from cpsdk_guangdong.disclosure import DisclosureForm
from cpsdk_guangdong.filing import FilingForm, FilingsForm
from cpsdk_guangdong.keys import REGISTERED
from cpsdk_guangdong.summary import ProvinceSummaryForm, SummaryForm


@hookimpl
def cpsdk_register_forms() -> Iterable[Form]:
    """Filing record and list, city and provincial summaries, public disclosure."""
    return [FilingForm(), FilingsForm(), SummaryForm(), ProvinceSummaryForm(), DisclosureForm()]


@hookimpl
def cpsdk_register_key_industries() -> Iterable[KeyIndustry]:
    """Guangdong's key industries that the MIIT list does not have (石化, 焦化, 多晶硅, …)."""
    return REGISTERED
