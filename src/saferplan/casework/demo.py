"""The demo's casework: a plainly synthetic caseload (no real people: "Demo Person 001"-style names, every record
`synthetic=True`) whose counts match the seeds' published ones and fill the casework indicators (issue 20).

`load(plan)` records, once:

1. the partnership's casework settings (the defaults: 3 incidents in 12 months make a repeat victim; the ASB Case
   Review threshold of 3 complaints in 6 months, each within a month; 14 DASH "yes" answers);
2. the demo caseworkers (`DEMO_CASEWORKERS`: an ASB officer of the council, police and fire caseworkers, an
   IDVA of Harbour), with no usable password; `saferplan demo --users` gives them passwords like every demo user;
3. the information-sharing agreements the casework flows need (assumed: the seeds name none);
4. the caseloads: ASB incidents and cases (casework.demo_asb), ASB Case Reviews (demo_reviews), 2,018 Safer Homes
   referrals for 19 September 2014 – 30 November 2015 (demo_referrals: 834 for police, 1,184 for fire, 110
   hoarders, 002 paragraph 9) and MAIS and MARAC (demo_mais_marac);
5. the retention rules, and the Safer Homes routing rules demo_referrals makes, recorded as assumptions;
6. the feeds of the Safer Homes and MARAC indicators, and their counts (`casework.services.feeds.feed_run`),
   as at `AS_AT`, so the casework figures sit beside the published Safer Homes span.

Every value the seeds do not give is recorded as an assumption (core.services.assumptions_sync).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from saferplan.accounts.models import Organisation, User
from saferplan.areas.models import Area
from saferplan.assessment.models import SharingAgreement
from saferplan.assessment.services import sharing
from saferplan.casework.models import CaseworkFeed, CaseworkSettings, Referral, RetentionRule
from saferplan.casework.services.feeds import feed_run
from saferplan.core.services import assumptions_sync, stamp
from saferplan.plans.models import Indicator, Plan

# username, first name, last name, organisation slug: the demo's caseworkers (role caseworker)
DEMO_CASEWORKERS = [
    ("asb-officer", "Asha", "Officer", "durham-county-council"),
    ("police-caseworker", "Pat", "Caseworker", "durham-constabulary"),
    ("fire-caseworker", "Finn", "Caseworker", "county-durham-and-darlington-fire-and-rescue"),
    ("idva", "Isla", "Advocate", "harbour"),
]

PARTNERSHIP_AREA = "E06000047"  # County Durham

# indicator slug → measure: the plan's indicators the demo's casework fills
# indicator → (measure, the dates the demo's caseload is complete for: Safer Homes from September 2014, when the
# project began (002 ¶7), to 30 November 2015, the seed's "as of November 2015"; MARAC over 2014/15 and 2015/16)
SAFER_HOMES = (date(2014, 9, 1), date(2015, 11, 30))
DEMO_FEEDS = {
    "safer-homes-referrals": ("referrals", *SAFER_HOMES),
    "safer-homes-referrals-police": ("referrals_police", *SAFER_HOMES),
    "safer-homes-referrals-fire": ("referrals_fire", *SAFER_HOMES),
    "safer-homes-hoarders-identified": ("referrals_hoarding", *SAFER_HOMES),
    "domestic-abuse-repeat-marac": ("marac_repeat_rate", date(2014, 4, 1), date(2016, 3, 31)),
}

# The feeds count as at the end of 2015/16, the last year the demo's caseload covers, so that the demo is the
# same whenever it is loaded (counting to today would add a run of empty quarters after the made-up caseload).
AS_AT = date(2016, 4, 1)

# record type → months kept, all anonymised (assumed: the seeds give no retention periods)
RETENTION = {
    RetentionRule.RecordType.INCIDENT: 36,
    RetentionRule.RecordType.REFERRAL: 36,
    RetentionRule.RecordType.ASB_CASE: 72,
    RetentionRule.RecordType.MAIS_CASE: 72,
    RetentionRule.RecordType.MARAC_CASE: 72,
    RetentionRule.RecordType.CASE_REVIEW: 36,
    RetentionRule.RecordType.ACCESS_LOG: 84,
}
RETENTION_NOTE = (
    "The seeds give no retention periods; assumed for the demo: incidents and referrals 36 months, cases 72 "
    "months after closure, MARAC 72, case reviews 36, the access log 84, each anonymised when it expires (kept "
    "for counts with nothing that identifies anyone)."
)
AGREEMENTS = [
    (
        "Safer Homes centralised referral process",
        ["durham-county-council", "durham-constabulary", "county-durham-and-darlington-fire-and-rescue"],
        "Referring people vulnerable to fire and/or crime, with their consent, to the service that deals with "
        "each vulnerability, through the centralised Safer Homes referral system managed by County Durham and "
        "Darlington Fire and Rescue Service (002 paragraphs 7 to 9).",
        "Name, address and contact details of the person referred; the vulnerabilities seen; the referrer.",
        date(2014, 9, 1),
    ),
    (
        "MARAC and Multi-Agency Intervention Service information sharing protocol",
        [
            "durham-county-council",
            "durham-constabulary",
            "county-durham-and-darlington-fire-and-rescue",
            "national-probation-service",
            "north-durham-ccg",
            "harbour",
        ],
        "Sharing what each agency knows about a victim of domestic abuse at high risk (MARAC), or an adult with "
        "complex needs (MAIS), to agree a plan that keeps them safe.",
        "Name, date of birth, address and contact details of the victim or adult; the DASH risk checklist; "
        "agency actions; special-category data where needed for the plan.",
        date(2014, 4, 1),
    ),
]
AGREEMENT_NOTE = {
    "title": "The seeds name no agreement for casework flows; made up for the demo.",
    "signed_on": "Assumed for the demo: the seeds do not date it.",
}
LEGAL_BASIS = (
    "UK GDPR art. 6(1)(e) (public task) and art. 9(2)(g) (substantial public interest, Data Protection Act 2018 "
    "sch. 1 para. 10 and 18: preventing crime, safeguarding); Crime and Disorder Act 1998 s.115."
)


def caseworkers() -> dict[str, User]:
    """The demo's caseworkers, created (role caseworker, no usable password) if missing, so that every demo
    case has a lead; `demo --users` then sets their passwords as for every demo user."""
    result = {}
    for username, first, last, org_slug in DEMO_CASEWORKERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                role=User.Role.CASEWORKER,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                organisation=Organisation.objects.get(slug=org_slug),
            )
            user.set_unusable_password()
            user.save()
        result[username] = user
    return result


def _agreements(partnership) -> list:
    assumed = []
    for title, parties, purpose, items, signed in AGREEMENTS:
        if SharingAgreement.objects.filter(partnership=partnership, title=title).exists():
            continue
        agreement = sharing.agreement_save(
            agreement=SharingAgreement(partnership=partnership),
            user=None,
            parties=list(Organisation.objects.filter(slug__in=parties)),
            title=title,
            purpose=purpose,
            legal_basis=LEGAL_BASIS,
            data_items=items,
            signed_on=signed,
        )
        assumed.append((agreement, AGREEMENT_NOTE))
    return assumed


def _retention(partnership) -> list:
    assumed = []
    for record_type, months in RETENTION.items():
        rule = RetentionRule.objects.filter(partnership=partnership, record_type=record_type).first()
        if rule is None:
            rule = RetentionRule(
                partnership=partnership,
                record_type=record_type,
                keep_months=months,
                action=RetentionRule.Action.ANONYMISE,
            )
            stamp(rule)
            rule.save()
            assumed.append((rule, {"keep_months": RETENTION_NOTE, "action": RETENTION_NOTE}))
    return assumed


def _feeds(partnership) -> int:
    area = Area.objects.get(partnership=partnership, code=PARTNERSHIP_AREA)
    made = 0
    for slug, (measure, records_from, records_to) in DEMO_FEEDS.items():
        indicator = Indicator.objects.filter(partnership=partnership, slug=slug).first()
        if indicator is None or CaseworkFeed.objects.filter(indicator=indicator).exists():
            continue
        feed = CaseworkFeed(
            indicator=indicator, measure=measure, area=area, records_from=records_from, records_to=records_to
        )
        stamp(feed)
        feed.save()
        made += 1
    return made


@transaction.atomic
def load(plan: Plan) -> bool:
    """Load the demo's casework once; return whether anything was loaded (False when it is all there)."""
    from saferplan.casework import (
        demo_asb,
        demo_mais_marac,
        demo_referrals,
        demo_reviews,
    )  # the command imports this

    partnership = plan.partnership
    if Referral.objects.filter(partnership=partnership, synthetic=True).exists():
        return False
    if not CaseworkSettings.objects.filter(partnership=partnership).exists():
        settings = CaseworkSettings(partnership=partnership)
        stamp(settings)
        settings.save()
    users = caseworkers()
    assumed = _agreements(partnership)
    demo_asb.load(partnership, caseworkers=users)
    demo_reviews.load(partnership, caseworker=users["asb-officer"])
    referrals = demo_referrals.load(partnership, caseworker=users["fire-caseworker"])
    demo_mais_marac.load(partnership, caseworkers=users)
    # the routing rules (and agreement) demo_referrals made, with what it assumed about them
    notes: dict[tuple[type, int], tuple[object, dict]] = {}
    for record, field, note in referrals.get("assumptions", []):
        notes.setdefault((type(record), record.pk), (record, {}))[1][field] = note
    assumed += list(notes.values())
    assumed += _retention(partnership)
    assumptions_sync(assumed)
    _feeds(partnership)
    feed_run(partnership=partnership, today=AS_AT)
    return True
