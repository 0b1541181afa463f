"""Scoring the long-list: the partnership's scoring schemes (list, page, made from a template, a dimension's
weight, scale and labels), and for each assessment the scorer's own scores, the agreement between scorers,
moderation, and the ranked results with the risk matrix. Thin: check permission, call a selector or a service,
render. The scorer is always the signed-in user: no one can enter another's scores."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from saferplan.accounts.permissions import can_view_history
from saferplan.assessment import permissions
from saferplan.assessment.forms.scoring import (
    DimensionForm,
    ModerationForm,
    SchemeChoiceForm,
    SchemeCreateForm,
    ScoreForm,
)
from saferplan.assessment.scheme_templates import TEMPLATES
from saferplan.assessment.selectors import scoring as selectors
from saferplan.assessment.services import scoring as services
from saferplan.web.views.pages import _found
from saferplan.web.views.performance import _plan


def _allow(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _read_only(request, allowed: bool):
    """Permission first (a forbidden user gets 403 whatever the method), then GET or HEAD only."""
    _allow(allowed)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None


def _partnership(request):
    return _plan(request).partnership


def _url(name: str, *args) -> str | None:
    """The address of another part's page, or None while that part is not yet wired."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _scheme_crumbs():
    return [("Scoring schemes", reverse("scoring-scheme-list"))]


def _assessment_crumbs(assessment, *, home: bool = True):
    crumbs = []
    if listing := _url("assessment-list"):
        crumbs.append(("Strategic assessments", listing))
    if detail := _url("assessment-detail", assessment.slug):
        crumbs.append((assessment.title, detail))
    if home:
        crumbs.append(("Scoring the long-list", reverse("scoring-home", args=[assessment.slug])))
    return crumbs


def _assessment(request, slug):
    return _found(selectors.assessment_for_scoring(slug, _partnership(request)))


def _with_scheme(assessment):
    """The assessment's scheme, or the scoring home page (which says to choose one) when it has none."""
    if assessment.scheme_id is None:
        return redirect("scoring-home", assessment.slug)
    return None


def _links(request, assessment) -> dict:
    return {
        "can_score": permissions.can_score(request.user),
        "can_moderate": permissions.can_moderate(request.user),
        "can_manage": permissions.can_manage_assessment(request.user),
        "assessment_url": _url("assessment-detail", assessment.slug),
    }


# ------------------------------------------------------------------------------------------------- schemes


@login_required
def scheme_list(request):
    if refused := _read_only(request, permissions.can_read_assessment(request.user)):
        return refused
    return render(
        request,
        "web/assessment/scoring_schemes.html",
        {
            "page_title": "Scoring schemes",
            "schemes": selectors.schemes(_partnership(request)),
            "can_manage": permissions.can_manage_assessment(request.user),
        },
    )


@login_required
def scheme_detail(request, pk):
    if refused := _read_only(request, permissions.can_read_assessment(request.user)):
        return refused
    scheme = _found(selectors.scheme_detail(pk, _partnership(request)))
    dimensions = [(d, selectors.scale(d)) for d in scheme.dimension_list]
    return render(
        request,
        "web/assessment/scoring_scheme.html",
        {
            "page_title": scheme.name,
            "scheme": scheme,
            "dimensions": dimensions,
            "assessments": list(scheme.assessments.order_by("-period_end")),
            "template_name": TEMPLATES.get(scheme.template, {}).get("name", ""),
            "history": selectors.scheme_history(scheme) if can_view_history(request.user) else None,
            "can_manage": permissions.can_manage_assessment(request.user),
            "breadcrumbs": _scheme_crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme_create(request):
    _allow(permissions.can_manage_assessment(request.user))
    partnership = _partnership(request)
    form = SchemeCreateForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.scheme_from_template(
                partnership=partnership,
                key=form.cleaned_data["template"],
                name=form.cleaned_data["name"] or None,
                user=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("name", message)
        else:
            messages.success(
                request, f"{scheme.name} made from the template: it is the partnership's own to edit"
            )
            return redirect("scoring-scheme-detail", scheme.pk)
    return render(
        request,
        "web/assessment/scoring_scheme_create.html",
        {
            "page_title": ("Error: " if form.errors else "") + "Make a scoring scheme from a template",
            "form": form,
            "breadcrumbs": _scheme_crumbs(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def dimension_edit(request, pk):
    _allow(permissions.can_manage_assessment(request.user))
    dimension = _found(selectors.dimension_detail(pk, _partnership(request)))
    form = DimensionForm(request.POST or None, dimension=dimension)
    back = reverse("scoring-scheme-detail", args=[dimension.scheme_id])
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("name", "description", "weight", "scale_min", "scale_max")}
        try:
            services.dimension_change(dimension=dimension, user=request.user, labels=form.labels(), **data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request, f"{form.cleaned_data['name']} saved: the rankings follow the new values"
            )
            return redirect(back)
    return render(
        request,
        "web/assessment/scoring_dimension_form.html",
        {
            "page_title": ("Error: " if form.errors else "") + f"Edit {dimension.name}",
            "dimension": dimension,
            "form": form,
            "label_fields": [form[name] for _, name in form.label_values],
            "back": back,
            "breadcrumbs": [*_scheme_crumbs(), (dimension.scheme.name, back)],
        },
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------------------------- assessment


@login_required
def scoring_home(request, slug):
    """The scoring of an assessment's long-list: its scheme, the signed-in scorer's progress on each issue, and
    links to the agreement and results."""
    if refused := _read_only(request, permissions.can_read_assessment(request.user)):
        return refused
    assessment = _assessment(request, slug)
    can_score = permissions.can_score(request.user)
    mine = selectors.my_scores(assessment, request.user) if can_score and assessment.scheme_id else []
    dimensions = selectors.scheme_dimensions(assessment.scheme)
    return render(
        request,
        "web/assessment/scoring_home.html",
        {
            "page_title": f"Scoring the long-list: {assessment.title}",
            "assessment": assessment,
            "dimensions": dimensions,
            "mine": mine,
            "candidates": selectors.candidates(assessment),
            "breadcrumbs": _assessment_crumbs(assessment, home=False),
            **_links(request, assessment),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme_choose(request, slug):
    _allow(permissions.can_manage_assessment(request.user))
    assessment = _assessment(request, slug)
    form = SchemeChoiceForm(
        request.POST or None,
        partnership=assessment.partnership,
        initial={"scheme": assessment.scheme_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_scheme_set(
                assessment=assessment, scheme=form.cleaned_data["scheme"], user=request.user
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("scheme", message)
        else:
            messages.success(request, f"The long-list is scored with {form.cleaned_data['scheme'].name}")
            return redirect("scoring-home", assessment.slug)
    return render(
        request,
        "web/assessment/scoring_scheme_choose.html",
        {
            "page_title": ("Error: " if form.errors else "") + "Choose the scoring scheme",
            "assessment": assessment,
            "form": form,
            "items": form.items(),
            "breadcrumbs": _assessment_crumbs(assessment),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def score(request, slug, pk):
    """The signed-in scorer's own scores of one candidate issue. Any scorer named in the request is ignored:
    the scores are always the signed-in user's."""
    _allow(permissions.can_score(request.user))
    assessment = _assessment(request, slug)
    if missing := _with_scheme(assessment):
        return missing
    candidate = _found(selectors.candidate_for_scoring(assessment, pk))
    dimensions = selectors.scheme_dimensions(assessment.scheme)
    mine = next(m for m in selectors.my_scores(assessment, request.user) if m.candidate.pk == candidate.pk)
    form = ScoreForm(request.POST or None, dimensions=dimensions, mine=mine.scores)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for dimension, value, comment in form.values():
                    services.score_save(
                        candidate=candidate,
                        dimension=dimension,
                        scorer=request.user,
                        value=value,
                        comment=comment,
                        user=request.user,
                    )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Your scores for {candidate.title} saved")
            following = _next_unscored(assessment, request.user, candidate)
            return redirect(following or reverse("scoring-home", args=[assessment.slug]))
    return render(
        request,
        "web/assessment/scoring_score.html",
        {
            "page_title": ("Error: " if form.errors else "") + f"Your scores: {candidate.title}",
            "assessment": assessment,
            "candidate": candidate,
            "form": form,
            "breadcrumbs": _assessment_crumbs(assessment),
        },
        status=400 if form.errors else 200,
    )


def _next_unscored(assessment, user, after) -> str | None:
    """The next candidate issue the user has not fully scored, after `after` in long-list order."""
    mine = selectors.my_scores(assessment, user)
    dimension_count = assessment.scheme.dimensions.count()
    seen = False
    for m in mine + mine:
        if m.candidate.pk == after.pk:
            if seen:
                break
            seen = True
            continue
        if seen and m.done < dimension_count:
            return reverse("scoring-score", args=[assessment.slug, m.candidate.pk])
    return None


@login_required
def agreement(request, slug):
    if refused := _read_only(request, permissions.can_read_assessment(request.user)):
        return refused
    assessment = _assessment(request, slug)
    if missing := _with_scheme(assessment):
        return missing
    items = selectors.agreement(assessment)
    return render(
        request,
        "web/assessment/scoring_agreement.html",
        {
            "page_title": f"Agreement between scorers: {assessment.title}",
            "assessment": assessment,
            "items": items,
            "disagreeing": sum(1 for i in items if i.disagreements),
            "scores_assumed": selectors.scores_assumed(assessment),
            "breadcrumbs": _assessment_crumbs(assessment),
            **_links(request, assessment),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request, slug, pk):
    _allow(permissions.can_moderate(request.user))
    assessment = _assessment(request, slug)
    if missing := _with_scheme(assessment):
        return missing
    candidate = _found(selectors.candidate_for_scoring(assessment, pk))
    item = selectors.candidate_agreement(assessment, candidate)
    form = ModerationForm(request.POST or None, rows=item.dimensions)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for dimension, value, reason in form.values():
                    services.moderate(
                        candidate=candidate,
                        dimension=dimension,
                        value=value,
                        reason=reason,
                        user=request.user,
                    )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Moderated scores for {candidate.title} saved")
            return redirect(reverse("scoring-agreement", args=[assessment.slug]) + f"#issue-{candidate.pk}")
    return render(
        request,
        "web/assessment/scoring_moderate.html",
        {
            "page_title": ("Error: " if form.errors else "") + f"Moderate the scores: {candidate.title}",
            "assessment": assessment,
            "candidate": candidate,
            "item": item,
            "form": form,
            "breadcrumbs": [
                *_assessment_crumbs(assessment),
                ("Agreement", reverse("scoring-agreement", args=[assessment.slug])),
            ],
        },
        status=400 if form.errors else 200,
    )


def _number(total: float | None) -> str:
    """A total in words: up to three decimals, no trailing zeros (17.5, 19)."""
    return "–" if total is None else f"{total:,.3f}".rstrip("0").rstrip(".")


@login_required
def results(request, slug):
    if refused := _read_only(request, permissions.can_read_assessment(request.user)):
        return refused
    assessment = _assessment(request, slug)
    if missing := _with_scheme(assessment):
        return missing
    ranked = selectors.ranking(assessment)
    dimensions = selectors.scheme_dimensions(assessment.scheme)
    return render(
        request,
        "web/assessment/scoring_results.html",
        {
            "page_title": f"Ranked long-list: {assessment.title}",
            "assessment": assessment,
            "dimensions": dimensions,
            "ranked": ranked,
            "rows": [(r, [r.values.get(d.pk) for d in dimensions], _number(r.total)) for r in ranked],
            "matrix": mark_safe(selectors.risk_matrix_svg(assessment, ranked)),  # noqa: S308 (escaped when drawn)
            "ranked_count": sum(1 for r in ranked if r.rank is not None),
            "scores_assumed": selectors.scores_assumed(assessment),
            "breadcrumbs": _assessment_crumbs(assessment),
            **_links(request, assessment),
        },
    )
