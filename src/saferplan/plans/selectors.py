"""Reads for the plans app. Each list or tree is fetched in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from saferplan.accounts.models import Organisation
from saferplan.accounts.permissions import can_read_drafts
from saferplan.plans.models import (
    Basket,
    Group,
    Indicator,
    Objective,
    ObjectiveGroup,
    Outcome,
    Plan,
    StrategicAction,
    Strategy,
)


def plans_visible(user) -> QuerySet[Plan]:
    qs = Plan.objects.select_related("partnership").order_by("-start_year", "title")
    if not can_read_drafts(user):
        qs = qs.exclude(status=Plan.Status.DRAFT)
    return qs


def plan_get(*, slug: str | None = None, user=None) -> Plan | None:
    """A plan by slug, or the current plan: the newest approved one, else the newest."""
    qs = plans_visible(user) if user is not None else Plan.objects.select_related("partnership")
    if slug:
        return qs.filter(slug=slug).first()
    return (
        qs.filter(status=Plan.Status.APPROVED).order_by("-start_year", "-pk").first()
        or qs.order_by("-start_year", "-pk").first()
    )


def _group_roles() -> Prefetch:
    return Prefetch("group_roles", queryset=ObjectiveGroup.objects.select_related("group").order_by("order"))


def _live_actions() -> Prefetch:
    return Prefetch(
        "actions",
        queryset=StrategicAction.objects.live().select_related("owner_group").order_by("order", "pk"),
        to_attr="live_actions",
    )


def _live_indicators() -> Prefetch:
    return Prefetch(
        "indicators",
        queryset=Indicator.objects.live().select_related("source").order_by("order", "name"),
        to_attr="live_indicators",
    )


def plan_tree(plan: Plan) -> list[Objective]:
    """The plan's live objectives → outcomes → actions, with their groups and indicators."""
    return list(
        plan.objectives.live()
        .order_by("number")
        .prefetch_related(
            _group_roles(),
            _live_indicators(),
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.live().order_by("number").prefetch_related(_live_actions()),
                to_attr="live_outcomes",
            ),
        )
    )


def key_crime_indicators(plan: Plan) -> list[Indicator]:
    return list(plan.partnership.indicators.live().filter(key_crime=True).select_related("source"))


def objective_detail(pk: int) -> Objective | None:
    return (
        Objective.objects.select_related("plan__partnership")
        .prefetch_related(
            _group_roles(),
            "links",
            "strategies",
            _live_indicators(),
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.live().order_by("number").prefetch_related(_live_actions()),
                to_attr="live_outcomes",
            ),
        )
        .filter(pk=pk)
        .first()
    )


def outcome_detail(pk: int) -> Outcome | None:
    return (
        Outcome.objects.select_related("objective__plan__partnership")
        .prefetch_related(_live_actions(), _live_indicators(), Prefetch("objective__group_roles"))
        .filter(pk=pk)
        .first()
    )


def action_detail(pk: int) -> StrategicAction | None:
    return (
        StrategicAction.objects.select_related("outcome__objective__plan__partnership", "owner_group")
        .prefetch_related(Prefetch("outcome__objective__group_roles"))
        .filter(pk=pk)
        .first()
    )


def indicators_list(plan: Plan) -> list[Indicator]:
    return list(
        plan.partnership.indicators.live()
        .select_related("source")
        .prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.live().filter(plan=plan).order_by("number"))
        )
        .order_by("order", "name")
    )


def indicator_detail(pk: int) -> Indicator | None:
    return (
        Indicator.objects.select_related("partnership", "source")
        .prefetch_related(
            Prefetch(
                "objectives", queryset=Objective.objects.select_related("plan").order_by("plan", "number")
            ),
            Prefetch("outcomes", queryset=Outcome.objects.select_related("objective").order_by("number")),
            "baskets",
        )
        .filter(pk=pk)
        .first()
    )


def groups_list(plan: Plan) -> list[Group]:
    return list(
        plan.partnership.groups.live()
        .select_related("lead_organisation", "escalates_to")
        .prefetch_related(
            Prefetch(
                "objective_roles",
                queryset=ObjectiveGroup.objects.filter(
                    objective__plan=plan, objective__archived_at__isnull=True
                )
                .select_related("objective")
                .order_by("objective__number"),
            )
        )
        .order_by("kind", "name")
    )


def group_detail(pk: int) -> Group | None:
    return (
        Group.objects.select_related("partnership", "lead_organisation", "escalates_to")
        .prefetch_related(
            "members",
            "leads",
            Prefetch("escalations_from", queryset=Group.objects.live().order_by("name")),
            Prefetch(
                "objective_roles",
                queryset=ObjectiveGroup.objects.filter(objective__archived_at__isnull=True)
                .select_related("objective__plan")
                .order_by("objective__plan", "objective__number"),
            ),
            Prefetch(
                "strategic_actions",
                queryset=StrategicAction.objects.live()
                .select_related("outcome__objective__plan")
                .order_by("outcome__objective__number", "outcome__number", "order"),
                to_attr="live_actions",
            ),
            "strategies",
        )
        .filter(pk=pk)
        .first()
    )


def organisations_list() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("kind", "name")


def organisation_detail(pk: int) -> Organisation | None:
    return (
        Organisation.objects.prefetch_related(
            Prefetch("led_groups", queryset=Group.objects.live().order_by("name")),
            Prefetch("member_of_groups", queryset=Group.objects.live().order_by("name")),
            Prefetch("indicators", queryset=Indicator.objects.live().order_by("order", "name")),
        )
        .filter(pk=pk)
        .first()
    )


def strategies_list(plan: Plan) -> list[Strategy]:
    return list(
        plan.partnership.strategies.select_related("owner_group")
        .prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.filter(plan=plan).order_by("number"))
        )
        .order_by("order", "title")
    )


def baskets_list(plan: Plan) -> list[Basket]:
    return list(
        plan.partnership.baskets.prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.live().order_by("basket_memberships__order"))
        ).order_by("order", "name")
    )


def my_groups(user) -> list[Group]:
    """The groups a user leads, each with the objectives it leads and the actions it owns."""
    qs = Group.objects.live().filter(leads=user)
    return list(
        qs.select_related("partnership")
        .prefetch_related(
            Prefetch(
                "objective_roles",
                queryset=ObjectiveGroup.objects.filter(objective__archived_at__isnull=True)
                .select_related("objective__plan")
                .order_by("objective__number"),
            ),
            Prefetch(
                "strategic_actions",
                queryset=StrategicAction.objects.live()
                .select_related("outcome__objective")
                .order_by("outcome__objective__number", "outcome__number", "order"),
                to_attr="live_actions",
            ),
        )
        .order_by("name")
    )


def search(*, query: str, user, limit: int = 50) -> dict[str, list]:
    """Plan content whose words contain the query, by kind, in the plans the user may read.

    Archived plans (earlier versions, kept to compare with) are left out, so that each objective, outcome
    and action a refresh carried on is found once, in the plan in force (or its draft refresh)."""
    words = [w for w in query.split() if w][:8]
    if not words:
        return {}
    plans = plans_visible(user).exclude(status=Plan.Status.ARCHIVED)

    def matching(fields: list[str]) -> Q:
        q = Q()
        for word in words:
            any_field = Q()
            for f in fields:
                any_field |= Q(**{f"{f}__icontains": word})
            q &= any_field
        return q

    return {
        "objectives": list(
            Objective.objects.live()
            .filter(plan__in=plans)
            .filter(matching(["title", "why_priority", "key_challenges"]))
            .select_related("plan")
            .order_by("plan", "number")[:limit]
        ),
        "outcomes": list(
            Outcome.objects.live()
            .filter(objective__plan__in=plans)
            .filter(matching(["title"]))
            .select_related("objective__plan")
            .order_by("objective__number", "number")[:limit]
        ),
        "actions": list(
            StrategicAction.objects.live()
            .filter(outcome__objective__plan__in=plans)
            .filter(matching(["text"]))
            .select_related("outcome__objective")
            .order_by("outcome__objective__number", "outcome__number", "order")[:limit]
        ),
        "indicators": list(
            Indicator.objects.live()
            .filter(matching(["name", "definition", "heading"]))
            .order_by("order", "name")[:limit]
        ),
        "groups": list(Group.objects.live().filter(matching(["name", "remit"])).order_by("name")[:limit]),
        "organisations": list(
            Organisation.objects.filter(matching(["name", "short_name"])).order_by("name")[:limit]
        ),
    }
