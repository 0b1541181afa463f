"""Police open data pages: what the store holds, and uploading a month's file for users without a shell.

The police modules that use Polars (jobs, summary, derive) are imported inside the views, so that starting any
`saferplan` command, which imports every URL, does not load Polars (docs/benchmarks.md, start-up).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from saferplan.accounts import permissions
from saferplan.core.importing import DocumentError
from saferplan.police.forms import PoliceUploadForm
from saferplan.police.models import PoliceImport
from saferplan.web.views.pages import _found
from saferplan.web.views.performance import _plan


@login_required
@require_http_methods(["GET", "POST"])
def police_overview(request):
    from saferplan.police import jobs, summary
    from saferplan.police.derive import DEFINITIONS

    plan = _plan(request)
    can_import = permissions.can_import_police_data(request.user)
    form = PoliceUploadForm(request.POST or None, request.FILES or None) if can_import else None
    status = 200
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied
        if form.is_valid():
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
    return render(
        request,
        "web/police_overview.html",
        {
            "page_title": ("Error: " if status == 400 else "") + "Police open data",
            "plan": plan,
            "coverage": summary.coverage(plan.partnership),
            "form": form,
            "imports": PoliceImport.objects.select_related("created_by")[:10],
            "definitions": DEFINITIONS.values(),
        },
        status=status,
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
