"""The strategic assessment pages: the list of assessments, an assessment as analysts read it (sections, live
figures, PESTELO scan, what communities told us), its long-list with the evidence, its priorities and the trail
from evidence to objective, the forms that change them, and the date a plan was sent to the Police and Crime
Commissioner. Thin: check permission, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from saferplan.accounts.permissions import is_administrator
from saferplan.assessment import permissions
from saferplan.assessment.forms.document import (
    AssessmentForm,
    CandidateForm,
    FigureForm,
    PestleForm,
    PriorityForm,
    SectionForm,
    SentToPccForm,
)
from saferplan.assessment.models import (
    AssessmentSection,
    CandidateIssue,
    PestleFactor,
    Priority,
    SectionFigure,
    StrategicAssessment,
)
from saferplan.assessment.selectors import document as selectors
from saferplan.assessment.services import document as services
from saferplan.core.selectors import assumptions_attach
from saferplan.plans import selectors as plan_selectors
from saferplan.web.views.edit import _form_page
from saferplan.web.views.pages import _found, _history, _readable
from saferplan.web.views.performance import _plan


def _allow(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _url(name: str, *args) -> str | None:
    """The address of another part's page, or None while that part has not yet added it."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _crumbs(assessment: StrategicAssessment | None = None) -> list[tuple[str, str]]:
    crumbs = [("Strategic assessments", reverse("assessment-list"))]
    if assessment is not None:
        crumbs.append((assessment.title, assessment.get_absolute_url()))
    return crumbs


def _assessment(request, slug: str) -> StrategicAssessment:
    plan = _plan(request)
    return _found(selectors.assessment_get(plan.partnership, slug))


def _readable_assessment(request, slug: str) -> StrategicAssessment:
    _allow(permissions.can_read_assessment(request.user))
    return _assessment(request, slug)


def _managed_assessment(request, slug: str) -> StrategicAssessment:
    _allow(permissions.can_manage_assessment(request.user))
    return _assessment(request, slug)


def _read_only(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None


# ------------------------------------------------------------------------------------------ assessments


@login_required
def assessment_list(request):
    _allow(permissions.can_read_assessment(request.user))
    if refused := _read_only(request):
        return refused
    plan = _plan(request)
    return render(
        request,
        "web/assessment/assessment_list.html",
        {
            "page_title": "Strategic assessments",
            "assessments": [
                (a, selectors.period_words(a)) for a in selectors.assessments_for(plan.partnership)
            ],
            "can_manage": permissions.can_manage_assessment(request.user),
            "links": [
                (label, url, hint)
                for label, url, hint in (
                    (
                        "Consultation",
                        _url("consultation-list"),
                        "What people who live and work in the area told us, and the regulation 12 check",
                    ),
                    (
                        "Information sharing",
                        _url("sharing-schedule"),
                        "The data-flow schedule, the agreements register and the data improvement plan",
                    ),
                    (
                        "Scoring schemes",
                        _url("scoring-scheme-list"),
                        "How the long-list is scored: dimensions, scales and weights",
                    ),
                )
                if url
            ],
        },
    )


def _save_assessment(request, assessment: StrategicAssessment):
    def save(data):
        services.assessment_save(assessment=assessment, user=request.user, **data)
        return assessment.get_absolute_url(), f"{assessment.title} saved"

    return save


@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request):
    _allow(permissions.can_manage_assessment(request.user))
    plan = _plan(request)
    assessment = StrategicAssessment(partnership=plan.partnership)
    form = AssessmentForm(request.POST or None, instance=assessment, partnership=plan.partnership)
    return _form_page(
        request,
        form,
        title="Start a strategic assessment",
        back=reverse("assessment-list"),
        on_valid=_save_assessment(request, assessment),
        breadcrumbs=_crumbs(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request, slug):
    assessment = _managed_assessment(request, slug)
    form = AssessmentForm(request.POST or None, instance=assessment, partnership=assessment.partnership)
    return _form_page(
        request,
        form,
        title=f"Edit {assessment.title}",
        back=assessment.get_absolute_url(),
        on_valid=_save_assessment(request, assessment),
        breadcrumbs=_crumbs(assessment),
    )


def _figure_views(section_views):
    for view in section_views:
        for f in view.figures:
            if f.content is not None and f.content.chart_svg:
                f.chart = mark_safe(f.content.chart_svg)  # noqa: S308 - drawn by assessment.figures, escaped there
    return section_views


@login_required
def assessment_detail(request, slug):
    assessment = _readable_assessment(request, slug)
    if refused := _read_only(request):
        return refused
    sections = _figure_views(selectors.sections(assessment))
    long_list = selectors.long_list(assessment)
    assumptions_attach(assessment)
    has_trends = any(s.section.kind == AssessmentSection.Kind.FUTURE_TRENDS for s in sections)
    from saferplan.assessment.selectors.consultation import community_views

    return render(
        request,
        "web/assessment/assessment_detail.html",
        {
            "page_title": assessment.title,
            "assessment": assessment,
            "period": selectors.period_words(assessment),
            "sections": sections,
            "pestle": [] if has_trends else selectors.pestle_grouped(assessment),
            "community_views": community_views(assessment),
            "long_list": long_list,
            "priorities": selectors.priorities(assessment),
            "scoring_url": _url("scoring-results", assessment.slug),
            "told_us_url": _url("assessment-told-us", assessment.slug),
            "can_manage": permissions.can_manage_assessment(request.user),
            "history": _history(request, assessment, selectors.ASSESSMENT_PARTS),
            "breadcrumbs": _crumbs(),
        },
    )


# --------------------------------------------------------------------------------- sections and figures


@login_required
@require_http_methods(["GET", "POST"])
def section_create(request, slug):
    assessment = _managed_assessment(request, slug)
    section = AssessmentSection(assessment=assessment)
    form = SectionForm(request.POST or None, instance=section)

    def save(data):
        services.section_save(section=section, user=request.user, **data)
        return f"{assessment.get_absolute_url()}#section-{section.pk}", f"Section {section.title} added"

    return _form_page(
        request,
        form,
        title="Add a section",
        caption=assessment.title,
        back=assessment.get_absolute_url(),
        on_valid=save,
        breadcrumbs=_crumbs(assessment),
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, slug, pk):
    assessment = _managed_assessment(request, slug)
    section = _found(selectors.section_get(assessment, pk))
    form = SectionForm(request.POST or None, instance=section)

    def save(data):
        services.section_save(section=section, user=request.user, **data)
        return f"{assessment.get_absolute_url()}#section-{section.pk}", f"Section {section.title} saved"

    return _form_page(
        request,
        form,
        title=f"Edit the section {section.title}",
        caption=assessment.title,
        back=assessment.get_absolute_url(),
        on_valid=save,
        breadcrumbs=_crumbs(assessment),
    )


@login_required
def section_move(request, slug, pk):
    """Move a section up or down (POST, direction "up" or "down")."""
    assessment = _managed_assessment(request, slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    section = _found(selectors.section_get(assessment, pk))
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, "Choose to move the section up or down")
    else:
        services.section_move(section=section, user=request.user, up=direction == "up")
        messages.success(request, f"Section {section.title} moved {direction}")
    return redirect(f"{assessment.get_absolute_url()}#section-{section.pk}")


def _figure_form(request, figure: SectionFigure, assessment):
    return FigureForm(
        request.POST or None,
        instance=figure,
        indicators=selectors.indicator_choices(assessment),
        crime_types=selectors.crime_type_choices(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def figure_create(request, slug, pk):
    assessment = _managed_assessment(request, slug)
    section = _found(selectors.section_get(assessment, pk))
    figure = SectionFigure(section=section)
    form = _figure_form(request, figure, assessment)

    def save(data):
        services.figure_save(figure=figure, user=request.user, **data)
        return f"{assessment.get_absolute_url()}#section-{section.pk}", "Figure added"

    return _form_page(
        request,
        form,
        title=f"Add a live figure to {section.title}",
        caption=assessment.title,
        back=assessment.get_absolute_url(),
        on_valid=save,
        breadcrumbs=_crumbs(assessment),
    )


def _figure(assessment, pk) -> SectionFigure:
    return _found(
        SectionFigure.objects.filter(section__assessment=assessment, pk=pk).select_related("section").first()
    )


@login_required
@require_http_methods(["GET", "POST"])
def figure_edit(request, slug, pk):
    assessment = _managed_assessment(request, slug)
    figure = _figure(assessment, pk)
    form = _figure_form(request, figure, assessment)

    def save(data):
        services.figure_save(figure=figure, user=request.user, **data)
        return f"{assessment.get_absolute_url()}#section-{figure.section_id}", "Figure saved"

    return _form_page(
        request,
        form,
        title=f"Edit the figure {figure}",
        caption=f"{assessment.title}: {figure.section.title}",
        back=assessment.get_absolute_url(),
        on_valid=save,
        breadcrumbs=_crumbs(assessment),
    )


@login_required
def figure_delete(request, slug, pk):
    """Take a figure out of its section (POST)."""
    assessment = _managed_assessment(request, slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    figure = _figure(assessment, pk)
    section_id = figure.section_id
    services.figure_delete(figure=figure, user=request.user)
    messages.success(request, "Figure removed")
    return redirect(f"{assessment.get_absolute_url()}#section-{section_id}")


@login_required
@require_http_methods(["GET", "POST"])
def pestle_create(request, slug):
    assessment = _managed_assessment(request, slug)
    factor = PestleFactor(assessment=assessment)
    form = PestleForm(request.POST or None, instance=factor)

    def save(data):
        services.pestle_save(factor=factor, user=request.user, **data)
        return f"{assessment.get_absolute_url()}#pestelo", f"{factor.get_category_display()} entry added"

    return _form_page(
        request,
        form,
        title="Add to the PESTELO scan",
        caption=assessment.title,
        back=assessment.get_absolute_url(),
        on_valid=save,
        breadcrumbs=_crumbs(assessment),
    )


@login_required
@require_http_methods(["GET", "POST"])
def pestle_edit(request, slug, pk):
    assessment = _managed_assessment(request, slug)
    factor = _found(assessment.pestle.filter(pk=pk).first())
    form = PestleForm(request.POST or None, instance=factor)

    def save(data):
        services.pestle_save(factor=factor, user=request.user, **data)
        return f"{assessment.get_absolute_url()}#pestelo", f"{factor.get_category_display()} entry saved"

    return _form_page(
        request,
        form,
        title="Edit a PESTELO entry",
        caption=assessment.title,
        back=assessment.get_absolute_url(),
        on_valid=save,
        breadcrumbs=_crumbs(assessment),
    )


# -------------------------------------------------------------------------------------------- long-list


@login_required
def long_list(request, slug):
    assessment = _readable_assessment(request, slug)
    if refused := _read_only(request):
        return refused
    views = selectors.long_list(assessment)
    assumptions_attach(*(v.candidate for v in views))
    return render(
        request,
        "web/assessment/assessment_long_list.html",
        {
            "page_title": f"Long-list: {assessment.title}",
            "assessment": assessment,
            "period": selectors.period_words(assessment),
            "long_list": views,
            "can_manage": permissions.can_manage_assessment(request.user),
            "scoring_url": _url("scoring-results", assessment.slug),
            "breadcrumbs": _crumbs(assessment),
        },
    )


def _candidate_form(request, candidate: CandidateIssue, assessment):
    return CandidateForm(
        request.POST or None,
        instance=candidate,
        indicators=selectors.indicator_choices(assessment),
        concerns=selectors.concern_choices(assessment),
        crime_types=selectors.crime_type_choices(),
    )


def _save_candidate(request, candidate: CandidateIssue, assessment, verb: str):
    def save(data):
        indicators, concerns = data.pop("indicators"), data.pop("concerns")
        services.candidate_save(
            candidate=candidate, user=request.user, indicators=indicators, concerns=concerns, **data
        )
        url = f"{reverse('assessment-long-list', args=[assessment.slug])}#issue-{candidate.pk}"
        return url, f"{candidate.title} {verb}"

    return save


@login_required
@require_http_methods(["GET", "POST"])
def candidate_create(request, slug):
    assessment = _managed_assessment(request, slug)
    candidate = CandidateIssue(assessment=assessment)
    return _form_page(
        request,
        _candidate_form(request, candidate, assessment),
        title="Add an issue to the long-list",
        caption=assessment.title,
        back=reverse("assessment-long-list", args=[assessment.slug]),
        on_valid=_save_candidate(request, candidate, assessment, "added to the long-list"),
        breadcrumbs=_crumbs(assessment),
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_edit(request, slug, pk):
    assessment = _managed_assessment(request, slug)
    candidate = _found(selectors.candidate_get(assessment, pk))
    return _form_page(
        request,
        _candidate_form(request, candidate, assessment),
        title=f"Edit {candidate.title}",
        caption=assessment.title,
        back=reverse("assessment-long-list", args=[assessment.slug]),
        on_valid=_save_candidate(request, candidate, assessment, "saved"),
        breadcrumbs=[
            *_crumbs(assessment),
            ("Long-list", reverse("assessment-long-list", args=[assessment.slug])),
        ],
    )


# ------------------------------------------------------------------------------------------- priorities


@login_required
def priorities(request, slug):
    assessment = _readable_assessment(request, slug)
    if refused := _read_only(request):
        return refused
    candidates, ranked = selectors.candidates_in_order(assessment)
    chosen = {p.candidate_id for p in selectors.priorities(assessment)}
    return render(
        request,
        "web/assessment/assessment_priorities.html",
        {
            "page_title": f"Priorities: {assessment.title}",
            "assessment": assessment,
            "priorities": selectors.priorities(assessment),
            "ranked": ranked,
            "ranking": selectors.ranking_or_none(assessment) if ranked else None,
            "not_chosen": [c for c in candidates if c.pk not in chosen],
            "can_manage": permissions.can_manage_assessment(request.user),
            "breadcrumbs": _crumbs(assessment),
        },
    )


def _priority_form(request, priority: Priority, assessment):
    candidates, _ranked = selectors.candidates_in_order(assessment)
    initial = {}
    issue = request.GET.get("issue", "")
    if priority.pk is None and request.method == "GET" and issue.isdigit() and len(issue) < 10:
        chosen = selectors.candidate_get(assessment, int(issue))
        if chosen is not None:
            initial = {"candidate": chosen.pk, "title": chosen.title}
    return PriorityForm(
        request.POST or None,
        instance=priority,
        initial=initial,
        candidates=candidates,
        objectives=selectors.objective_choices(assessment),
    )


def _save_priority(request, priority: Priority, assessment, verb: str):
    def save(data):
        objectives = data.pop("objectives")
        if data.get("number") is None:
            data.pop("number", None)
        services.priority_save(priority=priority, user=request.user, objectives=objectives, **data)
        url = f"{reverse('assessment-priorities', args=[assessment.slug])}#priority-{priority.number}"
        return url, f"Priority {priority.number} {verb}"

    return save


@login_required
@require_http_methods(["GET", "POST"])
def priority_create(request, slug):
    assessment = _managed_assessment(request, slug)
    priority = Priority(assessment=assessment)
    return _form_page(
        request,
        _priority_form(request, priority, assessment),
        title="Set a priority",
        caption=assessment.title,
        back=reverse("assessment-priorities", args=[assessment.slug]),
        on_valid=_save_priority(request, priority, assessment, "set"),
        breadcrumbs=[
            *_crumbs(assessment),
            ("Priorities", reverse("assessment-priorities", args=[assessment.slug])),
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def priority_edit(request, slug, pk):
    assessment = _managed_assessment(request, slug)
    priority = _found(selectors.priority_get(assessment, pk))
    return _form_page(
        request,
        _priority_form(request, priority, assessment),
        title=f"Edit priority {priority.number}",
        caption=assessment.title,
        back=reverse("assessment-priorities", args=[assessment.slug]),
        on_valid=_save_priority(request, priority, assessment, "saved"),
        breadcrumbs=[
            *_crumbs(assessment),
            ("Priorities", reverse("assessment-priorities", args=[assessment.slug])),
        ],
    )


@login_required
def trail(request, slug):
    assessment = _readable_assessment(request, slug)
    if refused := _read_only(request):
        return refused
    return render(
        request,
        "web/assessment/assessment_trail.html",
        {
            "page_title": f"From evidence to objective: {assessment.title}",
            "assessment": assessment,
            "steps": selectors.trail(assessment),
            "dimensions": list(assessment.scheme.dimensions.all()) if assessment.scheme_id else [],
            "breadcrumbs": _crumbs(assessment),
        },
    )


# --------------------------------------------------------------------------------------------- the plan


@login_required
@require_http_methods(["GET", "POST"])
def plan_sent_to_pcc(request, slug):
    """Record the date the plan was sent to the Police and Crime Commissioner (reg 13A): administrators."""
    _allow(is_administrator(request.user))
    plan = _readable(request, _found(plan_selectors.plan_get(slug=slug)))
    initial = {"sent_to_pcc_on": plan.sent_to_pcc_on.strftime("%d/%m/%Y")} if plan.sent_to_pcc_on else {}
    form = SentToPccForm(request.POST or None, initial=initial)

    def save(data):
        services.plan_sent_to_pcc(plan=plan, on=data["sent_to_pcc_on"], user=request.user)
        if plan.sent_to_pcc_on:
            return reverse("plan-overview", args=[plan.slug]), (
                f"Recorded: sent to the Police and Crime Commissioner on {plan.sent_to_pcc_on.day} {plan.sent_to_pcc_on:%B %Y}"
            )
        return reverse(
            "plan-overview", args=[plan.slug]
        ), "The date sent to the Police and Crime Commissioner is cleared"

    return _form_page(
        request,
        form,
        title="Record when the plan was sent to the Police and Crime Commissioner",
        caption=plan.title,
        back=reverse("plan-overview", args=[plan.slug]),
        on_valid=save,
        breadcrumbs=[(plan.title, reverse("plan-overview", args=[plan.slug]))],
    )
