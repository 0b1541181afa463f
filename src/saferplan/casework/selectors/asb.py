"""Reads for anti-social behaviour incidents and cases: what a caseworker may open, and the repeat and vulnerable
victims by the partnership's rules (CaseworkSettings, read at the moment of reading: a change of rule changes the
flags at once)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet

from saferplan.casework import permissions
from saferplan.casework.models import (
    Case,
    CaseAction,
    CaseworkSettings,
    Incident,
    IncidentPerson,
    Intervention,
    Person,
)

PAGE_SIZE = 50


def settings_for(partnership) -> CaseworkSettings:
    """The partnership's casework rules (the defaults when it has not set any)."""
    found = CaseworkSettings.objects.filter(partnership=partnership).first()
    return found or CaseworkSettings(partnership=partnership)


def repeat_window(partnership, *, on: date) -> tuple[date, date, int]:
    """(first day, last day, incidents needed): a victim of `incidents needed` incidents that happened in the
    `repeat_victim_days` days up to and including `on` is a repeat victim."""
    rules = settings_for(partnership)
    return on - timedelta(days=rules.repeat_victim_days - 1), on, rules.repeat_victim_incidents


def _victim_counts(partnership, *, on: date, person_ids=None) -> Counter:
    start, end, _ = repeat_window(partnership, on=on)
    links = IncidentPerson.objects.filter(
        role=IncidentPerson.Role.VICTIM,
        incident__partnership=partnership,
        incident__occurred_on__gte=start,
        incident__occurred_on__lte=end,
    )
    if person_ids is not None:
        links = links.filter(person_id__in=list(person_ids))
    return Counter(links.values_list("person_id", flat=True))


def repeat_victim_ids(partnership, *, on: date) -> set[int]:
    """People who were victims of at least N incidents within the D days up to `on` (the partnership's rule)."""
    _, _, needed = repeat_window(partnership, on=on)
    return {pk for pk, n in _victim_counts(partnership, on=on).items() if n >= needed}


def victim_flags(partnership, person_ids, *, on: date) -> dict[int, set[str]]:
    """For each person: "repeat" (a repeat victim by the rule, as at `on`) and "vulnerable" (Person.vulnerable)."""
    ids = {pk for pk in person_ids if pk is not None}
    flags: dict[int, set[str]] = {pk: set() for pk in ids}
    if not ids:
        return flags
    _, _, needed = repeat_window(partnership, on=on)
    for pk, n in _victim_counts(partnership, on=on, person_ids=ids).items():
        if n >= needed:
            flags[pk].add("repeat")
    for pk in Person.objects.filter(pk__in=ids, vulnerable=True).values_list("pk", flat=True):
        flags[pk].add("vulnerable")
    return flags


# What a caseworker may open, as querysets (the same rules as casework.permissions.standing)


def _openable_cases(user) -> Q:
    mine = Q(lead=user) | Q(team=user)
    agency = Q(organisation_id=user.organisation_id) | Q(sharing__organisation_id=user.organisation_id)
    return mine | (Q(restricted=False) & agency)


def cases_openable(user, partnership) -> QuerySet[Case]:
    if not permissions.is_caseworker(user):
        return Case.objects.none()
    ids = Case.objects.filter(partnership=partnership).filter(_openable_cases(user)).values("pk")
    return Case.objects.filter(pk__in=ids)


def incidents_openable(user, partnership) -> QuerySet[Incident]:
    if not permissions.is_caseworker(user):
        return Incident.objects.none()
    case_ids = cases_openable(user, partnership).values("pk")
    rule = (
        Q(created_by=user)
        | Q(case_id__in=case_ids)
        | (
            Q(restricted=False, organisation_id=user.organisation_id)
            & (
                Q(case__isnull=True) | Q(case__restricted=False)
            )  # a restricted case's incidents: its team only
        )
    )
    return Incident.objects.filter(partnership=partnership).filter(rule)


def incident_list(
    user, partnership, *, category: str = "", start: date | None = None, end: date | None = None
) -> QuerySet[Incident]:
    """The user's agency's incidents they may open, newest first, filtered by category and date of the behaviour."""
    qs = incidents_openable(user, partnership).filter(organisation_id=user.organisation_id)
    if category:
        qs = qs.filter(category=category)
    if start:
        qs = qs.filter(occurred_on__gte=start)
    if end:
        qs = qs.filter(occurred_on__lte=end)
    return (
        qs.select_related("area", "case")
        .prefetch_related(Prefetch("people", queryset=IncidentPerson.objects.select_related("person")))
        .order_by("-occurred_on", "-pk")
    )


def case_list(user, partnership, *, kind: str = "", state: str = "") -> QuerySet[Case]:
    """The cases the user may open, newest first, filtered by kind and open/closed."""
    qs = cases_openable(user, partnership)
    if kind:
        qs = qs.filter(kind=kind)
    if state == "open":
        qs = qs.filter(closed_on__isnull=True)
    elif state == "closed":
        qs = qs.filter(closed_on__isnull=False)
    return qs.select_related("lead", "organisation", "subject").order_by("-opened_on", "-pk")


def incident_get(reference: str) -> Incident | None:
    return (
        Incident.objects.select_related("organisation", "address", "area", "reporter", "case", "created_by")
        .prefetch_related(Prefetch("people", queryset=IncidentPerson.objects.select_related("person")))
        .filter(reference=reference)
        .first()
    )


def case_get(reference: str) -> Case | None:
    return (
        Case.objects.select_related("organisation", "subject", "lead")
        .prefetch_related(
            "team",
            "partners",
            Prefetch("incidents", queryset=Incident.objects.select_related("area").order_by("occurred_on")),
            Prefetch("actions", queryset=CaseAction.objects.select_related("organisation", "owner")),
            Prefetch("interventions", queryset=Intervention.objects.select_related("person")),
        )
        .filter(reference=reference)
        .first()
    )


@dataclass
class VictimRow:
    person: Person
    incidents: int
    flags: list[str] = field(default_factory=list)
    latest: Incident | None = None


def repeat_and_vulnerable_victims(user, partnership, *, on: date) -> list[VictimRow]:
    """The victims on the incidents of the user's agency (that the user may open) who are repeat victims by the
    partnership's rule or vulnerable, with their incidents in the window; most incidents first."""
    start, end, _ = repeat_window(partnership, on=on)
    incidents = incident_list(user, partnership)
    links = (
        IncidentPerson.objects.filter(role=IncidentPerson.Role.VICTIM, incident__in=incidents.values("pk"))
        .select_related("person", "incident")
        .order_by("-incident__occurred_on", "-incident__pk")
    )
    people: dict[int, VictimRow] = {}
    for link in links:
        row = people.setdefault(
            link.person_id, VictimRow(person=link.person, incidents=0, latest=link.incident)
        )
        if start <= link.incident.occurred_on <= end:
            row.incidents += 1
    flags = victim_flags(partnership, people.keys(), on=on)
    rows = []
    for pk, row in people.items():
        row.flags = sorted(flags.get(pk, set()))
        if row.flags:
            rows.append(row)
    return sorted(rows, key=lambda r: (-r.incidents, r.person.name, r.person.pk))


def incident_victim_flags(partnership, incidents) -> dict[int, dict[int, list[str]]]:
    """For each incident, its victims' flags as at the day the behaviour happened ({incident pk: {person pk:
    flags}}): "repeat" when that incident made the person's Nth within D days, "vulnerable" from the person.
    The incidents' `people` (with `person`) should be prefetched; one query for all their victims' dates."""
    rules = settings_for(partnership)
    victims = {
        incident.pk: [
            link.person for link in incident.people.all() if link.role == IncidentPerson.Role.VICTIM
        ]
        for incident in incidents
    }
    ids = {p.pk for people in victims.values() for p in people}
    dates: dict[int, list[date]] = {pk: [] for pk in ids}
    for pk, day in IncidentPerson.objects.filter(
        role=IncidentPerson.Role.VICTIM, person_id__in=list(ids), incident__partnership=partnership
    ).values_list("person_id", "incident__occurred_on"):
        dates[pk].append(day)
    result: dict[int, dict[int, list[str]]] = {}
    for incident in incidents:
        start = incident.occurred_on - timedelta(days=rules.repeat_victim_days - 1)
        flags = {}
        for person in victims[incident.pk]:
            found = []
            if (
                sum(1 for d in dates[person.pk] if start <= d <= incident.occurred_on)
                >= rules.repeat_victim_incidents
            ):
                found.append("repeat")
            if person.vulnerable:
                found.append("vulnerable")
            flags[person.pk] = found
        result[incident.pk] = flags
    return result


def latest_incident_on(user, partnership) -> date | None:
    """The day of the latest incident of the user's agency they may open (the repeat victims page's default day,
    when that is before today)."""
    return (
        incident_list(user, partnership)
        .order_by("-occurred_on")
        .values_list("occurred_on", flat=True)
        .first()
    )
