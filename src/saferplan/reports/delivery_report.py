"""The six-monthly delivery plan report: status counts, overdue and at-risk actions with their latest updates,
and actions completed since the last report, by objective and owning group. An owning group or target date the
demo assumed is printed with "(assumed for the demo)" after it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from saferplan.core.formatting import long_date
from saferplan.core.selectors import ASSUMED, assumptions_attach
from saferplan.delivery.models import DetailedAction, ProgressUpdate, Status
from saferplan.delivery.selectors import delivery_plan
from saferplan.indicators import charts
from saferplan.plans.models import StrategicAction
from saferplan.reports.committee import Paper, committee_document
from saferplan.reports.document import Block, Chart, Document, Heading, Paragraph, Table


@dataclass
class Line:
    reference: str
    action: str
    group: str
    target: date | None
    status: str
    latest: str
    illustrative: bool
    assumed: dict[str, str] = field(default_factory=dict)  # field → note of what the demo assumed


@dataclass
class DeliveryReport:
    title: str
    as_of: date
    since: date
    counts: list[tuple[str, int]]
    overdue: list[Line] = field(default_factory=list)
    at_risk: list[Line] = field(default_factory=list)
    completed: list[Line] = field(default_factory=list)
    by_group: list[tuple[str, int, int]] = field(default_factory=list)  # group, actions, overdue
    illustrative: bool = False
    audience: str = ""


def action_references(plan) -> dict[int, str]:
    """Each detailed action's own reference: its outcome's (objective.outcome), its strategic action's place
    among the outcome's, and its own place under the strategic action ("1.2.3.1"). The outcome's reference
    alone, as before, was shared by every action under it."""
    place = {}
    for ids in _places(
        StrategicAction.objects.filter(outcome__objective__plan=plan).values_list("outcome_id", "pk", "order")
    ).values():
        for n, pk in enumerate(ids, start=1):
            place[pk] = n
    references = {}
    actions = DetailedAction.objects.filter(strategic_action__outcome__objective__plan=plan).select_related(
        "strategic_action__outcome__objective"
    )
    by_pk = {a.pk: a for a in actions}
    for strategic_id, ids in _places((a.strategic_action_id, a.pk, a.order) for a in actions).items():
        for k, pk in enumerate(ids, start=1):
            sa = by_pk[pk].strategic_action
            references[pk] = f"{sa.outcome.reference}.{place.get(strategic_id, 0)}.{k}"
    return references


def _places(rows) -> dict[int, list[int]]:
    """(parent, pk, order) rows as each parent's pks in order."""
    found: dict[int, list[tuple[int, int]]] = {}
    for parent, pk, order in rows:
        found.setdefault(parent, []).append((order, pk))
    return {parent: [pk for _, pk in sorted(items)] for parent, items in found.items()}


def delivery_report(plan, *, as_of: date, since: date) -> DeliveryReport:
    rows = delivery_plan(plan, today=as_of).rows
    assumptions_attach(*(r.action for r in rows))
    completed_ids = set(
        ProgressUpdate.objects.filter(
            action__in=[r.action for r in rows], status=Status.COMPLETE, date__gt=since, date__lte=as_of
        ).values_list("action_id", flat=True)
    )

    references = action_references(plan)

    def line(row) -> Line:
        a = row.action
        return Line(
            references.get(a.pk, a.strategic_action.outcome.reference),
            a.description,
            a.owner_group.name,
            a.target_date,
            row.status_label,
            a.latest_text or "",
            a.illustrative,
            dict(a.assumption_notes),
        )

    counts = Counter(r.status for r in rows)
    report = DeliveryReport(
        title=f"Delivery plan report, {as_of:%B %Y}",
        as_of=as_of,
        since=since,
        counts=[(label, counts.get(value, 0)) for value, label in Status.choices]
        + [("Overdue", sum(1 for r in rows if r.overdue))],
        overdue=[line(r) for r in rows if r.overdue],
        at_risk=[line(r) for r in rows if r.status in (Status.AT_RISK, Status.OFF_TRACK) and not r.overdue],
        completed=[line(r) for r in rows if r.action.pk in completed_ids],
        illustrative=any(r.action.illustrative for r in rows),
        audience=f"{plan.partnership.name} Board",
    )
    groups: dict[str, list] = {}
    for r in rows:
        groups.setdefault(r.action.owner_group.name, []).append(r)
    report.by_group = [
        (name, len(items), sum(1 for r in items if r.overdue)) for name, items in sorted(groups.items())
    ]
    return report


LINE_COLUMNS = ["Ref", "Action", "Group", "Target date", "Status", "Latest update"]


def _marked(text: str, line: Line, field: str) -> str:
    return f"{text} ({ASSUMED})" if field in line.assumed else text


def _rows(lines: list[Line]) -> list[list]:
    return [
        [
            line.reference,
            line.action,
            _marked(line.group, line, "owner_group"),
            _marked(f"{line.target:%d %b %Y}", line, "target_date") if line.target else "–",
            line.status,
            line.latest or "no update",
        ]
        for line in lines
    ]


def delivery_document(report: DeliveryReport, *, paper: Paper | None = None) -> Document:
    """The six-monthly delivery plan report as a committee paper (reports.committee): purpose, background, the
    status of the detailed actions and one table by owning group in the body, a recommendation to note it; the
    chart and the overdue, at-risk and completed actions in appendices."""
    paper = paper or Paper(report.audience, report.as_of + timedelta(days=42))
    counts = [(label, n) for label, n in report.counts if label != "Overdue"]
    total = sum(n for _, n in counts)
    overdue = dict(report.counts).get("Overdue", 0)
    title = "Detailed actions by status"
    lists = [
        ("Overdue actions", report.overdue),
        ("Actions at risk or off track", report.at_risk),
        (f"Actions completed since {long_date(report.since)}", report.completed),
    ]
    chart = Chart(
        title=title,
        svg=charts.bar_chart(
            [label for label, _ in counts],
            [n for _, n in counts],
            title=title,
            value_title="Number of detailed actions",
            category_title="Status",
        ),
        alt=f"Bar chart of the {total} detailed actions by status: "
        + "; ".join(f"{label} {n}" for label, n in counts)
        + ".",
        summary=f"{total} detailed actions, of which {overdue} overdue.",
        table=Table(
            "Detailed actions by status", ["Status", "Actions"], [list(c) for c in report.counts], [1]
        ),
    )
    actions: list[Block] = []
    for heading, lines in lists:
        actions.append(Heading(f"{heading} ({len(lines)})", 2))
        if lines:
            actions.append(Table(heading, LINE_COLUMNS, _rows(lines), sheet=heading[:31]))
        else:
            actions.append(Paragraph("None."))
    body: list[Block] = [
        Heading(f"Progress on the delivery plan as at {long_date(report.as_of)}", 1),
        Paragraph(
            f"There are {total} detailed actions: "
            + ", ".join(f"{n} {label.lower()}" for label, n in counts if n)
            + f". {overdue} {'is' if overdue == 1 else 'are'} overdue (past their target date and not complete); "
            f"{len(report.at_risk)} more {'is' if len(report.at_risk) == 1 else 'are'} at risk or off track, and "
            f"{len(report.completed)} {'was' if len(report.completed) == 1 else 'were'} completed since "
            f"{long_date(report.since)}. Each is listed, with its latest update, in Appendix 3; the chart of the "
            "actions by status is in Appendix 2.",
            numbered=True,
        ),
        Paragraph(
            "The table below gives the actions of each owning group and how many are overdue.", numbered=True
        ),
        Table(
            "Detailed actions by owning group",
            ["Group", "Actions", "Overdue"],
            [list(g) for g in report.by_group],
            numeric=[1, 2],
        ),
    ]
    warning = " ".join(
        text
        for text, shown in (
            ("The demo's delivery plan is illustrative: it is not the partnership's.", report.illustrative),
            (
                f"Entries marked “({ASSUMED})” are not given by the partnership's documents: the demo had "
                "to choose them.",
                any(
                    line.assumed.keys() & {"owner_group", "target_date"}
                    for line in report.overdue + report.at_risk + report.completed
                ),
            ),
        )
        if shown
    )
    return committee_document(
        paper,
        title=report.title,
        purpose=f"To present the {paper.meeting} with progress on the delivery plan as at "
        f"{long_date(report.as_of)}, with the actions completed since {long_date(report.since)}.",
        background=[
            Paragraph(
                "The delivery plan sets out the detailed actions that deliver the partnership plan's strategic "
                "actions, each with its owning group and target date. Progress is reported to the Board every six "
                "months, so that partners can challenge each other and make sure the thematic groups achieve "
                "their outcomes.",
                numbered=True,
            ),
            Paragraph(
                "Each action has its own reference: its objective and outcome, then its strategic action's place "
                "under the outcome, then its own place under the strategic action.",
                numbered=True,
            ),
        ],
        body=body,
        recommendations=["note progress on the delivery plan, and the overdue and at-risk actions."],
        recommended=f"The {paper.meeting} is recommended to",
        appendices=[("Charts", [chart]), ("Detailed actions", actions)],
        warning=warning,
    )
