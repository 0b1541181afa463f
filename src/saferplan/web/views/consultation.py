"""Consultation and engagement: the exercises by financial year with the reg 12 check, an exercise and its
results, adding and editing both, importing results from a CSV file, and "what our communities told us" for an
assessment beside what the data say. Thin: check permission, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from saferplan.assessment import consultation_csv
from saferplan.assessment.forms.consultation import ConcernForm, ExerciseForm, ResultsUploadForm
from saferplan.assessment.models import Concern, ConsultationExercise, StrategicAssessment
from saferplan.assessment.permissions import can_manage_assessment, can_read_assessment
from saferplan.assessment.selectors import consultation as selectors
from saferplan.assessment.services import consultation as services
from saferplan.core.importing import DocumentError
from saferplan.core.selectors import Part, assumptions_attach
from saferplan.core.services import assumptions_confirm, field_values
from saferplan.web.views.edit import _form_page
from saferplan.web.views.pages import _found, _history
from saferplan.web.views.performance import _plan

RESULTS = Part(
    "Result",
    Concern,
    "exercise",
    lambda c: f"{c.get_group_display()}, {c.get_kind_display().lower()}: {c.text}",
)


def _allow(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _read_only(request):
    """Permission first (a forbidden user gets 403 whatever the method), then GET or HEAD only."""
    _allow(can_read_assessment(request.user))
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None


def _crumbs(exercise: ConsultationExercise | None = None):
    crumbs = [("Consultation", reverse("consultation-list"))]
    if exercise is not None:
        crumbs.append((exercise.title, exercise.get_absolute_url()))
    return crumbs


def _exercise(request, pk) -> ConsultationExercise:
    """The exercise, when it is the current plan's partnership's (404 otherwise)."""
    exercise = _found(selectors.exercise_detail(pk))
    if exercise.partnership_id != _plan(request).partnership_id:
        raise Http404
    return exercise


@login_required
def consultation_list(request):
    if refused := _read_only(request):
        return refused
    plan = _plan(request)
    years = selectors.exercise_years(plan.partnership)
    assumptions_attach(*(e for y in years for e in y.exercises))
    return render(
        request,
        "web/assessment/consultation_list.html",
        {
            "page_title": "Consultation and engagement",
            "plan": plan,
            "years": years,
            "authorities": selectors.responsible_authorities(plan.partnership),
            "can_manage": can_manage_assessment(request.user),
        },
    )


@login_required
def consultation_detail(request, pk):
    if refused := _read_only(request):
        return refused
    exercise = _exercise(request, pk)
    assumptions_attach(exercise, *exercise.concerns.all())
    return render(
        request,
        "web/assessment/consultation_detail.html",
        {
            "page_title": exercise.title,
            "exercise": exercise,
            "groups": selectors.results_by_group(exercise),
            "year": selectors.financial_year(exercise.held_from),
            "can_manage": can_manage_assessment(request.user),
            "history": _history(request, exercise, parts=(RESULTS,)),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_create(request):
    _allow(can_manage_assessment(request.user))
    plan = _plan(request)

    def save(data):
        data = dict(data)
        senior = data.pop("senior_attendance")
        exercise = services.exercise_save(
            exercise=ConsultationExercise(partnership=plan.partnership),
            user=request.user,
            senior_attendance=senior,
            **data,
        )
        return exercise, f"{exercise.title} added"

    return _form_page(
        request,
        ExerciseForm(request.POST or None, partnership=plan.partnership),
        title="Record a consultation exercise",
        back=reverse("consultation-list"),
        on_valid=save,
        breadcrumbs=_crumbs(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request, pk):
    _allow(can_manage_assessment(request.user))
    exercise = _exercise(request, pk)
    before = field_values(exercise)

    def save(data):
        data = dict(data)
        senior = data.pop("senior_attendance")
        services.exercise_save(exercise=exercise, user=request.user, senior_attendance=senior, **data)
        assumptions_confirm(obj=exercise, before=before)
        return exercise, f"{exercise.title} saved"

    return _form_page(
        request,
        ExerciseForm(request.POST or None, instance=exercise, partnership=exercise.partnership),
        title=f"Edit {exercise.title}",
        back=exercise.get_absolute_url(),
        on_valid=save,
        breadcrumbs=_crumbs(exercise),
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_result_create(request, pk):
    _allow(can_manage_assessment(request.user))
    exercise = _exercise(request, pk)

    def save(data):
        services.concern_save(concern=Concern(exercise=exercise), user=request.user, **data)
        return exercise, "Result added"

    return _form_page(
        request,
        ConcernForm(request.POST or None),
        title=f"Add a result to {exercise.title}",
        back=exercise.get_absolute_url(),
        on_valid=save,
        breadcrumbs=_crumbs(exercise),
    )


def _concern(request, pk) -> Concern:
    concern = _found(selectors.concern_detail(pk))
    if concern.exercise.partnership_id != _plan(request).partnership_id:
        raise Http404
    return concern


@login_required
@require_http_methods(["GET", "POST"])
def consultation_result_edit(request, pk):
    _allow(can_manage_assessment(request.user))
    concern = _concern(request, pk)
    before = field_values(concern)

    def save(data):
        services.concern_save(concern=concern, user=request.user, **data)
        assumptions_confirm(obj=concern, before=before)
        return concern.exercise, "Result saved"

    return _form_page(
        request,
        ConcernForm(request.POST or None, instance=concern),
        title="Edit a result",
        back=concern.exercise.get_absolute_url(),
        on_valid=save,
        breadcrumbs=_crumbs(concern.exercise),
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_result_remove(request, pk):
    _allow(can_manage_assessment(request.user))
    concern = _concern(request, pk)
    exercise = concern.exercise
    if request.method == "POST":
        services.concern_remove(concern=concern, user=request.user)
        messages.success(request, "Result removed")
        return redirect(exercise)
    return render(
        request,
        "web/assessment/consultation_remove.html",
        {
            "page_title": "Remove a result",
            "concern": concern,
            "exercise": exercise,
            "breadcrumbs": _crumbs(exercise),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_import(request, pk):
    _allow(can_manage_assessment(request.user))
    exercise = _exercise(request, pk)
    form = ResultsUploadForm(request.POST, request.FILES) if request.method == "POST" else ResultsUploadForm()
    problems = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            added = consultation_csv.import_results(
                upload.name, upload.read(), exercise=exercise, user=request.user
            )
        except DocumentError as exc:
            problems = exc
        else:
            messages.success(
                request, f"{len(added)} result{'s' if len(added) != 1 else ''} imported from {upload.name}"
            )
            return redirect(exercise)
    failed = bool(form.errors or problems)
    return render(
        request,
        "web/assessment/consultation_import.html",
        {
            "page_title": ("Error: " if failed else "") + f"Import results for {exercise.title}",
            "exercise": exercise,
            "form": form,
            "problems": problems,
            "columns": consultation_csv.COLUMNS,
            "groups": Concern.Group.choices,
            "kinds": Concern.Kind.choices,
            "breadcrumbs": _crumbs(exercise),
        },
        status=400 if failed else 200,
    )


@login_required
def consultation_template(request):
    if refused := _read_only(request):
        return refused
    response = HttpResponse(consultation_csv.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="consultation-results-template.csv"'
    return response


@login_required
def consultation_results_csv(request, pk):
    if refused := _read_only(request):
        return refused
    exercise = _exercise(request, pk)
    response = HttpResponse(consultation_csv.results_csv(exercise), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="consultation-{exercise.pk}-results.csv"'
    return response


@login_required
def assessment_told_us(request, slug):
    if refused := _read_only(request):
        return refused
    plan = _plan(request)
    assessment = _found(
        StrategicAssessment.objects.select_related("partnership")
        .filter(partnership=plan.partnership, slug=slug)
        .first()
    )
    groups = selectors.told_us_beside_data(assessment)
    assumptions_attach(*(i.concern for g in groups for i in (*g.concerns, *g.wants)))
    return render(
        request,
        "web/assessment/consultation_told_us.html",
        {
            "page_title": f"What our communities told us: {assessment.title}",
            "assessment": assessment,
            "groups": groups,
            "exercises": selectors.exercises_for(assessment),
            "can_manage": can_manage_assessment(request.user),
            "breadcrumbs": [(assessment.title, _assessment_url(assessment))],
        },
    )


def _assessment_url(assessment: StrategicAssessment) -> str:
    """The assessment's page, once engineer P's pages are in; the consultation list until then."""
    try:
        return assessment.get_absolute_url()
    except NoReverseMatch:  # while the assessment pages are not yet wired
        return reverse("consultation-list")
