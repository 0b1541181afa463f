"""Assessments: change, aggregation, RAG, cumulative targets, SPC, benchmarks, summary sentence."""

import pytest

from saferplan.indicators.assessment import (
    IndicatorInfo,
    Point,
    TargetInfo,
    assess,
    point_for,
    rag_for,
    series_caveat,
    span_comparison,
    spc_series,
    summarise,
)
from saferplan.indicators.periods import Period, parse

COUNT_LOWER = IndicatorInfo(unit="count", polarity="lower_is_better", frequency="monthly")


def months(start_year: int, start_month: int, values: list[float], **extra) -> list[Point]:
    points = []
    year, month = start_year, start_month
    for v in values:
        points.append(Point(Period.month(year, month), v, **extra))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return points


def test_asb_reduction_from_the_plan():
    # 000 section 4: 20,649 incidents in 2015/16, a reduction of 11.2% from 23,257 in 2014/15.
    points = [Point(parse("2014/15"), 23257), Point(parse("2015/16"), 20649)]
    a = assess(COUNT_LOWER, points, parse("2015/16"))
    assert a.last_year.previous == 23257 and a.last_year.absolute == -2608
    assert a.last_year.percent == pytest.approx(-11.2138, abs=1e-4)
    assert a.direction == "improving"
    assert a.summary.startswith("Lower than the same period last year (−11.2%)")
    assert a.interval.method == "Byars" and a.interval.lower < 20649 < a.interval.upper


def test_baseline_first_time_entrants():
    # "Since 2007-08 we have achieved an 86% reduction from 1,129 young people in 2007-08 to 161 in 2015-16"
    info = IndicatorInfo(
        unit="count", polarity="lower_is_better", frequency="annual", baseline_period="FY-2007-08"
    )
    points = [Point(parse("2007/08"), 1129), Point(parse("2015/16"), 161)]
    a = assess(info, points, parse("2015/16"))
    assert a.baseline.absolute == -968 and round(a.baseline.percent) == -86
    assert a.last_year is None and a.direction == "no data"
    assert "No figure for the same period last year" in a.summary


def test_quarter_and_year_are_added_up_from_months():
    points = months(2014, 4, [10] * 12 + [12] * 12)
    a = assess(COUNT_LOWER, points, parse("Q1 2015/16"))
    assert a.value == 36 and a.last_year.previous == 30 and a.direction == "worsening"
    year = assess(COUNT_LOWER, points, parse("2015/16"))
    assert year.value == 144 and year.last_year.previous == 120
    assert year.rolling_12 == 144 and year.year_to_date == 144
    mid = assess(COUNT_LOWER, points, Period.month(2015, 6))
    assert mid.rolling_12 == 9 * 10 + 3 * 12 and mid.year_to_date == 36
    incomplete = months(2015, 4, [10, 10])
    assert point_for(COUNT_LOWER, incomplete, parse("Q1 2015/16")) is None


def test_percentages_pool_numerators_and_report_points():
    info = IndicatorInfo(unit="percentage", polarity="higher_is_better", frequency="monthly")
    points = months(2015, 4, [50.0, 25.0, 75.0], numerator=None)
    pooled = [
        Point(p.period, p.value, numerator=n, denominator=d)
        for p, n, d in zip(points, [50, 10, 75], [100, 40, 100], strict=True)
    ]
    a = assess(info, pooled, parse("Q1 2015/16"))
    assert a.value == pytest.approx(135 / 240 * 100)
    assert a.interval.method == "Wilson"
    last = [Point(Period.month(2014, m), 50.0, numerator=50, denominator=100) for m in (4, 5, 6)]
    a = assess(info, last + pooled, parse("Q1 2015/16"))
    assert "percentage points" in a.summary and a.direction == "improving"


def test_rag_with_tolerance_and_polarity():
    higher = IndicatorInfo(unit="count", polarity="higher_is_better", frequency="annual", rag_tolerance=5)
    assert rag_for(higher, 100, 100) == "green"
    assert rag_for(higher, 95, 100) == "amber"
    assert rag_for(higher, 94.9, 100) == "red"
    assert rag_for(COUNT_LOWER, 105, 100) == "amber" and rag_for(COUNT_LOWER, 106, 100) == "red"
    assert rag_for(IndicatorInfo("count", "none", "annual"), 1, 100) == "grey"
    assert rag_for(higher, None, 100) == "grey" and rag_for(higher, 100, None) == "grey"


def test_cumulative_target_judged_against_its_trajectory():
    # "1,932 families against a target of 2,340" by March 2017, counted from April 2015.
    info = IndicatorInfo(unit="count", polarity="higher_is_better", frequency="annual")
    target = TargetInfo(value=2340, cumulative=True, start=Period.month(2015, 4), due=Period.month(2017, 3))
    a = assess(info, [Point(parse("2015/16"), 1932)], parse("2015/16"), targets=[target])
    assert a.target == 1170 and a.rag == "green"  # half way through, 1,932 is ahead of 1,170
    monthly = IndicatorInfo(unit="count", polarity="higher_is_better", frequency="monthly")
    behind = assess(monthly, months(2015, 4, [50] * 12), Period.month(2016, 3), targets=[target])
    assert behind.target == 1170 and behind.rag == "red"  # 600 counted against 1,170 expected


def test_spc_status_and_special_cause_in_the_summary():
    values = [100, 102, 98, 101, 99, 100, 103, 97, 100, 101, 99, 100, 160]
    a = assess(COUNT_LOWER, months(2015, 4, values), Period.month(2016, 4))
    assert a.spc is not None and a.spc_status == "concern"
    assert "special cause concern" in a.summary


def test_benchmark_comparison_uses_the_interval():
    info = IndicatorInfo(unit="rate_per_1000", polarity="lower_is_better", frequency="annual")
    point = Point(parse("2015/16"), 55.28, numerator=28690, denominator=519000)
    bench = {"England": Point(parse("2015/16"), 66.0), "North East": Point(parse("2015/16"), 55.3)}
    a = assess(info, [point], parse("2015/16"), benchmarks=bench)
    assert a.benchmarks == {"England": "better", "North East": "similar"}


def test_no_data():
    a = assess(COUNT_LOWER, [], parse("2015/16"))
    assert a.value is None and a.rag == "grey" and a.summary == "No figure for this period."


def test_spans_rolling_and_year_to_date_figures_stay_out_of_series_and_spc():
    regular = months(2015, 4, [100, 102, 98, 101, 99, 100, 103, 97, 100, 101, 99, 100])
    span = Point(Period.span(2015, 9, 2016, 2), 5000)  # over six months, far above any month
    rolling = Point(Period.rolling_12(2016, 2), 4000)
    ytd = Point(Period.year_to_date(2016, 1), 3000)
    year = Point(parse("2015/16"), 1200)
    points = sorted([*regular, span, rolling, ytd, year], key=lambda p: (p.period.start, p.period.end))
    series = spc_series(points, Period.month(2016, 3))
    assert [p.period for p in series] == [p.period for p in regular]
    assert spc_series([span, rolling, ytd, year], Period.month(2016, 3)) == []
    a = assess(COUNT_LOWER, points, Period.month(2016, 3))
    assert a.spc is not None and len(a.spc.points) == 12 and a.spc_status == "common_cause"
    assert a.rolling_12 == sum(p.value for p in regular) and a.year_to_date == sum(p.value for p in regular)
    # A quarter is added up from its months, never from a span or year to date over the same months.
    q3 = assess(COUNT_LOWER, points, parse("Q3 2015/16"))
    assert q3.value == 103 + 97 + 100


def test_a_span_is_compared_only_with_the_same_span_a_year_earlier():
    # 002: "110 hoarders who have been identified compared to 6 during the same period last year".
    info = IndicatorInfo(unit="count", polarity="none", frequency="annual")
    span = Period.span(2014, 9, 2015, 11)
    months_inside = months(2013, 9, [1] * 27)  # a monthly series over both spans
    earlier = Point(Period.span(2013, 9, 2014, 11), 6)
    current = Point(span, 110)
    # Never added up from months: a span counts what its publisher counted.
    assert point_for(info, months_inside, span) is None
    got, before, change = span_comparison([earlier, current, *months_inside], span)
    assert got == current and before == earlier
    assert change.against == "Sep 2013 – Nov 2014" and change.absolute == 104 and not change.mixed
    assert span_comparison([current, *months_inside], span) == (current, None, None)
    # The span before, or the months, are no comparison.
    other = Point(Period.span(2013, 10, 2014, 11), 6)
    assert span_comparison([other, current], span)[2] is None
    a = assess(info, [earlier, current], span)
    assert a.value == 110 and a.last_year.previous == 6 and a.spc is None


def test_a_comparison_of_a_real_figure_with_a_synthetic_one_says_so():
    real = Point(parse("2015/16"), 20649, origin="published")
    synthetic = Point(parse("2014/15"), 23000, synthetic=True, origin="synthetic")
    a = assess(COUNT_LOWER, [synthetic, real], parse("2015/16"))
    assert a.last_year.mixed == "earlier" and a.origin == "published"
    assert a.last_year.caveat == "the earlier figure is synthetic demo data"
    assert a.summary == (
        "Lower than the same period last year (−10.2%; the earlier figure is synthetic demo data); "
        "too few points for SPC."
    )
    both_real = assess(COUNT_LOWER, [real._replace(period=parse("2014/15")), real], parse("2015/16"))
    assert not both_real.last_year.mixed and "synthetic" not in both_real.summary
    # The same the other way round, and for benchmarks.
    later = assess(
        COUNT_LOWER,
        [real._replace(period=parse("2014/15")), synthetic._replace(period=parse("2015/16"))],
        parse("2015/16"),
    )
    assert later.last_year.caveat == "the later figure is synthetic demo data"
    assert later.summary.endswith("(synthetic demo data).")
    bench = assess(COUNT_LOWER, [real], parse("2015/16"), benchmarks={"England": synthetic})
    assert bench.benchmark_caveats == {"England": "the England figure is synthetic demo data"}
    assert assess(COUNT_LOWER, [real], parse("2015/16"), benchmarks={"England": real}).benchmark_caveats == {}
    assert summarise(a) == a.summary


def test_a_period_added_up_from_months_keeps_their_origin_and_says_when_it_mixes():
    police = months(2015, 4, [10, 11, 12], origin="police")
    assert point_for(COUNT_LOWER, police, parse("Q1 2015/16")).origin == "police"
    mixed = [*police[:2], Point(Period.month(2015, 6), 12, synthetic=True, origin="synthetic")]
    quarter = point_for(COUNT_LOWER, mixed, parse("Q1 2015/16"))
    assert quarter.origin == "mixed" and quarter.synthetic
    assert series_caveat(police) == ""
    assert series_caveat(mixed).startswith(
        "The series mixes real figures with synthetic demo data (1 of its 3"
    )
    assert series_caveat([mixed[-1]]) == ""
