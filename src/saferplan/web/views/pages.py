"""Pages that read the plan. Thin: check permission, call a selector, render."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator

from saferplan.accounts import permissions
from saferplan.core.selectors import Part, assumptions_attach, history_entries
from saferplan.delivery import selectors as delivery_selectors
from saferplan.plans import selectors
from saferplan.plans.models import Group, ObjectiveGroup
from saferplan.web import exports
from saferplan.web.forms import SearchForm

# Which groups lead and support an objective (its leads may change it): in the objective's history
OBJECTIVE_PARTS = (Part("Facilitated by", ObjectiveGroup, "objective"),)


def _found(obj):
    if obj is None:
        raise Http404
    return obj


def _readable(request, plan):
    if not permissions.can_read_plan(request.user, plan):
        raise PermissionDenied
    return plan


def _history(request, obj, parts: tuple[Part, ...] = ()):
    """The record's history (with its parts' changes) for those who may see history; None for everyone else."""
    return history_entries(obj, parts=parts) if permissions.can_view_history(request.user) else None


def _assessment_trail(request, *, plan=None, objective=None) -> dict:
    """Where the plan's objectives came from (the strategic assessments and their priorities), and when the plan
    was sent to the Police and Crime Commissioner: saferplan.assessment.selectors.document."""
    from saferplan.assessment.permissions import can_read_assessment
    from saferplan.assessment.selectors import document as assessment_selectors

    context = {"can_read_assessment": can_read_assessment(request.user)}
    if plan is not None:
        context["informed_by"] = assessment_selectors.assessments_informing(plan)
        context["can_record_sent_to_pcc"] = permissions.is_administrator(request.user)
    if objective is not None:
        context["from_priorities"] = assessment_selectors.priorities_for_objective(objective)
    return context


def _tree_records(objectives):
    """The objectives of a plan tree with everything under them a page shows, to mark what the demo assumed."""
    for o in objectives:
        yield o
        yield from (r.group for r in o.group_roles.all())
        yield from getattr(o, "live_indicators", [])
        for oc in getattr(o, "live_outcomes", []):
            yield oc
            yield from oc.live_actions


def _current_plan(request):
    plan = _found(selectors.plan_get(user=request.user))
    return plan


@login_required
def plan_list(request):
    plans = list(selectors.plans_visible(request.user))
    return render(request, "web/plan_list.html", {"page_title": "Plans", "plans": plans})


@login_required
def plan_overview(request, slug):
    plan = _readable(request, _found(selectors.plan_get(slug=slug)))
    objectives = selectors.plan_tree(plan)
    key_crime = selectors.key_crime_indicators(plan)
    assumptions_attach(plan, *_tree_records(objectives), *key_crime)
    return render(
        request,
        "web/plan_overview.html",
        {
            "page_title": plan.title,
            "plan": plan,
            "partnership": plan.partnership,
            "objectives": objectives,
            "key_crime": key_crime,
            "approvals": list(plan.approvals.order_by("order")),
            "sections": list(plan.sections.exclude(body="").order_by("order")),  # none: a heading only
            "can_create_objective": permissions.can_create_objective(request.user, plan),
            **_assessment_trail(request, plan=plan),
            "history": _history(request, plan),
        },
    )


@login_required
def plan_section(request, slug, order):
    plan = _readable(request, _found(selectors.plan_get(slug=slug)))
    section = _found(plan.sections.filter(order=order).first())
    return render(
        request,
        "web/plan_section.html",
        {
            "page_title": section.title,
            "plan": plan,
            "section": section,
            "breadcrumbs": [(plan.title, reverse("plan-overview", args=[plan.slug]))],
        },
    )


@login_required
def objective_detail(request, pk):
    objective = _found(selectors.objective_detail(pk))
    plan = _readable(request, objective.plan)
    assumptions_attach(*_tree_records([objective]))
    return render(
        request,
        "web/objective_detail.html",
        {
            "page_title": f"Objective {objective.number}: {objective.title}",
            "plan": plan,
            "objective": objective,
            "can_edit": permissions.can_edit_objective(request.user, objective),
            "can_archive": permissions.can_archive_objective(request.user, objective),
            **_assessment_trail(request, objective=objective),
            "history": _history(request, objective, OBJECTIVE_PARTS),
            "breadcrumbs": [(plan.title, reverse("plan-overview", args=[plan.slug]))],
        },
    )


@login_required
def outcome_detail(request, pk):
    outcome = _found(selectors.outcome_detail(pk))
    objective = outcome.objective
    plan = _readable(request, objective.plan)
    assumptions_attach(outcome, *outcome.live_actions, *outcome.live_indicators)
    return render(
        request,
        "web/outcome_detail.html",
        {
            "page_title": f"Outcome {outcome.reference}: {outcome.title}",
            "plan": plan,
            "objective": objective,
            "outcome": outcome,
            "can_edit": permissions.can_edit_outcome(request.user, outcome),
            "history": _history(request, outcome),
            "breadcrumbs": [
                (plan.title, reverse("plan-overview", args=[plan.slug])),
                (f"Objective {objective.number}", reverse("objective-detail", args=[objective.pk])),
            ],
        },
    )


@login_required
def action_detail(request, pk):
    action = _found(selectors.action_detail(pk))
    outcome = action.outcome
    objective = outcome.objective
    plan = _readable(request, objective.plan)
    assumptions_attach(action, outcome)
    reference = selectors.action_reference(action)
    return render(
        request,
        "web/action_detail.html",
        {
            "page_title": f"Action {reference}: {Truncator(action.text).chars(90)}",
            "reference": reference,
            "plan": plan,
            "objective": objective,
            "outcome": outcome,
            "action": action,
            "can_edit": permissions.can_edit_action(request.user, action),
            "delivery": [
                r
                for r in delivery_selectors.delivery_plan(plan).rows
                if r.action.strategic_action_id == action.pk
            ],
            "can_add_delivery": permissions.is_administrator(request.user)
            or bool(permissions.led_group_ids(request.user)),
            "history": _history(request, action),
            "breadcrumbs": [
                (plan.title, reverse("plan-overview", args=[plan.slug])),
                (f"Objective {objective.number}", reverse("objective-detail", args=[objective.pk])),
                (f"Outcome {outcome.reference}", reverse("outcome-detail", args=[outcome.pk])),
            ],
        },
    )


@login_required
def indicator_list(request):
    plan = _readable(request, _current_plan(request))
    indicators = selectors.indicators_list(plan)
    assumptions_attach(*indicators)
    return render(
        request,
        "web/indicator_list.html",
        {
            "page_title": "Indicators",
            "plan": plan,
            "indicators": indicators,
            "baskets": selectors.baskets_list(plan),
            "can_create": permissions.can_create_indicator(request.user),
        },
    )


@login_required
def indicator_detail(request, pk):
    indicator = _found(selectors.indicator_detail(pk))
    assumptions_attach(indicator)
    objectives = [o for o in indicator.objectives.all() if permissions.can_read_plan(request.user, o.plan)]
    return render(
        request,
        "web/indicator_detail.html",
        {
            "page_title": indicator.name,
            "indicator": indicator,
            "objectives": objectives,
            "outcomes": [o for o in indicator.outcomes.all() if o.objective in objectives],
            "can_edit": permissions.can_edit_indicator(request.user, indicator),
            "history": _history(request, indicator),
            "breadcrumbs": [("Indicators", reverse("indicator-list"))],
        },
    )


@login_required
def group_list(request):
    plan = _readable(request, _current_plan(request))
    groups = selectors.groups_list(plan)
    assumptions_attach(*groups)
    strategies = selectors.strategies_list(plan)
    task_and_finish = delivery_selectors.task_and_finish_groups(plan.partnership)
    if download := exports.respond(
        request,
        {
            "groups": lambda: exports.groups_table(groups),
            "task-and-finish": lambda: exports.task_and_finish_table(task_and_finish),
            "strategies": lambda: exports.strategies_table(strategies),
        },
    ):
        return download
    return render(
        request,
        "web/group_list.html",
        {
            "page_title": "Groups",
            "plan": plan,
            "groups": groups,
            "strategies": strategies,
            "task_and_finish": task_and_finish,
            "can_create_task_and_finish": permissions.is_administrator(request.user),
        },
    )


@login_required
def group_detail(request, pk):
    group = _found(selectors.group_detail(pk))
    readable = {p.pk for p in selectors.plans_visible(request.user)}
    assumptions_attach(group, *group.live_actions)
    return render(
        request,
        "web/group_detail.html",
        {
            "page_title": group.name,
            "group": group,
            "objective_roles": [r for r in group.objective_roles.all() if r.objective.plan_id in readable],
            "actions": [a for a in group.live_actions if a.outcome.objective.plan_id in readable],
            "closure": getattr(group, "closure", None) if group.kind == Group.Kind.TASK_AND_FINISH else None,
            "closure_overdue": group.kind == Group.Kind.TASK_AND_FINISH
            and not hasattr(group, "closure")
            and bool(group.end_date and group.end_date < date.today()),
            "issues": delivery_selectors.locality_issues(group)
            if group.kind == Group.Kind.LOCALITY
            else None,
            "can_manage": permissions.can_manage_delivery_for(request.user, group.pk),
            "history": _history(request, group),
            "breadcrumbs": [("Groups", reverse("group-list"))],
        },
    )


@login_required
def organisation_list(request):
    organisations = list(selectors.organisations_list())
    if download := exports.respond(request, {"": lambda: exports.organisations_table(organisations)}):
        return download
    return render(
        request,
        "web/organisation_list.html",
        {"page_title": "Organisations", "organisations": organisations},
    )


@login_required
def organisation_detail(request, pk):
    organisation = _found(selectors.organisation_detail(pk))
    assumptions_attach(*organisation.led_groups.all(), *organisation.indicators.all())
    return render(
        request,
        "web/organisation_detail.html",
        {
            "page_title": organisation.name,
            "organisation": organisation,
            "history": _history(request, organisation),
            "breadcrumbs": [("Organisations", reverse("organisation-list"))],
        },
    )


@login_required
def my_group(request):
    if not permissions.can_use_my_group(request.user):
        raise PermissionDenied
    groups = selectors.my_groups(request.user)
    assumptions_attach(*(a for g in groups for a in g.live_actions))
    return render(
        request,
        "web/my_group.html",
        {"page_title": "What my group owns", "groups": groups},
    )


@login_required
def search(request):
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    results = selectors.search(query=query, user=request.user) if query else []
    return render(
        request,
        "web/search.html",
        {
            "page_title": ("Error: " if form.errors else "") + (f"Search: {query}" if query else "Search"),
            "form": form,
            "query": query,
            "results": results,
            "phrasings": selectors.search_phrasings(query)[1:] if query else [],
            "total": sum(g.count for g in results),
            "more": any(g.more for g in results),
            "can_maintain_synonyms": permissions.can_maintain_synonyms(request.user),
        },
        status=400 if form.errors else 200,
    )
