"""Demo ASB Case Reviews: plainly synthetic (made-up applicants "Synthetic applicant A" to "E", no real person),
the same every run. In 2015/16 Durham County Council receives five applications: three whose complaints meet the
threshold and are reviewed (two reviews make recommendations), one with two qualifying complaints, and one with
three complaints of which one was reported more than a month after the behaviour. Each applicant's incidents are
made here; the decisions are recorded through the services, as a caseworker would."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from saferplan.accounts.models import Organisation
from saferplan.casework.models import CaseReview, Incident, IncidentPerson, Person
from saferplan.casework.selectors import case_review as selectors
from saferplan.casework.services import case_review as services
from saferplan.casework.services.references import next_reference

DCC = "durham-county-council"
P, N, E = Incident.Category.PERSONAL, Incident.Category.NUISANCE, Incident.Category.ENVIRONMENTAL

# applicant, behaviour, applied, [(category, occurred, reported)], decided, review held, recommendations
APPLICATIONS = [
    (
        "A",
        "Young people gather outside my house most nights, shouting, kicking the door and throwing stones "
        "at the windows (made up for the demo).",
        date(2015, 6, 15),
        [
            (P, date(2015, 2, 6), date(2015, 2, 9)),
            (P, date(2015, 3, 28), date(2015, 4, 1)),
            (N, date(2015, 5, 18), date(2015, 5, 20)),
        ],
        date(2015, 6, 25),
        date(2015, 7, 14),
        "The police and the council to agree one lead officer; a joint visit to the family of the young people "
        "named; a dispersal order considered for the street (made up for the demo).",
    ),
    (
        "B",
        "Loud music from the flat above at all hours, and threats when I complained (made up for the demo).",
        date(2015, 9, 1),
        [
            (N, date(2015, 4, 10), date(2015, 4, 13)),
            (N, date(2015, 6, 20), date(2015, 6, 22)),
            (P, date(2015, 8, 2), date(2015, 8, 3)),
        ],
        date(2015, 9, 8),
        date(2015, 9, 29),
        "The housing provider to serve a community protection warning; noise monitoring equipment installed; "
        "the applicant offered victim support (made up for the demo).",
    ),
    (
        "C",
        "Rubbish dumped in the back lane and set alight, again and again (made up for the demo).",
        date(2015, 11, 16),
        [
            (E, date(2015, 7, 1), date(2015, 7, 2)),
            (E, date(2015, 9, 14), date(2015, 9, 15)),
            (E, date(2015, 10, 30), date(2015, 11, 2)),
        ],
        date(2015, 11, 20),
        date(2015, 12, 10),
        "",  # the review found the agencies' response reasonable: no recommendations
    ),
    (
        "D",
        "Cars racing round the estate late at night (made up for the demo).",
        date(2015, 10, 5),
        [
            (N, date(2015, 6, 6), date(2015, 6, 8)),
            (N, date(2015, 8, 29), date(2015, 9, 1)),
        ],
        date(2015, 10, 12),
        None,
        "",
    ),
    (
        "E",
        "My neighbour's dogs barking day and night and the garden full of waste (made up for the demo).",
        date(2016, 1, 18),
        [
            (N, date(2015, 8, 3), date(2015, 8, 5)),
            (E, date(2015, 10, 1), date(2015, 11, 10)),  # reported 40 days after the behaviour: too late
            (N, date(2015, 12, 12), date(2015, 12, 14)),
        ],
        date(2016, 1, 25),
        None,
        "",
    ),
]


@transaction.atomic
def load(partnership, *, caseworker) -> dict:
    """Make the five synthetic applications with their incidents, decisions and reviews. Returns the counts:
    applications, threshold_not_met, reviews, reviews_with_recommendations and incidents."""
    dcc = Organisation.objects.get(slug=DCC)
    stamp = {"created_by": caseworker, "modified_by": caseworker}
    incidents = 0
    made = []
    for letter, behaviour, applied_on, complaints, decided_on, held_on, recommendations in APPLICATIONS:
        person = Person.objects.create(
            partnership=partnership,
            organisation=dcc,
            name=f"Synthetic applicant {letter}",
            contact="Made up for the demo",
            **stamp,
        )
        for category, occurred_on, reported_on in complaints:
            incident = Incident.objects.create(
                partnership=partnership,
                reference=next_reference(Incident, "incident", reported_on),
                organisation=dcc,
                category=category,
                occurred_on=occurred_on,
                reported_on=reported_on,
                description=f"Reported by synthetic applicant {letter} (made up for the demo)",
                reporter=person,
                synthetic=True,
                **stamp,
            )
            IncidentPerson.objects.create(incident=incident, person=person, role=IncidentPerson.Role.VICTIM)
            incidents += 1
        review = services.review_apply(
            partnership=partnership,
            organisation=dcc,
            user=caseworker,
            applicant=person,
            applied_on=applied_on,
            behaviour=behaviour,
            synthetic=True,
        )
        made.append(review)
        proposed = selectors.proposal(review)
        services.review_decide(
            review=review,
            user=caseworker,
            decision=CaseReview.Decision.MET if proposed.met else CaseReview.Decision.NOT_MET,
            decided_on=decided_on,
        )
        if held_on is not None and proposed.met:
            services.review_record(
                review=review, user=caseworker, held_on=held_on, recommendations=recommendations
            )
    return {
        "applications": len(made),
        "threshold_not_met": sum(r.decision == CaseReview.Decision.NOT_MET for r in made),
        "reviews": sum(r.review_held_on is not None for r in made),
        "reviews_with_recommendations": sum(
            r.review_held_on is not None and bool(r.recommendations) for r in made
        ),
        "incidents": incidents,
    }
