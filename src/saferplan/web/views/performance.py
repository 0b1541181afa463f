"""Performance pages: the overview, an indicator's figures and chart, which figure is the headline, revisions,
and data returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from saferplan.accounts import permissions
from saferplan.accounts.models import Organisation
from saferplan.areas.models import Area
from saferplan.areas.selectors import areas_for
from saferplan.core.formatting import figure
from saferplan.core.forms import GovUKForm
from saferplan.core.importing import DocumentError
from saferplan.core.selectors import histories
from saferplan.indicators import charts, data_returns, periods, selectors, services
from saferplan.indicators.assessment import (
    IMPROVEMENT,
    Point,
    assess,
    interval_for,
    point_for,
    series_caveat,
    spc_series,
)
from saferplan.indicators.forms import (
    DataReturnUploadForm,
    PerformanceFilterForm,
    TargetForm,
    WithdrawFigureForm,
)
from saferplan.indicators.models import DataReturnImport, Observation
from saferplan.plans import selectors as plan_selectors
from saferplan.plans.models import Group
from saferplan.web import exports
from saferplan.web.views.edit import _form_page
from saferplan.web.views.pages import _found, _readable


def _plan(request):
    return _readable(request, _found(plan_selectors.plan_get(user=request.user)))


def _partnership_area(plan) -> Area | None:
    return Area.objects.filter(partnership=plan.partnership, kind=Area.Kind.PARTNERSHIP).first()


EXPORT_HEADER = [
    "Section",
    "Indicator",
    "Period",
    "Value",
    "Lower 95% CI",
    "Upper 95% CI",
    "Same period last year",
    "Change",
    "Change %",
    "Direction of travel",
    "SPC",
    "Target",
    "RAG",
    "Synthetic demo data",
    "Summary",
    "Origin",
    "Comparison",
    "Other sources that differ",
    "Against target",
    "Target and its period",
    "Direction of travel in words",
    "Is the change real",
    "Judged by",
]


def comparison_cell(change, synthetic: bool) -> str:
    """What a spreadsheet cell says about the two figures a change compares: whether one is synthetic."""
    if change is None:
        return ""
    if change.mixed:
        return change.caveat
    return "both figures are synthetic demo data" if synthetic else "both figures are real"


def _export_rows(sections):
    for section in sections:
        for row in section.rows:
            a = row.assessment

            def r(value, places=4):
                return (
                    None if value is None else (int(value) if value == int(value) else round(value, places))
                )

            yield [
                section.title,
                row.indicator.name,
                row.period.label,
                r(a.value),
                r(a.interval.lower) if a.interval else None,
                r(a.interval.upper) if a.interval else None,
                r(a.last_year.previous) if a.last_year else None,
                r(a.last_year.absolute) if a.last_year else None,
                r(a.last_year.percent, 1) if a.last_year and a.last_year.percent is not None else None,
                a.direction,
                a.spc_status.replace("_", " "),
                r(a.target),
                a.rag,
                "yes" if a.synthetic else "no",
                a.summary,
                row.origin_label,
                comparison_cell(a.last_year, a.synthetic),
                "; ".join(row.other_lines(limit=12)),
                *_glance_cells(row.glance),
            ]


def _glance_cells(glance) -> list[str]:
    """The scorecard's words at a glance, for a spreadsheet (blank where the rows were not made by
    `selectors.scorecard`)."""
    if glance is None:
        return ["", "", "", "", ""]
    return [
        glance.target_label,
        glance.target_words,
        glance.travel.words,
        glance.significance_words,
        glance.judged_by,
    ]


@login_required
def performance_overview(request):
    """The scorecard: each indicator's status at a glance for an area and period, narrowed by the filters in
    the query string (area, period, group, basket, status), so that a link shares the same view."""
    plan = _plan(request)
    areas = [a for a in areas_for(plan.partnership) if a.kind != Area.Kind.BENCHMARK]
    if not areas:
        return render(request, "web/performance_empty.html", {"page_title": "Performance", "plan": plan})
    groups = list(
        Group.objects.live()
        .filter(partnership=plan.partnership, objective_roles__objective__plan=plan)
        .distinct()
        .order_by("name")
    )
    baskets = list(plan.partnership.baskets.order_by("order", "name"))
    area = next((a for a in areas if a.code == request.GET.get("area")), areas[0])
    options = selectors.reporting_periods(plan, area)
    selected = next((p for p in options if p.code == request.GET.get("period")), None)
    selected = selected or selectors.default_period(plan, area)
    if selected is None:
        return render(request, "web/performance_empty.html", {"page_title": "Performance", "plan": plan})
    group = next((g for g in groups if str(g.pk) == request.GET.get("group")), None)
    basket = next((b for b in baskets if b.slug == request.GET.get("basket")), None)
    status = request.GET.get("status", "")
    status = status if status in selectors.STATUS_FILTERS else ""
    shown = {
        "area": area.code,
        "period": selected.code,
        "group": str(group.pk) if group else "",
        "basket": basket.slug if basket else "",
        "status": status,
    }
    form = PerformanceFilterForm(
        shown, areas=areas, periods=options, groups=groups, baskets=baskets, statuses=selectors.STATUS_FILTERS
    )
    sections = selectors.scorecard(
        plan,
        area=area,
        selected=selected,
        group_id=group.pk if group else None,
        basket_id=basket.pk if basket else None,
        status=status,
    )
    title = f"Performance, {area.name}, {selected.label}"
    if fmt := exports.wanted(request):
        return exports.table_download(
            fmt,
            filename=f"performance-{area.code}-{selected.code}",
            title="Performance",
            caption=title,
            header=EXPORT_HEADER,
            rows=_export_rows(sections),
        )
    query = urlencode({k: v for k, v in shown.items() if v})
    narrowed = [
        label
        for label in (
            group.name if group else "",
            basket.name if basket else "",
            selectors.STATUS_FILTERS.get(status, ""),
        )
        if label
    ]
    return render(
        request,
        "web/performance_overview.html",
        {
            "page_title": title,
            "plan": plan,
            "form": form,
            "area": area,
            "selected": selected,
            "sections": sections,
            "tables": [(section, [(row, _sparkline(row)) for row in section.rows]) for section in sections],
            "query": query,
            "narrowed": narrowed,
            "counts": selectors.scorecard_counts(sections),
            "any_status": urlencode({k: v for k, v in shown.items() if v and k != "status"}),
            "any_synthetic": any(r.assessment.synthetic for s in sections for r in s.rows),
            "can_manage": permissions.can_manage_performance_data(request.user),
        },
    )


def _sparkline(row) -> str:
    spark = row.glance.spark
    return mark_safe(
        charts.sparkline(
            [p.value for p in spark], label=row.glance.spark_label, synthetic=[p.synthetic for p in spark]
        )
    )


@login_required
def help_significance(request):
    """What "a real change, not noise" means on the scorecard, and how it is judged."""
    return render(
        request,
        "web/help_significance.html",
        {
            "page_title": "A real change, not noise",
            "breadcrumbs": [("Performance", reverse("performance-overview"))],
        },
    )


@dataclass
class FigureRow:
    """A headline figure on the indicator's page, with its record (origin, note) and the other sources that give
    a different figure for the same period."""

    point: Point
    interval: object
    observation: Observation | None
    others: list[selectors.OtherSource] = field(default_factory=list)


def _can_be_headline(observation: Observation, observations: list[Observation]) -> bool:
    """A synthetic figure can never be chosen over a real one (services.observation_make_headline refuses)."""
    return not observation.headline and not (
        observation.synthetic
        and any(not o.synthetic and o.period == observation.period for o in observations)
    )


@login_required
def indicator_performance(request, pk):
    """The indicator's figures for an area: chart, summary, table with intervals, sources, commentary."""
    indicator = _found(plan_selectors.indicator_detail(pk))
    areas = areas_for(indicator.partnership)
    area = next((a for a in areas if a.code == request.GET.get("area")), None) or next(
        (a for a in areas if a.kind == Area.Kind.PARTNERSHIP), None
    )
    area = _found(area)
    for table in ("series", "sources"):  # the full series, or every source, as a file
        if fmt := exports.wanted(request, table):
            observations = [o for o, _ in selectors.observations_table(indicator, area)]
            return exports.observations_download(
                fmt, indicator, area, observations, every_source=table == "sources"
            )
    return _indicator_page(request, indicator, area, areas)


def _commentaries(request, indicator, area) -> list[tuple]:
    """(period, commentary, its history) newest first; the history is None for those who may not see it."""
    items = selectors.commentaries(indicator, area)
    if not permissions.can_view_history(request.user):
        return [(period, c, None) for period, c in items]
    history = histories(c for _, c in items)
    return [(period, c, history.get(c.pk, [])) for period, c in items]


def _scorecard_filters(request, plan, area) -> tuple[periods.Period | None, dict[str, str]]:
    """The scorecard's filters an indicator's page was reached with (area, period, group, basket, status), each
    checked against the scorecard's own choices: a value that is not one of them is dropped, so the scorecard
    shows its default. Returns the period chosen (None: the latest figures) and the filters to carry on."""
    shown = {"area": area.code}
    code = request.GET.get("period", "")
    selected = (
        next((p for p in selectors.reporting_periods(plan, area) if p.code == code), None) if code else None
    )
    if selected is not None:
        shown["period"] = selected.code
    group = request.GET.get("group", "")
    groups = Group.objects.live().filter(partnership=plan.partnership, objective_roles__objective__plan=plan)
    if group and group in {str(pk) for pk in groups.values_list("pk", flat=True)}:
        shown["group"] = group
    basket = request.GET.get("basket", "")
    if basket and basket in set(plan.partnership.baskets.values_list("slug", flat=True)):
        shown["basket"] = basket
    status = request.GET.get("status", "")
    if status and status in selectors.STATUS_FILTERS:
        shown["status"] = status
    return selected, shown


def _indicator_page(request, indicator, area, areas, *, error: str = "", status: int = 200):
    plan = _plan(request)
    selected, scorecard = _scorecard_filters(request, plan, area)
    info = selectors.indicator_info(indicator)
    points = selectors.headline_series([indicator.pk], [area.pk]).get((indicator.pk, area.pk), [])
    targets = selectors.targets_by_indicator([indicator.pk], [area.pk]).get((indicator.pk, area.pk), [])
    observations = selectors.observations_table(indicator, area)
    records = [o for o, _ in observations]
    headline = {o.period: o for o in records if o.headline}
    others: dict[str, list[selectors.OtherSource]] = {}
    for other in selectors.others_among(records):
        others.setdefault(other.period.code, []).append(other)
    latest = None
    chart = None
    chart_caveat = ""
    table = []
    chosen = None  # the figure for the scorecard's period, when the page was reached from the scorecard
    if points:
        latest = assess(info, points, points[-1].period, targets=targets)
        if selected is not None:
            chosen = assess(
                info, points, selectors.period_for_indicator(indicator, selected), targets=targets
            )
        if latest.spc is not None:
            chart_points = spc_series(points, latest.period)
            chart_caveat = series_caveat(chart_points)
            chart = mark_safe(
                charts.spc_chart(
                    [p.period.label for p in chart_points],
                    latest.spc,
                    title=f"{indicator.name}, {area.name}",
                    target=latest.target
                    if latest.target is not None and not any(t.cumulative for t in targets)
                    else None,
                    unit=indicator.unit,
                    x_title=charts.x_title_for(chart_points[0].period.kind),
                    synthetic=[p.synthetic for p in chart_points],
                )
            )
        for p in reversed(points):
            code = p.period.code
            table.append(FigureRow(p, interval_for(info, p), headline.get(code), others.get(code, [])))
    years = []
    if points:
        first, last = points[0].period, points[-1].period
        for fy in periods.periods_for("annual", indicator.period_basis, first.start, last.end):
            point = point_for(info, points, fy)
            if point is not None:
                years.append(assess(info, points, fy, targets=targets))
    spans = selectors.span_figures([indicator.pk], [area.pk]).get((indicator.pk, area.pk), [])
    can_manage = permissions.can_manage_performance_data(request.user)
    precedence = [
        selectors.origin_label(o)
        for o in services.precedence_for(indicator.partnership)
        if o != Observation.Origin.SYNTHETIC
    ]
    return render(
        request,
        "web/indicator_performance.html",
        {
            "page_title": ("Error: " if error else "") + f"{indicator.name}: figures",
            "indicator": indicator,
            "plan": plan,
            "area": area,
            "areas": areas,
            "latest": latest,
            "chosen": chosen if chosen is None or latest is None or chosen.period != latest.period else None,
            "selected": selected,
            "scorecard": scorecard,
            "scorecard_url": f"{reverse('performance-overview')}?{urlencode(scorecard)}",
            "latest_url": f"{reverse('indicator-performance', args=[indicator.pk])}?"
            + urlencode({k: v for k, v in scorecard.items() if k != "period"}),
            "chart": chart,
            "chart_caveat": chart_caveat,
            "table": table,
            "years": years,
            "spans": spans,
            "observations": [(o, d, _can_be_headline(o, records)) for o, d in observations],
            "withdrawable": {o.pk for o in records if permissions.can_withdraw_figure(request.user, o)},
            "commentaries": _commentaries(request, indicator, area),
            "can_manage": can_manage,
            "precedence": precedence,
            "error": error,
            "improvement": IMPROVEMENT[indicator.polarity],
            "breadcrumbs": [
                ("Indicators", reverse("indicator-list")),
                (indicator.name, reverse("indicator-detail", args=[indicator.pk])),
            ],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def observation_withdraw(request, pk):
    """Withdraw a figure with a reason (kept in the history)."""
    observation = _found(
        Observation.objects.select_related("indicator", "area", "data_return__organisation")
        .filter(pk=pk)
        .first()
    )
    if not permissions.can_withdraw_figure(request.user, observation):
        raise PermissionDenied
    label = periods.Period.from_code(observation.period).label
    back = f"{reverse('indicator-performance', args=[observation.indicator_id])}?area={observation.area.code}"

    def withdraw(data):
        services.observation_withdraw(observation=observation, reason=data["reason"], user=request.user)
        return back, f"The figure from {observation.source} for {label} was withdrawn."

    return _form_page(
        request,
        WithdrawFigureForm(request.POST or None),
        title=f"Withdraw {observation.indicator.name}, {observation.area.name}, {label}: "
        f"{figure(observation.value, observation.indicator.unit)} ({observation.source})",
        back=back,
        submit="Withdraw the figure",
        on_valid=withdraw,
        breadcrumbs=[(observation.indicator.name, back)],
    )


@login_required
@require_POST
def observation_headline(request, pk):
    observation = get_object_or_404(Observation.objects.select_related("area"), pk=pk)
    if not permissions.can_manage_performance_data(request.user):
        raise PermissionDenied
    label = periods.Period.from_code(observation.period).label
    try:
        services.observation_make_headline(observation=observation, user=request.user)
    except ValueError:
        indicator = _found(plan_selectors.indicator_detail(observation.indicator_id))
        return _indicator_page(
            request,
            indicator,
            observation.area,
            areas_for(indicator.partnership),
            error=(
                f"The figure from {observation.source} for {label} is synthetic demo data, so it cannot be the "
                "headline while a real figure for the same period is recorded"
            ),
            status=400,
        )
    messages.success(request, f"{observation.source} is now the headline figure for {label}")
    url = reverse("indicator-performance", args=[observation.indicator_id])
    return redirect(f"{url}?area={observation.area.code}")


# ------------------------------------------------------------------------- which figure is the headline

ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth")


class PrecedenceForm(GovUKForm):
    """The partnership's order of the real kinds of figure, first first; synthetic demo figures are always last
    and are not in the form."""

    def __init__(self, *args, current: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        real = [o for o in current if o != Observation.Origin.SYNTHETIC]
        choices = [(o.value, o.label) for o in Observation.Origin if o != Observation.Origin.SYNTHETIC]
        for n, origin in enumerate(real):
            self.fields[f"position_{n + 1}"] = forms.ChoiceField(
                label=ORDINALS[n],
                choices=choices,
                initial=origin,
                error_messages={"required": f"Choose the kind of figure that comes {ORDINALS[n].lower()}"},
            )
        self._style()

    def clean(self):
        data = super().clean()
        seen: dict[str, str] = {}
        for name, field_ in self.fields.items():
            value = data.get(name)
            if value is None:
                continue
            if value in seen:
                label = dict(field_.choices)[value]
                self.add_error(
                    name,
                    f"{label} is already {seen[value].lower()}: choose each kind of figure once",
                )
            else:
                seen[value] = field_.label
        return data

    def order(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.fields]


def _precedence_changes(partnership, limit: int = 5) -> list[dict]:
    """The latest changes of the partnership's order of sources, from its history: when, who, the new order."""
    records = list(
        partnership.history.select_related("history_user").order_by("-history_date", "-history_id")[:200]
    )
    changes = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if older is not None and newer.figure_precedence == older.figure_precedence:
            continue
        if older is None and not newer.figure_precedence:
            continue
        order = [selectors.origin_label(o) for o in services.precedence_for(newer)]
        changes.append({"when": newer.history_date, "who": newer.history_user, "order": order})
        if len(changes) == limit:
            break
    return changes


@login_required
@require_http_methods(["GET", "POST"])
def figure_precedence(request):
    """Which kind of figure is the headline when several sources give one: analysts and administrators see and
    change the partnership's order; synthetic demo figures always come last."""
    if not permissions.can_manage_performance_data(request.user):
        raise PermissionDenied
    plan = _plan(request)
    partnership = plan.partnership
    posted = request.POST if request.method == "POST" else None
    form = PrecedenceForm(posted, current=services.precedence_for(partnership))
    if posted is not None and form.is_valid():
        try:
            order = services.partnership_set_precedence(
                partnership=partnership, order=form.order(), user=request.user
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            labels = ", ".join(selectors.origin_label(o) for o in order)
            messages.success(request, f"Order of sources saved and every headline chosen again: {labels}")
            return redirect("figure-precedence")
    return render(
        request,
        "web/figure_precedence.html",
        {
            "page_title": ("Error: " if form.errors else "") + "Which figure is the headline",
            "plan": plan,
            "partnership": partnership,
            "form": form,
            "synthetic_label": Observation.Origin.SYNTHETIC.label,
            "changes": _precedence_changes(partnership),
            "breadcrumbs": [("Performance", reverse("performance-overview"))],
        },
        status=400 if form.errors else 200,
    )


@login_required
def performance_revisions(request):
    if not permissions.can_view_history(request.user):
        raise PermissionDenied
    plan = _plan(request)
    error = ""
    try:
        since = date.fromisoformat(request.GET.get("since", ""))
    except ValueError:
        since = date.today() - timedelta(days=90)
        if request.GET.get("since"):
            error = "Enter the date as YYYY-MM-DD, for example 2016-06-15"
    return render(
        request,
        "web/performance_revisions.html",
        {
            "page_title": "Figures revised",
            "plan": plan,
            "since": since,
            "revisions": selectors.revisions_since(plan.partnership, since),
            "error": error,
        },
        status=400 if error else 200,
    )


# ------------------------------------------------------------------------------------- data returns


@login_required
def data_return_list(request):
    if not permissions.can_use_data_returns(request.user):
        raise PermissionDenied
    plan = _plan(request)
    organisations = [
        o
        for o in Organisation.objects.filter(
            indicators__partnership=plan.partnership, indicators__archived_at__isnull=True
        ).distinct()
        if permissions.can_submit_return(request.user, o)
    ]
    area = _partnership_area(plan)
    summary = []
    for org in organisations:
        figures = data_returns.due_figures(organisation=org, plan=plan, area=area) if area else []
        counts = {s: sum(1 for f in figures if f.status == s) for s in ("overdue", "due", "received")}
        summary.append((org, counts))
    if fmt := exports.wanted(request):
        return exports.table_download(
            fmt,
            filename="data-returns",
            title="Data returns",
            header=["Organisation", "Overdue", "Due", "Received"],
            rows=[[org.name, c["overdue"], c["due"], c["received"]] for org, c in summary],
        )
    return render(
        request,
        "web/data_return_list.html",
        {
            "page_title": "Data returns",
            "plan": plan,
            "summary": summary,
        },
    )


@login_required
def data_return_detail(request, slug):
    organisation = _found(Organisation.objects.filter(slug=slug).first())
    if not permissions.can_submit_return(request.user, organisation):
        raise PermissionDenied
    plan = _plan(request)
    area = _partnership_area(plan)
    form = DataReturnUploadForm(request.POST or None, request.FILES or None)
    problems = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                accepted = data_returns.data_return_submit(
                    upload.name,
                    upload.read(),
                    organisation=organisation,
                    partnership=plan.partnership,
                    user=request.user,
                    confirm_unusual=form.cleaned_data["confirm_unusual"],
                )
            except DocumentError as exc:
                problems = exc
                form.add_error(
                    "file", f"The file was not accepted: {exc.summary()} The problems are listed above."
                )
                status = 400
            else:
                if isinstance(accepted, DataReturnImport):  # a large return: the worker imports it
                    return redirect("data-return-import", slug=organisation.slug, pk=accepted.pk)
                messages.success(
                    request,
                    f"Return accepted: {accepted.summary}",
                )
                return redirect("data-return-detail", slug=organisation.slug)
        else:
            status = 400
    figures = data_returns.due_figures(organisation=organisation, plan=plan, area=area) if area else []
    outstanding = [f for f in figures if f.status != "received"]
    return render(
        request,
        "web/data_return_detail.html",
        {
            "page_title": ("Error: " if status == 400 else "") + f"Data return: {organisation.name}",
            "organisation": organisation,
            "plan": plan,
            "form": form,
            "problems": problems,
            "outstanding": sorted(outstanding, key=lambda f: (f.due, f.indicator.name)),
            "received_count": len(figures) - len(outstanding),
            "history": organisation.data_returns.select_related("created_by")[:20],
            # Large returns waiting, being saved, or refused in the last week: their pages say why.
            "imports": DataReturnImport.objects.filter(
                organisation=organisation, created_at__gte=timezone.now() - timedelta(days=7)
            ).exclude(status=DataReturnImport.Status.DONE)[:5],
            "queue_over": figure(settings.SAFERPLAN_QUEUE_RETURNS_OVER),
            "breadcrumbs": [("Data returns", reverse("data-return-list"))],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def data_return_import(request, slug, pk):
    """A large return's import by the worker: its state and progress (JSON for the page's script); POST
    retries a failed one from its saved upload."""
    organisation = _found(Organisation.objects.filter(slug=slug).first())
    if not permissions.can_submit_return(request.user, organisation):
        raise PermissionDenied
    data_returns.recover_interrupted()  # a worker that died part-way: the job says so
    job = _found(DataReturnImport.objects.filter(pk=pk, organisation=organisation).first())
    if request.method == "POST":
        if not data_returns.can_retry(job):
            messages.error(request, "Only a failed import can be retried; upload the file again.")
        else:
            data_returns.data_return_import_retry(job=job, user=request.user)
        return redirect("data-return-import", slug=organisation.slug, pk=job.pk)
    job = data_returns.with_progress(job)
    can_retry = data_returns.can_retry(job)
    rows_text = f"{figure(job.rows_done)} of {figure(job.rows_total)} figures saved"
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": job.status,
                "status_label": job.get_status_display(),
                "rows_done": job.rows_done,
                "rows_total": job.rows_total,
                "rows_text": rows_text,
                "percent": job.percent,
                "message": job.message,
                "finished": job.finished_at is not None,
                "can_retry": can_retry,
            }
        )
    return render(
        request,
        "web/data_return_import.html",
        {
            "page_title": f"Import of {job.filename}",
            "organisation": organisation,
            "job": job,
            "rows_text": rows_text,
            "can_retry": can_retry,
            "breadcrumbs": [
                ("Data returns", reverse("data-return-list")),
                (organisation.name, reverse("data-return-detail", args=[organisation.slug])),
            ],
        },
    )


@login_required
def data_return_template(request, slug, fmt):
    organisation = _found(Organisation.objects.filter(slug=slug).first() if fmt in ("csv", "xlsx") else None)
    if not permissions.can_submit_return(request.user, organisation):
        raise PermissionDenied
    plan = _plan(request)
    area = _found(_partnership_area(plan))
    rows = data_returns.template_rows(organisation=organisation, plan=plan, area=area)
    if fmt == "xlsx":
        content = data_returns.template_xlsx(rows, organisation=organisation)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = data_returns.template_csv(rows)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="data-return-{organisation.slug}.{fmt}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def target_create(request, pk):
    indicator = _found(plan_selectors.indicator_detail(pk))
    if not permissions.can_manage_performance_data(request.user):
        raise PermissionDenied
    area = _found(
        Area.objects.filter(code=request.GET.get("area", "")).first() or _partnership_area(_plan(request))
    )
    form = TargetForm(request.POST or None, indicator=indicator)

    def save(data):
        target = services.target_set(
            indicator=indicator,
            area=area,
            value=data["value"],
            user=request.user,
            period=data["period"],
            start=data["start"],
            due=data["due"],
        )
        return target, "Target saved"

    return _form_page(
        request,
        form,
        title=f"Set a target: {indicator.name}, {area.name}",
        back=f"{reverse('indicator-performance', args=[indicator.pk])}?area={area.code}",
        on_valid=save,
        breadcrumbs=[
            ("Indicators", reverse("indicator-list")),
            (indicator.name, reverse("indicator-performance", args=[indicator.pk])),
        ],
    )
