"""Reads for delivery and governance, each in a fixed number of queries however many rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, Prefetch, Subquery

from saferplan.delivery.models import (
    DetailedAction,
    Escalation,
    GroupClosure,
    LocalityIssue,
    Milestone,
    ProgressUpdate,
    Status,
)
from saferplan.plans.models import Group


def _with_status(qs):
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-date", "-pk")
    return qs.annotate(
        latest_status=Subquery(latest.values("status")[:1]),
        latest_date=Subquery(latest.values("date")[:1]),
        latest_text=Subquery(latest.values("text")[:1]),
    )


@dataclass
class Row:
    action: DetailedAction
    status: str
    overdue: bool

    @property
    def status_label(self) -> str:
        return Status(self.status).label


@dataclass
class DeliveryPlan:
    rows: list[Row]
    counts: Counter = field(default_factory=Counter)
    overdue: int = 0


def delivery_plan(
    plan, *, group_id: int | None = None, status: str | None = None, today: date | None = None
) -> DeliveryPlan:
    qs = _with_status(
        DetailedAction.objects.live()
        .filter(strategic_action__outcome__objective__plan=plan, strategic_action__archived_at__isnull=True)
        .select_related("owner_group", "lead_organisation", "strategic_action__outcome__objective")
        .order_by(
            "strategic_action__outcome__objective__number",
            "strategic_action__outcome__number",
            "strategic_action__order",
            "order",
            "pk",
        )
    )
    if group_id:
        qs = qs.filter(owner_group_id=group_id)
    rows = []
    for action in qs:
        current, overdue = action.status_on(action.latest_status, today)
        rows.append(Row(action, current, overdue))
    result = DeliveryPlan(
        rows=[r for r in rows if not status or r.status == status or (status == "overdue" and r.overdue)]
    )
    result.counts = Counter(r.status for r in rows)
    result.overdue = sum(1 for r in rows if r.overdue)
    return result


def detailed_action(pk: int) -> DetailedAction | None:
    return (
        _with_status(DetailedAction.objects.filter(pk=pk))
        .select_related("owner_group", "lead_organisation", "strategic_action__outcome__objective__plan")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.select_related("created_by").order_by("-date", "-pk"),
            ),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),
            Prefetch("escalations", queryset=Escalation.objects.select_related("from_group", "to_group")),
        )
        .first()
    )


def escalation_register(*, state: str | None = None, group_id: int | None = None) -> list[Escalation]:
    qs = Escalation.objects.select_related(
        "from_group", "to_group", "indicator", "action", "created_by", "decided_by"
    ).order_by("state", "-raised_on", "-pk")
    if state:
        qs = qs.filter(state=state)
    if group_id:
        qs = qs.filter(from_group_id=group_id) | qs.filter(to_group_id=group_id)
    return list(qs)


def task_and_finish_groups(
    partnership, today: date | None = None
) -> list[tuple[Group, GroupClosure | None, bool]]:
    """Task and finish groups with their closure, and whether their closure is overdue."""
    today = today or date.today()
    groups = Group.objects.filter(partnership=partnership, kind=Group.Kind.TASK_AND_FINISH).order_by(
        "end_date", "name"
    )
    closures = {c.group_id: c for c in GroupClosure.objects.filter(group__in=groups)}
    return [
        (g, closures.get(g.pk), bool(g.end_date and g.end_date < today and g.pk not in closures))
        for g in groups
    ]


def locality_issues(group) -> list[LocalityIssue]:
    return list(group.locality_issues.prefetch_related("partners").order_by("state", "-opened_on"))


def meetings(partnership) -> list:
    from saferplan.delivery.models import Meeting

    return list(
        Meeting.objects.filter(group__partnership=partnership)
        .select_related("group")
        .prefetch_related("items")
        .order_by("-date")
    )


def meeting_detail(pk: int):
    from saferplan.delivery.models import AgendaItem, Meeting, MeetingAction

    return (
        Meeting.objects.select_related("group")
        .prefetch_related(
            Prefetch("items", queryset=AgendaItem.objects.order_by("order", "pk")),
            Prefetch("actions", queryset=MeetingAction.objects.order_by("pk")),
        )
        .filter(pk=pk)
        .first()
    )
