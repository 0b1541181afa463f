"""The six-monthly delivery plan report: status counts, overdue and at-risk actions with their latest updates,
and actions completed since the last report, by objective and owning group. An owning group or target date the
demo assumed is printed with "(assumed for the demo)" after it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from saferplan.core.formatting import long_date
from saferplan.core.selectors import ASSUMED, assumptions_attach
from saferplan.delivery.models import ProgressUpdate, Status
from saferplan.delivery.selectors import delivery_plan
from saferplan.indicators import charts
from saferplan.reports.document import Chart, Document, Heading, Paragraph, Table


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


def delivery_report(plan, *, as_of: date, since: date) -> DeliveryReport:
    rows = delivery_plan(plan, today=as_of).rows
    assumptions_attach(*(r.action for r in rows))
    completed_ids = set(
        ProgressUpdate.objects.filter(
            action__in=[r.action for r in rows], status=Status.COMPLETE, date__gt=since, date__lte=as_of
        ).values_list("action_id", flat=True)
    )

    def line(row) -> Line:
        a = row.action
        return Line(
            f"{a.strategic_action.outcome.objective.number}.{a.strategic_action.outcome.number}",
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


def delivery_document(report: DeliveryReport) -> Document:
    """The six-monthly delivery plan report laid out for the Board: purpose, status (chart and table), by
    group, overdue, at risk, completed, recommendations."""
    counts = [(label, n) for label, n in report.counts if label != "Overdue"]
    total = sum(n for _, n in counts)
    overdue = dict(report.counts).get("Overdue", 0)
    title = "Detailed actions by status"
    document = Document(
        report.title,
        subtitle=f"Report to the {report.audience} · as at {long_date(report.as_of)}",
        warning=" ".join(
            text
            for text, shown in (
                (
                    "The demo's delivery plan is illustrative: it is not the partnership's.",
                    report.illustrative,
                ),
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
        ),
    )
    document.add(
        Heading("Purpose of the report", 1),
        Paragraph(
            f"To report progress on the delivery plan as at {long_date(report.as_of)}, with the actions "
            f"completed since {long_date(report.since)}.",
            numbered=True,
        ),
        Heading("Status of the detailed actions", 1),
        Paragraph(
            f"There are {total} detailed actions: "
            + ", ".join(f"{n} {label.lower()}" for label, n in counts if n)
            + f". {overdue} {'is' if overdue == 1 else 'are'} overdue (past their target date and not complete).",
            numbered=True,
        ),
        Chart(
            title=title,
            svg=charts.bar_chart([label for label, _ in counts], [n for _, n in counts], title=title),
            alt=f"Bar chart of the {total} detailed actions by status: "
            + "; ".join(f"{label} {n}" for label, n in counts)
            + ".",
            summary=f"{total} detailed actions, of which {overdue} overdue.",
            table=Table(
                "Detailed actions by status", ["Status", "Actions"], [list(c) for c in report.counts], [1]
            ),
        ),
        Heading("By owning group", 1),
        Table(
            "Detailed actions by owning group",
            ["Group", "Actions", "Overdue"],
            [list(g) for g in report.by_group],
            numeric=[1, 2],
        ),
    )
    for heading, lines in (
        ("Overdue actions", report.overdue),
        ("At risk or off track", report.at_risk),
        (f"Completed since {long_date(report.since)}", report.completed),
    ):
        document.add(Heading(f"{heading} ({len(lines)})", 1))
        if lines:
            document.add(Table(heading, LINE_COLUMNS, _rows(lines), sheet=heading[:31]))
        else:
            document.add(Paragraph("None."))
    document.add(
        Heading("Recommendations", 1),
        Paragraph(
            f"The {report.audience} is recommended to note progress on the delivery plan and to ask the owning groups for "
            "recovery plans for the overdue and at-risk actions.",
            numbered=True,
        ),
    )
    return document
