"""Energy saved, in tonnes of standard coal (吨标准煤), each saving counted once.

A form's 节能（吨标准煤 / 万吨标煤） is the total energy a proposal saves: what it records as energy
(:attr:`Metric.ENERGY`, already in tce), or else the electricity and raw coal it saves converted
with the factors of GB/T 2589-2008《综合能耗计算通则》附录A — electricity at its equivalent value
(当量值) 0.1229 kgce/kWh, raw coal 0.7143 kgce/kg.

A proposal that records both its energy saving and the electricity or coal behind it is counted
once: the energy it records is taken as its total (an enterprise's 节能量 already includes the
electricity and coal it converts), and its electricity and coal are not added again. Forms that
print 节电 and 节煤 in their own columns (Shandong's statistics) keep them as recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from cpsdk.model._vocabulary import Metric

#: Where the conversion factors come from, for a form's notes.
STANDARD_COAL_SOURCE = "GB/T 2589-2008《综合能耗计算通则》附录A"
#: Tonnes of standard coal per unit of each metric converted (kWh, tonnes of raw coal), with the factor
#: as the standard prints it.
STANDARD_COAL_FACTORS: Mapping[Metric, tuple[Decimal, str]] = {
    Metric.ELECTRICITY: (Decimal("0.0001229"), "电力（当量值）0.1229 kgce/kWh"),
    Metric.COAL: (Decimal("0.7143"), "原煤 0.7143 kgce/kg"),
}


def energy_saved(amounts: Mapping[Metric, Decimal]) -> Decimal | None:
    """The energy one proposal saves a year, in tce, from its yearly effects summed by metric (each in
    the metric's unit): its :attr:`Metric.ENERGY` when it records one, else its electricity and raw
    coal converted to standard coal. None when it records none of them."""
    if Metric.ENERGY in amounts:
        return amounts[Metric.ENERGY]
    converted = [amounts[metric] * factor for metric, (factor, _) in STANDARD_COAL_FACTORS.items() if metric in amounts]
    return sum(converted, Decimal(0)) if converted else None
