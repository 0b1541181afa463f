"""Delivery plan, progress updates with evidence, escalations, task and finish groups, locality issues."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.views.decorators.http import require_http_methods

from saferplan.accounts import permissions
from saferplan.core.selectors import Part, assumptions_attach
from saferplan.core.services import assumptions_confirm, field_values
from saferplan.delivery import evidence, selectors, services, spreadsheet
from saferplan.delivery.forms import (
    AgendaItemForm,
    ClosureForm,
    DecisionForm,
    DetailedActionForm,
    EscalationForm,
    LocalityIssueForm,
    MeetingActionForm,
    MeetingForm,
    MilestoneForm,
    NewActionForm,
    PartnershipUpdateForm,
    ProgressUpdateForm,
    TaskAndFinishForm,
    group_choices,
)
from saferplan.delivery.models import (
    AgendaItem,
    DetailedAction,
    Escalation,
    LocalityIssue,
    Meeting,
    MeetingAction,
    Milestone,
    PartnershipUpdate,
    ProgressUpdate,
    ReminderSchedule,
    Status,
)
from saferplan.plans import selectors as plan_selectors
from saferplan.plans.models import Group, Indicator, StrategicAction
from saferplan.reports import selectors as report_selectors
from saferplan.reports.models import Report
from saferplan.reports.partnership_update import DEFAULT_COMMITTEE
from saferplan.web import exports
from saferplan.web.views.edit import _form_page
from saferplan.web.views.pages import _found, _history, _readable
from saferplan.web.views.performance import _plan

UPDATE = Report.Kind.PARTNERSHIP_UPDATE
# What belongs to a detailed action and to a meeting is in its history on its page
ACTION_PARTS = (
    Part("Milestones", Milestone, "action"),
    Part(
        "Progress updates", ProgressUpdate, "action", lambda u: f"{u.date:%d %B %Y}: {u.get_status_display()}"
    ),
)
MEETING_PARTS = (
    Part("Agenda items", AgendaItem, "meeting"),
    Part("Actions arising", MeetingAction, "meeting"),
)


@login_required
def delivery_plan(request):
    plan = _plan(request)
    groups = list(group_choices(plan.partnership))
    group_id = next((g.pk for g in groups if str(g.pk) == request.GET.get("group")), None)
    status = request.GET.get("status") if request.GET.get("status") in [*Status.values, "overdue"] else None
    result = selectors.delivery_plan(plan, group_id=group_id, status=status)
    assumptions_attach(*(row.action for row in result.rows))
    return render(
        request,
        "web/delivery_plan.html",
        {
            "page_title": "Delivery plan",
            "plan": plan,
            "result": result,
            "groups": groups,
            "group_id": group_id,
            "status": status,
            "statuses": [(v, label, result.counts.get(v, 0)) for v, label in Status.choices],
            "led": permissions.led_group_ids(request.user),
            "is_admin": permissions.is_administrator(request.user),
        },
    )


@login_required
def delivery_export(request):
    plan = _plan(request)
    response = HttpResponse(
        spreadsheet.export_workbook(plan),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="delivery-plan-{plan.slug}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delivery_action(request, pk):
    action = _found(selectors.detailed_action(pk))
    plan = _readable(request, action.strategic_action.outcome.objective.plan)
    can_update = not action.is_archived and permissions.can_manage_delivery_for(
        request.user, action.owner_group_id
    )
    # The status starts from the action's current one, so an update never resets it unasked
    initial = {"status": action.latest_status or Status.NOT_STARTED}
    form = (
        ProgressUpdateForm(request.POST or None, request.FILES or None, initial=initial)
        if can_update
        else None
    )
    milestone_form = (
        MilestoneForm(request.POST if "milestone" in request.POST else None) if can_update else None
    )
    if request.method == "POST" and "milestone" in request.POST:
        if milestone_form is None:
            raise PermissionDenied
        form = ProgressUpdateForm(initial=initial) if can_update else None
        if milestone_form.is_valid():
            services.milestone_add(
                action=action,
                user=request.user,
                description=milestone_form.cleaned_data["milestone"],
                due_date=milestone_form.cleaned_data["due_date"],
            )
            messages.success(request, "Milestone added")
            return redirect(action)
    elif request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["evidence"]
            try:
                services.progress_update_add(
                    action=action,
                    user=request.user,
                    status=form.cleaned_data["status"],
                    text=form.cleaned_data["text"],
                    evidence_link=form.cleaned_data["evidence_link"],
                    evidence_upload=(upload.name, upload.read()) if upload else None,
                )
            except evidence.EvidenceError as exc:
                form.add_error("evidence", str(exc))
            else:
                messages.success(request, "Progress update added")
                return redirect(action)
    status, overdue = action.status_on(action.latest_status)
    assumptions_attach(action)
    errors = any(f is not None and f.errors for f in (form, milestone_form))
    return render(
        request,
        "web/delivery_action.html",
        {
            "page_title": ("Error: " if errors else "")
            + f"Delivery action: {Truncator(action.description).chars(90)}",
            "plan": plan,
            "action": action,
            "status": Status(status).label,
            "overdue": overdue,
            "form": form,
            "can_edit": can_update,
            "can_see_evidence": permissions.can_see_evidence(request.user),
            "history": _history(request, action, ACTION_PARTS),
            "milestone_form": milestone_form,
            "breadcrumbs": [
                ("Delivery plan", reverse("delivery-plan")),
                ("Strategic action", reverse("action-detail", args=[action.strategic_action_id])),
            ],
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def delivery_action_create(request, pk):
    strategic = _found(plan_selectors.action_detail(pk))
    plan = _readable(request, strategic.outcome.objective.plan)
    groups = permissions.groups_for_new_actions(request.user, group_choices(plan.partnership))
    if not groups.exists():
        raise PermissionDenied
    form = DetailedActionForm(
        request.POST or None, groups=groups, initial={"owner_group": strategic.owner_group_id}
    )

    def save(data):
        action = services.detailed_action_save(
            action=DetailedAction(strategic_action=strategic), user=request.user, **data
        )
        return action, "Detailed action added"

    return _form_page(
        request,
        form,
        title="Add a detailed action",
        back=strategic.get_absolute_url(),
        on_valid=save,
        breadcrumbs=[("Delivery plan", reverse("delivery-plan"))],
    )


@login_required
@require_http_methods(["GET", "POST"])
def delivery_action_edit(request, pk):
    action = _found(selectors.detailed_action(pk))
    plan = _readable(request, action.strategic_action.outcome.objective.plan)
    if action.is_archived or not permissions.can_manage_delivery_for(request.user, action.owner_group_id):
        raise PermissionDenied
    groups = permissions.groups_for_new_actions(request.user, group_choices(plan.partnership))
    before = field_values(action)
    form = DetailedActionForm(request.POST or None, instance=action, groups=groups)

    def save(data):
        services.detailed_action_save(action=action, user=request.user, **data)
        assumptions_confirm(obj=action, before=before)
        return action, "Detailed action saved"

    return _form_page(
        request,
        form,
        title="Edit detailed action",
        back=action.get_absolute_url(),
        on_valid=save,
        breadcrumbs=[("Delivery plan", reverse("delivery-plan"))],
    )


@login_required
def evidence_download(request, pk):
    update = _found(
        ProgressUpdate.objects.select_related("action__strategic_action__outcome__objective__plan")
        .filter(pk=pk)
        .exclude(evidence_file="")
        .first()
    )
    _readable(request, update.action.strategic_action.outcome.objective.plan)
    if not permissions.can_see_evidence(request.user):
        raise PermissionDenied
    try:
        path = evidence.open_file(update.evidence_file)
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    except (FileNotFoundError, OSError):
        return _found(None)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=update.evidence_name,
        content_type=update.evidence_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------------------------------ escalations


@login_required
def escalation_list(request):
    if not permissions.can_view_escalations(request.user):
        raise PermissionDenied
    plan = _plan(request)
    state = request.GET.get("state") if request.GET.get("state") in Escalation.State.values else None
    can_raise = permissions.is_administrator(request.user) or bool(permissions.led_group_ids(request.user))
    escalations = selectors.escalation_register(state=state)
    if fmt := exports.wanted(request):
        return exports.escalations_download(fmt, escalations, state=state)
    return render(
        request,
        "web/escalation_list.html",
        {
            "page_title": "Escalation register",
            "plan": plan,
            "escalations": escalations,
            "state": state,
            "can_raise": can_raise,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def escalation_create(request):
    plan = _plan(request)
    groups = group_choices(plan.partnership).filter(escalates_to__isnull=False)
    if not permissions.is_administrator(request.user):
        groups = groups.filter(pk__in=permissions.led_group_ids(request.user))
    if not groups.exists():
        raise PermissionDenied
    form = EscalationForm(
        request.POST or None,
        groups=groups,
        indicators=Indicator.objects.live().filter(partnership=plan.partnership).order_by("name"),
        actions=DetailedAction.objects.live()
        .filter(strategic_action__outcome__objective__plan=plan)
        .order_by("description"),
    )

    def save(data):
        escalation = services.escalation_raise(user=request.user, **data)
        return escalation, f"Escalated to {escalation.to_group}"

    return _form_page(
        request,
        form,
        title="Raise an escalation",
        back=reverse("escalation-list"),
        on_valid=save,
        submit="Escalate",
        breadcrumbs=[("Escalation register", reverse("escalation-list"))],
    )


@login_required
@require_http_methods(["GET", "POST"])
def escalation_detail(request, pk):
    if not permissions.can_view_escalations(request.user):
        raise PermissionDenied
    escalation = _found(
        Escalation.objects.select_related(
            "from_group", "to_group", "indicator", "action", "created_by", "decided_by"
        )
        .filter(pk=pk)
        .first()
    )
    can_decide = permissions.can_decide_escalation(request.user, escalation)
    form = DecisionForm(request.POST or None) if can_decide else None
    new_action = None
    if can_decide:
        plan = _plan(request)
        new_action = NewActionForm(
            request.POST or None,
            strategic_actions=StrategicAction.objects.live()
            .filter(outcome__objective__plan=plan)
            .select_related("outcome__objective")
            .order_by("outcome__objective__number", "outcome__number", "order"),
            groups=permissions.groups_for_new_actions(
                request.user, group_choices(plan.partnership), escalation=escalation
            ),
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid() and new_action.is_valid():
            arising = []
            if new_action.cleaned_data.get("new_action"):
                arising.append(
                    services.detailed_action_save(
                        action=DetailedAction(strategic_action=new_action.cleaned_data["strategic_action"]),
                        user=request.user,
                        description=new_action.cleaned_data["new_action"],
                        owner_group=new_action.cleaned_data["owner_group"],
                    )
                )
            services.escalation_decide(
                escalation=escalation,
                user=request.user,
                decision=form.cleaned_data["decision"],
                new_actions=arising,
                close=not form.cleaned_data["keep_open"],
            )
            messages.success(request, "Decision recorded")
            return redirect(escalation)
    errors = bool(form is not None and (form.errors or new_action.errors))
    return render(
        request,
        "web/escalation_detail.html",
        {
            "page_title": ("Error: " if errors else "") + escalation.title,
            "escalation": escalation,
            "form": form,
            "new_action": new_action,
            "new_actions": escalation.new_actions.all(),
            "history": _history(request, escalation),
            "breadcrumbs": [("Escalation register", reverse("escalation-list"))],
        },
        status=400 if errors else 200,
    )


# --------------------------------------------------------------------------- task and finish, localities


@login_required
@require_http_methods(["GET", "POST"])
def task_and_finish_create(request):
    if not permissions.is_administrator(request.user):
        raise PermissionDenied
    plan = _plan(request)
    form = TaskAndFinishForm(request.POST or None, partnership=plan.partnership)

    def save(data):
        group = services.task_and_finish_create(partnership=plan.partnership, user=request.user, **data)
        return group, f"{group.name} set up until {group.end_date:%d %B %Y}"

    return _form_page(
        request,
        form,
        title="Set up a task and finish group",
        back=reverse("group-list"),
        on_valid=save,
        breadcrumbs=[("Groups", reverse("group-list"))],
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_close(request, pk):
    group = _found(Group.objects.filter(pk=pk, kind=Group.Kind.TASK_AND_FINISH).first())
    if hasattr(group, "closure") or not permissions.can_manage_delivery_for(request.user, group.pk):
        raise PermissionDenied
    form = ClosureForm(request.POST or None)

    def save(data):
        services.group_close(group=group, user=request.user, achievements=data["achievements"])
        return group, f"{group.name} closed"

    return _form_page(
        request,
        form,
        title=f"Close {group.name}",
        back=group.get_absolute_url(),
        on_valid=save,
        submit="Close the group",
        breadcrumbs=[("Groups", reverse("group-list"))],
    )


@login_required
@require_http_methods(["GET", "POST"])
def locality_issue_create(request, pk):
    group = _found(Group.objects.filter(pk=pk, kind=Group.Kind.LOCALITY).first())
    if not permissions.can_manage_delivery_for(request.user, group.pk):
        raise PermissionDenied
    form = LocalityIssueForm(request.POST or None)

    def save(data):
        partners = data.pop("partners")
        issue = services.locality_issue_save(
            issue=LocalityIssue(group=group), user=request.user, partners=partners, **data
        )
        return group, f"Issue at {issue.place} recorded"

    return _form_page(
        request,
        form,
        title=f"Record an issue for {group.name}",
        back=group.get_absolute_url(),
        on_valid=save,
        breadcrumbs=[("Groups", reverse("group-list"))],
    )


@login_required
@require_http_methods(["GET", "POST"])
def locality_issue_edit(request, pk):
    issue = _found(LocalityIssue.objects.select_related("group").filter(pk=pk).first())
    if not permissions.can_manage_delivery_for(request.user, issue.group_id):
        raise PermissionDenied
    form = LocalityIssueForm(request.POST or None, instance=issue)

    def save(data):
        partners = data.pop("partners")
        services.locality_issue_save(issue=issue, user=request.user, partners=partners, **data)
        return issue.group, "Issue saved"

    return _form_page(
        request,
        form,
        title=f"Issue at {issue.place}",
        back=issue.group.get_absolute_url(),
        on_valid=save,
        breadcrumbs=[("Groups", reverse("group-list"))],
    )


# -------------------------------------------------------------------------------------------- meetings


@login_required
def meeting_list(request):
    if not permissions.can_view_escalations(request.user):
        raise PermissionDenied
    plan = _plan(request)
    meetings = selectors.meetings(plan.partnership)
    if download := exports.respond(request, {"": lambda: exports.meetings_table(meetings)}):
        return download
    return render(
        request,
        "web/meeting_list.html",
        {
            "page_title": "Meetings",
            "plan": plan,
            "meetings": meetings,
            "updates": [
                (r, date.fromisoformat(r.parameters["meeting_date"]))
                for r in report_selectors.visible_reports(request.user, plan).filter(kind=UPDATE)[:20]
            ],
            "can_draft": permissions.can_draft_reports(request.user),
            "can_record": permissions.is_administrator(request.user)
            or bool(permissions.led_group_ids(request.user)),
        },
    )


@login_required
def meeting_detail(request, pk):
    if not permissions.can_view_escalations(request.user):
        raise PermissionDenied
    meeting = _found(selectors.meeting_detail(pk))
    return render(
        request,
        "web/meeting_detail.html",
        {
            "page_title": str(meeting),
            "meeting": meeting,
            "can_record": _can_record_meeting(request.user, meeting.group_id),
            "history": _history(request, meeting, MEETING_PARTS),
            "breadcrumbs": [("Meetings", reverse("meeting-list"))],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_update_draft(request, pk=None):
    """The scrutiny committee's "Partnership update" (reports.partnership_update): choose the committee's
    meeting, read the paper, then start a draft report, reviewed and published on the report pages. `pk` is a
    paper saved as plain text before the report existed: shown for reference, its Board meetings chosen."""
    from saferplan.reports import services as report_services  # with the police task helpers: not at start-up

    if not permissions.can_draft_reports(request.user):
        raise PermissionDenied
    plan = _plan(request)
    earlier = _found(PartnershipUpdate.objects.filter(pk=pk).first()) if pk else None
    initial = {"committee": DEFAULT_COMMITTEE}
    if earlier:
        initial.update(date_from=earlier.date_from, date_to=earlier.date_to)
    form = PartnershipUpdateForm(
        request.POST if request.method == "POST" else (request.GET or None), initial=initial
    )
    document = parameters = None
    if form.is_bound and form.is_valid():
        raw = {k: v.isoformat() if isinstance(v, date) else v for k, v in form.cleaned_data.items() if v}
        try:
            parameters = report_selectors.clean_parameters(plan, UPDATE, raw)
        except report_selectors.ParameterError as exc:
            name, _, message = str(exc).partition(": ")
            form.add_error(name if name in form.fields else None, message)
    if parameters and request.method == "POST":
        report = report_services.draft_report(request.user, plan, UPDATE, parameters)
        messages.success(request, f"Draft started: {report.title}. Send it for review when it is ready.")
        return redirect("report-detail", pk=report.pk)
    if parameters:
        document = report_selectors.build_document(plan, UPDATE, parameters)
    return render(
        request,
        "web/partnership_update.html",
        {
            "page_title": ("Error: " if form.errors else "") + "Partnership update to scrutiny",
            "form": form,
            "document": document,
            "parameters": parameters,
            "earlier": earlier,
            "breadcrumbs": [("Meetings", reverse("meeting-list"))],
        },
        status=400 if form.errors else 200,
    )


class ReminderScheduleForm(forms.ModelForm):
    class Meta:
        model = ReminderSchedule
        fields = ["enabled", "days", "time_of_day"]
        labels = {
            "enabled": "Send reminders on this schedule",
            "days": "Which days",
            "time_of_day": "Time of day (UK time, 24-hour clock, for example 07:00)",
        }
        widgets = {
            "days": forms.Select(attrs={"class": "govuk-select"}),
            "time_of_day": forms.TimeInput(
                format="%H:%M", attrs={"class": "govuk-input govuk-input--width-5"}
            ),
            "enabled": forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
        }


@login_required
@require_http_methods(["GET", "POST"])
def my_reminders(request):
    """What the signed-in person will be sent, and what they have been sent already; the schedule the
    reminders run on (set by an administrator), with its last and next run."""
    from saferplan.delivery import reminders
    from saferplan.delivery.models import ReminderSent

    plan = _plan(request)
    schedule = reminders.schedule_ensure()
    is_admin = permissions.is_administrator(request.user)
    form = ReminderScheduleForm(request.POST or None, instance=schedule) if is_admin else None
    status = 200
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            reminders.schedule_set(user=request.user, **form.cleaned_data)
            messages.success(request, "Reminder schedule saved")
            return redirect("my-reminders")
        status = 400
    sent = set(ReminderSent.objects.filter(user=request.user).values_list("key", flat=True))
    items = reminders.items_for(request.user, plan, date.today())
    return render(
        request,
        "web/reminders.html",
        {
            "page_title": ("Error: " if status == 400 else "") + "Reminders",
            "pending": [i for i in items if i.key not in sent],
            "sent": [i for i in items if i.key in sent],
            "has_email": bool(request.user.email),
            "schedule": schedule,
            "form": form,
        },
        status=status,
    )


def _can_record_meeting(user, group_id: int) -> bool:
    """Administrators, and the leads of the group that met."""
    return permissions.can_manage_delivery_for(user, group_id)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    plan = _plan(request)
    groups = group_choices(plan.partnership)
    if not permissions.is_administrator(request.user):
        groups = groups.filter(pk__in=permissions.led_group_ids(request.user))
    if not groups.exists():
        raise PermissionDenied
    form = MeetingForm(request.POST or None, groups=groups)

    def save(data):
        meeting = services.meeting_record_add(record=Meeting(**data), user=request.user)
        return meeting, "Meeting recorded: add its agenda items"

    return _form_page(
        request,
        form,
        title="Record a meeting",
        back=reverse("meeting-list"),
        on_valid=save,
        breadcrumbs=[("Meetings", reverse("meeting-list"))],
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_add(request, pk, what):
    meeting = _found(selectors.meeting_detail(pk) if what in ("item", "action") else None)
    if not _can_record_meeting(request.user, meeting.group_id):
        raise PermissionDenied
    form = (AgendaItemForm if what == "item" else MeetingActionForm)(request.POST or None)

    def save(data):
        model = AgendaItem if what == "item" else MeetingAction
        services.meeting_record_add(record=model(meeting=meeting, **data), user=request.user)
        return meeting, "Agenda item added" if what == "item" else "Action added"

    title = "Add an agenda item" if what == "item" else "Add an action arising"
    return _form_page(
        request,
        form,
        title=f"{title}: {meeting}",
        back=meeting.get_absolute_url(),
        on_valid=save,
        breadcrumbs=[("Meetings", reverse("meeting-list"))],
    )
