"""cpsdk's conformance suite over the Guangdong forms, in both scripts."""

from __future__ import annotations

from cpsdk.testing import FormConformance

FORMS = (
    "guangdong.filing",
    "guangdong.filings",
    "guangdong.city-summary",
    "guangdong.province-summary",
    "guangdong.disclosure",
)


class TestConformance(FormConformance):
    plugin = "cpsdk-guangdong"


class TestConformanceInTraditionalScript(FormConformance):
    plugin = "cpsdk-guangdong"
    build_params = {form: {"script": "hant"} for form in FORMS}
