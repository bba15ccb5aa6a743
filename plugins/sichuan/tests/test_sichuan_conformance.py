"""cpsdk's conformance suite over the three Sichuan forms."""

from __future__ import annotations

from cpsdk.testing import FormConformance


class TestConformance(FormConformance):
    """Every form of cpsdk-sichuan, for the whole province (the default region) and for a city."""

    plugin = "cpsdk-sichuan"


class TestConformanceForACity(FormConformance):
    plugin = "cpsdk-sichuan"
    build_params = {
        form: {"region": "5103"} for form in ("sichuan.audit-plan", "sichuan.retrofit-plan", "sichuan.annual-report")
    }
