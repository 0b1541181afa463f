"""Reads for the plans app. Each list or tree is fetched in a fixed number of queries."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse

from saferplan.accounts.models import Organisation
from saferplan.accounts.permissions import can_read_drafts
from saferplan.core.formatting import long_date
from saferplan.plans.models import (
    Basket,
    Group,
    Indicator,
    Objective,
    ObjectiveGroup,
    Outcome,
    Plan,
    PlanSection,
    SearchSynonym,
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


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class SearchGroup:
    kind: str
    hits: list[SearchHit]
    more: bool = False  # more were found than are shown

    @property
    def count(self) -> int:
        return len(self.hits)


def search_phrasings(query: str) -> list[str]:
    """The query as typed and with each short form the partnership maintains swapped for what it stands for
    (and back): "ASB" also looks for "anti-social behaviour"."""
    query = " ".join(query.split())[:200]
    if not query:
        return []
    phrasings = [query]
    for synonym in SearchSynonym.objects.all():
        for said, meant in ((synonym.term, synonym.meaning), (synonym.meaning, synonym.term)):
            pattern = re.compile(rf"(?<!\w){re.escape(said)}(?!\w)", re.IGNORECASE)
            for phrasing in list(phrasings):
                if pattern.search(phrasing):
                    swapped = pattern.sub(meant, phrasing)
                    if swapped.lower() not in {p.lower() for p in phrasings}:
                        phrasings.append(swapped)
    return phrasings[:8]


def _matching(qs: QuerySet, fields: list[str], phrasings: list[str]) -> QuerySet:
    """Rows where any phrasing matches: PostgreSQL full-text search ('english', ranked) or, elsewhere, every
    word of a phrasing found (ignoring case) in one of the fields."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector(*fields, config="english")
        wanted = None
        for phrasing in phrasings:
            one = SearchQuery(phrasing, config="english", search_type="websearch")
            wanted = one if wanted is None else wanted | one
        return (
            qs.annotate(search_words=vector, search_rank=SearchRank(vector, wanted))
            .filter(search_words=wanted)
            .order_by("-search_rank", *qs.query.order_by)
        )
    any_phrasing = Q()
    for phrasing in phrasings:
        every_word = Q()
        for word in phrasing.split()[:8]:
            any_field = Q()
            for f in fields:
                any_field |= Q(**{f"{f}__icontains": word})
            every_word &= any_field
        any_phrasing |= every_word
    return qs.filter(any_phrasing)


def _short(text: str, length: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def search(*, query: str, user, limit: int = 50) -> list[SearchGroup]:
    """Everything the user may read whose words match the query (or a synonym of it), grouped by kind.

    Archived plans (earlier versions, kept to compare with) are left out, so that each objective, outcome
    and action a refresh carried on is found once, in the plan in force (or its draft refresh). Viewers see
    no drafts, escalations, meetings or funding; reports only once published."""
    from saferplan.delivery.models import AgendaItem, DetailedAction, Escalation, Meeting
    from saferplan.funding.models import Project
    from saferplan.funding.permissions import can_read_funding
    from saferplan.reports.models import Report

    phrasings = search_phrasings(query)
    if not phrasings:
        return []
    plans = plans_visible(user).exclude(status=Plan.Status.ARCHIVED)
    partners = can_read_drafts(user)
    groups: list[SearchGroup] = []

    def add(kind, qs, fields, hit):
        found = _matching(qs, fields, phrasings)
        rows = list(found[: limit + 1])
        if rows:
            groups.append(SearchGroup(kind, [hit(r) for r in rows[:limit]], more=len(rows) > limit))

    add(
        "Plan sections",
        PlanSection.objects.filter(plan__in=plans).select_related("plan").order_by("plan", "order"),
        ["title", "body"],
        lambda s: SearchHit(s.title, reverse("plan-section", args=[s.plan.slug, s.order]), s.plan.title),
    )
    add(
        "Objectives",
        Objective.objects.live().filter(plan__in=plans).select_related("plan").order_by("plan", "number"),
        ["title", "why_priority", "key_challenges"],
        lambda o: SearchHit(
            f"Objective {o.number}: {o.title}", reverse("objective-detail", args=[o.pk]), o.plan.period
        ),
    )
    add(
        "Outcomes",
        Outcome.objects.live()
        .filter(objective__plan__in=plans)
        .select_related("objective")
        .order_by("objective__number", "number"),
        ["title"],
        lambda o: SearchHit(
            f"Outcome {o.objective.number}.{o.number}: {o.title}", reverse("outcome-detail", args=[o.pk])
        ),
    )
    add(
        "Strategic actions",
        StrategicAction.objects.live()
        .filter(outcome__objective__plan__in=plans)
        .select_related("outcome__objective")
        .order_by("outcome__objective__number", "outcome__number", "order"),
        ["text"],
        lambda a: SearchHit(_short(a.text), reverse("action-detail", args=[a.pk])),
    )
    add(
        "Indicators",
        Indicator.objects.live().order_by("order", "name"),
        ["name", "definition", "heading"],
        lambda i: SearchHit(i.name, reverse("indicator-detail", args=[i.pk]), _short(i.heading, 80)),
    )
    add(
        "Delivery actions",
        DetailedAction.objects.live()
        .filter(strategic_action__outcome__objective__plan__in=plans)
        .select_related("owner_group")
        .order_by("strategic_action__order", "order", "pk"),
        ["description", "lead_name"],
        lambda d: SearchHit(
            _short(d.description), reverse("delivery-action", args=[d.pk]), d.owner_group.name
        ),
    )
    if partners:
        add(
            "Meetings",
            Meeting.objects.select_related("group").order_by("-date"),
            ["title", "group__name"],
            lambda m: SearchHit(str(m), reverse("meeting-detail", args=[m.pk]), long_date(m.date)),
        )
        add(
            "Meeting items",
            AgendaItem.objects.select_related("meeting__group").order_by("-meeting__date", "order"),
            ["title", "summary", "decision"],
            lambda i: SearchHit(i.title, reverse("meeting-detail", args=[i.meeting_id]), str(i.meeting)),
        )
        add(
            "Escalations",
            Escalation.objects.select_related("from_group", "to_group").order_by("-pk"),
            ["title", "why", "ask", "decision"],
            lambda e: SearchHit(
                e.title,
                reverse("escalation-detail", args=[e.pk]),
                f"{e.from_group.name} to {e.to_group.name}: {e.get_state_display().lower()}",
            ),
        )
    add(
        "Reports",
        Report.objects.filter(plan__in=plans)
        .filter(Q() if partners else Q(state=Report.State.PUBLISHED))
        .order_by("-pk"),
        ["title"],
        lambda r: SearchHit(r.title, reverse("report-detail", args=[r.pk]), r.get_state_display()),
    )
    if can_read_funding(user):
        add(
            "Funding projects",
            Project.objects.select_related("fund").order_by("-financial_year", "name"),
            ["name", "commissioned_service", "evidence_of_outcomes", "match_funder"],
            lambda p: SearchHit(p.name, reverse("funding-project", args=[p.pk]), p.fund.name),
        )
    add(
        "Groups",
        Group.objects.live().order_by("name"),
        ["name", "remit"],
        lambda g: SearchHit(g.name, reverse("group-detail", args=[g.pk])),
    )
    add(
        "Organisations",
        Organisation.objects.order_by("name"),
        ["name", "short_name"],
        lambda o: SearchHit(o.name, reverse("organisation-detail", args=[o.pk])),
    )
    return groups


def action_reference(action: StrategicAction) -> str:
    """A strategic action's number as people cite it, "2.1.3": its outcome's and its place among the
    outcome's live actions."""
    place = (
        StrategicAction.objects.live().filter(outcome_id=action.outcome_id, order__lt=action.order).count()
        + 1
    )
    return f"{action.outcome.reference}.{place}"


def synonyms_list() -> list[SearchSynonym]:
    return list(SearchSynonym.objects.order_by("term"))


def synonym_get(pk: int) -> SearchSynonym | None:
    return SearchSynonym.objects.filter(pk=pk).first()
