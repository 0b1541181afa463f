"""Casework records for tests: one of each kind, owned by Durham County Council, with a given caseworker as the
case lead and the recorder of the rest (so they open every one as of right). Plainly made up: no real people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from saferplan.accounts.models import Organisation, User
from saferplan.casework import models as m

DCC = "durham-county-council"
POLICE = "durham-constabulary"
FIRE = "county-durham-and-darlington-fire-and-rescue"


@dataclass
class Caseload:
    person: m.Person
    incident: m.Incident
    asb_case: m.Case
    action: m.CaseAction
    intervention: m.Intervention
    review: m.CaseReview
    referral: m.Referral
    route: m.ReferralRoute
    mais_case: m.Case
    marac_case: m.Case
    marac_referral: m.MaracReferral
    meeting: m.MaracMeeting


def org(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def caseload(partnership, caseworker: User, *, prefix: str = "T") -> Caseload:
    """One record of each kind, references prefixed (so tests can make several caseloads)."""
    dcc = org(DCC)
    stamp = {"created_by": caseworker, "modified_by": caseworker}
    person = m.Person.objects.create(
        partnership=partnership,
        organisation=dcc,
        name=f"Test Person {prefix}",
        contact="1 Test Street",
        **stamp,
    )
    incident = m.Incident.objects.create(
        partnership=partnership,
        reference=f"{prefix}-INC-1",
        organisation=dcc,
        category=m.Incident.Category.PERSONAL,
        occurred_on=date(2015, 6, 1),
        reported_on=date(2015, 6, 2),
        description="Noise and shouting at night (made up for a test)",
        reporter=person,
        **stamp,
    )
    m.IncidentPerson.objects.create(incident=incident, person=person, role=m.IncidentPerson.Role.VICTIM)
    asb_case = m.Case.objects.create(
        partnership=partnership,
        reference=f"{prefix}-ASB-1",
        organisation=dcc,
        kind=m.Case.Kind.ASB,
        subject=person,
        opened_on=date(2015, 6, 10),
        lead=caseworker,
        **stamp,
    )
    incident.case = asb_case
    incident.save()
    action = m.CaseAction.objects.create(
        case=asb_case,
        description="Visit the victim",
        organisation=dcc,
        owner=caseworker,
        due_on=date(2015, 7, 1),
    )
    intervention = m.Intervention.objects.create(
        case=asb_case, step=m.Intervention.Step.WARNING_LETTER, issued_on=date(2015, 6, 20)
    )
    review = m.CaseReview.objects.create(
        partnership=partnership,
        reference=f"{prefix}-CR-1",
        organisation=dcc,
        applicant=person,
        applied_on=date(2015, 8, 1),
        behaviour="Repeated noise (made up for a test)",
        **stamp,
    )
    referral = m.Referral.objects.create(
        partnership=partnership,
        reference=f"{prefix}-SH-1",
        organisation=dcc,
        referred_on=date(2015, 5, 1),
        source=m.Referral.Source.SOCIAL_WORKER,
        person=person,
        vulnerabilities=["fire", "hoarding"],
        clutter_rating=6,
        consent=True,
        **stamp,
    )
    route = m.ReferralRoute.objects.create(
        referral=referral, organisation=dcc, vulnerabilities=["fire", "hoarding"], due_on=date(2015, 5, 29)
    )
    mais_case = m.Case.objects.create(
        partnership=partnership,
        reference=f"{prefix}-MAIS-1",
        organisation=dcc,
        kind=m.Case.Kind.MAIS,
        subject=person,
        opened_on=date(2015, 9, 1),
        lead=caseworker,
        **stamp,
    )
    marac_case = m.Case.objects.create(
        partnership=partnership,
        reference=f"{prefix}-MARAC-1",
        organisation=dcc,
        kind=m.Case.Kind.MARAC,
        subject=person,
        opened_on=date(2015, 10, 1),
        lead=caseworker,
        restricted=True,
        risk=m.Case.Risk.HIGH,
        **stamp,
    )
    meeting = m.MaracMeeting.objects.create(
        partnership=partnership, held_on=date(2015, 10, 14), chair=org(POLICE)
    )
    marac_referral = m.MaracReferral.objects.create(
        case=marac_case,
        referred_on=date(2015, 10, 1),
        referring_organisation=dcc,
        dash_answers=[True] * 15 + [False] * 9,
        meeting=meeting,
    )
    return Caseload(
        person=person,
        incident=incident,
        asb_case=asb_case,
        action=action,
        intervention=intervention,
        review=review,
        referral=referral,
        route=route,
        mais_case=mais_case,
        marac_case=marac_case,
        marac_referral=marac_referral,
        meeting=meeting,
    )


def casework_args(demo, name: str) -> list:
    """URL arguments for the per-URL role test: a caseload led by the role test's caseworker."""
    if not name.startswith("casework-"):
        return {}
    caseworker = User.objects.get(username="caseworker-user")
    found = m.Incident.objects.filter(reference="PERM-INC-1").first()
    if found is None:
        load = caseload(demo.partnership, caseworker, prefix="PERM")
    else:
        asb = m.Case.objects.get(reference="PERM-ASB-1")
        marac = m.Case.objects.get(reference="PERM-MARAC-1")
        load = Caseload(
            person=asb.subject,
            incident=found,
            asb_case=asb,
            action=asb.actions.first(),
            intervention=asb.interventions.first(),
            review=m.CaseReview.objects.get(reference="PERM-CR-1"),
            referral=m.Referral.objects.get(reference="PERM-SH-1"),
            route=m.ReferralRoute.objects.get(referral__reference="PERM-SH-1"),
            mais_case=m.Case.objects.get(reference="PERM-MAIS-1"),
            marac_case=marac,
            marac_referral=marac.marac,
            meeting=marac.marac.meeting,
        )
    from saferplan.casework.models import CaseworkFeed
    from saferplan.plans.models import Indicator

    feed = CaseworkFeed.objects.filter(
        indicator__partnership=demo.partnership
    ).first() or CaseworkFeed.objects.create(
        indicator=Indicator.objects.get(partnership=demo.partnership, slug="safer-homes-referrals"),
        measure="referrals",
        area=demo.partnership.areas.get(kind="partnership"),
    )
    case = [load.asb_case.reference]
    return {
        "casework-open": ["asb", load.asb_case.reference],
        "casework-person": [load.person.pk],
        "casework-sar-export": [load.person.pk],
        "casework-case-share": case,
        "casework-incident": [load.incident.reference],
        "casework-incident-edit": [load.incident.reference],
        "casework-incident-person-add": [load.incident.reference],
        "casework-case-open": [load.incident.reference],
        "casework-case": case,
        "casework-case-edit": case,
        "casework-case-close": case,
        "casework-action-create": case,
        "casework-action-edit": [load.asb_case.reference, load.action.pk],
        "casework-intervention-create": case,
        "casework-intervention-edit": [load.asb_case.reference, load.intervention.pk],
        "casework-review": [load.review.reference],
        "casework-review-decide": [load.review.reference],
        "casework-review-record": [load.review.reference],
        "casework-review-appeal": [load.review.reference],
        "casework-referral": [load.referral.reference],
        "casework-route-respond": [load.referral.reference, load.route.pk],
        "casework-marac-dash": [load.marac_case.reference],
        "casework-marac-meeting": [load.meeting.pk],
        "casework-feed-edit": [feed.pk],
    }.get(name, [])
