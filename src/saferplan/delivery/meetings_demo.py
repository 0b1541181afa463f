"""The Board meetings the seeds report (May 2014 in 004; November 2015 and January 2016 in 002; May 2016 in
001), with their items in the papers' own words. The seeds give the month, not the day: dates are the 1st.

An item's summary and decision are plain text as the meeting pages take it: paragraphs separated by a blank
line, "- " lines a bulleted list, and a "## " line a sub-heading within the item (002's Safer Homes update).
002 reports the November 2015 and January 2016 meetings together without saying which item was taken at
which: its order is kept, the first two items are assumed to be November's and the rest January's (the Safer
Homes figures are "as of November 2015"), and each is recorded as an assumption. 001 ¶10 says the Board
agreed the plan's strategic objectives in November 2015; 002 does not report it (the committee was consulted
on the objectives directly, 001 ¶6), so the demo records it with the plan's sign-off in May 2016, in 001's
words.
"""

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
                "Desistance Model",
                "A representative from the Durham, Tees Valley Community Rehabilitation Company provided the Board "
                "with a briefing on the subject of 'desistance' and learning themes from her research in Canada and "
                "North America as part of a Winston Churchill Fellowship.\n\n"
                "The learning that has been taken from people who continue to be involved in criminal activity or who "
                "have managed to cease offending has highlighted the critical role which identity, one's sense of "
                "'self', plays in the process of desistance. This sense of identity can be changed through "
                "environment, experiential family and group support and the opportunity to give something back. The "
                "Board heard examples of social action projects being used to help the community and give offenders a "
                "sense of 'self'.",
                "A series of cross-sector workshops to communicate this desistance model to partners, including "
                "Elected Members, will be developed in 2016/17.",
                "002 ¶2-4",
            ),
            (
                "other",
                "Funding",
                "The allocation of the Community Safety Fund for 2016/17 has been agreed by the Safe Durham "
                "Partnership Board and the Police and Crime Commissioner; and includes the following key priority "
                "areas:\n\n"
                "- Anti-Social Behaviour\n- Reducing Reoffending\n- Youth Offending Service\n- Checkpoint Programme"
                "\n\n"
                "A funding sub-group is in place to source additional funding streams to support the strategic "
                "objectives of the Safe Durham Partnership.",
                "",
                "002 ¶5-6",
            ),
        ],
    ),
    (
        date(2016, 1, 1),
        "Board meeting, January 2016",
        [
            (
                "other",
                "Safer Homes Update",
                "The Safer Homes Project was initiated in September 2014 as a result of the partnership being "
                "successful in its application for £500,000 from the 'Transformational Challenge Award'. The award "
                "was designed to encourage public services to work in partnership to commission, manage and deliver "
                "services in the best possible way.\n\n"
                "The main focus of the project was to transform the way in which isolated, vulnerable and elderly "
                "people receive crime and fire safety advice as well as protection. Along with practical help to make "
                "homes safer, the project was also hoping to improve the health and well-being of those people "
                "involved, with the project designed to foster further collaboration with as many frontline health "
                "care professionals, practitioners, families and friends as possible in order to reach the most "
                "vulnerable members of the community.\n\n"
                "## Actions delivered\n\n"
                "A centralised referral system managed by County Durham and Darlington Fire and Rescue Service "
                "(CDDFRS) ensures the referrals for vulnerability to fire and, or crime are allocated to the "
                "appropriate service. As of November 2015 this had resulted in 2018 referrals made through Safer "
                "Homes with 834 for police and 1184 for fire. This figure also includes 110 hoarders who have been "
                "identified compared to 6 during the same period last year.\n\n"
                "## Outcomes\n\n"
                "Since Safer Homes has been established the project has contributed towards CDDFRS seeing a "
                "reduction of approximately 20% in the number of dwelling fires between September 19th 2014 and 31st "
                "March 2015 compared to the same period last year. Since the work became mainstream in April 2015, "
                "the first quarter of 2015/16 has seen this trend continue with a 12% reduction compared to the same "
                "period last year. With regard to dwelling burglaries there was a reduction of (5.9%) in the period "
                "September 2014 to March 2015 which again has continued into 2015/16 with the first quarter seeing a "
                "9.8% reduction compared to the same period last year.\n\n"
                "Safer Homes is now normal working practice for both CDDFRS and Durham Police with all high risk "
                "community safety enquiries being classed as Safer Homes. It has also become an integral part of the "
                "recently reviewed 'Fire Fatality Protocol'.\n\n"
                "## Next Steps\n\n"
                "The project is now beginning to engage with GP surgeries, clinics and walk in centres to raise "
                "awareness of the process and establish the referral links.\n\n"
                "In early 2016 the installation of domestic sprinkler systems and 'secured by design' standard crime "
                "preventative equipment will begin in social housing accommodation across the county as part of a "
                "£360,000 match funding initiative with the housing providers.",
                "",
                "002 ¶7-13",
            ),
            (
                "other",
                "Safeguarding Adults Board Annual Report 2014/15",
                "The Annual Safeguarding Adults Board (SAB) Annual Report provides information on the current "
                "position of the SAB and outline achievements during 2014/15.\n\n"
                "Much of the work of the SAB in 2014/15 focussed on preparing for the implementation of the Care Act "
                "in April 2015, which places adult safeguarding on a statutory footing and implements changes to the "
                "way in which safeguarding enquiries are managed.\n\n"
                "Key Achievements from the SAB include increased promotion and reporting of safeguarding issues, "
                "revision of the SAB website and the appointment of Jane Geraghty, as an independent chair to both "
                "the SAB and LSCB.",
                "",
                "002 ¶14-16",
            ),
            (
                "other",
                "Durham Local Safeguarding Children Board (LSCB) Annual Report 2014/15",
                "The Durham LSCB Annual Report 2014/15 sets out the work of multi-agency partners to ensure effective "
                "arrangements are in place to safeguard and protect vulnerable children and young people from abuse "
                "and neglect.\n\n"
                "Some achievements and progress highlighted in the Annual Report include:\n\n"
                "- Development of the Early Help Strategy\n"
                "- The introduction of a County Durham Multi-Agency Safeguarding Hub (MASH)\n"
                "- Development and implemented the 'Collaborative working and information sharing between "
                "professionals to protect vulnerable adults and children' information sharing protocol\n"
                "- Developed a Safeguarding Framework to improve links with Health & Wellbeing Board, Children & "
                "Families Partnership and Safe Durham Partnership\n"
                "- Development of a Child Sexual Exploitation Strategy and delivery plan\n"
                "- Developing and implementing a Child Sexual Exploitation audit and sharing the information through "
                "other council and partnership structures\n"
                "- Supported 'Never Do Nothing' training (a safeguarding standard for voluntary and 3rd sector "
                "organisations)\n"
                "- Set up a Young People's Reference Group for the LSCB\n"
                "- Developing a new LSCB website, with input from young people\n\n"
                "The Durham Local Safeguarding Children Board has agreed the following priorities for 2015-18:\n\n"
                "- Reducing Child Sexual Exploitation\n"
                "- Improving Early Help\n"
                "- Reducing Neglect (contributory factors are domestic abuse; alcohol misuse; substance misuse; "
                "parental mental health)\n"
                "- Reducing self-harm and improving young people's self-esteem\n"
                "- Increase the voice of the Child\n"
                "- Ensuring that each agency is accountable for delivery of its own safeguarding responsibilities",
                "The Safe Durham Partnership Board will continue to work with the LSCB in relation shared or similar "
                "priorities. For the Safe Durham Partnership Board this will be by contributing to the development of "
                "actions covering Hidden Harm in respect of domestic abuse; alcohol misuse, substance misuse, sexual "
                "violence, child sexual exploitation and female genital mutilation.",
                "002 ¶17-20",
            ),
            (
                "other",
                "Ending Gang Violence and Exploitation",
                "The Ending Gangs and Youth Violence Programme was established in 2012. Since that time progress has "
                "been made by partners in directing resources to target violent individuals involved in gangs and "
                "safeguarding the most vulnerable.\n\n"
                "There are 52 areas of the country identified by the Home Office as Ending Gang and Youth Violence "
                "areas. None of these 52 areas are in the North-East of England.",
                "The Home Office's refreshed approach has been circulated to Chairs of Community Safety Partnerships. "
                "The refreshed approach includes 'reducing violence and knife crime' as one of six key priorities and "
                "the Board have agreed that the Partnership will take action in relation to this through the Reducing "
                "Re-Offending Group.",
                "002 ¶21-23",
            ),
            (
                "other",
                "Prevent",
                "A multi-agency response has been developed to take forward the work under the Counter Terrorism and "
                "Security Act 2015. As part of raising awareness, a nationally acclaimed Counter Terrorism expert will "
                "be providing seminars in April 2016 to County Council staff, elected members and partners.",
                "",
                "002 ¶24",
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
                "The strategic objectives were agreed by the Safe Durham Partnership Board in November 2015. The "
                "outcomes were agreed in May 2016 following the consultation period, and the Board signed off the "
                "Plan.",
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
    which_meeting = (
        "002 reports the November 2015 and January 2016 meetings together and does not say at which this item "
        "was discussed; in 002's order, the first two items are assumed to be November's and the rest January's."
    )
    for when, title, items in MEETINGS:
        meeting = Meeting.objects.create(group=board, date=when, title=title)
        assumed.append(
            (meeting, {"date": "The seeds give the month of the meeting, not the day; the 1st is assumed."})
        )
        for order, (kind, item_title, summary, decision, reference) in enumerate(items, start=1):
            item = AgendaItem.objects.create(
                meeting=meeting,
                order=order,
                kind=kind,
                title=item_title,
                summary=summary,
                decision=decision,
                reference=reference,
            )
            if reference.startswith("002"):
                assumed.append((item, {"meeting": which_meeting}))
    assumptions_sync(assumed)
    return len(MEETINGS)
