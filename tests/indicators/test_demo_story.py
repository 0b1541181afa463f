"""The demo tells the seed's story: every statement of change in 000 section 4 comes out of the demo's own stored
headline figures, with the seed's numbers and directions; synthetic figures fit the real ones."""

from collections import defaultdict

import yaml
from django.core.management import call_command
from django.urls import reverse

from saferplan.areas.models import Area, Population
from saferplan.indicators import demo as performance_demo
from saferplan.indicators import services
from saferplan.indicators.models import Observation, Target
from saferplan.indicators.periods import Period, parse
from saferplan.plans.models import Indicator
from saferplan.reports.board import board_report

COUNTY = "E06000047"


def headline(slug, period, area=COUNTY):
    return Observation.objects.get(
        indicator__slug=slug, area__code=area, period=parse(period).code, headline=True
    )


def count(o):
    return o.numerator if o.numerator is not None else o.value


def change(old, new):
    """A change in per cent, rounded as the seed rounds it (one decimal place)."""
    return round((new / old - 1) * 100, 1)


def months_of(slug, year, area=COUNTY):
    period = parse(year)
    return list(
        Observation.objects.filter(
            indicator__slug=slug,
            area__code=area,
            headline=True,
            period_kind="month",
            period_start__gte=period.start,
            period_end__lte=period.end,
        )
    )


def test_crimes_28690_in_2015_16_and_9_5_per_cent_fewer_than_2009_10(demo):
    now = headline("crime-rate", "2015/16")
    assert now.origin == "published" and now.numerator == 28690
    assert now.denominator == 519347 and round(now.value, 2) == 55.24  # the ONS mid-2015 population
    assert now.value == 28690 / 519347 * 1000
    then = headline("crime-rate", "2009/10")
    assert then.origin == "derived" and then.source == "Durham Constabulary"
    assert then.numerator == 31702 and change(then.numerator, now.numerator) == -9.5
    assert "9.5%" in then.reference and "31,702" in then.method and "rounded" in then.note


def test_the_crime_rate_rose_12_3_per_cent_in_2015_16(demo):
    now, before = headline("crime-rate", "2015/16"), headline("crime-rate", "2014/15")
    assert before.origin == "derived" and before.denominator == 517573  # the ONS mid-2014 population
    assert before.numerator == 25460 and before.value == 25460 / 517573 * 1000
    assert change(before.value, now.value) == 12.3
    assert "12.3%" in before.reference and "517,573" in before.method and before.note


def test_police_reported_asb_fell_from_23257_to_20649(demo):
    before, now = headline("asb-incidents-police", "2014/15"), headline("asb-incidents-police", "2015/16")
    assert (before.value, now.value) == (23257, 20649)
    assert before.origin == now.origin == "published"
    assert change(before.value, now.value) == -11.2


def test_council_reported_asb_rose_8_7_per_cent(demo):
    published = headline("asb-incidents-council-change", "2015/16")
    assert published.value == 8.7 and published.origin == "published"
    before, now = headline("asb-incidents-council", "2014/15"), headline("asb-incidents-council", "2015/16")
    assert before.synthetic and now.synthetic  # the seed gives no count
    assert now.value == round(before.value * 1.087) and change(before.value, now.value) == 8.7
    assert "1.087" in now.note
    for year in (before, now):  # the months add up to the synthetic year
        assert sum(m.value for m in months_of("asb-incidents-council", year.period)) == year.value


def test_first_time_entrants_fell_every_year_from_1129_to_161(demo):
    years = [headline("first-time-entrants", Period.financial_year(y).label).value for y in range(2007, 2016)]
    assert years[0] == 1129 and years[-1] == 161
    assert all(later < earlier for earlier, later in zip(years, years[1:], strict=False))
    assert headline("first-time-entrants", "2007/08").origin == "published"
    assert headline("first-time-entrants", "2015/16").origin == "published"
    assert round((1 - 161 / 1129) * 100) == 86


def test_youth_offences_and_young_people_offending_fell_54_6_per_cent(demo):
    offences = [headline("youth-offences", y) for y in ("2010/11", "2015/16")]
    assert [o.value for o in offences] == [2464, 1118] and all(o.origin == "published" for o in offences)
    assert change(2464, 1118) == -54.6
    people = [headline("young-people-offending", y) for y in ("2010/11", "2014/15")]
    assert [o.value for o in people] == [1270, 576] and all(o.origin == "published" for o in people)
    assert change(1270, 576) == -54.6
    for year in range(2010, 2018):  # never more young people offending than offences
        label = Period.financial_year(year).label
        assert headline("young-people-offending", label).value < headline("youth-offences", label).value


def test_iom_detected_crimes_fell_55_per_cent(demo):
    iom = headline("iom-detected-crimes-change", "2015/16")
    assert iom.value == -55 and iom.origin == "published" and iom.indicator.unit == "percentage_change"


def test_road_casualties_1242_in_2015_21_6_per_cent_fewer_than_2014(demo):
    now, before = headline("road-casualties", "2015"), headline("road-casualties", "2014")
    assert now.value == 1242 and now.origin == "published"
    assert before.value == 1584 and before.origin == "derived" and "21.6%" in before.reference
    assert change(before.value, now.value) == -21.6


def test_alcohol_related_violence_and_asb_fell(demo):
    violence = [headline("alcohol-related-violent-crime", y).value for y in ("2014/15", "2015/16")]
    assert violence == [32.3, 28]
    asb = [headline("alcohol-related-asb", y).value for y in ("2014/15", "2015/16")]
    assert asb == [12.33, 11.6]
    # the synthetic quarters pool to the published years, as the seed rounds them
    for slug, year, published, places in (
        ("alcohol-related-violent-crime", "2014/15", 32.3, 1),
        ("alcohol-related-violent-crime", "2015/16", 28, 1),
        ("alcohol-related-asb", "2014/15", 12.33, 2),
        ("alcohol-related-asb", "2015/16", 11.6, 1),
    ):
        period = parse(year)
        quarters = Observation.objects.filter(
            indicator__slug=slug,
            area__code=COUNTY,
            period_kind="quarter",
            period_start__gte=period.start,
            period_end__lte=period.end,
        )
        assert quarters.count() == 4 and all(q.synthetic for q in quarters)
        pooled = sum(q.numerator for q in quarters) / sum(q.denominator for q in quarters) * 100
        assert round(pooled, places) == published


def test_stronger_families_1932_against_2340(demo):
    attached = headline("stronger-families-attached", "2015/16")
    assert attached.value == 1932 and attached.origin == "published"
    target = Target.objects.get(indicator__slug="stronger-families-attached", due_period="2017-03")
    assert target.value == 2340 and target.cumulative
    period = parse("2015/16")
    quarters = Observation.objects.filter(
        indicator__slug="stronger-families-attached",
        area__code=COUNTY,
        period_kind="quarter",
        period_start__gte=period.start,
        period_end__lte=period.end,
    )
    assert quarters.count() == 4 and sum(q.value for q in quarters) == 1932


def test_real_populations_for_the_county_and_benchmarks_illustrative_below(demo):
    county = Area.objects.get(code=COUNTY)
    assert county.populations.get(year=2015).population == 519347
    assert county.populations.get(year=2014).population == 517573
    for code, year, population in (("E12000001", 2015, 2624579), ("E92000001", 2017, 55619430)):
        row = Population.objects.get(area__code=code, year=year)
        assert row.population == population and row.source == "ONS mid-year population estimates"
    assert {p.source for p in county.populations.all()} == {"ONS mid-year population estimates"}
    localities = Population.objects.filter(area__parent=county)
    assert localities.exists()
    assert all(p.source.startswith("Illustrative (not ONS)") for p in localities)
    assert Population.objects.get(area__code="MSG-DURHAM", year=2015).source.startswith(
        "Illustrative (not ONS)"
    )
    for p in county.populations.all():
        assert sum(localities.filter(year=p.year).values_list("population", flat=True)) == p.population


def test_the_real_march_2016_police_month_is_the_headline(demo):
    for slug in ("crime-rate", "asb-incidents-police"):
        march = headline(slug, "Mar 2016")
        assert march.origin == "police" and march.source == "police open data" and not march.synthetic
        assert not Observation.objects.filter(
            indicator__slug=slug, area__code=COUNTY, period="2016-03", synthetic=True
        ).exists()


def test_months_add_up_to_the_published_years_with_the_real_month(demo):
    for slug, year, total in (
        ("crime-rate", "2014/15", 25460),
        ("crime-rate", "2015/16", 28690),
        ("asb-incidents-police", "2014/15", 23257),
        ("asb-incidents-police", "2015/16", 20649),
    ):
        months = months_of(slug, year)
        assert len(months) == 12 and sum(count(m) for m in months) == total, (slug, year)
        real = [m for m in months if not m.synthetic]
        assert [m.period for m in real] == (["2016-03"] if year == "2015/16" else [])
        assert all(m.note.startswith("Synthetic: the months of") for m in months if m.synthetic)


def test_localities_add_up_to_the_county(demo):
    county = Area.objects.get(code=COUNTY)
    localities = set(county.children.values_list("pk", flat=True))
    assert len(localities) == 14
    checked = 0
    for slug in ("crime-rate", "theft-offences-rate", "asb-incidents-police", "asb-incidents-council"):
        totals, parts, seen = {}, defaultdict(float), defaultdict(int)
        for area, period, value, numerator in Observation.objects.filter(
            indicator__slug=slug, headline=True, period_kind="month"
        ).values_list("area_id", "period", "value", "numerator"):
            figure = numerator if numerator is not None else value
            if area == county.pk:
                totals[period] = figure
            elif area in localities:
                parts[period] += figure
                seen[period] += 1
        assert totals and set(parts) == set(totals)
        for period, total in totals.items():
            assert seen[period] == 14 and parts[period] == total, (slug, period)
            checked += 1
    assert checked > 200


def test_published_spans_are_loaded_and_the_synthetic_quarters_fit_inside(demo):
    span = headline("durham-city-open-water-incidents", "Jan 2010 – Mar 2015")
    assert span.value == 56 and span.origin == "published" and span.period == "S-2010-01-2015-03"
    inside = Observation.objects.filter(
        indicator__slug="durham-city-open-water-incidents",
        area__code=COUNTY,
        period_kind="quarter",
        period_start__gte=span.period_start,
        period_end__lte=span.period_end,
    )
    assert inside.exists() and sum(q.value for q in inside) <= 56
    referrals = headline("safer-homes-referrals", "Sep 2014 – Nov 2015")
    assert referrals.value == 2018
    assert headline("safer-homes-hoarders-identified", "Sep 2013 – Nov 2014").value == 6


def test_no_figure_breaks_a_bound_or_a_relation(demo):
    indicators = list(Indicator.objects.filter(partnership=demo.partnership))
    assert services.checker_for(indicators).all_problems() == []


def test_no_headline_is_synthetic_where_a_real_figure_exists(demo):
    real = set(Observation.objects.filter(synthetic=False).values_list("indicator_id", "area_id", "period"))
    synthetic_headlines = set(
        Observation.objects.filter(synthetic=True, headline=True).values_list(
            "indicator_id", "area_id", "period"
        )
    )
    assert real and synthetic_headlines and not real & synthetic_headlines


def test_every_figure_says_what_it_is(demo):
    data = yaml.safe_load(performance_demo.PUBLISHED.read_text(encoding="utf-8"))
    for f in data["figures"]:
        indicator = Indicator.objects.get(partnership=demo.partnership, slug=f["indicator"])
        o = Observation.objects.get(
            indicator=indicator,
            area__code=f["area"],
            period=parse(str(f["period"]), basis=indicator.period_basis).code,
            origin="published",
        )
        assert o.note == f.get("note", "").strip() and f["quote"].strip() in o.reference
    synthetic = Observation.objects.filter(synthetic=True)
    # the demo's synthetic series, and the counts of its synthetic caseload (saferplan.casework.demo)
    assert set(synthetic.values_list("source", flat=True)) == {"Synthetic demo data", "SaferPlan casework"}
    assert not synthetic.filter(note="").exists()
    assert not Observation.objects.filter(origin="derived", method="").exists()


def test_the_board_report_and_indicator_pages_show_the_seeds_directions(demo, users, client):
    report = board_report(demo, parse("Q4 2015/16"))
    items = {i.indicator: i for i in report.items}
    expected = {
        # slug: (direction, the figure judged, is it real)
        "crime-rate": ("worsening", None, False),  # crime rose: Jan-Mar 2016 against Jan-Mar 2015
        "asb-incidents-police": ("improving", None, False),
        "first-time-entrants": ("improving", 161, True),
        "iom-detected-crimes-change": ("improving", -55, True),
        "road-casualties": ("improving", 1242, True),
    }
    client.force_login(users["board_member"])
    for slug, (direction, value, real) in expected.items():
        indicator = Indicator.objects.get(partnership=demo.partnership, slug=slug)
        assessment = items[indicator.name].assessment
        assert assessment.direction == direction, slug
        assert assessment.synthetic is not real, slug
        if value is not None:
            assert assessment.value == value, slug
        page = client.get(reverse("indicator-performance", args=[indicator.pk]))
        years = {y.period.label: y for y in page.context["years"]}
        year = "2015" if indicator.period_basis == "calendar" else "2015/16"
        assert years[year].direction == direction, slug
    # the quarter's months: Jan and Feb synthetic, March the real police month
    crime = items[Indicator.objects.get(partnership=demo.partnership, slug="crime-rate").name].assessment
    assert crime.last_year.percent > 0


def test_loading_the_demo_again_changes_nothing(demo):
    before = (Observation.objects.count(), Observation.history.count(), Population.objects.count())
    call_command("demo", verbosity=0)
    after = (Observation.objects.count(), Observation.history.count(), Population.objects.count())
    assert after == before
