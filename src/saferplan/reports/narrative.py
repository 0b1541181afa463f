"""The "progress and achievements" narrative: sentences generated from the figures, in the plan's own style.

e.g. "Data for April 2015 to March 2016 shows that there were 20,649 ASB incidents reported to the police, which
is a reduction of 11.2% from 23,257 when compared to the same period of the previous year." (000 section 4).

Only real figures are used: synthetic demo figures are never narrated. A change is stated only when both
figures exist; wording follows the indicator's polarity (improvement or deterioration), unit (count,
percentage, rate) and period (financial or calendar year), and compares with the same period of the previous
year or with the indicator's named baseline ("Since 2007-08 ...").
"""

from __future__ import annotations

from dataclasses import dataclass

from saferplan.areas.models import Area
from saferplan.indicators import periods
from saferplan.indicators.assessment import Point, point_for
from saferplan.indicators.models import Observation, Target
from saferplan.indicators.selectors import indicator_info
from saferplan.plans.models import Indicator
from saferplan.reports.document import Document, Heading, Paragraph


@dataclass(frozen=True)
class Achievement:
    indicator: str
    heading: str
    text: str
    direction: str  # improvement, deterioration, change, none


def _number(value: float, unit: str) -> str:
    if unit == "percentage":
        return f"{value:g}%"
    if unit.startswith("rate"):
        return f"{value:,.2f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _range(period: periods.Period) -> str:
    start, end = period.start, period.end
    return f"{start:%B %Y} to {end:%B %Y}" if start.year != end.year else f"{start:%B} to {end:%B %Y}"


def _year_label(period: periods.Period) -> str:
    """2015/16 → 2015-16, as the plan writes years in sentences."""
    return period.label.replace("/", "-")


def noun(indicator: Indicator) -> str:
    if indicator.narrative:
        return indicator.narrative
    name = indicator.name
    for prefix in ("Number of ", "Total number of ", "The number of "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name[:1].lower() + name[1:]


def _direction(polarity: str, change: float) -> str:
    if change == 0:
        return "none"
    if polarity == "none":
        return "change"
    return "improvement" if (change > 0) == (polarity == "higher_is_better") else "deterioration"


def _pct(old: float, new: float) -> float:
    return abs(new - old) / old * 100 if old else 0.0


def sentences(
    indicator: Indicator,
    points: list[Point],
    year: periods.Period,
    target: tuple[float, object] | None = None,
) -> list[Achievement]:
    """The sentences the figures support for one indicator and year (none when there is no figure).
    `target` is (value, due date) of a cumulative target still to come."""
    info = indicator_info(indicator)
    current = point_for(info, points, year)
    if current is None:
        return []
    unit = indicator.unit
    what = noun(indicator)
    count_like = unit == "count" or (unit.startswith("rate") and current.numerator is not None)
    value = current.numerator if unit.startswith("rate") and current.numerator is not None else current.value
    previous = point_for(info, points, year.same_period_last_year())
    result = []
    if previous is not None and (
        not unit.startswith("rate") or previous.numerator is not None or not count_like
    ):
        old = previous.numerator if count_like and unit.startswith("rate") else previous.value
        change = value - old
        direction = _direction(indicator.polarity, change)
        if unit == "percentage":
            verb = "reduced" if change < 0 else "increased" if change > 0 else "stayed the same"
            text = (
                f"The {what} has {verb} to {_number(value, unit)} for the period {_range(year)}, compared to "
                f"{_number(old, unit)} during the same period in the previous year."
            )
        elif change == 0:
            text = (
                f"Data for {_range(year)} shows that there were {_number(value, unit)} {what}, the same as "
                "in the same period of the previous year."
            )
        else:
            kind = "a reduction" if change < 0 else "an increase"
            text = (
                f"Data for {_range(year)} shows that there were {_number(value, unit)} {what}, which is {kind} "
                f"of {_pct(old, value):.1f}% from {_number(old, unit)} when compared to the same period of the "
                "previous year."
            )
        result.append(Achievement(indicator.slug, indicator.name, text, direction))
    if info.baseline_period and info.baseline_period != year.code:
        base_period = periods.Period.from_code(info.baseline_period)
        base = point_for(info, points, base_period)
        if base is not None and base.value != current.value:
            change = current.value - base.value
            kind = "reduction" if change < 0 else "increase"
            pct = _pct(base.value, current.value)
            article = "an" if f"{pct:.1f}".startswith(("8", "11", "18")) else "a"
            text = (
                f"Since {_year_label(base_period)} we have achieved {article} {pct:.1f}% {kind} in the number "
                f"of {what}, from {_number(base.value, unit)} in {_year_label(base_period)} to "
                f"{_number(current.value, unit)} in {_year_label(year)}."
            )
            result.append(
                Achievement(indicator.slug, indicator.name, text, _direction(indicator.polarity, change))
            )
    if not result:
        text = f"Data for {_range(year)} shows that there were {_number(value, unit if not count_like else 'count')} {what}"
        text += f", against a target of {_number(target[0], unit)} by {target[1]:%B %Y}." if target else "."
        if unit == "percentage":
            text = f"The {what} was {_number(value, unit)} for the period {_range(year)}."
        result.append(Achievement(indicator.slug, indicator.name, text, "none"))
    return result


def achievements(plan, year_label: str, area: Area | None = None) -> list[Achievement]:
    """The progress and achievements narrative of a plan's indicators for a year, from real figures only."""
    area = area or Area.objects.filter(partnership=plan.partnership, kind=Area.Kind.PARTNERSHIP).first()
    if area is None:
        return []
    indicators = list(plan.partnership.indicators.live().order_by("order", "name"))
    cache = {}
    series: dict[int, list[Point]] = {}
    rows = (
        Observation.objects.filter(indicator__in=indicators, area=area, synthetic=False)
        .order_by("period_start", "-headline")
        .values_list("indicator_id", "period", "value", "numerator", "denominator", "lower", "upper")
    )
    seen = set()
    for ind, code, value, num, den, low, up in rows:
        if (ind, code) in seen:  # the headline (or first) real source of each figure
            continue
        seen.add((ind, code))
        period = cache.setdefault(code, periods.Period.from_code(code))
        series.setdefault(ind, []).append(Point(period, value, num, den, low, up))
    targets: dict[int, list[tuple[float, object]]] = {}
    for t in Target.objects.filter(indicator__in=indicators, area=area, cumulative=True):
        targets.setdefault(t.indicator_id, []).append((t.value, periods.Period.from_code(t.due_period).end))
    result = []
    for indicator in indicators:
        basis = indicator.period_basis
        year = periods.parse(year_label)
        if basis == "calendar":
            year = periods.Period.calendar_year(year.start.year)
        ahead = sorted((t for t in targets.get(indicator.pk, []) if t[1] > year.end), key=lambda t: t[1])
        result += sentences(indicator, series.get(indicator.pk, []), year, ahead[0] if ahead else None)
    return result


def achievements_document(plan, year_label: str) -> Document:
    """The progress and achievements narrative as a document: a section of the annual report, also
    published on its own."""
    year = periods.parse(year_label)
    document = Document(
        f"Progress and achievements, {year.label}",
        subtitle=f"{plan.title} · {plan.partnership.name}",
    )
    document.add(
        Paragraph(
            "The sentences below are generated from the partnership's real figures (never synthetic demo "
            "data), comparing each indicator with the same period of the previous year or with its named "
            "baseline."
        )
    )
    items = achievements(plan, year.label)
    if not items:
        document.add(Paragraph("There are no real figures for this year."))
    heading = None
    for item in items:
        if item.heading != heading:
            heading = item.heading
            document.add(Heading(heading, 1))
        document.add(Paragraph(item.text))
    return document
