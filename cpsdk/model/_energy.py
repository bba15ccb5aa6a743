"""Energy saved, in tonnes of standard coal (吨标准煤), each saving counted once.

A form's 节能（吨标准煤 / 万吨标煤） is the total energy a proposal saves: what it records as energy
(:attr:`Metric.ENERGY`, already in tce), or else the electricity and raw coal it saves converted
with the factors of GB/T 2589-2008《综合能耗计算通则》附录A — electricity at its equivalent value
(当量值) 0.1229 kgce/kWh, raw coal 0.7143 kgce/kg.

A proposal that records both its energy saving and the electricity or coal behind it is counted
once: the energy it records is taken as its total (an enterprise's 节能量 already includes the
electricity and coal it converts), and its electricity and coal are not added again. Forms that
print 节电 and 节煤 in their own columns (Shandong's statistics) keep them as recorded.

Converted energy is rounded to 0.001 tce (1 kgce, half up), the precision of the factors (four significant
digits): the exact product carries seven more decimal places than the kWh it converts, and a country's sum of
such products has more significant digits than a spreadsheet cell holds (Excel keeps 15), so a form could not
print it exactly. Energy a proposal records is kept as recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from cpsdk.model._vocabulary import Metric

#: Where the conversion factors come from, for a form's notes.
STANDARD_COAL_SOURCE = "GB/T 2589-2008《综合能耗计算通则》附录A"
#: Tonnes of standard coal per unit of each metric converted (kWh, tonnes of raw coal), with the factor
#: as the standard prints it.
STANDARD_COAL_FACTORS: Mapping[Metric, tuple[Decimal, str]] = {
    Metric.ELECTRICITY: (Decimal("0.0001229"), "电力（当量值）0.1229 kgce/kWh"),
    Metric.COAL: (Decimal("0.7143"), "原煤 0.7143 kgce/kg"),
}


#: Energy converted from electricity and coal is given to this precision, in tce (1 kgce).
CONVERTED_PRECISION = Decimal("0.001")
#: The largest power of ten a converted amount can have and be rounded to 0.001 within the default context's 28
#: digits.
_MOST_ROUNDED = 20


def energy_saved(amounts: Mapping[Metric, Decimal]) -> Decimal | None:
    """The energy one proposal saves a year, in tce, from its yearly effects summed by metric (each in
    the metric's unit): its :attr:`Metric.ENERGY` when it records one, else its electricity and raw
    coal converted to standard coal, rounded to 0.001 tce (see the module). None when it records none of them."""
    if Metric.ENERGY in amounts:
        return amounts[Metric.ENERGY]
    converted = [amounts[metric] * factor for metric, (factor, _) in STANDARD_COAL_FACTORS.items() if metric in amounts]
    if not converted:
        return None
    total = sum(converted, Decimal(0))
    if total.adjusted() > _MOST_ROUNDED:  # too large to give to 0.001 in the context's digits: kept as it is
        return total
    return total.quantize(CONVERTED_PRECISION, rounding=ROUND_HALF_UP)
