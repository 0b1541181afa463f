"""The casework home, settings, routing and retention rules, and privacy: the "why are you opening this" page,
the access log, a person's page, subject access (search and export) and bringing another agency into a case.
Thin: check permission on the server first, then call a selector or a service and render
(docs/casework.md, docs/adr/0006-casework-privacy.md)."""

from __future__ import annotations

import json
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from saferplan.casework import permissions
from saferplan.casework.forms.privacy import (
    AccessLogFilterForm,
    CaseShareForm,
    ExportReasonForm,
    OpenReasonForm,
    RetentionRuleForm,
    RoutingRuleForm,
    SettingsForm,
    SubjectAccessSearchForm,
)
from saferplan.casework.models import (
    AccessLog,
    Case,
    CaseReview,
    Incident,
    Person,
    Referral,
    RetentionRule,
    RoutingRule,
    Vulnerability,
)
from saferplan.casework.selectors import privacy as selectors
from saferplan.casework.services import access
from saferplan.casework.services import privacy as services
from saferplan.plans import selectors as plan_selectors
from saferplan.web import exports
from saferplan.web.views.casework_access import (
    STANDING_REASONS,
    open_record,
    read_only,
    reason_for,
    remember_reason,
)
from saferplan.web.views.edit import _form_page

CASEWORK = ("Casework", "casework-home")
SETTINGS = ("Casework settings", "casework-settings")
PER_PAGE = 100


def _allow(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _partnership(request):
    plan = plan_selectors.plan_get(user=request.user)
    if plan is None:
        raise Http404
    return plan.partnership


def _crumbs(*pages):
    return [(title, reverse(name)) for title, name in pages]


def _today() -> date:
    return date.today()


# ------------------------------------------------------------------------------------------------------ home


@login_required
@read_only(permissions.can_read_counts)
def home(request):
    user = request.user
    partnership = _partnership(request)
    caseworker = permissions.is_caseworker(user)
    return render(
        request,
        "web/casework/home.html",
        {
            "page_title": "Casework",
            "counts": selectors.home_counts(partnership, today=_today()),
            "caseworker": caseworker,
            "work": selectors.start_sections(user, _today()) if caseworker else [],
            "can_configure": permissions.can_configure(user),
            "can_read_access_log": permissions.can_read_access_log(user),
            "can_handle_subject_access": permissions.can_handle_subject_access(user),
            "can_manage_feeds": permissions.can_manage_feeds(user),
        },
    )


# -------------------------------------------------------------------------------------------------- settings


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request):
    _allow(permissions.can_configure(request.user))
    partnership = _partnership(request)
    form = SettingsForm(request.POST or None, instance=services.settings_for(partnership))

    def save(data):
        services.settings_update(partnership=partnership, user=request.user, **data)
        return reverse("casework-settings"), "Casework settings saved"

    return _form_page(
        request,
        form,
        title="Casework settings",
        caption="Casework",
        back=reverse("casework-home"),
        on_valid=save,
        breadcrumbs=_crumbs(CASEWORK),
        template="web/casework/settings.html",
        links=[
            ("Safer Homes routing rules", reverse("casework-routing")),
            ("Retention rules", reverse("casework-retention")),
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def routing(request):
    _allow(permissions.can_configure(request.user))
    partnership = _partnership(request)
    rules = {
        r.vulnerability: r
        for r in RoutingRule.objects.filter(partnership=partnership).select_related("organisation")
    }
    initial = {"urgent_days": 1, "routine_days": 28}
    chosen = request.GET.get("vulnerability", "")
    if chosen in rules:
        r = rules[chosen]
        initial = {
            "vulnerability": chosen,
            "organisation": r.organisation_id,
            "urgent_days": r.urgent_days,
            "routine_days": r.routine_days,
        }
    form = RoutingRuleForm(request.POST or None, initial=initial)

    def save(data):
        rule = services.routing_rule_save(partnership=partnership, user=request.user, **data)
        return reverse(
            "casework-routing"
        ), f"Routing rule for {rule.get_vulnerability_display().lower()} saved"

    return _form_page(
        request,
        form,
        title="Safer Homes routing rules",
        caption="Casework settings",
        back=reverse("casework-settings"),
        on_valid=save,
        breadcrumbs=_crumbs(CASEWORK, SETTINGS),
        template="web/casework/routing.html",
        submit="Save the rule",
        rows=[(label, value, rules.get(value)) for value, label in Vulnerability.choices],
    )


@login_required
@require_http_methods(["GET", "POST"])
def retention(request):
    _allow(permissions.can_configure(request.user))
    partnership = _partnership(request)
    rules = {r.record_type: r for r in RetentionRule.objects.filter(partnership=partnership)}
    chosen = request.GET.get("record_type", "")
    initial = {}
    if chosen in rules:
        initial = {
            "record_type": chosen,
            "keep_months": rules[chosen].keep_months,
            "action": rules[chosen].action,
        }
    form = RetentionRuleForm(request.POST or None, initial=initial)

    def save(data):
        rule = services.retention_rule_save(partnership=partnership, user=request.user, **data)
        return reverse("casework-retention"), f"Retention rule for {rule.get_record_type_display()} saved"

    return _form_page(
        request,
        form,
        title="Retention rules",
        caption="Casework settings",
        back=reverse("casework-settings"),
        on_valid=save,
        breadcrumbs=_crumbs(CASEWORK, SETTINGS),
        template="web/casework/retention.html",
        submit="Save the rule",
        rows=[(label, value, rules.get(value)) for value, label in RetentionRule.RecordType.choices],
    )


# ------------------------------------------------------------------------------------------------ access log


def _log_table(entries) -> exports.Table:
    return exports.Table(
        "casework-access-log",
        "Access log",
        ["When", "User", "Action", "Record type", "Reference", "Reason"],
        [
            [
                e.at.replace(tzinfo=None),
                e.username,
                e.get_action_display(),
                e.record_type,
                e.reference,
                e.reason,
            ]
            for e in entries
        ],
    )


@login_required
@read_only(permissions.can_read_access_log)
def access_log(request):
    form = AccessLogFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    entries = selectors.access_log(**filters) if not form.errors else AccessLog.objects.none()
    if (response := exports.respond(request, {"": lambda: _log_table(entries)})) is not None:
        return response
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/casework/access_log.html",
        {
            "page_title": ("Error: " if form.errors else "") + "Access log",
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "breadcrumbs": _crumbs(CASEWORK),
        },
        status=400 if form.errors else 200,
    )


# --------------------------------------------------------------------------------- why are you opening this


def _record(request, kind: str, ref: str):
    """The record a `casework-open` address names, in the user's partnership (404 otherwise)."""
    partnership = _partnership(request)
    found = None
    if kind in Case.Kind.values:
        found = Case.objects.filter(partnership=partnership, kind=kind, reference=ref).first()
    elif kind == "incident":
        found = Incident.objects.filter(partnership=partnership, reference=ref).first()
    elif kind == "case_review":
        found = CaseReview.objects.filter(partnership=partnership, reference=ref).first()
    elif kind == "referral":
        found = Referral.objects.filter(partnership=partnership, reference=ref).first()
    elif kind == "person" and ref.isdigit():
        found = Person.objects.filter(partnership=partnership, pk=int(ref)).first()
    if found is None:
        raise Http404
    return found


def safe_next(request, fallback: str) -> str:
    """Where to go after the reason: `next` when it is a path on this site, else `fallback` (never another
    site: an open redirect would let a link dressed as SaferPlan send someone elsewhere)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not any(ord(c) < 32 or ord(c) == 127 for c in target)
        and url_has_allowed_host_and_scheme(target, allowed_hosts=None, require_https=request.is_secure())
    ):
        return target
    return fallback


@login_required
@require_http_methods(["GET", "POST"])
def open_reason(request, kind, ref):
    _allow(permissions.is_caseworker(request.user))
    record = _record(request, kind, ref)
    reason_for(request, record)  # 403 (and a REFUSED entry) for someone who may not open it at all
    fallback = selectors.record_url(record)
    target = safe_next(request, fallback)
    form = OpenReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        remember_reason(request, record, form.reason())
        return redirect(target)
    standing = permissions.standing(request.user, record)
    return render(
        request,
        "web/casework/open_reason.html",
        {
            "page_title": ("Error: " if form.errors else "") + "Why are you opening this record?",
            "form": form,
            "label": "Person" if isinstance(record, Person) else selectors.record_label(record),
            "next": target,
            "back": reverse("casework-home"),
            "standing": STANDING_REASONS.get(standing, ""),
            "breadcrumbs": _crumbs(CASEWORK),
        },
        status=400 if form.errors else 200,
    )


# ------------------------------------------------------------------------------------------------ person


@login_required
@read_only(permissions.is_caseworker)
def person(request, pk):
    found = (
        Person.objects.filter(partnership=_partnership(request), pk=pk).select_related("organisation").first()
    )
    if found is None:
        raise Http404
    if (response := open_record(request, found)) is not None:
        return response
    shown, hidden = selectors.person_records(request.user, found)
    return render(
        request,
        "web/casework/person.html",
        {
            "page_title": "Person",
            "person": found,
            "shown": shown,
            "hidden": hidden,
            "breadcrumbs": _crumbs(CASEWORK),
        },
    )


# ------------------------------------------------------------------------------------------ subject access


@login_required
@require_http_methods(["GET", "POST"])
def subject_access(request):
    _allow(permissions.can_handle_subject_access(request.user))
    partnership = _partnership(request)
    form = SubjectAccessSearchForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = selectors.people_found(partnership, name=data["name"], date_of_birth=data["date_of_birth"])
        access.log_search(user=request.user, reason=data["reason"], found=len(found))
    return render(
        request,
        "web/casework/subject_access.html",
        {
            "page_title": ("Error: " if form.errors else "") + "Subject access",
            "form": form,
            "found": found,
            "breadcrumbs": _crumbs(CASEWORK),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def subject_access_export(request, pk):
    _allow(permissions.can_handle_subject_access(request.user))
    found = Person.objects.filter(partnership=_partnership(request), pk=pk).first()
    if found is None:
        raise Http404
    form = ExportReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = services.subject_access_export(
                person=found, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error("reason", exc.messages[0])
        else:
            response = HttpResponse(
                json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="subject-access-{found.pk}.json"'
            return response
    return render(
        request,
        "web/form.html",
        {
            "page_title": ("Error: " if form.errors else "") + "Export every record about this person",
            "heading": "Export every record about this person",
            "caption": f"Subject access: {found.name}",
            "form": form,
            "back": reverse("casework-sar"),
            "submit": "Download the file (JSON)",
            "breadcrumbs": _crumbs(CASEWORK, ("Subject access", "casework-sar")),
        },
        status=400 if form.errors else 200,
    )


# ---------------------------------------------------------------------------------------------- case share


@login_required
@require_http_methods(["GET", "POST"])
def case_share(request, ref):
    _allow(permissions.is_caseworker(request.user))
    case = (
        Case.objects.filter(partnership=_partnership(request), reference=ref)
        .select_related("organisation")
        .first()
    )
    if case is None:
        raise Http404
    if (response := open_record(request, case)) is not None:
        return response
    _allow(permissions.can_change(request.user, case))
    form = CaseShareForm(request.POST or None, case=case)
    back = selectors.record_url(case)

    def save(data):
        basis = services.case_share(case=case, user=request.user, **data)
        return back, f"Case shared with {basis.organisation.name}"

    return _form_page(
        request,
        form,
        title="Bring another agency into this case",
        caption=selectors.record_label(case),
        back=back,
        on_valid=save,
        breadcrumbs=[("Casework", reverse("casework-home")), (case.reference, back)],
        template="web/casework/case_share.html",
        submit="Share the case",
        sharing=list(case.sharing.select_related("organisation", "agreement").order_by("shared_on", "pk")),
    )
