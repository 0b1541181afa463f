"""The one place casework becomes depersonalised counts (issue 20, item 6): what leaves casework for the plan's
indicators is a number per measure, partnership, period and area, never a name or an address.

`MEASURES` names each measure (its label, unit and how it is counted); `count(measure, partnership, start=,
end=, area=)` gives (value, numerator, denominator) for the dates start–end inclusive; `synthetic(...)` says
whether any record counted is made up (a synthetic caseload's counts are synthetic figures); `first_record_on`
gives the date of the first record a measure counts (feeds start there).

Areas: a measure is counted for the whole partnership when `area` is None or an area with no parent (the
partnership's own area: records with no locality belong to it too). A locality (an area with a parent) counts
the records whose locality is that area or one inside it; only measures whose records carry a locality
(`by_locality`: incidents and Safer Homes referrals) can be counted for one, and `count` refuses the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Min, Q

from saferplan.casework import models as m

UNITS = ("count", "percentage")


@dataclass(frozen=True)
class Measure:
    name: str
    label: str
    unit: str  # "count" or "percentage", matched against the indicator's unit
    counted: str  # how it is counted, in words (shown on the feed pages)
    model: type  # the records it counts
    date_field: str  # the date that puts a record in a period
    area_field: str = ""  # the record's locality, when it has one ("" = partnership-wide only)

    @property
    def by_locality(self) -> bool:
        return bool(self.area_field)


class MeasureError(ValueError):
    """A measure that does not exist, or cannot be counted for the area asked."""


def _area_ids(area) -> set[int]:
    """The area and every area inside it."""
    from saferplan.areas.models import Area

    ids, frontier = {area.pk}, {area.pk}
    while frontier:
        frontier = set(Area.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        ids |= frontier
    return ids


def _locality(measure: Measure, area):
    """The locality to filter by (None for the whole partnership), or MeasureError."""
    if area is None or area.parent_id is None:
        return None
    if not measure.by_locality:
        raise MeasureError(
            f"{measure.label} is counted for the whole partnership only: its records have no locality"
        )
    return area


def records(measure: Measure, partnership, *, start: date | None = None, end: date | None = None, area=None):
    """The records a measure counts from (before its own conditions), in the period and area."""
    query = measure.model.objects.all()
    query = query.filter(**{_partnership_path(measure): partnership})
    if start is not None:
        query = query.filter(**{f"{measure.date_field}__gte": start})
    if end is not None:
        query = query.filter(**{f"{measure.date_field}__lte": end})
    locality = _locality(measure, area)
    if locality is not None:
        query = query.filter(**{f"{measure.area_field}__in": _area_ids(locality)})
    return query


def _partnership_path(measure: Measure) -> str:
    return "case__partnership" if measure.model is m.MaracReferral else "partnership"


# The counts. Each takes (partnership, start, end, locality or None) and gives (value, numerator, denominator).


def _incidents(category: str | None) -> Callable:
    def counter(partnership, start, end, area):
        query = records(MEASURES["asb_incidents"], partnership, start=start, end=end, area=area)
        if category:
            query = query.filter(category=category)
        n = query.count()
        return float(n), None, None

    return counter


def _repeat_victims(partnership, start, end, area):
    from saferplan.casework.selectors import asb

    repeat = asb.repeat_victim_ids(partnership, on=end)
    incidents = records(MEASURES["asb_incidents"], partnership, start=start, end=end, area=area)
    victims = set(
        m.IncidentPerson.objects.filter(
            incident__in=incidents, role=m.IncidentPerson.Role.VICTIM, person_id__in=repeat
        ).values_list("person_id", flat=True)
    )
    return float(len(victims)), None, None


def _review(key: str) -> Callable:
    def counter(partnership, start, end, area):
        from saferplan.casework.selectors import case_review

        return float(case_review.published_figures(partnership, start=start, end=end)[key]), None, None

    return counter


def _referrals_here(partnership, start, end, area) -> dict:
    """The referral counts in a locality, as `referral_counts` gives them for the partnership: police and fire
    are referrals with a route to an organisation of that sector; hoarding, those with hoarding seen."""
    from saferplan.accounts.models import Organisation

    query = records(MEASURES["referrals"], partnership, start=start, end=end, area=area)
    rows = list(query.values_list("pk", "vulnerabilities"))
    ids = [pk for pk, _ in rows]
    sectors = set(
        m.ReferralRoute.objects.filter(referral_id__in=ids).values_list("referral_id", "organisation__sector")
    )
    return {
        "total": len(rows),
        "police": len({pk for pk, sector in sectors if sector == Organisation.Sector.POLICE}),
        "fire": len({pk for pk, sector in sectors if sector == Organisation.Sector.FIRE}),
        "hoarding": sum(1 for _, v in rows if m.Vulnerability.HOARDING in (v or [])),
    }


def _referral(key: str) -> Callable:
    def counter(partnership, start, end, area):
        if area is not None:
            return float(_referrals_here(partnership, start, end, area)[key]), None, None
        from saferplan.casework.selectors import referrals

        return float(referrals.referral_counts(partnership, start=start, end=end)[key]), None, None

    return counter


def _marac(which: str) -> Callable:
    def counter(partnership, start, end, area):
        from saferplan.casework.selectors import mais_marac

        repeats, total = mais_marac.marac_repeats(partnership, start=start, end=end)
        if which == "all":
            return float(total), None, None
        if which == "repeats":
            return float(repeats), None, None
        if not total:
            return None, float(repeats), float(total)
        return round(repeats / total * 100, 1), float(repeats), float(total)

    return counter


def _mais_opened(partnership, start, end, area):
    query = records(MEASURES["mais_cases_opened"], partnership, start=start, end=end, area=area)
    return float(query.filter(kind=m.Case.Kind.MAIS).count()), None, None


_I, _R, _C, _MR = m.Incident, m.Referral, m.Case, m.MaracReferral
_LIST = [
    (
        Measure("asb_incidents", "ASB incidents", "count",
                "Incidents recorded in casework, by the date they were reported", _I, "reported_on", "area"),
        _incidents(None),
    ),
    (
        Measure("asb_incidents_personal", "ASB incidents: personal", "count",
                "Incidents in the personal category, by the date reported", _I, "reported_on", "area"),
        _incidents(m.Incident.Category.PERSONAL),
    ),
    (
        Measure("asb_incidents_nuisance", "ASB incidents: nuisance", "count",
                "Incidents in the nuisance category, by the date reported", _I, "reported_on", "area"),
        _incidents(m.Incident.Category.NUISANCE),
    ),
    (
        Measure("asb_incidents_environmental", "ASB incidents: environmental", "count",
                "Incidents in the environmental category, by the date reported", _I, "reported_on", "area"),
        _incidents(m.Incident.Category.ENVIRONMENTAL),
    ),
    (
        Measure("asb_repeat_victims", "Repeat victims of ASB", "count",
                "People who are repeat victims by the partnership's rule on the period's last day and were the "
                "victim of an incident reported in the period", _I, "reported_on", "area"),
        _repeat_victims,
    ),
    (
        Measure("case_review_applications", "ASB Case Review applications", "count",
                "Applications for an ASB Case Review received in the period", m.CaseReview, "applied_on"),
        _review("applications"),
    ),
    (
        Measure("case_review_threshold_not_met", "ASB Case Review applications not meeting the threshold",
                "count", "Applications received in the period found not to meet the threshold",
                m.CaseReview, "applied_on"),
        _review("threshold_not_met"),
    ),
    (
        Measure("case_reviews", "ASB Case Reviews carried out", "count",
                "Case Reviews carried out on applications received in the period", m.CaseReview, "applied_on"),
        _review("reviews"),
    ),
    (
        Measure("case_reviews_with_recommendations", "ASB Case Reviews with recommendations", "count",
                "Case Reviews on applications received in the period that made recommendations",
                m.CaseReview, "applied_on"),
        _review("reviews_with_recommendations"),
    ),
    (
        Measure("referrals", "Safer Homes referrals", "count",
                "Safer Homes referrals made in the period", _R, "referred_on", "area"),
        _referral("total"),
    ),
    (
        Measure("referrals_police", "Safer Homes referrals for police", "count",
                "Referrals made in the period with a route to a police service", _R, "referred_on", "area"),
        _referral("police"),
    ),
    (
        Measure("referrals_fire", "Safer Homes referrals for fire", "count",
                "Referrals made in the period with a route to a fire and rescue service", _R, "referred_on",
                "area"),
        _referral("fire"),
    ),
    (
        Measure("referrals_hoarding", "Hoarders identified through Safer Homes", "count",
                "Referrals made in the period on which hoarding was seen", _R, "referred_on", "area"),
        _referral("hoarding"),
    ),
    (
        Measure("marac_referrals", "MARAC referrals", "count",
                "Referrals to MARAC made in the period", _MR, "referred_on"),
        _marac("all"),
    ),
    (
        Measure("marac_repeat_referrals", "Repeat MARAC referrals", "count",
                "Referrals to MARAC made in the period of a victim referred within the partnership's repeat "
                "window (12 months by default) before", _MR, "referred_on"),
        _marac("repeats"),
    ),
    (
        Measure("marac_repeat_rate", "MARAC repeat rate", "percentage",
                "Repeat referrals as a percentage of all referrals to MARAC made in the period", _MR,
                "referred_on"),
        _marac("rate"),
    ),
    (
        Measure("mais_cases_opened", "MAIS cases opened", "count",
                "Multi-Agency Intervention Service cases opened in the period", _C, "opened_on"),
        _mais_opened,
    ),
]  # fmt: skip
MEASURES: dict[str, Measure] = {measure.name: measure for measure, _ in _LIST}
_COUNTERS: dict[str, Callable] = {measure.name: counter for measure, counter in _LIST}


def measure_of(name: str) -> Measure:
    try:
        return MEASURES[name]
    except KeyError:
        raise MeasureError(f"there is no casework measure {name!r}") from None


def count(
    measure: str, partnership, *, start: date, end: date, area=None
) -> tuple[float | None, float | None, float | None]:
    """The measure over start–end inclusive: (value, numerator, denominator). A percentage has its numerator
    and denominator, and no value (None) when the denominator is 0; a count has neither."""
    found = measure_of(measure)
    if start > end:
        raise MeasureError("the period must not end before it starts")
    return _COUNTERS[found.name](partnership, start, end, _locality(found, area))


def _scope(measure: Measure, query):
    if measure.model is m.Case:
        return query.filter(kind=m.Case.Kind.MAIS)
    return query


def synthetic(measure: str, partnership, *, start: date, end: date, area=None) -> bool:
    """Whether any record the measure counts in the period is made up for the demo."""
    found = measure_of(measure)
    query = _scope(found, records(found, partnership, start=start, end=end, area=area))
    flag = "case__synthetic" if found.model is m.MaracReferral else "synthetic"
    return query.filter(Q(**{flag: True})).exists()


def first_record_on(measure: str, partnership, *, area=None) -> date | None:
    """The date of the first record the measure counts (None when there is none)."""
    found = measure_of(measure)
    query = _scope(found, records(found, partnership, area=area))
    return query.aggregate(first=Min(found.date_field))["first"]


def choices() -> list[tuple[str, str]]:
    return [(measure.name, f"{measure.label} ({measure.unit})") for measure in MEASURES.values()]
