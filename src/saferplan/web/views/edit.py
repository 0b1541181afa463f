"""Forms that change the plan. Thin: check permission, validate the form, call a service, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferplan.accounts import permissions
from saferplan.core.services import assumptions_confirm, field_values
from saferplan.plans import selectors, services
from saferplan.plans.forms import ActionForm, IndicatorForm, ObjectiveForm, OutcomeForm
from saferplan.web.views.pages import _found, _readable


def _allow(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _form_page(
    request,
    form,
    *,
    title,
    back,
    on_valid,
    breadcrumbs=(),
    submit="Save",
    caption="",
    url=None,
    template="web/form.html",
    **extra,
):
    """The one form page. On a valid POST, `on_valid(cleaned_data)` calls a service and returns (where to go,
    message): a URL, or a record (`url(record)` gives its address, else its get_absolute_url). A service's
    refusal (ValidationError) becomes the form's GOV.UK error messages, on the field it names."""
    if request.method == "POST" and form.is_valid():
        try:
            target, message = on_valid(form.cleaned_data)
        except ValidationError as exc:
            pairs = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
            for name, errors in pairs:
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            messages.success(request, message)
            return redirect(url(target) if url else target)
    return render(
        request,
        template,
        {
            "page_title": ("Error: " if form.errors else "") + title,
            "heading": title,
            "caption": caption,
            "form": form,
            "back": back,
            "submit": submit,
            "breadcrumbs": list(breadcrumbs),
            **extra,
        },
        status=400 if form.errors else 200,
    )


def _archive_page(request, record, *, what, back, on_archive):
    if request.method == "POST":
        services.record_archive(record=record, user=request.user)
        messages.success(request, f"{what} archived")
        return redirect(on_archive)
    return render(
        request,
        "web/archive_confirm.html",
        {"page_title": f"Archive {what.lower()}", "what": what, "record": record, "back": back},
    )


def _plan_crumb(plan):
    return (plan.title, reverse("plan-overview", args=[plan.slug]))


@login_required
@require_http_methods(["GET", "POST"])
def objective_create(request, slug):
    plan = _readable(request, _found(selectors.plan_get(slug=slug)))
    _allow(permissions.can_create_objective(request.user, plan))
    form = ObjectiveForm(request.POST or None)

    def save(data):
        obj = services.objective_create(plan=plan, user=request.user, **data)
        return obj, f"Objective {obj.number} added"

    return _form_page(
        request,
        form,
        title="Add an objective",
        back=reverse("plan-overview", args=[slug]),
        on_valid=save,
        breadcrumbs=[_plan_crumb(plan)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request, pk):
    objective = _found(selectors.objective_detail(pk))
    _readable(request, objective.plan)
    _allow(permissions.can_edit_objective(request.user, objective))
    before = field_values(objective)
    form = ObjectiveForm(request.POST or None, instance=objective)

    def save(data):
        services.record_update(record=objective, user=request.user, **data)
        assumptions_confirm(obj=objective, before=before)
        return objective, "Objective saved"

    return _form_page(
        request,
        form,
        title=f"Edit objective {objective.number}",
        back=objective.get_absolute_url(),
        on_valid=save,
        breadcrumbs=[_plan_crumb(objective.plan)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_archive(request, pk):
    objective = _found(selectors.objective_detail(pk))
    _readable(request, objective.plan)
    _allow(permissions.can_archive_objective(request.user, objective))
    return _archive_page(
        request,
        objective,
        what="Objective",
        back=objective.get_absolute_url(),
        on_archive=reverse("plan-overview", args=[objective.plan.slug]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_create(request, pk):
    objective = _found(selectors.objective_detail(pk))
    _readable(request, objective.plan)
    _allow(permissions.can_edit_objective(request.user, objective))
    form = OutcomeForm(request.POST or None)

    def save(data):
        obj = services.outcome_create(objective=objective, user=request.user, **data)
        return obj, f"Outcome {obj.reference} added"

    return _form_page(
        request,
        form,
        title=f"Add an outcome to objective {objective.number}",
        back=objective.get_absolute_url(),
        on_valid=save,
        breadcrumbs=[_plan_crumb(objective.plan)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_edit(request, pk):
    outcome = _found(selectors.outcome_detail(pk))
    _readable(request, outcome.objective.plan)
    _allow(permissions.can_edit_outcome(request.user, outcome))
    before = field_values(outcome)
    form = OutcomeForm(request.POST or None, instance=outcome)

    def save(data):
        services.record_update(record=outcome, user=request.user, **data)
        assumptions_confirm(obj=outcome, before=before)
        return outcome, "Outcome saved"

    return _form_page(
        request,
        form,
        title=f"Edit outcome {outcome.reference}",
        back=outcome.get_absolute_url(),
        on_valid=save,
        breadcrumbs=[_plan_crumb(outcome.objective.plan)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_archive(request, pk):
    outcome = _found(selectors.outcome_detail(pk))
    _readable(request, outcome.objective.plan)
    _allow(permissions.can_edit_outcome(request.user, outcome))
    return _archive_page(
        request,
        outcome,
        what="Outcome",
        back=outcome.get_absolute_url(),
        on_archive=outcome.objective.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request, pk):
    outcome = _found(selectors.outcome_detail(pk))
    plan = _readable(request, outcome.objective.plan)
    _allow(permissions.can_edit_outcome(request.user, outcome))
    form = ActionForm(request.POST or None, partnership=plan.partnership)

    def save(data):
        return services.action_create(outcome=outcome, user=request.user, **data), "Strategic action added"

    return _form_page(
        request,
        form,
        title=f"Add a strategic action to outcome {outcome.reference}",
        back=outcome.get_absolute_url(),
        on_valid=save,
        breadcrumbs=[_plan_crumb(plan)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    action = _found(selectors.action_detail(pk))
    plan = _readable(request, action.outcome.objective.plan)
    _allow(permissions.can_edit_action(request.user, action))
    before = field_values(action)
    form = ActionForm(request.POST or None, instance=action, partnership=plan.partnership)

    def save(data):
        services.record_update(record=action, user=request.user, **data)
        assumptions_confirm(obj=action, before=before)
        return action, "Strategic action saved"

    return _form_page(
        request,
        form,
        title="Edit strategic action",
        back=action.get_absolute_url(),
        on_valid=save,
        breadcrumbs=[_plan_crumb(plan)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_archive(request, pk):
    action = _found(selectors.action_detail(pk))
    _readable(request, action.outcome.objective.plan)
    _allow(permissions.can_edit_action(request.user, action))
    return _archive_page(
        request,
        action,
        what="Strategic action",
        back=action.get_absolute_url(),
        on_archive=action.outcome.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request):
    plan = _readable(request, _found(selectors.plan_get(user=request.user)))
    _allow(permissions.can_create_indicator(request.user))
    form = IndicatorForm(request.POST or None, plan=plan)

    def save(data):
        obj = services.indicator_create(partnership=plan.partnership, user=request.user, **data)
        return obj, "Indicator added"

    return _form_page(
        request,
        form,
        title="Add an indicator",
        back=reverse("indicator-list"),
        on_valid=save,
        breadcrumbs=[("Indicators", reverse("indicator-list"))],
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk):
    indicator = _found(selectors.indicator_detail(pk))
    _allow(permissions.can_edit_indicator(request.user, indicator))
    plan = _found(selectors.plan_get(user=request.user))
    before = field_values(indicator)
    form = IndicatorForm(request.POST or None, instance=indicator, plan=plan)

    def save(data):
        other_plans = [o for o in indicator.objectives.all() if o.plan_id != plan.pk]
        data["objectives"] = [*other_plans, *data["objectives"]]
        services.indicator_update(indicator=indicator, user=request.user, **data)
        assumptions_confirm(obj=indicator, before=before)
        return indicator, "Indicator saved"

    return _form_page(
        request,
        form,
        title="Edit indicator",
        back=indicator.get_absolute_url(),
        on_valid=save,
        breadcrumbs=[("Indicators", reverse("indicator-list"))],
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_archive(request, pk):
    indicator = _found(selectors.indicator_detail(pk))
    _allow(permissions.can_edit_indicator(request.user, indicator))
    return _archive_page(
        request,
        indicator,
        what="Indicator",
        back=indicator.get_absolute_url(),
        on_archive=reverse("indicator-list"),
    )
