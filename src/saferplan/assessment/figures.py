"""The live figures of a strategic assessment: each SectionFigure computed afresh, on every call, from the
indicator engine (headline series, SPC, the figure for a period) or the police store (counts by crime type and
by area for the months it holds), so refreshing the data refreshes the assessment. Nothing is cached here.

Every figure says what it is: the period it covers (in words), where its numbers come from, and whether any
of them is synthetic demo data (synthetic points are hollow on the chart and marked in the table).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from saferplan.areas.models import Area
from saferplan.areas.selectors import population_for, population_year, populations_by_area
from saferplan.core.formatting import figure
from saferplan.indicators import charts, stats
from saferplan.indicators.assessment import IMPROVEMENT, Point, point_for, spc_series
from saferplan.indicators.models import Observation
from saferplan.indicators.periods import Kind, Period
from saferplan.indicators.selectors import headline_series, indicator_info, origin_label
from saferplan.plans.models import Indicator

if TYPE_CHECKING:
    from saferplan.assessment.models import SectionFigure

SYNTHETIC_MARK = " (synthetic demo figure)"
NO_FIGURE = "–"


@dataclass
class FigureContent:
    """A figure as a page or document shows it: a title, caption, chart (SVG, or None when there is too little
    to draw), the table of its figures, its source, whether anything in it is synthetic and the period covered.
    `summary` is the chart in words (its alternative text); `numeric` the table's right-aligned columns."""

    title: str
    caption: str
    chart_svg: str | None
    headers: list[str]
    rows: list[list[str]]
    source: str
    synthetic: bool
    period: str
    summary: str = ""
    numeric: list[int] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.rows


def _month(day: date) -> str:
    return f"{day:%Y-%m}"


def _month_words(month: str) -> str:
    return date(int(month[:4]), int(month[5:]), 1).strftime("%B %Y")


def _span_words(first: date, last: date) -> str:
    """e.g. "April 2015 to March 2016", or "March 2016" for one month."""
    a, b = f"{first:%B %Y}", f"{last:%B %Y}"
    return a if a == b else f"{a} to {b}"


def _assessment_words(assessment) -> str:
    return _span_words(assessment.period_start, assessment.period_end)


def main_area(partnership) -> Area | None:
    """The partnership's own area (the first, when there are several)."""
    return (
        Area.objects.filter(partnership=partnership, kind=Area.Kind.PARTNERSHIP)
        .order_by("order", "name")
        .first()
    )


def localities(partnership) -> list[Area]:
    return list(
        Area.objects.filter(partnership=partnership, kind=Area.Kind.LOCALITY).order_by("order", "name")
    )


def _unit_title(unit: str) -> str:
    return Indicator.Unit(unit).label if unit in Indicator.Unit.values else (unit or "Value")


def _cell(point: Point | None, unit: str) -> str:
    if point is None:
        return NO_FIGURE
    return figure(point.value, unit) + (SYNTHETIC_MARK if point.synthetic else "")


def _sources(indicator: Indicator, area_ids: list[int], codes: list[str]) -> str:
    """Who produced the figures shown (the headline observations' sources), and of what kind."""
    found = (
        Observation.objects.filter(indicator=indicator, area_id__in=area_ids, headline=True, period__in=codes)
        .values_list("source", "origin")
        .distinct()
        .order_by("source", "origin")
    )
    parts = set()
    for source, origin in found:
        if origin == Observation.Origin.SYNTHETIC:
            parts.add("synthetic demo figures (not real)")
            continue
        kind = origin_label(origin).lower()
        parts.add(source if kind in source.lower() or source.lower() in kind else f"{source} ({kind})")
    text = "; ".join(sorted(parts, key=lambda p: (p.startswith("synthetic"), p)))  # real sources first
    return text[:1].upper() + text[1:] if text else "No figures recorded"


def _within(points: list[Point], start: date, end: date) -> list[Point]:
    return [
        p for p in points if p.period.start >= start and p.period.end <= end and p.period.kind != Kind.SPAN
    ]


def _no_data(figure_obj, title: str, what: str, period: str) -> FigureContent:
    return FigureContent(
        title=title,
        caption=figure_obj.caption or title,
        chart_svg=None,
        headers=[],
        rows=[],
        source=what,
        synthetic=False,
        period=period,
        summary="",
    )


# ------------------------------------------------------------------------------------------- indicators


def indicator_trend(figure_obj) -> FigureContent:
    """The indicator's trend over the assessment's period in the partnership area: an SPC (XmR) chart of its
    months or quarters where there are at least two, and the table of every figure (years when the indicator
    is only held by year)."""
    assessment = figure_obj.section.assessment
    indicator = figure_obj.indicator
    area = main_area(assessment.partnership)
    words = _assessment_words(assessment)
    title = f"{indicator.name}" + (f", {area.name}" if area else "")
    if area is None:
        return _no_data(figure_obj, title, "The partnership has no area to report on", words)
    info = indicator_info(indicator)
    points = headline_series([indicator.pk], [area.pk]).get((indicator.pk, area.pk), [])
    held = _within(points, assessment.period_start, assessment.period_end)
    regular = spc_series(held, Period.month(assessment.period_end.year, assessment.period_end.month))
    shown = regular or sorted(held, key=lambda p: (p.period.start, p.period.end))
    if not shown:
        return _no_data(figure_obj, title, f"No figures of {indicator.name} are held for {words}", words)
    period = _span_words(shown[0].period.start, shown[-1].period.end)
    title = f"{title}, {period}"
    unit = indicator.unit
    synthetic = any(p.synthetic for p in shown)
    chart = None
    summary = ""
    labels = [p.period.label for p in shown]
    if len(regular) >= 2:
        result = stats.spc([p.value for p in regular], improvement=IMPROVEMENT[info.polarity])
        flags = [p.synthetic for p in regular]
        chart = charts.spc_chart(
            labels,
            result,
            title=title,
            unit=unit,
            x_title=charts.x_title_for(regular[0].period.kind),
            synthetic=flags,
        )
        summary = f"SPC chart of {indicator.name}. " + charts.spc_description(
            labels, result, unit=unit, synthetic=flags
        )
    # The kind of each figure is in its own column ("Synthetic demo figure" where it is one)
    rows = [[p.period.label, figure(p.value, unit), origin_label(p.origin)] for p in shown]
    return FigureContent(
        title=title,
        caption=figure_obj.caption or f"{indicator.name}: the trend, {period}",
        chart_svg=chart,
        headers=["Period", _unit_title(unit), "Kind of figure"],
        rows=rows,
        source=_sources(indicator, [area.pk], [p.period.code for p in shown]),
        synthetic=synthetic,
        period=period,
        summary=summary,
        numeric=[1],
    )


def _comparable_period(info, points: list[Point], start: date, end: date) -> Period | None:
    """The period to compare areas over: the latest financial year inside the assessment's period that has a
    figure, else the latest figure held inside it."""
    year = end.year if end.month >= 4 else end.year - 1
    while True:
        fy = Period.financial_year(year)
        if fy.start < start:
            break
        if fy.end <= end and point_for(info, points, fy) is not None:
            return fy
        year -= 1
    held = _within(points, start, end)
    return max(held, key=lambda p: (p.period.end, p.period.month_count)).period if held else None


def indicator_localities(figure_obj) -> FigureContent:
    """The indicator in each locality (and the partnership area), over the latest financial year of the
    assessment's period that has figures, against the same period a year earlier."""
    assessment = figure_obj.section.assessment
    indicator = figure_obj.indicator
    area = main_area(assessment.partnership)
    areas = ([area] if area else []) + localities(assessment.partnership)
    words = _assessment_words(assessment)
    title = f"{indicator.name} by locality"
    if not areas:
        return _no_data(figure_obj, title, "The partnership has no areas to report on", words)
    info = indicator_info(indicator)
    series = headline_series([indicator.pk], [a.pk for a in areas])
    reference = series.get((indicator.pk, areas[0].pk), [])
    if not reference and len(areas) > 1:
        reference = next((series[(indicator.pk, a.pk)] for a in areas if (indicator.pk, a.pk) in series), [])
    period = _comparable_period(info, reference, assessment.period_start, assessment.period_end)
    if period is None:
        return _no_data(figure_obj, title, f"No figures of {indicator.name} are held for {words}", words)
    earlier = period.same_period_last_year()
    unit = indicator.unit
    rows, labels, values, exact = [], [], [], []
    synthetic, codes = False, {period.code, earlier.code}
    for a in areas:
        pts = series.get((indicator.pk, a.pk), [])
        now, before = point_for(info, pts, period), point_for(info, pts, earlier)
        synthetic = synthetic or bool(now and now.synthetic) or bool(before and before.synthetic)
        change = NO_FIGURE
        if now is not None and before is not None:
            difference = now.value - before.value
            change = (
                f"{difference:+,.1f}".replace("-", "−")
                if unit != "count"
                else f"{difference:+,.0f}".replace("-", "−")
            )
            if before.value and unit == "count":
                change += f" ({difference / before.value * 100:+.1f}%)".replace("-", "−")
        rows.append([a.name, _cell(now, unit), _cell(before, unit), change])
        if a.kind == Area.Kind.LOCALITY and now is not None:
            labels.append(a.name)
            values.append(round(now.value) if unit == "count" else round(now.value, 1))
            exact.append(now.value)
        for p in pts:
            if p.period.start >= earlier.start and p.period.end <= period.end:
                codes.add(p.period.code)
    chart = None
    summary = ""
    if len(values) >= 2:
        chart_title = f"{indicator.name} by locality, {period.label}"
        chart = charts.bar_chart(labels, values, title=chart_title, value_title=_unit_title(unit))
        summary = (
            f"Bar chart of {indicator.name} by locality, {period.label}: "
            + "; ".join(f"{label} {figure(v, unit)}" for label, v in zip(labels, exact, strict=True))
            + "."
        )
        if synthetic:
            summary += " Some of these figures are synthetic demo data."
    return FigureContent(
        title=f"{title}, {period.label}",
        caption=figure_obj.caption or f"{indicator.name} by locality, {period.label} against {earlier.label}",
        chart_svg=chart,
        headers=["Area", period.label, earlier.label, "Change"],
        rows=rows,
        source=_sources(indicator, [a.pk for a in areas], sorted(codes)),
        synthetic=synthetic,
        period=f"{period.label} ({_span_words(period.start, period.end)}), against {earlier.label}",
        summary=summary,
        numeric=[1, 2, 3],
    )


# ----------------------------------------------------------------------------------------------- police


def _police_months(assessment) -> list[str]:
    """The months of the assessment's period the police store holds, oldest first."""
    from saferplan.police.selectors import months_held

    first, last = _month(assessment.period_start), _month(assessment.period_end)
    return sorted(m for m in months_held() if first <= m <= last)


def _police_source(months: tuple[str, str]) -> str:
    from saferplan.police import store

    forces = sorted({p["force"] for p in store.parts("street", months=months)})
    named = ", ".join(f.replace("-", " ").title() for f in forces)
    return f"Police open data (data.police.uk street-level crime and anti-social behaviour), force: {named}"


def _police_synthetic(months: tuple[str, str]) -> bool:
    """Synthetic police.uk rows (police.synthetic) have Crime IDs starting "SYN"."""
    import polars as pl

    from saferplan.police import store

    lazy = store.scan("street", months=months)
    if lazy is None or "Crime ID" not in lazy.collect_schema().names():
        return False
    found = lazy.select(
        pl.col("Crime ID").cast(pl.Utf8).str.starts_with("SYN").fill_null(False).any()
    ).collect()
    return bool(found.item())


def _months_words(months: list[str], assessment) -> str:
    words = (
        _month_words(months[0])
        if len(months) == 1
        else f"{_month_words(months[0])} to {_month_words(months[-1])}"
    )
    expected = (
        (assessment.period_end.year - assessment.period_start.year) * 12
        + assessment.period_end.month
        - assessment.period_start.month
        + 1
    )
    if len(months) < expected:
        held = "the only month" if len(months) == 1 else f"the {len(months)} months"
        words += f" ({held} of {_assessment_words(assessment)} held)"
    return words


def police_crime_types(figure_obj) -> FigureContent:
    """Police recorded crime and anti-social behaviour in the partnership area by crime type, over the months of
    the assessment's period the store holds (one crime type's months, when the figure names one)."""
    from saferplan.police import layouts, summary
    from saferplan.police.selectors import partnership_areas

    assessment = figure_obj.section.assessment
    words = _assessment_words(assessment)
    crime_type = figure_obj.crime_type.strip()
    title = f"Police recorded {crime_type.lower() if crime_type else 'crime'} by type"
    areas = partnership_areas(assessment.partnership)
    months = _police_months(assessment)
    if not areas:
        return _no_data(figure_obj, title, "No area of the partnership has its LSOAs set", words)
    if not months:
        return _no_data(figure_obj, title, f"No police open data are held for {words}", words)
    area = areas[0]
    span = (months[0], months[-1])
    period = _months_words(months, assessment)
    synthetic = _police_synthetic(span)
    mark = SYNTHETIC_MARK if synthetic else ""
    chart = None
    summary_words = ""
    if crime_type:
        rows = []
        for m in months:
            counts = dict(summary.counts_by_crime_type((m, m), area)["rows"])
            rows.append([_month_words(m), f"{counts.get(crime_type, 0):,}{mark}"])
        headers = ["Month", crime_type]
        title = f"Police recorded {crime_type.lower()}, {area.name}, {period}"
    else:
        counts = summary.counts_by_crime_type(span, area)
        shown = [(c, n) for c, n in counts["rows"] if n or c in layouts.CRIME_TYPES]
        total = counts["all"] or 1
        rows = [[c, f"{n:,}{mark}", f"{n / total * 100:.1f}%"] for c, n in shown]
        rows.append(
            ["All crime (every type except anti-social behaviour)", f"{counts['crimes']:,}{mark}", ""]
        )
        rows.append(["All rows (crime and anti-social behaviour)", f"{counts['all']:,}{mark}", "100.0%"])
        headers = ["Crime type", "Number", "Share of all rows"]
        title = f"Police recorded crime by type, {area.name}, {period}"
        ranked = sorted(((c, n) for c, n in shown if n), key=lambda cn: (-cn[1], cn[0]))
        if len(ranked) >= 2:
            chart = charts.bar_chart(
                [c for c, _ in ranked],
                [n for _, n in ranked],
                title=title,
                value_title="Number of crimes and incidents",
            )
            summary_words = (
                f"Bar chart of police recorded crime and anti-social behaviour by type, {area.name}, {period}: "
                + "; ".join(f"{c} {n:,}" for c, n in ranked)
                + "."
                + (" These are synthetic demo figures." if synthetic else "")
            )
    return FigureContent(
        title=title,
        caption=figure_obj.caption or title,
        chart_svg=chart,
        headers=headers,
        rows=rows,
        source=_police_source(span),
        synthetic=synthetic,
        period=period,
        summary=summary_words,
        numeric=list(range(1, len(headers))),
    )


def police_localities(figure_obj) -> FigureContent:
    """Police recorded crime (or one crime type) in the partnership area and each locality, with the rate per
    1,000 residents where the population is known, over the months of the assessment's period held."""
    from saferplan.police import summary
    from saferplan.police.selectors import partnership_areas

    assessment = figure_obj.section.assessment
    words = _assessment_words(assessment)
    crime_type = figure_obj.crime_type.strip()
    what = crime_type or "All crime (every type except anti-social behaviour)"
    title = f"Police recorded {crime_type.lower() if crime_type else 'crime'} by area"
    areas = partnership_areas(assessment.partnership)
    months = _police_months(assessment)
    if not areas:
        return _no_data(figure_obj, title, "No area of the partnership has its LSOAs set", words)
    if not months:
        return _no_data(figure_obj, title, f"No police open data are held for {words}", words)
    span = (months[0], months[-1])
    period = _months_words(months, assessment)
    synthetic = _police_synthetic(span)
    mark = SYNTHETIC_MARK if synthetic else ""
    populations = populations_by_area(a.pk for a in areas)
    year = population_year(date(int(months[0][:4]), int(months[0][5:]), 1))
    rows, labels, values = [], [], []
    for a in areas:
        counts = summary.counts_by_crime_type(span, a)
        n = dict(counts["rows"]).get(crime_type, 0) if crime_type else counts["crimes"]
        population = population_for(populations.get(a.pk, {}), year)
        rate = f"{n / population * 1000:,.2f}{mark}" if population else NO_FIGURE
        rows.append([a.name, f"{n:,}{mark}", f"{population:,}" if population else NO_FIGURE, rate])
        if a.kind == Area.Kind.LOCALITY:
            labels.append(a.name)
            values.append(n)
    chart = None
    summary_words = ""
    title = f"Police recorded {crime_type.lower() if crime_type else 'crime'} by area, {period}"
    if len(values) >= 2:
        chart = charts.bar_chart(labels, values, title=title, value_title=f"Number: {what}")
        summary_words = (
            f"Bar chart of {what.lower()} by locality, {period}: "
            + "; ".join(f"{label} {v:,}" for label, v in zip(labels, values, strict=True))
            + "."
            + (" These are synthetic demo figures." if synthetic else "")
        )
    return FigureContent(
        title=title,
        caption=figure_obj.caption or title,
        chart_svg=chart,
        headers=["Area", f"Number: {what}", f"Population (mid-{year})", "Rate per 1,000 residents"],
        rows=rows,
        source=_police_source(span) + "; populations: ONS mid-year estimates",
        synthetic=synthetic,
        period=period,
        summary=summary_words,
        numeric=[1, 2, 3],
    )


BUILDERS = {
    "indicator_trend": indicator_trend,
    "indicator_localities": indicator_localities,
    "police_crime_types": police_crime_types,
    "police_localities": police_localities,
}


def figure_content(figure: SectionFigure) -> FigureContent:
    """The figure's content, computed from the live data now."""
    builder = BUILDERS.get(figure.kind)
    if builder is None:
        raise ValueError(f"Unknown kind of figure: {figure.kind}")
    if figure.kind.startswith("indicator") and figure.indicator_id is None:
        title = figure.caption or figure.get_kind_display()
        return _no_data(figure, title, "No indicator chosen", _assessment_words(figure.section.assessment))
    return builder(figure)
