"""Reads for Safer Homes referrals: one referral with its routes, a caseworker's lists, and the depersonalised
counts the figures page and the plan's feeds use (no names or addresses leave here through the counts)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

from django.db.models import Prefetch, Q, QuerySet

from saferplan.accounts.models import Organisation
from saferplan.casework.models import Referral, ReferralRoute, Vulnerability

DEMO_START, DEMO_END = date(2014, 9, 19), date(2015, 11, 30)
AWAITING = (ReferralRoute.Status.SENT, ReferralRoute.Status.ACCEPTED)


def referral_get(reference: str) -> Referral | None:
    return (
        Referral.objects.select_related("person", "address", "area", "organisation", "created_by")
        .prefetch_related(
            Prefetch(
                "routes",
                queryset=ReferralRoute.objects.select_related("organisation", "agreement").order_by(
                    "organisation__name"
                ),
            )
        )
        .filter(reference=reference)
        .first()
    )


def route_get(reference: str, pk: int) -> ReferralRoute | None:
    return (
        ReferralRoute.objects.select_related("referral", "organisation")
        .filter(referral__reference=reference, pk=pk)
        .first()
    )


def is_overdue(route: ReferralRoute, today: date | None = None) -> bool:
    """Not accepted or declined by its due date."""
    return route.status == ReferralRoute.Status.SENT and route.due_on < (today or date.today())


def awaiting_response(user, partnership) -> list[ReferralRoute]:
    """Referrals sent to the user's service that it has not yet finished with (sent: accept or decline;
    accepted: complete), the oldest due first, each with `.overdue`."""
    if getattr(user, "organisation_id", None) is None:
        return []
    routes = list(
        ReferralRoute.objects.filter(
            organisation_id=user.organisation_id,
            referral__partnership=partnership,
            status__in=AWAITING,
        )
        .select_related("referral")
        .order_by("due_on", "pk")
    )
    today = date.today()
    for route in routes:
        route.overdue = is_overdue(route, today)
    return routes


def made_by_agency(user, partnership) -> QuerySet[Referral]:
    """Referrals the user's agency made that the user may open (a restricted one only by its recorder), newest
    first, with their routes."""
    if getattr(user, "organisation_id", None) is None:
        return Referral.objects.none()
    return (
        Referral.objects.filter(partnership=partnership, organisation_id=user.organisation_id)
        .filter(Q(restricted=False) | Q(created_by_id=user.pk))
        .prefetch_related(Prefetch("routes", queryset=ReferralRoute.objects.select_related("organisation")))
        .order_by("-referred_on", "-pk")
    )


def default_range(partnership, *, today: date | None = None) -> tuple[date, date]:
    """The demo's period (19 September 2014 – 30 November 2015) when there are referrals in it, else the last
    12 months."""
    if Referral.objects.filter(partnership=partnership, referred_on__range=(DEMO_START, DEMO_END)).exists():
        return DEMO_START, DEMO_END
    end = today or date.today()
    return end - timedelta(days=364), end


def _routes(partnership, start: date, end: date):
    return ReferralRoute.objects.filter(
        referral__partnership=partnership, referral__referred_on__range=(start, end)
    ).values_list(
        "referral_id",
        "organisation__sector",
        "status",
        "referral__referred_on",
        "accepted_on",
        "declined_on",
        "due_on",
        "referral__urgency",
    )


def referral_counts(partnership, *, start: date, end: date) -> dict:
    """Depersonalised counts of the referrals made in [start, end]: total; police and fire (referrals with a
    route to an organisation of that sector); hoarding (referrals where hoarding was seen); by_source and
    by_vulnerability (referrals, every choice listed, in the choices' order); by_outcome (routes by status);
    synthetic (how many of the referrals are made up for the demo)."""
    rows = list(
        Referral.objects.filter(partnership=partnership, referred_on__range=(start, end)).values_list(
            "pk", "source", "vulnerabilities", "synthetic"
        )
    )
    sources = Counter(source for _, source, _, _ in rows)
    vulnerabilities = Counter(code for _, _, codes, _ in rows for code in set(codes or []))
    police, fire, outcomes = set(), set(), Counter()
    for referral_id, sector, status, *_ in _routes(partnership, start, end):
        if sector == Organisation.Sector.POLICE:
            police.add(referral_id)
        elif sector == Organisation.Sector.FIRE:
            fire.add(referral_id)
        outcomes[status] += 1
    return {
        "total": len(rows),
        "police": len(police),
        "fire": len(fire),
        "hoarding": vulnerabilities[Vulnerability.HOARDING.value],
        "by_source": {code: sources[code] for code in Referral.Source.values},
        "by_vulnerability": {code: vulnerabilities[code] for code in Vulnerability.values},
        "by_outcome": {code: outcomes[code] for code in ReferralRoute.Status.values},
        "synthetic": sum(1 for *_, synthetic in rows if synthetic),
    }


@dataclass
class ResponseTimes:
    urgency: str
    label: str
    routes: int
    accepted: int
    median_days: float | None
    within: int  # answered (accepted or declined) on or before the due date
    percent_within: float | None


def response_times(partnership, *, start: date, end: date) -> list[ResponseTimes]:
    """By urgency, for routes of referrals made in [start, end]: how many, how many accepted, the median days
    from referral to acceptance, and the share of routes answered (accepted or declined) by the due date their
    rule set."""
    days: dict[str, list[int]] = {u: [] for u in Referral.Urgency.values}
    routes, within = Counter(), Counter()
    for _, _, _, referred, accepted, declined, due, urgency in _routes(partnership, start, end):
        routes[urgency] += 1
        if accepted:
            days[urgency].append((accepted - referred).days)
        answered = accepted or declined
        if answered and answered <= due:
            within[urgency] += 1
    return [
        ResponseTimes(
            urgency=code,
            label=label,
            routes=routes[code],
            accepted=len(days[code]),
            median_days=median(days[code]) if days[code] else None,
            within=within[code],
            percent_within=round(100 * within[code] / routes[code], 1) if routes[code] else None,
        )
        for code, label in Referral.Urgency.choices
    ]
