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
from typing import TYPE_CHECKING, Any

from cpsdk.model._vocabulary import Metric
from cpsdk.store._records import VECTOR_FROM

if TYPE_CHECKING:
    from cpsdk.store._records import Records

#: Where the conversion factors come from, for a form's notes.
STANDARD_COAL_SOURCE = "GB/T 2589-2008《综合能耗计算通则》附录A"
#: Tonnes of standard coal per unit of each metric converted (kWh, tonnes of raw coal), with the factor
#: as the standard prints it.
STANDARD_COAL_FACTORS: Mapping[Metric, tuple[Decimal, str]] = {
    Metric.ELECTRICITY: (Decimal("0.0001229"), "电力（当量值）0.1229 kgce/kWh"),
    Metric.COAL: (Decimal("0.7143"), "原煤 0.7143 kgce/kg"),
}

#: The metrics a proposal's energy saved is counted from: the energy it records, and those converted.
ENERGY_METRICS: frozenset[Metric] = frozenset({Metric.ENERGY, *STANDARD_COAL_FACTORS})

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
    return _rounded(sum(converted, Decimal(0)))


def energy_saved_by(effects: Records[Any]) -> dict[str, Decimal]:
    """The energy each proposal saves a year, in tce, by proposal id: :func:`energy_saved` of the amounts of its
    ``effects`` (records of :class:`cpsdk.Effect`) summed by metric, for every proposal among them with an effect
    of :data:`ENERGY_METRICS`.

    Made from the effects' columns, a metric at a time (the records are not made into objects): what a form
    needs to count each proposal's energy once over a whole country's effects. The proposals whose energy is
    converted come first, then those that record it.
    """
    counted = effects.where("metric", ENERGY_METRICS.__contains__)
    if len(counted) >= VECTOR_FROM:
        found = _energy_from_numpy(counted)
        if found is not None:
            return found
    saved = counted.where("metric", Metric.ENERGY.__eq__).sums("amount", "proposal")
    # The sums are changed in place, one dictionary at a time: a country's proposals are a million Decimals.
    converted: dict[str, Decimal] = {}
    for metric, (factor, _) in STANDARD_COAL_FACTORS.items():  # in the order energy_saved adds them
        summed = counted.where("metric", metric.__eq__).sums("amount", "proposal")
        for proposal in summed.keys() & saved.keys():  # the energy a proposal records is its total
            del summed[proposal]
        if not converted:
            converted = summed
            for proposal, amount in converted.items():
                converted[proposal] = Decimal(0) + amount * factor  # (energy_saved's sum starts from 0)
            continue
        for proposal, amount in summed.items():
            product = amount * factor
            converted[proposal] = converted[proposal] + product if proposal in converted else Decimal(0) + product
    for proposal, total in converted.items():
        converted[proposal] = _rounded(total)
    converted.update(saved)  # (the smaller one added to the larger)
    return converted


def total_energy_saved(effects: Records[Any]) -> Decimal:
    """The energy all the proposals of ``effects`` save a year, in tce: what ``sum(filter(None,
    energy_saved_by(effects).values()), Decimal(0))`` gives (a zero saving adds nothing, not even its places),
    without a ``Decimal`` per proposal for a large collection."""
    counted = effects.where("metric", ENERGY_METRICS.__contains__)
    if len(counted) >= VECTOR_FROM:
        found = _energy_in_numpy(counted)
        if found is not None:
            from cpsdk.store import _vector

            _, (_, converted, _), places, (_, saved, saved_places) = found
            summed = _vector.total([(converted, places), (saved, saved_places)])
            if summed is not None:
                return summed
    return sum(filter(None, energy_saved_by(effects).values()), Decimal(0))


def _energy_from_numpy(counted: Records[Any]) -> dict[str, Decimal] | None:
    """:func:`energy_saved_by` of effects of the energy metrics by :func:`_energy_in_numpy`."""
    from cpsdk.store import _vector

    found = _energy_in_numpy(counted)
    if found is None:
        return None
    proposals, (numbers, converted, negative), places, (saved_met, saved, saved_places) = found
    result = dict(
        zip(
            map(proposals.__getitem__, numbers.tolist()),
            _vector.signed_decimals(converted, negative, places),
            strict=True,
        )
    )
    result.update(
        zip(map(proposals.__getitem__, saved_met.tolist()), _vector.decimals(saved, saved_places), strict=True)
    )
    return result


def _energy_in_numpy(counted: Records[Any]) -> tuple[list[str], Any, int, Any] | None:
    """The energy of effects of the energy metrics, each metric summed by proposal and converted in whole numbers
    (NumPy): the proposals' ids by number; the numbers of those converted, their energy rounded, as whole numbers
    of the last place, and whether each is negative; those places; the numbers of those that record their energy,
    their totals and places. None when the amounts cannot be held so (then the ``Decimal`` way is taken)."""
    from cpsdk.store import _vector

    metrics = (Metric.ENERGY, *STANDARD_COAL_FACTORS)
    by_metric = [counted.where("metric", metric.__eq__)._exact_totals("amount", "proposal") for metric in metrics]
    sums = [found for found in by_metric if found is not None]
    if len(sums) != len(by_metric) or any(found[0] is not sums[0][0] for found in sums):
        return None  # (an amount not held as a whole number, or a view with no shared proposal numbers)
    (proposals, *saved), *converted = sums
    factors = [
        (tuple(sums[1:]), *_whole(factor))
        for sums, (factor, _) in zip(converted, STANDARD_COAL_FACTORS.values(), strict=True)
    ]
    places = _whole(CONVERTED_PRECISION)[1]
    found = _vector.converted_energy(len(proposals), factors, saved[0], places)
    if found is None:
        return None
    return proposals, found, places, tuple(saved)


def _whole(factor: Decimal) -> tuple[int, int]:
    """A finite ``factor`` as a whole number and its places: ``whole / 10**places``."""
    _, digits, exponent = factor.as_tuple()
    assert isinstance(exponent, int)
    return int("".join(map(str, digits))) * 10 ** max(0, exponent), max(0, -exponent)


def _rounded(total: Decimal) -> Decimal:
    """A proposal's converted energy: to 0.001 tce, unless too large to round."""
    if total.adjusted() > _MOST_ROUNDED:  # too large to give to 0.001 in the context's digits: kept as it is
        return total
    return total.quantize(CONVERTED_PRECISION, rounding=ROUND_HALF_UP)
