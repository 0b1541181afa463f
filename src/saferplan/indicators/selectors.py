"""Reads for performance data: headline series, targets, benchmarks, and assessments of a plan's indicators."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Max

from saferplan.areas.models import Area
from saferplan.indicators import periods
from saferplan.indicators.assessment import Assessment, IndicatorInfo, Point, TargetInfo, assess, spc_series
from saferplan.indicators.models import Commentary, Observation, Target
from saferplan.plans.models import Indicator, Objective, Plan

SERIES_FIELDS = (
    "indicator_id",
    "area_id",
    "period",
    "value",
    "numerator",
    "denominator",
    "lower",
    "upper",
    "synthetic",
)


def indicator_info(indicator: Indicator) -> IndicatorInfo:
    baseline = ""
    if indicator.baseline_period:
        try:
            baseline = periods.parse(indicator.baseline_period, basis=indicator.period_basis).code
        except ValueError:
            baseline = ""
    return IndicatorInfo(
        unit=indicator.unit,
        polarity=indicator.polarity,
        frequency=indicator.frequency,
        period_basis=indicator.period_basis,
        rag_tolerance=indicator.rag_tolerance,
        baseline_period=baseline,
    )


class PeriodCache(dict):
    """Period objects by code, built once each (a series repeats the same few hundred codes)."""

    def __missing__(self, code: str) -> periods.Period:
        period = periods.Period.from_code(code)
        self[code] = period
        return period


def headline_series(indicator_ids, area_ids) -> dict[tuple[int, int], list[Point]]:
    """{(indicator id, area id): headline points in period order}, in one query."""
    cache = PeriodCache()
    result: dict[tuple[int, int], list[Point]] = {}
    rows = (
        Observation.objects.filter(
            indicator_id__in=list(indicator_ids), area_id__in=list(area_ids), headline=True
        )
        .order_by("period_start", "period_end")
        .values_list(*SERIES_FIELDS)
    )
    for ind, area, code, value, num, den, low, up, synthetic in rows.iterator(chunk_size=5000):
        result.setdefault((ind, area), []).append(Point(cache[code], value, num, den, low, up, synthetic))
    return result


def targets_by_indicator(indicator_ids, area_ids) -> dict[tuple[int, int], list[TargetInfo]]:
    cache = PeriodCache()
    result: dict[tuple[int, int], list[TargetInfo]] = {}
    for t in Target.objects.filter(indicator_id__in=list(indicator_ids), area_id__in=list(area_ids)):
        info = TargetInfo(
            value=t.value,
            period=t.period,
            cumulative=t.cumulative,
            start=cache[t.start_period] if t.start_period else None,
            due=cache[t.due_period] if t.due_period else None,
        )
        result.setdefault((t.indicator_id, t.area_id), []).append(info)
    return result


def period_for_indicator(indicator: Indicator, selected: periods.Period) -> periods.Period:
    """The indicator's own period to show when the Board looks at `selected` (a quarter or a year)."""
    if indicator.frequency == "annual" or (
        indicator.frequency == "quarterly" and selected.kind == periods.Kind.MONTH
    ):
        options = periods.periods_for(
            indicator.frequency, indicator.period_basis, date(1990, 1, 1), selected.end
        )
        return options[-1] if options else selected
    if indicator.period_basis == "calendar" and selected.kind == periods.Kind.FINANCIAL_YEAR:
        return periods.Period.rolling_12(selected.end.year, selected.end.month)
    return selected


def benchmark_areas() -> list[Area]:
    return list(Area.objects.filter(kind=Area.Kind.BENCHMARK).order_by("order", "name"))


@dataclass
class Row:
    indicator: Indicator
    period: periods.Period
    assessment: Assessment
    series: list[Point] = field(default_factory=list)  # the SPC chart's points


@dataclass
class Section:
    title: str
    objective: Objective | None
    rows: list[Row] = field(default_factory=list)


def assess_indicators(indicators: list[Indicator], area: Area, selected: periods.Period) -> dict[int, Row]:
    """Assess each indicator for the area at the period matching `selected`, with a fixed number of queries."""
    benches = benchmark_areas()
    ids = [i.pk for i in indicators]
    series = headline_series(ids, [area.pk, *(b.pk for b in benches)])
    targets = targets_by_indicator(ids, [area.pk])
    rows = {}
    for indicator in indicators:
        period = period_for_indicator(indicator, selected)
        points = series.get((indicator.pk, area.pk), [])
        bench_points = {}
        for b in benches:
            match = [p for p in series.get((indicator.pk, b.pk), []) if p.period.code == period.code]
            if match:
                bench_points[b.name] = match[0]
        assessment = assess(
            indicator_info(indicator),
            points,
            period,
            targets=targets.get((indicator.pk, area.pk), []),
            benchmarks=bench_points,
        )
        rows[indicator.pk] = Row(indicator, period, assessment, spc_series(points, period))
    return rows


def performance_overview(
    plan: Plan, *, area: Area, selected: periods.Period, group_id: int | None = None
) -> list[Section]:
    """Every live indicator of the plan, grouped by objective, then the key crime and other indicators."""
    objectives = list(plan.objectives.live().order_by("number").prefetch_related("group_roles"))
    if group_id:
        objectives = [o for o in objectives if any(r.group_id == group_id for r in o.group_roles.all())]
    indicators = list(
        plan.partnership.indicators.live()
        .select_related("source")
        .prefetch_related("objectives")
        .order_by("order")
    )
    rows = assess_indicators(indicators, area, selected)
    sections = []
    placed = set()
    for objective in objectives:
        section = Section(f"Objective {objective.number}: {objective.title}", objective)
        for indicator in indicators:
            if any(o.pk == objective.pk for o in indicator.objectives.all()):
                section.rows.append(rows[indicator.pk])
                placed.add(indicator.pk)
        sections.append(section)
    if not group_id:
        key = Section(
            "Key crime indicators",
            None,
            [rows[i.pk] for i in indicators if i.key_crime and i.pk not in placed],
        )
        other = Section(
            "Other measures", None, [rows[i.pk] for i in indicators if i.pk not in placed and not i.key_crime]
        )
        sections += [s for s in (key, other) if s.rows]
    return sections


def reporting_periods(plan: Plan, area: Area) -> list[periods.Period]:
    """Quarters and financial years that have data for the area, newest first (for the period filter)."""
    last = Observation.objects.filter(indicator__partnership=plan.partnership, area=area).aggregate(
        m=Max("period_end")
    )["m"]
    if last is None:
        return []
    first = date(plan.start_year - 3, 4, 1)
    quarters = periods.periods_for("quarterly", "financial", first, last)
    years = periods.periods_for("annual", "financial", first, last)
    return sorted([*quarters, *years], key=lambda p: (p.end, p.month_count), reverse=True)


def default_period(plan: Plan, area: Area) -> periods.Period | None:
    options = [p for p in reporting_periods(plan, area) if p.kind == periods.Kind.QUARTER]
    return options[0] if options else None


def commentaries(indicator: Indicator, area: Area) -> list[tuple[periods.Period, Commentary]]:
    cache = PeriodCache()
    items = Commentary.objects.filter(indicator=indicator, area=area).select_related("modified_by")
    return sorted(((cache[c.period], c) for c in items), key=lambda pc: pc[0].end, reverse=True)


def observations_table(indicator: Indicator, area: Area) -> list[tuple[Observation, float | None]]:
    """Every figure for the indicator and area, every source, newest period first, each with its difference
    from the headline figure of the same period (None for the headline itself)."""
    observations = list(
        Observation.objects.filter(indicator=indicator, area=area).order_by(
            "-period_end", "-period_start", "-headline", "source"
        )
    )
    headline = {o.period: o.value for o in observations if o.headline}
    return [
        (o, None if o.headline or o.period not in headline else o.value - headline[o.period])
        for o in observations
    ]


def revisions_since(partnership, since: date | datetime) -> list[dict]:
    """Figures revised since a date (that day included) or a moment (after it): the old and new values, who
    and when (from the history)."""
    History = Observation.history.model
    when = {"history_date__gt": since} if isinstance(since, datetime) else {"history_date__date__gte": since}
    changes = (
        History.objects.filter(history_type="~", indicator__partnership=partnership, **when)
        .select_related("history_user")
        .order_by("-history_date")[:500]
    )
    changes = list(changes)
    # The value before each change, from one query over those observations' history (not one query a row).
    earlier: dict[int, list[tuple]] = {}
    for obs_id, history_id, value in (
        History.objects.filter(id__in={c.id for c in changes})
        .order_by("id", "history_date", "history_id")
        .values_list("id", "history_id", "value")
    ):
        earlier.setdefault(obs_id, []).append((history_id, value))
    result = []
    cache = PeriodCache()
    indicators = {i.pk: i for i in Indicator.objects.filter(partnership=partnership)}
    areas = {a.pk: a for a in Area.objects.all()}
    for record in changes:
        versions = earlier.get(record.id, [])
        position = next((n for n, (hid, _) in enumerate(versions) if hid == record.history_id), 0)
        previous = versions[position - 1][1] if position > 0 else None
        if previous is None or previous == record.value:
            continue
        result.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "indicator": indicators.get(record.indicator_id),
                "area": areas.get(record.area_id),
                "period": cache[record.period],
                "source": record.source,
                "old": previous,
                "new": record.value,
            }
        )
    return result
