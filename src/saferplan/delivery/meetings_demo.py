"""The Board meetings the seeds report (May 2014 in 004; November 2015 and January 2016 in 002; May 2016 in
001), with their items in the papers' own words. The seeds give the month, not the day: dates are the 1st."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from saferplan.core.services import assumptions_sync
from saferplan.delivery.models import AgendaItem, Meeting
from saferplan.plans.models import Group, Plan

# (meeting date, title, [(kind, item title, summary, decision, reference)])
MEETINGS = [
    (
        date(2014, 5, 1),
        "Board meeting, May 2014",
        [
            (
                "other",
                "Domestic Homicide Reviews",
                "Following on from the publication of Domestic Homicide Review reports by the Safe Durham Partnership, a "
                "'Lessons Learnt' workshop will be held in September 2014. This workshop will be targeted at practitioners "
                "and supervisors in key agencies.",
                "",
                "004 ¶2",
            ),
            (
                "other",
                "Safe Durham Partnership Plan 2014-17",
                "Members of the Safe Durham Partnership Board approved the finalised version of the Plan, which has "
                "previously been to Overview & Scrutiny as part of the consultation process.",
                "Plan 2014-17 approved. Additional information was requested in relation to Mental Health and the links "
                "with the Gypsy, Roma Travellers Strategy and Action Plan.",
                "004 ¶3",
            ),
            (
                "performance",
                "Welfare Reform",
                "County Durham saw an increase of police recorded crime of 9.7% in 2013/14. The types of crime showing an "
                "increase were largely in two areas. That of 'stealing offences' and violent crime, including sexual "
                "offences.",
                "The Board is awaiting additional work by the ILG before conclusions about the impact of "
                "Welfare Reform on crime levels are drawn.",
                "004 ¶6-9",
            ),
            (
                "other",
                "Reducing Re-Offending Manager",
                "",
                "The Safe Durham Partnership board have agreed the appointment of a police lead as the Reducing "
                "Re-offending Manager for the remaining financial year to oversee the Integrated Offender Management "
                "transition phase of the Transforming Rehabilitation agenda.",
                "004 ¶15",
            ),
        ],
    ),
    (
        date(2015, 11, 1),
        "Board meeting, November 2015",
        [
            (
                "other",
                "Partnership Plan 2016-19: strategic objectives",
                "",
                "The strategic objectives of the Partnership Plan 2016-19 were agreed.",
                "001 ¶10",
            ),
        ],
    ),
    (
        date(2016, 1, 1),
        "Board meeting, January 2016",
        [
            (
                "other",
                "Desistance Model",
                "A representative from the Durham, Tees Valley Community Rehabilitation Company provided the Board with a "
                "briefing on the subject of 'desistance' and learning themes from her research in Canada and North "
                "America as part of a Winston Churchill Fellowship.",
                "A series of cross-sector workshops to communicate this desistance model to partners, including Elected "
                "Members, will be developed in 2016/17.",
                "002 ¶2-4 (November 2015 and January 2016 meetings)",
            ),
            (
                "other",
                "Funding",
                "The allocation of the Community Safety Fund for 2016/17 has been agreed by the Safe Durham Partnership "
                "Board and the Police and Crime Commissioner; and includes the following key priority areas: "
                "Anti-Social Behaviour, Reducing Reoffending, Youth Offending Service, Checkpoint Programme.",
                "A funding sub-group is in place to source additional funding streams to support the strategic "
                "objectives of the Safe Durham Partnership.",
                "002 ¶5-6",
            ),
            (
                "performance",
                "Safer Homes Update",
                "As of November 2015 this had resulted in 2018 referrals made through Safer Homes with 834 for police and "
                "1184 for fire.",
                "",
                "002 ¶7-13",
            ),
            (
                "other",
                "Ending Gang Violence and Exploitation",
                "",
                "The Board have agreed that the Partnership will take action in relation to 'reducing violence and knife "
                "crime' through the Reducing Re-Offending Group.",
                "002 ¶21-23",
            ),
        ],
    ),
    (
        date(2016, 5, 1),
        "Board meeting, May 2016",
        [
            (
                "other",
                "Partnership Plan 2016-19",
                "",
                "The outcomes were agreed following the consultation period, and the Safe Durham Partnership Board signed "
                "off the Plan.",
                "001 ¶6, ¶10",
            ),
        ],
    ),
]


@transaction.atomic
def load(plan: Plan) -> int:
    board = Group.objects.filter(partnership=plan.partnership, kind=Group.Kind.BOARD).first()
    if board is None or Meeting.objects.filter(group=board).exists():
        return 0
    assumed = []
    for when, title, items in MEETINGS:
        meeting = Meeting.objects.create(group=board, date=when, title=title)
        assumed.append(
            (meeting, {"date": "The seeds give the month of the meeting, not the day; the 1st is assumed."})
        )
        for order, (kind, item_title, summary, decision, reference) in enumerate(items, start=1):
            AgendaItem.objects.create(
                meeting=meeting,
                order=order,
                kind=kind,
                title=item_title,
                summary=summary,
                decision=decision,
                reference=reference,
            )
    assumptions_sync(assumed)
    return len(MEETINGS)
