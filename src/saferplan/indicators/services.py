"""Writes for performance data: record observations (one way, used by data returns, the demo and police data)."""

from __future__ import annotations

from django.db import transaction

from saferplan.core.services import stamp
from saferplan.indicators.models import Commentary, Observation, Target
from saferplan.indicators.periods import Period

MULTIPLIERS = {"percentage": 100.0, "rate_per_1000": 1_000.0, "rate_per_100000": 100_000.0}


def value_from_counts(unit: str, numerator: float, denominator: float) -> float:
    """The indicator's value from its numerator and denominator (a percentage, or a rate per 1,000/100,000)."""
    if denominator <= 0:
        raise ValueError("the denominator must be more than 0")
    return numerator / denominator * MULTIPLIERS[unit]


@transaction.atomic
def observation_record(
    *,
    indicator,
    area,
    period: Period,
    value: float,
    source: str,
    user=None,
    numerator: float | None = None,
    denominator: float | None = None,
    lower: float | None = None,
    upper: float | None = None,
    method: str = "",
    status: str = Observation.Status.FINAL,
    synthetic: bool = False,
    reference: str = "",
    data_return=None,
) -> tuple[Observation, str]:
    """Create or revise the figure from `source` for indicator × area × period.

    Returns the observation and "created", "revised" or "unchanged". A revision keeps the old value in the
    history. The first source recorded for a figure is its headline; later sources sit beside it.
    """
    existing = Observation.objects.filter(
        indicator=indicator, area=area, period=period.code, source=source
    ).first()
    values = {
        "value": float(value),
        "numerator": numerator,
        "denominator": denominator,
        "lower": lower,
        "upper": upper,
        "method": method,
        "status": status,
        "synthetic": synthetic,
        "reference": reference,
    }
    if existing is not None:
        if all(getattr(existing, k) == v for k, v in values.items()):
            return existing, "unchanged"
        for k, v in values.items():
            setattr(existing, k, v)
        existing.data_return = data_return
        stamp(existing, user=user)
        existing.save()
        return existing, "revised"
    has_headline = Observation.objects.filter(
        indicator=indicator, area=area, period=period.code, headline=True
    ).exists()
    observation = Observation(
        indicator=indicator,
        area=area,
        period=period.code,
        period_start=period.start,
        period_end=period.end,
        period_kind=period.kind.value,
        source=source,
        headline=not has_headline,
        data_return=data_return,
        **values,
    )
    stamp(observation, user=user)
    observation.save()
    return observation, "created"


@transaction.atomic
def observation_make_headline(*, observation: Observation, user=None) -> Observation:
    """Make this source's figure the headline for its indicator, area and period."""
    others = Observation.objects.filter(
        indicator=observation.indicator, area=observation.area, period=observation.period, headline=True
    ).exclude(pk=observation.pk)
    for other in others:
        other.headline = False
        stamp(other, user=user)
        other.save()
    observation.headline = True
    stamp(observation, user=user)
    observation.save()
    return observation


@transaction.atomic
def commentary_record(*, indicator, area, period: Period, text: str, user=None) -> Commentary | None:
    """Set the commentary for a period; blank text removes it."""
    existing = Commentary.objects.filter(indicator=indicator, area=area, period=period.code).first()
    if not text.strip():
        if existing:
            existing.delete()
        return None
    commentary = existing or Commentary(indicator=indicator, area=area, period=period.code)
    if commentary.text == text.strip():
        return commentary
    commentary.text = text.strip()
    stamp(commentary, user=user)
    commentary.save()
    return commentary


@transaction.atomic
def target_set(
    *,
    indicator,
    area,
    value: float,
    user=None,
    period: Period | None = None,
    start: Period | None = None,
    due: Period | None = None,
    reference: str = "",
) -> Target:
    """Set the target for a period, or a cumulative target from `start` to `due` (replacing the same one)."""
    if period is not None:
        target = Target.objects.filter(
            indicator=indicator, area=area, cumulative=False, period=period.code
        ).first()
        target = target or Target(indicator=indicator, area=area, cumulative=False, period=period.code)
    else:
        target = Target.objects.filter(
            indicator=indicator, area=area, cumulative=True, start_period=start.code, due_period=due.code
        ).first() or Target(
            indicator=indicator, area=area, cumulative=True, start_period=start.code, due_period=due.code
        )
    target.value = value
    target.reference = reference
    stamp(target, user=user)
    target.save()
    return target
