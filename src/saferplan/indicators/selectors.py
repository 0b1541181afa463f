"""Reads for performance data: headline series, targets, benchmarks, and assessments of a plan's indicators;
the other sources' figures beside the headline, and figures over spans."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Exists, Max, OuterRef

from saferplan.areas.models import Area
from saferplan.core.formatting import figure
from saferplan.indicators import periods
from saferplan.indicators.assessment import (
    SIGNIFICANCE_WORDS,
    TARGET_WORDS,
    Assessment,
    Change,
    IndicatorInfo,
    Point,
    TargetInfo,
    Travel,
    assess,
    point_for,
    significance,
    span_comparison,
    spc_series,
    target_status,
    travel,
)
from saferplan.indicators.models import Commentary, Observation, Target
from saferplan.plans.models import BasketIndicator, Indicator, Objective, Plan

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
    "origin",
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


def origin_label(origin: str) -> str:
    """How pages and papers name a kind of figure: "Police open data", "Partner's return"."""
    if origin == "mixed":
        return "Added up from figures of several kinds"
    try:
        return Observation.Origin(origin).label
    except ValueError:
        return origin


def headline_series(indicator_ids, area_ids) -> dict[tuple[int, int], list[Point]]:
    """{(indicator id, area id): headline points in period order}, in one query. Figures over spans are left
    out: they are shown on their own (`span_figures`), never in a series."""
    cache = PeriodCache()
    result: dict[tuple[int, int], list[Point]] = {}
    rows = (
        Observation.objects.filter(
            indicator_id__in=list(indicator_ids), area_id__in=list(area_ids), headline=True
        )
        .exclude(period_kind=periods.Kind.SPAN.value)
        .order_by("period_start", "period_end")
        .values_list(*SERIES_FIELDS)
    )
    for ind, area, code, value, num, den, low, up, synthetic, origin in rows.iterator(chunk_size=5000):
        result.setdefault((ind, area), []).append(
            Point(cache[code], value, num, den, low, up, synthetic, origin)
        )
    return result


@dataclass(frozen=True)
class OtherSource:
    """A figure from another source that differs from the headline figure of the same indicator, area and
    period."""

    indicator_id: int
    area_id: int
    period: periods.Period
    source: str
    origin: str
    value: float
    synthetic: bool
    note: str
    reference: str
    headline_source: str
    headline_value: float

    @property
    def origin_label(self) -> str:
        return origin_label(self.origin)

    @property
    def who(self) -> str:
        """The source as a sentence names it: "Police open data"; "Durham Constabulary (partner's return)";
        "Synthetic demo data"."""
        if self.synthetic:
            if "synthetic" in self.source.casefold():
                return "Synthetic demo data"
            return f"{self.source} (synthetic demo data)"
        label = self.origin_label
        if self.source.casefold() in label.casefold():
            return label
        return f"{self.source} ({label[:1].lower()}{label[1:]})"

    def sentence(self, unit: str = "count", *, headline: bool = True) -> str:
        """E.g. "Police open data gives 2,652 for Mar 2016 (the headline is 2,700, from Durham Constabulary)";
        without the headline (for a cell beside it) "Police open data gives 2,652 for Mar 2016"."""
        text = f"{self.who} gives {figure(self.value, unit)} for {self.period.label}"
        if headline:
            text += f" (the headline is {figure(self.headline_value, unit)}, from {self.headline_source})"
        return text


OTHER_FIELDS = (
    "indicator_id",
    "area_id",
    "period",
    "source",
    "origin",
    "value",
    "synthetic",
    "note",
    "reference",
    "headline",
)


def _differing(rows, cache: PeriodCache) -> list[OtherSource]:
    """The figures of `rows` (OTHER_FIELDS) that differ from their period's headline."""
    groups: dict[tuple, list[tuple]] = {}
    for row in rows:
        groups.setdefault(row[:3], []).append(row)
    result = []
    for (ind, area, code), figures in groups.items():
        headline = next((f for f in figures if f[9]), None)
        if headline is None or len(figures) < 2:
            continue
        for f in figures:
            if f is headline or math.isclose(f[5], headline[5], rel_tol=1e-9, abs_tol=1e-9):
                continue
            result.append(
                OtherSource(
                    ind, area, cache[code], f[3], f[4], f[5], f[6], f[7], f[8], headline[3], headline[5]
                )
            )
    result.sort(key=lambda o: (o.period.end, o.period.start, o.source))
    return result


def other_sources(
    indicator_ids,
    area_ids,
    *,
    within: dict[int, periods.Period] | None = None,
    synthetic: bool = True,
) -> dict[tuple[int, int], list[OtherSource]]:
    """{(indicator id, area id): the other sources' figures that differ from the headline}, oldest period first,
    in one query. With `within` ({indicator id: period}), only figures for that period or a period inside it
    (the months of a quarter); with synthetic=False, no synthetic figures (a synthetic figure beside a real
    headline adds nothing a Board needs)."""
    query = Observation.objects.filter(indicator_id__in=list(indicator_ids), area_id__in=list(area_ids))
    if within is not None:
        if not within:
            return {}
        query = query.filter(
            indicator_id__in=list(within),
            period_start__gte=min(p.start for p in within.values()),
            period_end__lte=max(p.end for p in within.values()),
        )
    if not synthetic:
        query = query.filter(synthetic=False)
    query = query.filter(
        Exists(
            Observation.objects.filter(
                indicator_id=OuterRef("indicator_id"),
                area_id=OuterRef("area_id"),
                period=OuterRef("period"),
                headline=False,
                **({} if synthetic else {"synthetic": False}),
            )
        )
    )
    cache = PeriodCache()
    result: dict[tuple[int, int], list[OtherSource]] = {}
    for other in _differing(query.values_list(*OTHER_FIELDS), cache):
        if within is not None and not within[other.indicator_id].contains(other.period):
            continue
        result.setdefault((other.indicator_id, other.area_id), []).append(other)
    return result


def others_among(observations: list[Observation]) -> list[OtherSource]:
    """The figures among stored observations (e.g. `observations_table`'s) that differ from their period's
    headline, without reading them again."""
    return _differing([tuple(getattr(o, f) for f in OTHER_FIELDS) for o in observations], PeriodCache())


@dataclass
class SpanFigure:
    """A figure over a span (Jan 2010 – Mar 2015), with the figure over the same span a year earlier, the only
    figure it is compared with."""

    observation: Observation  # the headline figure over the span
    period: periods.Period
    earlier: Observation | None = None
    change: Change | None = None
    others: list[OtherSource] = field(default_factory=list)  # other sources that differ

    @property
    def origin_label(self) -> str:
        return origin_label(self.observation.origin)


def span_figures(indicator_ids, area_ids) -> dict[tuple[int, int], list[SpanFigure]]:
    """{(indicator id, area id): its figures over spans, newest first}, each with its comparison with the same
    span a year earlier; in one query."""
    rows = list(
        Observation.objects.filter(
            indicator_id__in=list(indicator_ids),
            area_id__in=list(area_ids),
            period_kind=periods.Kind.SPAN.value,
        ).order_by("period_end", "period_start", "source")
    )
    cache = PeriodCache()
    others: dict[tuple, list[OtherSource]] = {}
    for other in others_among(rows):
        others.setdefault((other.indicator_id, other.area_id, other.period.code), []).append(other)
    headlines: dict[tuple[int, int], list[Observation]] = {}
    for o in rows:
        if o.headline:
            headlines.setdefault((o.indicator_id, o.area_id), []).append(o)
    result: dict[tuple[int, int], list[SpanFigure]] = {}
    for key, observations in headlines.items():
        by_code = {o.period: o for o in observations}
        points = [
            Point(cache[o.period], o.value, synthetic=o.synthetic, origin=o.origin) for o in observations
        ]
        figures = []
        for o in observations:
            period = cache[o.period]
            _, earlier, change = span_comparison(points, period)
            figures.append(
                SpanFigure(
                    o,
                    period,
                    by_code.get(earlier.period.code) if earlier else None,
                    change,
                    others.get((*key, o.period), []),
                )
            )
        result[key] = sorted(figures, key=lambda f: (f.period.end, f.period.start), reverse=True)
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
    others: list[OtherSource] = field(default_factory=list)  # other sources that differ, in the period
    glance: Glance | None = None  # the scorecard's status at a glance (`scorecard`)

    @property
    def origin_label(self) -> str:
        return origin_label(self.assessment.origin) if self.assessment.origin else ""

    @property
    def other_summary(self) -> list[str]:
        """For a page's cell beside the headline: up to three other real sources that differ, then how many
        more (synthetic alternatives are on the indicator's page)."""
        return self.other_lines(headline=False)

    def other_lines(self, *, limit: int = 3, synthetic: bool = False, headline: bool = True) -> list[str]:
        return other_lines(
            [o for o in self.others if synthetic or not o.synthetic],
            self.indicator.unit,
            limit=limit,
            headline=headline,
        )


def other_lines(others: list[OtherSource], unit: str, *, limit: int = 3, headline: bool = True) -> list[str]:
    """A sentence for each other source that differs from the headline, newest first, at most `limit` and
    then how many more."""
    newest = list(reversed(others))
    lines = [o.sentence(unit, headline=headline) for o in newest[:limit]]
    if len(newest) > limit:
        more = len(newest) - limit
        lines.append(f"and {more} more figure{'s' if more != 1 else ''} from other sources that differ")
    return lines


@dataclass
class Section:
    title: str
    objective: Objective | None
    rows: list[Row] = field(default_factory=list)


def figures_version() -> str:
    """A fingerprint of everything an assessment reads: it changes whenever a figure, target, indicator or area
    is written, as every such write (save, delete, bulk_create_with_history) leaves a history row. The latest
    history row's id and time together, so that ids reused after a rollback or a restore do not match."""
    parts = []
    for model in (Observation, Target, Indicator, Area):
        latest = model.history.model.objects.aggregate(id=Max("history_id"), at=Max("history_date"))
        parts.append(f"{latest['id']}@{latest['at'].timestamp() if latest['at'] else 0}")
    return ";".join(parts)


ASSESSMENT_SECONDS = 600  # how long an unchanged assessment is kept in the cache


def assess_indicators(indicators: list[Indicator], area: Area, selected: periods.Period) -> dict[int, Row]:
    """Assess each indicator for the area at the period matching `selected`, with a fixed number of queries.

    The result is cached (the default cache: per process, or Redis when CACHE_URL is set) under the figures'
    fingerprint and today's date, so a write anywhere in the figures makes the next read assess afresh, and
    the rows come back with the caller's own Indicator objects."""
    from django.core.cache import cache

    key = "assess:{}:{}:{}:{}:{}".format(
        area.pk,
        selected.code,
        date.today().isoformat(),
        ",".join(str(i.pk) for i in indicators),
        figures_version(),
    )
    key = "assess:" + hashlib.sha256(key.encode()).hexdigest()
    cached = cache.get(key)
    if cached is None:
        rows = _assess_indicators(indicators, area, selected)
        cache.set(
            key,
            {pk: (r.period, r.assessment, r.series, r.others) for pk, r in rows.items()},
            ASSESSMENT_SECONDS,
        )
        return rows
    return {i.pk: Row(i, *cached[i.pk]) for i in indicators}


def _assess_indicators(indicators: list[Indicator], area: Area, selected: periods.Period) -> dict[int, Row]:
    benches = benchmark_areas()
    ids = [i.pk for i in indicators]
    series = headline_series(ids, [area.pk, *(b.pk for b in benches)])
    targets = targets_by_indicator(ids, [area.pk])
    own = {indicator.pk: period_for_indicator(indicator, selected) for indicator in indicators}
    others = other_sources(ids, [area.pk], within=own)
    rows = {}
    for indicator in indicators:
        period = own[indicator.pk]
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
        rows[indicator.pk] = Row(
            indicator,
            period,
            assessment,
            spc_series(points, period),
            others.get((indicator.pk, area.pk), []),
        )
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


SPARK_POINTS = 13  # the scorecard's sparkline: the last 13 months (or quarters), a year and the month again
STATUS_FILTERS = {
    "met": "Target met",
    "not-met": "Target not met",
    "no-target": "No target",
    "better": "Better than a year ago",
    "worse": "Worse than a year ago",
}


@dataclass(frozen=True)
class Glance:
    """One indicator's status at a glance on the scorecard: against its target, its direction of travel and
    whether the change is real, each in words, with the last figures for its sparkline."""

    target_status: str  # met / not met / no target
    target_words: str  # e.g. "5,000 for 2016/17"; "" without a target
    travel: Travel
    change_words: str  # e.g. "Down from 23,000 in 2014/15"; "" with nothing to compare
    significance: str  # real / noise / unknown
    judged_by: str  # "confidence intervals", "SPC" or ""
    spark: list[Point] = field(default_factory=list)

    @property
    def target_label(self) -> str:
        return TARGET_WORDS[self.target_status]

    @property
    def significance_words(self) -> str:
        return SIGNIFICANCE_WORDS[self.significance]

    @property
    def spark_label(self) -> str:
        if len(self.spark) < 2:
            return ""
        return (
            f"Line chart of the last {len(self.spark)} figures, "
            f"{self.spark[0].period.label} to {self.spark[-1].period.label}"
        )

    def matches(self, status: str) -> bool:
        """Whether the row is kept by the status filter (STATUS_FILTERS; "" keeps every row)."""
        return {
            "": True,
            "met": self.target_status == "met",
            "not-met": self.target_status == "not met",
            "no-target": self.target_status == "no target",
            "better": self.travel.tone == "good",
            "worse": self.travel.tone == "bad",
        }.get(status, True)


def _target_words(row: Row, targets: list[TargetInfo]) -> str:
    """The target the row is judged against, with its period: "5,000 for 2016/17"; a cumulative target says
    what was expected by now and the whole target with the month it is due."""
    a, unit = row.assessment, row.indicator.unit
    if a.target is None:
        return ""
    for t in targets:
        if not t.cumulative and t.period == row.period.code:
            return f"{figure(t.value, unit)} for {row.period.label}"
    for t in targets:
        if t.cumulative and t.start and t.due and t.start.start <= row.period.end:
            return (
                f"{figure(a.target, unit)} by {row.period.label}, on the way to {figure(t.value, unit)} "
                f"from {t.start.label} to {t.due.label}"
            )
    return f"{figure(a.target, unit)} for {row.period.label}"


def glance_for(row: Row, points: list[Point], targets: list[TargetInfo]) -> Glance:
    """The row's status at a glance, from its assessment and the headline series it was assessed from."""
    a = row.assessment
    info = indicator_info(row.indicator)
    current = point_for(info, points, row.period) if a.value is not None else None
    earlier = point_for(info, points, row.period.same_period_last_year()) if current else None
    real, judged_by = significance(info, current, earlier, a.spc_status)
    change = a.last_year
    change_words = ""
    if change is not None:
        way = "Up" if change.absolute > 0 else "Down" if change.absolute < 0 else "Level"
        change_words = f"{way} from {figure(change.previous, row.indicator.unit)} in {change.against}"
    return Glance(
        target_status=target_status(a),
        target_words=_target_words(row, targets),
        travel=travel(info, change, real),
        change_words=change_words,
        significance=real,
        judged_by=judged_by,
        spark=row.series[-SPARK_POINTS:],
    )


def scorecard(
    plan: Plan,
    *,
    area: Area,
    selected: periods.Period,
    group_id: int | None = None,
    basket_id: int | None = None,
    status: str = "",
) -> list[Section]:
    """The performance overview with each row's status at a glance (`Row.glance`), narrowed to a basket's
    indicators and to a status (STATUS_FILTERS); sections left empty by those filters are dropped. A fixed
    number of queries, whatever the number of indicators."""
    sections = performance_overview(plan, area=area, selected=selected, group_id=group_id)
    rows = {id(r): r for s in sections for r in s.rows}.values()
    ids = [r.indicator.pk for r in rows]
    series = headline_series(ids, [area.pk])
    targets = targets_by_indicator(ids, [area.pk])
    for row in rows:
        key = (row.indicator.pk, area.pk)
        row.glance = glance_for(row, series.get(key, []), targets.get(key, []))
    if not basket_id and not status:
        return sections
    members = None
    if basket_id:
        members = set(
            BasketIndicator.objects.filter(basket_id=basket_id).values_list("indicator_id", flat=True)
        )
    narrowed = []
    for section in sections:
        kept = [
            r
            for r in section.rows
            if (members is None or r.indicator.pk in members) and r.glance.matches(status)
        ]
        if kept:
            narrowed.append(Section(section.title, section.objective, kept))
    return narrowed


def scorecard_counts(sections: list[Section]) -> dict[str, int]:
    """How many indicators of the scorecard (each once) are in each status (STATUS_FILTERS keys, with "_" for
    "-"), and "all"."""
    glances = {r.indicator.pk: r.glance for s in sections for r in s.rows if r.glance is not None}
    counts = {key.replace("-", "_"): sum(g.matches(key) for g in glances.values()) for key in STATUS_FILTERS}
    return {"all": len(glances), **counts}


def reporting_periods(plan: Plan, area: Area) -> list[periods.Period]:
    """Quarters and financial years that have data for the area, newest first (for the period filter); never a
    period that has not ended (forecasts are shown on the indicator's page only)."""
    last = _reported(plan, area).aggregate(m=Max("period_end"))["m"]
    if last is None:
        return []
    first = date(plan.start_year - 3, 4, 1)
    quarters = periods.periods_for("quarterly", "financial", first, last)
    years = periods.periods_for("annual", "financial", first, last)
    return sorted([*quarters, *years], key=lambda p: (p.end, p.month_count), reverse=True)


def _reported(plan: Plan, area: Area):
    return (
        Observation.objects.filter(
            indicator__partnership=plan.partnership, area=area, period_end__lte=date.today()
        )
        .exclude(period_kind=periods.Kind.SPAN.value)
        .exclude(status=Observation.Status.FORECAST)
    )


def default_period(plan: Plan, area: Area) -> periods.Period | None:
    """The quarter people see first: the latest that ends by the latest real figure (synthetic demo figures
    and forecasts do not move it), else the latest with any figure."""
    options = [p for p in reporting_periods(plan, area) if p.kind == periods.Kind.QUARTER]
    real_end = _reported(plan, area).filter(synthetic=False).aggregate(m=Max("period_end"))["m"]
    if real_end is not None:
        options = [p for p in options if p.end <= real_end] or options
    return options[0] if options else None


def commentaries(indicator: Indicator, area: Area) -> list[tuple[periods.Period, Commentary]]:
    cache = PeriodCache()
    items = Commentary.objects.filter(indicator=indicator, area=area).select_related(
        "created_by", "modified_by"
    )
    return sorted(((cache[c.period], c) for c in items), key=lambda pc: pc[0].end, reverse=True)


def observations_table(indicator: Indicator, area: Area) -> list[tuple[Observation, float | None]]:
    """Every figure for the indicator and area, every source, newest period first, each with its difference
    from the headline figure of the same period (None for the headline itself)."""
    observations = list(
        Observation.objects.filter(indicator=indicator, area=area)
        .select_related("data_return__organisation")
        .order_by("-period_end", "-period_start", "-headline", "source")
    )
    headline = {o.period: o.value for o in observations if o.headline}
    return [
        (o, None if o.headline or o.period not in headline else o.value - headline[o.period])
        for o in observations
    ]


def revisions_since(partnership, since: date | datetime) -> list[dict]:
    """Figures revised or withdrawn since a date (that day included) or a moment (after it): the old and new
    values (None when withdrawn, with the reason), who and when (from the history)."""
    History = Observation.history.model
    when = {"history_date__gt": since} if isinstance(since, datetime) else {"history_date__date__gte": since}
    changes = (
        History.objects.filter(history_type__in=("~", "-"), indicator__partnership=partnership, **when)
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
        withdrawn = record.history_type == "-"
        if withdrawn:
            previous = record.value
        elif previous is None or previous == record.value:
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
                "new": None if withdrawn else record.value,
                "withdrawn": record.history_change_reason if withdrawn else "",
            }
        )
    return result
