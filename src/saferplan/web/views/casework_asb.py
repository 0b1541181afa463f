"""ASB incidents and cases, every kind of case's page and action plan, and the ASB escalation steps. Thin: check the
role, open the record (saferplan.web.views.casework_access.open_record: 403, the "why" page, or a logged view),
check the right to change it, then a form page that calls a service (which logs the change)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saferplan.casework import permissions
from saferplan.casework.forms import asb as forms
from saferplan.casework.models import Case, CaseAction, Incident, Intervention
from saferplan.casework.selectors import asb as selectors
from saferplan.casework.selectors import mais_marac as mais_marac_selectors
from saferplan.casework.services import asb as services
from saferplan.core.formatting import long_date
from saferplan.web.views.casework_access import open_record, read_only
from saferplan.web.views.edit import _form_page
from saferplan.web.views.pages import _current_plan

TEMPLATES = "web/casework/"


def _allow(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _partnership(request):
    return _current_plan(request).partnership


def _incident(reference: str) -> Incident:
    found = selectors.incident_get(reference)
    if found is None:
        raise Http404
    return found


def _case(reference: str) -> Case:
    found = selectors.case_get(reference)
    if found is None:
        raise Http404
    return found


def _notice(request, *, heading, caption, message, back, back_label):
    """A page that says why a form is not offered (e.g. the case is already closed); nothing is written."""
    status = 200 if request.method in ("GET", "HEAD") else 400
    context = {
        "page_title": heading,
        "heading": heading,
        "caption": caption,
        "message": message,
        "back": back,
    }
    context["back_label"] = back_label
    return render(request, TEMPLATES + "asb_notice.html", context, status=status)


def _crumbs(*extra):
    return [("Casework", reverse("casework-home")), *extra]


def _incident_url(incident) -> str:
    return reverse("casework-incident", args=[incident.reference])


def _case_url(case) -> str:
    return reverse("casework-case", args=[case.reference])


# Incidents


@login_required
@read_only(permissions.can_record)
def incident_list(request):
    partnership = _partnership(request)
    form = forms.IncidentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    incidents = selectors.incident_list(
        request.user,
        partnership,
        category=filters.get("category", ""),
        start=filters.get("start"),
        end=filters.get("end"),
    )
    page = Paginator(incidents, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    flags = selectors.incident_victim_flags(partnership, page.object_list)
    rows = []
    for incident in page.object_list:
        tags = {flag for found in flags[incident.pk].values() for flag in found}
        rows.append((incident, sorted(tags)))
    return render(
        request,
        TEMPLATES + "incident_list.html",
        {
            "page_title": ("Error: " if form.errors else "")
            + "ASB incidents"
            + (f" (page {page.number})" if page.number > 1 else ""),
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "breadcrumbs": _crumbs(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_create(request):
    _allow(permissions.can_record(request.user))
    partnership = _partnership(request)
    organisation = request.user.organisation
    form = forms.IncidentForm(request.POST or None, partnership=partnership, organisation=organisation)

    def save(data):
        incident = services.incident_create(
            partnership=partnership, organisation=organisation, user=request.user, **data
        )
        return incident, f"Incident {incident.reference} recorded"

    return _form_page(
        request,
        form,
        title="Record an ASB incident",
        caption=str(organisation),
        back=reverse("casework-incident-list"),
        on_valid=save,
        url=_incident_url,
        breadcrumbs=_crumbs(("Incidents", reverse("casework-incident-list"))),
    )


@login_required
@read_only(permissions.can_record)
def incident_detail(request, ref):
    incident = _incident(ref)
    if (response := open_record(request, incident)) is not None:
        return response
    links = list(incident.people.all())
    flags = selectors.incident_victim_flags(incident.partnership, [incident])[incident.pk]
    people = [(link, flags.get(link.person_id, []) if link.role == "victim" else []) for link in links]
    return render(
        request,
        TEMPLATES + "incident_detail.html",
        {
            "page_title": f"Incident {incident.reference}",
            "incident": incident,
            "people": people,
            "can_change": permissions.can_change(request.user, incident),
            "case_open": incident.case
            if incident.case_id and permissions.can_open(request.user, incident.case)
            else None,
            "breadcrumbs": _crumbs(("Incidents", reverse("casework-incident-list"))),
        },
    )


def _changeable_incident(request, ref) -> tuple[Incident | None, object]:
    _allow(permissions.can_record(request.user))
    incident = _incident(ref)
    if (response := open_record(request, incident)) is not None:
        return None, response
    _allow(permissions.can_change(request.user, incident))
    return incident, None


@login_required
@require_http_methods(["GET", "POST"])
def incident_edit(request, ref):
    incident, response = _changeable_incident(request, ref)
    if response is not None:
        return response
    form = forms.IncidentForm(
        request.POST or None,
        initial=forms.IncidentForm.initial_for(incident),
        partnership=incident.partnership,
        organisation=incident.organisation,
    )

    def save(data):
        services.incident_update(incident=incident, user=request.user, **data)
        return incident, f"Incident {incident.reference} saved"

    return _form_page(
        request,
        form,
        title=f"Change incident {incident.reference}",
        back=_incident_url(incident),
        on_valid=save,
        url=_incident_url,
        breadcrumbs=_crumbs(("Incidents", reverse("casework-incident-list"))),
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_person_add(request, ref):
    incident, response = _changeable_incident(request, ref)
    if response is not None:
        return response
    form = forms.IncidentPersonForm(
        request.POST or None, partnership=incident.partnership, organisation=incident.organisation
    )

    def save(data):
        link = services.incident_person_add(incident=incident, user=request.user, **data)
        return incident, f"{link.get_role_display()} linked to incident {incident.reference}"

    return _form_page(
        request,
        form,
        title="Link a person to the incident",
        caption=f"Incident {incident.reference}",
        back=_incident_url(incident),
        on_valid=save,
        url=_incident_url,
        breadcrumbs=_crumbs(("Incidents", reverse("casework-incident-list"))),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_open(request, ref):
    incident, response = _changeable_incident(request, ref)
    if response is not None:
        return response
    if incident.case_id is not None:
        return _notice(
            request,
            heading="This incident is already part of a case",
            caption=f"Incident {incident.reference}",
            message=f"Incident {incident.reference} is part of case {incident.case.reference}: an incident belongs "
            "to one case. Further incidents can be linked when a case is opened from another incident.",
            back=_incident_url(incident),
            back_label=f"Back to incident {incident.reference}",
        )
    further = (
        selectors.incident_list(request.user, incident.partnership)
        .filter(organisation=incident.organisation, case__isnull=True)
        .exclude(pk=incident.pk)
    )
    victims = [link.person_id for link in incident.people.all() if link.role == "victim"]
    initial = {
        "subject": victims[0] if victims else None,
        "lead": request.user.pk,
        "opened_on": timezone.localdate(),
        "risk": Case.Risk.STANDARD,
    }
    form = forms.CaseOpenForm(request.POST or None, initial=initial, incident=incident, further=further)

    def save(data):
        case = services.case_open(incident=incident, user=request.user, **data)
        return case, f"Case {case.reference} opened"

    return _form_page(
        request,
        form,
        title="Open an ASB case",
        caption=f"From incident {incident.reference}",
        back=_incident_url(incident),
        on_valid=save,
        url=_case_url,
        breadcrumbs=_crumbs(("Incidents", reverse("casework-incident-list"))),
    )


@login_required
@read_only(permissions.can_record)
def repeat_victims(request):
    partnership = _partnership(request)
    today = timezone.localdate()
    form = forms.AsAtForm(request.GET or None)
    on = form.cleaned_data.get("on") if form.is_bound and form.is_valid() else None
    if on is None:
        latest = selectors.latest_incident_on(request.user, partnership)
        on = min(today, latest) if latest else today
    start, end, needed = selectors.repeat_window(partnership, on=on)
    rows = selectors.repeat_and_vulnerable_victims(request.user, partnership, on=on)
    return render(
        request,
        TEMPLATES + "repeat_victims.html",
        {
            "page_title": ("Error: " if form.errors else "") + "Repeat and vulnerable victims",
            "form": form,
            "rows": rows,
            "start": start,
            "end": end,
            "needed": needed,
            "days": selectors.settings_for(partnership).repeat_victim_days,
            "organisation": request.user.organisation,
            "breadcrumbs": _crumbs(),
        },
        status=400 if form.errors else 200,
    )


# Cases (every kind)


@login_required
@read_only(permissions.can_record)
def case_list(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in Case.Kind.values else ""
    state = request.GET.get("state", "")
    state = state if state in ("open", "closed") else ""
    cases = selectors.case_list(request.user, _partnership(request), kind=kind, state=state)
    page = Paginator(cases, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        TEMPLATES + "case_list.html",
        {
            "page_title": "Cases",
            "page": page,
            "kind": kind,
            "state": state,
            "kinds": Case.Kind.choices,
            "query": query.urlencode(),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
@read_only(permissions.can_record)
def case_detail(request, ref):
    case = _case(ref)
    if (response := open_record(request, case)) is not None:
        return response
    today = timezone.localdate()
    incidents = [i for i in case.incidents.all() if permissions.can_open(request.user, i)]
    as_at = max((i.occurred_on for i in case.incidents.all()), default=case.opened_on)
    flags = selectors.victim_flags(case.partnership, {case.subject_id}, on=as_at)
    return render(
        request,
        TEMPLATES + "case_detail.html",
        {
            "page_title": f"Case {case.reference}",
            "case": case,
            "subject_flags": sorted(flags.get(case.subject_id, ())),
            "flags_on": as_at,
            "incidents": incidents,
            "actions": list(case.actions.all()),
            "interventions": list(case.interventions.all()),
            "today": today,
            "can_change": permissions.can_change(request.user, case),
            "breadcrumbs": _crumbs(("Cases", reverse("casework-case-list"))),
            **mais_marac_selectors.case_context(case),  # the MAIS and MARAC parts of the page
        },
    )


def _changeable_case(request, ref) -> tuple[Case | None, object]:
    _allow(permissions.can_record(request.user))
    case = _case(ref)
    if (response := open_record(request, case)) is not None:
        return None, response
    _allow(permissions.can_change(request.user, case))
    return case, None


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request, ref):
    case, response = _changeable_case(request, ref)
    if response is not None:
        return response
    form = forms.CaseEditForm(request.POST or None, initial=forms.CaseEditForm.initial_for(case), case=case)

    def save(data):
        services.case_update(case=case, user=request.user, **data)
        return case, f"Case {case.reference} saved"

    return _form_page(
        request,
        form,
        title=f"Change case {case.reference}",
        back=_case_url(case),
        on_valid=save,
        url=_case_url,
        breadcrumbs=_crumbs(("Cases", reverse("casework-case-list"))),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_close(request, ref):
    case, response = _changeable_case(request, ref)
    if response is not None:
        return response
    if case.closed_on is not None:
        return _notice(
            request,
            heading="This case is already closed",
            caption=f"Case {case.reference}",
            message=f"Case {case.reference} was closed on {long_date(case.closed_on)}.",
            back=_case_url(case),
            back_label=f"Back to case {case.reference}",
        )
    form = forms.CaseCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})

    def save(data):
        services.case_close(case=case, user=request.user, **data)
        return case, f"Case {case.reference} closed"

    return _form_page(
        request,
        form,
        title=f"Close case {case.reference}",
        back=_case_url(case),
        on_valid=save,
        url=_case_url,
        submit="Close the case",
        breadcrumbs=_crumbs(("Cases", reverse("casework-case-list"))),
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request, ref):
    case, response = _changeable_case(request, ref)
    if response is not None:
        return response
    form = forms.ActionForm(request.POST or None, initial={"organisation": case.organisation_id})

    def save(data):
        services.action_create(case=case, user=request.user, **data)
        return case, "Action added to the plan"

    return _form_page(
        request,
        form,
        title="Add an action",
        caption=f"Case {case.reference}",
        back=_case_url(case),
        on_valid=save,
        url=_case_url,
        breadcrumbs=_crumbs(("Cases", reverse("casework-case-list"))),
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, ref, pk):
    case, response = _changeable_case(request, ref)
    if response is not None:
        return response
    action = CaseAction.objects.filter(case=case, pk=pk).first()
    if action is None:
        raise Http404
    form = forms.ActionForm(request.POST or None, initial=forms.ActionForm.initial_for(action))

    def save(data):
        services.action_update(action=action, user=request.user, **data)
        return case, "Action saved"

    return _form_page(
        request,
        form,
        title="Change an action",
        caption=f"Case {case.reference}",
        back=_case_url(case),
        on_valid=save,
        url=_case_url,
        breadcrumbs=_crumbs(("Cases", reverse("casework-case-list"))),
    )


def _asb_case(request, ref):
    case, response = _changeable_case(request, ref)
    if response is None and case.kind != Case.Kind.ASB:
        raise Http404  # escalation steps belong to ASB cases
    return case, response


@login_required
@require_http_methods(["GET", "POST"])
def intervention_create(request, ref):
    case, response = _asb_case(request, ref)
    if response is not None:
        return response
    form = forms.InterventionForm(
        request.POST or None, initial={"outcome": Intervention.Outcome.PENDING}, case=case
    )

    def save(data):
        services.intervention_create(case=case, user=request.user, **data)
        return case, "Escalation step recorded"

    return _form_page(
        request,
        form,
        title="Record an escalation step",
        caption=f"Case {case.reference}",
        back=_case_url(case),
        on_valid=save,
        url=_case_url,
        breadcrumbs=_crumbs(("Cases", reverse("casework-case-list"))),
    )


@login_required
@require_http_methods(["GET", "POST"])
def intervention_edit(request, ref, pk):
    case, response = _asb_case(request, ref)
    if response is not None:
        return response
    intervention = Intervention.objects.filter(case=case, pk=pk).first()
    if intervention is None:
        raise Http404
    form = forms.InterventionForm(
        request.POST or None, initial=forms.InterventionForm.initial_for(intervention), case=case
    )

    def save(data):
        services.intervention_update(intervention=intervention, user=request.user, **data)
        return case, "Escalation step saved"

    return _form_page(
        request,
        form,
        title="Change an escalation step",
        caption=f"Case {case.reference}",
        back=_case_url(case),
        on_valid=save,
        url=_case_url,
        breadcrumbs=_crumbs(("Cases", reverse("casework-case-list"))),
    )
