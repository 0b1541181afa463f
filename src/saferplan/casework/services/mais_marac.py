"""Writes for the Multi-Agency Intervention Service (a lead professional, a team around the adult brought in
under information-sharing agreements, an action plan agreed with the adult) and MARAC (a referral with the DASH
risk checklist, meetings and agency actions). Every write is logged (services.access.log)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from saferplan.casework import dash
from saferplan.casework.models import (
    AccessLog,
    Case,
    CaseAction,
    MaracMeeting,
    MaracReferral,
    Person,
    SharingBasis,
)
from saferplan.casework.selectors import mais_marac as selectors
from saferplan.casework.services import access
from saferplan.casework.services.references import next_reference

ROLES = {"victim": "a victim", "perpetrator": "a perpetrator", "both": "both a victim and a perpetrator"}


def _stamp(user) -> dict:
    return {"created_by": user, "modified_by": user}


def _owning_organisation(user):
    if getattr(user, "organisation_id", None) is None:
        raise ValidationError("Only a caseworker of an agency records casework")
    return user.organisation


def _share(*, case: Case, organisations, user, on: date) -> list[SharingBasis]:
    """Bring each agency into the case under a live agreement whose parties include the owning agency and
    theirs; refused (nothing written, by the caller's transaction) when an agency has none."""
    made = []
    for organisation in organisations:
        if organisation.pk == case.organisation_id or case.sharing.filter(organisation=organisation).exists():
            continue
        agreement = selectors.live_agreement(
            partnership=case.partnership, organisations=[case.organisation, organisation], on=on
        )
        if agreement is None:
            raise ValidationError(
                {
                    "team": f"{organisation.name} has no live information-sharing agreement with "
                    f"{case.organisation.name}: record one before bringing them into the case"
                }
            )
        made.append(
            SharingBasis.objects.create(
                case=case, organisation=organisation, agreement=agreement, shared_on=on, **_stamp(user)
            )
        )
        case.partners.add(organisation)
    return made


@transaction.atomic
def mais_case_create(
    *,
    partnership,
    user,
    name: str,
    date_of_birth: date | None = None,
    contact: str = "",
    vulnerable: bool = False,
    referring_organisation,
    role: str,
    referred_on: date,
    lead,
    team=(),
    summary: str = "",
    agreed_with_adult: bool = False,
    first_action: str = "",
    first_action_organisation=None,
    first_action_due_on: date | None = None,
) -> Case:
    """A referral into the MAIS opens a case: the adult, the referring agency, whether they are a victim, a
    perpetrator or both, the lead professional and the team around the adult (each other agency brought in
    under a live information-sharing agreement), and the first step of the plan agreed with the adult."""
    organisation = _owning_organisation(user)
    if role not in ROLES:
        raise ValidationError({"role": "Select whether the adult is a victim, a perpetrator or both"})
    if getattr(lead, "organisation_id", None) is None:
        raise ValidationError({"lead": "The lead professional must belong to an agency"})
    if first_action and (first_action_organisation is None or first_action_due_on is None):
        raise ValidationError({"first_action": "Give the agency and the due date of the first action"})
    person = Person.objects.create(
        partnership=partnership,
        organisation=organisation,
        name=name.strip(),
        date_of_birth=date_of_birth,
        contact=contact,
        vulnerable=vulnerable,
        **_stamp(user),
    )
    lines = [
        f"Referred to the Multi-Agency Intervention Service by {referring_organisation.name} on "
        f"{referred_on.day} {referred_on:%B %Y}. The adult is {ROLES[role]}."
    ]
    if agreed_with_adult:
        lines.append("The action plan was agreed with the adult.")
    if summary.strip():
        lines.append(summary.strip())
    case = Case.objects.create(
        partnership=partnership,
        reference=next_reference(Case, "mais", referred_on),
        organisation=organisation,
        kind=Case.Kind.MAIS,
        subject=person,
        opened_on=referred_on,
        lead=lead,
        summary="\n\n".join(lines),
        **_stamp(user),
    )
    members = [m for m in team if m.pk != lead.pk]
    case.team.set(members)
    agencies = {m.organisation.pk: m.organisation for m in [lead, *members] if m.organisation_id}
    if referring_organisation.pk != organisation.pk:
        agencies.setdefault(referring_organisation.pk, referring_organisation)
    _share(case=case, organisations=list(agencies.values()), user=user, on=referred_on)
    if first_action:
        CaseAction.objects.create(
            case=case,
            description=first_action,
            organisation=first_action_organisation,
            owner=lead,
            due_on=first_action_due_on,
            **_stamp(user),
        )
    access.log(user=user, action=AccessLog.Action.CREATE, record=case, reason="MAIS referral recorded")
    return case


@transaction.atomic
def mais_team_add(*, case: Case, user, member, on: date) -> Case:
    """Add someone to the team around the adult; their agency is brought in under a live agreement."""
    if getattr(member, "organisation_id", None) is None:
        raise ValidationError({"team": "A team member must belong to an agency"})
    _share(case=case, organisations=[member.organisation], user=user, on=on)
    case.team.add(member)
    access.log(user=user, action=AccessLog.Action.CHANGE, record=case, reason="Team member added")
    return case


def _check_dash(answers: list, *, judgement: bool, reason: str, threshold: int) -> None:
    if len(answers) != dash.COUNT or any(a not in (True, False, None) for a in answers):
        raise ValidationError(f"Answer all {dash.COUNT} questions of the checklist")
    if judgement and not reason.strip():
        raise ValidationError({"judgement_reason": "Say why professional judgement makes this high risk"})
    if not dash.is_high_risk(answers, judgement=judgement, threshold=threshold):
        raise ValidationError({"professional_judgement": dash.refusal(answers, threshold=threshold)})


def _victim(
    *, partnership, organisation, user, name: str, date_of_birth: date | None, contact: str
) -> Person:
    """The victim: the same person as an earlier MARAC referral's (same name and date of birth) so that repeats
    are counted, else a new person."""
    if date_of_birth is not None:
        found = (
            Person.objects.filter(
                partnership=partnership,
                name__iexact=name.strip(),
                date_of_birth=date_of_birth,
                cases__kind=Case.Kind.MARAC,
                anonymised_at__isnull=True,
            )
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found
    return Person.objects.create(
        partnership=partnership,
        organisation=organisation,
        name=name.strip(),
        date_of_birth=date_of_birth,
        contact=contact,
        **_stamp(user),
    )


@transaction.atomic
def marac_referral_create(
    *,
    partnership,
    user,
    name: str,
    date_of_birth: date | None = None,
    contact: str = "",
    referred_on: date,
    referring_organisation,
    dash_answers: list,
    professional_judgement: bool = False,
    judgement_reason: str = "",
    meeting: MaracMeeting | None = None,
) -> Case:
    """A referral to MARAC opens a restricted, high-risk case led by the referrer. Refused, with the reason in
    words and nothing written, when the DASH count is under the partnership's threshold and no professional
    judgement is recorded."""
    organisation = _owning_organisation(user)
    threshold = selectors.settings_for(partnership).dash_high_risk_yes
    _check_dash(dash_answers, judgement=professional_judgement, reason=judgement_reason, threshold=threshold)
    if meeting is not None and (meeting.partnership_id != partnership.pk or meeting.held_on < referred_on):
        raise ValidationError(
            {"meeting": "Choose a meeting of this partnership held on or after the referral"}
        )
    person = _victim(
        partnership=partnership,
        organisation=organisation,
        user=user,
        name=name,
        date_of_birth=date_of_birth,
        contact=contact,
    )
    yes = dash.yes_count(dash_answers)
    assessment = f"DASH ({dash.SOURCE}): {yes} of {dash.COUNT} 'yes' answers."
    if professional_judgement:
        assessment += f" High risk on professional judgement: {judgement_reason.strip()}"
    case = Case.objects.create(
        partnership=partnership,
        reference=next_reference(Case, "marac", referred_on),
        organisation=organisation,
        kind=Case.Kind.MARAC,
        subject=person,
        opened_on=referred_on,
        lead=user,
        restricted=True,
        risk=Case.Risk.HIGH,
        risk_assessment=assessment,
        **_stamp(user),
    )
    MaracReferral.objects.create(
        case=case,
        referred_on=referred_on,
        referring_organisation=referring_organisation,
        dash_answers=list(dash_answers),
        professional_judgement=professional_judgement,
        judgement_reason=judgement_reason.strip() if professional_judgement else "",
        meeting=meeting,
        **_stamp(user),
    )
    access.log(user=user, action=AccessLog.Action.CREATE, record=case, reason="MARAC referral recorded")
    return case


@transaction.atomic
def marac_dash_update(
    *, case: Case, user, dash_answers: list, professional_judgement: bool, judgement_reason: str = ""
) -> MaracReferral:
    """Record the checklist again (answers found later). A MARAC case stays high risk: a change that would leave
    it under the threshold without professional judgement is refused."""
    referral = case.marac
    threshold = selectors.settings_for(case.partnership).dash_high_risk_yes
    _check_dash(dash_answers, judgement=professional_judgement, reason=judgement_reason, threshold=threshold)
    referral.dash_answers = list(dash_answers)
    referral.professional_judgement = professional_judgement
    referral.judgement_reason = judgement_reason.strip() if professional_judgement else ""
    referral.modified_by = user
    referral.modified_at = timezone.now()
    referral.save()
    yes = dash.yes_count(dash_answers)
    access.log(
        user=user,
        action=AccessLog.Action.CHANGE,
        record=case,
        reason=f"DASH checklist recorded again ({yes} of {dash.COUNT} 'yes')",
    )
    return referral


@transaction.atomic
def meeting_create(*, partnership, user, held_on: date, chair, area=None) -> MaracMeeting:
    """A MARAC meeting (no personal data: the cases heard are its referrals)."""
    if area is not None and area.partnership_id != partnership.pk:
        raise ValidationError({"area": "Choose a locality of this partnership"})
    return MaracMeeting.objects.create(
        partnership=partnership, held_on=held_on, chair=chair, area=area, **_stamp(user)
    )


@transaction.atomic
def referral_assign_meeting(*, referral: MaracReferral, user, meeting: MaracMeeting) -> MaracReferral:
    if meeting.partnership_id != referral.case.partnership_id:
        raise ValidationError({"referral": "That referral belongs to another partnership"})
    if meeting.held_on < referral.referred_on:
        raise ValidationError({"referral": "The meeting was held before the referral was made"})
    referral.meeting = meeting
    referral.modified_by = user
    referral.modified_at = timezone.now()
    referral.save()
    access.log(
        user=user,
        action=AccessLog.Action.CHANGE,
        record=referral.case,
        reason=f"Listed for the MARAC meeting of {meeting.held_on.day} {meeting.held_on:%B %Y}",
    )
    return referral


@transaction.atomic
def meeting_action_add(
    *, meeting: MaracMeeting, case: Case, user, description: str, organisation, owner=None, due_on: date
) -> CaseAction:
    """An agency action agreed at the meeting for one of its cases."""
    if getattr(case, "marac", None) is None or case.marac.meeting_id != meeting.pk:
        raise ValidationError({"case": "That case was not heard at this meeting"})
    if due_on < meeting.held_on:
        raise ValidationError({"due_on": "The due date must be on or after the meeting"})
    action = CaseAction.objects.create(
        case=case,
        description=description.strip(),
        organisation=organisation,
        owner=owner,
        due_on=due_on,
        **_stamp(user),
    )
    access.log(
        user=user,
        action=AccessLog.Action.CHANGE,
        record=case,
        reason=f"Agency action added at the MARAC meeting of {meeting.held_on.day} {meeting.held_on:%B %Y}",
    )
    return action
