"""The quarterly performance escalation report to the Board, and basket reports, as a typed structure.

For each objective (with its facilitating groups): performance highlights and areas for improvement, chosen
from the assessments by the rules below (configurable through `Rules`), with the groups' commentary and open
escalations. A basket report is the same for a basket's indicators and audience. Renderers: reports/render.py.

Highlight when any of: target met (green); special-cause improvement; improving against the same period last
year by at least `change_threshold` per cent (or percentage points for percentages); better than a benchmark.
Area for improvement when any of: target missed (red) or narrowly missed (amber); special-cause concern;
worsening by at least `change_threshold`; worse than a benchmark. An indicator can be both (the reasons say why).
Synthetic demo figures are reported like real ones but labelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from saferplan.areas.models import Area
from saferplan.delivery.models import Escalation
from saferplan.indicators import periods
from saferplan.indicators.assessment import Assessment
from saferplan.indicators.models import Commentary
from saferplan.indicators.selectors import assess_indicators
from saferplan.plans.models import Basket, Plan


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
class Report:
    title: str
    audience: str
    period: periods.Period
    area: str
    sections: list[Section]
    rules: Rules
    synthetic: bool

    @property
    def items(self) -> list[Item]:
        return [i for s in self.sections for i in (*s.highlights, *s.improvements, *s.steady)]


def _change_size(a: Assessment) -> float | None:
    if a.last_year is None:
        return None
    return abs(a.last_year.absolute) if a.unit == "percentage" else abs(a.last_year.percent or 0)


def judge(a: Assessment, rules: Rules) -> tuple[list[str], list[str]]:
    """(reasons to highlight, reasons for improvement) for an assessment."""
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
        if a.direction == "improving":
            good.append(
                f"improving on the same period last year ({size:.1f}{' points' if a.unit == 'percentage' else '%'})"
            )
        elif a.direction == "worsening":
            bad.append(
                f"worse than the same period last year ({size:.1f}{' points' if a.unit == 'percentage' else '%'})"
            )
    if rules.use_benchmarks:
        for name, verdict in a.benchmarks.items():
            if verdict == "better":
                good.append(f"better than {name}")
            elif verdict == "worse":
                bad.append(f"worse than {name}")
    return good, bad


def _item(row, reasons) -> Item:
    return Item(row.indicator.name, row.indicator.unit, row.period.label, row.assessment, reasons)


def board_report(
    plan: Plan, quarter: periods.Period, *, rules: Rules = Rules(), area: Area | None = None
) -> Report:
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
            f"{e.title} ({e.from_group.name}, raised {e.raised_on:%d %B %Y})"
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
    report = Report(
        f"Performance escalation report, {quarter.label}",
        "Safe Durham Partnership Board",
        quarter,
        area.name,
        sections,
        rules,
        False,
    )
    report.synthetic = any(i.assessment.synthetic for i in report.items)
    return report


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


def basket_report(basket: Basket, plan: Plan, period: periods.Period, *, rules: Rules = Rules()) -> Report:
    area = Area.objects.get(partnership=plan.partnership, kind=Area.Kind.PARTNERSHIP)
    indicators = list(
        basket.indicators.filter(archived_at__isnull=True).order_by("basket_memberships__order")
    )
    rows = assess_indicators(indicators, area, period)
    section = Section(basket.name, [])
    for indicator in indicators:
        _place(section, rows[indicator.pk], rules, [], period)
    report = Report(
        f"{basket.name}, {period.label}", basket.audience, period, area.name, [section], rules, False
    )
    report.synthetic = any(i.assessment.synthetic for i in report.items)
    return report
