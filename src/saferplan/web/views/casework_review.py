"""The ASB Case Review (the "Community Trigger", Anti-social Behaviour, Crime and Policing Act 2014 s.104 and
schedule 4; Home Office statutory guidance "Anti-social behaviour powers", section "ASB Case Review"):
applications of the user's agency, an application's page (the incidents found and which qualify), the decision on
the threshold, the review, an appeal, and the figures every partnership must publish each year."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferplan.casework import permissions
from saferplan.casework.forms.case_review import AppealForm, ApplicationForm, DecisionForm, ReviewForm
from saferplan.casework.models import CaseReview, Person
from saferplan.casework.selectors import case_review as selectors
from saferplan.casework.services import case_review as services
from saferplan.plans import selectors as plan_selectors
from saferplan.web import exports
from saferplan.web.views.casework_access import open_record
from saferplan.web.views.edit import _form_page

CAPTION = "ASB Case Review"
FIGURES_HEADER = [
    "Financial year",
    "Applications received",
    "Applications where the threshold was not met",
    "Reviews carried out",
    "Reviews that resulted in recommendations",
    "Synthetic",
]


def _allow(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _partnership(request):
    plan = plan_selectors.plan_get(user=request.user)
    if plan is None:
        raise Http404
    return plan.partnership


def _review(ref: str) -> CaseReview:
    review = selectors.review_get(ref)
    if review is None:
        raise Http404
    return review


def _crumbs(review: CaseReview | None = None):
    crumbs = [("ASB Case Reviews", reverse("casework-review-list"))]
    if review is not None:
        crumbs.append((review.reference, reverse("casework-review", args=[review.reference])))
    return crumbs


def _url(review: CaseReview) -> str:
    return reverse("casework-review", args=[review.reference])


def _read_only(request):
    """Permission first (a forbidden user gets 403 whatever the method), then GET or HEAD only."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None


@login_required
def review_list(request):
    _allow(permissions.can_record(request.user))
    if (refused := _read_only(request)) is not None:
        return refused
    partnership = _partnership(request)
    reviews = list(selectors.reviews_for(request.user, partnership))
    return render(
        request,
        "web/casework/review_list.html",
        {"page_title": "ASB Case Reviews", "reviews": reviews, "organisation": request.user.organisation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request):
    _allow(permissions.can_record(request.user))
    partnership = _partnership(request)
    # Only people this caseworker recorded: the list names people, and must not show every person the agency holds
    people = Person.objects.filter(
        partnership=partnership,
        organisation_id=request.user.organisation_id,
        created_by=request.user,
        anonymised_at__isnull=True,
    ).order_by("name", "pk")
    form = ApplicationForm(request.POST or None, people=people)

    def save(data):
        review = services.review_apply(
            partnership=partnership,
            organisation=request.user.organisation,
            user=request.user,
            applicant=data.get("applicant"),
            applicant_name=data.get("applicant_name") or "",
            applicant_contact=data.get("applicant_contact") or "",
            on_behalf=bool(data.get("on_behalf")),
            applied_on=data["applied_on"],
            behaviour=data["behaviour"],
            restricted=bool(data.get("restricted")),
        )
        return review, f"Application {review.reference} recorded"

    return _form_page(
        request,
        form,
        title="Record an application for an ASB Case Review",
        caption=CAPTION,
        back=reverse("casework-review-list"),
        on_valid=save,
        url=_url,
        breadcrumbs=_crumbs(),
        submit="Record the application",
    )


def _figures_table(rows) -> exports.Table:
    return exports.Table(
        filename="asb-case-review-figures",
        title="ASB Case Review figures",
        header=FIGURES_HEADER,
        rows=[
            [
                r.label,
                r.figures["applications"],
                r.figures["threshold_not_met"],
                r.figures["reviews"],
                r.figures["reviews_with_recommendations"],
                exports.yes_no(r.synthetic),
            ]
            for r in rows
        ],
    )


@login_required
def review_figures(request):
    _allow(permissions.can_read_published_figures(request.user))
    if (refused := _read_only(request)) is not None:
        return refused
    partnership = _partnership(request)
    rows = selectors.annual_figures(partnership)
    if (download := exports.respond(request, {"": lambda: _figures_table(rows)})) is not None:
        return download
    return render(
        request,
        "web/casework/review_figures.html",
        {
            "page_title": "ASB Case Review figures",
            "rows": rows,
            "partnership": partnership,
            "any_synthetic": any(r.synthetic for r in rows),
        },
    )


@login_required
def review_detail(request, ref):
    review = _review(ref)
    if request.method not in ("GET", "HEAD"):
        _allow(permissions.can_open(request.user, review))
        return _read_only(request)
    if (response := open_record(request, review)) is not None:
        return response
    found = selectors.findings(review)
    return render(
        request,
        "web/casework/review_detail.html",
        {
            "page_title": f"ASB Case Review {review.reference}",
            "review": review,
            "findings": found,
            "proposal": selectors.proposal(review, found=found),
            "can_change": permissions.can_change(request.user, review),
            "breadcrumbs": _crumbs(),
        },
    )


def _changeable(request, ref) -> tuple[CaseReview, object]:
    review = _review(ref)
    response = open_record(request, review)
    if response is None:
        _allow(permissions.can_change(request.user, review))
    return review, response


@login_required
@require_http_methods(["GET", "POST"])
def review_decide(request, ref):
    review, response = _changeable(request, ref)
    if response is not None:
        return response
    found = selectors.findings(review)
    proposed = selectors.proposal(review, found=found)
    initial = {"decision": CaseReview.Decision.MET if proposed.met else CaseReview.Decision.NOT_MET}
    if review.decided_on:
        initial = {"decision": review.decision, "decided_on": review.decided_on}
    form = DecisionForm(request.POST or None, initial=initial)

    def save(data):
        services.review_decide(
            review=review,
            user=request.user,
            decision=data["decision"],
            decided_on=data["decided_on"],
            reason=data.get("reason") or "",
            discretion=data.get("discretion") or "",
        )
        return review, f"Decision recorded: {review.get_decision_display().lower()}"

    return _form_page(
        request,
        form,
        title="Decide whether the threshold is met",
        caption=f"{CAPTION} {review.reference}",
        back=_url(review),
        on_valid=save,
        url=_url,
        breadcrumbs=_crumbs(review),
        submit="Record the decision",
        template="web/casework/review_decide.html",
        review=review,
        findings=found,
        proposal=proposed,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_record(request, ref):
    review, response = _changeable(request, ref)
    if response is not None:
        return response
    initial = {"held_on": review.review_held_on, "recommendations": review.recommendations}
    form = ReviewForm(request.POST or None, initial=initial)

    def save(data):
        services.review_record(
            review=review,
            user=request.user,
            held_on=data["held_on"],
            recommendations=data.get("recommendations") or "",
        )
        return review, "Review recorded"

    return _form_page(
        request,
        form,
        title="Record the review",
        caption=f"{CAPTION} {review.reference}",
        back=_url(review),
        on_valid=save,
        url=_url,
        breadcrumbs=_crumbs(review),
        submit="Record the review",
        template="web/casework/review_form.html",
        review=review,
        not_ready=(
            "The threshold must be recorded as met before a review is recorded."
            if review.decision != CaseReview.Decision.MET
            else ""
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_appeal(request, ref):
    review, response = _changeable(request, ref)
    if response is not None:
        return response
    initial = {"requested_on": review.appeal_requested_on, "outcome": review.appeal_outcome}
    form = AppealForm(request.POST or None, initial=initial)

    def save(data):
        services.review_appeal(
            review=review,
            user=request.user,
            requested_on=data["requested_on"],
            outcome=data.get("outcome") or "",
        )
        return review, "Appeal recorded"

    return _form_page(
        request,
        form,
        title="Record an appeal",
        caption=f"{CAPTION} {review.reference}",
        back=_url(review),
        on_valid=save,
        url=_url,
        breadcrumbs=_crumbs(review),
        submit="Record the appeal",
        template="web/casework/review_form.html",
        review=review,
        not_ready=(
            "The decision on the threshold must be recorded before an appeal against it."
            if review.decision == CaseReview.Decision.PENDING
            else ""
        ),
    )
