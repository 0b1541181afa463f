"""The six-monthly delivery plan report: status counts, overdue and at-risk actions with their latest updates,
and actions completed since the last report, by objective and owning group."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from saferplan.delivery.models import ProgressUpdate, Status
from saferplan.delivery.selectors import delivery_plan


@dataclass
class Line:
    reference: str
    action: str
    group: str
    target: date | None
    status: str
    latest: str
    illustrative: bool


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


def delivery_report(plan, *, as_of: date, since: date) -> DeliveryReport:
    rows = delivery_plan(plan, today=as_of).rows
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
    )
    groups: dict[str, list] = {}
    for r in rows:
        groups.setdefault(r.action.owner_group.name, []).append(r)
    report.by_group = [
        (name, len(items), sum(1 for r in items if r.overdue)) for name, items in sorted(groups.items())
    ]
    return report
