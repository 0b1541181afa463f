"""Safer Homes referrals (000 §4 "Safer Homes", "Hoarding"): frontline staff refer a person whose home visit
showed vulnerabilities; each vulnerability is routed by the partnership's RoutingRule to the service that deals
with it, under the information-sharing agreement that allows the flow; the receiving service accepts, completes
or declines (with a reason). Nothing is written unless the whole referral can be routed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from saferplan.accounts.models import Organisation
from saferplan.assessment.models import SharingAgreement
from saferplan.casework.models import (
    AccessLog,
    Address,
    Person,
    Referral,
    ReferralRoute,
    RoutingRule,
    Vulnerability,
)
from saferplan.casework.services import access
from saferplan.casework.services.references import next_reference


@dataclass
class PlannedRoute:
    """Where a referral will go: one receiving service, the vulnerabilities it deals with, its due date and the
    agreement that allows the flow (None when the service is the referring agency itself: nothing is shared)."""

    organisation: Organisation
    vulnerabilities: list[str] = field(default_factory=list)
    due_on: date | None = None
    agreement: SharingAgreement | None = None


def _label(code: str) -> str:
    return Vulnerability(code).label if code in Vulnerability.values else code


def _agreement_between(partnership, referring_id: int, receiving_id: int) -> SharingAgreement | None:
    """A live agreement of the partnership whose parties include both agencies (the signed one first)."""
    return (
        SharingAgreement.objects.live()
        .filter(partnership=partnership, parties=referring_id)
        .filter(parties=receiving_id)
        .order_by("signed_on", "pk")
        .first()
    )


def referral_route(
    *,
    partnership,
    organisation: Organisation,
    vulnerabilities: list[str],
    referred_on: date,
    urgency: str,
) -> list[PlannedRoute]:
    """The routes a referral from `organisation` with these vulnerabilities takes, by the partnership's rules: one
    per receiving service, due after the shortest time its rules allow for the urgency. Raises ValidationError
    (on "vulnerabilities") naming a vulnerability with no rule, or a service no live agreement allows sharing
    with. Reads only."""
    codes = list(dict.fromkeys(vulnerabilities))
    if not codes:
        raise ValidationError({"vulnerabilities": "Select at least one vulnerability"})
    unknown = [c for c in codes if c not in Vulnerability.values]
    if unknown:
        raise ValidationError({"vulnerabilities": "Select vulnerabilities from the list"})
    rules = {
        r.vulnerability: r
        for r in RoutingRule.objects.filter(partnership=partnership, vulnerability__in=codes).select_related(
            "organisation"
        )
    }
    missing = [_label(c) for c in codes if c not in rules]
    if missing:
        raise ValidationError(
            {
                "vulnerabilities": f"No service is set up to receive referrals for {', '.join(missing)}: ask "
                "an administrator to add a routing rule, or untick it and say what you saw in the notes"
            }
        )
    planned: dict[int, PlannedRoute] = {}
    for code in codes:
        rule = rules[code]
        days = rule.urgent_days if urgency == Referral.Urgency.URGENT else rule.routine_days
        due = referred_on + timedelta(days=days)
        route = planned.setdefault(rule.organisation_id, PlannedRoute(organisation=rule.organisation))
        route.vulnerabilities.append(code)
        route.due_on = due if route.due_on is None else min(route.due_on, due)
    refused = []
    for route in planned.values():
        if route.organisation.pk == organisation.pk:
            continue  # the referring agency's own service: nothing leaves the agency
        route.agreement = _agreement_between(partnership, organisation.pk, route.organisation.pk)
        if route.agreement is None:
            refused.append(route.organisation.name)
    if refused:
        raise ValidationError(
            {
                "vulnerabilities": f"This referral cannot be sent to {', '.join(refused)}: no information-"
                f"sharing agreement allows {organisation.name} to share personal data with "
                f"{'it' if len(refused) == 1 else 'them'}"
            }
        )
    return sorted(planned.values(), key=lambda r: r.organisation.name)


@transaction.atomic
def referral_create(
    *,
    partnership,
    user,
    referred_on: date,
    source: str,
    person_name: str,
    address_text: str,
    vulnerabilities: list[str],
    urgency: str,
    consent: bool,
    referrer_name: str = "",
    date_of_birth: date | None = None,
    contact: str = "",
    postcode: str = "",
    area=None,
    clutter_rating: int | None = None,
    notes: str = "",
) -> Referral:
    """Record a referral for the user's agency and send it to each service its vulnerabilities route to. Raises
    ValidationError (naming the field) and writes nothing when the referral breaks a rule or cannot be routed."""
    organisation = getattr(user, "organisation", None)
    if organisation is None:
        raise ValidationError("Only a caseworker of an agency may make a referral")
    codes = list(dict.fromkeys(vulnerabilities or []))
    if Vulnerability.HOARDING in codes and clutter_rating is None:
        raise ValidationError({"clutter_rating": "Choose a clutter image rating: hoarding was seen"})
    if Vulnerability.HOARDING not in codes and clutter_rating is not None:
        raise ValidationError(
            {"clutter_rating": "Leave the clutter image rating empty: hoarding was not selected"}
        )
    if clutter_rating is not None and not 1 <= clutter_rating <= 9:
        raise ValidationError({"clutter_rating": "Choose a clutter image rating from 1 to 9"})
    if not consent and not notes.strip():
        raise ValidationError(
            {"consent": "The person has not agreed to the referral: say in the notes why it is still needed"}
        )
    if source not in Referral.Source.values:
        raise ValidationError({"source": "Choose who is referring"})
    if urgency not in Referral.Urgency.values:
        raise ValidationError({"urgency": "Choose the urgency"})
    if area is not None and area.partnership_id != partnership.pk:
        raise ValidationError({"area": "Choose a locality from the list"})
    routes = referral_route(
        partnership=partnership,
        organisation=organisation,
        vulnerabilities=codes,
        referred_on=referred_on,
        urgency=urgency,
    )
    stamp = {"created_by": user, "modified_by": user}
    person = Person.objects.create(
        partnership=partnership,
        organisation=organisation,
        name=person_name.strip(),
        date_of_birth=date_of_birth,
        contact=contact.strip(),
        **stamp,
    )
    address = Address.objects.create(
        partnership=partnership,
        text=address_text.strip(),
        postcode=postcode.strip().upper(),
        area=area,
        **stamp,
    )
    referral = Referral.objects.create(
        partnership=partnership,
        reference=next_reference(Referral, "referral", referred_on),
        organisation=organisation,
        referred_on=referred_on,
        source=source,
        referrer_name=referrer_name.strip(),
        person=person,
        address=address,
        area=area,
        vulnerabilities=codes,
        clutter_rating=clutter_rating,
        urgency=urgency,
        consent=consent,
        notes=notes.strip(),
        **stamp,
    )
    ReferralRoute.objects.bulk_create(
        [
            ReferralRoute(
                referral=referral,
                organisation=r.organisation,
                vulnerabilities=r.vulnerabilities,
                due_on=r.due_on,
                agreement=r.agreement,
                **stamp,
            )
            for r in routes
        ]
    )
    sent = ", ".join(r.organisation.name for r in routes)
    access.log(
        user=user, action=AccessLog.Action.CREATE, record=referral, reason=f"Referral made; sent to {sent}"
    )
    return referral


@transaction.atomic
def route_respond(*, route: ReferralRoute, user, action: str, on: date, reason: str = "") -> ReferralRoute:
    """The receiving service accepts, completes or declines (with a reason) the referral sent to it. Completion
    only after acceptance; no date before the referral's or the acceptance's. Raises ValidationError naming the
    field and writes nothing when a rule is broken."""
    if getattr(user, "organisation_id", None) != route.organisation_id:
        raise ValidationError("Only the service the referral was sent to may respond to it")
    route = (
        ReferralRoute.objects.select_for_update().select_related("referral", "organisation").get(pk=route.pk)
    )
    referral = route.referral
    status = ReferralRoute.Status
    if on < referral.referred_on:
        raise ValidationError({"on": "The date must be on or after the date of the referral"})
    if on > date.today():
        raise ValidationError({"on": "The date must be today or in the past"})
    if action == "accept":
        if route.status != status.SENT:
            raise ValidationError(
                {"action": f"This referral is already {route.get_status_display().lower()}"}
            )
        route.status, route.accepted_on = status.ACCEPTED, on
        what = "accepted"
    elif action == "complete":
        if route.status != status.ACCEPTED:
            raise ValidationError({"action": "Accept the referral before marking it completed"})
        if on < route.accepted_on:
            raise ValidationError({"on": "The date must be on or after the date it was accepted"})
        route.status, route.completed_on = status.COMPLETED, on
        what = "completed"
    elif action == "decline":
        if route.status not in (status.SENT, status.ACCEPTED):
            raise ValidationError(
                {"action": f"This referral is already {route.get_status_display().lower()}"}
            )
        if not reason.strip():
            raise ValidationError({"reason": "Enter the reason for declining"})
        if route.accepted_on and on < route.accepted_on:
            raise ValidationError({"on": "The date must be on or after the date it was accepted"})
        route.status, route.declined_on, route.decline_reason = status.DECLINED, on, reason.strip()
        what = "declined"
    else:
        raise ValidationError({"action": "Choose a response"})
    route.modified_by, route.modified_at = user, timezone.now()
    route.save()
    access.log(
        user=user,
        action=AccessLog.Action.CHANGE,
        record=referral,
        reason=f"Referral {what} by {route.organisation.name}",
    )
    return route
