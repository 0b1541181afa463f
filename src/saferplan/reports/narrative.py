"""The "progress and achievements" narrative: sentences generated from the figures, in the plan's own style.

e.g. "Data for April 2015 to March 2016 shows that there were 20,649 ASB incidents reported to the police, which
is a reduction of 11.2% from 23,257 when compared to the same period of the previous year." (000 section 4).

Only real figures are used (published, returned, derived from published figures, police open data): synthetic
demo figures are never narrated. A change is stated only when both figures exist; adverse changes are stated as
plainly as good ones. Wording follows the indicator's polarity (improvement or deterioration), unit (count,
percentage, rate, percentage change) and period (financial or calendar year), and compares with the same period
of the previous year or with the indicator's named baseline ("Since 2007-08 ..."). A rate is narrated as a rate
(its change is the change in the rate, 000 section 4: "an increase of 12.3% in the overall crime rate"), with the
count behind it; against a baseline, by the counts ("the number of crimes was 28,690, a reduction of 9.5%
compared to 2009/10"). An annual indicator with no figure for the year is narrated from the year before, saying
so by its years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from saferplan.areas.models import Area
from saferplan.indicators import periods
from saferplan.indicators.assessment import Point, point_for
from saferplan.indicators.models import Observation, Target
from saferplan.indicators.selectors import indicator_info
from saferplan.plans.models import Indicator
from saferplan.reports.committee import Paper, committee_document
from saferplan.reports.document import Block, Document, Heading, Paragraph, Table


@dataclass(frozen=True)
class Achievement:
    indicator: str
    heading: str
    text: str
    direction: str  # improvement, deterioration, change, none
    figures: tuple = ()  # (period label, figure, compared with, earlier figure, change %) for the annex


RATE_WORDS = {"rate_per_1000": "per 1,000 population", "rate_per_100000": "per 100,000 population"}


def _number(value: float, unit: str) -> str:
    if unit in ("percentage", "percentage_change"):
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


def _article(percent: float) -> str:
    """ "an" before 8%, 11%, 18%, 80-89%; "a" otherwise."""
    return "an" if f"{percent:.1f}".startswith(("8", "11.", "18.")) else "a"


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
    if current is None and indicator.frequency == "annual":
        year = year.same_period_last_year()  # the latest figure of an annual indicator (e.g. 2014-15)
        current = point_for(info, points, year)
    if current is None:
        return []
    unit = indicator.unit
    what = noun(indicator)
    if unit == "percentage_change":
        return [_change_sentence(indicator, what, current, year)]
    if unit in RATE_WORDS and current.numerator is not None:
        return _rate_sentences(indicator, info, what, points, current, year)
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
        figures = (
            (year.label, value, previous.period.label, old, (value - old) / old * 100 if old else None),
        )
        result.append(Achievement(indicator.slug, indicator.name, text, direction, figures))
    if info.baseline_period and info.baseline_period != year.code:
        base_period = periods.Period.from_code(info.baseline_period)
        base = point_for(info, points, base_period)
        if base is not None and base.value != current.value:
            change = current.value - base.value
            kind = "reduction" if change < 0 else "increase"
            pct = _pct(base.value, current.value)
            article = _article(pct)
            text = (
                f"Since {_year_label(base_period)} we have achieved {article} {pct:.1f}% {kind} in the number "
                f"of {what}, from {_number(base.value, unit)} in {_year_label(base_period)} to "
                f"{_number(current.value, unit)} in {_year_label(year)}."
            )
            result.append(
                Achievement(
                    indicator.slug,
                    indicator.name,
                    text,
                    _direction(indicator.polarity, change),
                    ((year.label, current.value, base_period.label, base.value, change / base.value * 100),),
                )
            )
    if not result:
        text = f"Data for {_range(year)} shows that there were {_number(value, unit if not count_like else 'count')} {what}"
        text += f", against a target of {_number(target[0], unit)} by {target[1]:%B %Y}." if target else "."
        if unit == "percentage":
            text = f"The {what} was {_number(value, unit)} for the period {_range(year)}."
        result.append(
            Achievement(indicator.slug, indicator.name, text, "none", ((year.label, value, "", None, None),))
        )
    return result


def _change_sentence(indicator: Indicator, what: str, current: Point, year: periods.Period) -> Achievement:
    """A published percentage change (000 section 4: "For the period April 2015 to March 2016 there was a 55%
    reduction in detected crimes by those offenders in the Integrated Offender Management Programme")."""
    value = current.value
    if value == 0:
        text = f"For the period {_range(year)} there was no change in {what}."
    else:
        kind = "reduction" if value < 0 else "increase"
        text = f"For the period {_range(year)} there was {_article(abs(value))} {abs(value):g}% {kind} in {what}."
    figures = ((year.label, value, "", None, value),)
    return Achievement(indicator.slug, indicator.name, text, _direction(indicator.polarity, value), figures)


def _rate_sentences(indicator, info, what, points, current, year) -> list[Achievement]:
    """A rate with its count: the change in the rate on the year before, then the count against the baseline."""
    unit, per, result = indicator.unit, RATE_WORDS[indicator.unit], []
    count = _number(current.numerator, "count")
    previous = point_for(info, points, year.same_period_last_year())
    if previous is not None:
        change = current.value - previous.value
        pct = _pct(previous.value, current.value)
        if change == 0:
            text = (
                f"The rate of {what} {per} in {_year_label(year)} was {_number(current.value, unit)}, the same "
                f"as in {_year_label(previous.period)} ({count} {what})."
            )
        else:
            kind = "an increase" if change > 0 else "a reduction"
            text = (
                f"There was {kind} of {pct:.1f}% in the rate of {what} {per} in {_year_label(year)}, from "
                f"{_number(previous.value, unit)} in {_year_label(previous.period)} to "
                f"{_number(current.value, unit)} ({count} {what})."
            )
        figures = (
            (year.label, current.value, previous.period.label, previous.value, change / previous.value * 100),
        )
        result.append(
            Achievement(indicator.slug, indicator.name, text, _direction(indicator.polarity, change), figures)
        )
    if info.baseline_period and info.baseline_period != year.code:
        base = point_for(info, points, periods.Period.from_code(info.baseline_period))
        if base is not None and base.numerator is not None and base.numerator != current.numerator:
            change = current.numerator - base.numerator
            kind = "a reduction" if change < 0 else "an increase"
            text = (
                f"At the end of {year.end:%B %Y} the number of {what} was {count}, {kind} of "
                f"{_pct(base.numerator, current.numerator):.1f}% compared to {_year_label(base.period)}."
            )
            figures = (
                (
                    year.label,
                    current.numerator,
                    base.period.label,
                    base.numerator,
                    change / base.numerator * 100,
                ),
            )
            result.append(
                Achievement(
                    indicator.slug, indicator.name, text, _direction(indicator.polarity, change), figures
                )
            )
    if not result:
        text = (
            f"The rate of {what} {per} in {_year_label(year)} was {_number(current.value, unit)} "
            f"({count} {what})."
        )
        result.append(
            Achievement(
                indicator.slug, indicator.name, text, "none", ((year.label, current.value, "", None, None),)
            )
        )
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


def achievements_document(plan, year_label: str, *, paper: Paper | None = None) -> Document:
    """The progress and achievements narrative as a committee paper (reports.committee): a section of the annual
    report, also published on its own; the figures behind the sentences in Appendix 2."""
    year = periods.parse(year_label)
    board = plan.partnership.groups.filter(kind="board").first()
    paper = paper or Paper(board.name if board else plan.partnership.name, year.end + timedelta(days=42))
    items = achievements(plan, year.label)
    body: list[Block] = [Heading(f"Progress by indicator, {year.label}", 1)]
    if not items:
        body.append(Paragraph("There are no real figures for this year.", numbered=True))
    heading = None
    for item in items:
        if item.heading != heading:
            heading = item.heading
            body.append(Heading(heading, 2))
        body.append(Paragraph(item.text, numbered=True))
    appendices = []
    if items:
        appendices.append(
            (
                "The figures behind these sentences",
                [
                    Table(
                        "The figures behind these sentences",
                        ["Indicator", "Period", "Figure", "Compared with", "Earlier figure", "Change (%)"],
                        [
                            [
                                item.heading,
                                period,
                                round(figure, 2),
                                against or "–",
                                round(earlier, 2) if earlier is not None else "–",
                                round(change, 1) if change is not None else "–",
                            ]
                            for item in items
                            for period, figure, against, earlier, change in item.figures
                        ],
                        numeric=[2, 4, 5],
                        sheet="Figures",
                    )
                ],
            )
        )
    document = committee_document(
        paper,
        title=f"Progress and achievements, {year.label}",
        purpose=f"To present the {paper.meeting} with the progress and achievements of the partnership in "
        f"{year.label}, from its figures.",
        background=[
            Paragraph(
                "The sentences below are generated from the partnership's real figures (never synthetic demo "
                "data), comparing each indicator with the same period of the previous year or with its named "
                "baseline. Adverse changes are stated as plainly as good ones.",
                numbered=True,
            )
        ]
        + (
            [Paragraph("The figures behind each sentence are in Appendix 2.", numbered=True)] if items else []
        ),
        body=body,
        recommendations=[f"note the progress and achievements in {year.label}."],
        recommended=f"The {paper.meeting} is recommended to",
        appendices=appendices,
    )
    document.subtitle = f"{plan.title} · {plan.partnership.name}"
    return document
