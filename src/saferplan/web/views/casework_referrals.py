"""Safer Homes referrals (000 §4): frontline staff refer a person whose home showed vulnerabilities; the
partnership's routing rules send each vulnerability to the service that deals with it; that service accepts,
completes or declines. A caseworker's list, a referral's page, the response to a route, and the depersonalised
figures (no names or addresses) with their downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferplan.casework import permissions
from saferplan.casework.forms.referrals import FiguresForm, ReferralForm, RouteResponseForm
from saferplan.casework.models import Referral, ReferralRoute, Vulnerability
from saferplan.casework.selectors import referrals as selectors
from saferplan.casework.services import referrals as services
from saferplan.core.formatting import long_date
from saferplan.plans import selectors as plan_selectors
from saferplan.web import exports
from saferplan.web.views.casework_access import open_record, read_only
from saferplan.web.views.edit import _form_page

CAPTION = "Safer Homes referrals"
PER_PAGE = 50


def _allow(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _partnership(request):
    plan = plan_selectors.plan_get(user=request.user)
    if plan is None:
        raise Http404
    return plan.partnership


def _url(referral: Referral) -> str:
    return reverse("casework-referral", args=[referral.reference])


def _crumbs(referral: Referral | None = None):
    crumbs = [("Safer Homes referrals", reverse("casework-referral-list"))]
    if referral is not None:
        crumbs.append((referral.reference, _url(referral)))
    return crumbs


def _labels(codes) -> str:
    return ", ".join(Vulnerability(c).label if c in Vulnerability.values else c for c in codes or [])


@login_required
@read_only(permissions.can_record)
def referral_list(request):
    partnership = _partnership(request)
    awaiting = selectors.awaiting_response(request.user, partnership)
    page = Paginator(selectors.made_by_agency(request.user, partnership), PER_PAGE).get_page(
        request.GET.get("page")
    )
    for referral in page:
        referral.vulnerability_labels = _labels(referral.vulnerabilities)
    for route in awaiting:
        route.vulnerability_labels = _labels(route.vulnerabilities)
    return render(
        request,
        "web/casework/referral_list.html",
        {
            "page_title": "Safer Homes referrals",
            "awaiting": awaiting,
            "page": page,
            "organisation": request.user.organisation,
            "breadcrumbs": [("Casework", reverse("casework-home"))],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request):
    _allow(permissions.can_record(request.user))
    partnership = _partnership(request)
    form = ReferralForm(request.POST if request.method == "POST" else None, partnership=partnership)

    def save(data):
        referral = services.referral_create(partnership=partnership, user=request.user, **data)
        sent = ", ".join(r.organisation.name for r in referral.routes.select_related("organisation"))
        return referral, f"Referral {referral.reference} made and sent to {sent}"

    return _form_page(
        request,
        form,
        title="Make a Safer Homes referral",
        caption=CAPTION,
        back=reverse("casework-referral-list"),
        on_valid=save,
        url=_url,
        submit="Send referral",
        breadcrumbs=_crumbs(),
    )


def _referral(ref: str) -> Referral:
    referral = selectors.referral_get(ref)
    if referral is None:
        raise Http404
    return referral


@login_required
@read_only(permissions.is_caseworker)
def referral_detail(request, ref):
    referral = _referral(ref)
    if (response := open_record(request, referral)) is not None:
        return response
    routes = list(referral.routes.all())
    for route in routes:
        route.overdue = selectors.is_overdue(route)
        route.vulnerability_labels = _labels(route.vulnerabilities)
        route.may_respond = (
            permissions.can_respond(request.user, route) and route.status in selectors.AWAITING
        )
    return render(
        request,
        "web/casework/referral_detail.html",
        {
            "page_title": f"Referral {referral.reference}",
            "referral": referral,
            "routes": routes,
            "vulnerability_labels": _labels(referral.vulnerabilities),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def route_respond(request, ref, pk):
    _allow(permissions.is_caseworker(request.user))
    route = selectors.route_get(ref, pk)
    if route is None:
        raise Http404
    referral = route.referral
    if (response := open_record(request, referral)) is not None:
        return response
    _allow(permissions.can_respond(request.user, route))
    if route.status not in selectors.AWAITING:
        return render(
            request,
            "web/casework/referral_responded.html",
            {
                "page_title": f"Referral {referral.reference}",
                "referral": referral,
                "route": route,
                "breadcrumbs": _crumbs(referral),
            },
        )
    form = RouteResponseForm(request.POST if request.method == "POST" else None, route=route)

    def save(data):
        done = services.route_respond(
            route=route,
            user=request.user,
            action=data["action"],
            on=data["on"],
            reason=data.get("reason", ""),
        )
        return referral, f"Referral {referral.reference} {done.get_status_display().lower()}"

    return _form_page(
        request,
        form,
        title=f"Respond to referral {referral.reference} for {route.organisation.name}",
        caption=f"{CAPTION}: {_labels(route.vulnerabilities)}, due {long_date(route.due_on)}",
        back=_url(referral),
        on_valid=save,
        url=_url,
        submit="Save response",
        breadcrumbs=_crumbs(referral),
    )


def _figures_range(request, partnership):
    """The range asked for in the query string (a bound FiguresForm), else the default range."""
    start, end = selectors.default_range(partnership)
    if any(k.startswith(("start_", "end_")) for k in request.GET):
        form = FiguresForm(request.GET)
        if form.is_valid():
            return form, form.cleaned_data["start"], form.cleaned_data["end"]
        return form, start, end
    form = FiguresForm(initial={"start": start, "end": end})
    return form, start, end


@login_required
@read_only(permissions.can_read_counts)
def referral_figures(request):
    partnership = _partnership(request)
    form, start, end = _figures_range(request, partnership)
    counts = selectors.referral_counts(partnership, start=start, end=end)
    times = selectors.response_times(partnership, start=start, end=end)
    period = f"{long_date(start)} to {long_date(end)}"
    source_labels = dict(Referral.Source.choices)
    status_labels = dict(ReferralRoute.Status.choices)
    summary = [
        ("Referrals", counts["total"]),
        ("Sent to the police", counts["police"]),
        ("Sent to the fire and rescue service", counts["fire"]),
        ("Hoarders identified (hoarding seen)", counts["hoarding"]),
    ]
    by_source = [(source_labels[k], v) for k, v in counts["by_source"].items()]
    by_vulnerability = [(Vulnerability(k).label, v) for k, v in counts["by_vulnerability"].items()]
    by_outcome = [(status_labels[k], v) for k, v in counts["by_outcome"].items()]
    timing = [[t.label, t.routes, t.accepted, t.median_days, t.within, t.percent_within] for t in times]
    timing_header = [
        "Urgency",
        "Referrals sent to services",
        "Accepted",
        "Median days to accept",
        "Answered within the time allowed",
        "Answered within the time allowed (%)",
    ]

    def table(name, title, header, rows):
        return lambda: exports.Table(
            filename=f"safer-homes-{name}-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}",
            title=title,
            header=header,
            rows=rows,
        )

    download = exports.respond(
        request,
        {
            "summary": table("referrals", "Referrals", ["Measure", "Number"], summary),
            "sources": table("by-source", "By source", ["Who referred", "Referrals"], by_source),
            "vulnerabilities": table(
                "by-vulnerability", "By vulnerability", ["Vulnerability", "Referrals"], by_vulnerability
            ),
            "outcomes": table(
                "by-outcome", "By outcome", ["Outcome", "Referrals sent to services"], by_outcome
            ),
            "times": table("response-times", "Response times", timing_header, timing),
        },
    )
    if download is not None:
        return download
    return render(
        request,
        "web/casework/referral_figures.html",
        {
            "page_title": ("Error: " if form.errors else "") + "Safer Homes referral figures",
            "form": form,
            "period": period,
            "counts": counts,
            "summary": summary,
            "by_source": by_source,
            "by_vulnerability": by_vulnerability,
            "by_outcome": by_outcome,
            "times": times,
            "breadcrumbs": [("Casework", reverse("casework-home"))],
        },
        status=400 if form.errors else 200,
    )
