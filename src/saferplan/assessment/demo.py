"""The demo's strategic assessments, from the seed documents:

- `csa-2008-09`, the County Durham Strategic Assessment 2008/09, from 003 (the County Durham Community Safety
  Agreement 2008/09): what the consultation told the assessment (its three lists, word for word), a long-list with
  the six priorities' issues and issues the communities raised that did not become priorities, a scoring on the
  "impact_likelihood" template whose moderated scores put the six priorities top, the six priorities in 003's
  words, Priority 6's data improvement plan, the PESTELO entries 003 supports and sections with 003's text;
- `sa-2015-16`, the Safe Durham Partnership Strategic Assessment 2015/16, informing the 2016-19 plan (000, 001):
  sections quoting 000 with live figures on the demo's indicators and police data, PESTELO from 000 section 10,
  the consultation exercises 000 section 3 and 001 paragraph 6 describe, a long-list mapping to the plan's seven
  objectives plus two issues that did not become priorities, scored on the "morile" template by two analysts
  with exactly one disagreement, moderated, and the priorities linked to the plan's objectives;
- the information-sharing schedule, agreements register and the plan's date sent to the Police and Crime
  Commissioner (all assumed: the seeds give none of them).

The seed text has no page numbers: citations name the document and its heading, section or paragraph
("003 'Overview of what our Strategic Assessment told us'", "000 section 10", "001 paragraph 6"). Every value the
seeds do not give is recorded as an assumption (`saferplan.core.services.assumptions_sync`), so the pages say
"assumed for the demo"; every score is an assumption.

`load(plan)` takes the 2016-19 plan and creates each part once: running the demo twice changes nothing.
"""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from saferplan.accounts.models import Organisation, User
from saferplan.assessment.models import (
    AssessmentSection,
    CandidateIssue,
    Concern,
    ConsultationExercise,
    DataFlow,
    ImprovementAction,
    PestleFactor,
    Priority,
    SectionFigure,
    SharingAgreement,
    StrategicAssessment,
)
from saferplan.assessment.services import consultation, document, scoring, sharing
from saferplan.core.models import Assumption
from saferplan.core.services import assumptions_sync
from saferplan.plans.models import Indicator, Plan

CSA_SLUG = "csa-2008-09"
SA_SLUG = "sa-2015-16"
SCORERS = ("analyst", "analyst2")  # the two demo analysts (plans/management/commands/demo.py DEMO_USERS)

RESPONSIBLE_AUTHORITIES = [  # 000 section 3; 001 paragraph 2
    "durham-county-council",
    "durham-constabulary",
    "county-durham-and-darlington-fire-and-rescue",
    "national-probation-service",
    "durham-tees-valley-crc",
    "north-durham-ccg",
    "ddes-ccg",
]

# ================================================================================ 2008/09 (seed 003)

CSA_TITLE = "County Durham Strategic Assessment 2008/09"
CSA_SOURCE = "003 (County Durham Community Safety Agreement 2008/09)"
CSA_SUMMARY = (
    "The County Strategic Assessment of community safety issues, carried out by the County Community Safety "
    "Board for the two-tier area, supported by seven 'local' strategic assessments for each district/borough "
    "area. The assessment has relied upon the exchange of information between public authorities, information "
    "gathered by consulting our communities, from national surveys, national policy and from other "
    "acknowledged national sources (003 Introduction)."
)

# 003 "Overview of what our Strategic Assessment told us": (group, kind, [texts]) word for word, the seed's
# bullet marks left off
CSA_TOLD_US = [
    (
        Concern.Group.COMMUNITIES,
        Concern.Kind.CONCERN,
        [  # "Our Communities are concerned about:"
            "Anti-social behaviour.",
            "Drunken/rowdy behaviour.",
            "Speeding traffic.",
            "Burglary / theft from their homes.",
            "Litter and fly-tipping.",
            "Vandalism.",
            "People using or dealing drugs.",
            "Young people perceived to be causing a nuisance.",
        ],
    ),
    (
        Concern.Group.COMMUNITIES,
        Concern.Kind.WANT,
        [  # "They want to see:"
            "A greater uniform presence.",
            "More facilities for young people.",
            "Tougher sentencing.",
            "Better parenting.",
        ],
    ),
    (
        Concern.Group.YOUNG_PEOPLE,
        Concern.Kind.CONCERN,
        [  # "Children and young people in our communities are concerned about:"
            "Traffic.",
            "Being treated unfairly because of their age.",
            "Their safety in their local area.",
        ],
    ),
    (
        Concern.Group.PUBLIC_AUTHORITIES,
        Concern.Kind.CONCERN,
        [  # "Our public authorities are concerned about:"
            "Rowdy and nuisance behaviour.",
            "Criminal Damage.",
            "Alcohol related anti-social behaviour.",
            "Negative perceptions of young people.",
            "Violence in and around our town centres linked with alcohol.",
            "Young people as victims and offenders of violence.",
            "Young people and alcohol misuse.",
            "The need to protect vulnerable people from abuse.",
            "Level of re-offending.",
            "Impact of unemployment, homelessness, poor education and substance misuse on reoffending.",
            "The harm that is caused to individuals and communities as a result of alcohol misuse.",
        ],
    ),
]

# 003 "Priorities": the six priorities, word for word, in 003's order; with the outcome 003 gives each under
# "Priority N: ..." ("High Level Outcome")
CSA_PRIORITIES = [
    (
        "Improving public reassurance in relation to crime and anti-social behaviour, including a focus on "
        "reducing criminal damage.",
        "High level outcomes: improved quality of life within our communities; people feel safe in their "
        "communities (003 Priority 1).",
    ),
    (
        "Reducing serious violent crime across County Durham and in priority locations e.g. where there are "
        "links with violence and the night time economy.",
        "High level outcome: improved safety within our communities (003 Priority 2).",
    ),
    (
        "Tackling domestic abuse with specific emphasis on achieving a coordinated approach.",
        "High level outcome: reduce the harm caused by domestic abuse (003 Priority 3).",
    ),
    (
        "Ensuring there is a coordinated approach to tackling re-offending, with a particular focus on Prolific "
        "and Priority Offenders and Drug misuse.",
        "High level outcome: reduce re-offending across County Durham (003 Priority 4).",
    ),
    (
        "Reducing the harm to individuals and communities caused by alcohol misuse.",
        "High level outcomes: reduce the harm caused by alcohol; improved health and wellbeing (003 Priority 5).",
    ),
    (
        "Developing and implementing an information improvement plan in order to bridge the significant gaps in "
        "data sharing and improve the quality of 'Intelligence Products'.",
        "High level outcome: effective, evidence-led partnerships (003 Priority 6).",
    ),
]

# The long-list: (title, description, police.uk crime types, concerns (texts from CSA_TOLD_US), priority number
# or None, (impact, likelihood) scores). The titles are the demo's short names for 003's issues; the scores are
# assumed (003 gives no scores), chosen so that the six priorities rank top, in 003's order (16, 12, 9, 8, 6, 4)
# and the issues that did not become priorities below them.
CSA_LONG_LIST = [
    (
        "Public reassurance, anti-social behaviour and criminal damage",
        "Community concern about anti-social behaviour, rowdy behaviour, vandalism and young people perceived to "
        "be causing a nuisance; high volumes of criminal damage, fire setting and graffiti (003 Priority 1).",
        ["Anti-social behaviour", "Criminal damage and arson"],
        [
            "Anti-social behaviour.",
            "Drunken/rowdy behaviour.",
            "Vandalism.",
            "Young people perceived to be causing a nuisance.",
            "A greater uniform presence.",
            "Rowdy and nuisance behaviour.",
            "Criminal Damage.",
            "Negative perceptions of young people.",
            "More facilities for young people.",  # 003 Priority 1: positive activities for young people
            "Better parenting.",  # 003 Priority 1 measure 3: parents taking responsibility (NI 22)
            "Being treated unfairly because of their age.",  # 003 Priority 1: young people's positive contributions
            "Their safety in their local area.",  # 003 Priority 1 outcome: people feel safe in their communities
        ],
        1,
        (4, 4),
    ),
    (
        "Serious violent crime and the night-time economy",
        "Violence in and around town centres linked with alcohol and the night-time economy; young people as "
        "victims and offenders of violence (003 Priority 2).",
        ["Violence and sexual offences"],
        [
            "Violence in and around our town centres linked with alcohol.",
            "Young people as victims and offenders of violence.",
        ],
        2,
        (4, 3),
    ),
    (
        "Domestic abuse",
        "The need for a coordinated, countywide response to domestic abuse (003 Priority 3).",
        [],
        ["The need to protect vulnerable people from abuse."],
        3,
        (3, 3),
    ),
    (
        "Re-offending, Prolific and Priority Offenders and drug misuse",
        "The level of re-offending, and the impact of unemployment, homelessness, poor education and substance "
        "misuse on it (003 Priority 4).",
        ["Drugs"],
        [
            "Level of re-offending.",
            "Impact of unemployment, homelessness, poor education and substance misuse on reoffending.",
            "People using or dealing drugs.",
            "Tougher sentencing.",
        ],
        4,
        (2, 4),
    ),
    (
        "Harm caused by alcohol misuse",
        "The harm caused to individuals and communities by alcohol misuse, including alcohol-related anti-social "
        "behaviour and young people's alcohol misuse (003 Priority 5).",
        [],
        [
            "Alcohol related anti-social behaviour.",
            "Young people and alcohol misuse.",
            "The harm that is caused to individuals and communities as a result of alcohol misuse.",
        ],
        5,
        (3, 2),
    ),
    (
        "Gaps in data sharing and the quality of intelligence products",
        "Significant gaps in data sharing between the public authorities, and the quality of 'Intelligence "
        "Products' (003 Priority 6).",
        [],
        [],
        6,
        (2, 2),
    ),
    (
        "Speeding traffic",
        "Raised by our communities and by children and young people (003 'Overview of what our Strategic "
        "Assessment told us'); not a priority of the agreement.",
        [],
        ["Speeding traffic.", "Traffic."],
        None,
        (1, 3),
    ),
    (
        "Litter and fly-tipping",
        "Raised by our communities (003 'Overview of what our Strategic Assessment told us'); not a priority of "
        "the agreement.",
        [],
        ["Litter and fly-tipping."],
        None,
        (1, 3),
    ),
    (
        "Burglary and theft from homes",
        "Raised by our communities (003 'Overview of what our Strategic Assessment told us'); a priority of the "
        "South BCU and of Wear Valley (003 Appendix 1), not of the county agreement.",
        ["Burglary"],
        ["Burglary / theft from their homes."],
        None,
        (2, 1),
    ),
]

# 003 Priority 6: "What we will do now" and "Within the lifetime of this agreement we will", word for word, with
# the owner (organisation slug), named lead, target date and status the demo assumed (003 gives none of them)
CSA_IMPROVEMENT_PLAN = [
    (
        "Develop a time-limited multi-agency Data Champions Group to facilitate effective information sharing.",
        "durham-county-council",
        date(2008, 9, 30),
        "complete",
    ),
    (
        "Develop and implement a Data Improvement Plan.",
        "durham-county-council",
        date(2008, 12, 31),
        "complete",
    ),
    (
        "Implement a Customer Relationship Management Database for capturing, tracking, recording and sharing "
        "incidents of anti-social behaviour reported to all services within each of our local authorities, "
        "meeting the National Standards for Incident Recording.",
        "durham-county-council",
        date(2009, 3, 31),
        "on_track",
    ),
    (
        "Share information that enables us to understand more about victims and offenders of violent crime.",
        "durham-constabulary",
        date(2009, 3, 31),
        "complete",
    ),
    (
        "Share information that enables us to understand more about victims and offenders of domestic abuse.",
        "durham-constabulary",
        date(2009, 3, 31),
        "on_track",
    ),
    (
        "Develop a greater understanding of the links between alcohol, young people and anti-social behaviour.",
        "durham-county-council",
        date(2009, 3, 31),
        "at_risk",
    ),
    (
        "Do more to ensure we share information that will enable us to be better informed about how to reduce "
        "reoffending.",
        "durham-constabulary",
        date(2009, 3, 31),
        "on_track",
    ),
    (
        "Develop data and information about the misuse of alcohol that will help us understand the extent of the "
        "problem and the best way to work together to respond effectively to it.",
        "durham-county-council",
        date(2009, 3, 31),
        "at_risk",
    ),
    (
        "Develop the creation of new Accident and Emergency data sets relating to alcohol and violence.",
        "north-durham-ccg",
        date(2009, 3, 31),
        "off_track",
    ),
    ("Develop data in respect of drug misuse.", "durham-county-council", date(2009, 3, 31), "on_track"),
    (
        "Review and update our information sharing protocols.",
        "durham-county-council",
        date(2009, 3, 31),
        "complete",
    ),
]
CSA_IMPROVEMENT_UPDATED = date(2009, 3, 31)  # assumed: the year-end review of the agreement

# PESTELO: only what 003 says
CSA_PESTLE = [
    (
        PestleFactor.Category.LEGAL,
        "A statutory requirement set out within the Crime and Disorder (Formulation and Implementation of "
        "Strategy) Regulations 2007 requires specific action for two tier areas: a County Community Safety Board, "
        "a County Strategic Assessment and a plan for improving information sharing (003 Introduction).",
    ),
    (
        PestleFactor.Category.POLITICAL,
        "The National Community Safety Plan 2008-11: PSA 23 Make Communities Safer; PSA 24 Deliver a more "
        "effective, transparent and responsive CJS for victims and the public; PSA 25 Reduce the harm caused by "
        "alcohol and drugs (003 Introduction and Appendix 1).",
    ),
    (
        PestleFactor.Category.POLITICAL,
        "The Home Office Crime Strategy 2008-11: a stronger focus on serious violence, continued pressure on "
        "anti-social behaviour, a renewed focus on young people, and freeing up local partners to build public "
        "confidence (003 Appendix 1).",
    ),
    (
        PestleFactor.Category.ORGANISATIONAL,
        "Local Government Reorganisation: work together to create a community safety team to serve the unitary "
        "council from 1 April 2009; review service design for domestic abuse services linked to Local Government "
        "Reorganisation (003 'What we will do now' and Priority 3).",
    ),
]

CSA_SECTIONS = [
    (
        AssessmentSection.Kind.OTHER,
        "Introduction",
        "The Crime and Disorder Act 1998 placed a legal duty on responsible authorities to work together to tackle "
        "crime, the misuse of drugs, anti-social behaviour and other behaviour adversely affecting the "
        "environment. In County Durham the responsible authorities are Durham County Council, Durham "
        "Constabulary, County Durham and Darlington Fire and Rescue Authority, District/Borough Councils, Durham "
        "Police Authority and the County Durham Primary Care Trust. (003 Introduction)\n\n"
        "Through the development of the County Strategic Assessment the Board has identified a set of priorities "
        "that will respond to community concerns, is based on evidence and underpins the implementation of clear "
        "strategies. (003 Introduction)\n\n"
        "The assessment that we have undertaken was supported by seven 'local' strategic assessments for each "
        "district/borough area. These have been used to develop local partnership plans that demonstrate how "
        "issues relevant to particular localities will be tackled. (003 Introduction)",
    ),
    (
        AssessmentSection.Kind.COMMUNITY_VIEWS,
        "What our communities told us",
        "The assessment drew on information gathered by consulting our communities, from national surveys, "
        "national policy and from other acknowledged national sources (003 Introduction). What our communities, "
        "children and young people, and our public authorities said is recorded, word for word, as the results of "
        "the consultation (003 'Overview of what our Strategic Assessment told us').",
    ),
    (
        AssessmentSection.Kind.AREAS_FOR_DEVELOPMENT,
        "Areas for development",
        "Develop and implement an information improvement plan in order to bridge the significant gaps in data "
        "sharing and improve the quality of 'Intelligence Products'. (003 Priority 6)\n\n"
        "Implement improvements to information sharing systems and processes through the development of a Data "
        "Improvement Plan. Develop a centrally driven performance management framework which ensures alignment of "
        "performance measures across the County strategic priorities, the LAA and CDRP plans. (003 'What we will "
        "do now')",
    ),
]

# ======================================================================== 2015/16 (seeds 000 and 001)

SA_TITLE = "Safe Durham Partnership Strategic Assessment 2015/16"
SA_SOURCE = "000 (Safe Durham Partnership Plan 2016-19) and 001 (Cabinet report, 15 June 2016)"
SA_SUMMARY = (
    "The Safe Durham Partnership has a duty to develop an annual strategic assessment of the risks and threats "
    "that crime and disorder poses to the communities of County Durham. The purpose of this assessment is to "
    "identify its priorities for the forthcoming year, highlight performance, progress and achievements against "
    "the commitments made in the 2015-18 Partnership Plan, and identify key crime and disorder risks and threats "
    "to the community (000 section 3)."
)
# The period: three years, 1 April 2013 to 31 March 2016 (assumed: see the note). The demo's figures start in
# April 2013, and the latest real figures it holds are the 2015/16 year-end figures the plan quotes (000 section
# 4) and the police.uk month of March 2016; 2012/13 to 2014/15 would have shown a year with no figures at all.
SA_PERIOD = (date(2013, 4, 1), date(2016, 3, 31))
SA_PERIOD_NOTE = (
    "The seeds do not give the period the assessment looked back over. Three years, 2013/14 to 2015/16, are "
    "assumed: the demo's figures start in April 2013, and ending in March 2016 brings in the latest real figures "
    "the demo holds (the 2015/16 figures in 000 section 4, and the police.uk month of March 2016). An assessment "
    "written for the Board's November 2015 meeting would have ended earlier."
)
SA_AGREED_ON = date(
    2016, 5, 31
)  # 001 paragraph 6: the Board signed off the plan in May 2016; the day assumed

SA_SECTIONS = [
    (
        AssessmentSection.Kind.CURRENT_PICTURE,
        "Current picture",
        "Since the Safe Durham Partnership was formed in 2009 there has been a reduction in overall crime. At the "
        "end of March 2016 the Safe Durham Partnership reported that the number of crimes was 28,690, a reduction "
        "of 9.5% compared to 2009/10. Despite an increase of 12.3% in the overall crime rate in 2015/16 rates per "
        "1,000 population remain lower than other areas of the region and nationally. (000 section 4)\n\n"
        "Data for April 2015 to March 2016 shows that there were 20,649 ASB incidents reported to the police, "
        "which is a reduction of 11.2% from 23,257 when compared to the same period of the previous year. "
        "However, the number of council reported incidents of ASB during April to March 2016 increased by 8.7% in "
        "comparison to the same period in 2014/2015. (000 section 4)",
        [
            (
                SectionFigure.Kind.INDICATOR_TREND,
                "crime-rate",
                "",
                "The overall crime rate per 1,000 population",
            ),
            (
                SectionFigure.Kind.INDICATOR_TREND,
                "asb-incidents-police",
                "",
                "Anti-social behaviour incidents reported to the police",
            ),
            (SectionFigure.Kind.POLICE_CRIME_TYPES, None, "", "Police recorded crime by type (police.uk)"),
        ],
    ),
    (
        AssessmentSection.Kind.VICTIMS_OFFENDERS_LOCATIONS,
        "Victims, offenders and locations",
        "Evidence from the Safe Durham Partnership Strategic Assessment shows a significant number of anti-social "
        "behaviour incidents are reported to the council. (000 section 8, Reduce anti-social behaviour)\n\n"
        "The Strategic Assessment described how nationally identified risks associated to women offenders are "
        "reflected locally. These include abuse, anxiety and depression, substance misuse, safe accommodation, "
        "vulnerability from male offenders and leaving behind dependent children when entering prison. (000 "
        "section 8, Reduce re-offending)",
        [
            (
                SectionFigure.Kind.INDICATOR_LOCALITIES,
                "asb-incidents-police",
                "",
                "Anti-social behaviour incidents reported to the police, by Area Action Partnership",
            ),
            (
                SectionFigure.Kind.POLICE_LOCALITIES,
                None,
                "Violence and sexual offences",
                "Violence and sexual offences by area (police.uk)",
            ),
        ],
    ),
    (
        AssessmentSection.Kind.FUTURE_TRENDS,
        "Future and emerging trends",
        "The Plan also identifies how the partnership will respond to the impact of national policy changes and "
        "new and emerging risks, such as the impact of Welfare Reforms and continued austerity measures. (000 "
        "section 2)\n\n"
        "Since 2010 the Safe Durham Partnership has operated in a time of significant change in the public sector. "
        "Key statutory partners who make up the Safe Durham Partnership Board have faced reductions in expenditure "
        "and resources. Home Office grants to the Safe Durham Partnership have also significantly reduced. (000 "
        "section 10)",
        [],
    ),
    (
        AssessmentSection.Kind.AREAS_FOR_DEVELOPMENT,
        "Areas for development",
        "The Strategic Assessment includes analysis of the impact of mental health on offending which helps to "
        "improve understanding of how individuals are affected throughout their pathway through the criminal "
        "justice system. (000 section 6)",
        [
            (
                SectionFigure.Kind.INDICATOR_TREND,
                "alcohol-related-violent-crime",
                "",
                "The proportion of violent crime that is alcohol-related",
            ),
        ],
    ),
    (
        AssessmentSection.Kind.COMMUNITY_VIEWS,
        "What our communities told us",
        "As part of the strategic assessment process we consult with stakeholders and communities on community "
        "safety issues that matter to them. Community priorities have been fed into this Plan through the Police "
        "and Communities Together (PACT) meetings, public confidence surveys and through consultation with the 14 "
        "Area Action Partnerships and the Safer and Stronger Overview and Scrutiny Committee. (000 section 3)\n\n"
        "Specific issues which the public have raised include dog fouling, speeding traffic and rubbish lying "
        "around. Fly-tipping accounts for almost half of all reported incidents. (000 section 8)",
        [
            (
                SectionFigure.Kind.INDICATOR_TREND,
                "confidence-police-council-dealing",
                "",
                "Perceptions that the police and local council are dealing with local concerns",
            ),
        ],
    ),
]

SA_PESTLE = [
    (
        PestleFactor.Category.POLITICAL,
        "Police and Crime Commissioner elections: the second round of elections took place in May 2016; a new "
        "Police and Crime Plan will be developed following them (000 sections 10 and 11).",
    ),
    (
        PestleFactor.Category.POLITICAL,
        "The Police and Crime Plan: the partnership and the Office of the Police, Crime and Victims Commissioner "
        "work on shared objectives, including domestic abuse, hate crime, anti-social behaviour, alcohol and "
        "drugs, road safety, reducing re-offending and public confidence (000 sections 10 and 11).",
    ),
    (
        PestleFactor.Category.POLITICAL,
        "The Government's Counter-Extremism Strategy, published on 20 October 2015: counter the extremist "
        "ideology, build a partnership with all those opposed to extremism, disrupt extremists and build more "
        "cohesive communities (000 section 10).",
    ),
    (
        PestleFactor.Category.POLITICAL,
        "The Rural Crime and Policing Statement 2016/21 has been considered in the refresh of the plan (000 "
        "section 10).",
    ),
    (
        PestleFactor.Category.ECONOMIC,
        "Continued austerity: key statutory partners have faced reductions in expenditure and resources, and Home "
        "Office grants to the partnership have significantly reduced (000 sections 2 and 10).",
    ),
    (
        PestleFactor.Category.SOCIAL,
        "Welfare Reform: a new and emerging risk (000 section 2), which with changes in commissioning structures "
        "and limited resources compounds the partnership's ability to reduce alcohol harm (000 section 8).",
    ),
    (
        PestleFactor.Category.TECHNOLOGICAL,
        "Cyber crime: cyber dependent crimes (malware, hacking) and cyber enabled crimes (fraud, drugs purchases, "
        "child sexual exploitation and online harassment); the National Cyber Security Programme (000 section 10).",
    ),
    (
        PestleFactor.Category.ENVIRONMENTAL,
        "'Dog fouling' and 'Rubbish and litter' remain high on the list of public concern; rubbish and litter are "
        "a significant cause of secondary deliberate fires (000 section 6).",
    ),
    (
        PestleFactor.Category.LEGAL,
        "The Anti-Social Behaviour, Crime and Policing Act 2014: the Community Trigger and Community Remedy, in "
        "force since October 2014 (000 section 10).",
    ),
    (
        PestleFactor.Category.LEGAL,
        "The Counter Terrorism and Security Act 2015: a duty on specified authorities to have due regard to the "
        "need to prevent people from being drawn into terrorism (000 section 10).",
    ),
    (
        PestleFactor.Category.LEGAL,
        "The Serious Crime Act 2015: powers against serious and organised criminals, and protection of vulnerable "
        "children and others, including from female genital mutilation and domestic abuse (000 section 10).",
    ),
    (
        PestleFactor.Category.ORGANISATIONAL,
        "Transforming Rehabilitation: the National Probation Service (June 2014) and twenty one Community "
        "Rehabilitation Companies (February 2015); NHS and Probation reforms changed the statutory membership of "
        "the Board (000 sections 3 and 10).",
    ),
]

# The consultation exercises 000 section 3 and 001 paragraph 6 describe: (title, kind, held_from, held_to,
# reached, notes, source, {field: assumption note})
SA_EXERCISES = [
    (
        "Police and Communities Together (PACT) meetings",
        ConsultationExercise.Kind.PACT,
        date(2015, 4, 1),
        date(2015, 9, 30),
        "Residents at PACT meetings across the county",
        "Community priorities fed into the plan through the PACT meetings (000 section 3).",
        "000 section 3",
        {
            "held_from": "000 section 3 names PACT meetings but not when; April to September 2015 is assumed.",
            "held_to": "000 section 3 names PACT meetings but not when; April to September 2015 is assumed.",
        },
    ),
    (
        "Public confidence survey",
        ConsultationExercise.Kind.SURVEY,
        date(2015, 4, 1),
        date(2016, 3, 31),
        "Residents of County Durham",
        "Community priorities fed into the plan through public confidence surveys (000 section 3); the plan's "
        "measure 'Perceptions of anti-social behaviour' comes from the police confidence survey (000 section 8).",
        "000 sections 3 and 8",
        {
            "held_from": "000 section 3 names public confidence surveys but not when; 2015/16 is assumed.",
            "held_to": "000 section 3 names public confidence surveys but not when; 2015/16 is assumed.",
        },
    ),
    (
        "Community Safety themed workshop at the Health and Wellbeing 'Big Tent' event",
        ConsultationExercise.Kind.WORKSHOP,
        date(2015, 11, 4),  # 001 paragraph 6
        None,
        "A wide range of stakeholders and members of the public (000 section 3)",
        "A consultation workshop was held on 4th November 2015 at the Health and Wellbeing 'Big Tent' Event to "
        "inform the development of the Plan (001 paragraph 6).",
        "001 paragraph 6; 000 section 3",
        {},
    ),
    (
        "Consultation with the 14 Area Action Partnerships on the draft objectives and outcomes",
        ConsultationExercise.Kind.AAP_EVENT,
        date(2016, 1, 1),
        date(2016, 2, 29),
        "The 14 Area Action Partnerships and partners",
        "Further consultation with partners, Area Action Partnerships and the Safer and Stronger Overview and "
        "Scrutiny Committee took place between January and February 2016 on the objectives and outcomes contained "
        "within the draft refresh of the Partnership Plan 2016-19 (001 paragraph 6).",
        "001 paragraph 6; 000 section 3",
        {
            "held_from": "001 paragraph 6 gives January to February 2016, not the days; 1 January is assumed.",
            "held_to": "001 paragraph 6 gives January to February 2016, not the days; 29 February is assumed.",
        },
    ),
    (
        "Safer and Stronger Overview and Scrutiny Committee: the draft objectives and outcomes",
        ConsultationExercise.Kind.SCRUTINY,
        date(2016, 1, 1),
        date(2016, 2, 29),
        "Members of the Safer and Stronger Overview and Scrutiny Committee",
        "Consultation with the Safer and Stronger Overview and Scrutiny Committee between January and February "
        "2016 on the draft objectives and outcomes (001 paragraph 6; 000 section 3).",
        "001 paragraph 6; 000 section 3",
        {
            "held_from": "001 paragraph 6 gives January to February 2016, not the days; 1 January is assumed.",
            "held_to": "001 paragraph 6 gives January to February 2016, not the days; 29 February is assumed.",
        },
    ),
]
# What the public raised, in 000's words (000 section 8, Reduce anti-social behaviour: "Specific issues which the
# public have raised include dog fouling, speeding traffic and rubbish lying around"); the seeds do not say at
# which exercise, so the exercise is assumed
SA_CONCERNS = ["Dog fouling", "Speeding traffic", "Rubbish lying around"]
SA_CONCERN_EXERCISE = "Police and Communities Together (PACT) meetings"
# 001 Appendix 1 (Consultation): "Statutory consultation with the community and stakeholders has been undertaken
# as part of the Strategic Assessment process"; who attended for each authority is assumed (every one of the seven)
SA_BIG_TENT_ATTENDANCE = RESPONSIBLE_AUTHORITIES

# The long-list: (title, description, indicator slugs, police.uk crime types, objective number of the 2016-19
# plan it became or None, scores {dimension: value} of the first scorer (morile: harm 1-5, likelihood 1-5,
# organisational position 1-4, confidence 1-3). The scores are assumed (the seeds give none). The two scorers
# agree on every score but one (SA_DISAGREEMENT).
SA_LONG_LIST = [
    (
        "Anti-social behaviour and low level crime",
        "Anti-social behaviour influences public confidence; a significant number of incidents are reported to the "
        "council, and fly-tipping accounts for almost half of them (000 section 8).",
        ["asb-incidents-police", "asb-incidents-council", "asb-perceptions", "criminal-damage-arson"],
        ["Anti-social behaviour", "Criminal damage and arson"],
        1,
        {"Harm": 3, "Likelihood": 5, "Organisational position": 2, "Confidence": 3},
    ),
    (
        "Domestic abuse, sexual violence, hate crime and child sexual exploitation",
        "Protecting vulnerable people from harm covers domestic abuse, sexual violence and hate crime; child sexual "
        "exploitation is also a key issue (000 section 8).",
        ["domestic-abuse-repeat-marac", "sexual-offences-rate", "hate-incidents-reported", "cse-referrals"],
        ["Violence and sexual offences"],
        2,
        {"Harm": 5, "Likelihood": 4, "Organisational position": 2, "Confidence": 2},
    ),
    (
        "Re-offending",
        "The Government objective for reducing crime and reducing the number of victims shows a continued focus on "
        "re-offending (000 section 8).",
        ["proven-reoffending-all", "proven-reoffending-young-people", "first-time-entrants"],
        [],
        3,
        {"Harm": 4, "Likelihood": 4, "Organisational position": 1, "Confidence": 2},
    ),
    (
        "Alcohol and substance misuse",
        "The harm caused by alcohol impacts upon crime, health and social services and the workplace; it costs the "
        "people of County Durham in the region of £185.38 million each year (000 section 8).",
        ["alcohol-related-violent-crime", "alcohol-related-asb", "drug-treatment-completions-opiates"],
        ["Drugs"],
        4,
        {"Harm": 4, "Likelihood": 4, "Organisational position": 2, "Confidence": 3},
    ),
    (
        "Families with complex needs",
        "A joint priority objective with the Children and Families Partnership (000 section 8); the Stronger "
        "Families Programme worked with 1,932 families up to 31 March 2016 (000 section 4).",
        ["stronger-families-turned-around", "families-crime-asb-intervention"],
        [],
        5,
        {"Harm": 3, "Likelihood": 4, "Organisational position": 2, "Confidence": 2},
    ),
    (
        "Terrorism and violent extremism",
        "The threat to the UK from the terrorist organisation 'Daesh' has resulted in the threat level to the UK "
        "being raised to 'Severe' (000 section 8).",
        ["prevent-self-assessment"],
        [],
        6,
        {"Harm": 5, "Likelihood": 1, "Organisational position": 2, "Confidence": 1},
    ),
    (
        "Road safety, open water and safety in the home",
        "The county still has a higher than average rate of child casualties, 134 in 2013, and a significant roads "
        "network (000 section 8).",
        ["ksi-road", "road-casualties", "open-water-incidents"],
        [],
        7,
        {"Harm": 4, "Likelihood": 2, "Organisational position": 1, "Confidence": 3},
    ),
    (
        "Cyber crime",
        "Cyber dependent and cyber enabled crime (000 section 10); not a priority objective of the 2016-19 plan.",
        [],
        [],
        None,
        {"Harm": 2, "Likelihood": 3, "Organisational position": 3, "Confidence": 1},
    ),
    (
        "Illicit tobacco",
        "Young people drawn into 'tab houses'; illegal tobacco has strong links to organised crime (000 section "
        "6); tackled through the Organised Crime Disruption and Intervention Panel, not a priority objective.",
        [],
        [],
        None,
        {"Harm": 2, "Likelihood": 3, "Organisational position": 2, "Confidence": 1},
    ),
]
# The one score the two analysts disagreed on, and the moderation (all assumed)
SA_DISAGREEMENT = (
    "Terrorism and violent extremism",
    "Likelihood",
    2,  # the second analyst's score; the first's is in SA_LONG_LIST
    1,  # the moderated score
    "The national threat level is 'Severe' (000 section 8), but no local intelligence points to an attack in "
    "County Durham in the coming year: the lower likelihood was agreed. The issue stays a priority because of the "
    "Prevent duty of the Counter Terrorism and Security Act 2015 (000 section 10).",
)
# The order the moderated scores rank the long-list in (weighted sum of the "morile" template's weights: harm 2,
# likelihood 1.5, organisational position 1, confidence 0.5): 19, 17.5, 17, 16, 15, 14, 13.5, then the two that
# did not become priorities, 12 and 11
SA_RANKING = [
    "Domestic abuse, sexual violence, hate crime and child sexual exploitation",
    "Alcohol and substance misuse",
    "Anti-social behaviour and low level crime",
    "Re-offending",
    "Families with complex needs",
    "Terrorism and violent extremism",
    "Road safety, open water and safety in the home",
    "Cyber crime",
    "Illicit tobacco",
]
CSA_RANKING = [title for title, *_ in CSA_LONG_LIST]  # 16, 12, 9, 8, 6, 4, then 3, 3, 2
SCORES_NOTE = "The seeds give no scores: this score is made up for the demo."


# ================================================================================================ users


def scorers() -> list[User]:
    """The demo's two analysts, who score the long-lists: created (role analyst, no usable password) if missing,
    so that scores always have a scorer; `demo --users` then sets their names, roles and passwords as for every
    demo user."""
    from saferplan.plans.management.commands.demo import DEMO_USERS  # the command imports this module

    details = {username: rest for username, *rest in DEMO_USERS}
    result = []
    for username in SCORERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            role, first, last, org_slug, _ = details[username]
            user = User(
                username=username,
                role=role,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                organisation=Organisation.objects.filter(slug=org_slug).first() if org_slug else None,
            )
            user.set_unusable_password()
            user.save()
        result.append(user)
    return result


# ================================================================================================ load


def _orgs(slugs) -> dict[str, Organisation]:
    return {o.slug: o for o in Organisation.objects.filter(slug__in=list(slugs))}


def _indicators(partnership, slugs) -> list[Indicator]:
    found = {
        i.slug: i for i in Indicator.objects.live().filter(partnership=partnership, slug__in=list(slugs))
    }
    return [found[s] for s in slugs if s in found]


def _sections(assessment, specs, assumed) -> None:
    for kind, title, text, figures in specs:
        section = document.section_save(
            section=AssessmentSection(assessment=assessment), user=None, kind=kind, title=title, text=text
        )
        for figure_kind, slug, crime_type, caption in figures:
            indicator = None
            if slug:
                found = _indicators(assessment.partnership, [slug])
                if not found:
                    continue
                indicator = found[0]
            document.figure_save(
                figure=SectionFigure(section=section),
                user=None,
                kind=figure_kind,
                indicator=indicator,
                crime_type=crime_type,
                caption=caption,
            )


def _pestle(assessment, specs) -> None:
    for category, text in specs:
        document.pestle_save(
            factor=PestleFactor(assessment=assessment), user=None, category=category, text=text
        )


def _score(assessment, candidates, values_by_title, users, assumed, *, disagreement=None, moderate_all=False):
    """Both analysts score every candidate on every dimension (the same values, but for `disagreement`), then
    the disagreement is moderated (and with `moderate_all`, every agreed value confirmed at moderation)."""
    dimensions = {d.name: d for d in assessment.scheme.dimensions.all()}
    for title, candidate in candidates.items():
        for name, value in values_by_title[title].items():
            dimension = dimensions[name]
            for user in users:
                given = value
                if disagreement and (title, name) == disagreement[:2] and user == users[1]:
                    given = disagreement[2]
                score = scoring.score_save(
                    candidate=candidate, dimension=dimension, scorer=user, value=given, user=None
                )
                assumed.append((score, {"value": SCORES_NOTE}))
            if disagreement and (title, name) == disagreement[:2]:
                moderated = scoring.moderate(
                    candidate=candidate,
                    dimension=dimension,
                    value=disagreement[3],
                    reason=disagreement[4],
                    user=None,
                )
                assumed.append(
                    (
                        moderated,
                        {
                            "value": SCORES_NOTE,
                            "reason": "The seeds record no moderation: made up for the demo.",
                        },
                    )
                )
            elif moderate_all:
                moderated = scoring.moderate(
                    candidate=candidate,
                    dimension=dimension,
                    value=value,
                    reason="Both scorers' value confirmed at the assessment's moderation.",
                    user=None,
                )
                assumed.append(
                    (
                        moderated,
                        {
                            "value": SCORES_NOTE,
                            "reason": "The seeds record no moderation: made up for the demo.",
                        },
                    )
                )


def _candidate_notes(seed: str, concerns: bool, crime_types: bool) -> dict[str, str]:
    """The long-list's links that are the demo's judgement: what people said, and police.uk crime types."""
    notes = {}
    if concerns:
        notes["concerns"] = f"{seed} does not link what people said to the issues; the links are the demo's."
    if crime_types:
        notes["crime_types"] = f"{seed} does not map the issue to police.uk crime types; the demo chose them."
    return notes


def _load_2008_09(plan: Plan, users: list[User], assumed: list) -> StrategicAssessment:
    partnership = plan.partnership
    scheme = scoring.scheme_from_template(
        partnership=partnership, key="impact_likelihood", name="Impact and likelihood (2008/09)"
    )
    assessment = document.assessment_save(
        assessment=StrategicAssessment(partnership=partnership, slug=CSA_SLUG),
        user=None,
        title=CSA_TITLE,
        year="2008/09",
        period_start=date(2007, 4, 1),
        period_end=date(2008, 3, 31),
        summary=CSA_SUMMARY,
        scheme=scheme,
        state=StrategicAssessment.State.AGREED,
        agreed_on=date(2008, 6, 30),
    )
    assumed.append(
        (
            assessment,
            {
                "period_start": "003 does not give the period the assessment looked back over; the year before "
                "2008/09, 2007/08, is assumed.",
                "period_end": "003 does not give the period the assessment looked back over; the year before "
                "2008/09, 2007/08, is assumed.",
                "agreed_on": "003 does not date the agreement; 30 June 2008 is assumed (003 expects a baseline "
                "in July 2008).",
                "scheme": "003 does not say how the long-list was scored; the impact and likelihood template is "
                "assumed.",
            },
        )
    )
    assumed.append(
        (
            scheme,
            {"name": "003 does not say how the long-list was scored; the scheme is made up for the demo."},
        )
    )

    exercise = consultation.exercise_save(
        exercise=ConsultationExercise(partnership=partnership),
        user=None,
        title="Consultation for the County Strategic Assessment 2008/09",
        kind=ConsultationExercise.Kind.OTHER,
        assessment=assessment,
        held_from=date(2007, 10, 1),
        held_to=date(2008, 1, 31),
        reached="Our communities, children and young people in our communities, and our public authorities",
        notes="The assessment relied upon information gathered by consulting our communities, from national "
        "surveys, and the exchange of information between public authorities (003 Introduction).",
        source="003 'Overview of what our Strategic Assessment told us'",
    )
    note = "003 gives what the consultation found, not when it was held; October 2007 to January 2008 is assumed."
    assumed.append((exercise, {"held_from": note, "held_to": note}))
    concerns = {}
    for group, kind, texts in CSA_TOLD_US:
        for text in texts:
            concerns[text] = consultation.concern_save(
                concern=Concern(exercise=exercise), user=None, group=group, kind=kind, text=text
            )

    candidates = {}
    for title, description, crime_types, concern_texts, _, _ in CSA_LONG_LIST:
        candidates[title] = document.candidate_save(
            candidate=CandidateIssue(assessment=assessment),
            user=None,
            concerns=[concerns[t] for t in concern_texts],
            title=title,
            description=description,
            crime_types=crime_types,
        )
        assumed.append((candidates[title], _candidate_notes("003", bool(concern_texts), bool(crime_types))))
    values = {
        title: {"Impact": impact, "Likelihood": likelihood}
        for title, *_, (impact, likelihood) in CSA_LONG_LIST
    }
    _score(assessment, candidates, values, users, assumed, moderate_all=True)

    by_number = {number: title for title, _, _, _, number, _ in CSA_LONG_LIST if number}
    for number, (title, rationale) in enumerate(CSA_PRIORITIES, start=1):
        document.priority_save(
            priority=Priority(assessment=assessment),
            user=None,
            number=number,
            title=title,
            rationale=rationale,
            candidate=candidates[by_number[number]],
        )

    _pestle(assessment, CSA_PESTLE)
    _sections(assessment, [(k, t, x, []) for k, t, x in CSA_SECTIONS], assumed)

    orgs = _orgs(o for _, o, _, _ in CSA_IMPROVEMENT_PLAN)
    for description, owner, target, status in CSA_IMPROVEMENT_PLAN:
        action = sharing.improvement_action_save(
            action=ImprovementAction(partnership=partnership),
            user=None,
            assessment=assessment,
            description=description,
            owner=orgs.get(owner),
            target_date=target,
        )
        assumed.append(
            (
                action,
                {
                    "owner": "003 does not say who owns the action; the owner is assumed.",
                    "target_date": "003 gives no date but 'within the lifetime of this agreement' (2008/09); "
                    "the date is assumed.",
                },
            )
        )
        update = sharing.improvement_update_add(
            action=action,
            on=CSA_IMPROVEMENT_UPDATED,
            status=status,
            text="Year-end review of the data improvement plan (made up for the demo).",
            user=None,
        )
        assumed.append((update, {"status": "003 records no progress: the status is made up for the demo."}))
    return assessment


def _load_2015_16(plan: Plan, users: list[User], assumed: list) -> StrategicAssessment:
    partnership = plan.partnership
    scheme = scoring.scheme_from_template(
        partnership=partnership, key="morile", name="Threat, harm and risk (2015/16)"
    )
    assessment = document.assessment_save(
        assessment=StrategicAssessment(partnership=partnership, slug=SA_SLUG),
        user=None,
        title=SA_TITLE,
        year="2015/16",
        period_start=SA_PERIOD[0],
        period_end=SA_PERIOD[1],
        summary=SA_SUMMARY,
        scheme=scheme,
        informs=plan,
        state=StrategicAssessment.State.AGREED,
        agreed_on=SA_AGREED_ON,
    )
    assumed.append(
        (
            assessment,
            {
                "period_start": SA_PERIOD_NOTE,
                "period_end": SA_PERIOD_NOTE,
                "agreed_on": "The seeds do not date the assessment; the Board signed off the plan it informs in "
                "May 2016 (001 paragraph 6) and 31 May 2016 is assumed.",
                "scheme": "The seeds do not say how the long-list was scored; the threat, harm and risk template "
                "is assumed.",
            },
        )
    )
    assumed.append(
        (
            scheme,
            {
                "name": "The seeds do not say how the long-list was scored; the scheme is made up for the demo."
            },
        )
    )

    orgs = _orgs(RESPONSIBLE_AUTHORITIES)
    exercises = {}
    for title, kind, start, end, reached, notes, source, notes_assumed in SA_EXERCISES:
        exercise = consultation.exercise_save(
            exercise=ConsultationExercise(partnership=partnership),
            user=None,
            senior_attendance=[orgs[s] for s in SA_BIG_TENT_ATTENDANCE if s in orgs]
            if kind == ConsultationExercise.Kind.WORKSHOP
            else None,
            title=title,
            kind=kind,
            assessment=assessment,
            held_from=start,
            held_to=end,
            reached=reached,
            notes=notes,
            source=source,
        )
        notes_assumed = dict(notes_assumed)
        if kind == ConsultationExercise.Kind.WORKSHOP:
            notes_assumed["senior_attendance"] = (
                "001 (Appendix 1, Consultation) says the statutory consultation was undertaken as part of the "
                "strategic assessment, not who attended; a senior person from each of the seven responsible "
                "authorities at this event is assumed."
            )
        if notes_assumed:
            assumed.append((exercise, notes_assumed))
        exercises[title] = exercise
    concerns = {}
    for text in SA_CONCERNS:
        concern = consultation.concern_save(
            concern=Concern(exercise=exercises[SA_CONCERN_EXERCISE]),
            user=None,
            group=Concern.Group.COMMUNITIES,
            kind=Concern.Kind.CONCERN,
            text=text,
        )
        assumed.append(
            (
                concern,
                {
                    "exercise": "000 section 8 says the public raised this, not where; the PACT meetings are "
                    "assumed."
                },
            )
        )
        concerns[text] = concern

    candidates = {}
    for title, description, slugs, crime_types, number, _ in SA_LONG_LIST:
        evidence = [concerns[t] for t in SA_CONCERNS] if number == 1 else []
        candidates[title] = document.candidate_save(
            candidate=CandidateIssue(assessment=assessment),
            user=None,
            indicators=_indicators(partnership, slugs),
            concerns=evidence,
            title=title,
            description=description,
            crime_types=crime_types,
        )
        assumed.append((candidates[title], _candidate_notes("000", bool(evidence), bool(crime_types))))
    values = {title: scores for title, *_, scores in SA_LONG_LIST}
    _score(assessment, candidates, values, users, assumed, disagreement=SA_DISAGREEMENT)

    objectives = {o.number: o for o in plan.objectives.live()}
    for title, _, _, _, number, _ in SA_LONG_LIST:
        if number is None or number not in objectives:
            continue
        objective = objectives[number]
        document.priority_save(
            priority=Priority(assessment=assessment),
            user=None,
            objectives=[objective],
            number=number,
            title=objective.title,
            rationale=f"Became strategic objective {number} of the Safe Durham Partnership Plan 2016-19, agreed "
            "by the Board in November 2015 (001 paragraphs 9 and 10).",
            candidate=candidates[title],
        )

    _pestle(assessment, SA_PESTLE)
    _sections(assessment, SA_SECTIONS, assumed)
    return assessment


def _load_sharing(plan: Plan, assumed: list) -> None:
    """The information-sharing schedule and agreements: all assumed (the seeds give none), but for the law."""
    partnership = plan.partnership
    orgs = _orgs(RESPONSIBLE_AUTHORITIES)
    today = date.today()
    # in date whenever the demo is loaded: reviewed on the 1 April before today, next review two years on
    reviewed = date(today.year if today >= date(today.year, 4, 1) else today.year - 1, 4, 1)
    protocol = sharing.agreement_save(
        agreement=SharingAgreement(partnership=partnership),
        user=None,
        parties=list(orgs.values()),
        title="Safe Durham Partnership information sharing protocol",
        purpose="Sharing depersonalised information between the responsible authorities to reduce crime and "
        "disorder, substance misuse and re-offending, and to produce the annual strategic assessment.",
        legal_basis="Crime and Disorder Act 1998 s.115 (power to share information with the partnership) and "
        "s.17A (duty to share depersonalised information); the Crime and Disorder (Prescribed Information) "
        "Regulations 2007 (SI 2007/1831).",
        data_items="Recorded crime and anti-social behaviour incidents by area and month; deliberate fires; "
        "council reported anti-social behaviour incidents; assault attendances at A&E.",
        signatories="Durham County Council: Corporate Director, Children and Adults Services\n"
        "Durham Constabulary: Assistant Chief Constable\n"
        "County Durham and Darlington Fire and Rescue Authority: Deputy Chief Fire Officer",
        signed_on=date(2009, 4, 1),
        review_due=date(2012, 4, 1),
    )
    assumed.append(
        (
            protocol,
            {
                "title": "003 commits to 'Review and update our information sharing protocols' but names none; "
                "the protocol is made up for the demo.",
                "signed_on": "Assumed: when the Safe Durham Partnership was formed, April 2009 (000 section 3).",
                "review_due": "Assumed (three years after signing), so that the register shows an overdue review.",
                "signatories": "The seeds name no signatories: made up for the demo.",
            },
        )
    )
    health = sharing.agreement_save(
        agreement=SharingAgreement(partnership=partnership),
        user=None,
        parties=[
            orgs[s] for s in ("durham-county-council", "durham-constabulary", "north-durham-ccg", "ddes-ccg")
        ],
        title="Accident and Emergency assault data sharing agreement",
        purpose="Depersonalised data on assault attendances at A&E (time, date, location and weapon), to find "
        "violence the police do not hear of, in the night-time economy and linked with alcohol.",
        legal_basis="Crime and Disorder Act 1998 s.115 (power to share) and s.17A (duty to share depersonalised "
        "information).",
        data_items="Assault attendances at A&E: date, time, location of the assault, weapon; no names.",
        signatories="North Durham Clinical Commissioning Group: Chief Officer\n"
        "Durham Dales, Easington and Sedgefield Clinical Commissioning Group: Chief Officer\n"
        "Durham County Council: Head of Planning and Service Strategy",
        signed_on=date(2015, 4, 1),
        reviewed_on=reviewed,
        review_due=date(reviewed.year + 2, 4, 1),
    )
    assumed.append(
        (
            health,
            {
                "title": "003 commits to 'Develop the creation of new Accident and Emergency data sets relating to "
                "alcohol and violence'; the agreement itself is made up for the demo.",
                "signed_on": "The seeds do not date the agreement; 1 April 2015 is assumed.",
                "reviewed_on": "Assumed: the 1 April before the demo was loaded, so that one agreement is in date.",
                "review_due": "Assumed: two years after the last review.",
                "signatories": "The seeds name no signatories: made up for the demo.",
            },
        )
    )
    police_indicators = list(
        Indicator.objects.live()
        .filter(partnership=partnership, source__slug="durham-constabulary")
        .exclude(derived_from="")
        .order_by("slug")
    )
    flows = [
        (
            "durham-constabulary",
            "Recorded crime and anti-social behaviour incidents (prescribed information)",
            "Police recorded crime by category and anti-social behaviour incidents, by area and month, "
            "depersonalised.",
            True,
            protocol,
            police_indicators,
            None,
        ),
        (
            "county-durham-and-darlington-fire-and-rescue",
            "Secondary fires and deliberate secondary fires",
            "Secondary fires, and those recorded as deliberate or of unknown cause, by area and month.",
            False,
            protocol,
            _indicators(partnership, ["secondary-fires", "deliberate-secondary-fires"]),
            None,
        ),
        (
            "durham-county-council",
            "Council reported anti-social behaviour incidents",
            "Anti-social behaviour incidents reported to the council (fly-tipping, dog fouling, litter and "
            "others), by area and month.",
            False,
            protocol,
            _indicators(partnership, ["asb-incidents-council"]),
            None,
        ),
        (
            "north-durham-ccg",
            "Assault attendances at A&E",
            "Assault attendances at A&E, depersonalised: date, time, location of the assault and weapon.",
            False,
            health,
            [],
            [  # receipts recorded by hand (the data come outside SaferPlan): (period end, received on)
                (date(2016, 6, 30), date(2016, 7, 22)),
                (date(2016, 9, 30), date(2016, 11, 14)),
                (date(2016, 12, 31), date(2017, 1, 26)),
            ],
        ),
    ]
    for slug, title, items, prescribed, agreement, indicators, receipts in flows:
        if slug not in orgs:
            continue
        flow = sharing.flow_save(
            flow=DataFlow(partnership=partnership),
            user=None,
            indicators=indicators,
            provider=orgs[slug],
            title=title,
            data_items=items,
            frequency=DataFlow.Frequency.QUARTERLY,
            due_days=30,
            depersonalised=True,
            prescribed=prescribed,
            agreement=agreement,
            starts_on=date(2016, 4, 1),
        )
        notes = {
            "due_days": "The seeds do not say when the data are due; 30 days after each quarter is assumed.",
            "starts_on": "Assumed: the schedule starts with the 2016-19 plan, in April 2016.",
        }
        if not prescribed:
            notes["prescribed"] = (
                "Not marked as prescribed information: the demo does not say which items SI 2007/1831 prescribes "
                "for this authority."
            )
        assumed.append((flow, notes))
        for period_end, received_on in receipts or []:
            receipt = sharing.receipt_record(
                flow=flow,
                period_end=period_end,
                received_on=received_on,
                note="Made up for the demo.",
                user=None,
            )
            assumed.append((receipt, {"received_on": "The seeds record no receipts: made up for the demo."}))


@transaction.atomic
def load(plan: Plan) -> int:
    """Create the demo's strategic assessments (and the information sharing, and the plan's date sent to the
    Police and Crime Commissioner) once; return the number of assessments created (0 when both exist)."""
    partnership = plan.partnership
    existing = set(
        StrategicAssessment.objects.filter(partnership=partnership, slug__in=[CSA_SLUG, SA_SLUG]).values_list(
            "slug", flat=True
        )
    )
    assumed: list = []
    created = 0
    users = scorers() if len(existing) < 2 else []
    if CSA_SLUG not in existing:
        _load_2008_09(plan, users, assumed)
        created += 1
    if SA_SLUG not in existing:
        _load_2015_16(plan, users, assumed)
        created += 1
    if not DataFlow.objects.filter(partnership=partnership).exists():
        _load_sharing(plan, assumed)
    if plan.sent_to_pcc_on is None and not _assumptions_of(plan).filter(field="sent_to_pcc_on").exists():
        document.plan_sent_to_pcc(plan=plan, on=date(2016, 6, 30), user=None)
        assumed.append(
            (
                plan,
                {
                    "sent_to_pcc_on": "The seeds do not say when the plan was sent to the Police and Crime "
                    "Commissioner; 30 June 2016 is assumed (after the Board signed it off in May 2016 and Cabinet "
                    "approved it on 15 June 2016, 001)."
                },
            )
        )
    if assumed:
        _add_assumptions(assumed)
    return created


def _add_assumptions(assumed: list) -> None:
    """Record the notes without removing what a record already carries (assumptions_sync makes a record's notes
    exactly those given, so the plan's are merged with the ones it has)."""
    merged: dict[tuple[type, int], tuple[object, dict]] = {}
    for obj, notes in assumed:
        key = (type(obj), obj.pk)
        if key not in merged:
            existing = {a.field: a.note for a in _assumptions_of(obj)}
            merged[key] = (obj, existing)
        merged[key][1].update(notes)
    assumptions_sync(list(merged.values()))


def _assumptions_of(obj):
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return Assumption.objects.filter(content_type=ct, object_id=obj.pk)
