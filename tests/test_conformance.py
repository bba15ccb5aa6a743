"""cpsdk's own forms pass the conformance suite it gives plugins."""

from __future__ import annotations

from cpsdk.testing import FormConformance


class TestNationalForms(FormConformance):
    plugin = "cpsdk"
