"""Reports on screen, and their Word and spreadsheet downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from saferplan.accounts import permissions
from saferplan.indicators import periods
from saferplan.indicators.selectors import default_period, reporting_periods
from saferplan.plans.models import Basket
from saferplan.reports import render as renderers
from saferplan.reports.board import basket_report, board_report
from saferplan.reports.narrative import achievements
from saferplan.web.views.pages import _found
from saferplan.web.views.performance import _partnership_area, _plan

TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(report, fmt: str, name: str) -> HttpResponse:
    content = {"docx": renderers.to_docx, "xlsx": renderers.to_xlsx, "pdf": renderers.to_pdf}[fmt](report)
    response = HttpResponse(content, content_type=TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _period(request, plan, kind: periods.Kind) -> periods.Period:
    area = _found(_partnership_area(plan))
    options = [p for p in reporting_periods(plan, area) if p.kind == kind]
    chosen = next((p for p in options if p.code == request.GET.get("period")), None)
    return _found(chosen or (options[0] if options else default_period(plan, area)))


@login_required
def board_report_view(request):
    if not permissions.can_read_drafts(request.user):
        raise PermissionDenied
    plan = _plan(request)
    quarter = _period(request, plan, periods.Kind.QUARTER)
    report = board_report(plan, quarter)
    if request.GET.get("format") in TYPES:
        return _download(report, request.GET["format"], f"board-report-{quarter.code}")
    return render(
        request,
        "web/report_board.html",
        {"page_title": report.title, "report": report, "breadcrumbs": [("Reports", reverse("report-list"))]},
    )


@login_required
def basket_report_view(request, pk):
    plan = _plan(request)
    basket = _found(Basket.objects.filter(pk=pk, partnership=plan.partnership).first())
    year = _period(request, plan, periods.Kind.QUARTER)
    report = basket_report(basket, plan, year)
    if request.GET.get("format") in TYPES:
        return _download(report, request.GET["format"], f"{basket.slug}-{year.code}")
    return render(
        request,
        "web/report_board.html",
        {"page_title": report.title, "report": report, "breadcrumbs": [("Reports", reverse("report-list"))]},
    )


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
        },
    )


@login_required
def achievements_view(request):
    plan = _plan(request)
    year = request.GET.get("year", "2015/16")
    try:
        parsed = periods.parse(year)
    except ValueError:
        parsed = None
    if parsed is None or parsed.kind != periods.Kind.FINANCIAL_YEAR:
        return render(
            request,
            "web/report_achievements.html",
            {
                "page_title": "Error: Progress and achievements",
                "error": "Enter a financial year, for example 2015/16",
                "year": year,
                "paragraphs": [],
            },
            status=400,
        )
    return render(
        request,
        "web/report_achievements.html",
        {
            "page_title": f"Progress and achievements, {parsed.label}",
            "year": parsed.label,
            "paragraphs": achievements(plan, parsed.label),
            "breadcrumbs": [("Reports", reverse("report-list"))],
        },
    )


@login_required
def delivery_report_view(request):
    from datetime import date, timedelta

    from django.template.loader import render_to_string

    from saferplan.reports.delivery_report import delivery_report

    plan = _plan(request)

    def day(name, default):
        try:
            return date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return default

    as_of = day(
        "as_of", date(plan.end_year, 3, 31) if date(plan.end_year, 3, 31) < date.today() else date.today()
    )
    since = day("since", as_of - timedelta(days=182))
    report = delivery_report(plan, as_of=as_of, since=since)
    sections = [
        ("Overdue actions", report.overdue),
        ("At risk or off track", report.at_risk),
        (f"Completed since {since:%d %B %Y}", report.completed),
    ]
    if request.GET.get("format") == "pdf":
        html = render_to_string("web/report_delivery_print.html", {"report": report, "sections": sections})
        response = HttpResponse(renderers.html_to_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="delivery-report-{as_of:%Y-%m}.pdf"'
        return response
    return render(
        request,
        "web/report_delivery.html",
        {
            "page_title": report.title,
            "report": report,
            "sections": sections,
            "breadcrumbs": [("Reports", reverse("report-list"))],
        },
    )
