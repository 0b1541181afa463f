"""Funding for the demo, from the seed documents:

- the Community Safety Fund projects of 2014/15 (004 paragraph 11): names as the seed gives them; the seed
  gives no amounts, so the amounts are illustrative;
- the 2016/17 allocation of the Community Safety Fund to four priority areas, agreed by the Safe Durham
  Partnership Board and the Police and Crime Commissioner (002 paragraph 5; 001 Appendix 1, Finance): the
  seed gives neither the amounts nor the meeting dates, so the amounts are illustrative and no date is set;
- the Safer Homes project: £500,000 of Transformation Challenge Award funding won by County Durham and Darlington
  Fire and Rescue Service with the partnership (002 paragraph 7; 000 section 5), £360,000 match funding with the
  housing providers (002 paragraph 13), and the evidence of its outcomes (002 paragraphs 9 to 11). Its spend is
  not signed off: the seeds do not record a sign-off.

Run `load(plan)` with the 2016-19 plan; it creates everything once (only when no fund exists yet).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from saferplan.accounts.models import Organisation
from saferplan.core.services import assumptions_sync
from saferplan.funding import services
from saferplan.funding.models import Allocation, Fund, Project
from saferplan.plans.models import Objective, Plan

CSF_2014_SOURCE = "004 paragraph 11 (Safe Durham Partnership update, 20 June 2014)"

# name, objective numbers in the 2014-17 plan, illustrative amount, commissioned service, evidence, why linked
PROJECTS_2014_15 = [
    ("Anti-Social Behaviour Officers", [1], 95_000, "", "", "objective from the project's name"),
    (
        "4Real Service (Children and Young People's Substance Misuse Service)",
        [4],
        60_000,
        "4Real: the children and young people's substance misuse service.",
        "",
        "objective from the project's name",
    ),
    (
        "Reducing Re-Offending Manager",
        [3],
        50_000,
        "The post was held by a Durham Tees Valley Probation Trust manager; after Transforming Rehabilitation "
        "the Board agreed a police lead as Reducing Re-offending Manager for the rest of the financial year, "
        "to oversee the Integrated Offender Management transition (004 paragraph 15).",
        "",
        "objective from the project's name",
    ),
    (
        "Mentoring for Prolific and Priority Offenders",
        [3],
        40_000,
        "",
        "",
        "000 section 5 lists mentoring among the new resources for reducing re-offending",
    ),
    (
        "County Durham Youth Offending Service fully integrated pre-court system (out of court disposals)",
        [3],
        75_000,
        "The fully integrated pre-court/out of court system gives early assessment of need and intervention "
        "to prevent re-offending; the Pre-Caution Disposal is an alternative to a formal sanction (000 section 5).",
        "First time entrants to the youth justice system in County Durham fell from 1,129 young people in "
        "2007-08 to 161 in 2015-16, an 86% reduction (000 section 4). The plan credits the fully integrated "
        "pre-court/out of court system as one of two programmes crucial to the reduction (000 section 5).",
        "000 section 5: the system is there to prevent re-offending",
    ),
    ("County Durham Positive Futures Programme", [], 30_000, "", "", "the seeds do not say which objective"),
    (
        "County Durham Drug Intervention Programme",
        [3, 4],
        85_000,
        "",
        "",
        "objective 4 from the project's name; 000 section 5 lists drug intervention among the resources for "
        "reducing re-offending",
    ),
]

# priority area, illustrative amount (002 paragraph 5 gives the areas, not the amounts)
PRIORITY_AREAS_2016_17 = [
    ("Anti-Social Behaviour", 120_000),
    ("Reducing Reoffending", 100_000),
    ("Youth Offending Service", 90_000),
    ("Checkpoint Programme", 60_000),
]

SAFER_HOMES_SERVICE = (
    "A centralised referral system managed by County Durham and Darlington Fire and Rescue Service makes sure "
    "referrals for vulnerability to fire or crime go to the right service (002 paragraph 9). Volunteers, "
    "Neighbourhood Watch and frontline professionals such as carers, nurses and social workers are trained to "
    "recognise vulnerabilities on home visits (000 section 5). From early 2016, domestic sprinkler systems and "
    "'secured by design' crime prevention equipment in social housing, a £360,000 match funding initiative "
    "with the housing providers (002 paragraph 13)."
)
SAFER_HOMES_EVIDENCE = (
    "By November 2015, 2,018 referrals through Safer Homes: 834 for police and 1,184 for fire, including 110 "
    "hoarders identified against 6 in the same period the year before (002 paragraph 9).\n"
    "Dwelling fires down about 20% between 19 September 2014 and 31 March 2015 on the same period a year "
    "earlier, and 12% in the first quarter of 2015/16; dwelling burglaries down 5.9% from September 2014 to "
    "March 2015, and 9.8% in the first quarter of 2015/16 (002 paragraph 10).\n"
    "Over 2,000 frontline professionals received fire and crime awareness input (000 section 5). Safer Homes "
    "has been normal working practice for the Fire and Rescue Service and Durham Police since April 2015 "
    "(002 paragraph 11)."
)


def _objectives(plan: Plan | None, numbers: list[int]) -> list[Objective]:
    if plan is None or not numbers:
        return []
    return list(plan.objectives.live().filter(number__in=numbers).order_by("number"))


@transaction.atomic
def load(plan: Plan) -> int:
    """Create the demo funding once; return the number of allocations and projects created (0 if any fund
    exists already)."""
    if Fund.objects.exists():
        return 0
    partnership = plan.partnership
    pcc = Organisation.objects.filter(slug="office-of-the-pcvc").first()
    fire = Organisation.objects.filter(slug="county-durham-and-darlington-fire-and-rescue").first()
    earlier = plan.previous_version or plan  # the 2014-17 plan, whose objectives the 2014/15 projects served

    csf = services.fund_save(
        fund=Fund(),
        user=None,
        name="Community Safety Fund",
        provider=pcc,
        provider_name="" if pcc else "Office of the Police and Crime Commissioner",
        description="Allocated by the Police and Crime Commissioner; the Safe Durham Partnership agrees the "
        "projects and priority areas it funds. The Commissioner approves the spend on evidence that the "
        "projects' key outcomes were achieved (004 paragraph 10).",
        source_reference="004 paragraphs 10 and 11; 002 paragraph 5",
    )
    tca = services.fund_save(
        fund=Fund(),
        user=None,
        name="Transformation Challenge Award",
        provider_name="Department for Communities and Local Government",
        description="A national award designed to encourage public services to work in partnership to "
        "commission, manage and deliver services in the best possible way (002 paragraph 7). 002 calls it "
        "the 'Transformational Challenge Award'. The seeds do not name the department that gave it.",
        source_reference="002 paragraph 7; 000 section 5",
    )
    assumed = [
        (
            tca,
            {
                "provider_name": "The seeds do not name the department that gave the award; the Department for "
                "Communities and Local Government is assumed."
            },
        )
    ]
    created = 0
    for name, numbers, amount, service, evidence, why in PROJECTS_2014_15:
        project = services.project_save(
            project=Project(partnership=partnership),
            user=None,
            objectives=_objectives(earlier, numbers),
            name=name,
            fund=csf,
            financial_year=2014,
            amount=Decimal(amount),
            commissioned_service=service,
            evidence_of_outcomes=evidence,
            illustrative=True,
            source_reference=f"{CSF_2014_SOURCE}; amount illustrative (not in the seeds); {why}",
        )
        notes = {
            "amount": "004 paragraph 11 names the project but gives no amount; the amount is made up for the demo."
        }
        if numbers:
            notes["objectives"] = (
                f"The seeds do not link the project to an objective; linked for the demo ({why})."
            )
        assumed.append((project, notes))
        created += 1
    for area, amount in PRIORITY_AREAS_2016_17:
        allocation = services.allocation_save(
            allocation=Allocation(partnership=partnership),
            user=None,
            fund=csf,
            financial_year=2016,
            priority_area=area,
            amount=Decimal(amount),
            illustrative=True,
            agreed_by_board=True,
            agreed_by_pcc=True,
            source_reference="002 paragraph 5 (agreed by the Board and the Police and Crime Commissioner; "
            "dates not given); 001 Appendix 1 (Finance); amount illustrative (not in the seeds)",
        )
        assumed.append(
            (
                allocation,
                {
                    "amount": "002 paragraph 5 names the priority area but gives no amount; the amount is made up "
                    "for the demo."
                },
            )
        )
        created += 1
    safer_homes = services.project_save(
        project=Project(partnership=partnership),
        user=None,
        objectives=_objectives(plan, [2, 7]),
        name="Safer Homes",
        fund=tca,
        financial_year=2014,
        lead_bidder=fire,
        lead_bidder_name="" if fire else "County Durham and Darlington Fire and Rescue Service",
        amount=Decimal("500000"),
        match_funding=Decimal("360000"),
        match_funder="Housing providers (social housing)",
        commissioned_service=SAFER_HOMES_SERVICE,
        evidence_of_outcomes=SAFER_HOMES_EVIDENCE,
        illustrative=False,
        source_reference="002 paragraphs 7 to 13 (initiated September 2014, so 2014/15); 000 section 5 "
        "(Safer Homes); objectives 2 and 7 of the 2016-19 plan (000 section 8: 'Improved safety in the home')",
    )
    assumed.append(
        (
            safer_homes,
            {
                "financial_year": "The seeds say Safer Homes was initiated in September 2014 (002 paragraph 7), "
                "not when the award was paid; 2014/15 is assumed."
            },
        )
    )
    assumptions_sync(assumed)
    return created + 1


def safer_homes(plan: Plan) -> Project:
    """The Safer Homes project of the demo, loading the demo funding first if there is none."""
    load(plan)
    return Project.objects.get(partnership=plan.partnership, name="Safer Homes")
