"""Writes for anti-social behaviour incidents and cases, the action plan of every kind of case, and the ASB
escalation steps (Anti-social Behaviour, Crime and Policing Act 2014). Every write is checked here (a refusal is a
ValidationError naming the field, and nothing is written) and logged to the access log with what was done."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from saferplan.accounts.models import Organisation, User
from saferplan.areas.models import Area
from saferplan.casework.models import (
    AccessLog,
    Address,
    Case,
    CaseAction,
    Incident,
    IncidentPerson,
    Intervention,
    Person,
)
from saferplan.casework.services import access
from saferplan.casework.services.references import next_reference

INCIDENT_FIELDS = ("category", "occurred_on", "reported_on", "description", "anonymous", "restricted")
CASE_FIELDS = ("lead", "risk", "risk_assessment", "summary", "restricted")


def _today() -> date:
    return timezone.localdate()


def _stamp(user) -> dict:
    return {"created_by": user, "modified_by": user}


def _touch(record, user) -> None:
    record.modified_by = user
    record.modified_at = timezone.now()


def _check_incident(*, partnership, category, occurred_on, reported_on, area, reporter, anonymous) -> None:
    errors: dict[str, str] = {}
    if category not in Incident.Category.values:
        errors["category"] = "Select the category of the behaviour"
    if occurred_on is None:
        errors["occurred_on"] = "Enter the date the behaviour happened"
    elif occurred_on > _today():
        errors["occurred_on"] = "The date the behaviour happened must be today or in the past"
    if reported_on is None:
        errors["reported_on"] = "Enter the date it was reported"
    elif occurred_on is not None and reported_on < occurred_on:
        errors["reported_on"] = "The date it was reported must be on or after the date the behaviour happened"
    elif reported_on > _today():
        errors["reported_on"] = "The date it was reported must be today or in the past"
    if area is not None and area.partnership_id != partnership.pk:
        errors["area"] = "Select a locality of the partnership"
    if anonymous and reporter is not None:
        errors["reporter"] = "An anonymous report has no reporter: untick 'anonymous' or remove the reporter"
    if errors:
        raise ValidationError(errors)


def address_find_or_create(
    *, partnership, text: str, postcode: str, area: Area | None, user
) -> Address | None:
    """The partnership's address with the same text and postcode (reused), or a new one; None for no text."""
    text = " ".join((text or "").split())
    postcode = " ".join((postcode or "").upper().split())
    if not text:
        return None
    if len(text) > 300:
        raise ValidationError({"address_text": "The address must be 300 characters or fewer"})
    if len(postcode) > 10:
        raise ValidationError({"postcode": "The postcode must be 10 characters or fewer"})
    found = Address.objects.filter(
        partnership=partnership, text__iexact=text, postcode__iexact=postcode, anonymised_at__isnull=True
    ).first()
    if found is not None:
        if area is not None and found.area_id is None:
            found.area = area
            _touch(found, user)
            found.save(update_fields=["area", "modified_by", "modified_at"])
        return found
    return Address.objects.create(
        partnership=partnership, text=text, postcode=postcode, area=area, **_stamp(user)
    )


def person_create(
    *, partnership, organisation: Organisation, user, name: str, vulnerable: bool = False
) -> Person:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Enter the person's name"})
    return Person.objects.create(
        partnership=partnership, organisation=organisation, name=name, vulnerable=vulnerable, **_stamp(user)
    )


def _reporter(
    *, partnership, organisation, user, reporter: Person | None, reporter_name: str, anonymous: bool
):
    if reporter is not None and reporter.organisation_id != organisation.pk:
        raise ValidationError({"reporter": "Select a person recorded by your agency"})
    if reporter_name and reporter_name.strip():
        if anonymous:
            raise ValidationError(
                {
                    "reporter_name": "An anonymous report has no reporter: untick 'anonymous' or remove the name"
                }
            )
        if reporter is not None:
            raise ValidationError(
                {"reporter_name": "Select an existing person or enter a new name, not both"}
            )
        return person_create(
            partnership=partnership, organisation=organisation, user=user, name=reporter_name
        )
    return reporter


@transaction.atomic
def incident_create(
    *,
    partnership,
    organisation: Organisation,
    user: User,
    category: str,
    occurred_on: date,
    reported_on: date,
    address_text: str = "",
    postcode: str = "",
    area: Area | None = None,
    description: str = "",
    reporter: Person | None = None,
    reporter_name: str = "",
    anonymous: bool = False,
    restricted: bool = False,
    synthetic: bool = False,
) -> Incident:
    """Record an incident for the user's agency."""
    _check_incident(
        partnership=partnership,
        category=category,
        occurred_on=occurred_on,
        reported_on=reported_on,
        area=area,
        reporter=reporter,
        anonymous=anonymous,
    )
    reporter = _reporter(
        partnership=partnership,
        organisation=organisation,
        user=user,
        reporter=reporter,
        reporter_name=reporter_name,
        anonymous=anonymous,
    )
    address = address_find_or_create(
        partnership=partnership, text=address_text, postcode=postcode, area=area, user=user
    )
    incident = Incident.objects.create(
        partnership=partnership,
        reference=next_reference(Incident, "incident", reported_on),
        organisation=organisation,
        category=category,
        occurred_on=occurred_on,
        reported_on=reported_on,
        address=address,
        area=area or (address.area if address else None),
        description=(description or "").strip(),
        reporter=reporter,
        anonymous=anonymous,
        restricted=restricted,
        synthetic=synthetic,
        **_stamp(user),
    )
    access.log(user=user, action=AccessLog.Action.CREATE, record=incident, reason="Recorded the incident")
    return incident


@transaction.atomic
def incident_update(
    *,
    incident: Incident,
    user: User,
    category: str,
    occurred_on: date,
    reported_on: date,
    address_text: str = "",
    postcode: str = "",
    area: Area | None = None,
    description: str = "",
    reporter: Person | None = None,
    reporter_name: str = "",
    anonymous: bool = False,
    restricted: bool = False,
) -> Incident:
    partnership = incident.partnership
    _check_incident(
        partnership=partnership,
        category=category,
        occurred_on=occurred_on,
        reported_on=reported_on,
        area=area,
        reporter=reporter,
        anonymous=anonymous,
    )
    incident.reporter = _reporter(
        partnership=partnership,
        organisation=incident.organisation,
        user=user,
        reporter=reporter,
        reporter_name=reporter_name,
        anonymous=anonymous,
    )
    incident.address = address_find_or_create(
        partnership=partnership, text=address_text, postcode=postcode, area=area, user=user
    )
    incident.area = area or (incident.address.area if incident.address else None)
    incident.category = category
    incident.occurred_on = occurred_on
    incident.reported_on = reported_on
    incident.description = (description or "").strip()
    incident.anonymous = anonymous
    incident.restricted = restricted
    _touch(incident, user)
    incident.save()
    access.log(user=user, action=AccessLog.Action.CHANGE, record=incident, reason="Changed the incident")
    return incident


@transaction.atomic
def incident_person_add(
    *,
    incident: Incident,
    user: User,
    role: str,
    person: Person | None = None,
    name: str = "",
    vulnerable: bool = False,
) -> IncidentPerson:
    """Link a person to the incident as victim, alleged perpetrator or witness: an existing person of the agency,
    or a new one by name."""
    if role not in IncidentPerson.Role.values:
        raise ValidationError({"role": "Select the person's role in the incident"})
    if person is not None and name.strip():
        raise ValidationError({"name": "Select an existing person or enter a new name, not both"})
    if person is None:
        if not name.strip():
            raise ValidationError({"person": "Select a person or enter a new person's name"})
        person = person_create(
            partnership=incident.partnership,
            organisation=incident.organisation,
            user=user,
            name=name,
            vulnerable=vulnerable,
        )
    elif (
        person.organisation_id != incident.organisation_id or person.partnership_id != incident.partnership_id
    ):
        raise ValidationError({"person": "Select a person recorded by the incident's agency"})
    if IncidentPerson.objects.filter(incident=incident, person=person, role=role).exists():
        raise ValidationError({"person": "This person is already linked to the incident in that role"})
    link = IncidentPerson.objects.create(incident=incident, person=person, role=role)
    access.log(
        user=user,
        action=AccessLog.Action.CHANGE,
        record=incident,
        reason=f"Linked a person as {link.get_role_display().lower()}",
    )
    return link


def _check_team(*, organisation, lead, team) -> None:
    from saferplan.casework import permissions

    if lead is None or not permissions.is_caseworker(lead):
        raise ValidationError({"lead": "Select a caseworker as the lead officer"})
    for member in team or ():
        if not permissions.is_caseworker(member):
            raise ValidationError({"team": "Select caseworkers for the team"})


@transaction.atomic
def case_open(
    *,
    incident: Incident,
    user: User,
    subject: Person,
    lead: User,
    opened_on: date,
    team=(),
    partners=(),
    incidents=(),
    risk: str = Case.Risk.STANDARD,
    risk_assessment: str = "",
    summary: str = "",
    restricted: bool = False,
    synthetic: bool = False,
) -> Case:
    """Open an ASB case from an incident, with further incidents of the same agency linked."""
    if incident.case_id is not None:
        raise ValidationError("This incident is already part of a case")
    if subject is None or subject.partnership_id != incident.partnership_id:
        raise ValidationError({"subject": "Select the person the case is about"})
    if risk not in Case.Risk.values:
        raise ValidationError({"risk": "Select the risk level"})
    if opened_on is None:
        raise ValidationError({"opened_on": "Enter the date the case was opened"})
    if opened_on < incident.reported_on:
        raise ValidationError({"opened_on": "The case cannot be opened before the incident was reported"})
    if opened_on > _today():
        raise ValidationError({"opened_on": "The date the case was opened must be today or in the past"})
    _check_team(organisation=incident.organisation, lead=lead, team=team)
    if lead.organisation_id != incident.organisation_id:
        raise ValidationError(
            {"lead": "Select a caseworker of the agency that owns the incident as lead officer"}
        )
    further = [i for i in incidents if i.pk != incident.pk]
    for other in further:
        if (
            other.organisation_id != incident.organisation_id
            or other.partnership_id != incident.partnership_id
        ):
            raise ValidationError({"incidents": "Link only incidents recorded by the same agency"})
        if other.case_id is not None:
            raise ValidationError({"incidents": f"Incident {other.reference} is already part of a case"})
    case = Case.objects.create(
        partnership=incident.partnership,
        reference=next_reference(Case, "asb", opened_on),
        organisation=incident.organisation,
        kind=Case.Kind.ASB,
        subject=subject,
        opened_on=opened_on,
        lead=lead,
        risk=risk,
        risk_assessment=(risk_assessment or "").strip(),
        summary=(summary or "").strip(),
        restricted=restricted,
        synthetic=synthetic,
        **_stamp(user),
    )
    case.team.set(list(team))
    case.partners.set(list(partners))
    linked = [incident, *further]
    Incident.objects.filter(pk__in=[i.pk for i in linked]).update(
        case=case, modified_by=user, modified_at=timezone.now()
    )
    people = set(IncidentPerson.objects.filter(incident__in=linked).values_list("person_id", flat=True))
    case.people.set(people - {subject.pk})
    access.log(
        user=user,
        action=AccessLog.Action.CREATE,
        record=case,
        reason=f"Opened the case from {', '.join(i.reference for i in linked)}",
    )
    for i in linked:
        access.log(
            user=user, action=AccessLog.Action.CHANGE, record=i, reason=f"Linked to case {case.reference}"
        )
    return case


@transaction.atomic
def case_update(
    *,
    case: Case,
    user: User,
    lead: User,
    team=(),
    partners=(),
    risk: str,
    risk_assessment: str = "",
    summary: str = "",
    restricted: bool = False,
) -> Case:
    """Change a case's lead, team, partner agencies, risk and summary (every kind of case)."""
    if risk not in Case.Risk.values:
        raise ValidationError({"risk": "Select the risk level"})
    _check_team(organisation=case.organisation, lead=lead, team=team)
    case.lead = lead
    case.risk = risk
    case.risk_assessment = (risk_assessment or "").strip()
    case.summary = (summary or "").strip()
    case.restricted = restricted
    _touch(case, user)
    case.save()
    case.team.set(list(team))
    case.partners.set(list(partners))
    access.log(
        user=user, action=AccessLog.Action.CHANGE, record=case, reason="Changed the case's team and details"
    )
    return case


@transaction.atomic
def case_close(*, case: Case, user: User, closed_on: date, reason: str) -> Case:
    if case.closed_on is not None:
        raise ValidationError("The case is already closed")
    if closed_on is None:
        raise ValidationError({"closed_on": "Enter the date the case was closed"})
    if closed_on < case.opened_on:
        raise ValidationError({"closed_on": "The case cannot be closed before it was opened"})
    if closed_on > _today():
        raise ValidationError({"closed_on": "The date the case was closed must be today or in the past"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the case is being closed"})
    case.closed_on = closed_on
    case.closure_reason = reason.strip()
    _touch(case, user)
    case.save(update_fields=["closed_on", "closure_reason", "modified_by", "modified_at"])
    access.log(user=user, action=AccessLog.Action.CHANGE, record=case, reason="Closed the case")
    return case


def _check_action(*, case, description, organisation, due_on, done_on) -> None:
    errors = {}
    if not (description or "").strip():
        errors["description"] = "Enter what is to be done"
    if organisation is None:
        errors["organisation"] = "Select the agency that does it"
    if due_on is None:
        errors["due_on"] = "Enter the date it is due"
    if done_on is not None and done_on < case.opened_on:
        errors["done_on"] = "The date it was done cannot be before the case was opened"
    elif done_on is not None and done_on > _today():
        errors["done_on"] = "The date it was done must be today or in the past"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def action_create(
    *,
    case: Case,
    user: User,
    description: str,
    organisation: Organisation,
    due_on: date,
    owner: User | None = None,
    done_on: date | None = None,
) -> CaseAction:
    """Add a step to a case's action plan (every kind of case)."""
    _check_action(
        case=case, description=description, organisation=organisation, due_on=due_on, done_on=done_on
    )
    action = CaseAction.objects.create(
        case=case,
        description=description.strip(),
        organisation=organisation,
        owner=owner,
        due_on=due_on,
        done_on=done_on,
        **_stamp(user),
    )
    access.log(user=user, action=AccessLog.Action.CHANGE, record=case, reason="Added an action to the plan")
    return action


@transaction.atomic
def action_update(
    *,
    action: CaseAction,
    user: User,
    description: str,
    organisation: Organisation,
    due_on: date,
    owner: User | None = None,
    done_on: date | None = None,
) -> CaseAction:
    case = action.case
    _check_action(
        case=case, description=description, organisation=organisation, due_on=due_on, done_on=done_on
    )
    action.description = description.strip()
    action.organisation = organisation
    action.owner = owner
    action.due_on = due_on
    action.done_on = done_on
    _touch(action, user)
    action.save()
    access.log(user=user, action=AccessLog.Action.CHANGE, record=case, reason="Changed an action of the plan")
    return action


CPN_NEEDS_CPW = (
    "A community protection notice needs an earlier community protection warning on this case "
    "(Anti-social Behaviour, Crime and Policing Act 2014 s.43(5))"
)


def _check_intervention(*, case, step, issued_on, ends_on, outcome, outcome_on, person, exclude=None) -> None:
    errors: dict[str, str] = {}
    if case.kind != Case.Kind.ASB:
        raise ValidationError("Escalation steps are recorded on anti-social behaviour cases only")
    if step not in Intervention.Step.values:
        errors["step"] = "Select the escalation step"
    if outcome not in Intervention.Outcome.values:
        errors["outcome"] = "Select the outcome"
    if issued_on is None:
        errors["issued_on"] = "Enter the date it was issued"
    elif issued_on > _today():
        errors["issued_on"] = "The date it was issued must be today or in the past"
    if issued_on is not None and ends_on is not None and ends_on < issued_on:
        errors["ends_on"] = "The date it ends must be on or after the date it was issued"
    if issued_on is not None and outcome_on is not None and outcome_on < issued_on:
        errors["outcome_on"] = "The date of the outcome must be on or after the date it was issued"
    elif outcome_on is not None and outcome_on > _today():
        errors["outcome_on"] = "The date of the outcome must be today or in the past"
    if outcome_on is not None and outcome == Intervention.Outcome.PENDING:
        errors["outcome"] = "Select the outcome reached on the date of the outcome"
    if person is not None and person.partnership_id != case.partnership_id:
        errors["person"] = "Select a person linked to the case"
    if step == Intervention.Step.CPN and issued_on is not None and "issued_on" not in errors:
        warnings = Intervention.objects.filter(case=case, step=Intervention.Step.CPW, issued_on__lt=issued_on)
        if exclude is not None:
            warnings = warnings.exclude(pk=exclude.pk)
        if not warnings.exists():
            errors["step"] = CPN_NEEDS_CPW
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def intervention_create(
    *,
    case: Case,
    user: User,
    step: str,
    issued_on: date,
    ends_on: date | None = None,
    outcome: str = Intervention.Outcome.PENDING,
    outcome_on: date | None = None,
    person: Person | None = None,
    notes: str = "",
) -> Intervention:
    """Record an escalation step used on an ASB case."""
    _check_intervention(
        case=case,
        step=step,
        issued_on=issued_on,
        ends_on=ends_on,
        outcome=outcome,
        outcome_on=outcome_on,
        person=person,
    )
    step_obj = Intervention.objects.create(
        case=case,
        step=step,
        person=person,
        issued_on=issued_on,
        ends_on=ends_on,
        outcome=outcome,
        outcome_on=outcome_on,
        notes=(notes or "").strip(),
        **_stamp(user),
    )
    access.log(
        user=user,
        action=AccessLog.Action.CHANGE,
        record=case,
        reason=f"Recorded an escalation step: {step_obj.get_step_display().lower()}",
    )
    return step_obj


@transaction.atomic
def intervention_update(
    *,
    intervention: Intervention,
    user: User,
    step: str,
    issued_on: date,
    ends_on: date | None = None,
    outcome: str = Intervention.Outcome.PENDING,
    outcome_on: date | None = None,
    person: Person | None = None,
    notes: str = "",
) -> Intervention:
    case = intervention.case
    _check_intervention(
        case=case,
        step=step,
        issued_on=issued_on,
        ends_on=ends_on,
        outcome=outcome,
        outcome_on=outcome_on,
        person=person,
        exclude=intervention,
    )
    if intervention.step == Intervention.Step.CPW and (
        step != Intervention.Step.CPW or issued_on != intervention.issued_on
    ):
        notices = Intervention.objects.filter(case=case, step=Intervention.Step.CPN)
        for notice in notices:
            others = Intervention.objects.filter(
                case=case, step=Intervention.Step.CPW, issued_on__lt=notice.issued_on
            ).exclude(pk=intervention.pk)
            still = step == Intervention.Step.CPW and issued_on < notice.issued_on
            if not others.exists() and not still:
                raise ValidationError(
                    {
                        "step": "A community protection notice on this case rests on this warning: it must stay an "
                        "earlier community protection warning (s.43(5))"
                    }
                )
    intervention.step = step
    intervention.issued_on = issued_on
    intervention.ends_on = ends_on
    intervention.outcome = outcome
    intervention.outcome_on = outcome_on
    intervention.person = person
    intervention.notes = (notes or "").strip()
    _touch(intervention, user)
    intervention.save()
    access.log(
        user=user,
        action=AccessLog.Action.CHANGE,
        record=case,
        reason=f"Changed an escalation step: {intervention.get_step_display().lower()}",
    )
    return intervention
