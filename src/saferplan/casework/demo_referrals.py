"""The demo's Safer Homes referrals: plainly synthetic ("Demo Resident 0001", `synthetic=True`), deterministic
(random.Random(SEED)), and consistent with the seeds: 2,018 referrals made 19 September 2014 – 30 November 2015,
834 sent to Durham Constabulary (crime risk) and 1,184 to the fire service (fire risk, hoarding, falls or
isolation), 110 of them hoarders (000 §4 "Safer Homes", "Hoarding"; 002 ¶7–12). No demo referral goes to both
services, so 834 + 1,184 = 2,018 holds.

The routing rules (crime → police; fire, hoarding, falls, isolation → fire) and the sharing agreement are
ASSUMPTIONS: the seeds say only that the fire service's centralised process forwards each referral to "the
appropriate authority/service responsible for dealing with the specific vulnerabilities identified". `load`
returns them (with the notes in ASSUMPTIONS) for the demo to record as assumed."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction

from saferplan.accounts.models import Organisation
from saferplan.areas.models import Area
from saferplan.assessment.models import SharingAgreement
from saferplan.casework.models import Address, Person, Referral, ReferralRoute, RoutingRule, Vulnerability
from saferplan.casework.services.references import next_reference

SEED = 20150919
START, END = date(2014, 9, 19), date(2015, 11, 30)
TOTAL, POLICE_COUNT, FIRE_COUNT, HOARDERS = 2018, 834, 1184, 110

DCC = "durham-county-council"
POLICE = "durham-constabulary"
FIRE = "county-durham-and-darlington-fire-and-rescue"

RULES = {
    Vulnerability.CRIME: POLICE,
    Vulnerability.FIRE: FIRE,
    Vulnerability.HOARDING: FIRE,
    Vulnerability.FALLS: FIRE,
    Vulnerability.ISOLATION: FIRE,
}
URGENT_DAYS, ROUTINE_DAYS = 1, 28
AGREEMENT_TITLE = "Safer Homes centralised referral process"
ASSUMPTIONS = {
    "rule": "Assumed for the demo: the seeds say only that the fire service forwards each Safer Homes referral "
    "to the service responsible for the vulnerability identified (000 §4); crime risk to the police and "
    "fire risk, hoarding, falls and isolation to the fire service are our choice.",
    "rule_days": "Assumed for the demo: urgent referrals answered within 1 day, routine within 28 days.",
    "agreement": "Assumed for the demo: the seeds describe a centralised referral process (000 §4) but not the "
    "information-sharing agreement behind it.",
}

SOURCES = [
    (Referral.Source.NEIGHBOURHOOD_WATCH, 25),
    (Referral.Source.CARER, 15),
    (Referral.Source.NURSE, 10),
    (Referral.Source.SOCIAL_WORKER, 12),
    (Referral.Source.GP, 5),
    (Referral.Source.POLICE, 8),
    (Referral.Source.FIRE, 10),
    (Referral.Source.HOUSING, 8),
    (Referral.Source.FAMILY, 5),
    (Referral.Source.OTHER, 2),
]
FIRE_SETS = [
    (["fire"], 45),
    (["fire", "falls"], 20),
    (["fire", "isolation"], 15),
    (["falls"], 10),
    (["isolation"], 5),
    (["fire", "falls", "isolation"], 5),
]
DECLINE_REASONS = [
    "The person already receives this service (synthetic)",
    "The person moved away before contact (synthetic)",
    "The person declined the visit (synthetic)",
    "Outside the service's area (synthetic)",
]


def _rules(partnership, orgs, user) -> tuple[dict[str, RoutingRule], list[RoutingRule]]:
    existing = {r.vulnerability: r for r in RoutingRule.objects.filter(partnership=partnership)}
    created = []
    for code, slug in RULES.items():
        if code not in existing:
            rule = RoutingRule.objects.create(
                partnership=partnership,
                vulnerability=code,
                organisation=orgs[slug],
                urgent_days=URGENT_DAYS,
                routine_days=ROUTINE_DAYS,
                created_by=user,
                modified_by=user,
            )
            existing[code] = rule
            created.append(rule)
    return existing, created


def _agreement(partnership, owner: Organisation, orgs, user) -> tuple[SharingAgreement, bool]:
    receivers = {orgs[POLICE].pk, orgs[FIRE].pk} - {owner.pk}
    for agreement in (
        SharingAgreement.objects.live().filter(partnership=partnership).prefetch_related("parties")
    ):
        parties = {p.pk for p in agreement.parties.all()}
        if owner.pk in parties and receivers <= parties:
            return agreement, False
    agreement = SharingAgreement.objects.create(
        partnership=partnership,
        title=AGREEMENT_TITLE,
        purpose="Frontline staff refer people whose homes show a risk of fire or crime, hoarding, falls or "
        "isolation; the fire service's central team forwards each referral to the service that deals with it.",
        legal_basis="Consent of the person referred; otherwise vital interests (UK GDPR art. 6(1)(d)) where "
        "there is a serious risk to life; Crime and Disorder Act 1998 s.115",
        data_items="Name, date of birth, contact details and address of the person referred; the "
        "vulnerabilities seen; clutter image rating; who referred",
        created_by=user,
        modified_by=user,
    )
    agreement.parties.set({orgs[DCC].pk, orgs[POLICE].pk, orgs[FIRE].pk, owner.pk})
    return agreement, True


def _pick(rng: random.Random, weighted):
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _plan(rng: random.Random) -> list[dict]:
    """One dict a referral, in date order: its date, vulnerabilities, urgency, source and its route's story."""
    kinds = ["police"] * POLICE_COUNT + ["hoarder"] * HOARDERS + ["fire"] * (FIRE_COUNT - HOARDERS)
    rng.shuffle(kinds)
    span = (END - START).days
    plans = []
    for kind in kinds:
        referred_on = START + timedelta(days=rng.randint(0, span))
        if kind == "police":
            codes = ["crime"]
        elif kind == "hoarder":
            codes = ["fire", "hoarding"] if rng.random() < 0.7 else ["hoarding"]
        else:
            codes = list(_pick(rng, FIRE_SETS))
        urgent = rng.random() < 0.15
        roll = rng.random()
        story = "completed"
        if roll < 0.04:
            story = "declined"
        elif roll < 0.07:
            story = "sent"
        elif roll < 0.11:
            story = "accepted"
        plans.append(
            {
                "referred_on": referred_on,
                "codes": codes,
                "urgency": Referral.Urgency.URGENT if urgent else Referral.Urgency.ROUTINE,
                "source": _pick(rng, SOURCES),
                "clutter": rng.randint(4, 9) if "hoarding" in codes else None,
                "consent": kind == "police" or rng.random() > 0.03,
                "story": story,
                "accept_after": rng.randint(0, 2) if urgent else min(rng.randint(1, 40), rng.randint(1, 40)),
                "complete_after": rng.randint(1, 30),
                "decline_after": rng.randint(1, 10),
                "decline_reason": rng.choice(DECLINE_REASONS),
                "area": rng.random(),
            }
        )
    plans.sort(key=lambda p: p["referred_on"])
    return plans


def _counter(on: date, cache: dict[int, int]) -> str:
    if on.year not in cache:
        first = next_reference(Referral, "referral", on)
        cache[on.year] = int(first.rsplit("-", 1)[1])
    number = cache[on.year]
    cache[on.year] = number + 1
    return f"SH-{on.year}-{number:05d}"


@transaction.atomic
def load(partnership, *, caseworker) -> dict:
    """Make the demo's 2,018 synthetic referrals (once: nothing more when the partnership already has synthetic
    referrals) owned by the caseworker's agency, with the routing rules and sharing agreement they need (made
    only when missing). Returns the counts, the rules and agreement, and the assumptions to record:
    {"referrals", "police", "fire", "hoarding", "created", "rules", "rules_created", "agreement",
    "agreement_created", "assumptions": [(record, field, note), ...]}."""
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=[DCC, POLICE, FIRE])}
    owner = caseworker.organisation or orgs[DCC]
    rules, rules_created = _rules(partnership, orgs, caseworker)
    agreement, agreement_created = _agreement(partnership, owner, orgs, caseworker)
    assumptions = []
    for rule in rules_created:
        assumptions.append((rule, "organisation", ASSUMPTIONS["rule"]))
        assumptions.append((rule, "urgent_days", ASSUMPTIONS["rule_days"]))
        assumptions.append((rule, "routine_days", ASSUMPTIONS["rule_days"]))
    if agreement_created:
        assumptions.append((agreement, "title", ASSUMPTIONS["agreement"]))
    result = {
        "rules": list(rules.values()),
        "rules_created": rules_created,
        "agreement": agreement,
        "agreement_created": agreement_created,
        "assumptions": assumptions,
    }
    if Referral.objects.filter(partnership=partnership, synthetic=True).exists():
        return {**result, "created": 0, **_summary(partnership)}

    rng = random.Random(SEED)
    plans = _plan(rng)
    localities = list(
        Area.objects.filter(partnership=partnership, kind=Area.Kind.LOCALITY).order_by("order", "pk")
    )
    stamp = {"created_by": caseworker, "modified_by": caseworker}
    people = Person.objects.bulk_create(
        [
            Person(
                partnership=partnership,
                organisation=owner,
                name=f"Demo Resident {n:04d}",
                contact="Synthetic record: no real person",
                **stamp,
            )
            for n in range(1, TOTAL + 1)
        ]
    )
    for p in plans:
        p["area"] = localities[int(p["area"] * len(localities))] if localities else None
    addresses = Address.objects.bulk_create(
        [
            Address(partnership=partnership, text=f"Demo address {n:04d}", area=p["area"], **stamp)
            for n, p in enumerate(plans, start=1)
        ]
    )
    numbers: dict[int, int] = {}
    referrals = Referral.objects.bulk_create(
        [
            Referral(
                partnership=partnership,
                reference=_counter(p["referred_on"], numbers),
                organisation=owner,
                synthetic=True,
                referred_on=p["referred_on"],
                source=p["source"],
                referrer_name="",
                person=person,
                address=address,
                area=p["area"],
                vulnerabilities=p["codes"],
                clutter_rating=p["clutter"],
                urgency=p["urgency"],
                consent=p["consent"],
                notes=""
                if p["consent"]
                else "No consent: serious fire risk to life, referred in the person's vital interests "
                "(synthetic)",
                **stamp,
            )
            for p, person, address in zip(plans, people, addresses, strict=True)
        ]
    )
    routes = []
    for p, referral in zip(plans, referrals, strict=True):
        by_org: dict[int, list[str]] = {}
        for code in p["codes"]:
            by_org.setdefault(rules[code].organisation_id, []).append(code)
        for org_id, codes in by_org.items():
            days = min(
                rules[c].urgent_days if p["urgency"] == Referral.Urgency.URGENT else rules[c].routine_days
                for c in codes
            )
            referred = p["referred_on"]
            route = ReferralRoute(
                referral=referral,
                organisation_id=org_id,
                vulnerabilities=codes,
                due_on=referred + timedelta(days=days),
                agreement=agreement if org_id != owner.pk else None,
                **stamp,
            )
            story = p["story"]
            if story == "declined":
                route.status = ReferralRoute.Status.DECLINED
                route.declined_on = referred + timedelta(days=p["decline_after"])
                route.decline_reason = p["decline_reason"]
            elif story in ("accepted", "completed"):
                route.status = ReferralRoute.Status.ACCEPTED
                route.accepted_on = referred + timedelta(days=p["accept_after"])
                if story == "completed":
                    route.status = ReferralRoute.Status.COMPLETED
                    route.completed_on = route.accepted_on + timedelta(days=p["complete_after"])
            routes.append(route)
    ReferralRoute.objects.bulk_create(routes)
    return {**result, "created": len(referrals), **_summary(partnership)}


def _summary(partnership) -> dict:
    """The synthetic referrals' own counts (other referrals in the same period are not the demo's)."""
    rows = list(
        Referral.objects.filter(partnership=partnership, synthetic=True).values_list("pk", "vulnerabilities")
    )
    sectors = ReferralRoute.objects.filter(
        referral__partnership=partnership, referral__synthetic=True
    ).values_list("referral_id", "organisation__sector")
    police = {r for r, sector in sectors if sector == Organisation.Sector.POLICE}
    fire = {r for r, sector in sectors if sector == Organisation.Sector.FIRE}
    return {
        "referrals": len(rows),
        "police": len(police),
        "fire": len(fire),
        "hoarding": sum(1 for _, codes in rows if Vulnerability.HOARDING in (codes or [])),
    }
