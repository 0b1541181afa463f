"""Casework counts into the plan's indicators (issue 20, item 6): each CaseworkFeed names an indicator, a
measure (`casework.measures`) and an area; `feed_run` records the measure's count as the indicator's
observation, origin "casework", source "SaferPlan casework", beside every other source's figure.

Which periods: those that lie wholly within the dates the feed's records are complete for (`records_from`, or
the first day of the month of the first record the measure counts; `records_to`, or the day before `today`):
every regular period of the indicator (its frequency and basis), and every other period another source has a
figure for (e.g. the published Safer Homes span Sep 2014 – Nov 2015). A period the records cover only in part
would be an undercount (a quarter before the service began, or after a caseload ends), so it is never recorded. A count is a synthetic figure when any record it counts is made up for the demo (or,
when it counts none, when the measure's records include made-up ones): a synthetic caseload never passes for a
real count.

All or nothing: every figure is checked against the rules (indicators.rules) before the transaction ends, and
one breach refuses the whole run (`FeedRefused`, nothing written). Running again writes only what changed: a
figure whose value is unchanged keeps its note (and its date)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from saferplan.casework import measures
from saferplan.casework.models import CaseworkFeed
from saferplan.core.formatting import long_date
from saferplan.core.services import stamp
from saferplan.indicators import periods, rules
from saferplan.indicators.models import Observation
from saferplan.indicators.services import figure_of, figure_problems, observation_record

SOURCE = "SaferPlan casework"


class FeedRefused(ValueError):
    """A run refused whole: a count breaks a rule (the message says which)."""


def feed_problem(*, indicator, measure: str, area) -> str:
    """Why a feed of this measure into this indicator and area cannot be ("" when it can)."""
    if measure not in measures.MEASURES:
        return "Choose a measure from the list"
    found = measures.MEASURES[measure]
    if found.unit != indicator.unit:
        return (
            f"{found.label} is a {found.unit}, but {indicator.name} is measured as "
            f"{indicator.get_unit_display().lower()}: choose a measure with the indicator's unit"
        )
    if area is not None and area.parent_id is not None and not found.by_locality:
        return f"{found.label} is counted for the whole partnership only: choose the partnership's area"
    return ""


def _check(*, indicator, measure: str, area, records_from=None, records_to=None) -> None:
    problem = feed_problem(indicator=indicator, measure=measure, area=area)
    if problem:
        field = "area" if "area" in problem else "measure"
        raise ValidationError({field: problem})
    if records_from and records_to and records_to < records_from:
        raise ValidationError(
            {
                "records_to": "The date records are complete to must be on or after the date they are complete from"
            }
        )


@transaction.atomic
def feed_create(
    *, indicator, measure: str, area, records_from=None, records_to=None, user=None
) -> CaseworkFeed:
    if CaseworkFeed.objects.filter(indicator=indicator).exists():
        raise ValidationError({"indicator": f"{indicator.name} already has a casework feed: edit that one"})
    _check(indicator=indicator, measure=measure, area=area, records_from=records_from, records_to=records_to)
    feed = CaseworkFeed(
        indicator=indicator, measure=measure, area=area, records_from=records_from, records_to=records_to
    )
    stamp(feed, user=user)
    feed.save()
    return feed


@transaction.atomic
def feed_change(
    *, feed: CaseworkFeed, indicator, measure: str, area, records_from=None, records_to=None, user=None
) -> CaseworkFeed:
    if CaseworkFeed.objects.filter(indicator=indicator).exclude(pk=feed.pk).exists():
        raise ValidationError({"indicator": f"{indicator.name} already has a casework feed: edit that one"})
    _check(indicator=indicator, measure=measure, area=area, records_from=records_from, records_to=records_to)
    feed.indicator, feed.measure, feed.area = indicator, measure, area
    feed.records_from, feed.records_to = records_from, records_to
    stamp(feed, user=user)
    feed.save()
    return feed


def feed_periods(feed: CaseworkFeed, *, today: date) -> list[periods.Period]:
    """The periods a feed records (see the module's note), in order."""
    partnership = feed.indicator.partnership
    first = measures.first_record_on(feed.measure, partnership, area=feed.area)
    if first is None:
        return []
    indicator = feed.indicator
    start = feed.records_from or first.replace(day=1)
    end = min(feed.records_to or today, today - timedelta(days=1))
    if start > end:
        return []
    chosen = {
        period
        for period in periods.periods_for(indicator.frequency, indicator.period_basis, start, end)
        if period.start >= start and period.end <= end  # a period the records cover only in part: not counted
    }
    others = (
        Observation.objects.filter(
            indicator=indicator, area=feed.area, period_start__gte=start, period_end__lte=end
        )
        .exclude(source=SOURCE)
        .exclude(status=Observation.Status.FORECAST)
        .values_list("period", flat=True)
        .distinct()
    )
    chosen.update(periods.Period.from_code(code) for code in others)
    return sorted(chosen)


def _same(existing: Observation | None, value, numerator, denominator, synthetic: bool) -> bool:
    return (
        existing is not None
        and existing.value == value
        and existing.numerator == numerator
        and existing.denominator == denominator
        and existing.synthetic == synthetic
        and existing.status == Observation.Status.FINAL
    )


@transaction.atomic
def feed_run(*, partnership, user=None, today: date | None = None) -> dict[str, int]:
    """Record every feed's counts (see the module's note); return {"created", "revised", "unchanged",
    "feeds"}. Raises FeedRefused, writing nothing, when a count breaks a rule."""
    today = today or date.today()
    note = f"Counted from casework records on {long_date(date.today())}"
    feeds = list(
        CaseworkFeed.objects.filter(indicator__partnership=partnership).select_related(
            "indicator", "indicator__partnership", "area"
        )
    )
    done = {"created": 0, "revised": 0, "unchanged": 0, "feeds": len(feeds)}
    recorded: list[Observation] = []
    for feed in feeds:
        measure = measures.MEASURES.get(feed.measure)
        if measure is None or feed_problem(indicator=feed.indicator, measure=feed.measure, area=feed.area):
            raise FeedRefused(
                f"The feed into {feed.indicator.name} cannot run: "
                f"{feed_problem(indicator=feed.indicator, measure=feed.measure, area=feed.area)}"
            )
        any_synthetic = measures.synthetic(
            feed.measure, partnership, start=date.min, end=date.max, area=feed.area
        )
        existing = {
            o.period: o
            for o in Observation.objects.filter(indicator=feed.indicator, area=feed.area, source=SOURCE)
        }
        for period in feed_periods(feed, today=today):
            value, numerator, denominator = measures.count(
                feed.measure, partnership, start=period.start, end=period.end, area=feed.area
            )
            if value is None:  # a percentage of nothing
                continue
            synthetic = any_synthetic and (
                measures.synthetic(
                    feed.measure, partnership, start=period.start, end=period.end, area=feed.area
                )
                or not _counted_any(value, numerator, denominator)
            )
            if _same(existing.get(period.code), float(value), numerator, denominator, synthetic):
                done["unchanged"] += 1
                continue
            try:
                observation, outcome = observation_record(
                    indicator=feed.indicator,
                    area=feed.area,
                    period=period,
                    value=value,
                    numerator=numerator,
                    denominator=denominator,
                    source=SOURCE,
                    origin=Observation.Origin.CASEWORK,
                    synthetic=synthetic,
                    method=measure.counted,
                    note=note,
                    user=user,
                    check=False,
                )
            except rules.FigureRefused as exc:
                raise FeedRefused(f"Nothing was recorded: {exc}") from exc
            done[outcome] += 1
            recorded.append(observation)
    problems = figure_problems(recorded)
    if problems:
        raise FeedRefused(
            "Nothing was recorded: "
            + str(rules.FigureRefused([(figure_of(o), text) for o, text in problems]))
        )
    return done


def _counted_any(value, numerator, denominator) -> bool:
    return bool(denominator) if denominator is not None else bool(value)
