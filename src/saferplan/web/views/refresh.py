"""Plan refresh and the difference between two versions of a plan. Thin: check permission, call, render."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferplan.accounts import permissions
from saferplan.core.forms import GovUKForm
from saferplan.plans import refresh, selectors
from saferplan.web import exports
from saferplan.web.views.edit import _allow, _plan_crumb
from saferplan.web.views.pages import _found, _readable


class RefreshForm(GovUKForm):
    title = forms.CharField(
        label="Title of the new plan",
        max_length=200,
        error_messages={
            "required": "Enter the title of the new plan",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    period = forms.CharField(
        label="Period",
        max_length=7,
        help_text="First and last year, for example 2017-20",
        error_messages={"required": "Enter the period, for example 2017-20"},
    )
    slug = forms.SlugField(
        label="Short name in web addresses",
        max_length=100,
        help_text="Lower-case letters, digits and hyphens, for example sdp-2017-20",
        error_messages={
            "required": "Enter a short name for web addresses",
            "invalid": "Short name must use only lower-case letters, digits and hyphens",
            "max_length": "Short name must be 100 characters or fewer",
        },
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        try:
            refresh.check_slug(slug)
        except refresh.RefreshError as exc:
            raise forms.ValidationError(exc.message[:1].upper() + exc.message[1:]) from None
        return slug

    def clean_period(self):
        period = self.cleaned_data["period"].strip()
        try:
            refresh.parse_period(period)
        except refresh.RefreshError as exc:
            raise forms.ValidationError(
                "Enter the period as first and last year, for example 2017-20"
            ) from exc
        return period


@login_required
def plan_compare(request, slug, other):
    """How plan `slug` differs from plan `other` (normally its previous version)."""
    new = _found(selectors.plan_get(slug=slug))
    old = _found(selectors.plan_get(slug=other))
    _readable(request, new)
    _readable(request, old)
    diff = refresh.plan_diff(old, new)
    levels = [
        {"key": level, "name": name, "label": label, "changes": diff[level]}
        for level, name, label in (
            ("objectives", "Objectives", "Objective"),
            ("outcomes", "Outcomes", "Outcome"),
            ("actions", "Strategic actions", "Action"),
        )
    ]
    if download := exports.respond(
        request,
        {
            "summary": lambda: exports.plan_compare_summary_table(old, new, levels),
            "changes": lambda: exports.plan_compare_changes_table(old, new, levels),
        },
    ):
        return download
    return render(
        request,
        "web/plan_diff.html",
        {
            "page_title": f"{new.title} compared with {old.title}",
            "plan": new,
            "old": old,
            "new": new,
            "diff": diff,
            "levels": levels,
            "unchanged": refresh.is_unchanged(diff),
            "breadcrumbs": [_plan_crumb(new)],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_refresh(request, slug):
    """Start next year's refresh of a plan: a new draft version. Administrators only."""
    plan = _readable(request, _found(selectors.plan_get(slug=slug)))
    _allow(permissions.can_create_objective(request.user, plan))
    form = RefreshForm(request.POST or None, initial=refresh.refresh_defaults(plan))
    if request.method == "POST" and form.is_valid():
        try:
            new = refresh.plan_refresh(plan=plan, user=request.user, **form.cleaned_data)
        except refresh.RefreshError as exc:  # e.g. the slug was taken since the form was checked
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"{new.title} started as a draft")
            return redirect(reverse("plan-overview", args=[new.slug]))
    counts = selectors.plan_tree(plan)
    return render(
        request,
        "web/plan_refresh.html",
        {
            "page_title": ("Error: " if form.errors else "") + f"Start next year's refresh of {plan.title}",
            "plan": plan,
            "form": form,
            "objectives": len(counts),
            "outcomes": sum(len(o.live_outcomes) for o in counts),
            "actions": sum(len(oc.live_actions) for o in counts for oc in o.live_outcomes),
            "back": reverse("plan-overview", args=[plan.slug]),
            "breadcrumbs": [_plan_crumb(plan)],
        },
        status=400 if form.errors else 200,
    )
