"""Casework counts feeding the plan's indicators (issue 20, item 6): the feeds (which measure goes to which
indicator and area), with each one's latest casework figure; a feed's form; and running the feeds in the
background. Analysts and administrators only. Only depersonalised counts are shown: no names, no addresses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferplan.casework import permissions
from saferplan.casework.forms.feeds import FeedForm
from saferplan.casework.selectors import feeds as selectors
from saferplan.casework.services import feeds as services
from saferplan.core.formatting import figure
from saferplan.plans import selectors as plan_selectors
from saferplan.web import exports
from saferplan.web.views.casework_access import read_only
from saferplan.web.views.edit import _form_page

CAPTION = "Casework feeds"
HEADER = ["Indicator", "Measure", "How it is counted", "Area", "Latest period", "Latest figure", "Synthetic"]


def _allow(request) -> None:
    if not permissions.can_manage_feeds(request.user):
        raise PermissionDenied


def _partnership(request):
    plan = plan_selectors.plan_get(user=request.user)
    if plan is None:
        raise Http404
    return plan.partnership


def _crumbs():
    return [("Casework", reverse("casework-home")), ("Casework feeds", reverse("casework-feed-list"))]


def _table(rows) -> exports.Table:
    return exports.Table(
        filename="casework-feeds",
        title="Casework feeds",
        header=HEADER,
        rows=[
            [
                r.feed.indicator.name,
                r.measure.label if r.measure else r.feed.measure,
                r.measure.counted if r.measure else "",
                r.feed.area.name,
                exports.period_label(r.latest.period, r.latest.period_start, r.latest.period_end)
                if r.latest
                else "",
                r.latest.value if r.latest else None,
                exports.yes_no(r.latest.synthetic) if r.latest else "",
            ]
            for r in rows
        ],
    )


@login_required
@read_only(permissions.can_manage_feeds)
def feed_list(request):
    rows = selectors.feed_rows(_partnership(request))
    download = exports.respond(request, {"": lambda: _table(rows)})
    if download is not None:
        return download
    return render(
        request,
        "web/casework/feed_list.html",
        {
            "page_title": "Casework feeds",
            "rows": [(r, figure(r.latest.value, r.feed.indicator.unit) if r.latest else "") for r in rows],
            "breadcrumbs": [("Casework", reverse("casework-home"))],
        },
    )


def _save(request, feed=None):
    partnership = _partnership(request)
    initial = {}
    if feed is not None:
        initial = {
            "indicator": feed.indicator,
            "measure": feed.measure,
            "area": feed.area,
            "records_from": feed.records_from,
            "records_to": feed.records_to,
        }
    form = FeedForm(request.POST or None, initial=initial, partnership=partnership)

    def on_valid(data):
        if feed is None:
            services.feed_create(**data, user=request.user)
            return reverse("casework-feed-list"), "Casework feed added"
        services.feed_change(feed=feed, **data, user=request.user)
        return reverse("casework-feed-list"), "Casework feed saved"

    return _form_page(
        request,
        form,
        title="Add a casework feed" if feed is None else f"Change the feed into {feed.indicator.name}",
        caption=CAPTION,
        back=reverse("casework-feed-list"),
        breadcrumbs=_crumbs(),
        on_valid=on_valid,
        submit="Save feed",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def feed_create(request):
    _allow(request)
    return _save(request)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def feed_edit(request, pk: int):
    _allow(request)
    feed = selectors.feed_for(_partnership(request), pk)
    if feed is None:
        raise Http404
    return _save(request, feed)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def feed_run(request):
    """GET: what running the feeds does, and a button; POST: run them in the background (the worker)."""
    _allow(request)
    partnership = _partnership(request)
    rows = selectors.feed_rows(partnership)
    if request.method == "POST" and rows:
        from saferplan.casework.tasks import feed_run_task

        result = feed_run_task.enqueue(partnership.pk, request.user.pk)
        done = result.return_value if result.status == "SUCCESSFUL" else None  # run here (immediate backend)
        if isinstance(done, dict) and "refused" in done:
            messages.error(request, done["refused"])
            return redirect("casework-feed-run")
        if isinstance(done, dict):
            messages.success(
                request,
                f"Casework counts recorded: {done['created']} new, {done['revised']} revised, "
                f"{done['unchanged']} unchanged",
            )
        else:
            messages.success(request, "The casework counts are being recorded; this takes a few minutes")
        return redirect("casework-feed-list")
    return render(
        request,
        "web/casework/feed_run.html",
        {"page_title": "Record the casework counts", "rows": rows, "breadcrumbs": _crumbs()},
    )
