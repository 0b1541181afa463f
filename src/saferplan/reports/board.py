"""The quarterly performance escalation report to the Board, and basket reports, as a typed structure.

For each objective (with its facilitating groups): performance highlights and areas for improvement, chosen
from the assessments by the rules below (configurable through `Rules`), with the groups' commentary and open
escalations. A basket report is the same for a basket's indicators and audience. Laid out as a
reports.document.Document by `performance_document`; renderers: reports/render.py.

Judgements (`judge`): each indicator is a performance highlight, an area for improvement, or neither; never both.
The reasons for a highlight are: target met (green); special-cause improvement; improving on the same period
last year by at least `change_threshold` per cent (percentage points for percentages); better than a benchmark.
The reasons for an area for improvement are: target missed (red) or narrowly missed (amber); special-cause
concern; worse than the same period last year by at least `change_threshold`; worse than a benchmark. Then:
- an indicator better than in the same period last year is never an area for improvement: it is a highlight
  when it has a reason to be one, else neither;
- an indicator worse than in the same period last year is never a highlight: it is an area for improvement when
  it has a reason to be one, else neither;
- with no figure for last year, or no change, an indicator with reasons both ways is judged by its target
  (missed: area for improvement; met: highlight), then by special-cause variation, else it is neither.
The paper's Background says the same in words (`rules_text`). Synthetic demo figures are reported like real
ones but labelled.

Every item is the headline figure (the partnership's precedence of sources, indicators.services); where another
real source gives a different figure for the period (or a month or quarter inside it), a line says so. A
comparison of a real figure with a synthetic one says so in its cell and its reason (Change.caveat). Figures
over spans that are not a month, quarter or year (Jan 2010 – Mar 2015) are in a table of their own, each
compared only with the same span a year earlier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from saferplan.areas.models import Area
from saferplan.core.formatting import figure, long_date
from saferplan.delivery.models import Escalation
from saferplan.indicators import charts, periods
from saferplan.indicators.assessment import Assessment, Change, series_caveat
from saferplan.indicators.models import Commentary
from saferplan.indicators.selectors import SpanFigure, assess_indicators, span_figures
from saferplan.plans.models import Basket, Indicator, Plan
from saferplan.reports.committee import Paper, committee_document
from saferplan.reports.document import Block, Bullets, Chart, Document, Heading, Paragraph, Table


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
    chart_synthetic: list[bool] = field(default_factory=list)  # which of the chart's points are synthetic
    chart_x_title: str = "Period"  # the time axis title: "Month", "Quarter", "Year"


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
    """(reasons to highlight, reasons for improvement) for an assessment, at most one of them not empty (the
    rules in the module's docstring); a reason comparing a real figure with a synthetic one says so."""
    good, bad = _reasons(a, rules)
    if a.direction == "improving":
        return good, []
    if a.direction == "worsening":
        return [], bad
    if good and bad:  # no change on last year, or nothing to compare with: the target, then SPC, decides
        if a.rag in ("red", "amber"):
            return [], bad
        if a.rag == "green":
            return good, []
        if a.spc_status == "concern":
            return [], bad
        if a.spc_status == "improvement":
            return good, []
        return [], []
    return good, bad


def rules_text(rules: Rules) -> str:
    """The judgement rules in plain words, for the paper's Background."""
    size = f"{rules.change_threshold:g}% (percentage points for percentages)"
    benchmark_good = ", or is better than a benchmark" if rules.use_benchmarks else ""
    benchmark_bad = ", or is worse than a benchmark" if rules.use_benchmarks else ""
    return (
        "Each indicator is a performance highlight, an area for improvement, or neither; never both. An "
        "indicator that is better than in the same period last year is never an area for improvement: it is a "
        f"highlight when it improved by at least {size}, met its target, shows special-cause improvement"
        f"{benchmark_good}. An indicator that is worse than in the same period last year is never a highlight: "
        f"it is an area for improvement when it worsened by at least {size}, missed its target, shows "
        f"special-cause concern{benchmark_bad}. With no figure for last year, or no change, an indicator with "
        "reasons both ways is judged by its target (missed: an area for improvement; met: a highlight), then by "
        "special-cause variation; otherwise it is neither."
    )


def _reasons(a: Assessment, rules: Rules) -> tuple[list[str], list[str]]:
    """Every reason to highlight and every reason for improvement, before `judge` chooses between them."""
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
                    f"improving on the same period last year ({size:.1f}{' points' if a.unit in ('percentage', 'percentage_change') else '%'})",
                    caveat,
                )
            )
        elif a.direction == "worsening":
            bad.append(
                _with_caveat(
                    f"worse than the same period last year ({size:.1f}{' points' if a.unit in ('percentage', 'percentage_change') else '%'})",
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
        chart_synthetic=[p.synthetic for p in row.series],
        chart_x_title=charts.x_title_for(row.series[0].period.kind) if row.series else "Period",
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
    open_escalations = escalations_open_at(plan, quarter.end)
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


def escalations_open_at(plan: Plan, day: date) -> list[Escalation]:
    """The partnership's escalations raised on or before `day` and still open at its end (not decided by
    then), oldest first."""
    return list(
        Escalation.objects.filter(from_group__partnership=plan.partnership, raised_on__lte=day)
        .filter(Q(state=Escalation.State.OPEN) | Q(decided_on__gt=day))
        .select_related("from_group")
        .order_by("raised_on", "pk")
    )


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


def span_table(spans: list[SpanItem], *, printed: bool = False) -> Table:
    """The figures over other spans: every column in the data annex; in the printed paper, without the
    quotation or reference and note that say where in the source documents each figure was found."""
    columns = SPAN_COLUMNS[:6] if printed else SPAN_COLUMNS
    return Table(
        "Figures over other spans",
        columns,
        [span_row(s)[: len(columns)] for s in spans],
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
    described = charts.spc_description(
        item.chart_labels, a.spc, target, unit=item.unit, synthetic=item.chart_synthetic
    )
    if item.chart_caveat:  # the description has said how many points are synthetic
        described = f"{described} So not every comparison in the chart is between real figures.".strip()
    # The mean and process limits of each group of points are in the summary; the table gives every point.
    rows = [
        [label, figure(point.value, item.unit), point.variation.replace("_", " ")]
        for point, label in zip(a.spc.points, item.chart_labels, strict=True)
    ]
    return Chart(
        title=title,
        svg=charts.spc_chart(
            item.chart_labels,
            a.spc,
            title=title,
            target=target,
            unit=item.unit,
            x_title=item.chart_x_title,
            synthetic=item.chart_synthetic,
        ),
        alt=f"SPC chart of {item.indicator}. {described}",
        summary=described,  # the SPC findings once: assessment.summary words them the same (spc_words)
        table=Table(
            f"{item.indicator}: figures in the chart",
            ["Period", "Value", "Variation"],
            rows,
            numeric=[1],
            sheet=f"Chart {item.indicator}"[:31],
        ),
    )


def unit_label(unit: str) -> str:
    """A unit as people write it ("Rate per 1,000"), not its code."""
    return Indicator.Unit(unit).label if unit in Indicator.Unit.values else unit


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
                        unit_label(item.unit),
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


def _brief(item: Item) -> str:
    """An indicator in the summary table: its name, why it was chosen when that is not its change on last year,
    and its change on last year: "Suicide rate (+31.5% on last year)", "Repeat incidents (special-cause
    concern; +0.6 points on last year)"."""
    a = item.assessment
    notes = []
    if item.reasons and not item.reasons[0].startswith(("improving on the same", "worse than the same")):
        notes.append(item.reasons[0].split(" (")[0])
    if a.last_year is not None and a.last_year.absolute == 0:
        notes.append("the same as last year")
    elif a.last_year is not None:
        notes.append(f"{_change_text(a.last_year, item.unit).split(' (')[0]} on last year")
    if a.synthetic:
        notes.append("synthetic")
    return f"{item.indicator} ({'; '.join(notes)})" if notes else item.indicator


def summary_table(report: PerformanceReport) -> Table:
    """The one table in the paper's body: each objective's highlights and areas for improvement."""
    return Table(
        f"Performance highlights and areas for improvement, {report.period.label}",
        [
            "Objective" if not report.basket else "Indicators",
            "Performance highlights",
            "Areas for improvement",
        ],
        [
            [
                section.title,
                "; ".join(_brief(i) for i in section.highlights) or "None",
                "; ".join(_brief(i) for i in section.improvements) or "None",
            ]
            for section in report.sections
        ],
        sheet="Summary",
    )


def _counted(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def performance_document(
    report: PerformanceReport, *, revised: list | None = None, paper: Paper | None = None
) -> Document:
    """The Board or basket report as a committee paper (reports.committee): purpose, background (what the
    report is and the judgement rules), the body (the count of highlights and areas for improvement, the
    summary table by objective, the groups' commentary and the escalations open at the end of the period),
    a recommendation to note it; the charts, the indicators' figures, figures over other spans and revised
    figures in appendices. `revised` are the blocks from revisions_blocks."""
    from datetime import timedelta

    paper = paper or Paper(report.audience, report.period.end + timedelta(days=42))
    basket = bool(report.basket)
    period = report.period.label
    items = [i for s in report.sections for i in (*s.highlights, *s.improvements, *s.steady)]
    highlights = sum(len(s.highlights) for s in report.sections)
    improvements = sum(len(s.improvements) for s in report.sections)
    escalations = sum(len(s.escalations) for s in report.sections)

    charts_blocks: list[Block] = []
    for section in report.sections:
        section_charts = [c for c in (spc_chart_block(i) for i in section.improvements) if c is not None]
        if section_charts:
            charts_blocks += [Heading(section.title, 2), *section_charts]
    detail: list[Block] = []
    for section in report.sections:
        detail.append(Heading(section.title, 2))
        for title, found in (
            ("Performance highlights", section.highlights),
            ("Areas for improvement", section.improvements),
            ("No change to report", section.steady),
        ):
            if not found:
                continue
            detail.append(_table(f"{section.title}: {title.lower()}", found))
            others = _other_sources(found)
            if others is not None:
                detail += [Paragraph("Other sources give different figures:"), others]
    spans = span_table(report.spans) if report.spans else None
    appendices: list[tuple[str, list[Block]]] = []
    if charts_blocks:
        appendices.append(("Charts", charts_blocks))
    appendices.append(("Performance in detail", detail))
    if spans is not None:
        appendices.append(
            (
                "Figures over other spans",
                [
                    Paragraph(
                        "Figures published for a run of months that is not a month, quarter or year, with their "
                        "source. Each is compared only with the figure for the same span a year earlier."
                    ),
                    span_table(report.spans, printed=True),
                ],
            )
        )
    if revised:
        appendices.append(
            (revised[0].text if isinstance(revised[0], Heading) else "Revised figures", revised[1:])
        )
    number = {title: n for n, (title, _) in enumerate(appendices, start=2)}

    if basket:
        purpose = (
            f"To present the {paper.meeting} with the {report.basket} indicators for {period}: their performance "
            "highlights and areas for improvement."
        )
        background = [
            Paragraph(
                f"The {report.basket} is a set of the partnership's indicators reported to the {paper.meeting}.",
                numbered=True,
            )
        ]
    else:
        purpose = (
            f"To present the {paper.meeting} with the quarterly performance escalation report for {period}: the "
            "performance highlights and the areas for improvement by objective, with the escalations open at "
            "the end of the quarter."
        )
        background = [
            Paragraph(
                "Performance against the partnership plan is reported to the Board every quarter in a "
                "performance escalation report: for each objective, the indicators that are performance "
                "highlights and those that are areas for improvement, with the thematic groups' commentary and "
                "the escalations they have raised.",
                numbered=True,
            )
        ]
    background.append(Paragraph(rules_text(report.rules), numbered=True))
    where = [f"the figures of every indicator are in Appendix {number['Performance in detail']}"]
    if "Charts" in number:
        where.insert(0, f"the SPC chart of each area for improvement is in Appendix {number['Charts']}")
    if report.synthetic:
        where.append("synthetic demo figures are marked as such")
    where_text = "; ".join(where)
    background.append(Paragraph(f"{where_text[:1].upper()}{where_text[1:]}.", numbered=True))

    body: list[Block] = [
        Heading(f"Performance, {period}", 1),
        Paragraph(
            f"Of the {_counted(len(items), 'indicator', 'indicators')} with a figure for {period}, "
            f"{_counted(highlights, 'is a performance highlight', 'are performance highlights')} and "
            f"{_counted(improvements, 'is an area for improvement', 'are areas for improvement')}; the others "
            "have no change to report. The table below lists them"
            + (" by objective." if not basket else "."),
            numbered=True,
        ),
        summary_table(report),
    ]
    if revised:
        body.append(
            Paragraph(
                f"Figures reported earlier that have since been revised are listed in Appendix "
                f"{number[appendices[-1][0]]}.",
                numbered=True,
            )
        )
    for section in report.sections:
        if not section.commentary and not section.escalations:
            continue
        body.append(Heading(section.title, 2))
        if section.groups:
            body.append(Paragraph("Facilitated by " + ", ".join(section.groups) + "."))
        for indicator, text in section.commentary:
            body.append(Paragraph(text, lead=f"{indicator}:", numbered=True))
        if section.escalations:
            body += [
                Heading(f"Escalations open at {long_date(report.period.end)}", 3),
                Bullets(section.escalations),
            ]
    recommendation = f"note the performance highlights and areas for improvement for {period}"
    if escalations:
        recommendation += ", and the escalations open at the end of the quarter"
    document = committee_document(
        paper,
        title=report.title,
        purpose=purpose,
        background=background,
        body=body,
        recommendations=[recommendation + "."],
        recommended=f"The {paper.meeting} is recommended to",
        appendices=appendices,
        warning=SYNTHETIC_WARNING if report.synthetic else "",
    )
    document.subtitle = report.area
    document.annex = (
        [_annex(report)]
        + ([spans] if spans is not None else [])
        + [b.table for b in charts_blocks if isinstance(b, Chart)]
    )
    return document
