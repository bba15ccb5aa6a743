"""cpsdk's own forms, registered through the plugin system like any province's.

They use the same parts a province's plugin does: they may import ``cpsdk.forms`` and
everything below it.
"""

from __future__ import annotations

from collections.abc import Iterable

from cpsdk.forms._form import Form
from cpsdk.hookspecs import hookimpl
from cpsdk.national.indicators import NationalIndicators
from cpsdk.national.summary import NationalSummary


@hookimpl
def cpsdk_register_forms() -> Iterable[Form]:
    """The national forms."""
    return [NationalIndicators(), NationalSummary()]
