"""Tests for saferplan.indicators.stats against /work/shared/reference/indicator-methods.md.

Reference values come from PHEindicatormethods v2.1.0 test data, NHSRplotthedots v0.2.2 and the Fingertips
comparison logic; every published value is checked to a relative error of 1e-6.
"""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saferplan.indicators import stats
from saferplan.indicators.stats import Interval, compare, proportion, rate, spc

REL = 1e-6

# --------------------------------------------------------------------------------------------------------
# Proportions: Wilson score interval
# --------------------------------------------------------------------------------------------------------

# x, n, value, lower 95, upper 95, lower 99.8, upper 99.8
WILSON = [
    (1, 100, 0.01, 0.0017674320641407, 0.0544861961787053, 0.000873065697300, 0.104554452837058),
    (5, 100, 0.05, 0.0215436791543680, 0.111750469231919, 0.0138653207259972, 0.164588522825964),
    (20, 100, 0.2, 0.133366933331033, 0.288829165593159, 0.105191620667114, 0.347110941700860),
    (65, 100, 0.65, 0.552544432968880, 0.736357517569025, 0.495494657407043, 0.778354061408970),
    (999, 3456, 0.2890625, 0.274189510800099, 0.304403896628181, 0.265839957680750, 0.313447544927998),
]


@pytest.mark.parametrize(("x", "n", "value", "lo95", "hi95", "lo998", "hi998"), WILSON)
def test_wilson_reference_values_95(x, n, value, lo95, hi95, lo998, hi998):
    result = proportion(x, n)
    assert result.value == pytest.approx(value, rel=REL)
    assert result.lower == pytest.approx(lo95, rel=REL)
    assert result.upper == pytest.approx(hi95, rel=REL)
    assert result.method == "Wilson"
    assert result.confidence == 0.95


@pytest.mark.parametrize(("x", "n", "value", "lo95", "hi95", "lo998", "hi998"), WILSON)
def test_wilson_reference_values_998(x, n, value, lo95, hi95, lo998, hi998):
    result = proportion(x, n, confidence=0.998)
    assert result.value == pytest.approx(value, rel=REL)
    assert result.lower == pytest.approx(lo998, rel=REL)
    assert result.upper == pytest.approx(hi998, rel=REL)
    assert result.method == "Wilson"
    assert result.confidence == 0.998


def test_wilson_multiplier_scales_value_and_limits():
    result = proportion(20, 100, multiplier=100)
    assert result.value == pytest.approx(20, rel=REL)
    assert result.lower == pytest.approx(13.3366933331033, rel=REL)
    assert result.upper == pytest.approx(28.8829165593159, rel=REL)


def test_wilson_edges_are_exactly_zero_and_one():
    assert proportion(0, 50).lower == 0
    assert proportion(0, 50).upper > 0
    assert proportion(50, 50).upper == 1
    assert proportion(50, 50, multiplier=100).upper == 100
    assert proportion(50, 50).lower < 1


def test_z_values_match_reference():
    assert stats._z(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert stats._z(0.998) == pytest.approx(3.090232, abs=1e-6)


# --------------------------------------------------------------------------------------------------------
# Crude rates: exact Poisson below 10 events, Byar's from 10
# --------------------------------------------------------------------------------------------------------

# Per 100,000 (the default multiplier): x, n, value, lower 95, upper 95, lower 99.8, upper 99.8, method
RATES = [
    (1, 100, 1000, 25.317807984289896, 5571.6433909388979, 1.0005003335835343, 9233.4134764515857, "Exact"),
    (5, 100, 5000, 1623.4863901184199, 11668.332079322669, 739.37173191783893, 16454.745203680104, "Exact"),
    (20, 100, 20000, 12211.428834875936, 30889.880369197064, 8922.8023651441927, 38085.035625041914, "Byars"),
    (65, 100, 65000, 50163.187710459453, 82849.138545939844, 42880.261471480204, 94000.290844318006, "Byars"),
    (
        999,
        3456,
        28906.25,
        27141.304936090521,
        30755.833237378414,
        26162.147596445768,
        31845.604819822653,
        "Byars",
    ),
]


@pytest.mark.parametrize(("x", "n", "value", "lo95", "hi95", "lo998", "hi998", "method"), RATES)
def test_rate_reference_values_95(x, n, value, lo95, hi95, lo998, hi998, method):
    result = rate(x, n)
    assert result.value == pytest.approx(value, rel=REL)
    assert result.lower == pytest.approx(lo95, rel=REL)
    assert result.upper == pytest.approx(hi95, rel=REL)
    assert result.method == method
    assert result.confidence == 0.95


@pytest.mark.parametrize(("x", "n", "value", "lo95", "hi95", "lo998", "hi998", "method"), RATES)
def test_rate_reference_values_998(x, n, value, lo95, hi95, lo998, hi998, method):
    result = rate(x, n, confidence=0.998)
    assert result.value == pytest.approx(value, rel=REL)
    assert result.lower == pytest.approx(lo998, rel=REL)
    assert result.upper == pytest.approx(hi998, rel=REL)
    assert result.method == method
    assert result.confidence == 0.998


@pytest.mark.parametrize(
    ("x", "lower", "upper"),
    [(65, 50.163187710459454, 82.849138545939837), (1045, 982.59320180733255, 1110.3312129856499)],
)
def test_byars_counts_alone(x, lower, upper):
    result = rate(x, 1, multiplier=1)
    assert result == Interval(
        value=pytest.approx(x, rel=REL),
        lower=pytest.approx(lower, rel=REL),
        upper=pytest.approx(upper, rel=REL),
        method="Byars",
        confidence=0.95,
    )


def test_rate_method_switches_at_ten_events():
    assert rate(9, 1000).method == "Exact"
    assert rate(10, 1000).method == "Byars"


def test_rate_zero_events_has_zero_lower_limit():
    result = rate(0, 1000, multiplier=1000)
    assert result.value == 0
    assert result.lower == 0
    # Exact upper limit for 0 events at 95 %: chi2(0.975; 2)/2 = −ln(0.025).
    assert result.upper == pytest.approx(-math.log(0.025), rel=REL)


def test_rate_allows_more_events_than_people():
    result = rate(150, 100, multiplier=1000)
    assert result.value == pytest.approx(1500)
    assert result.lower < result.value < result.upper


def test_rate_per_thousand():
    result = rate(20, 100, multiplier=1000)
    assert result.value == pytest.approx(200, rel=REL)
    assert result.lower == pytest.approx(122.11428834875936, rel=REL)
    assert result.upper == pytest.approx(308.89880369197064, rel=REL)


# --------------------------------------------------------------------------------------------------------
# Comparison with a benchmark (Fingertips method 1)
# --------------------------------------------------------------------------------------------------------

BENCHMARK = 3.0


@pytest.mark.parametrize(
    ("value", "lower", "upper", "polarity", "expected"),
    [
        (3.05, 2.7, 3.1, "higher_is_better", "similar"),
        (3.05, 2.7, 3.1, "lower_is_better", "similar"),
        (3.05, 2.7, 3.1, "none", "similar"),
        (3.3, 3.2, 3.5, "higher_is_better", "better"),
        (3.3, 3.2, 3.5, "lower_is_better", "worse"),
        (3.3, 3.2, 3.5, "none", "higher"),
        (2.5, 2.2, 2.8, "higher_is_better", "worse"),
        (2.5, 2.2, 2.8, "lower_is_better", "better"),
        (2.5, 2.2, 2.8, "none", "lower"),
    ],
)
def test_compare_reference_cases(value, lower, upper, polarity, expected):
    assert compare(value, lower, upper, BENCHMARK, polarity) == expected


@pytest.mark.parametrize("polarity", ["higher_is_better", "lower_is_better", "none"])
def test_compare_benchmark_on_a_limit_is_similar(polarity):
    assert compare(3.3, 3.0, 3.5, BENCHMARK, polarity) == "similar"
    assert compare(2.5, 2.2, 3.0, BENCHMARK, polarity) == "similar"


# --------------------------------------------------------------------------------------------------------
# SPC: XmR chart with the Making Data Count rules
# --------------------------------------------------------------------------------------------------------

REFERENCE_SERIES = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]


def flagged(result):
    return [(p.index, p.rule, p.direction, p.variation) for p in result.points if p.rule]


@pytest.mark.parametrize(("screen", "lower", "upper"), [(True, -0.72, 4.60), (False, -3.06, 6.95)])
def test_spc_reference_series_limits_and_flags(screen, lower, upper):
    result = spc(REFERENCE_SERIES, improvement="increase", screen_outliers=screen)
    assert result.screen_outliers is screen
    [group] = result.groups
    assert (group.start, group.end, group.trial) == (0, 17, False)
    assert round(group.mean, 2) == 1.94
    assert group.mean == pytest.approx(35 / 18)
    assert round(group.lower, 2) == lower
    assert round(group.upper, 2) == upper
    assert group.near_upper - group.mean == pytest.approx((group.upper - group.mean) * 2 / 3)
    # Only point 5 (index 4) is special cause, as improvement.
    assert flagged(result) == [(4, "outside_limits", "up", "improvement")]
    assert result.warnings == []
    assert result.last_variation == "common_cause"


def test_spc_screening_drops_large_moving_ranges():
    screened = spc(REFERENCE_SERIES, screen_outliers=True).groups[0]
    unscreened = spc(REFERENCE_SERIES, screen_outliers=False).groups[0]
    assert unscreened.amr == pytest.approx(32 / 17)  # 15 ranges of 1 and two of 8
    assert screened.amr == pytest.approx(1.0)  # the two ranges of 8 (≥ 3.267 × 32/17) are dropped


def test_trend_flags_seven_increasing_points():
    # Reference: only the 7th point completes a trend, and then all 7 are part of it.
    assert stats._trend_directions([1, 2, 3, 4, 5, 6]) == [0] * 6
    assert stats._trend_directions([1, 2, 3, 4, 5, 6, 7]) == [1] * 7
    assert stats._trend_directions([7, 6, 5, 4, 3, 2, 1]) == [-1] * 7


def test_trend_tie_breaks_it():
    assert stats._trend_directions([1, 2, 3, 3, 4, 5, 6]) == [0] * 7
    result = spc([1, 2, 3, 3, 4, 5, 6])
    assert all(p.rule != "trend" for p in result.points)


def test_trend_continues_and_turning_point_keeps_first_direction():
    directions = stats._trend_directions([1, 2, 3, 4, 5, 6, 7, 8, 7, 6, 5, 4, 3, 2, 1])
    assert directions == [1] * 8 + [-1] * 7


def test_spc_trend_one_to_seven_priority():
    # In 1..7 the first and last points are also outside the limits (4 ± 2.66), which takes priority.
    result = spc([1, 2, 3, 4, 5, 6, 7], improvement="increase")
    assert [p.rule for p in result.points] == ["outside_limits"] + ["trend"] * 5 + ["outside_limits"]
    assert [p.direction for p in result.points] == ["down"] + ["up"] * 6


def test_spc_trend_within_limits_all_seven_flagged():
    values = [0, 8, 0, 8, 1, 2, 3, 4, 5, 6, 7, 0, 8, 0, 8]
    result = spc(values, improvement="decrease")
    assert flagged(result) == [(i, "trend", "up", "concern") for i in range(4, 11)]
    down = spc([8 - v for v in values], improvement="decrease")
    assert flagged(down) == [(i, "trend", "down", "improvement") for i in range(4, 11)]


def test_run_flags_for_signs():
    # Reference: signs (+1 × 8, then −1): the run is complete at the 7th point, the 8th continues it,
    # the 9th point is not part of it.
    assert stats._run_directions([1] * 8 + [-1]) == [1] * 8 + [0]
    assert stats._run_directions([1] * 6 + [-1]) == [0] * 7
    assert stats._run_directions([-1] * 7) == [-1] * 7


def test_run_point_on_mean_breaks_it():
    assert stats._run_directions([1, 1, 1, 0, 1, 1, 1, 1]) == [0] * 8
    assert stats._run_directions([1, 1, 1, 1, 1, 1, 0, 1]) == [0] * 8


def test_spc_run_of_eight_then_drop():
    result = spc([1] * 8 + [-1], improvement="increase", screen_outliers=False)
    assert [p.rule for p in result.points] == ["run"] * 8 + ["outside_limits"]
    assert [p.variation for p in result.points] == ["improvement"] * 8 + ["concern"]
    assert result.last_variation == "concern"


def test_spc_run_within_limits():
    values = [10, 12, 10, 12, 10, 12, 10, 12, 13, 12, 13, 12, 13, 12, 13, 10, 12, 10]
    result = spc(values, improvement="neutral")
    rules = {p.index: (p.rule, p.variation) for p in result.points if p.rule}
    assert result.groups[0].mean == pytest.approx(208 / 18)  # 11.56
    # Indices 7..14 are 8 consecutive points above the mean: complete at the 7th, continued by the 8th.
    assert rules == {i: ("run", "neutral_high") for i in range(7, 15)}


def test_spc_two_of_three_flags_only_near_limit_points():
    values = [10, 11] * 7 + [13, 11, 13] + [10, 11, 10]
    result = spc(values, improvement="increase")
    group = result.groups[0]
    assert group.near_upper < 13 < group.upper
    assert group.mean < 11 < group.near_upper
    assert flagged(result) == [
        (14, "two_of_three", "up", "improvement"),
        (16, "two_of_three", "up", "improvement"),
    ]


def test_spc_two_of_three_downward():
    values = [10, 11] * 7 + [7, 10, 7] + [10, 11, 10]
    result = spc(values, improvement="increase", screen_outliers=False)
    group = result.groups[0]
    assert group.lower < 7 < group.near_lower
    assert flagged(result) == [
        (14, "two_of_three", "down", "concern"),
        (16, "two_of_three", "down", "concern"),
    ]


def test_spc_two_of_three_needs_all_three_on_one_side():
    values = [10, 11] * 7 + [13, 10, 13] + [10, 11, 10]
    result = spc(values, improvement="increase")
    assert result.points[15].value < result.groups[0].mean
    assert flagged(result) == []


def test_spc_flat_series_is_common_cause():
    result = spc([5, 5, 5, 5])
    assert result.groups[0].amr == 0
    assert (result.groups[0].lower, result.groups[0].upper) == (5, 5)
    assert flagged(result) == []


def test_spc_rebasing_groups_limits_and_trial_warning():
    first = [5, 1, 5, 1, 5, 1, 5, 1, 2, 3, 4, 5, 1, 5, 1]  # 15 points
    second = [5, 6, 7, 3, 7, 3, 7, 3, 7]  # 9 points
    values = first + second
    result = spc(values, improvement="increase", rebase_at=[15])
    assert [(g.start, g.end, g.trial) for g in result.groups] == [(0, 14, False), (15, 23, True)]
    assert result.groups[0].mean == pytest.approx(sum(first) / len(first))
    assert result.groups[1].mean == pytest.approx(sum(second) / len(second))
    assert result.warnings == [
        "Trial limits: the group starting at point 16 has 9 points; limits are reliable from 13."
    ]
    assert [p.group for p in result.points] == [0] * 15 + [1] * 9


def test_spc_rules_do_not_cross_group_boundaries():
    values = [5, 1, 5, 1, 5, 1, 5, 1, 2, 3, 4, 5, 6, 7, 3, 7, 3, 7, 3]
    single = spc(values, screen_outliers=False)
    assert [p.index for p in single.points if p.rule == "trend"] == list(range(7, 14))
    split = spc(values, screen_outliers=False, rebase_at=[11])
    assert all(p.rule != "trend" for p in split.points)
    assert len(split.warnings) == 2
    assert (
        split.warnings[0]
        == "Trial limits: the group starting at point 1 has 11 points; limits are reliable from 13."
    )
    assert (
        split.warnings[1]
        == "Trial limits: the group starting at point 12 has 8 points; limits are reliable from 13."
    )


def test_spc_duplicate_rebase_indices_are_one_rebase():
    assert len(spc([1, 2, 3, 4, 5, 6], rebase_at=[3, 3]).groups) == 2


@pytest.mark.parametrize(
    ("improvement", "target", "expected"),
    [
        ("increase", 5, "consistently_fails"),
        ("decrease", 5, "consistently_passes"),
        ("increase", -1, "consistently_passes"),
        ("decrease", -1, "consistently_fails"),
        ("increase", 2, "inconsistent"),
        ("decrease", 2, "inconsistent"),
        ("neutral", 5, None),
        ("increase", None, None),
    ],
)
def test_spc_assurance(improvement, target, expected):
    # Screened limits −0.72 to 4.60.
    result = spc(REFERENCE_SERIES, improvement=improvement, target=target)
    assert result.target == target
    assert result.assurance == expected


def test_spc_assurance_uses_the_last_group():
    values = REFERENCE_SERIES + [20, 21, 20, 21, 20, 21]
    result = spc(values, improvement="increase", target=10, rebase_at=[18])
    # The first group alone would consistently fail a target of 10; the last group consistently passes it.
    assert result.groups[0].upper < 10 < result.groups[1].lower
    assert result.assurance == "consistently_passes"


def test_spc_result_records_settings():
    result = spc([1, 2, 3], improvement="decrease", screen_outliers=False)
    assert (result.improvement, result.screen_outliers, result.target, result.assurance) == (
        "decrease",
        False,
        None,
        None,
    )
    assert [p.index for p in result.points] == [0, 1, 2]
    assert result.warnings == [
        "Trial limits: the group starting at point 1 has 3 points; limits are reliable from 13."
    ]


# --------------------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"x": 1, "n": 0}, "greater than zero"),
        ({"x": 1, "n": -5}, "greater than zero"),
        ({"x": -1, "n": 10}, "zero or more"),
        ({"x": 11, "n": 10}, "cannot be greater than"),
        ({"x": 1, "n": 10, "confidence": 0}, "between 0 and 1"),
        ({"x": 1, "n": 10, "confidence": 1}, "between 0 and 1"),
        ({"x": 1, "n": 10, "confidence": 95}, "between 0 and 1"),
        ({"x": math.nan, "n": 10}, "finite"),
        ({"x": 1, "n": math.inf}, "finite"),
        ({"x": 1, "n": 10, "multiplier": 0}, "greater than zero"),
    ],
)
def test_proportion_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        proportion(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"x": 1, "n": 0}, "greater than zero"),
        ({"x": -1, "n": 10}, "zero or more"),
        ({"x": 1, "n": 10, "confidence": 0}, "between 0 and 1"),
        ({"x": 1, "n": 10, "confidence": 1.5}, "between 0 and 1"),
        ({"x": math.inf, "n": 10}, "finite"),
        ({"x": 1, "n": 10, "confidence": math.nan}, "finite"),
    ],
)
def test_rate_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        rate(**kwargs)


def test_compare_errors():
    with pytest.raises(ValueError, match="polarity"):
        compare(3, 2, 4, 3, "up")
    with pytest.raises(ValueError, match="greater than upper"):
        compare(3, 4, 2, 3, "none")
    with pytest.raises(ValueError, match="finite"):
        compare(3, 2, 4, math.nan, "none")


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (([],), {}, "at least 2 points"),
        (([4],), {}, "at least 2 points"),
        (([1, 2, math.nan],), {}, "index 2 must be a finite"),
        (([1, math.inf, 2],), {}, "index 1 must be a finite"),
        (([1, 2, 3],), {"improvement": "up"}, "improvement must be one of"),
        (([1, 2, 3, 4],), {"rebase_at": [4]}, "out of range"),
        (([1, 2, 3, 4],), {"rebase_at": [0]}, "out of range"),
        (([1, 2, 3, 4],), {"rebase_at": [-1]}, "out of range"),
        (([1, 2, 3, 4],), {"rebase_at": [3]}, "starting at point 4 has only 1 point"),
        (([1, 2, 3, 4, 5],), {"rebase_at": [2, 3]}, "starting at point 3 has only 1 point"),
        (([1, 2, 3, 4],), {"rebase_at": [1.5]}, "whole number"),
        (([1, 2, 3],), {"target": math.nan}, "target must be a finite"),
    ],
)
def test_spc_errors(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        spc(*args, **kwargs)


# --------------------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------------------

confidences = st.sampled_from([0.8, 0.9, 0.95, 0.99, 0.998, 0.9999])


@st.composite
def counts(draw, max_n=10**7):
    n = draw(st.integers(min_value=1, max_value=max_n))
    x = draw(st.integers(min_value=0, max_value=n))
    return x, n


@settings(deadline=None)
@given(counts(), confidences, st.sampled_from([1, 100, 1000]))
def test_proportion_interval_contains_value_and_stays_in_range(xn, confidence, multiplier):
    x, n = xn
    result = proportion(x, n, confidence=confidence, multiplier=multiplier)
    assert 0 <= result.lower <= result.value <= result.upper <= multiplier


@settings(deadline=None)
@given(counts(max_n=10**5), confidences, st.integers(min_value=2, max_value=100))
def test_proportion_interval_narrows_as_n_grows(xn, confidence, k):
    x, n = xn
    small = proportion(x, n, confidence=confidence)
    large = proportion(k * x, k * n, confidence=confidence)
    assert large.value == pytest.approx(small.value)
    assert large.upper - large.lower < small.upper - small.lower


@settings(deadline=None)  # the first call imports SciPy
@given(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=1, max_value=10**7),
    confidences,
    st.sampled_from([1, 1000, 100_000]),
)
def test_rate_interval_contains_value(x, n, confidence, multiplier):
    result = rate(x, n, multiplier=multiplier, confidence=confidence)
    assert 0 <= result.lower <= result.value <= result.upper


@settings(deadline=None)  # the first call imports SciPy
@given(
    st.integers(min_value=1, max_value=1000),
    st.integers(min_value=1, max_value=10**5),
    st.integers(min_value=2, max_value=50),
)
def test_rate_interval_narrows_as_n_grows(x, n, k):
    small = rate(x, n)
    large = rate(k * x, k * n)
    assert large.value == pytest.approx(small.value)
    assert large.upper - large.lower < small.upper - small.lower


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(min_value=-50, max_value=50), min_size=2, max_size=40),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.sampled_from(["increase", "decrease", "neutral"]),
    st.booleans(),
    st.data(),
)
def test_spc_flags_invariant_to_adding_a_constant(values, constant, improvement, screen, data):
    cuts = (
        data.draw(st.sets(st.integers(min_value=2, max_value=len(values) - 2), max_size=2))
        if len(values) >= 4
        else set()
    )
    # Keep every group at 2 points or more.
    rebase_at = sorted(c for c in cuts if all(abs(c - d) >= 2 for d in cuts if d != c))
    base = spc(values, improvement=improvement, screen_outliers=screen, rebase_at=rebase_at)
    shifted = spc(
        [v + constant for v in values], improvement=improvement, screen_outliers=screen, rebase_at=rebase_at
    )
    assert [(p.rule, p.direction, p.variation) for p in shifted.points] == [
        (p.rule, p.direction, p.variation) for p in base.points
    ]
    for a, b in zip(base.groups, shifted.groups, strict=True):
        assert b.mean == pytest.approx(a.mean + constant, abs=1e-6)
        assert b.amr == pytest.approx(a.amr, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=-1000, max_value=1000), min_size=2, max_size=40))
def test_spc_points_are_consistent(values):
    result = spc(values, improvement="increase")
    assert [p.index for p in result.points] == list(range(len(values)))
    for point in result.points:
        assert (point.rule is None) == (point.direction is None) == (point.variation == "common_cause")
        if point.rule == "outside_limits":
            group = result.groups[point.group]
            assert point.value > group.upper or point.value < group.lower
