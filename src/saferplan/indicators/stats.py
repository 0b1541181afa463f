"""Indicator statistics: confidence intervals, benchmark comparison and SPC (XmR) charts.

Pure functions with no Django or database dependency, so that they can be tested against the published
reference values in ``/work/shared/reference/indicator-methods.md`` and reused outside the web app.

Sources (all public, open licence):

- PHEindicatormethods (UKHSA / OHID R package), v2.1.0: Wilson score intervals for proportions
  (``phe_proportion``, ``wilson_lower`` / ``wilson_upper``) and exact Poisson / Byar's intervals for crude
  rates (``phe_rate``, ``byars_lower`` / ``byars_upper``); reference values from its
  ``tests/testthat/testdata_*.xlsx``. These are the methods behind Fingertips and the Public Health Outcomes
  Framework.
- Fingertips (UKHSA), PholioVisualisationWS/Analysis: "better / similar / worse than benchmark" by whether the
  benchmark lies inside the area's confidence interval (comparison method 1).
- NHSRplotthedots (NHS-R Community R package), v0.2.2: NHS England "Making Data Count" XmR charts
  (``ptd_spc_standard``, ``ptd_calculate_point_type``, ``ptd_calculate_assurance_type``).

z is the standard normal quantile at 1 − (1 − confidence)/2 (``statistics.NormalDist``); the chi-squared
quantile for exact Poisson limits comes from SciPy.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from statistics import NormalDist

__all__ = [
    "Interval",
    "SPCGroup",
    "SPCPoint",
    "SPCResult",
    "compare",
    "proportion",
    "rate",
    "spc",
]


# --------------------------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------------------------


def _finite(name: str, value: float) -> float:
    """Return ``value`` as a float, or raise ValueError if it is not a finite number."""
    try:
        result = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, not {value!r}.") from None
    if not math.isfinite(result):
        raise ValueError(f"{name} must be a finite number, not {value!r}.")
    return result


def _z(confidence: float) -> float:
    """Standard normal quantile at 1 − (1 − confidence)/2 (1.959964 at 95 %, 3.090232 at 99.8 %)."""
    confidence = _finite("confidence", confidence)
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be strictly between 0 and 1 (e.g. 0.95), not {confidence!r}.")
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def _positive(name: str, value: float) -> float:
    value = _finite(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be greater than zero, not {value!r}.")
    return value


# --------------------------------------------------------------------------------------------------------
# Confidence intervals
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """A value with its confidence interval, the method that produced it and the confidence level."""

    value: float
    lower: float
    upper: float
    method: str
    confidence: float


def proportion(x: float, n: float, confidence: float = 0.95, multiplier: float = 1) -> Interval:
    """Proportion x/n with a Wilson score confidence interval (method ``"Wilson"``).

    Source: PHEindicatormethods v2.1.0, ``phe_proportion`` with ``wilson_lower`` / ``wilson_upper``
    (R/utils.R), after Wilson EB (1927) and Newcombe RG, Altman DG, *Statistics with confidence* (2000)::

        limits = (2x + z² ∓ z·√(z² + 4x(1 − x/n))) / (2(n + z²))

    The value and both limits are multiplied by ``multiplier`` (1 for a proportion, 100 for a percentage).
    Limits are clamped to [0, multiplier] to absorb floating-point rounding at x = 0 and x = n.

    Raises ValueError unless 0 ≤ x ≤ n, n > 0, multiplier > 0 and 0 < confidence < 1.
    """
    x = _finite("x (numerator)", x)
    n = _positive("n (denominator)", n)
    multiplier = _positive("multiplier", multiplier)
    if x < 0:
        raise ValueError(f"x (numerator) must be zero or more, not {x!r}.")
    if x > n:
        raise ValueError(
            f"x (numerator) {x!r} cannot be greater than n (denominator) {n!r} for a proportion."
        )
    z = _z(confidence)
    z2 = z * z
    root = z * math.sqrt(z2 + 4 * x * (1 - x / n))
    denominator = 2 * (n + z2)
    lower = 0.0 if x == 0 else max(0.0, (2 * x + z2 - root) / denominator)
    upper = 1.0 if x == n else min(1.0, (2 * x + z2 + root) / denominator)
    return Interval(
        value=x / n * multiplier,
        lower=lower * multiplier,
        upper=upper * multiplier,
        method="Wilson",
        confidence=float(confidence),
    )


def _exact_poisson_limits(x: float, confidence: float) -> tuple[float, float]:
    """Exact Poisson limits for a count, from chi-squared quantiles.

    Source: PHEindicatormethods v2.1.0, ``phe_rate`` (R/Rates.R), method "Exact" for fewer than 10 events::

        lower = χ²⁻¹((1 − conf)/2; 2x) / 2   (0 when x = 0)
        upper = χ²⁻¹(1 − (1 − conf)/2; 2x + 2) / 2
    """
    # Imported here so that importing this module (e.g. from Django views) does not load SciPy.
    from scipy.stats import chi2

    alpha = 1 - confidence
    lower = 0.0 if x == 0 else float(chi2.ppf(alpha / 2, 2 * x)) / 2
    upper = float(chi2.ppf(1 - alpha / 2, 2 * x + 2)) / 2
    return lower, upper


def _byars_limits(x: float, z: float) -> tuple[float, float]:
    """Byar's approximation to the Poisson limits for a count.

    Source: PHEindicatormethods v2.1.0, ``byars_lower`` / ``byars_upper`` (R/utils.R), after Breslow NE,
    Day NE, *Statistical methods in cancer research* vol. II (1987)::

        lower = x(1 − 1/(9x) − z/(3√x))³
        upper = (x + 1)(1 − 1/(9(x + 1)) + z/(3√(x + 1)))³

    PHEindicatormethods returns NA for a negative lower limit (only possible at extreme confidence levels);
    here it is clamped to 0.
    """
    lower = x * (1 - 1 / (9 * x) - z / (3 * math.sqrt(x))) ** 3
    upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * math.sqrt(x + 1))) ** 3
    return max(0.0, lower), upper


def rate(x: float, n: float, multiplier: float = 100_000, confidence: float = 0.95) -> Interval:
    """Crude rate x/n × multiplier with a Poisson confidence interval.

    Source: PHEindicatormethods v2.1.0, ``phe_rate`` (R/Rates.R): exact Poisson limits (method ``"Exact"``,
    via chi-squared quantiles) when x < 10, Byar's method (method ``"Byars"``) when x ≥ 10. The limits for
    the count are divided by n and multiplied by ``multiplier`` (100,000 per 100,000; 1,000 per 1,000
    population). x may exceed n (events can outnumber people). For a count on its own, use n = 1 and
    multiplier = 1.

    Raises ValueError unless x ≥ 0, n > 0, multiplier > 0 and 0 < confidence < 1.
    """
    x = _finite("x (count of events)", x)
    n = _positive("n (denominator)", n)
    multiplier = _positive("multiplier", multiplier)
    if x < 0:
        raise ValueError(f"x (count of events) must be zero or more, not {x!r}.")
    z = _z(confidence)
    if x < 10:
        method = "Exact"
        lower, upper = _exact_poisson_limits(x, float(confidence))
    else:
        method = "Byars"
        lower, upper = _byars_limits(x, z)
    scale = multiplier / n
    return Interval(
        value=x * scale,
        lower=lower * scale,
        upper=upper * scale,
        method=method,
        confidence=float(confidence),
    )


# --------------------------------------------------------------------------------------------------------
# Comparison with a benchmark
# --------------------------------------------------------------------------------------------------------

POLARITIES = ("higher_is_better", "lower_is_better", "none")


def compare(value: float, lower: float, upper: float, benchmark: float, polarity: str) -> str:
    """Compare an area's value with a benchmark using the area's confidence interval.

    Source: Fingertips (UKHSA), PholioVisualisationWS/Analysis, comparison method 1 ("benchmark inside the
    confidence interval"): if ``lower ≤ benchmark ≤ upper`` (inclusive) the area is ``"similar"``; if the
    whole interval is above the benchmark the area is higher, if below it is lower.

    ``polarity``:

    - ``"higher_is_better"``: higher → ``"better"``, lower → ``"worse"``;
    - ``"lower_is_better"``: higher → ``"worse"``, lower → ``"better"``;
    - ``"none"``: ``"higher"`` / ``"similar"`` / ``"lower"`` (never better or worse).

    ``value`` does not enter the decision (only the interval does) but must be a finite number.
    Raises ValueError for an unknown polarity, a non-finite number or ``lower > upper``.
    """
    if polarity not in POLARITIES:
        raise ValueError(f"polarity must be one of {', '.join(POLARITIES)}; not {polarity!r}.")
    _finite("value", value)
    lower = _finite("lower", lower)
    upper = _finite("upper", upper)
    benchmark = _finite("benchmark", benchmark)
    if lower > upper:
        raise ValueError(f"lower limit {lower!r} is greater than upper limit {upper!r}.")
    if lower <= benchmark <= upper:
        return "similar"
    higher = lower > benchmark
    if polarity == "none":
        return "higher" if higher else "lower"
    if polarity == "higher_is_better":
        return "better" if higher else "worse"
    return "worse" if higher else "better"


# --------------------------------------------------------------------------------------------------------
# Statistical process control: XmR chart with the "Making Data Count" rules
# --------------------------------------------------------------------------------------------------------

IMPROVEMENTS = ("increase", "decrease", "neutral")

# Constants from NHSRplotthedots v0.2.2 (R/ptd_spc_standard.R), held as exact fractions so that every
# comparison is exact: the rules then depend only on differences between values, never on rounding.
_LIMIT = Fraction(266, 100)  # process limits: mean ± 2.66 × AMR
_NEAR_LIMIT = Fraction(2, 3) * _LIMIT  # near ("2 sigma") limits: mean ± (2/3) × 2.66 × AMR
_SCREEN = Fraction(3267, 1000)  # outlier screening: drop moving ranges ≥ 3.267 × AMR
_RULE_LENGTH = 7  # points in a trend or a run
RELIABLE_POINTS = 13  # a group with fewer points has trial limits

RULES = ("outside_limits", "trend", "two_of_three", "run")  # in priority order


@dataclass(frozen=True)
class SPCGroup:
    """One group of points (between rebases) with its own centre line and limits.

    ``start`` and ``end`` are indices into the values (``end`` inclusive); ``amr`` is the average moving
    range after optional outlier screening; ``trial`` is True when the group has fewer than 13 points.
    """

    start: int
    end: int
    mean: float
    amr: float
    lower: float
    upper: float
    near_lower: float
    near_upper: float
    trial: bool

    @property
    def size(self) -> int:
        """Number of points in the group."""
        return self.end - self.start + 1


@dataclass(frozen=True)
class SPCPoint:
    """One point of the chart with the special-cause rule (if any) that flags it.

    ``rule`` is None or one of ``"outside_limits"``, ``"trend"``, ``"two_of_three"``, ``"run"``;
    ``direction`` is ``"up"`` (above the mean, or an increasing trend) or ``"down"``, None for common cause;
    ``variation`` is ``"common_cause"``, ``"improvement"``, ``"concern"``, ``"neutral_high"`` or
    ``"neutral_low"``. ``group`` is the index of the point's group in ``SPCResult.groups``.
    """

    index: int
    value: float
    group: int
    rule: str | None
    direction: str | None
    variation: str


@dataclass(frozen=True)
class SPCResult:
    """The XmR chart: groups with their limits, classified points, trial-limit warnings and assurance."""

    groups: list[SPCGroup]
    points: list[SPCPoint]
    improvement: str
    screen_outliers: bool
    warnings: list[str]
    target: float | None
    assurance: str | None

    @property
    def last_variation(self) -> str:
        """Variation of the most recent point ("common_cause", "improvement", "concern", ...)."""
        return self.points[-1].variation


def _sign(value: Fraction) -> int:
    return (value > 0) - (value < 0)


def _segments(flags: Sequence[int]) -> list[tuple[int, int, int]]:
    """Maximal stretches of equal non-zero flags, as (start, end inclusive, flag)."""
    result = []
    start = 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[start]:
            if flags[start] != 0:
                result.append((start, i - 1, flags[start]))
            start = i
    return result


def _trend_directions(values: Sequence[Fraction | float]) -> list[int]:
    """Trend rule: +1/−1 for points in 7 or more points in a row each strictly higher/lower than the last.

    Source: NHSRplotthedots v0.2.2, ``ptd_seven_point_trend`` and ``ptd_part_of_seven_trend``
    (R/ptd_calculate_point_type.R): the 7th point completes a trend, all 7 points are part of it, and each
    later point that continues the trend is part of it too. A tie (equal consecutive values) breaks it.

    A point at a turning point can end one trend and start the opposite one (e.g. 1..7 then 6..0): it keeps
    the direction of the trend it completed, the earlier one.
    """
    n = len(values)
    # step[i] is the sign of the change into point i, for i ≥ 1.
    steps = [0] + [_sign(values[i] - values[i - 1]) for i in range(1, n)]
    result = [0] * n
    # A stretch of k equal non-zero steps ending at point e covers points e − k .. e (k + 1 points).
    for start, end, step in _segments(steps):
        first = start - 1
        if end - first + 1 >= _RULE_LENGTH:
            for i in range(first, end + 1):
                if result[i] == 0:
                    result[i] = step
    return result


def _run_directions(sides: Sequence[int]) -> list[int]:
    """Run rule: +1/−1 for points in 7 or more points in a row above/below the mean.

    Source: NHSRplotthedots v0.2.2, ``ptd_seven_point_one_side_mean`` and ``ptd_part_of_seven_trend``
    (R/ptd_calculate_point_type.R): ``sides`` are the signs of (value − mean); a point exactly on the mean
    (sign 0) breaks a run; the run is complete at the 7th point, all 7 are flagged, and later points on the
    same side continue it.
    """
    result = [0] * len(sides)
    for start, end, side in _segments(sides):
        if end - start + 1 >= _RULE_LENGTH:
            result[start : end + 1] = [side] * (end - start + 1)
    return result


def _two_of_three_directions(close: Sequence[bool], sides: Sequence[int]) -> list[int]:
    """Two-out-of-three rule: +1/−1 for near-limit points in a qualifying window.

    Source: NHSRplotthedots v0.2.2, ``ptd_two_in_three`` and ``ptd_part_of_two_in_three``
    (R/ptd_calculate_point_type.R): in any window of 3 consecutive points, if at least 2 are beyond the near
    (2-sigma) limits but not outside the process limits (``close``), and all 3 are on the same side of the
    mean, the near-limit points in that window are flagged (the third point is not).
    """
    result = [0] * len(sides)
    for i in range(len(sides) - 2):
        if close[i] + close[i + 1] + close[i + 2] < 2:
            continue
        side = sides[i]
        if side != 0 and sides[i + 1] == side and sides[i + 2] == side:
            for j in (i, i + 1, i + 2):
                if close[j]:
                    result[j] = side
    return result


def _as_integers(values: Sequence[float]) -> tuple[list[int], int]:
    """The values as integers over one common power-of-two denominator: exact, and fast to compare."""
    ratios = [v.as_integer_ratio() for v in values]
    scale = max(d for _, d in ratios)
    return [n * (scale // d) for n, d in ratios], scale


@dataclass(frozen=True)
class _ExactGroup:
    """A group's centre line and limits in exact integer arithmetic.

    With values y (integers over `scale`), mean = total / count and AMR = ranges / kept; a comparison such as
    y > mean + 2.66 × AMR is made as 50·count·kept·y > 50·kept·total + 133·count·ranges, with no rounding.
    """

    start: int
    end: int
    total: int
    count: int
    ranges: int
    kept: int
    scale: int

    def side(self, y: int) -> int:
        return _sign(self.count * y - self.total)

    def beyond(self, y: int, width_num: int, width_den: int) -> int:
        """+1 above mean + (width_num/width_den)·AMR, −1 below mean − it, else 0."""
        left = width_den * self.count * self.kept * y
        centre = width_den * self.kept * self.total
        spread = width_num * self.count * self.ranges
        return 1 if left > centre + spread else -1 if left < centre - spread else 0

    def fractions(self) -> dict[str, Fraction]:
        """Mean, AMR and limits as exact fractions of the original values."""
        mean = Fraction(self.total, self.count * self.scale)
        amr = Fraction(self.ranges, self.kept * self.scale)
        return {
            "mean": mean,
            "amr": amr,
            "lower": mean - _LIMIT * amr,
            "upper": mean + _LIMIT * amr,
            "near_lower": mean - _NEAR_LIMIT * amr,
            "near_upper": mean + _NEAR_LIMIT * amr,
        }


def _group_limits(
    values: Sequence[int], start: int, end: int, screen_outliers: bool, scale: int
) -> _ExactGroup:
    """Centre line and limits for one group.

    Source: NHSRplotthedots v0.2.2, ``ptd_spc_standard`` (R/ptd_spc_standard.R): mean of the values;
    moving ranges |y_i − y_{i−1}| within the group; AMR their mean; with screening, drop every moving range
    ≥ 3.267 × AMR and recompute the AMR once. Limits mean ± 2.66 × AMR, near limits mean ± (2/3) × 2.66 × AMR.

    When every moving range is 0 (a flat series) screening would drop them all; the AMR is left at 0.
    """
    ys = values[start : end + 1]
    moving = [abs(ys[i] - ys[i - 1]) for i in range(1, len(ys))]
    ranges, kept = sum(moving), len(moving)
    if screen_outliers and ranges > 0:
        # r < 3.267 × ranges / kept  ⇔  1000 · kept · r < 3267 · ranges; never empty (some r ≤ the mean)
        survivors = [r for r in moving if 1000 * kept * r < 3267 * ranges]
        ranges, kept = sum(survivors), len(survivors)
    return _ExactGroup(
        start=start, end=end, total=sum(ys), count=len(ys), ranges=ranges, kept=kept, scale=scale
    )


def _variation(direction: int, improvement: str) -> str:
    """Improvement, concern or neutral for a flagged direction (+1 up, −1 down).

    Source: NHSRplotthedots v0.2.2, ``ptd_calculate_point_type``: a flag upward is improvement when the
    improvement direction is "increase" and concern when "decrease"; the reverse downward; with "neutral",
    "neutral_high" / "neutral_low".
    """
    if improvement == "neutral":
        return "neutral_high" if direction > 0 else "neutral_low"
    wanted = 1 if improvement == "increase" else -1
    return "improvement" if direction == wanted else "concern"


def _assurance(group: _ExactGroup, target: float | None, improvement: str) -> str | None:
    """Assurance of meeting a target, from the last group's process limits.

    Source: NHSRplotthedots v0.2.2, ``ptd_calculate_assurance_type`` (R/ptd_calculate_assurance_type.R):
    a target above the upper limit is consistently failed when higher is better (passed when lower is
    better); below the lower limit, the reverse; otherwise (limits straddle or touch the target) the process
    will inconsistently hit and miss it. None without a target or with a neutral improvement direction.
    """
    if target is None or improvement == "neutral":
        return None
    exact = Fraction(target)
    increasing = improvement == "increase"
    bounds = group.fractions()
    if exact > bounds["upper"]:
        return "consistently_fails" if increasing else "consistently_passes"
    if exact < bounds["lower"]:
        return "consistently_passes" if increasing else "consistently_fails"
    return "inconsistent"


def _group_bounds(count: int, rebase_at: Sequence[int]) -> list[tuple[int, int]]:
    indices = set()
    for raw in rebase_at:
        try:
            index = operator.index(raw)
        except TypeError:
            raise ValueError(f"rebase index {raw!r} must be a whole number.") from None
        if not 1 <= index < count:
            raise ValueError(
                f"rebase index {index} is out of range: with {count} points a rebase must be at an index "
                f"from 1 to {count - 1} (the first group always starts at index 0)."
            )
        indices.add(index)
    starts = [0, *sorted(indices)]
    bounds = [(start, end - 1) for start, end in zip(starts, [*starts[1:], count], strict=True)]
    for start, end in bounds:
        if end == start:
            raise ValueError(
                f"the group starting at point {start + 1} has only 1 point; each group needs at least 2 "
                "points to have a moving range."
            )
    return bounds


def spc(
    values: Sequence[float],
    improvement: str = "neutral",
    screen_outliers: bool = True,
    rebase_at: Sequence[int] = (),
    target: float | None = None,
) -> SPCResult:
    """XmR statistical process control chart with the NHS England "Making Data Count" rules.

    Source: NHSRplotthedots v0.2.2 (``ptd_spc``; R/ptd_spc_standard.R, R/ptd_calculate_point_type.R,
    R/ptd_calculate_assurance_type.R).

    - ``improvement``: ``"increase"`` (higher is better), ``"decrease"`` or ``"neutral"``.
    - ``screen_outliers``: drop moving ranges ≥ 3.267 × AMR before the limits are set (the NHSRplotthedots
      default); the Making Data Count Excel tool does not screen, so pass False to match it.
    - ``rebase_at``: indices where a new group starts, with its own mean and limits; the rules run within
      each group. A group of fewer than 13 points has trial limits and a warning says so.
    - ``target``: if given (and improvement is not neutral), ``assurance`` says whether the last group's
      process will ``"consistently_passes"``, ``"consistently_fails"`` or is ``"inconsistent"``.

    Each point takes the first special-cause rule that applies, in the order: ``"outside_limits"`` (beyond
    mean ± 2.66 AMR), ``"trend"`` (7 points in a row each strictly higher, or lower, than the one before),
    ``"two_of_three"`` (2 of 3 points beyond the near limits on the same side), ``"run"`` (7 points in a row
    on the same side of the mean). Direction is ``"up"`` for a point above the mean (outside limits, two of
    three, run) or an increasing trend, ``"down"`` otherwise.

    Comparisons are made in exact integer arithmetic on the values as given (each float is an exact ratio
    over a power of two), so the classification depends only on the differences between values (adding a
    constant to every value changes no flag); the limits in the result are rounded to floats once, at the end.

    Raises ValueError for fewer than 2 values, a non-finite value or target, an unknown improvement
    direction, a rebase index out of range, or a group of a single point.
    """
    if improvement not in IMPROVEMENTS:
        raise ValueError(f"improvement must be one of {', '.join(IMPROVEMENTS)}; not {improvement!r}.")
    floats = [_finite(f"value at index {i}", v) for i, v in enumerate(values)]
    if len(floats) < 2:
        raise ValueError(f"an SPC chart needs at least 2 points; got {len(floats)}.")
    if target is not None:
        target = _finite("target", target)
    exact, scale = _as_integers(floats)
    screen_outliers = bool(screen_outliers)

    groups: list[SPCGroup] = []
    points: list[SPCPoint] = []
    warnings: list[str] = []
    last_exact: _ExactGroup | None = None
    for number, (start, end) in enumerate(_group_bounds(len(exact), rebase_at)):
        limits = _group_limits(exact, start, end, screen_outliers, scale)
        last_exact = limits
        size = end - start + 1
        trial = size < RELIABLE_POINTS
        groups.append(
            SPCGroup(
                start=start,
                end=end,
                **{name: float(value) for name, value in limits.fractions().items()},
                trial=trial,
            )
        )
        if trial:
            warnings.append(
                f"Trial limits: the group starting at point {start + 1} has {size} points; "
                f"limits are reliable from {RELIABLE_POINTS}."
            )

        ys = exact[start : end + 1]
        sides = [limits.side(y) for y in ys]
        outside = [limits.beyond(y, 133, 50) for y in ys]  # 2.66 = 133/50
        close = [not outside[i] and limits.beyond(y, 133, 75) != 0 for i, y in enumerate(ys)]  # (2/3)·2.66
        flags_by_rule = {
            "outside_limits": outside,
            "trend": _trend_directions(ys),
            "two_of_three": _two_of_three_directions(close, sides),
            "run": _run_directions(sides),
        }
        for offset, y in enumerate(floats[start : end + 1]):
            rule = next((name for name in RULES if flags_by_rule[name][offset]), None)
            if rule is None:
                direction, variation = None, "common_cause"
            else:
                sign = flags_by_rule[rule][offset]
                direction = "up" if sign > 0 else "down"
                variation = _variation(sign, improvement)
            points.append(
                SPCPoint(
                    index=start + offset,
                    value=y,
                    group=number,
                    rule=rule,
                    direction=direction,
                    variation=variation,
                )
            )

    assert last_exact is not None
    return SPCResult(
        groups=groups,
        points=points,
        improvement=improvement,
        screen_outliers=screen_outliers,
        warnings=warnings,
        target=target,
        assurance=_assurance(last_exact, target, improvement),
    )
