"""cpsdk's conformance suite over the four Shandong forms."""

from __future__ import annotations

from cpsdk.testing import FormConformance


class TestConformance(FormConformance):
    plugin = "cpsdk-shandong"


class TestConformanceForACity(FormConformance):
    plugin = "cpsdk-shandong"
    build_params = {
        "shandong.statistics": {"region": "3702", "start_year": 2016, "decimals": 1, "basis": "discharge"},
        "shandong.plan-progress": {"region": "3703", "standards": 3, "technologies": 41},
        "shandong.certificate": {"min_mid_high_rate": 50, "require_acceptance": "false"},
    }
