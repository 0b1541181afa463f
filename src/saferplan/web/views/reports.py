"""Reports on screen and as downloads, and their drafting, review and publishing.

The live views lay a report out from today's data (reports.selectors.build_document) and render it on screen
or, with ?format=, as a download. A published report is served exactly as it was stored.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from saferplan.accounts import permissions
from saferplan.config.security import within_rate
from saferplan.core.formatting import long_date
from saferplan.indicators import periods
from saferplan.indicators.selectors import default_period, reporting_periods
from saferplan.plans.models import Basket
from saferplan.reports import render as renderers
from saferplan.reports import selectors
from saferplan.reports.models import Report
from saferplan.web.views.pages import _found, _history
from saferplan.web.views.performance import _partnership_area, _plan

Kind = Report.Kind
DOWNLOADS = ("docx", "pdf", "xlsx", "html")  # in the order the pages offer them
BREADCRUMBS = [("Reports", "report-list")]


def _crumbs():
    return [(label, reverse(name)) for label, name in BREADCRUMBS]


# The standalone web page of a report has its own inline styles and no script at all.
STANDALONE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


def _file_response(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=renderers.FORMATS[fmt])
    if fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    else:
        response["Content-Security-Policy"] = STANDALONE_CSP
    return response


def _too_many_renders(request) -> HttpResponse | None:
    """None while the person may have another report file rendered this minute (REPORT_RENDERS_PER_MINUTE,
    counted in Django's cache); otherwise the 429 page. Rendering a PDF takes seconds of the server's time."""
    limit = settings.REPORT_RENDERS_PER_MINUTE
    user = request.user
    # The account: its id and when it was made (an id used again, after a deletion, is another account).
    account = f"{user.pk}-{user.date_joined:%Y%m%d%H%M%S%f}"
    if within_rate(f"report-render:{account}", limit, 60):
        return None
    response = render(
        request,
        "errors/429.html",
        {
            "page_title": "Too many documents at once",
            "message": f"You can download up to {limit} report files a minute.",
            "back": request.path,
        },
        status=429,
    )
    response["Retry-After"] = "60"
    return response


def _downloads(base: str, query: dict) -> list[tuple[str, str]]:
    return [
        (renderers.FORMAT_NAMES[fmt], f"{base}?{urlencode({**query, 'format': fmt})}") for fmt in DOWNLOADS
    ]


def _live(request, plan, kind: str, parameters: dict, *, name: str, query: dict, extra: dict | None = None):
    """A report from the live data: on screen, or the download ?format= asks for."""
    fmt = request.GET.get("format")
    if fmt in renderers.FORMATS and (refused := _too_many_renders(request)):
        return refused
    document = selectors.build_document(plan, kind, parameters)
    if fmt in renderers.FORMATS:
        return _file_response(renderers.render(document, fmt), fmt, name)
    return render(
        request,
        "web/document_page.html",
        {
            "page_title": document.title,
            "document": document,
            "downloads": _downloads(request.path, query),
            "can_draft": permissions.can_draft_reports(request.user),
            "draft_kind": kind,
            "draft_parameters": parameters,
            "breadcrumbs": _crumbs(),
            **(extra or {}),
        },
    )


def _performance_parameters(request, plan, kind: str, extra: dict) -> tuple[dict, dict]:
    """The quarter and judgement rules asked for (the latest quarter with figures and the default rules when
    not), and the context of the form that chooses them."""
    area = _found(_partnership_area(plan))
    options = [p for p in reporting_periods(plan, area) if p.kind == periods.Kind.QUARTER]
    chosen = next((p for p in options if p.code == request.GET.get("period")), None)
    quarter = _found(chosen or default_period(plan, area))
    raw = {"quarter": quarter.code, **extra}
    raw.update({k: request.GET.get(k, "") for k in ("threshold", "benchmarks")})
    try:
        parameters = selectors.clean_parameters(plan, kind, raw)
    except selectors.ParameterError as exc:
        messages.error(request, f"{exc}; the report uses the default rules")
        parameters = selectors.clean_parameters(plan, kind, {"quarter": quarter.code, **extra})
    query = {"period": quarter.code, "threshold": f"{parameters['threshold']:g}"}
    query["benchmarks"] = "yes" if parameters["benchmarks"] else "no"
    return parameters, {"query": query, "quarters": options, "choose": "web/report_rules_form.html"}


@login_required
def board_report_view(request):
    if not permissions.can_read_drafts(request.user):
        raise PermissionDenied
    plan = _plan(request)
    parameters, form = _performance_parameters(request, plan, Kind.BOARD, {})
    return _live(
        request,
        plan,
        Kind.BOARD,
        parameters,
        name=f"board-report-{parameters['quarter']}",
        query=form["query"],
        extra=form,
    )


@login_required
def basket_report_view(request, pk):
    plan = _plan(request)
    basket = _found(Basket.objects.filter(pk=pk, partnership=plan.partnership).first())
    parameters, form = _performance_parameters(request, plan, Kind.BASKET, {"basket": basket.slug})
    return _live(
        request,
        plan,
        Kind.BASKET,
        parameters,
        name=f"{basket.slug}-{parameters['quarter']}",
        query=form["query"],
        extra=form,
    )


@login_required
def achievements_view(request):
    plan = _plan(request)
    year = request.GET.get("year") or selectors.latest_real_year(plan) or ""
    try:
        parameters = selectors.clean_parameters(plan, Kind.ACHIEVEMENTS, {"year": year})
    except selectors.ParameterError:
        return render(
            request,
            "web/report_achievements.html",
            {
                "page_title": "Error: Progress and achievements",
                "error": "Enter a financial year, for example 2015/16",
                "year": year,
            },
            status=400,
        )
    return _live(
        request,
        plan,
        Kind.ACHIEVEMENTS,
        parameters,
        name=f"achievements-{parameters['year'].replace('/', '-')}",
        query={"year": parameters["year"]},
        extra={"choose": "web/report_achievements_form.html", "year": parameters["year"]},
    )


@login_required
def delivery_report_view(request):
    plan = _plan(request)
    end = date(plan.end_year, 3, 31)
    as_of = end if end < date.today() else date.today()
    raw = {"as_of": request.GET.get("as_of") or as_of.isoformat(), "since": request.GET.get("since", "")}
    try:
        parameters = selectors.clean_parameters(plan, Kind.DELIVERY, raw)
    except selectors.ParameterError as exc:
        messages.error(request, f"{exc}; the report shows the six months to {long_date(as_of)}")
        parameters = {"as_of": as_of.isoformat(), "since": (as_of - timedelta(days=182)).isoformat()}
    return _live(
        request,
        plan,
        Kind.DELIVERY,
        parameters,
        name=f"delivery-report-{parameters['as_of'][:7]}",
        query=parameters,
        extra={"choose": "web/report_delivery_form.html", **parameters},
    )


@login_required
def plan_document_view(request):
    plan = _plan(request)
    if not permissions.can_read_plan(request.user, plan):
        raise PermissionDenied
    return _live(request, plan, Kind.PLAN, {}, name=plan.slug, query={})


@login_required
def report_list(request):
    plan = _plan(request)
    area = _partnership_area(plan)
    return render(
        request,
        "web/report_list.html",
        {
            "page_title": "Reports",
            "plan": plan,
            "baskets": plan.partnership.baskets.order_by("order"),
            "quarters": [p for p in reporting_periods(plan, area) if p.kind == periods.Kind.QUARTER]
            if area
            else [],
            "can_board": permissions.can_read_drafts(request.user),
            "reports": selectors.visible_reports(request.user, plan),
            "achievements_year": selectors.latest_real_year(plan),
            "assessments": _assessments(request, plan),
        },
    )


def _assessments(request, plan) -> list:
    """The partnership's strategic assessments, whose document and public summary a drafter may draft."""
    if not permissions.can_draft_reports(request.user):
        return []
    from saferplan.assessment.selectors.document import assessments_for

    return assessments_for(plan.partnership)


def _visible(request, pk) -> Report:
    plan = _plan(request)
    report = get_object_or_404(Report, pk=pk, plan__partnership=plan.partnership)
    if not permissions.can_see_report(request.user, report):
        raise PermissionDenied
    return report


@login_required
@require_POST
def report_draft(request):
    from saferplan.reports import services  # with the police task helpers (Polars): not at start-up

    plan = _plan(request)
    if not permissions.can_draft_reports(request.user):
        raise PermissionDenied
    data = {
        k: request.POST.get(k, "")
        for k in ("quarter", "basket", "as_of", "since", "year", "threshold", "benchmarks", "assessment")
    }
    try:
        report = services.draft_report(request.user, plan, request.POST.get("kind", ""), data)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect("report-list")
    messages.success(request, f"Draft started: {report.title}")
    return redirect("report-detail", pk=report.pk)


def _publication_json(publication) -> dict:
    return {
        "status": publication.status,
        "status_label": publication.get_status_display(),
        "percent": publication.percent,
        "step": publication.step,
        "message": publication.message,
        "finished": publication.finished_at is not None,
    }


@login_required
def report_detail(request, pk):
    from saferplan.reports import services  # with the police task helpers (Polars): not at start-up

    report = _visible(request, pk)
    services.recover_interrupted()  # a worker that died part-way: the publication says so
    publication = report.publications.select_related("created_by").first()
    if request.GET.get("format") == "json":
        return JsonResponse(
            _publication_json(publication) if publication else {"status": None, "finished": True}
        )
    document = selectors.document_of(report)
    base = reverse("report-detail", args=[report.pk])
    return render(
        request,
        "web/report_detail.html",
        {
            "page_title": document.title,
            "document": document,
            "report": report,
            "downloads": [
                (renderers.FORMAT_NAMES[fmt], reverse("report-file", args=[report.pk, fmt]))
                for fmt in DOWNLOADS
            ],
            "files": {f.format: f for f in report.files.defer("content")},
            "can_send": permissions.can_draft_reports(request.user) and report.state == Report.State.DRAFT,
            "can_edit_paper": _can_edit_paper(request.user, report),
            "can_publish": permissions.can_publish_report(request.user, report)
            and not (publication and publication.active),
            "publication": publication,
            "history": _history(request, report),  # drafted, sent for review, returned (the note), published
            "base": base,
            "breadcrumbs": _crumbs(),
        },
    )


def _can_edit_paper(user, report: Report) -> bool:
    return (
        permissions.can_draft_reports(user)
        and report.state == Report.State.DRAFT
        and report.kind in (Kind.BOARD, Kind.BASKET, Kind.DELIVERY, Kind.ACHIEVEMENTS)
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_paper(request, pk):
    """The draft paper's meeting, its date, "Report of", contacts, background papers and implications."""
    from saferplan.reports import services  # with the police task helpers (Polars): not at start-up
    from saferplan.reports.forms import PaperForm

    report = _visible(request, pk)
    if not _can_edit_paper(request.user, report):
        raise PermissionDenied
    settings_now = selectors.paper_settings(report.plan, report.kind, report.parameters, report.paper)
    form = PaperForm(request.POST or None, initial=PaperForm.initial_from(settings_now, report.meeting_date))
    back = reverse("report-detail", args=[report.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_change(request.user, report, **form.paper())
        except ValidationError as exc:
            form.add_error("meeting", exc)
        else:
            messages.success(request, "The paper's meeting, officers and implications are saved")
            return redirect(back)
    title = "Meeting, officers and implications"
    return render(
        request,
        "web/report_paper_form.html",
        {
            "page_title": ("Error: " if form.errors else "") + f"{title}: {report.title}",
            "heading": title,
            "report": report,
            "form": form,
            "back": back,
            "breadcrumbs": [*_crumbs(), (report.title, back)],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def report_action(request, pk, action):
    from saferplan.reports import services  # with the police task helpers (Polars): not at start-up

    report = _visible(request, pk)
    try:
        if action == "review":
            services.send_for_review(request.user, report)
            messages.success(request, "Sent for review")
        elif action == "publish":  # also the retry of a publication that failed
            publication = services.publish_request(request.user, report)
            if publication.status == publication.Status.DONE:
                messages.success(request, "Published: the report and its files are now fixed as they are")
            elif publication.status == publication.Status.FAILED:
                messages.error(request, publication.message)
            else:
                messages.success(request, "Publishing: the report is being rendered in every format")
        elif action == "return":
            services.return_to_draft(request.user, report, request.POST.get("note", ""))
            messages.success(request, "Returned to draft")
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return redirect("report-detail", pk=report.pk)


@login_required
def report_file(request, pk, fmt):
    report = _visible(request, pk)
    if fmt not in renderers.FORMATS:
        raise Http404
    name = f"{report.kind}-{report.pk}"
    if report.state == Report.State.PUBLISHED:
        stored = get_object_or_404(report.files, format=fmt)
        return _file_response(bytes(stored.content), fmt, name)
    if refused := _too_many_renders(request):
        return refused
    return _file_response(renderers.render(selectors.document_of(report), fmt), fmt, name)
