"""The access log: every view and change of a casework record, with who and why (UK GDPR art. 5(2),
accountability). Services call `log` for every write; views call it (through web.views.casework_access) for
every page that shows a record. The log names a record by type and reference and copies no personal data."""

from __future__ import annotations

from saferplan.casework.models import AccessLog, Case, CaseReview, Incident, Person, Referral


def record_type(record) -> str:
    if isinstance(record, Case):
        return record.kind  # asb, mais or marac (the RetentionRule record types)
    if isinstance(record, Incident):
        return "incident"
    if isinstance(record, CaseReview):
        return "case_review"
    if isinstance(record, Referral):
        return "referral"
    if isinstance(record, Person):
        return "person"
    raise TypeError(f"not a casework record: {type(record).__name__}")


def record_key(record) -> str:
    """A stable key for a record, e.g. 'asb:12' (used for the reasons a user gave in their session)."""
    return f"{record_type(record)}:{record.pk}"


def log_search(*, user, reason: str, found: int) -> AccessLog:
    """A subject-access search (no single record yet): who searched, why, and how many people it found."""
    if not reason or not reason.strip():
        raise ValueError("every access-log entry says why")
    return AccessLog.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "system",
        action=AccessLog.Action.VIEW,
        record_type="person",
        record_id=None,
        reference="",
        reason=f"Subject access search ({found} found): {reason.strip()}"[:2000],
    )


def log(*, user, action: str, record, reason: str) -> AccessLog:
    """One entry: `user` did `action` (AccessLog.Action) to `record` because of `reason`. `user` may be None
    for the retention command (the reason then says so)."""
    if not reason or not reason.strip():
        raise ValueError("every access-log entry says why")
    return AccessLog.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "system",
        action=action,
        record_type=record_type(record),
        record_id=record.pk,
        reference=getattr(record, "reference", "") or "",
        reason=reason.strip()[:2000],
    )
