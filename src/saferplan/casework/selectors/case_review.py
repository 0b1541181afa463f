"""Reads for the ASB Case Review (the "Community Trigger").

The law: Anti-social Behaviour, Crime and Policing Act 2014 s.104 and schedule 4. A partnership must carry out a
review when an application meets its threshold: a number of qualifying complaints it sets, no more than three
(s.104(7)-(8)), each a complaint about anti-social behaviour made within one month of the behaviour, and all
within the six months before the application (s.104(9)-(10), the periods in CaseworkSettings). It must publish,
each year, the applications received, how many did not meet the threshold, the reviews carried out and how many
resulted in recommendations (s.104(11); Home Office statutory guidance "Anti-social behaviour powers", section
"ASB Case Review").

Here the complaints are found from the partnership's incidents: those where the applicant (the victim, or the
victim on whose behalf someone applied) is the reporter or a victim.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from saferplan.casework.models import CaseReview, CaseworkSettings, Incident, IncidentPerson
from saferplan.core.formatting import long_date


def settings_for(partnership) -> CaseworkSettings:
    """The partnership's casework settings, or the defaults (unsaved) when it has set none."""
    found = CaseworkSettings.objects.filter(partnership=partnership).first()
    return found or CaseworkSettings(partnership=partnership)


@dataclass(frozen=True)
class Finding:
    """An incident linked to the applicant, whether it counts as a qualifying complaint, and why (or why not)."""

    incident: Incident
    qualifies: bool
    why: str


@dataclass(frozen=True)
class Proposal:
    """What the count proposes: the threshold met or not, in words."""

    count: int
    threshold: int
    met: bool
    words: str


def _window_words(days: int) -> str:
    return "the six months" if days in (182, 183, 184) else f"the {days} days"


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def findings(review: CaseReview, *, rules: CaseworkSettings | None = None) -> list[Finding]:
    """Every incident of the partnership where the applicant is the reporter or a victim, reported on or before
    the application date, marked as qualifying or not with the reason."""
    rules = rules or settings_for(review.partnership)
    window_start = review.applied_on - timedelta(days=rules.trigger_window_days)
    victim_of = IncidentPerson.objects.filter(
        person_id=review.applicant_id, role=IncidentPerson.Role.VICTIM
    ).values("incident_id")
    incidents = (
        Incident.objects.filter(partnership_id=review.partnership_id, reported_on__lte=review.applied_on)
        .filter(Q(reporter_id=review.applicant_id) | Q(pk__in=victim_of))
        .order_by("-reported_on", "-occurred_on", "pk")
    )
    result = []
    for incident in incidents:
        late = (incident.reported_on - incident.occurred_on).days
        if incident.reported_on < window_start:
            why = (
                f"reported on {long_date(incident.reported_on)}: before {_window_words(rules.trigger_window_days)}"
                f" before the application"
            )
            ok = False
        elif late > rules.trigger_report_within_days:
            limit = (
                "one month"
                if rules.trigger_report_within_days == 31
                else _days(rules.trigger_report_within_days)
            )
            why = f"reported {_days(late)} after the behaviour: more than {limit}"
            ok = False
        else:
            why = (
                f"reported {_days(late)} after the behaviour, within {_window_words(rules.trigger_window_days)}"
                f" before the application"
            )
            ok = True
        result.append(Finding(incident=incident, qualifies=ok, why=why))
    return result


def qualifying_complaints(review: CaseReview) -> list[Incident]:
    """The incidents that count as qualifying complaints for this application."""
    return [f.incident for f in findings(review) if f.qualifies]


def not_met_words(*, count: int, applied_on: date, threshold: int, window_days: int = 183) -> str:
    """E.g. "2 qualifying complaints in the six months before 1 August 2015; the threshold is 3"."""
    noun = "qualifying complaint" if count == 1 else "qualifying complaints"
    return (
        f"{count} {noun} in {_window_words(window_days)} before {long_date(applied_on)}; "
        f"the threshold is {threshold}"
    )


def proposal(review: CaseReview, *, found: list[Finding] | None = None) -> Proposal:
    rules = settings_for(review.partnership)
    found = findings(review, rules=rules) if found is None else found
    count = sum(1 for f in found if f.qualifies)
    threshold = rules.trigger_complaints
    words = not_met_words(
        count=count, applied_on=review.applied_on, threshold=threshold, window_days=rules.trigger_window_days
    )
    return Proposal(count=count, threshold=threshold, met=count >= threshold, words=words)


def review_get(reference: str) -> CaseReview | None:
    return (
        CaseReview.objects.select_related("applicant", "organisation", "partnership", "created_by")
        .prefetch_related("complaints")
        .filter(reference=reference)
        .first()
    )


def reviews_for(user, partnership) -> QuerySet[CaseReview]:
    """The applications of the user's agency they may open: unrestricted ones, and restricted ones they
    recorded."""
    return (
        CaseReview.objects.filter(partnership=partnership, organisation_id=user.organisation_id)
        .filter(Q(restricted=False) | Q(created_by_id=user.pk))
        .order_by("-applied_on", "-pk")
    )


def _in(field: str, start: date, end: date) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def published_figures(partnership, *, start: date, end: date) -> dict:
    """The figures s.104(11) requires a partnership to publish, for the period [start, end]: applications
    received (by application date), applications where the threshold was not met (by decision date), reviews
    carried out (by the date held) and reviews that resulted in recommendations. Depersonalised counts only."""
    qs = CaseReview.objects.filter(partnership=partnership)
    return {
        "applications": qs.filter(_in("applied_on", start, end)).count(),
        "threshold_not_met": qs.filter(
            _in("decided_on", start, end), decision=CaseReview.Decision.NOT_MET
        ).count(),
        "reviews": qs.filter(_in("review_held_on", start, end)).count(),
        "reviews_with_recommendations": qs.filter(_in("review_held_on", start, end))
        .exclude(recommendations="")
        .count(),
    }


@dataclass(frozen=True)
class YearFigures:
    start_year: int
    label: str  # "2015/16"
    start: date
    end: date
    figures: dict
    synthetic: bool  # counted from records made up for the demo


def _fy(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def annual_figures(partnership) -> list[YearFigures]:
    """The published figures for every financial year (April to March) with an application, decision or review,
    newest first."""
    qs = CaseReview.objects.filter(partnership=partnership)
    days = [
        d
        for row in qs.values_list("applied_on", "decided_on", "review_held_on")
        for d in row
        if d is not None
    ]
    years = sorted({_fy(d) for d in days}, reverse=True)
    rows = []
    for year in years:
        start, end = date(year, 4, 1), date(year + 1, 3, 31)
        span = (
            _in("applied_on", start, end) | _in("decided_on", start, end) | _in("review_held_on", start, end)
        )
        rows.append(
            YearFigures(
                start_year=year,
                label=f"{year}/{(year + 1) % 100:02d}",
                start=start,
                end=end,
                figures=published_figures(partnership, start=start, end=end),
                synthetic=qs.filter(span, synthetic=True).exists(),
            )
        )
    return rows
