"""Opening a casework record: the one way every casework view starts (docs/adr/0006-casework-privacy.md).

`open_record(request, record)` refuses (403) a user who may not open the record; asks a user who may open it only
as a member of its agency why they are opening it (the reason is kept for their session, for that record); and
logs every view with who and why. Members of a case's team, and services a referral was sent to, are not asked:
their reason is their standing."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from saferplan.casework import permissions
from saferplan.casework.models import AccessLog
from saferplan.casework.services import access

SESSION_KEY = "casework_reasons"

STANDING_REASONS = {
    "team": "Member of the case team",
    "routed": "Referral sent to the user's service",
    "shared": "Case shared with the user's agency under an information-sharing agreement",
}


def stated_reason(request, record) -> str | None:
    return request.session.get(SESSION_KEY, {}).get(access.record_key(record))


def remember_reason(request, record, reason: str) -> None:
    reasons = dict(request.session.get(SESSION_KEY, {}))
    reasons[access.record_key(record)] = reason
    request.session[SESSION_KEY] = reasons


def reason_for(request, record) -> str | None:
    """Why this user is opening the record: their standing, or the reason they stated; None when they must still
    say why. Raises PermissionDenied (and logs the refusal) when they may not open it."""
    standing = permissions.standing(request.user, record)
    if standing is None:
        if permissions.is_caseworker(request.user):
            access.log(
                user=request.user,
                action=AccessLog.Action.REFUSED,
                record=record,
                reason="Not on the case team, agency or services it was shared with",
            )
        raise PermissionDenied
    if standing in STANDING_REASONS:
        return STANDING_REASONS[standing]
    return stated_reason(request, record)


def _address(record) -> str:
    """How `casework-open` names the record: its reference (a person, who has none, by number)."""
    return getattr(record, "reference", "") or str(record.pk)


def open_record(request, record, *, action: str = AccessLog.Action.VIEW):
    """Call first in every view that shows (or changes) a record. Returns a response to send instead (the
    'why are you opening this' page), or None once the view is logged."""
    reason = reason_for(request, record)
    if reason is None:
        query = urlencode({"next": request.get_full_path()})
        return redirect(
            f"{reverse('casework-open', args=[access.record_type(record), _address(record)])}?{query}"
        )
    if request.method in ("GET", "HEAD"):
        access.log(user=request.user, action=action, record=record, reason=reason)
    return None


def allow(allowed: bool) -> None:
    """403 unless allowed."""
    if not allowed:
        raise PermissionDenied


def read_only(check):
    """A page that is only read (GET or HEAD), whose permission `check(user)` comes first: a user without it gets
    403 whatever the method (a POST by them must never learn more than a GET), others get 405 for a POST."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            allow(check(request.user))
            if request.method not in ("GET", "HEAD"):
                return HttpResponseNotAllowed(["GET", "HEAD"])
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
