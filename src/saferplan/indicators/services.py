"""Writes for performance data: record observations (one way, used by data returns, the demo and police data)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from saferplan.core.services import stamp
from saferplan.indicators import periods, rules
from saferplan.indicators.models import Commentary, Observation, Target
from saferplan.indicators.periods import Period

MULTIPLIERS = {"percentage": 100.0, "rate_per_1000": 1_000.0, "rate_per_100000": 100_000.0}


def value_from_counts(unit: str, numerator: float, denominator: float) -> float:
    """The indicator's value from its numerator and denominator (a percentage, or a rate per 1,000/100,000)."""
    if denominator <= 0:
        raise ValueError("the denominator must be more than 0")
    return numerator / denominator * MULTIPLIERS[unit]


# Which figure counts (docs/adr/0003-which-figure-counts.md). A partnership may reorder the real origins;
# a synthetic figure is always last, whatever the order says.
DEFAULT_PRECEDENCE = (
    Observation.Origin.PUBLISHED,
    Observation.Origin.RETURN,
    Observation.Origin.CASEWORK,
    Observation.Origin.DERIVED,
    Observation.Origin.POLICE,
    Observation.Origin.SYNTHETIC,
)


def precedence_for(partnership) -> list[str]:
    """The partnership's order of origins, first first: its own order of the real origins (any it leaves
    out follow in the default order), then synthetic."""
    chosen = [o for o in (partnership.figure_precedence or []) if o in Observation.Origin.values]
    real = [o for o in chosen if o != Observation.Origin.SYNTHETIC]
    real += [o for o in DEFAULT_PRECEDENCE if o not in real and o != Observation.Origin.SYNTHETIC]
    return [*real, Observation.Origin.SYNTHETIC]


def headline_order(observation: Observation, ranks: dict[str, int]) -> tuple:
    """How figures for one indicator, area and period are ranked: real before synthetic always; then an
    analyst's choice; then the partnership's order of origins; then the first recorded."""
    return (
        observation.synthetic,
        not observation.headline_chosen,
        ranks.get(observation.origin, len(ranks)),
        observation.created_at,
        observation.pk or 0,
    )


def _choose_headline(
    indicator, area, period_code: str, *, user=None, pending: Observation | None = None
) -> None:
    """Make the best figure of an indicator, area and period its headline (`headline_order`). With `pending`
    (a figure being recorded, stamped but not saved), it is saved here too, so that a new figure is written
    once: one history record per change."""
    others = Observation.objects.filter(indicator=indicator, area=area, period=period_code)
    if pending is not None and pending.pk:
        others = others.exclude(pk=pending.pk)
    candidates = [*others, *([pending] if pending is not None else [])]
    if candidates:
        ranks = {o: n for n, o in enumerate(precedence_for(indicator.partnership))}
        _make_headline(candidates, ranks, user=user, pending=pending)


def _make_headline(candidates: list[Observation], ranks: dict, *, user=None, pending=None) -> bool:
    """Give the headline to the best of the figures of one indicator, area and period, saving only what changes
    (and `pending`, always); return whether the headline moved."""
    best = min(candidates, key=lambda o: headline_order(o, ranks))
    moved = not best.headline
    for other in candidates:  # clear first: one headline per figure is a database constraint
        if other is not pending and other.headline and other is not best:
            other.headline = False
            stamp(other, user=user)
            other.save(update_fields=["headline", "modified_at", "modified_by"])
    if pending is not None:
        pending.headline = pending is best
        pending.save()
    if best is not pending and not best.headline:
        best.headline = True
        stamp(best, user=user)
        best.save(update_fields=["headline", "modified_at", "modified_by"])
    return moved


def figure_of(observation: Observation) -> rules.Figure:
    return rules.Figure(
        observation.indicator_id,
        observation.area_id,
        periods.Period.from_code(observation.period),
        observation.value,
        observation.source,
        observation.synthetic,
        observation.pk,
    )


def checker_for(indicators, areas=None) -> rules.Checker:
    """The rules over every stored figure of these indicators and their relatives (parts and wholes) in these
    areas and their parent and child areas (all areas when `areas` is None)."""
    from saferplan.areas.models import Area
    from saferplan.plans.models import Indicator

    ids = {i.pk for i in indicators}
    partnership_ids = {i.partnership_id for i in indicators}
    all_indicators = {
        i.pk: rules.IndicatorRule.of(i) for i in Indicator.objects.filter(partnership_id__in=partnership_ids)
    }
    related = set(ids)
    related |= {all_indicators[i].part_of for i in ids if i in all_indicators and all_indicators[i].part_of}
    related |= {r.pk for r in all_indicators.values() if r.part_of in ids}
    all_areas = {a.pk: rules.AreaRule(a.pk, a.name, a.parent_id) for a in Area.objects.all()}
    query = Observation.objects.filter(indicator_id__in=related)
    if areas is not None:
        area_ids = {a.pk for a in areas}
        area_ids |= {all_areas[a].parent for a in list(area_ids) if all_areas[a].parent}
        area_ids |= {a.pk for a in all_areas.values() if a.parent in area_ids}
        query = query.filter(area_id__in=area_ids)
    cache: dict[str, periods.Period] = {}
    figures = []
    for pk, ind, area, code, value, source, synthetic in query.values_list(
        "pk", "indicator_id", "area_id", "period", "value", "source", "synthetic"
    ).iterator(chunk_size=5000):
        period = cache.get(code) or cache.setdefault(code, periods.Period.from_code(code))
        figures.append(rules.Figure(ind, area, period, value, source, synthetic, pk))
    return rules.Checker(all_indicators, all_areas, figures)


def figure_problems(observations: list[Observation]) -> list[tuple[Observation, str]]:
    """The rules broken by these stored figures, each with the figure that breaks it."""
    if not observations:
        return []
    checker = checker_for({o.indicator for o in observations}, {o.area for o in observations})
    by_pk = {f.key: f for f in checker.figures}
    return [(o, message) for o in observations for message in checker.problems(by_pk[o.pk])]


def unusual_problem(observation: Observation) -> str:
    """Why a stored figure is far outside its series of headline figures ("" when it is not)."""
    indicator = observation.indicator
    history = [
        rules.Figure(indicator.pk, observation.area_id, periods.Period.from_code(code), value, "", synthetic)
        for code, value, synthetic in Observation.objects.filter(
            indicator=indicator,
            area_id=observation.area_id,
            period_kind=observation.period_kind,
            headline=True,
            synthetic=False,
            period_end__lt=observation.period_start,
        )
        .order_by("-period_end")
        .values_list("period", "value", "synthetic")[: rules.UNUSUAL_WINDOW]
    ]
    return rules.unusual(rules.IndicatorRule.of(indicator), figure_of(observation), history)


class UnusualFigure(ValueError):
    """A partner's figure far outside its series, not confirmed by its provider."""


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
    origin: str | None = None,
    reference: str = "",
    note: str = "",
    data_return=None,
    confirmed_unusual: bool = False,
    check: bool = True,
) -> tuple[Observation, str]:
    """Create or revise the figure from `source` for indicator × area × period.

    Returns the observation and "created", "revised" or "unchanged". A revision keeps the old value in the
    history. The headline of the indicator, area and period is then chosen again (`headline_order`).

    With `check` (the default) the figure must keep every rule of `saferplan.indicators.rules`, or nothing is
    written and `rules.FigureRefused` is raised; a caller recording many figures at once (a data return) passes
    check=False and checks them all together with `figure_problems` before its transaction ends. A partner's
    return far outside its series raises `UnusualFigure` unless `confirmed_unusual`.
    """
    future = rules.future_problem(period, status, date.today())
    if future:
        raise rules.FigureRefused(
            [(rules.Figure(indicator.pk, area.pk, period, float(value), source), future)]
        )
    origin = Observation.Origin.SYNTHETIC if synthetic else (origin or Observation.Origin.RETURN)
    if origin == Observation.Origin.SYNTHETIC:
        synthetic = True
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
        "origin": origin,
        "reference": reference,
        "note": note,
    }
    if existing is not None and all(getattr(existing, k) == v for k, v in values.items()):
        return existing, "unchanged"
    if existing is not None:
        observation, outcome = existing, "revised"
        for k, v in values.items():
            setattr(observation, k, v)
        observation.data_return = data_return
    else:
        observation, outcome = (
            Observation(
                indicator=indicator,
                area=area,
                period=period.code,
                period_start=period.start,
                period_end=period.end,
                period_kind=period.kind.value,
                source=source,
                headline=False,
                data_return=data_return,
                **values,
            ),
            "created",
        )
    observation.confirmed_unusual = confirmed_unusual
    if origin == Observation.Origin.RETURN and not confirmed_unusual:
        reason = unusual_problem(observation)
        if reason:
            raise UnusualFigure(reason)
    stamp(observation, user=user)
    _choose_headline(indicator, area, period.code, user=user, pending=observation)
    if check:  # judged as it leaves the figures; a refusal undoes the whole record
        problems = figure_problems([observation])
        if problems:
            raise rules.FigureRefused([(figure_of(o), message) for o, message in problems])
    return observation, outcome


@transaction.atomic
def observations_add_synthetic(observations: list[Observation], *, partnership) -> int:
    """Add synthetic demo figures in bulk, after checking every rule against every stored figure (a synthetic
    figure must fit the real ones); raise `rules.FigureRefused` and write nothing if any breaks one. A
    synthetic figure is the headline only where no other source gives the figure."""
    from saferplan.plans.models import Indicator

    indicators = list(Indicator.objects.filter(partnership=partnership))
    checker = checker_for(indicators)
    taken = {(f.indicator, f.area, f.period.code) for f in checker.figures}
    new = []
    for o in observations:
        if not o.synthetic or o.origin != Observation.Origin.SYNTHETIC:
            raise ValueError("only synthetic figures are added in bulk")
        o.headline = (o.indicator_id, o.area_id, o.period) not in taken
        taken.add((o.indicator_id, o.area_id, o.period))
        period = periods.Period.from_code(o.period)
        new.append(rules.Figure(o.indicator_id, o.area_id, period, o.value, o.source, True, o))
    checker.add(new)
    problems = [(f, m) for f in new for m in checker.problems(f)]
    if problems:
        raise rules.FigureRefused(problems)
    bulk_create_with_history(observations, Observation, batch_size=1000)
    return len(observations)


@transaction.atomic
def observation_withdraw(*, observation: Observation, reason: str, user=None) -> None:
    """Take a figure back (sent by mistake, for the wrong period): it leaves every page and report, the history
    keeps it with the reason and who withdrew it, and the headline of its period is chosen again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("give the reason for withdrawing the figure")
    indicator, area, period = observation.indicator, observation.area, observation.period
    observation._history_user = user if getattr(user, "is_authenticated", False) else None
    observation._change_reason = reason
    observation.delete()
    _choose_headline(indicator, area, period, user=user)


@transaction.atomic
def observation_make_headline(*, observation: Observation, user=None) -> Observation:
    """Make this source's figure the headline for its indicator, area and period (an analyst's choice). A
    synthetic figure cannot be chosen over a real one."""
    others = list(
        Observation.objects.filter(
            indicator=observation.indicator, area=observation.area, period=observation.period
        ).exclude(pk=observation.pk)
    )
    if observation.synthetic and any(not o.synthetic for o in others):
        raise ValueError("a synthetic demo figure cannot be the headline while a real figure is recorded")
    for other in others:
        if other.headline_chosen:
            other.headline_chosen = False
            stamp(other, user=user)
            other.save(update_fields=["headline_chosen", "modified_at", "modified_by"])
    observation.headline_chosen = True
    stamp(observation, user=user)
    observation.save(update_fields=["headline_chosen", "modified_at", "modified_by"])
    _choose_headline(observation.indicator, observation.area, observation.period, user=user)
    observation.refresh_from_db()
    return observation


@transaction.atomic
def partnership_set_precedence(*, partnership, order: list[str], user=None) -> list[str]:
    """Change which kind of figure is the headline, then choose every headline of the partnership again.
    `order` lists origins, first first; synthetic always comes last."""
    unknown = [o for o in order if o not in Observation.Origin.values]
    if unknown:
        raise ValueError(
            f"unknown kind of figure {unknown[0]!r}; expected some of {', '.join(Observation.Origin.values)}"
        )
    if Observation.Origin.SYNTHETIC in order and order[-1] != Observation.Origin.SYNTHETIC:
        raise ValueError("a synthetic figure can never come before a real one")
    partnership.figure_precedence = [o for o in order if o != Observation.Origin.SYNTHETIC]
    stamp(partnership, user=user)
    partnership.save()
    headlines_choose_again(partnership=partnership, user=user)
    return precedence_for(partnership)


def headlines_choose_again(*, partnership, user=None) -> int:
    """Choose the headline of every figure of the partnership again (after its precedence changed); return
    how many changed."""
    ranks = {o: n for n, o in enumerate(precedence_for(partnership))}
    groups: dict[tuple, list[Observation]] = {}
    for o in Observation.objects.filter(indicator__partnership=partnership).only(
        "pk",
        "indicator_id",
        "area_id",
        "period",
        "synthetic",
        "headline_chosen",
        "origin",
        "created_at",
        "headline",
    ):
        groups.setdefault((o.indicator_id, o.area_id, o.period), []).append(o)
    return sum(_make_headline(c, ranks, user=user) for c in groups.values() if len(c) > 1)


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
