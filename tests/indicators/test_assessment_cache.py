"""Assessments are cached under the figures' fingerprint (indicators.selectors.assess_indicators): a repeated
read runs fewer queries, and any write to a figure, a target or an indicator is seen by the next read."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from saferplan.areas.models import Area
from saferplan.indicators import periods
from saferplan.indicators.models import Target
from saferplan.indicators.selectors import assess_indicators, figures_version
from saferplan.indicators.services import observation_record

QUARTER = periods.Period.from_code("2015-Q4")


def _setup(demo):
    area = Area.objects.get(partnership=demo.partnership, kind=Area.Kind.PARTNERSHIP)
    indicators = list(demo.partnership.indicators.live().order_by("order"))
    return area, indicators


def test_a_repeated_read_is_served_from_the_cache(demo):
    area, indicators = _setup(demo)
    with CaptureQueriesContext(connection) as first:
        rows = assess_indicators(indicators, area, QUARTER)
    with CaptureQueriesContext(connection) as second:
        again = assess_indicators(indicators, area, QUARTER)
    assert len(second) < len(first)
    assert len(second) <= 4  # the fingerprint: one aggregate a model
    for indicator in indicators:
        assert again[indicator.pk].indicator is indicator
        assert again[indicator.pk].assessment.value == rows[indicator.pk].assessment.value


def test_a_revised_figure_is_seen_by_the_next_read(demo):
    area, indicators = _setup(demo)
    rows = assess_indicators(indicators, area, QUARTER)
    row = next(
        r
        for r in rows.values()
        if r.assessment.value is not None and r.assessment.synthetic and r.indicator.unit == "count"
    )
    before = figures_version()
    observation_record(
        indicator=row.indicator,
        area=area,
        period=row.period,
        value=row.assessment.value + 1,
        source="A partner's revised return",
        origin="return",
        note="test revision",
        confirmed_unusual=True,
        check=False,
    )
    assert figures_version() != before
    after = assess_indicators(indicators, area, QUARTER)[row.indicator.pk]
    assert after.assessment.value == row.assessment.value + 1  # a real figure outranks the synthetic one
    assert not after.assessment.synthetic


def test_a_new_target_is_seen_by_the_next_read(demo):
    area, indicators = _setup(demo)
    rows = assess_indicators(indicators, area, QUARTER)
    row = next(r for r in rows.values() if r.assessment.value is not None and r.assessment.target is None)
    Target.objects.create(
        indicator=row.indicator,
        area=area,
        period=row.period.code,
        value=row.assessment.value * 2,
    )
    after = assess_indicators(indicators, area, QUARTER)[row.indicator.pk]
    assert after.assessment.target == row.assessment.value * 2
