"""Demo ASB incidents and cases: a plainly synthetic small caseload ("Demo Person 001" and so on, no real person,
every record `synthetic=True`), the same every run (random.Random(SEED)). About 120 incidents across 2015/16 in
the partnership's localities (its own area when it has none), five people who are victims again and again (repeat
victims by the default rule: 3 incidents within 365 days), and six ASB cases with action plans and escalation
steps (one community protection warning followed by a notice), one of them restricted to its team.

Helper for `casework.demo` (which calls `load`); not hooked into the `demo` command here."""

from __future__ import annotations

import random
from datetime import date, timedelta

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
from saferplan.casework.services.references import PREFIXES

SEED = 20152016
INCIDENTS = 120
REPEAT_VICTIMS = 5
START, END = date(2015, 4, 1), date(2016, 3, 31)
DCC = "durham-county-council"
POLICE = "durham-constabulary"
STREETS = [
    "High Street",
    "Front Street",
    "Station Road",
    "Church Lane",
    "Park View",
    "Mill Road",
    "North Terrace",
]
WHAT = {
    Incident.Category.PERSONAL: "Threats and verbal abuse aimed at the resident (made up for the demo)",
    Incident.Category.NUISANCE: "Noise, shouting and a group gathering late at night (made up for the demo)",
    Incident.Category.ENVIRONMENTAL: "Rubbish dumped and set alight in the back lane (made up for the demo)",
}
S = Intervention.Step
OUT = Intervention.Outcome
# The six cases: (restricted, risk, [(step, days after opening, outcome, days to outcome or None)])
CASES = [
    (False, Case.Risk.MEDIUM, [(S.WARNING_LETTER, 7, OUT.COMPLIED, 60)]),
    (False, Case.Risk.HIGH, [(S.CPW, 10, OUT.BREACHED, 30), (S.CPN, 45, OUT.PENDING, None)]),
    (False, Case.Risk.STANDARD, [(S.ABC, 14, OUT.COMPLIED, 120)]),
    (True, Case.Risk.HIGH, [(S.WARNING_LETTER, 3, OUT.BREACHED, 20), (S.INJUNCTION, 40, OUT.PENDING, None)]),
    (False, Case.Risk.MEDIUM, [(S.WARNING_LETTER, 5, OUT.PENDING, None)]),
    (False, Case.Risk.STANDARD, [(S.CPW, 12, OUT.COMPLIED, 90)]),
]


def _pick_caseworkers(caseworkers: dict[str, User]) -> tuple[User, list[User]]:
    """The council's caseworker leads the cases (the first caseworker when there is none of the council); the
    others join the teams."""
    people = [u for u in caseworkers.values() if u is not None]
    if not people:
        raise ValueError("the ASB demo needs at least one caseworker")
    council = [u for u in people if u.organisation and u.organisation.slug == DCC]
    lead = council[0] if council else people[0]
    return lead, [u for u in people if u.pk != lead.pk]


def _areas(partnership) -> list[Area]:
    areas = list(
        Area.objects.filter(partnership=partnership, kind=Area.Kind.LOCALITY).order_by("order", "name")
    )
    return areas or list(Area.objects.filter(partnership=partnership, kind=Area.Kind.PARTNERSHIP))


class _References:
    """References numbered on from the last one of each prefix and year (bulk_create skips the service)."""

    def __init__(self, model, kind: str):
        self.model, self.prefix, self.next = model, PREFIXES[kind], {}

    def __call__(self, on: date) -> str:
        if on.year not in self.next:
            stem = f"{self.prefix}-{on.year}-"
            last = (
                self.model.objects.filter(reference__startswith=stem)
                .order_by("-reference")
                .values_list("reference", flat=True)
                .first()
            )
            self.next[on.year] = int(last.rsplit("-", 1)[1]) + 1 if last else 1
        number = self.next[on.year]
        self.next[on.year] += 1
        return f"{self.prefix}-{on.year}-{number:05d}"


def _existing(partnership) -> dict | None:
    cases = Case.objects.filter(partnership=partnership, kind=Case.Kind.ASB, synthetic=True)
    if not cases.exists():
        return None
    incidents = Incident.objects.filter(partnership=partnership, synthetic=True, case__in=cases)
    return {
        "incidents": 0,
        "people": 0,
        "cases": 0,
        "actions": 0,
        "interventions": 0,
        "created": False,
        "existing_cases": cases.count(),
        "existing_linked_incidents": incidents.count(),
    }


@transaction.atomic
def load(partnership, *, caseworkers: dict[str, User]) -> dict:
    """Make the demo's synthetic ASB incidents and cases (once: nothing more when the partnership already has
    synthetic ASB cases). Returns the counts: {"incidents", "people", "addresses", "victim_links", "cases",
    "actions", "interventions", "repeat_victims", "created"}."""
    if (found := _existing(partnership)) is not None:
        return found
    rng = random.Random(SEED)
    lead, others = _pick_caseworkers(caseworkers)
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=[DCC, POLICE])}
    council = lead.organisation or orgs[DCC]
    police = orgs.get(POLICE, council)
    areas = _areas(partnership)
    stamp = {"created_by": lead, "modified_by": lead}
    now = timezone.now()

    start_number = Person.objects.filter(partnership=partnership, name__startswith="Demo Person ").count() + 1
    people = Person.objects.bulk_create(
        [
            Person(
                partnership=partnership,
                organisation=council,
                name=f"Demo Person {start_number + n:03d}",
                contact="Made up for the demo",
                vulnerable=n % 9 == 4,
                **stamp,
            )
            for n in range(90)
        ]
    )
    addresses = Address.objects.bulk_create(
        [
            Address(
                partnership=partnership,
                text=f"{n + 1} {STREETS[n % len(STREETS)]} (demo)",
                postcode=f"DH{1 + n % 9} {n % 10}ZZ",
                area=areas[n % len(areas)] if areas else None,
                **stamp,
            )
            for n in range(40)
        ]
    )
    # Victims: the first REPEAT_VICTIMS people are victims of 3 to 5 incidents within the year; the rest once.
    victims: list[Person] = []
    for n, person in enumerate(people[:REPEAT_VICTIMS]):
        victims += [person] * (3 + n % 3)
    victims += list(people[REPEAT_VICTIMS:])
    victims = victims[:INCIDENTS] + [
        people[rng.randrange(len(people))] for _ in range(INCIDENTS - len(victims))
    ]
    rng.shuffle(victims)
    span = (END - START).days
    refs = _References(Incident, "incident")
    pairs = []
    for n, victim in enumerate(victims):
        occurred = START + timedelta(days=1 + rng.randrange(span - 11))
        reported = occurred + timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 7]))
        category = rng.choice(list(Incident.Category))
        address = addresses[rng.randrange(len(addresses))]
        anonymous = rng.random() < 0.1
        row = Incident(
            partnership=partnership,
            reference="",
            organisation=police if n % 4 == 3 else council,
            category=category,
            occurred_on=occurred,
            reported_on=reported,
            address=address,
            area=address.area,
            description=WHAT[category],
            reporter=None if anonymous else victim,
            anonymous=anonymous,
            synthetic=True,
            created_at=now,
            modified_at=now,
            **stamp,
        )
        pairs.append((row, victim))
    pairs.sort(key=lambda p: (p[0].reported_on, p[0].occurred_on))
    victim_of = {}
    for row, victim in pairs:
        row.reference = refs(row.reported_on)
        victim_of[row.reference] = victim
    rows = [row for row, _ in pairs]
    Incident.objects.bulk_create(rows)
    by_ref = {i.reference: i for i in Incident.objects.filter(reference__in=list(victim_of))}
    incidents = [by_ref[r.reference] for r in rows]
    links = [
        IncidentPerson(incident=i, person=victim_of[i.reference], role=IncidentPerson.Role.VICTIM)
        for i in incidents
    ]
    # A few alleged perpetrators, linked on the cases' incidents below
    perpetrators = people[-len(CASES) :]
    council_incidents = [i for i in incidents if i.organisation_id == council.pk]
    cases_made, actions, steps = [], [], []
    case_refs = _References(Case, "asb")
    repeat_people = people[:REPEAT_VICTIMS]
    for n, (restricted, risk, plan) in enumerate(CASES):
        subject = repeat_people[n] if n < len(repeat_people) else people[REPEAT_VICTIMS + n]
        theirs = sorted(
            (i for i in council_incidents if victim_of[i.reference].pk == subject.pk and i.case_id is None),
            key=lambda i: i.occurred_on,
        )
        if not theirs:
            first = next(i for i in council_incidents if i.case_id is None)
            subject, theirs = victim_of[first.reference], [first]
        opened = max(i.reported_on for i in theirs) + timedelta(days=3)
        case = Case.objects.create(
            partnership=partnership,
            reference=case_refs(opened),
            organisation=council,
            kind=Case.Kind.ASB,
            subject=subject,
            opened_on=opened,
            lead=lead,
            risk=risk,
            risk_assessment="Assessed with the ASB risk matrix (made up for the demo)",
            summary=f"Repeated anti-social behaviour against a resident, case {n + 1} of the demo (made up)",
            restricted=restricted,
            synthetic=True,
            **stamp,
        )
        if others:
            case.team.set(others[: 1 + n % max(1, len(others))])
        case.partners.set([police])
        for i in theirs:
            i.case = case
        Incident.objects.filter(pk__in=[i.pk for i in theirs]).update(case=case)
        perpetrator = perpetrators[n]
        links += [
            IncidentPerson(incident=i, person=perpetrator, role=IncidentPerson.Role.PERPETRATOR)
            for i in theirs
        ]
        case.people.set([perpetrator])
        actions += [
            CaseAction(
                case=case,
                description="Visit the victim and agree how they will be kept informed (demo)",
                organisation=council,
                owner=lead,
                due_on=opened + timedelta(days=7),
                done_on=opened + timedelta(days=5),
                **stamp,
            ),
            CaseAction(
                case=case,
                description="Patrols at the hours the behaviour happens (demo)",
                organisation=police,
                due_on=opened + timedelta(days=28),
                done_on=None if n % 2 else opened + timedelta(days=30),
                **stamp,
            ),
        ]
        for step, after, outcome, outcome_after in plan:
            issued = opened + timedelta(days=after)
            steps.append(
                Intervention(
                    case=case,
                    step=step,
                    person=perpetrator,
                    issued_on=issued,
                    ends_on=issued + timedelta(days=180) if step in (S.ABC, S.INJUNCTION) else None,
                    outcome=outcome,
                    outcome_on=issued + timedelta(days=outcome_after) if outcome_after is not None else None,
                    notes="Made up for the demo",
                    **stamp,
                )
            )
        cases_made.append(case)
    IncidentPerson.objects.bulk_create(links)
    CaseAction.objects.bulk_create(actions)
    Intervention.objects.bulk_create(steps)
    for case in cases_made:
        access.log(
            user=lead, action=AccessLog.Action.CREATE, record=case, reason="Made for the demo (synthetic)"
        )
    from saferplan.casework.selectors.asb import repeat_victim_ids

    repeat = repeat_victim_ids(partnership, on=END) & {p.pk for p in people}
    return {
        "incidents": len(incidents),
        "people": len(people),
        "addresses": len(addresses),
        "victim_links": sum(1 for link in links if link.role == IncidentPerson.Role.VICTIM),
        "cases": len(cases_made),
        "actions": len(actions),
        "interventions": len(steps),
        "repeat_victims": len(repeat),
        "created": True,
    }
