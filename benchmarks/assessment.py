"""Assessing a plan of 60 indicators × 15 areas × 120 months (goal: under 1 second).

Run: `make benchmark` (or SECRET_KEY=x .venv/bin/python benchmarks/assessment.py).
Two measurements, best of 3 each:
1. the engine alone: `assess()` of the latest month for each of the 900 series, data already in memory;
2. end to end: the same 108,000 observations read from a fresh SQLite database by the selector
   (`headline_series`, one query) and assessed.
Baseline in the same run: reading the 108,000 rows with the same query without assessing.
"""

import os
import platform
import random
import sys
from datetime import date

from _common import best, setup_django

setup_django()

from django.core.management import call_command  # noqa: E402

from saferplan.accounts.models import Organisation  # noqa: E402
from saferplan.areas.models import Area  # noqa: E402
from saferplan.indicators import selectors  # noqa: E402
from saferplan.indicators.assessment import IndicatorInfo, Point, assess  # noqa: E402
from saferplan.indicators.models import Observation  # noqa: E402
from saferplan.indicators.periods import Period  # noqa: E402
from saferplan.plans.models import Indicator, Partnership  # noqa: E402

INDICATORS, AREAS, MONTHS = 60, 15, 120
UNITS = ["count", "percentage", "rate_per_1000"]
POLARITIES = ["lower_is_better", "higher_is_better", "none"]


def months() -> list[Period]:
    result, year, month = [], 2009, 4
    for _ in range(MONTHS):
        result.append(Period.month(year, month))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return result


def main() -> None:
    rng = random.Random(1)
    periods = months()
    infos = [IndicatorInfo(UNITS[i % 3], POLARITIES[i % 3], "monthly") for i in range(INDICATORS)]
    series = {}
    for i, info in enumerate(infos):
        for a in range(AREAS):
            level = rng.uniform(20, 400)
            pts = []
            for p in periods:
                if info.unit == "count":
                    pts.append(Point(p, float(round(rng.gauss(level, level**0.5)))))
                else:
                    den = 1000.0
                    num = float(rng.randint(100, 900))
                    pts.append(Point(p, num / den * (100 if info.unit == "percentage" else 1000), num, den))
            series[(i, a)] = pts
    latest = periods[-1]

    def engine():
        for (i, _a), pts in series.items():
            assess(infos[i], pts, latest)

    engine_time = best(engine)

    call_command("migrate", verbosity=0)
    partnership = Partnership.objects.create(slug="bench", name="Benchmark partnership", area="Benchland")
    org = Organisation.objects.create(slug="bench-police", name="Bench police", kind="responsible_authority")
    indicators = [
        Indicator.objects.create(
            partnership=partnership,
            slug=f"ind-{i}",
            name=f"Indicator {i}",
            unit=info.unit,
            polarity=info.polarity,
            frequency="monthly",
            source=org,
        )
        for i, info in enumerate(infos)
    ]
    areas = [
        Area.objects.create(code=f"B{a:03d}", name=f"Area {a}", kind="locality", partnership=partnership)
        for a in range(AREAS)
    ]
    rows = [
        Observation(
            indicator=indicators[i],
            area=areas[a],
            period=p.period.code,
            period_start=p.period.start,
            period_end=p.period.end,
            period_kind="month",
            value=p.value,
            numerator=p.numerator,
            denominator=p.denominator,
            source="Bench police",
        )
        for (i, a), pts in series.items()
        for p in pts
    ]
    Observation.objects.bulk_create(rows, batch_size=5000)
    ids, area_ids = [i.pk for i in indicators], [a.pk for a in areas]
    by_pk = {ind.pk: selectors.indicator_info(ind) for ind in indicators}

    def read_only():
        selectors.headline_series(ids, area_ids)

    def end_to_end():
        loaded = selectors.headline_series(ids, area_ids)
        for (ind, _area), pts in loaded.items():
            assess(by_pk[ind], pts, latest)

    read_time = best(read_only)
    total_time = best(end_to_end)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, SQLite; "
        f"{date.today()}"
    )
    print(f"plan: {INDICATORS} indicators × {AREAS} areas × {MONTHS} months = {len(rows):,} observations")
    print(f"engine only (assess 900 series, data in memory): {engine_time:.3f} s")
    print(f"baseline: read the observations (one query):      {read_time:.3f} s")
    print(
        f"end to end (read + assess):                        {total_time:.3f} s "
        f"({total_time / read_time:.1f}× the read alone)"
    )
    print("goal: under 1 second:", "met" if total_time < 1 else "NOT met")


if __name__ == "__main__":
    main()
