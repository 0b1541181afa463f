"""Police open data pages: what the store holds, and uploading a month's file for users without a shell.

The police modules that use Polars (jobs, summary, derive) are imported inside the views, so that starting any
`saferplan` command, which imports every URL, does not load Polars (docs/benchmarks.md, start-up).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from saferplan.accounts import permissions
from saferplan.core.importing import DocumentError
from saferplan.police.forms import BoundaryUploadForm, PoliceUploadForm
from saferplan.police.models import PoliceImport
from saferplan.web import exports
from saferplan.web.views.pages import _found
from saferplan.web.views.performance import _plan


@login_required
@require_http_methods(["GET", "POST"])
def police_overview(request):
    """The month's figures, top places and map; the upload forms for those who may import."""
    from saferplan.police import geo, jobs, selectors, summary
    from saferplan.police.derive import DEFINITIONS

    plan = _plan(request)
    can_import = permissions.can_import_police_data(request.user)
    posted = request.POST.get("upload", "month") if request.method == "POST" else None
    form = boundary_form = None
    if can_import:
        form = PoliceUploadForm(*((request.POST, request.FILES) if posted == "month" else ()))
        boundary_form = BoundaryUploadForm(
            *((request.POST, request.FILES) if posted == "boundaries" else ()), prefix="boundaries"
        )
    status = 200
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied
        if posted == "boundaries" and boundary_form.is_valid():
            upload = boundary_form.cleaned_data["file"]
            try:
                count = geo.import_boundaries(
                    upload.name, upload.read(), partnership=plan.partnership, user=request.user
                )
            except DocumentError as exc:
                for problem in exc.problems[:10]:
                    boundary_form.add_error("file", f"{exc.filename}, {problem}")
            else:
                noun = "area boundary" if count == 1 else "area boundaries"
                messages.success(request, f"{count} {noun} loaded from {upload.name}; the map draws them.")
                return redirect("police-overview")
        elif posted == "month" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = jobs.police_import_start(
                    content=upload.read(),
                    filename=upload.name,
                    partnership=plan.partnership,
                    user=request.user,
                )
            except DocumentError as exc:
                form.add_error("file", exc.problems[0].message)
            else:
                return redirect("police-import", pk=job.pk)
        status = 400
    months = selectors.months_held()
    month = request.GET.get("month") or (months[0] if months else None)
    if months and month not in months:
        raise Http404("No police data is held for that month")
    types = selectors.crime_types(month) if month else []
    crime_type = request.GET.get("type") or None
    if crime_type and crime_type not in types:
        raise Http404("No such crime type")
    figures = selectors.overview(plan.partnership, month, crime_type) if month else None
    coverage = summary.coverage(plan.partnership)
    if request.method == "GET" and (download := exports.respond(request, _tables(figures, coverage))):
        return download
    response = render(
        request,
        "web/police_overview.html",
        {
            "page_title": ("Error: " if status == 400 else "")
            + "Police open data"
            + (f": {selectors.month_label(month)}" if month else ""),
            "plan": plan,
            "months": [(m, selectors.month_label(m)) for m in months],
            "month": month,
            "month_label": selectors.month_label(month) if month else "",
            "previous_label": selectors.month_label(figures["previous"]) if figures else "",
            "last_year_label": selectors.month_label(figures["last_year"]) if figures else "",
            "crime_types": types,
            "crime_type": crime_type,
            "figures": figures,
            "coverage": coverage,
            "form": form,
            "boundary_form": boundary_form,
            "imports": PoliceImport.objects.select_related("created_by")[:10],
            "definitions": DEFINITIONS.values(),
        },
        status=status,
    )
    if figures and figures["map"] and figures["map"]["tiles"]:
        _allow_tile_images(response)
    return response


def _tables(figures, coverage) -> dict:
    """The page's tables as files (saferplan.web.exports), by the name their download links give."""
    from saferplan.police import selectors

    tables = {"held": lambda: exports.police_coverage_table(coverage)} if coverage else {}
    if not figures:
        return tables
    labels = {key: selectors.month_label(figures[key]) for key in ("month", "previous", "last_year")}
    labels["now"] = labels.pop("month")
    return tables | {
        "by-type": lambda: exports.police_compare_table(figures, labels, by="type"),
        "by-area": lambda: exports.police_compare_table(figures, labels, by="area"),
        "top-locations": lambda: exports.police_places_table(figures, which="locations"),
        "top-lsoas": lambda: exports.police_places_table(figures, which="lsoas"),
        "hot-spots": lambda: exports.police_places_table(figures, which="hot-spots"),
    }


def _allow_tile_images(response) -> None:
    """The site's Content-Security-Policy, also letting the page load images from the configured tile server."""
    address = urlsplit(settings.POLICE_MAP_TILES)
    policy = {name: list(sources) for name, sources in settings.CONTENT_SECURITY_POLICY.items()}
    policy.setdefault("img-src", ["'self'"]).append(f"{address.scheme}://{address.netloc}")
    response["Content-Security-Policy"] = "; ".join(
        f"{name} {' '.join(v)}".strip() for name, v in policy.items()
    )


@login_required
@require_http_methods(["GET", "POST"])
def police_import(request, pk):
    """An import's state and progress; POST retries a failed one from its saved upload (the same permission
    as importing)."""
    from saferplan.police import jobs

    if not permissions.can_import_police_data(request.user):
        raise PermissionDenied
    jobs.recover_interrupted()  # a worker that died part-way: the job says so
    job = _found(PoliceImport.objects.filter(pk=pk).first())
    if request.method == "POST":
        if not jobs.can_retry(job):
            messages.error(request, "Only a failed import can be retried; upload the file again.")
        else:
            jobs.police_import_retry(job=job, user=request.user)
        return redirect("police-import", pk=job.pk)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": job.status,
                "status_label": job.get_status_display(),
                "files_done": job.files_done,
                "files_total": job.files_total,
                "percent": job.percent,
                "rows": job.rows,
                "rows_per_second": job.rows_per_second,
                "message": job.message,
                "finished": job.finished_at is not None,
                "can_retry": jobs.can_retry(job),
            }
        )
    return render(
        request,
        "web/police_import.html",
        {"page_title": f"Import of {job.filename}", "job": job, "can_retry": jobs.can_retry(job)},
    )
