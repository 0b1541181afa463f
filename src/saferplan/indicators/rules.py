"""What a figure may be: plausible by construction (docs/indicators.md, "What a figure may be").

Every figure is checked, wherever it comes from (a data return on the web or the command line, police open
data, the demo loader), against:

1. **its unit's bounds**: a count is a whole number, 0 or more; a percentage is 0 to 100; a rate is 0 or more;
   a percentage change is −100 or more; a score has none;
2. **its indicator's bounds**, `minimum` and `maximum`, which the partnership sets for one of the indicator's own
   periods (its frequency: a month, a quarter or a year); for a count over a longer or shorter period the bounds
   scale with its number of months (a maximum of 10 deaths a quarter is 40 for a year);
3. **part of another indicator** (`part_of`: theft is part of victim-based crime, which is part of all crime):
   for the same area and period, never more than that indicator's figure (counts, and rates of the same unit);
4. **part of another area** (a locality of the partnership area): a count is never more than the parent area's
   figure for the same indicator and period, and the localities' figures add up to no more than it;
5. **part of a longer period**: a count for a period inside another (a month in a year) is never more than that
   period's figure, and the figures of one kind of period inside it (its months, or its quarters) add up to no
   more than it.

A real figure is checked against the other figures of its own source: each source must agree with itself, but
two sources may count differently (police open data beside the force's recorded crime: a year of police.uk
months can add up to more than the force's published year), and pages and papers show where they differ. A
synthetic demo figure is checked against every figure: it must fit the real ones, never the other way round. A
breach names both figures.

Separately, a figure from a partner's return that is **far outside its series** is accepted only when the
provider confirms it: more than `UNUSUAL_FACTOR` times, or less than 1/`UNUSUAL_FACTOR` of, the median of the
previous (up to 12) headline figures of the same kind of period, when there are at least `UNUSUAL_MIN_HISTORY` of
them and that median is above 0. Percentage changes and scores are not screened.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from saferplan.core.formatting import figure
from saferplan.indicators.periods import Period

FORECAST_MONTHS = 12  # how far ahead a forecast may go; settings.SAFERPLAN_FORECAST_MONTHS overrides it
UNUSUAL_FACTOR = 3.0
UNUSUAL_MIN_HISTORY = 6
UNUSUAL_WINDOW = 12
FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "annual": 12}
RATE_UNITS = ("rate_per_1000", "rate_per_100000")


@dataclass(frozen=True)
class IndicatorRule:
    pk: int
    name: str
    unit: str
    frequency: str
    minimum: float | None = None
    maximum: float | None = None
    part_of: int | None = None  # indicator id

    @classmethod
    def of(cls, indicator) -> IndicatorRule:
        return cls(
            indicator.pk,
            indicator.name,
            indicator.unit,
            indicator.frequency,
            indicator.minimum,
            indicator.maximum,
            indicator.part_of_id,
        )


@dataclass(frozen=True)
class AreaRule:
    pk: int
    name: str
    parent: int | None = None


@dataclass(frozen=True)
class Figure:
    """One figure as the rules see it."""

    indicator: int
    area: int
    period: Period
    value: float
    source: str
    synthetic: bool = False
    key: object = None  # what the caller uses to name the figure's origin (an observation id, a row number)


class FigureRefused(ValueError):
    """One or more figures break a rule; `problems` is [(figure, message)]."""

    SHOWN = 20  # messages in the exception's text; all of them are in `problems`

    def __init__(self, problems: list[tuple[Figure, str]]):
        unique = list(dict.fromkeys(message for _, message in problems))
        self.problems = problems
        more = f"; and {len(unique) - self.SHOWN} more" if len(unique) > self.SHOWN else ""
        super().__init__("; ".join(unique[: self.SHOWN]) + more)


def bound_problems(rule: IndicatorRule, period: Period, value: float) -> list[str]:
    """The unit's and the indicator's bounds (rules 1 and 2) for a value of the indicator over `period`."""
    unit, problems = rule.unit, []
    if unit == "count":
        if value < 0:
            problems.append(f"a count cannot be negative ({_n(value)})")
        elif not float(value).is_integer():
            problems.append(f"a count must be a whole number ({_n(value)})")
    elif unit == "percentage" and not 0 <= value <= 100:
        problems.append(f"a percentage must be between 0 and 100 ({_n(value)})")
    elif unit in RATE_UNITS and value < 0:
        problems.append(f"a rate cannot be negative ({_n(value)})")
    elif unit == "percentage_change" and value < -100:
        problems.append(f"a fall of more than 100% is impossible ({_n(value)}%)")
    scale = 1.0
    if unit == "count" and rule.frequency in FREQUENCY_MONTHS:
        scale = period.month_count / FREQUENCY_MONTHS[rule.frequency]
    per = f" for {period.month_count} months" if scale != 1 else ""
    if rule.maximum is not None and value > rule.maximum * scale:
        problems.append(
            f"more than the highest plausible figure the partnership set, {_n(rule.maximum * scale)}{per}"
            f" ({_n(rule.maximum)} a {_own_period(rule)})"
        )
    if rule.minimum is not None and value < rule.minimum * scale:
        problems.append(
            f"less than the lowest plausible figure the partnership set, {_n(rule.minimum * scale)}{per}"
            f" ({_n(rule.minimum)} a {_own_period(rule)})"
        )
    return problems


def forecast_months() -> int:
    from django.conf import settings

    return int(getattr(settings, "SAFERPLAN_FORECAST_MONTHS", FORECAST_MONTHS))


def future_problem(period: Period, status: str, today: date) -> str:
    """Why a figure for `period` cannot be recorded on `today` ("" when it can): a period that has not ended
    takes only a forecast (status "forecast"), and only up to `forecast_months()` ahead; a forecast is for a
    period that has not ended."""
    if period.end < today:
        return (
            ""
            if status != "forecast"
            else f"{period.label} has ended: a forecast is for a period still to come"
        )
    if status != "forecast":
        return (
            f"{period.label} has not ended yet (it ends on {period.end:%-d %B %Y}): a figure for it can only be a "
            "forecast (status forecast)"
        )
    limit = forecast_months()
    months_ahead = (period.end.year - today.year) * 12 + period.end.month - today.month
    if months_ahead > limit:
        return f"{period.label} is more than {limit} months ahead: forecasts go up to {limit} months ahead"
    return ""


def _n(value: float) -> str:
    """A bound or a total as written in a message: 1,234 or 55.24."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _own_period(rule: IndicatorRule) -> str:
    return {"monthly": "month", "quarterly": "quarter", "annual": "year"}.get(rule.frequency, "period")


@dataclass
class Checker:
    """The rules over a set of figures: `problems(figure)` for one, `all_problems()` for every figure."""

    indicators: dict[int, IndicatorRule]
    areas: dict[int, AreaRule]
    figures: list[Figure] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._series: dict[tuple[int, int], list[Figure]] = defaultdict(list)
        self._by_period: dict[tuple[int, int, str], list[Figure]] = defaultdict(list)
        self._parts: dict[int, list[int]] = defaultdict(list)
        self._children: dict[int, list[int]] = defaultdict(list)
        for rule in self.indicators.values():
            if rule.part_of is not None:
                self._parts[rule.part_of].append(rule.pk)
        for area in self.areas.values():
            if area.parent is not None:
                self._children[area.parent].append(area.pk)
        for f in self.figures:
            self._index(f)

    def _index(self, f: Figure) -> None:
        self._series[(f.indicator, f.area)].append(f)
        self._by_period[(f.indicator, f.area, f.period.code)].append(f)

    def add(self, figures: Iterable[Figure]) -> None:
        for f in figures:
            self.figures.append(f)
            self._index(f)

    def describe(self, f: Figure) -> str:
        rule = self.indicators[f.indicator]
        area = self.areas[f.area].name if f.area in self.areas else str(f.area)
        kind = "synthetic demo figure" if f.synthetic else f.source
        return f"{rule.name}, {area}, {f.period.label}: {figure(f.value, rule.unit)} ({kind})"

    @staticmethod
    def _compared(f: Figure, other: Figure) -> bool:
        """A synthetic figure is held to every figure; a real one to the real figures of its own source (each
        source must agree with itself; sources that count differently are shown side by side instead)."""
        if other is f:
            return False
        return f.synthetic or (not other.synthetic and other.source == f.source)

    def _at(self, indicator: int, area: int, period: Period) -> list[Figure]:
        return self._by_period.get((indicator, area, period.code), [])

    def problems(self, f: Figure) -> list[str]:
        rule = self.indicators[f.indicator]
        found = [f"{self.describe(f)}: {p}" for p in bound_problems(rule, f.period, f.value)]
        found += self._indicator_relations(f, rule)
        if rule.unit == "count":
            found += self._area_relations(f)
            found += self._period_relations(f)
        return found

    def _indicator_relations(self, f: Figure, rule: IndicatorRule) -> list[str]:
        found = []
        parent = self.indicators.get(rule.part_of) if rule.part_of else None
        if parent is not None and parent.unit == rule.unit:
            for other in self._at(parent.pk, f.area, f.period):
                if self._compared(f, other) and f.value > other.value:
                    found.append(self._more_than(f, other, f"{rule.name} is part of {parent.name}"))
        for child in self._parts.get(rule.pk, []):
            child_rule = self.indicators[child]
            if child_rule.unit != rule.unit:
                continue
            for other in self._at(child, f.area, f.period):
                if self._compared(f, other) and other.value > f.value:
                    found.append(self._more_than(other, f, f"{child_rule.name} is part of {rule.name}"))
        return found

    def _area_relations(self, f: Figure) -> list[str]:
        found = []
        area = self.areas.get(f.area)
        if area is not None and area.parent is not None:
            parent_name = self.areas[area.parent].name if area.parent in self.areas else ""
            for total in self._at(f.indicator, area.parent, f.period):
                if not self._compared(f, total):
                    continue
                if f.value > total.value:
                    found.append(self._more_than(f, total, f"{area.name} is part of {parent_name}"))
                found += self._sum_problem(
                    total,
                    [
                        o
                        for sibling in self._children[area.parent]
                        for o in self._at(f.indicator, sibling, f.period)
                        if o is f or self._compared(f, o)
                    ],
                    f"the areas of {parent_name}",
                )
        if f.area in self._children:
            parts = [
                o
                for child in self._children[f.area]
                for o in self._at(f.indicator, child, f.period)
                if self._compared(f, o)
            ]
            for o in parts:
                if o.value > f.value:
                    found.append(self._more_than(o, f, f"{self.areas[o.area].name} is part of {area.name}"))
            found += self._sum_problem(f, parts, f"the areas of {area.name if area else ''}")
        return found

    def _period_relations(self, f: Figure) -> list[str]:
        found = []
        series = self._series[(f.indicator, f.area)]
        containers = [
            o for o in series if o.period.contains(f.period) and o.period != f.period and self._compared(f, o)
        ]
        for total in containers:
            if f.value > total.value:
                found.append(self._more_than(f, total, f"{f.period.label} is part of {total.period.label}"))
            siblings = [
                o
                for o in series
                if o.period.kind == f.period.kind
                and total.period.contains(o.period)
                and (o is f or self._compared(f, o))
            ]
            found += self._sum_problem(total, _one_per_period(siblings, f), f"the {f.period.kind.value}s")
        if f.period.month_count > 1:
            inside = [
                o
                for o in series
                if f.period.contains(o.period) and o.period != f.period and self._compared(f, o)
            ]
            for o in inside:
                if o.value > f.value:
                    found.append(self._more_than(o, f, f"{o.period.label} is part of {f.period.label}"))
            by_kind: dict[str, list[Figure]] = defaultdict(list)
            for o in inside:
                by_kind[o.period.kind.value].append(o)
            for kind, parts in by_kind.items():
                found += self._sum_problem(f, _one_per_period(parts, None), f"the {kind}s")
        return found

    def _sum_problem(self, total: Figure, parts: list[Figure], what: str) -> list[str]:
        if len(parts) < 2:
            return []
        added = sum(p.value for p in parts)
        if added <= total.value:
            return []
        labels = ", ".join(f"{self.describe(p)}" for p in parts[:3]) + (" …" if len(parts) > 3 else "")
        return [
            f"{what[:1].upper()}{what[1:]} add up to {_n(added)} ({labels}), more than "
            f"{self.describe(total)}, which they are part of"
        ]

    def _more_than(self, part: Figure, whole: Figure, reason: str) -> str:
        return f"{self.describe(part)} is more than {self.describe(whole)}: {reason}"

    def all_problems(self) -> list[tuple[Figure, str]]:
        seen, result = set(), []
        for f in self.figures:
            for message in self.problems(f):
                if message not in seen:
                    seen.add(message)
                    result.append((f, message))
        return result


def _one_per_period(figures: list[Figure], prefer: Figure | None) -> list[Figure]:
    """One figure per period for adding up: the one being checked, else a real one, else the first."""
    chosen: dict[str, Figure] = {}
    for o in figures:
        current = chosen.get(o.period.code)
        if (
            current is None
            or o is prefer
            or (current is not prefer and current.synthetic and not o.synthetic)
        ):
            chosen[o.period.code] = o
    return list(chosen.values())


def unusual(rule: IndicatorRule, f: Figure, history: list[Figure]) -> str:
    """Why a figure is far outside its series ("" when it is not): see the module's rule."""
    if rule.unit in ("percentage_change", "score"):
        return ""
    previous = sorted(
        (h for h in history if h.period.kind == f.period.kind and h.period.end < f.period.start),
        key=lambda h: h.period.start,
    )[-UNUSUAL_WINDOW:]
    if len(previous) < UNUSUAL_MIN_HISTORY:
        return ""
    median = statistics.median(h.value for h in previous)
    if median <= 0 or median / UNUSUAL_FACTOR <= f.value <= median * UNUSUAL_FACTOR:
        return ""
    return (
        f"{_n(f.value)} for {f.period.label} is far outside its series: the median of the previous "
        f"{len(previous)} figures is {_n(median)}, and a figure more than {_n(UNUSUAL_FACTOR)} times "
        f"it or less than 1/{UNUSUAL_FACTOR:g} of it is accepted only when you confirm it is right"
    )
