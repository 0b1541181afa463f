"""The Multi-Agency Intervention Service and MARAC pages: MAIS referrals, MARAC referrals with the DASH
checklist, MARAC meetings with the cases heard and their agency actions, and the depersonalised figures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from saferplan.casework import dash, permissions
from saferplan.casework.forms.mais_marac import (
    AssignForm,
    DashForm,
    MaisCaseForm,
    MaracReferralForm,
    MeetingActionForm,
    MeetingForm,
)
from saferplan.casework.models import AccessLog
from saferplan.casework.selectors import mais_marac as selectors
from saferplan.casework.services import access
from saferplan.casework.services import mais_marac as services
from saferplan.core.formatting import long_date
from saferplan.web import exports
from saferplan.web.views.casework_access import STANDING_REASONS, open_record, stated_reason
from saferplan.web.views.edit import _form_page
from saferplan.web.views.performance import _plan

CAPTION = "Casework"


def _partnership(request):
    return _plan(request).partnership


def _case_url(case) -> str:
    return reverse("casework-case", args=[case.reference])


def _meetings_crumbs():
    return [
        ("Casework", reverse("casework-home")),
        ("MARAC meetings", reverse("casework-marac-meeting-list")),
    ]


@login_required
def mais_create(request):
    if not permissions.can_record(request.user):
        raise PermissionDenied
    partnership = _partnership(request)
    form = MaisCaseForm(request.POST or None, user=request.user)

    def on_valid(data):
        case = services.mais_case_create(
            partnership=partnership,
            user=request.user,
            name=data["name"],
            date_of_birth=data["date_of_birth"],
            contact=data["contact"],
            vulnerable=data["vulnerable"],
            referring_organisation=data["referring_organisation"],
            role=data["role"],
            referred_on=data["referred_on"],
            lead=data["lead"],
            team=list(data["team"]),
            summary=data["summary"],
            agreed_with_adult=data["agreed_with_adult"],
            first_action=data["first_action"],
            first_action_organisation=data["first_action_organisation"],
            first_action_due_on=data["first_action_due_on"],
        )
        return case, f"MAIS case {case.reference} opened"

    return _form_page(
        request,
        form,
        title="Refer an adult to the Multi-Agency Intervention Service",
        caption=CAPTION,
        back=reverse("casework-home"),
        on_valid=on_valid,
        submit="Open the case",
        url=_case_url,
    )


@login_required
def marac_create(request):
    if not permissions.can_record(request.user):
        raise PermissionDenied
    partnership = _partnership(request)
    form = MaracReferralForm(request.POST or None, partnership=partnership)
    threshold = selectors.settings_for(partnership).dash_high_risk_yes

    def on_valid(data):
        case = services.marac_referral_create(
            partnership=partnership,
            user=request.user,
            name=data["name"],
            date_of_birth=data["date_of_birth"],
            contact=data["contact"],
            referred_on=data["referred_on"],
            referring_organisation=data["referring_organisation"],
            dash_answers=form.answers(),
            professional_judgement=data["professional_judgement"],
            judgement_reason=data["judgement_reason"],
            meeting=data["meeting"],
        )
        return case, f"MARAC referral {case.reference} recorded"

    return _form_page(
        request,
        form,
        title="Refer a victim to MARAC",
        caption=CAPTION,
        back=reverse("casework-home"),
        on_valid=on_valid,
        submit="Refer to MARAC",
        url=_case_url,
        template="web/casework/marac_referral_form.html",
        source=dash.SOURCE,
        threshold=threshold,
        count=dash.COUNT,
    )


@login_required
def marac_dash(request, ref):
    if not permissions.is_caseworker(request.user):
        raise PermissionDenied
    case = selectors.marac_case(ref)
    if case is None or getattr(case, "marac", None) is None:
        raise Http404
    if (response := open_record(request, case)) is not None:
        return response
    if request.method == "POST" and not permissions.can_change(request.user, case):
        raise PermissionDenied
    referral = case.marac
    form = DashForm(request.POST or None, answers=referral.dash_answers)
    if not form.is_bound:
        form.initial.update(
            professional_judgement=referral.professional_judgement, judgement_reason=referral.judgement_reason
        )

    def on_valid(data):
        services.marac_dash_update(
            case=case,
            user=request.user,
            dash_answers=form.answers(),
            professional_judgement=data["professional_judgement"],
            judgement_reason=data["judgement_reason"],
        )
        return case, "DASH checklist saved"

    return _form_page(
        request,
        form,
        title="DASH risk checklist",
        caption=case.reference,
        back=_case_url(case),
        on_valid=on_valid,
        url=_case_url,
        template="web/casework/marac_referral_form.html",
        source=dash.SOURCE,
        threshold=selectors.settings_for(case.partnership).dash_high_risk_yes,
        count=dash.COUNT,
        yes=referral.dash_yes,
        on_dash=True,
    )


@login_required
def meeting_list(request):
    if not permissions.is_caseworker(request.user):
        raise PermissionDenied
    rows = selectors.meetings(_partnership(request))
    return render(
        request,
        "web/casework/marac_meetings.html",
        {
            "page_title": "MARAC meetings",
            "meetings": rows,
            "can_record": permissions.can_record(request.user),
        },
    )


@login_required
def meeting_create(request):
    if not permissions.can_record(request.user):
        raise PermissionDenied
    partnership = _partnership(request)
    form = MeetingForm(request.POST or None, partnership=partnership)

    def on_valid(data):
        meeting = services.meeting_create(
            partnership=partnership,
            user=request.user,
            held_on=data["held_on"],
            chair=data["chair"],
            area=data["area"],
        )
        return reverse(
            "casework-marac-meeting", args=[meeting.pk]
        ), f"MARAC meeting of {long_date(meeting.held_on)} added"

    return _form_page(
        request,
        form,
        title="Add a MARAC meeting",
        caption="MARAC",
        back=reverse("casework-marac-meeting-list"),
        on_valid=on_valid,
        breadcrumbs=_meetings_crumbs(),
    )


def _shown(request, row) -> str | None:
    """Why the user may see a case's details on the meeting page (their standing, or the reason they gave), or
    None: then the case is shown as 'restricted case'."""
    if row["standing"] in STANDING_REASONS:
        return STANDING_REASONS[row["standing"]]
    if row["standing"] == "agency":
        return stated_reason(request, row["case"])
    return None


@login_required
def meeting_detail(request, pk):
    if not permissions.is_caseworker(request.user):
        raise PermissionDenied
    meeting = selectors.meeting_get(pk)
    if meeting is None or meeting.partnership_id != _partnership(request).pk:
        raise Http404
    rows = selectors.meeting_cases(meeting, request.user)
    for row in rows:
        row["reason"] = _shown(request, row)
        row["can_change"] = row["reason"] is not None and permissions.can_change(request.user, row["case"])
    changeable = [row["case"] for row in rows if row["can_change"]]
    unlisted = [
        r
        for r in selectors.unassigned_referrals(meeting.partnership, request.user)
        if r.referred_on <= meeting.held_on
    ]
    which = request.POST.get("form", "") if request.method == "POST" else ""
    action_form = MeetingActionForm(
        request.POST if which == "action" else None, cases=changeable, prefix="action"
    )
    assign_form = AssignForm(request.POST if which == "assign" else None, referrals=unlisted, prefix="assign")
    if request.method == "POST":
        form = {"action": action_form, "assign": assign_form}.get(which)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                if which == "action":
                    case = next(c for c in changeable if c.reference == form.cleaned_data["case"])
                    data = form.cleaned_data
                    services.meeting_action_add(
                        meeting=meeting,
                        case=case,
                        user=request.user,
                        description=data["description"],
                        organisation=data["organisation"],
                        owner=data["owner"],
                        due_on=data["due_on"],
                    )
                    messages.success(request, f"Action added to {case.reference}")
                else:
                    referral = next(r for r in unlisted if r.case.reference == form.cleaned_data["referral"])
                    services.referral_assign_meeting(referral=referral, user=request.user, meeting=meeting)
                    messages.success(request, f"{referral.case.reference} listed for this meeting")
            except ValidationError as exc:
                pairs = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
                for name, errors in pairs:
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
            else:
                return redirect(reverse("casework-marac-meeting", args=[meeting.pk]))
    else:
        for row in rows:
            if row["reason"]:
                access.log(
                    user=request.user,
                    action=AccessLog.Action.VIEW,
                    record=row["case"],
                    reason=f"{row['reason']} (MARAC meeting of {long_date(meeting.held_on)})",
                )
    errors = action_form.errors or assign_form.errors
    title = f"MARAC meeting, {long_date(meeting.held_on)}"
    return render(
        request,
        "web/casework/marac_meeting.html",
        {
            "page_title": ("Error: " if errors else "") + title,
            "heading": title,
            "meeting": meeting,
            "rows": rows,
            "action_form": action_form,
            "assign_form": assign_form,
            "form": action_form if action_form.errors else assign_form,
            "can_add_action": bool(changeable),
            "can_assign": bool(unlisted),
            "breadcrumbs": _meetings_crumbs(),
        },
        status=400 if errors else 200,
    )


FIGURE_HEADER = [
    "Period",
    "MARAC referrals",
    "Repeat referrals",
    "Repeat rate (%)",
    "High risk on the DASH count",
    "High risk on professional judgement",
    "MAIS cases opened",
    "MAIS cases closed",
]


def _figure_rows(rows) -> list[list]:
    return [
        [
            r["period"],
            r["referrals"],
            r["repeats"],
            r["rate"] if r["rate"] is not None else "",
            r["on_count"],
            r["on_judgement"],
            r["mais_opened"],
            r["mais_closed"],
        ]
        for r in rows
    ]


@login_required
def marac_figures(request):
    if not permissions.can_read_counts(request.user):
        raise PermissionDenied
    partnership = _partnership(request)
    rows = selectors.figures(partnership)
    settings = selectors.settings_for(partnership)
    if (
        response := exports.respond(
            request,
            {
                "": lambda: exports.Table(
                    filename="marac-and-mais-figures",
                    title="MARAC and MAIS",
                    header=FIGURE_HEADER,
                    rows=_figure_rows(rows),
                )
            },
        )
    ) is not None:
        return response
    return render(
        request,
        "web/casework/marac_figures.html",
        {
            "page_title": "MARAC and MAIS figures",
            "rows": rows,
            "header": FIGURE_HEADER,
            "repeat_days": settings.marac_repeat_days,
            "threshold": settings.dash_high_risk_yes,
            "source": dash.SOURCE,
        },
    )
