"""The quarterly performance escalation report to the Board, and basket reports, as a typed structure.

For each objective (with its facilitating groups): performance highlights and areas for improvement, chosen
from the assessments by the rules below (configurable through `Rules`), with the groups' commentary and open
escalations. A basket report is the same for a basket's indicators and audience. Laid out as a
reports.document.Document by `performance_document`; renderers: reports/render.py.

Highlight when any of: target met (green); special-cause improvement; improving against the same period last
year by at least `change_threshold` per cent (or percentage points for percentages); better than a benchmark.
Area for improvement when any of: target missed (red) or narrowly missed (amber); special-cause concern;
worsening by at least `change_threshold`; worse than a benchmark. An indicator can be both (the reasons say why).
Synthetic demo figures are reported like real ones but labelled.

Every item is the headline figure (the partnership's precedence of sources, indicators.services); where another
real source gives a different figure for the period (or a month or quarter inside it), a line says so. A
comparison of a real figure with a synthetic one says so in its cell and its reason (Change.caveat). Figures
over spans that are not a month, quarter or year (Jan 2010 – Mar 2015) are in a table of their own, each
compared only with the same span a year earlier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from saferplan.areas.models import Area
from saferplan.core.formatting import figure, long_date
from saferplan.delivery.models import Escalation
from saferplan.indicators import charts, periods
from saferplan.indicators.assessment import Assessment, Change, series_caveat
from saferplan.indicators.models import Commentary
from saferplan.indicators.selectors import SpanFigure, assess_indicators, span_figures
from saferplan.plans.models import Basket, Plan
from saferplan.reports.document import Bullets, Chart, Document, Heading, Paragraph, Table


@dataclass(frozen=True)
class Rules:
    change_threshold: float = 5.0
    use_benchmarks: bool = True


@dataclass
class Item:
    indicator: str
    unit: str
    period: str
    assessment: Assessment
    reasons: list[str]
    chart_labels: list[str] = field(default_factory=list)  # the SPC chart's periods
    origin: str = ""  # what kind of figure the headline is, e.g. "Published figure"
    others: list[str] = field(default_factory=list)  # other real sources that give a different figure
    chart_caveat: str = ""  # when the SPC series mixes real and synthetic figures


@dataclass
class SpanItem:
    """A figure over a span of one of the report's indicators, with the same span a year earlier."""

    indicator: str
    unit: str
    figure: SpanFigure


@dataclass
class Section:
    title: str
    groups: list[str]
    highlights: list[Item] = field(default_factory=list)
    improvements: list[Item] = field(default_factory=list)
    steady: list[Item] = field(default_factory=list)
    commentary: list[tuple[str, str]] = field(default_factory=list)
    escalations: list[str] = field(default_factory=list)


@dataclass
class PerformanceReport:
    title: str
    audience: str
    period: periods.Period
    area: str
    sections: list[Section]
    rules: Rules
    synthetic: bool
    basket: str = ""  # the basket's name, for a basket report
    spans: list[SpanItem] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        return [i for s in self.sections for i in (*s.highlights, *s.improvements, *s.steady)]


def _change_size(a: Assessment) -> float | None:
    if a.last_year is None:
        return None
    return (
        abs(a.last_year.absolute)
        if a.unit in ("percentage", "percentage_change")
        else abs(a.last_year.percent or 0)
    )


def _with_caveat(text: str, caveat: str) -> str:
    """A reason with what it must say about its two figures, inside its brackets if it has them."""
    if not caveat:
        return text
    if text.endswith(")"):
        return f"{text[:-1]}; {caveat})"
    return f"{text} ({caveat})"


def judge(a: Assessment, rules: Rules) -> tuple[list[str], list[str]]:
    """(reasons to highlight, reasons for improvement) for an assessment; a reason comparing a real figure with
    a synthetic one says so."""
    good, bad = [], []
    if a.rag == "green":
        good.append("target met")
    elif a.rag == "red":
        bad.append("target missed")
    elif a.rag == "amber":
        bad.append("target narrowly missed")
    if a.spc_status == "improvement":
        good.append("special-cause improvement")
    elif a.spc_status == "concern":
        bad.append("special-cause concern")
    size = _change_size(a)
    if size is not None and size >= rules.change_threshold:
        caveat = a.last_year.caveat
        if a.direction == "improving":
            good.append(
                _with_caveat(
                    f"improving on the same period last year ({size:.1f}{' points' if a.unit == 'percentage' else '%'})",
                    caveat,
                )
            )
        elif a.direction == "worsening":
            bad.append(
                _with_caveat(
                    f"worse than the same period last year ({size:.1f}{' points' if a.unit == 'percentage' else '%'})",
                    caveat,
                )
            )
    if rules.use_benchmarks:
        for name, verdict in a.benchmarks.items():
            caveat = a.benchmark_caveats.get(name, "")
            if verdict == "better":
                good.append(_with_caveat(f"better than {name}", caveat))
            elif verdict == "worse":
                bad.append(_with_caveat(f"worse than {name}", caveat))
    return good, bad


def _item(row, reasons) -> Item:
    return Item(
        row.indicator.name,
        row.indicator.unit,
        row.period.label,
        row.assessment,
        reasons,
        [p.period.label for p in row.series],
        origin=row.origin_label,
        others=row.other_lines(limit=3, synthetic=False),
        chart_caveat=series_caveat(row.series) if row.assessment.spc is not None else "",
    )


def _spans(indicators, area: Area, period: periods.Period) -> list[SpanItem]:
    """Figures over spans of these indicators that end by the end of the report's period, in its financial year
    or the one before; a span shown as the same span a year earlier of another is not repeated."""
    start_year = period.end.year if period.end.month >= 4 else period.end.year - 1
    earliest = date(start_year - 1, 4, 1)
    by_key = span_figures([i.pk for i in indicators], [area.pk])
    items = []
    for indicator in indicators:
        figures = [
            f for f in by_key.get((indicator.pk, area.pk), []) if earliest <= f.period.end <= period.end
        ]
        shown_earlier = {f.earlier.pk for f in figures if f.earlier is not None}
        items += [
            SpanItem(indicator.name, indicator.unit, f)
            for f in figures
            if f.observation.pk not in shown_earlier
        ]
    return items


def board_report(
    plan: Plan, quarter: periods.Period, *, rules: Rules = Rules(), area: Area | None = None
) -> PerformanceReport:
    area = area or Area.objects.get(partnership=plan.partnership, kind=Area.Kind.PARTNERSHIP)
    indicators = list(plan.partnership.indicators.live().prefetch_related("objectives").order_by("order"))
    rows = assess_indicators(indicators, area, quarter)
    comments = {}
    for c in Commentary.objects.filter(indicator__in=indicators, area=area).order_by("period"):
        comments.setdefault(c.indicator_id, []).append(c)
    open_escalations = list(
        Escalation.objects.filter(state="open", from_group__partnership=plan.partnership).select_related(
            "from_group"
        )
    )
    sections = []
    objectives = list(plan.objectives.live().order_by("number").prefetch_related("group_roles__group"))
    placed = set()
    for objective in objectives:
        groups = [r.group for r in objective.group_roles.all()]
        section = Section(f"Objective {objective.number}: {objective.title}", [g.name for g in groups])
        for indicator in indicators:
            if not any(o.pk == objective.pk for o in indicator.objectives.all()):
                continue
            placed.add(indicator.pk)
            _place(section, rows[indicator.pk], rules, comments.get(indicator.pk, []), quarter)
        group_ids = {g.pk for g in groups}
        section.escalations = [
            f"{e.title} ({e.from_group.name}, raised {long_date(e.raised_on)})"
            for e in open_escalations
            if e.from_group_id in group_ids
        ]
        sections.append(section)
    key = Section("Key crime indicators", ["Safe Durham Partnership Board"])
    for indicator in indicators:
        if indicator.key_crime and indicator.pk not in placed:
            _place(key, rows[indicator.pk], rules, comments.get(indicator.pk, []), quarter)
    if key.highlights or key.improvements or key.steady:
        sections.append(key)
    report = PerformanceReport(
        f"Performance escalation report, {quarter.label}",
        "Safe Durham Partnership Board",
        quarter,
        area.name,
        sections,
        rules,
        False,
        spans=_spans(indicators, area, quarter),
    )
    report.synthetic = _any_synthetic(report)
    return report


def _any_synthetic(report: PerformanceReport) -> bool:
    """Whether any figure the report shows is synthetic: a headline, the one it is compared with, or a span's."""
    return any(
        i.assessment.synthetic or (i.assessment.last_year and i.assessment.last_year.mixed)
        for i in report.items
    ) or any(
        s.figure.observation.synthetic or (s.figure.earlier is not None and s.figure.earlier.synthetic)
        for s in report.spans
    )


def _place(section: Section, row, rules: Rules, comments, quarter: periods.Period) -> None:
    if row.assessment.value is None:
        return
    good, bad = judge(row.assessment, rules)
    if good:
        section.highlights.append(_item(row, good))
    if bad:
        section.improvements.append(_item(row, bad))
    if not good and not bad:
        section.steady.append(_item(row, []))
    for c in comments:
        if periods.Period.from_code(c.period).end <= quarter.end:
            section.commentary.append((row.indicator.name, c.text))


def basket_report(
    basket: Basket, plan: Plan, period: periods.Period, *, rules: Rules = Rules()
) -> PerformanceReport:
    area = Area.objects.get(partnership=plan.partnership, kind=Area.Kind.PARTNERSHIP)
    indicators = list(
        basket.indicators.filter(archived_at__isnull=True).order_by("basket_memberships__order")
    )
    rows = assess_indicators(indicators, area, period)
    section = Section(basket.name, [])
    for indicator in indicators:
        _place(section, rows[indicator.pk], rules, [], period)
    report = PerformanceReport(
        f"{basket.name}, {period.label}",
        basket.audience,
        period,
        area.name,
        [section],
        rules,
        False,
        basket=basket.name,
        spans=_spans(indicators, area, period),
    )
    report.synthetic = _any_synthetic(report)
    return report


# RAG and SPC are among the reasons ("Why"); the data annex has them in columns of their own.
COLUMNS = ["Indicator", "Period", "Value", "Same period last year", "Change", "Target", "Why"]
ANNEX_COLUMNS = [
    "Section",
    "Judgement",
    "Indicator",
    "Unit",
    "Period",
    "Value",
    "Same period last year",
    "Change (%)",
    "Change (points)",
    "Target",
    "RAG",
    "SPC",
    "Synthetic",
    "Why",
    "Origin",
    "Comparison",
    "Other sources that differ",
]
SPAN_COLUMNS = [
    "Indicator",
    "Span",
    "Figure",
    "Same span a year earlier",
    "Change",
    "Source",
    "Quote or reference",
    "Note",
]
SYNTHETIC_WARNING = (
    "Some figures in this report are synthetic demo data, not real figures; they are marked as such."
)


def _change_text(change: Change | None, unit: str) -> str:
    """A change as a report's cell writes it, with what it must say when it compares a real figure with a
    synthetic one: "−11.2%"; "+3.0% (the earlier figure is synthetic demo data)"."""
    if change is None:
        return "–"
    if unit in ("percentage", "percentage_change"):
        text = f"{change.absolute:+.1f} points"
    elif change.percent is not None:
        text = f"{change.percent:+.1f}%"
    else:
        text = (
            f"{change.absolute:+,.0f}" if float(change.absolute).is_integer() else f"{change.absolute:+,.1f}"
        )
    text = text.replace("-", "−")
    return f"{text} ({change.caveat})" if change.mixed else text


def _previous(change: Change | None, unit: str) -> str:
    """The figure compared with, saying when it alone is synthetic."""
    if change is None:
        return "–"
    return figure(change.previous, unit) + (" (synthetic demo data)" if change.mixed == "earlier" else "")


def _change(item: Item) -> str:
    return _change_text(item.assessment.last_year, item.unit)


def item_row(item: Item) -> list[str]:
    a = item.assessment
    return [
        item.indicator + (" (synthetic demo data)" if a.synthetic else ""),
        item.period,
        figure(a.value, item.unit),
        _previous(a.last_year, item.unit),
        _change(item),
        figure(a.target, item.unit) if a.target is not None else "–",
        "; ".join(item.reasons) or "no change to report",
    ]


def _table(caption: str, items: list[Item]) -> Table:
    return Table(caption, COLUMNS, [item_row(i) for i in items], numeric=[2, 3, 4, 5])


def _other_sources(items: list[Item]) -> Bullets | None:
    """A line for each other real source that gives a different figure from an item's headline."""
    lines = [f"{i.indicator}: {line}" for i in items for line in i.others]
    return Bullets(lines) if lines else None


def span_row(item: SpanItem) -> list[str]:
    f, unit = item.figure, item.unit
    o = f.observation
    source = f"{o.source}, {f.origin_label[:1].lower()}{f.origin_label[1:]}"
    source += "".join(f"; {other.sentence(unit)}" for other in f.others if not other.synthetic)
    return [
        item.indicator + (" (synthetic demo data)" if o.synthetic else ""),
        f.period.label,
        figure(o.value, unit),
        f"{_previous(f.change, unit)} ({f.change.against})" if f.earlier else "–",
        _change_text(f.change, unit) if f.change else "no figure for the same span a year earlier",
        source,
        o.reference or "–",
        o.note or "–",
    ]


def span_table(spans: list[SpanItem]) -> Table:
    return Table(
        "Figures over other spans",
        SPAN_COLUMNS,
        [span_row(s) for s in spans],
        numeric=[2, 3],
        sheet="Figures over other spans",
    )


def spc_chart_block(item: Item) -> Chart | None:
    """The indicator's SPC (XmR) chart with its alternative text, summary and figures."""
    a = item.assessment
    if a.spc is None or len(item.chart_labels) != len(a.spc.points):
        return None
    title = f"{item.indicator}: SPC chart to {item.period}"
    target = a.target if a.target is not None else None
    described = charts.spc_description(item.chart_labels, a.spc, target)
    if item.chart_caveat:
        described = f"{described} {item.chart_caveat}".strip()
    # The mean and process limits of each group of points are in the summary; the table gives every point.
    rows = [
        [label, figure(point.value, item.unit), point.variation.replace("_", " ")]
        for point, label in zip(a.spc.points, item.chart_labels, strict=True)
    ]
    return Chart(
        title=title,
        svg=charts.spc_chart(item.chart_labels, a.spc, title=title, target=target),
        alt=f"SPC chart of {item.indicator}. {described}",
        summary=f"{a.summary} {described}".strip(),
        table=Table(
            f"{item.indicator}: figures in the chart",
            ["Period", "Value", "Variation"],
            rows,
            numeric=[1],
            sheet=f"Chart {item.indicator}"[:31],
        ),
    )


def _annex(report: PerformanceReport) -> Table:
    rows = []
    for section in report.sections:
        for label, items in (
            ("Highlight", section.highlights),
            ("Area for improvement", section.improvements),
            ("No change to report", section.steady),
        ):
            for item in items:
                a = item.assessment
                rows.append(
                    [
                        section.title,
                        label,
                        item.indicator,
                        item.unit,
                        item.period,
                        a.value,
                        a.last_year.previous if a.last_year else None,
                        round(a.last_year.percent, 6)
                        if a.last_year and a.last_year.percent is not None
                        else None,
                        round(a.last_year.absolute, 6) if a.last_year else None,
                        a.target,
                        a.rag,
                        a.spc_status.replace("_", " "),
                        "yes" if a.synthetic else "no",
                        "; ".join(item.reasons),
                        item.origin,
                        a.last_year.caveat if a.last_year else "",
                        "; ".join(item.others),
                    ]
                )
    return Table(report.title, ANNEX_COLUMNS, rows, sheet="Data annex")


def revisions_blocks(revisions: list[dict], since_label: str) -> list:
    """Blocks listing the figures revised since the last published report (from indicators.selectors
    .revisions_since)."""
    heading = Heading(f"Figures revised since the last published report ({since_label})", 1)
    if not revisions:
        return [heading, Paragraph("No figures have been revised since then.")]
    rows = [
        [
            r["indicator"].name if r["indicator"] else "",
            r["area"].name if r["area"] else "",
            r["period"].label,
            r["source"],
            figure(r["old"], r["indicator"].unit if r["indicator"] else "count"),
            figure(r["new"], r["indicator"].unit if r["indicator"] else "count"),
            f"{long_date(r['when'])}",
        ]
        for r in revisions
    ]
    return [
        heading,
        Paragraph(
            f"{len(rows)} figure{'s' if len(rows) != 1 else ''} reported earlier "
            f"{'have' if len(rows) != 1 else 'has'} since been revised:"
        ),
        Table(
            "Figures revised",
            ["Indicator", "Area", "Period", "Source", "Was", "Now", "Revised on"],
            rows,
            numeric=[4, 5],
            sheet="Revised figures",
        ),
    ]


def performance_document(report: PerformanceReport, *, revised: list | None = None) -> Document:
    """The Board or basket report in the shape of a committee report: purpose, background, performance
    (highlights and areas for improvement with charts), recommendations; `revised` are the blocks from revisions_blocks."""
    basket = bool(report.basket)
    document = Document(
        report.title,
        subtitle=f"Report to the {report.audience} · {report.area}",
        warning=SYNTHETIC_WARNING if report.synthetic else "",
    )
    purpose = (
        f"To present the {report.basket} indicators for {report.period.label} to the {report.audience}, "
        "with their performance highlights and areas for improvement."
        if basket
        else f"To present the performance highlights and the areas for improvement for {report.period.label}, "
        "by objective and thematic group."
    )
    document.add(
        Heading("Purpose of the report", 1),
        Paragraph(purpose, numbered=True),
        Heading("Background", 1),
        Paragraph(
            "Highlights and areas for improvement are chosen from each indicator's assessment: target met or "
            "missed, special-cause variation (Making Data Count rules), a change of at least "
            f"{report.rules.change_threshold:g}% (percentage points for percentages) on the same period last "
            "year" + (", and comparison with benchmarks." if report.rules.use_benchmarks else "."),
            numbered=True,
        ),
        Paragraph(
            "Each area for improvement has its SPC chart, with the chart described in words and its figures "
            "in a table; all figures are in the data annex.",
            numbered=True,
        ),
    )
    if revised:
        document.add(*revised)
    document.add(Heading("Performance", 1))
    for section in report.sections:
        document.add(Heading(section.title, 2))
        if section.groups:
            document.add(Paragraph("Facilitated by " + ", ".join(section.groups) + "."))
        for title, items in (
            ("Performance highlights", section.highlights),
            ("Areas for improvement", section.improvements),
        ):
            document.add(Heading(title, 3))
            if items:
                document.add(_table(f"{section.title}: {title.lower()}", items))
                others = _other_sources(items)
                if others is not None:
                    document.add(Paragraph("Other sources give different figures:"), others)
            else:
                document.add(Paragraph("None this quarter." if not basket else "None this period."))
        for item in section.improvements:
            chart = spc_chart_block(item)
            if chart is not None:
                document.add(chart)
        if section.commentary:
            document.add(Heading("Commentary", 3))
            for indicator, text in section.commentary:
                document.add(Paragraph(text, lead=f"{indicator}:"))
        if section.escalations:
            document.add(Heading("Open escalations", 3), Bullets(section.escalations))
        steady = _other_sources(section.steady)
        if steady is not None:
            document.add(
                Paragraph("Other sources give different figures for indicators with no change to report:"),
                steady,
            )
    spans = span_table(report.spans) if report.spans else None
    if spans is not None:
        document.add(
            Heading("Figures over other spans", 2),
            Paragraph(
                "Figures published for a run of months that is not a month, quarter or year, with their source. "
                "Each is compared only with the figure for the same span a year earlier."
            ),
            spans,
        )
    document.add(
        Heading("Recommendations", 1),
        Paragraph(
            f"The {report.audience} is recommended to note the performance highlights and agree actions on the "
            "areas for improvement.",
            numbered=True,
        ),
    )
    document.annex = (
        [_annex(report)]
        + ([spans] if spans is not None else [])
        + [b.table for b in document.blocks if isinstance(b, Chart)]
    )
    return document
