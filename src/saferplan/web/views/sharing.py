"""Information sharing: the schedule of data flows (as of a date, with CSV/XLSX export), recording a receipt,
the register of information-sharing agreements, and the data improvement plan. Thin: check permission, call a
selector or a service, render. Every signed-in role but viewers reads; analysts and administrators keep the
schedule, register and plan; a data provider records receipts for their own organisation's flows only."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferplan.assessment import permissions
from saferplan.assessment.forms.sharing import (
    AgreementForm,
    AsOfForm,
    DataFlowForm,
    ImprovementActionForm,
    ImprovementUpdateForm,
    ReceiptForm,
    ReviewForm,
)
from saferplan.assessment.models import DataFlow, ImprovementAction, SharingAgreement
from saferplan.assessment.selectors import sharing as selectors
from saferplan.assessment.services import sharing as services
from saferplan.core.formatting import long_date
from saferplan.core.selectors import assumptions_attach
from saferplan.core.services import assumptions_confirm, field_values
from saferplan.delivery.models import Status
from saferplan.web import exports
from saferplan.web.views.edit import _form_page
from saferplan.web.views.pages import _found, _history
from saferplan.web.views.performance import _plan


def _allow(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _read_only(request):
    """Permission first (a forbidden user gets 403 whatever the method), then GET or HEAD only."""
    _allow(permissions.can_read_assessment(request.user))
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None


SCHEDULE = ("Information sharing", "sharing-schedule")
AGREEMENTS = ("Information-sharing agreements", "sharing-agreements")
IMPROVEMENT = ("Data improvement plan", "sharing-improvement-plan")


URL_NAMES = {
    DataFlow: "sharing-flow",
    SharingAgreement: "sharing-agreement",
    ImprovementAction: "sharing-action",
}


def _url(record) -> str:
    return reverse(URL_NAMES[type(record)], args=[record.pk])


def _crumbs(*pages):
    return [(title, reverse(name)) for title, name in pages]


def _archive(request, record, *, what, back, on_archive, archive):
    if request.method == "POST":
        archive()
        messages.success(request, f"{what} archived")
        return redirect(on_archive)
    return render(
        request,
        "web/archive_confirm.html",
        {"page_title": f"Archive {what.lower()}", "what": what, "record": record, "back": back},
    )


# ------------------------------------------------------------------------------------------------ schedule

EXPORT_HEADER = [
    "Authority",
    "What is shared",
    "Frequency",
    "Prescribed (SI 2007/1831)",
    "Period",
    "Period start",
    "Period end",
    "Due",
    "Arrived",
    "How it arrived",
    "Status",
    "Days late",
]


def _as_of(request) -> tuple[AsOfForm, date]:
    form = AsOfForm(request.GET or None)
    if request.GET and form.is_valid() and form.cleaned_data.get("as_of"):
        as_of = form.cleaned_data["as_of"]
        return AsOfForm(initial={"as_of": as_of.strftime("%d/%m/%Y")}), as_of  # shown as people write it
    return form, date.today()


@login_required
def sharing_schedule(request):
    if refused := _read_only(request):
        return refused
    plan = _plan(request)
    form, as_of = _as_of(request)
    schedule = selectors.schedule(plan.partnership, as_of)
    if fmt := exports.wanted(request):
        rows = [
            [
                f.flow.provider.name,
                f.flow.title,
                f.flow.get_frequency_display(),
                "Yes" if f.flow.prescribed else "No",
                p.period.label,
                p.period.start,
                p.period.end,
                p.period.due,
                p.arrived_on,
                p.how,
                p.words,
                p.days_late or None,
            ]
            for f in schedule.flows
            for p in f.periods
        ]
        return exports.table_download(
            fmt,
            filename=f"information-sharing-schedule-{as_of.isoformat()}",
            title="Data flows",
            header=EXPORT_HEADER,
            rows=rows,
        )
    assumptions_attach(*(f.flow for f in schedule.flows))
    return render(
        request,
        "web/assessment/sharing_schedule.html",
        {
            "page_title": ("Error: " if form.errors else "") + "Information sharing: schedule of data flows",
            "schedule": schedule,
            "form": form,
            "as_of": as_of,
            "as_of_words": long_date(as_of),
            "today": as_of == date.today(),
            "data_end": schedule.data_end,
            "can_manage": permissions.can_manage_sharing(request.user),
            "breadcrumbs": [],
        },
        status=400 if form.errors else 200,
    )


@login_required
def sharing_flow(request, pk):
    if refused := _read_only(request):
        return refused
    flow = _found(selectors.flow_detail(pk))
    form, as_of = _as_of(request)
    flow_schedule = selectors.flow_schedule(flow, as_of)
    assumptions_attach(flow)
    return render(
        request,
        "web/assessment/sharing_flow.html",
        {
            "page_title": ("Error: " if form.errors else "") + f"Data flow: {flow.title}",
            "flow": flow,
            "schedule": flow_schedule,
            "periods": list(reversed(flow_schedule.periods)),
            "data_end": flow_schedule.data_end,
            "today": as_of == date.today(),
            "form": form,
            "as_of": as_of,
            "as_of_words": long_date(as_of),
            "can_manage": permissions.can_manage_sharing(request.user) and not flow.is_archived,
            "can_record": permissions.can_record_receipt(request.user, flow) and not flow.is_archived,
            "history": _history(request, flow),
            "breadcrumbs": _crumbs(SCHEDULE),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sharing_flow_create(request):
    _allow(permissions.can_manage_sharing(request.user))
    plan = _plan(request)
    form = DataFlowForm(request.POST or None, partnership=plan.partnership)

    def save(data):
        indicators = data.pop("indicators")
        flow = services.flow_save(
            flow=DataFlow(partnership=plan.partnership), user=request.user, indicators=indicators, **data
        )
        return flow, f"{flow.title} added to the schedule"

    return _form_page(
        request,
        form,
        url=_url,
        title="Add a data flow",
        back=reverse("sharing-schedule"),
        on_valid=save,
        breadcrumbs=_crumbs(SCHEDULE),
    )


@login_required
@require_http_methods(["GET", "POST"])
def sharing_flow_edit(request, pk):
    _allow(permissions.can_manage_sharing(request.user))
    flow = _found(selectors.flow_detail(pk))
    _allow(not flow.is_archived)
    before = field_values(flow)
    form = DataFlowForm(request.POST or None, instance=flow, partnership=flow.partnership)

    def save(data):
        indicators = data.pop("indicators")
        services.flow_save(flow=flow, user=request.user, indicators=indicators, **data)
        assumptions_confirm(obj=flow, before=before)
        return flow, f"{flow.title} saved"

    return _form_page(
        request,
        form,
        url=_url,
        title=f"Edit the data flow: {flow.title}",
        back=_url(flow),
        on_valid=save,
        breadcrumbs=_crumbs(SCHEDULE),
    )


@login_required
@require_http_methods(["GET", "POST"])
def sharing_flow_archive(request, pk):
    _allow(permissions.can_manage_sharing(request.user))
    flow = _found(selectors.flow_detail(pk))
    _allow(not flow.is_archived)
    return _archive(
        request,
        flow,
        what="Data flow",
        back=_url(flow),
        on_archive=reverse("sharing-schedule"),
        archive=lambda: services.flow_archive(flow=flow, user=request.user),
    )


@login_required
@require_http_methods(["GET", "POST"])
def sharing_receipt(request, pk):
    flow = _found(selectors.flow_detail(pk))
    _allow(
        permissions.can_read_assessment(request.user) and permissions.can_record_receipt(request.user, flow)
    )
    _allow(not flow.is_archived)
    today = date.today()
    form = ReceiptForm(request.POST or None, periods=selectors.receivable_periods(flow, today), today=today)

    def save(data):
        services.receipt_record(
            flow=flow,
            period_end=data["period_end"],
            received_on=data["received_on"],
            note=data["note"],
            user=request.user,
            today=today,
        )
        return flow, "Receipt recorded"

    return _form_page(
        request,
        form,
        url=_url,
        title=f"Record that data arrived: {flow.title}",
        back=_url(flow),
        on_valid=save,
        breadcrumbs=_crumbs(SCHEDULE) + [(flow.title, _url(flow))],
        submit="Record receipt",
    )


# ---------------------------------------------------------------------------------------------- agreements


@login_required
def sharing_agreements(request):
    if refused := _read_only(request):
        return refused
    plan = _plan(request)
    today = date.today()
    live = selectors.agreements(plan.partnership)
    archived = selectors.agreements(plan.partnership, archived=True)
    assumptions_attach(*live)
    rows = [(a, selectors.review_words(a, today), a.review_overdue(today)) for a in live]
    return render(
        request,
        "web/assessment/sharing_agreements.html",
        {
            "page_title": "Information-sharing agreements",
            "rows": rows,
            "archived": archived,
            "overdue": sum(1 for _a, _w, overdue in rows if overdue),
            "can_manage": permissions.can_manage_sharing(request.user),
            "breadcrumbs": _crumbs(SCHEDULE),
        },
    )


@login_required
def sharing_agreement(request, pk):
    if refused := _read_only(request):
        return refused
    agreement = _found(selectors.agreement_detail(pk))
    assumptions_attach(agreement)
    return render(
        request,
        "web/assessment/sharing_agreement.html",
        {
            "page_title": agreement.title,
            "agreement": agreement,
            "review": selectors.review_words(agreement),
            "overdue": agreement.review_overdue(),
            "flows": [f for f in agreement.data_flows.all() if not f.is_archived],
            "can_manage": permissions.can_manage_sharing(request.user) and not agreement.is_archived,
            "history": _history(request, agreement),
            "breadcrumbs": _crumbs(SCHEDULE, AGREEMENTS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sharing_agreement_create(request):
    _allow(permissions.can_manage_sharing(request.user))
    plan = _plan(request)
    form = AgreementForm(request.POST or None)

    def save(data):
        parties = data.pop("parties")
        agreement = services.agreement_save(
            agreement=SharingAgreement(partnership=plan.partnership),
            user=request.user,
            parties=parties,
            **data,
        )
        return agreement, f"{agreement.title} added to the register"

    return _form_page(
        request,
        form,
        url=_url,
        title="Add an information-sharing agreement",
        back=reverse("sharing-agreements"),
        on_valid=save,
        breadcrumbs=_crumbs(SCHEDULE, AGREEMENTS),
    )


@login_required
@require_http_methods(["GET", "POST"])
def sharing_agreement_edit(request, pk):
    _allow(permissions.can_manage_sharing(request.user))
    agreement = _found(selectors.agreement_detail(pk))
    _allow(not agreement.is_archived)
    before = field_values(agreement)
    form = AgreementForm(request.POST or None, instance=agreement)

    def save(data):
        parties = data.pop("parties")
        services.agreement_save(agreement=agreement, user=request.user, parties=parties, **data)
        assumptions_confirm(obj=agreement, before=before)
        return agreement, f"{agreement.title} saved"

    return _form_page(
        request,
        form,
        url=_url,
        title=f"Edit {agreement.title}",
        back=_url(agreement),
        on_valid=save,
        breadcrumbs=_crumbs(SCHEDULE, AGREEMENTS),
    )


@login_required
@require_http_methods(["GET", "POST"])
def sharing_agreement_review(request, pk):
    _allow(permissions.can_manage_sharing(request.user))
    agreement = _found(selectors.agreement_detail(pk))
    _allow(not agreement.is_archived)
    today = date.today()
    form = ReviewForm(request.POST or None, today=today)

    def save(data):
        services.agreement_review(agreement=agreement, user=request.user, today=today, **data)
        return agreement, f"Review of {agreement.title} recorded"

    return _form_page(
        request,
        form,
        url=_url,
        title=f"Record a review of {agreement.title}",
        back=_url(agreement),
        on_valid=save,
        breadcrumbs=_crumbs(SCHEDULE, AGREEMENTS),
        submit="Record review",
    )


@login_required
@require_http_methods(["GET", "POST"])
def sharing_agreement_archive(request, pk):
    _allow(permissions.can_manage_sharing(request.user))
    agreement = _found(selectors.agreement_detail(pk))
    _allow(not agreement.is_archived)
    return _archive(
        request,
        agreement,
        what="Agreement",
        back=_url(agreement),
        on_archive=reverse("sharing-agreements"),
        archive=lambda: services.agreement_archive(agreement=agreement, user=request.user),
    )


# ----------------------------------------------------------------------------------- data improvement plan


@login_required
def sharing_improvement_plan(request):
    if refused := _read_only(request):
        return refused
    plan = _plan(request)
    rows = selectors.improvement_plan(plan.partnership)
    status = request.GET.get("status", "")
    shown = [r for r in rows if not status or r.status == status or (status == "overdue" and r.overdue)]
    assumptions_attach(*(r.action for r in rows))
    return render(
        request,
        "web/assessment/sharing_improvement_plan.html",
        {
            "page_title": "Data improvement plan",
            "rows": shown,
            "total": len(rows),
            "overdue": sum(1 for r in rows if r.overdue),
            "status": status if status in (*Status.values, "overdue") else "",
            "statuses": Status.choices,
            "can_manage": permissions.can_manage_sharing(request.user),
            "breadcrumbs": _crumbs(SCHEDULE),
        },
    )


@login_required
def sharing_action(request, pk):
    if refused := _read_only(request):
        return refused
    action = _found(selectors.improvement_action(pk))
    status, overdue = selectors.status_on(action, action.latest_status)
    assumptions_attach(action)
    return render(
        request,
        "web/assessment/sharing_action.html",
        {
            "page_title": f"Data improvement action: {action.description[:90]}",
            "action": action,
            "status": Status(status).label,
            "overdue": overdue,
            "can_manage": permissions.can_manage_sharing(request.user) and not action.is_archived,
            "history": _history(request, action),
            "breadcrumbs": _crumbs(SCHEDULE, IMPROVEMENT),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sharing_action_create(request):
    _allow(permissions.can_manage_sharing(request.user))
    plan = _plan(request)
    form = ImprovementActionForm(request.POST or None, partnership=plan.partnership)

    def save(data):
        action = services.improvement_action_save(
            action=ImprovementAction(partnership=plan.partnership), user=request.user, **data
        )
        return action, "Action added to the data improvement plan"

    return _form_page(
        request,
        form,
        url=_url,
        title="Add an action to the data improvement plan",
        back=reverse("sharing-improvement-plan"),
        on_valid=save,
        breadcrumbs=_crumbs(SCHEDULE, IMPROVEMENT),
    )


@login_required
@require_http_methods(["GET", "POST"])
def sharing_action_edit(request, pk):
    _allow(permissions.can_manage_sharing(request.user))
    action = _found(selectors.improvement_action(pk))
    _allow(not action.is_archived)
    before = field_values(action)
    form = ImprovementActionForm(request.POST or None, instance=action, partnership=action.partnership)

    def save(data):
        services.improvement_action_save(action=action, user=request.user, **data)
        assumptions_confirm(obj=action, before=before)
        return action, "Action saved"

    return _form_page(
        request,
        form,
        url=_url,
        title="Edit the data improvement action",
        back=_url(action),
        on_valid=save,
        breadcrumbs=_crumbs(SCHEDULE, IMPROVEMENT),
    )


@login_required
@require_http_methods(["GET", "POST"])
def sharing_action_update(request, pk):
    _allow(permissions.can_manage_sharing(request.user))
    action = _found(selectors.improvement_action(pk))
    _allow(not action.is_archived)
    today = date.today()
    # The status starts from the action's current one, so an update never resets it unasked
    initial = {"status": action.latest_status or Status.NOT_STARTED, "date": today.strftime("%d/%m/%Y")}
    form = ImprovementUpdateForm(request.POST or None, initial=initial, today=today)

    def save(data):
        services.improvement_update_add(
            action=action,
            on=data["date"],
            status=data["status"],
            text=data["text"],
            user=request.user,
            today=today,
        )
        return action, "Progress update added"

    return _form_page(
        request,
        form,
        url=_url,
        title="Add a progress update",
        back=_url(action),
        on_valid=save,
        breadcrumbs=_crumbs(SCHEDULE, IMPROVEMENT) + [(action.description[:60], _url(action))],
        submit="Add update",
    )


@login_required
@require_http_methods(["GET", "POST"])
def sharing_action_archive(request, pk):
    _allow(permissions.can_manage_sharing(request.user))
    action = _found(selectors.improvement_action(pk))
    _allow(not action.is_archived)
    return _archive(
        request,
        action,
        what="Action",
        back=_url(action),
        on_archive=reverse("sharing-improvement-plan"),
        archive=lambda: services.improvement_action_archive(action=action, user=request.user),
    )
