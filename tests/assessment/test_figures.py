"""Live figures of the strategic assessment (saferplan.assessment.figures): the same numbers as the indicator
engine and the police store, synthetic figures flagged, and a figure that follows the data."""

from __future__ import annotations

from datetime import date

import pytest

from saferplan.areas.models import Area
from saferplan.assessment.figures import SYNTHETIC_MARK, figure_content
from saferplan.assessment.models import AssessmentSection, SectionFigure, StrategicAssessment
from saferplan.core.formatting import figure
from saferplan.indicators.assessment import point_for
from saferplan.indicators.periods import Period
from saferplan.indicators.selectors import headline_series, indicator_info
from saferplan.indicators.services import observation_record
from saferplan.plans.models import Indicator
from saferplan.police import summary

OVERALL_CRIME = "The overall crime rate per 1,000 population"


def _figure(plan, kind, *, start=date(2015, 4, 1), end=date(2016, 3, 31), **fields) -> SectionFigure:
    assessment = StrategicAssessment.objects.create(
        partnership=plan.partnership,
        slug=f"figures-{kind}-{start.year}",
        title="Figures",
        year=f"{start.year}/{(start.year + 1) % 100:02d}",
        period_start=start,
        period_end=end,
    )
    section = AssessmentSection.objects.create(assessment=assessment, title="Current picture")
    return SectionFigure.objects.create(section=section, kind=kind, **fields)


@pytest.fixture
def overall(demo) -> Indicator:
    return Indicator.objects.get(partnership=demo.partnership, name=OVERALL_CRIME)


@pytest.fixture
def county(demo) -> Area:
    return Area.objects.get(partnership=demo.partnership, kind=Area.Kind.PARTNERSHIP)


def test_trend_equals_the_engines_series(demo, overall, county):
    content = figure_content(_figure(demo, SectionFigure.Kind.INDICATOR_TREND, indicator=overall))
    points = headline_series([overall.pk], [county.pk])[(overall.pk, county.pk)]
    expected = [
        [p.period.label, figure(p.value, overall.unit)]
        for p in points
        if p.period.kind == "month"
        and date(2015, 4, 1) <= p.period.start
        and p.period.end <= date(2016, 3, 31)
    ]
    assert len(expected) == 12
    assert [row[:2] for row in content.rows] == expected
    assert content.period == "April 2015 to March 2016"
    assert content.chart_svg and "<title" in content.chart_svg and 'role="img"' in content.chart_svg
    assert content.summary.startswith("SPC chart of ")
    assert content.headers[0] == "Period" and content.source


def test_localities_equal_the_engines_figures_for_the_year(demo, overall):
    content = figure_content(_figure(demo, SectionFigure.Kind.INDICATOR_LOCALITIES, indicator=overall))
    info = indicator_info(overall)
    year, before = Period.financial_year(2015), Period.financial_year(2014)
    assert content.headers == ["Area", year.label, before.label, "Change"]
    areas = list(Area.objects.filter(partnership=demo.partnership, kind__in=["partnership", "locality"]))
    series = headline_series([overall.pk], [a.pk for a in areas])
    by_name = {row[0]: row for row in content.rows}
    assert len(by_name) == len(areas) > 2
    for area in areas:
        point = point_for(info, series.get((overall.pk, area.pk), []), year)
        assert by_name[area.name][1].removesuffix(SYNTHETIC_MARK) == figure(point.value, overall.unit)
    assert content.chart_svg and content.summary


def test_synthetic_figures_are_flagged(demo, overall):
    """The demo's locality series are synthetic: the figure says so, in its flag and its cells."""
    content = figure_content(_figure(demo, SectionFigure.Kind.INDICATOR_LOCALITIES, indicator=overall))
    assert content.synthetic
    assert any(SYNTHETIC_MARK in cell for row in content.rows for cell in row)
    assert "synthetic demo figures" in content.source.lower()


def test_real_figures_are_not_flagged(demo, county):
    indicator = Indicator.objects.create(
        partnership=demo.partnership,
        slug="real-only",
        name="Real only",
        unit="count",
        polarity="lower_is_better",
        frequency="monthly",
    )
    for month, value in ((4, 10), (5, 12), (6, 9)):
        observation_record(
            indicator=indicator,
            area=county,
            period=Period.month(2015, month),
            value=value,
            source="Test return",
        )
    content = figure_content(_figure(demo, SectionFigure.Kind.INDICATOR_TREND, indicator=indicator))
    assert not content.synthetic
    assert [r[1] for r in content.rows] == ["10", "12", "9"]
    assert content.source == "Test return (partner's return)"
    assert content.period == "April 2015 to June 2015"


def test_a_figure_follows_a_new_observation(demo, overall, county):
    """Recording a figure changes the live figure the next time it is computed (nothing cached)."""
    record = _figure(demo, SectionFigure.Kind.INDICATOR_TREND, indicator=overall)
    before = figure_content(record)
    observation_record(
        indicator=overall,
        area=county,
        period=Period.month(2016, 3),
        value=7.77,
        source="Revised return",
        check=False,
    )
    after = figure_content(record)
    assert before.rows[-1][1] != "7.77"
    assert after.rows[-1][:2] == ["Mar 2016", "7.77"]
    assert after.chart_svg != before.chart_svg


def test_police_crime_types_equal_the_stores_counts(demo, county):
    content = figure_content(_figure(demo, SectionFigure.Kind.POLICE_CRIME_TYPES))
    counts = summary.counts_by_crime_type(("2016-03", "2016-03"), county)
    shown = {row[0]: row[1] for row in content.rows}
    assert counts["all"] > 0
    for crime_type, n in counts["rows"]:
        assert shown[crime_type] == f"{n:,}"
    assert shown["All crime (every type except anti-social behaviour)"] == f"{counts['crimes']:,}"
    assert content.period == "March 2016 (the only month of April 2015 to March 2016 held)"
    assert "data.police.uk" in content.source and not content.synthetic
    assert content.chart_svg and "<title" in content.chart_svg


def test_police_one_crime_type_by_month(demo, county):
    content = figure_content(_figure(demo, SectionFigure.Kind.POLICE_CRIME_TYPES, crime_type="Burglary"))
    counts = dict(summary.counts_by_crime_type(("2016-03", "2016-03"), county)["rows"])
    assert content.headers == ["Month", "Burglary"]
    assert content.rows == [["March 2016", f"{counts['Burglary']:,}"]]


def test_police_by_area_with_rates(demo, county):
    content = figure_content(_figure(demo, SectionFigure.Kind.POLICE_LOCALITIES))
    counts = summary.counts_by_crime_type(("2016-03", "2016-03"), county)
    row = next(r for r in content.rows if r[0] == county.name)
    assert row[1] == f"{counts['crimes']:,}"
    population = int(row[2].replace(",", ""))
    assert row[3] == f"{counts['crimes'] / population * 1000:,.2f}"


def test_no_data_for_the_period_says_so(demo, overall):
    """2008/09: police.uk began in December 2010, and the demo holds no indicator figures then."""
    for kind, extra in (
        (SectionFigure.Kind.POLICE_CRIME_TYPES, {}),
        (SectionFigure.Kind.POLICE_LOCALITIES, {}),
        (SectionFigure.Kind.INDICATOR_TREND, {"indicator": overall}),
        (SectionFigure.Kind.INDICATOR_LOCALITIES, {"indicator": overall}),
    ):
        content = figure_content(_figure(demo, kind, start=date(1990, 4, 1), end=date(1991, 3, 31), **extra))
        assert content.empty and content.chart_svg is None
        assert content.source.startswith("No ") and "April 1990 to March 1991" in content.source
        assert content.period == "April 1990 to March 1991"
