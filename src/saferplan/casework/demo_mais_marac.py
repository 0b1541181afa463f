"""A made-up MAIS and MARAC caseload for the demo: plainly synthetic (every person is "Synthetic ..." and every
record synthetic=True) and deterministic (a fixed seed), so the figures pages and the feed of the indicator
`domestic-abuse-repeat-marac` have something to show.

- 12 MAIS cases opened in 2015/16, each with a lead professional, a team around the adult from other agencies
  (brought in under a live information-sharing agreement when there is one) and an action plan agreed with the
  adult; a third of them closed.
- 160 MARAC referrals over 2014/15 and 2015/16, 20 a quarter, with high-risk DASH answers (14 to 20 'yes'; one in
  ten high risk on professional judgement with fewer), heard at about two meetings a month.
- Repeats: 4 to 6 of each quarter's 20 referrals (20 % to 30 %), the same victim referred again within 365 days.
  Chosen below SafeLives' expected range (28 % to 40 %) so that the demo plan shows the partnership under the
  range it aims for (003 priority 3 asks for more repeat victims to be identified and referred).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from saferplan.accounts.models import Organisation, User
from saferplan.casework import dash
from saferplan.casework.models import Case, CaseAction, MaracMeeting, MaracReferral, Person, SharingBasis
from saferplan.casework.selectors.mais_marac import live_agreement
from saferplan.casework.services.references import next_reference

SEED = 20
START = date(2014, 4, 1)
END = date(2016, 3, 31)
PER_QUARTER = 20
REPEATS_PER_QUARTER = [5, 4, 6, 5, 4, 6, 5, 5]  # 25, 20, 30, 25, 20, 30, 25, 25 %

REFERRERS = [
    ("durham-constabulary", 10),
    ("harbour", 4),
    ("durham-county-council", 3),
    ("national-probation-service", 1),
    ("north-durham-ccg", 2),
]
MARAC_ACTIONS = {
    "durham-constabulary": "Flag the address for a priority response to any call",
    "harbour": "Offer an independent domestic violence adviser and safety planning",
    "durham-county-council": "Review the children's needs with children's social care",
    "national-probation-service": "Check the perpetrator's licence conditions and share any breach",
    "north-durham-ccg": "Alert the victim's GP practice to the risk",
    "county-durham-and-darlington-fire-and-rescue": "Offer a safe and well visit with fire safety equipment",
}
MAIS_ACTIONS = [
    "Agree a support plan with the adult and a named contact",
    "Arrange a benefits and debt advice appointment",
    "Refer to the drug and alcohol recovery service",
    "Arrange a safe and well visit",
    "Review tenancy support with the housing provider",
    "Agree a weekly check-in with the lead professional",
]


def _thursdays(first: date, last: date) -> list[date]:
    """The second and fourth Thursday of each month: about two meetings a month."""
    days = []
    month = date(first.year, first.month, 1)
    while month <= last + timedelta(days=31):
        thursdays = [
            month + timedelta(days=d) for d in range(31) if (month + timedelta(days=d)).month == month.month
        ]
        thursdays = [d for d in thursdays if d.weekday() == 3]
        days += [thursdays[1], thursdays[3]]
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return [d for d in days if first <= d <= last + timedelta(days=31)]


class _References:
    """References in order without a query per record (the first number per year comes from next_reference)."""

    def __init__(self, kind: str):
        self.kind, self.next = kind, {}

    def __call__(self, on: date) -> str:
        if on.year not in self.next:
            first = next_reference(Case, self.kind, on)
            self.next[on.year] = int(first.rsplit("-", 1)[1])
        number = self.next[on.year]
        self.next[on.year] += 1
        return f"{first_part(self.kind)}-{on.year}-{number:05d}"


def first_part(kind: str) -> str:
    from saferplan.casework.services.references import PREFIXES

    return PREFIXES[kind]


def _dash(rng: random.Random, judgement: bool) -> list:
    yes = rng.randint(9, 13) if judgement else rng.randint(14, 20)
    unknown = rng.randint(0, min(3, dash.COUNT - yes))
    answers = [True] * yes + [None] * unknown + [False] * (dash.COUNT - yes - unknown)
    rng.shuffle(answers)
    return answers


def load(partnership, *, caseworkers: dict[str, User]) -> dict:
    """Load the MAIS and MARAC caseload; `caseworkers` are the demo caseworkers (any keys), the DCC one leads."""
    rng = random.Random(SEED)
    users = [u for u in caseworkers.values() if getattr(u, "organisation_id", None)]
    if not users:
        raise ValueError("the MAIS and MARAC demo needs at least one caseworker with an agency")
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=[*MARAC_ACTIONS, "harbour", "lifeline"])}
    dcc = orgs.get("durham-county-council") or users[0].organisation
    lead = next((u for u in users if u.organisation_id == dcc.pk), users[0])
    others = [u for u in users if u.pk != lead.pk]
    police = orgs.get("durham-constabulary") or lead.organisation

    # MARAC meetings, about two a month
    meetings = MaracMeeting.objects.bulk_create(
        [
            MaracMeeting(
                partnership=partnership, held_on=day, chair=police, created_by=lead, modified_by=lead
            )
            for day in _thursdays(START, END)
        ]
    )
    meetings.sort(key=lambda m: m.held_on)

    # MARAC referrals: dates, then who each victim is (new, or a repeat within 365 days)
    referrers = [orgs[s] for s, weight in REFERRERS if s in orgs for _ in range(weight)] or [
        lead.organisation
    ]
    plan = []  # (referred_on, victim index, referring org, judgement)
    victims: list[date] = []  # the last referral date of each victim
    quarter_start = START
    for repeats in REPEATS_PER_QUARTER:
        quarter_end = date(
            quarter_start.year + (quarter_start.month + 3 > 12), (quarter_start.month + 2) % 12 + 1, 1
        ) - timedelta(days=1)
        span = (quarter_end - quarter_start).days
        days = sorted(quarter_start + timedelta(days=rng.randint(0, span)) for _ in range(PER_QUARTER))
        repeat_at = set(rng.sample(range(PER_QUARTER // 2, PER_QUARTER), repeats))
        for index, day in enumerate(days):
            victim = None
            if index in repeat_at:
                eligible = [v for v, last in enumerate(victims) if last < day and (day - last).days <= 365]
                victim = rng.choice(eligible) if eligible else None
            if victim is None:
                victims.append(day)
                victim = len(victims) - 1
            else:
                victims[victim] = day
            plan.append((day, victim, rng.choice(referrers), rng.random() < 0.1))
        quarter_start = quarter_end + timedelta(days=1)

    people = Person.objects.bulk_create(
        [
            Person(
                partnership=partnership,
                organisation=lead.organisation,
                name=f"Synthetic MARAC victim {n + 1:03d}",
                date_of_birth=date(1965 + rng.randint(0, 35), rng.randint(1, 12), rng.randint(1, 28)),
                contact="Made up for the demo: no real person",
                created_by=lead,
                modified_by=lead,
            )
            for n in range(len(victims))
        ]
    )
    reference = _References("marac")
    cases, referrals, actions, partners = [], [], [], []
    for day, victim, _referrer, _judgement in plan:
        meeting = next((m for m in meetings if m.held_on >= day + timedelta(days=3)), meetings[-1])
        closed = meeting.held_on + timedelta(days=42)
        cases.append(
            Case(
                partnership=partnership,
                reference=reference(day),
                organisation=lead.organisation,
                kind=Case.Kind.MARAC,
                subject=people[victim],
                opened_on=day,
                lead=lead,
                restricted=True,
                risk=Case.Risk.HIGH,
                synthetic=True,
                closed_on=closed if closed <= END else None,
                closure_reason="Actions completed (synthetic)" if closed <= END else "",
                created_by=lead,
                modified_by=lead,
            )
        )
    cases = Case.objects.bulk_create(cases)
    for case, (day, _, referrer, judgement) in zip(cases, plan, strict=True):
        meeting = next((m for m in meetings if m.held_on >= day + timedelta(days=3)), meetings[-1])
        answers = _dash(rng, judgement)
        case.risk_assessment = (
            f"DASH ({dash.SOURCE}): {dash.yes_count(answers)} of 24 'yes' answers (synthetic)."
        )
        referrals.append(
            MaracReferral(
                case=case,
                referred_on=day,
                referring_organisation=referrer,
                dash_answers=answers,
                professional_judgement=judgement,
                judgement_reason="Escalating stalking since the separation (synthetic)" if judgement else "",
                meeting=meeting,
                created_by=lead,
                modified_by=lead,
            )
        )
        agency = referrer if referrer.slug in MARAC_ACTIONS else police
        due = meeting.held_on + timedelta(days=14)
        actions.append(
            CaseAction(
                case=case,
                description=f"{MARAC_ACTIONS.get(agency.slug, MARAC_ACTIONS['durham-constabulary'])} (synthetic)",
                organisation=agency,
                due_on=due,
                done_on=due - timedelta(days=rng.randint(0, 7)) if case.closed_on else None,
                created_by=lead,
                modified_by=lead,
            )
        )
        if referrer.pk != case.organisation_id:
            partners.append(Case.partners.through(case_id=case.pk, organisation_id=referrer.pk))
    Case.objects.bulk_update(cases, ["risk_assessment"])
    MaracReferral.objects.bulk_create(referrals)

    # MAIS: 12 cases in 2015/16, a team around each adult, an action plan agreed with the adult
    mais_reference = _References("mais")
    roles = ["a victim", "a perpetrator", "both a victim and a perpetrator"]
    mais_cases = []
    for n in range(12):
        opened = date(2015, 4, 8) + timedelta(days=n * 28 + rng.randint(0, 10))
        adult = Person.objects.create(
            partnership=partnership,
            organisation=lead.organisation,
            name=f"Synthetic MAIS adult {n + 1:02d}",
            date_of_birth=date(1950 + rng.randint(0, 45), rng.randint(1, 12), rng.randint(1, 28)),
            contact="Made up for the demo: no real person",
            vulnerable=True,
            created_by=lead,
            modified_by=lead,
        )
        closed = opened + timedelta(days=120) if n < 4 else None
        case = Case.objects.create(
            partnership=partnership,
            reference=mais_reference(opened),
            organisation=lead.organisation,
            kind=Case.Kind.MAIS,
            subject=adult,
            opened_on=opened,
            lead=lead,
            synthetic=True,
            closed_on=closed,
            closure_reason="Support plan completed (synthetic)" if closed else "",
            summary=f"Referred to the Multi-Agency Intervention Service by {rng.choice(referrers).name}. The adult "
            f"is {roles[n % 3]}.\n\nThe action plan was agreed with the adult. Made up for the demo.",
            created_by=lead,
            modified_by=lead,
        )
        team = []
        for member in rng.sample(others, min(len(others), 2)) if others else []:
            agreement = live_agreement(
                partnership=partnership, organisations=[case.organisation, member.organisation]
            )
            if member.organisation_id != case.organisation_id and agreement is None:
                continue  # no agreement allows the flow: the agency is not brought in
            case.team.add(member)
            team.append(member)
            if member.organisation_id != case.organisation_id:
                SharingBasis.objects.get_or_create(
                    case=case,
                    organisation=member.organisation,
                    defaults={
                        "agreement": agreement,
                        "shared_on": opened,
                        "created_by": lead,
                        "modified_by": lead,
                    },
                )
                case.partners.add(member.organisation)
        for k, text in enumerate(rng.sample(MAIS_ACTIONS, 3)):
            due = opened + timedelta(days=14 * (k + 1))
            actions.append(
                CaseAction(
                    case=case,
                    description=f"{text} (agreed with the adult; synthetic)",
                    organisation=team[k % len(team)].organisation if team and k else lead.organisation,
                    owner=lead,
                    due_on=due,
                    done_on=due if closed or due < date(2016, 1, 1) else None,
                    created_by=lead,
                    modified_by=lead,
                )
            )
        mais_cases.append(case)
    CaseAction.objects.bulk_create(actions)
    Case.partners.through.objects.bulk_create(partners, ignore_conflicts=True)
    repeat_count = sum(REPEATS_PER_QUARTER)
    return {
        "mais_cases": len(mais_cases),
        "marac_referrals": len(referrals),
        "marac_repeats": repeat_count,
        "marac_meetings": len(meetings),
        "actions": len(actions),
    }
