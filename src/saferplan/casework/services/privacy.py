"""Writes for privacy and casework settings: the partnership's casework settings, Safer Homes routing rules and
retention rules (configuration, not personal data: stamped with who changed them and when); bringing another
agency into a case under an information-sharing agreement; and the subject-access export (logged per record)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from saferplan.casework.models import (
    AccessLog,
    Case,
    CaseworkSettings,
    Person,
    RetentionRule,
    RoutingRule,
    SharingBasis,
)
from saferplan.casework.selectors import privacy as selectors
from saferplan.casework.services import access
from saferplan.core.services import save_with_stamp

SETTINGS_FIELDS = (
    "repeat_victim_incidents",
    "repeat_victim_days",
    "trigger_complaints",
    "trigger_window_days",
    "trigger_report_within_days",
    "marac_repeat_days",
    "dash_high_risk_yes",
)


def settings_for(partnership) -> CaseworkSettings:
    """The partnership's casework settings (the defaults, unsaved, when none are kept yet)."""
    return CaseworkSettings.objects.filter(partnership=partnership).first() or CaseworkSettings(
        partnership=partnership
    )


@transaction.atomic
def settings_update(*, partnership, user, **values) -> CaseworkSettings:
    """Change the partnership's casework settings. The model's validators hold the legal limits (no more than
    three qualifying complaints, within six months, each reported within a month)."""
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError(f"Not a casework setting: {', '.join(sorted(unknown))}")
    record = settings_for(partnership)
    for name, value in values.items():
        setattr(record, name, value)
    return save_with_stamp(record, user=user)


@transaction.atomic
def routing_rule_save(
    *, partnership, user, vulnerability: str, organisation, urgent_days: int, routine_days: int
):
    """The service that deals with a vulnerability, and how fast (one rule per vulnerability)."""
    if urgent_days > routine_days:
        raise ValidationError({"urgent_days": "Urgent referrals must be due no later than routine ones"})
    rule = RoutingRule.objects.filter(
        partnership=partnership, vulnerability=vulnerability
    ).first() or RoutingRule(partnership=partnership, vulnerability=vulnerability)
    rule.organisation = organisation
    rule.urgent_days = urgent_days
    rule.routine_days = routine_days
    return save_with_stamp(rule, user=user)


@transaction.atomic
def retention_rule_save(
    *, partnership, user, record_type: str, keep_months: int, action: str
) -> RetentionRule:
    rule = RetentionRule.objects.filter(
        partnership=partnership, record_type=record_type
    ).first() or RetentionRule(partnership=partnership, record_type=record_type)
    rule.keep_months = keep_months
    rule.action = action
    return save_with_stamp(rule, user=user)


def agreement_live(agreement, today: date) -> bool:
    """In force: signed (on or before today) and not archived."""
    return agreement.archived_at is None and agreement.signed_on is not None and agreement.signed_on <= today


@transaction.atomic
def case_share(*, case: Case, organisation, agreement, user, today: date | None = None) -> SharingBasis:
    """Bring another agency into a case under an information-sharing agreement in force whose parties include
    the case's agency and the new one. Refused (naming the agreement and what is missing) otherwise."""
    today = today or date.today()
    if organisation.pk == case.organisation_id:
        raise ValidationError({"organisation": f"{organisation.name} already owns this case"})
    if case.sharing.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": f"The case is already shared with {organisation.name}"})
    if agreement.partnership_id != case.partnership_id:
        raise ValidationError({"agreement": "Choose one of the partnership's information-sharing agreements"})
    if not agreement_live(agreement, today):
        raise ValidationError(
            {
                "agreement": f"“{agreement.title}” is not in force (it is unsigned, signed for a later date or archived)"
            }
        )
    parties = set(agreement.parties.values_list("pk", flat=True))
    missing = [o.name for o in (case.organisation, organisation) if o.pk not in parties]
    if missing:
        raise ValidationError(
            {"agreement": f"“{agreement.title}” does not include {' or '.join(missing)} among its parties"}
        )
    basis = SharingBasis(case=case, organisation=organisation, agreement=agreement, shared_on=today)
    save_with_stamp(basis, user=user)
    case.partners.add(organisation)
    access.log(
        user=user,
        action=AccessLog.Action.CHANGE,
        record=case,
        reason=f"Shared with {organisation.name} under “{agreement.title}”",
    )
    return basis


@transaction.atomic
def subject_access_export(*, person: Person, user, reason: str) -> dict:
    """The subject-access file for a person; one EXPORT entry in the access log per record it includes."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": "Enter why you are exporting this person's records"})
    data, records = selectors.subject_access(person)
    why = f"Subject access export: {reason.strip()}"
    access.log(user=user, action=AccessLog.Action.EXPORT, record=person, reason=why)
    for record in records:
        access.log(user=user, action=AccessLog.Action.EXPORT, record=record, reason=why)
    return data
