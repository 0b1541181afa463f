"""Funding: the overview (allocations, projects, totals), a project, adding and editing projects, and the
sign-off of a project's spend on the evidence of its outcomes. Thin: check permission, call a selector or a
service, render."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferplan.core.selectors import assumptions_attach
from saferplan.core.services import assumptions_confirm, field_values
from saferplan.funding import permissions, selectors, services
from saferplan.funding.forms import ProjectForm, SignOffForm
from saferplan.funding.models import Project
from saferplan.web import exports
from saferplan.web.views.edit import _form_page
from saferplan.web.views.pages import _found, _history
from saferplan.web.views.performance import _plan


def _allow(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _crumbs():
    return [("Funding", reverse("funding-overview"))]


def _read_only(request):
    """Permission first (a forbidden user gets 403 whatever the method), then GET or HEAD only."""
    _allow(permissions.can_read_funding(request.user))
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None


@login_required
def funding_overview(request):
    if refused := _read_only(request):
        return refused
    plan = _plan(request)
    overview = selectors.funding_overview(plan.partnership)
    assumptions_attach(*(a for g in overview.allocations for a in g.rows), *overview.projects)
    if download := exports.respond(
        request,
        {
            "allocations": lambda: exports.allocations_table(overview),
            "projects": lambda: exports.projects_table(overview),
            "by-year": lambda: exports.funding_totals_table(overview.by_year, by="year"),
            "by-objective": lambda: exports.funding_totals_table(overview.by_objective, by="objective"),
            "by-funder": lambda: exports.funding_totals_table(overview.by_funder, by="funder"),
        },
    ):
        return download
    return render(
        request,
        "web/funding_overview.html",
        {
            "page_title": "Funding",
            "plan": plan,
            "overview": overview,
            "can_manage": permissions.can_manage_funding(request.user),
        },
    )


@login_required
def funding_project(request, pk):
    if refused := _read_only(request):
        return refused
    project = _found(selectors.project_detail(pk))
    assumptions_attach(project, project.fund)
    return render(
        request,
        "web/funding_project.html",
        {
            "page_title": project.name,
            "project": project,
            "objectives": list(project.objectives.all()),
            "can_manage": permissions.can_manage_funding(request.user),
            "can_sign_off": permissions.can_sign_off_spend(request.user),
            "history": _history(request, project),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def funding_project_create(request):
    _allow(permissions.can_manage_funding(request.user))
    plan = _plan(request)
    form = ProjectForm(request.POST or None, partnership=plan.partnership)

    def save(data):
        objectives = data.pop("objectives")
        project = services.project_save(
            project=Project(partnership=plan.partnership), user=request.user, objectives=objectives, **data
        )
        return project, f"{project.name} added"

    return _form_page(
        request,
        form,
        title="Add a funded project",
        back=reverse("funding-overview"),
        on_valid=save,
        breadcrumbs=_crumbs(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def funding_project_edit(request, pk):
    _allow(permissions.can_manage_funding(request.user))
    project = _found(selectors.project_detail(pk))
    before = field_values(project)
    form = ProjectForm(request.POST or None, instance=project, partnership=project.partnership)

    def save(data):
        objectives = data.pop("objectives")
        services.project_save(project=project, user=request.user, objectives=objectives, **data)
        assumptions_confirm(obj=project, before=before)
        return project, f"{project.name} saved"

    return _form_page(
        request,
        form,
        title=f"Edit {project.name}",
        back=project.get_absolute_url(),
        on_valid=save,
        breadcrumbs=_crumbs(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def funding_project_signoff(request, pk):
    _allow(permissions.can_sign_off_spend(request.user))
    project = _found(selectors.project_detail(pk))
    form = SignOffForm(request.POST or None, initial={"signed_off_on": date.today().strftime("%d/%m/%Y")})
    if request.method == "POST" and form.is_valid():
        try:
            services.spend_sign_off(project=project, user=request.user, on=form.cleaned_data["signed_off_on"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Spend on {project.name} signed off")
            return redirect(project)
    return render(
        request,
        "web/funding_signoff.html",
        {
            "page_title": ("Error: " if form.errors else "") + f"Sign off the spend on {project.name}",
            "project": project,
            "form": form,
            "can_manage": permissions.can_manage_funding(request.user),
            "breadcrumbs": [*_crumbs(), (project.name, project.get_absolute_url())],
        },
        status=400 if form.errors else 200,
    )
