"""Assessments: the judgements the Board acts on, for one indicator, area and period.

Pure functions over plain data (no database): value and confidence interval, change against the same period
last year and a named baseline, rolling 12-month and year-to-date figures, direction of travel, SPC status,
target RAG, benchmark comparison, and a one-sentence plain-English summary.

Which figures make up what: a period's figure is the one recorded for it, else (for a quarter or a year) the
months or quarters that make it up, added together; monthly and quarterly series and SPC use only months and
quarters (`REGULAR`). A figure over a span (Kind.SPAN, e.g. Jan 2010 – Mar 2015), a rolling 12 months or a year
to date is used only for its own period, and a span is compared only with the same span a year earlier
(`span_comparison`). A comparison of a real figure with a synthetic one says so (`Change.caveat`,
`Assessment.benchmark_caveats`, `series_caveat`).

Statistics come from `saferplan.indicators.stats` (see its sources).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from saferplan.indicators import stats
from saferplan.indicators.periods import Kind, Period

REGULAR = (Kind.MONTH, Kind.QUARTER)  # the kinds of period a series (and SPC) is made of
RATE_MULTIPLIERS = {"rate_per_1000": 1_000.0, "rate_per_100000": 100_000.0}
IMPROVEMENT = {"higher_is_better": "increase", "lower_is_better": "decrease", "none": "neutral"}


class Point(NamedTuple):
    """One headline figure of a series."""

    period: Period
    value: float
    numerator: float | None = None
    denominator: float | None = None
    lower: float | None = None
    upper: float | None = None
    synthetic: bool = False
    origin: str = ""  # Observation.Origin value; "mixed" for a figure added up from parts of several origins


@dataclass(frozen=True)
class IndicatorInfo:
    unit: str
    polarity: str
    frequency: str
    period_basis: str = "financial"
    rag_tolerance: float = 5.0
    baseline_period: str = ""  # period code


@dataclass(frozen=True)
class TargetInfo:
    value: float
    period: str = ""  # code, for a target for one period
    cumulative: bool = False
    start: Period | None = None  # first month counted
    due: Period | None = None  # month due


@dataclass(frozen=True)
class Change:
    against: str  # label of the period compared with
    previous: float
    absolute: float
    percent: float | None  # None when the previous value is 0
    mixed: str = ""  # "" when both figures are real or both synthetic; else which one is synthetic

    @property
    def caveat(self) -> str:
        """What a sentence or cell comparing the two figures must say, e.g. "the earlier figure is synthetic
        demo data"."""
        return f"the {self.mixed} figure is synthetic demo data" if self.mixed else ""


@dataclass
class Assessment:
    period: Period
    value: float | None
    unit: str = "count"
    synthetic: bool = False
    origin: str = ""  # of the figure assessed (see Point.origin)
    interval: stats.Interval | None = None
    last_year: Change | None = None
    baseline: Change | None = None
    rolling_12: float | None = None
    year_to_date: float | None = None
    direction: str = "no data"  # improving, worsening, no change, higher, lower, no data
    spc: stats.SPCResult | None = None
    spc_status: str = "not enough data"  # common_cause, improvement, concern, neutral_high, neutral_low
    target: float | None = None
    rag: str = "grey"  # green, amber, red, grey
    benchmarks: dict[str, str] = field(default_factory=dict)  # area name → better/similar/worse/higher/lower
    # area name → what the comparison must say, when one of the two figures is real and the other synthetic
    benchmark_caveats: dict[str, str] = field(default_factory=dict)
    summary: str = ""


def interval_for(info: IndicatorInfo, point: Point, confidence: float = 0.95) -> stats.Interval | None:
    """The confidence interval where the unit allows: published limits first, else computed from counts."""
    if point.lower is not None and point.upper is not None:
        return stats.Interval(point.value, point.lower, point.upper, "Published", confidence)
    try:
        if info.unit == "percentage" and point.numerator is not None and point.denominator:
            return stats.proportion(point.numerator, point.denominator, confidence, multiplier=100)
        if info.unit in RATE_MULTIPLIERS and point.numerator is not None and point.denominator:
            return stats.rate(point.numerator, point.denominator, RATE_MULTIPLIERS[info.unit], confidence)
        if info.unit == "count" and point.value >= 0:
            return stats.rate(point.value, 1, multiplier=1, confidence=confidence)
    except ValueError:
        return None
    return None


def mixed_caveat(this: Point, other: Point, other_name: str) -> str:
    """What a comparison of two figures must say when one is real and the other synthetic ("" otherwise)."""
    if this.synthetic == other.synthetic:
        return ""
    if other.synthetic:
        return f"the {other_name} figure is synthetic demo data"
    return "this figure is synthetic demo data"


def _change(current: Point, previous: Point | None) -> Change | None:
    """The change from `previous` to `current`, saying when one of the two is synthetic and the other real."""
    if previous is None:
        return None
    absolute = current.value - previous.value
    percent = absolute / previous.value * 100 if previous.value else None
    mixed = ""
    if current.synthetic != previous.synthetic:
        mixed = "earlier" if previous.synthetic else "later"
    return Change(previous.period.label, previous.value, absolute, percent, mixed)


def _aggregate(info: IndicatorInfo, points: list[Point]) -> float | None:
    """A figure over several months: a total for counts; pooled numerators for percentages and rates."""
    if not points:
        return None
    if info.unit == "count":
        return sum(p.value for p in points)
    if all(p.numerator is not None and p.denominator for p in points):
        numerator = sum(p.numerator for p in points)
        if info.unit == "percentage":
            return numerator / sum(p.denominator for p in points) * 100
        if info.unit in RATE_MULTIPLIERS:
            return numerator / points[-1].denominator * RATE_MULTIPLIERS[info.unit]
    return None


def _constituents(points: list[Point], period: Period) -> list[Point]:
    """Months (else quarters) that exactly make up the period, or [] when any is missing."""
    for kind in REGULAR:
        parts = sorted(
            (
                p
                for p in points
                if p.period.kind == kind and period.start <= p.period.start and p.period.end <= period.end
            ),
            key=lambda p: p.period.start,
        )
        if parts and sum(p.period.month_count for p in parts) == period.month_count:
            return parts
    return []


def point_for(
    info: IndicatorInfo, points: list[Point], period: Period, by_code: dict | None = None
) -> Point | None:
    """The figure for a period: as recorded, or else added up from the months (or quarters) that make it up.
    A span is only ever as recorded: a figure published over a span counts what its publisher counted, which
    a regular series need not."""
    stored = (by_code or {p.period.code: p for p in points}).get(period.code)
    if stored is not None or period.kind in (Kind.MONTH, Kind.SPAN):
        return stored
    parts = _constituents(points, period)
    value = _aggregate(info, parts) if parts else None
    if value is None:
        return None
    numerator = denominator = None
    if all(p.numerator is not None and p.denominator for p in parts):
        numerator = sum(p.numerator for p in parts)
        denominator = (
            sum(p.denominator for p in parts) if info.unit == "percentage" else parts[-1].denominator
        )
    origins = {p.origin for p in parts}
    return Point(
        period,
        value,
        numerator,
        denominator,
        synthetic=any(p.synthetic for p in parts),
        origin=origins.pop() if len(origins) == 1 else "mixed",
    )


def span_comparison(points: list[Point], period: Period) -> tuple[Point | None, Point | None, Change | None]:
    """(the figure over a span, the figure over the same span a year earlier, the change): a span is compared
    with the same span a year earlier and nothing else, and only with a figure recorded for it."""
    by_code = {p.period.code: p for p in points}
    current = by_code.get(period.code)
    earlier = by_code.get(period.same_period_last_year().code)
    if current is None:
        return None, earlier, None
    return current, earlier, _change(current, earlier)


def _direction(info: IndicatorInfo, change: Change | None) -> str:
    if change is None:
        return "no data"
    if change.absolute == 0:
        return "no change"
    up = change.absolute > 0
    if info.polarity == "none":
        return "higher" if up else "lower"
    return "improving" if up == (info.polarity == "higher_is_better") else "worsening"


def rag_for(info: IndicatorInfo, value: float | None, target: float | None) -> str:
    """Green met; amber within the indicator's tolerance of the target; red missed; grey no target or data."""
    if value is None or target is None or info.polarity == "none":
        return "grey"
    tolerance = abs(target) * info.rag_tolerance / 100
    if info.polarity == "higher_is_better":
        return "green" if value >= target else "amber" if value >= target - tolerance else "red"
    return "green" if value <= target else "amber" if value <= target + tolerance else "red"


def _months_between(start: Period, end: Period) -> int:
    return (end.end.year - start.start.year) * 12 + end.end.month - start.start.month + 1


def _target(
    info: IndicatorInfo, period: Period, value: float | None, monthly: list[Point], targets: list[TargetInfo]
) -> tuple[float | None, float | None]:
    """(target for this period, the figure to judge against it)."""
    for t in targets:
        if not t.cumulative and t.period == period.code:
            return t.value, value
    for t in targets:
        if t.cumulative and t.start and t.due and t.start.start <= period.end:
            months = _months_between(t.start, t.due)
            elapsed = min(_months_between(t.start, period), months)
            expected = t.value * elapsed / months  # the straight-line trajectory to the target
            counted = [p for p in monthly if t.start.start <= p.period.start and p.period.end <= period.end]
            if value is not None and period.start == t.start.start:
                achieved = value  # a cumulative figure to date
            elif counted:
                achieved = sum(p.value for p in counted)
            else:
                achieved = None
            return expected, achieved
    return None, value


def spc_series(points: list[Point], period: Period) -> list[Point]:
    """The finest regular series (months, else quarters) up to the end of the period, for the SPC chart. Spans,
    rolling 12 months, years to date and years are never in it: they overlap or are of other lengths."""
    kinds = {p.period.kind for p in points}
    kind = next((k for k in REGULAR if k in kinds), None)
    if kind is None:
        return []
    chosen = (p for p in points if p.period.kind == kind and p.period.end <= period.end)
    return sorted(chosen, key=lambda p: p.period.start)


def series_caveat(points: list[Point]) -> str:
    """What a chart or table of a series must say when it mixes real and synthetic figures ("" otherwise)."""
    synthetic = [p for p in points if p.synthetic]
    if not synthetic or len(synthetic) == len(points):
        return ""
    return (
        f"The series mixes real figures with synthetic demo data ({len(synthetic)} of its {len(points)} "
        "figures are synthetic), so its comparisons are not all between real figures."
    )


def assess(
    info: IndicatorInfo,
    points: list[Point],
    period: Period,
    *,
    targets: list[TargetInfo] = (),
    benchmarks: dict[str, Point] | None = None,
    screen_outliers: bool = True,
) -> Assessment:
    """Assess one indicator for one area and period, from its headline series (any kinds of period)."""
    by_code = {p.period.code: p for p in points}
    monthly = sorted((p for p in points if p.period.kind == Kind.MONTH), key=lambda p: p.period.start)
    current = point_for(info, points, period, by_code)
    result = Assessment(
        period=period,
        value=current.value if current else None,
        unit=info.unit,
        synthetic=bool(current and current.synthetic),
        origin=current.origin if current else "",
    )
    if current is not None:
        result.interval = interval_for(info, current)
        last_year = point_for(info, points, period.same_period_last_year(), by_code)
        result.last_year = _change(current, last_year)
        if info.baseline_period and info.baseline_period != period.code:
            baseline = point_for(info, points, Period.from_code(info.baseline_period), by_code)
            result.baseline = _change(current, baseline)
        result.direction = _direction(info, result.last_year)
        for name, bench in (benchmarks or {}).items():
            if result.interval is not None:
                result.benchmarks[name] = stats.compare(
                    current.value, result.interval.lower, result.interval.upper, bench.value, info.polarity
                )
                caveat = mixed_caveat(current, bench, name)
                if caveat:
                    result.benchmark_caveats[name] = caveat
    end_month = period.end
    window = [p for p in monthly if p.period.end <= end_month]
    if window and window[-1].period.end == end_month:
        last12 = window[-12:]
        if len(last12) == 12 and _months_between(last12[0].period, last12[-1].period) == 12:
            result.rolling_12 = _aggregate(info, last12)
        fy_start = date(end_month.year if end_month.month >= 4 else end_month.year - 1, 4, 1)
        if info.period_basis == "calendar":
            fy_start = date(end_month.year, 1, 1)
        ytd = [p for p in window if p.period.start >= fy_start]
        if (
            ytd
            and ytd[0].period.start == fy_start
            and len(ytd) == _months_between(ytd[0].period, ytd[-1].period)
        ):
            result.year_to_date = _aggregate(info, ytd)
    target, judged = _target(info, period, result.value, monthly, list(targets))
    result.target = target
    result.rag = rag_for(info, judged, target)
    series = spc_series(points, period)
    if len(series) >= 2:
        result.spc = stats.spc(
            [p.value for p in series],
            improvement=IMPROVEMENT[info.polarity],
            screen_outliers=screen_outliers,
            target=target if (target is not None and not any(t.cumulative for t in targets)) else None,
        )
        result.spc_status = result.spc.last_variation
    result.summary = summarise(result)
    return result


SPC_WORDS = {
    "common_cause": "no special cause",
    "improvement": "special cause improvement",
    "concern": "special cause concern",
    "neutral_high": "special cause (high)",
    "neutral_low": "special cause (low)",
    "not enough data": "too few points for SPC",
}
SPC_KINDS = {"improvement": "improvement", "concern": "concern", "neutral_high": "high", "neutral_low": "low"}


def spc_words(spc: stats.SPCResult | None, latest: str = "") -> str:
    """The SPC findings in words, telling the latest point's status apart from signals earlier in the series,
    e.g. "no special cause at the latest point, Mar 2019 (8 earlier points show special cause improvement)".
    The assessment summary and the chart's description both use it, so they cannot contradict each other."""
    if spc is None or not spc.points:
        return SPC_WORDS["not enough data"]
    *before, last = spc.points
    counts: dict[str, int] = {}
    for p in before:
        if p.variation != "common_cause":
            kind = SPC_KINDS.get(p.variation, p.variation)
            counts[kind] = counts.get(kind, 0) + 1
    earlier = sum(counts.values())
    point = f"the latest point, {latest}" if latest else "the latest point"
    if last.variation == "common_cause" and not earlier:
        return f"no special cause anywhere in the series, including {point}"
    words = f"{SPC_WORDS.get(last.variation, last.variation)} at {point}"
    if earlier:
        kinds = (
            f"special cause {next(iter(counts))}"
            if len(counts) == 1
            else "special cause: " + ", ".join(f"{n} {kind}" for kind, n in counts.items())
        )
        words += f" ({earlier} earlier point{'s show' if earlier != 1 else ' shows'} {kinds})"
    return words


RAG_WORDS = {"green": "target met", "amber": "target narrowly missed", "red": "target missed", "grey": ""}


def _change_words(unit: str, change: Change) -> str:
    """+5.5% for counts and rates; +1.2 percentage points for percentages."""
    if unit in ("percentage", "percentage_change"):
        return f"{change.absolute:+.1f} percentage points".replace("-", "−")
    if change.percent is None:
        return f"{change.absolute:+,.1f}".replace("-", "−")
    return f"{change.percent:+.1f}%".replace("-", "−")


def summarise(a: Assessment) -> str:
    """One plain-English sentence, e.g. "Lower than the same period last year (−11.2%); no special cause at the
    latest point (2 earlier points show special cause improvement); target met". States no change that the
    data do not support."""
    if a.value is None:
        return "No figure for this period."
    parts = []
    if a.last_year is not None:
        if a.last_year.absolute == 0:
            caveat = f" ({a.last_year.caveat})" if a.last_year.mixed else ""
            parts.append(f"The same as the same period last year{caveat}")
        else:
            word = "Higher" if a.last_year.absolute > 0 else "Lower"
            caveat = f"; {a.last_year.caveat}" if a.last_year.mixed else ""
            parts.append(
                f"{word} than the same period last year ({_change_words(a.unit, a.last_year)}{caveat})"
            )
    else:
        parts.append("No figure for the same period last year to compare with")
    parts.append(spc_words(a.spc) if a.spc is not None else SPC_WORDS.get(a.spc_status, a.spc_status))
    if RAG_WORDS[a.rag]:
        parts.append(RAG_WORDS[a.rag])
    sentence = "; ".join(parts)
    if a.synthetic:
        sentence += " (synthetic demo data)"
    return sentence + "."


# ------------------------------------------------------------------------- the scorecard's words at a glance

SIGNIFICANCE_WORDS = {
    "real": "A real change, not noise",
    "noise": "Within normal variation",
    "unknown": "Too few figures to tell",
}
TARGET_WORDS = {"met": "Target met", "not met": "Target not met", "no target": "No target"}


@dataclass(frozen=True)
class Travel:
    """The direction of travel at a glance: words, the way the figure itself moved (the arrow) and whether
    that is good or bad for the indicator (the colour)."""

    words: str  # "Better than a year ago", "Worse than a year ago", "No real change", ...
    arrow: str  # "up", "down", "level" or "" (nothing to compare with): the figure's own movement
    tone: str  # "good", "bad" or "neutral"


def significance(
    info: IndicatorInfo, current: Point | None, earlier: Point | None, spc_status: str
) -> tuple[str, str]:
    """(real / noise / unknown, how it was judged): whether the change on a year ago is more than chance.
    Where both figures have 95% confidence intervals, the change is real when the intervals do not overlap;
    otherwise the SPC rules on the monthly or quarterly series decide (a special cause at the latest point)."""
    if current is not None and earlier is not None:
        now, then = interval_for(info, current), interval_for(info, earlier)
        if now is not None and then is not None:
            apart = now.lower > then.upper or now.upper < then.lower
            return ("real" if apart else "noise"), "confidence intervals"
    if spc_status in SPC_KINDS:
        return "real", "SPC"
    if spc_status == "common_cause":
        return "noise", "SPC"
    return "unknown", ""


def travel(info: IndicatorInfo, change: Change | None, real: str) -> Travel:
    """The direction of travel against the same period a year ago. The arrow always shows which way the figure
    moved; the colour says whether that is good or bad for the indicator's polarity, and only for a change
    that is not within normal variation."""
    if change is None:
        return Travel("No figure a year earlier to compare with", "", "neutral")
    arrow = "up" if change.absolute > 0 else "down" if change.absolute < 0 else "level"
    if arrow == "level":
        return Travel("No change on a year ago", arrow, "neutral")
    if real == "noise":
        return Travel("No real change", arrow, "neutral")
    if info.polarity == "none":
        return Travel(f"{'Higher' if arrow == 'up' else 'Lower'} than a year ago", arrow, "neutral")
    good = (arrow == "up") == (info.polarity == "higher_is_better")
    return Travel(
        "Better than a year ago" if good else "Worse than a year ago", arrow, "good" if good else "bad"
    )


def target_status(a: Assessment) -> str:
    """met / not met / no target (no target set, no figure to judge, or an indicator with no better
    direction)."""
    if a.rag == "green":
        return "met"
    if a.rag in ("amber", "red"):
        return "not met"
    return "no target"
