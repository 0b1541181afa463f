"""Reads for privacy and the casework home: depersonalised counts, a caseworker's own work, the records about a
person (for the person page, subject access and retention), the access log and the subject-access export."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.urls import reverse

from saferplan.casework import permissions
from saferplan.casework.models import (
    AccessLog,
    Case,
    CaseAction,
    CaseReview,
    Incident,
    IncidentPerson,
    MaracReferral,
    Person,
    Referral,
    ReferralRoute,
)
from saferplan.core.formatting import long_date
from saferplan.indicators import periods

ANOTHER_PERSON = "[another person]"

URL_NAMES = {
    Case: "casework-case",
    Incident: "casework-incident",
    CaseReview: "casework-review",
    Referral: "casework-referral",
}


def record_url(record) -> str:
    if isinstance(record, Person):
        return reverse("casework-person", args=[record.pk])
    return reverse(URL_NAMES[type(record)], args=[record.reference])


def record_label(record) -> str:
    """What a record is, without naming anyone: e.g. "Anti-social behaviour case ASB-2015-00012"."""
    if isinstance(record, Case):
        return f"{record.get_kind_display()} {record.reference}"
    what = {Incident: "ASB incident", CaseReview: "ASB Case Review", Referral: "Safer Homes referral"}
    return f"{what[type(record)]} {record.reference}"


def quarter_of(day: date) -> periods.Period:
    """The financial quarter (Q1 = April–June) the day falls in."""
    start_year = day.year if day.month >= 4 else day.year - 1
    return periods.Period.quarter(start_year, (day.month - 4) % 12 // 3 + 1)


# ------------------------------------------------------------------------------------------ the casework home


@dataclass
class Counts:
    quarter: periods.Period
    year: int
    cases_by_kind: list[tuple[str, int]]
    incidents_by_category: list[tuple[str, int]]
    referrals_awaiting: int
    reviews_this_year: int


def home_counts(partnership, *, today: date) -> Counts:
    """Depersonalised counts for everyone who reads counts: open cases by kind, incidents this quarter by
    category, referral routes awaiting a response, ASB Case Review applications this calendar year."""
    quarter = quarter_of(today)
    cases = dict(
        Case.objects.filter(partnership=partnership, closed_on__isnull=True)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    incidents = dict(
        Incident.objects.filter(partnership=partnership, occurred_on__range=(quarter.start, quarter.end))
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    return Counts(
        quarter=quarter,
        year=today.year,
        cases_by_kind=[(label, cases.get(value, 0)) for value, label in Case.Kind.choices],
        incidents_by_category=[
            (label, incidents.get(value, 0)) for value, label in Incident.Category.choices
        ],
        referrals_awaiting=ReferralRoute.objects.filter(
            referral__partnership=partnership, status=ReferralRoute.Status.SENT
        ).count(),
        reviews_this_year=CaseReview.objects.filter(
            partnership=partnership, applied_on__year=today.year
        ).count(),
    )


@dataclass
class Work:
    """A caseworker's own work: open cases they lead or are on the team of, their actions not done (soonest
    due first), and referrals sent to their service still awaiting a response (oldest first)."""

    cases: list[Case] = field(default_factory=list)
    actions: list[CaseAction] = field(default_factory=list)
    routes: list[ReferralRoute] = field(default_factory=list)


def my_work(user) -> Work:
    if not permissions.is_caseworker(user):
        return Work()
    cases = list(
        Case.objects.filter(Q(lead=user) | Q(team=user), closed_on__isnull=True)
        .distinct()
        .order_by("opened_on", "pk")
    )
    actions = list(
        CaseAction.objects.filter(owner=user, done_on__isnull=True, case__closed_on__isnull=True)
        .select_related("case")
        .order_by("due_on", "pk")
    )
    routes = list(
        ReferralRoute.objects.filter(organisation_id=user.organisation_id, status=ReferralRoute.Status.SENT)
        .select_related("referral")
        .order_by("referral__referred_on", "due_on", "pk")
    )
    return Work(cases=cases, actions=actions, routes=routes)


def start_sections(user, today: date) -> list:
    """The caseworker's sections of the start page (web.selectors.Section): no names, only references."""
    from saferplan.web.selectors import Entry, Section

    work = my_work(user)
    cases = Section(
        key="my-cases",
        one="open case you work on",
        many="open cases you work on",
        empty="You are not on the team of any open case.",
        entries=[
            Entry(record_label(c), record_url(c), f"Opened {long_date(c.opened_on)}") for c in work.cases
        ],
        more_url=reverse("casework-home"),
        more_label="Go to casework",
    )
    actions = Section(
        key="my-case-actions",
        one="case action to do",
        many="case actions to do",
        empty="No case actions are waiting for you.",
        entries=[
            Entry(
                f"{a.case.reference}: due {long_date(a.due_on)}",
                record_url(a.case),
                "Overdue" if a.due_on < today else "",
            )
            for a in work.actions
        ],
    )
    routes = Section(
        key="referrals-awaiting",
        one="referral sent to your service awaiting a response",
        many="referrals sent to your service awaiting a response",
        empty="No referrals are waiting for your service.",
        entries=[
            Entry(
                record_label(r.referral),
                record_url(r.referral),
                f"Referred {long_date(r.referral.referred_on)}, response due {long_date(r.due_on)}",
            )
            for r in work.routes
        ],
    )
    return [cases, actions, routes]


# ------------------------------------------------------------------------------------ records about a person


@dataclass
class About:
    person: Person
    incidents: list[Incident]
    cases: list[Case]
    referrals: list[Referral]
    reviews: list[CaseReview]

    def all_records(self) -> list:
        return [*self.cases, *self.incidents, *self.reviews, *self.referrals]


def records_about(person: Person) -> About:
    """Every casework record about the person: incidents they are linked to (or reported), cases they are the
    subject of or linked to, Safer Homes referrals about them and ASB Case Reviews they applied for."""
    incident_ids = set(IncidentPerson.objects.filter(person=person).values_list("incident_id", flat=True))
    incidents = list(
        Incident.objects.filter(Q(pk__in=incident_ids) | Q(reporter=person))
        .distinct()
        .order_by("occurred_on")
    )
    cases = list(
        Case.objects.filter(Q(subject=person) | Q(people=person)).distinct().order_by("opened_on", "pk")
    )
    return About(
        person=person,
        incidents=incidents,
        cases=cases,
        referrals=list(Referral.objects.filter(person=person).order_by("referred_on", "pk")),
        reviews=list(CaseReview.objects.filter(applicant=person).order_by("applied_on", "pk")),
    )


def person_records(user, person: Person) -> tuple[list[tuple[str, str, str]], int]:
    """The records about the person the user may open, as (label, url, standing), and how many others there
    are (counted, never described)."""
    shown, hidden = [], 0
    for record in records_about(person).all_records():
        found = permissions.standing(user, record)
        if found is None:
            hidden += 1
        else:
            shown.append((record_label(record), record_url(record), found))
    return shown, hidden


def people_found(partnership, *, name: str, date_of_birth: date | None) -> list[Person]:
    """People whose name contains the words given (any order), with that date of birth when one is given."""
    qs = Person.objects.filter(partnership=partnership, anonymised_at__isnull=True)
    for word in name.split():
        qs = qs.filter(name__icontains=word)
    if date_of_birth is not None:
        qs = qs.filter(date_of_birth=date_of_birth)
    return list(qs.select_related("organisation").order_by("name", "pk")[:50])


# ------------------------------------------------------------------------------------------------ access log


def access_log(*, reference: str = "", username: str = "", action: str = "", start=None, end=None):
    qs = AccessLog.objects.all()
    if reference:
        qs = qs.filter(reference__iexact=reference.strip())
    if username:
        qs = qs.filter(username__icontains=username.strip())
    if action:
        qs = qs.filter(action=action)
    if start:
        qs = qs.filter(at__date__gte=start)
    if end:
        qs = qs.filter(at__date__lte=end)
    return qs.order_by("-at", "-pk")


# -------------------------------------------------------------------------------------- subject access export


def _staff(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _name(person: Person | None, subject: Person) -> str | None:
    if person is None:
        return None
    return person.name if person.pk == subject.pk else ANOTHER_PERSON


def _day(value) -> str | None:
    return value.isoformat() if value else None


def subject_access(person: Person) -> tuple[dict, list]:
    """Everything held about the person (UK GDPR art. 15), as plain data for a JSON file, and the records it
    includes (each is logged as exported). Other people's names are "[another person]"; staff names are kept;
    other people's details (date of birth, contact) are left out."""
    about = records_about(person)
    case_ids = [c.pk for c in about.cases]
    maracs = {
        m.case_id: m
        for m in MaracReferral.objects.filter(case_id__in=case_ids).select_related(
            "referring_organisation", "meeting"
        )
    }
    roles: dict[int, list[tuple[Person, str]]] = {}
    for link in IncidentPerson.objects.filter(incident__in=about.incidents).select_related("person"):
        roles.setdefault(link.incident_id, []).append((link.person, link.get_role_display()))

    return _export(person, about, maracs, roles), about.all_records()


def _dash_questions() -> list[str]:
    try:
        from saferplan.casework import dash
    except ImportError:
        return []
    found = getattr(dash, "QUESTIONS", None)
    if not found:
        return []
    return [str(getattr(q, "text", q)) for q in found]


def _export(person, about: About, maracs: dict, roles: dict) -> dict:
    questions = _dash_questions()

    def dash_answers(answers: list) -> list:
        words = {True: "Yes", False: "No", None: "Not known"}
        return [
            {
                "question": questions[i] if i < len(questions) else f"Question {i + 1}",
                "answer": words.get(a, a),
            }
            for i, a in enumerate(answers)
        ]

    cases = []
    for c in about.cases:
        entry = {
            "reference": c.reference,
            "kind": c.get_kind_display(),
            "owning_agency": c.organisation.name,
            "subject": _name(c.subject, person),
            "people": [_name(p, person) for p in c.people.all()],
            "opened_on": _day(c.opened_on),
            "closed_on": _day(c.closed_on),
            "lead": _staff(c.lead),
            "team": [_staff(u) for u in c.team.all()],
            "partners": [o.name for o in c.partners.all()],
            "risk": c.get_risk_display(),
            "risk_assessment": c.risk_assessment,
            "summary": c.summary,
            "closure_reason": c.closure_reason,
            "actions": [
                {
                    "description": a.description,
                    "agency": a.organisation.name,
                    "owner": _staff(a.owner),
                    "due_on": _day(a.due_on),
                    "done_on": _day(a.done_on),
                }
                for a in c.actions.select_related("organisation", "owner")
            ],
            "interventions": [
                {
                    "step": i.get_step_display(),
                    "person": _name(i.person, person),
                    "issued_on": _day(i.issued_on),
                    "ends_on": _day(i.ends_on),
                    "outcome": i.get_outcome_display(),
                    "outcome_on": _day(i.outcome_on),
                    "notes": i.notes,
                }
                for i in c.interventions.select_related("person")
            ],
        }
        if (m := maracs.get(c.pk)) is not None:
            entry["marac_referral"] = {
                "referred_on": _day(m.referred_on),
                "referring_agency": m.referring_organisation.name,
                "dash_answers": dash_answers(list(m.dash_answers or [])),
                "dash_yes": m.dash_yes,
                "professional_judgement": m.professional_judgement,
                "judgement_reason": m.judgement_reason,
                "meeting": _day(m.meeting.held_on) if m.meeting else None,
            }
        cases.append(entry)
    return {
        "about": "Every casework record held about this person (UK GDPR article 15). Other people's names are "
        f'shown as "{ANOTHER_PERSON}".',
        "person": {
            "name": person.name,
            "date_of_birth": _day(person.date_of_birth),
            "contact": person.contact,
            "vulnerable": person.vulnerable,
            "special_category": person.special_category,
            "recorded_by_agency": person.organisation.name,
        },
        "incidents": [
            {
                "reference": i.reference,
                "category": i.get_category_display(),
                "occurred_on": _day(i.occurred_on),
                "reported_on": _day(i.reported_on),
                "address": i.address.text if i.address else None,
                "description": i.description,
                "reporter": None if i.anonymous else _name(i.reporter, person),
                "people": [{"name": _name(p, person), "role": role} for p, role in roles.get(i.pk, [])],
                "case": i.case.reference if i.case_id else None,
            }
            for i in about.incidents
        ],
        "cases": cases,
        "referrals": [
            {
                "reference": r.reference,
                "referred_on": _day(r.referred_on),
                "source": r.get_source_display(),
                "referrer": ANOTHER_PERSON if r.referrer_name else None,
                "address": r.address.text if r.address else None,
                "vulnerabilities": [Referral.Vulnerability(v).label for v in r.vulnerabilities if v in VULNS],
                "clutter_rating": r.clutter_rating,
                "urgency": r.get_urgency_display(),
                "consent": r.consent,
                "notes": r.notes,
                "sent_to": [
                    {
                        "service": route.organisation.name,
                        "status": route.get_status_display(),
                        "due_on": _day(route.due_on),
                        "decline_reason": route.decline_reason,
                    }
                    for route in r.routes.select_related("organisation")
                ],
            }
            for r in about.referrals
        ],
        "case_reviews": [
            {
                "reference": r.reference,
                "applicant": _name(r.applicant, person),
                "on_behalf": r.on_behalf,
                "applied_on": _day(r.applied_on),
                "behaviour": r.behaviour,
                "decision": r.get_decision_display(),
                "decided_on": _day(r.decided_on),
                "decision_reason": r.decision_reason,
                "review_held_on": _day(r.review_held_on),
                "recommendations": r.recommendations,
                "appeal_requested_on": _day(r.appeal_requested_on),
                "appeal_outcome": r.appeal_outcome,
            }
            for r in about.reviews
        ],
    }


VULNS = {v.value for v in Referral.Vulnerability}
