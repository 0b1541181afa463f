"""Performance data for the demo: the figures the seed documents publish, and synthetic series.

Published figures (indicators/demo/published.yaml) are loaded as they are, each with its source and quote.
Where the seeds give no series, every indicator gets a synthetic monthly, quarterly or annual series so that
every chart and rule has something to show. Synthetic values are marked `synthetic=True` (their source is the
indicator's source organisation, standing in for its returns); every page and export says so. Loading twice
changes nothing.
"""

from __future__ import annotations

import random
import zlib
from datetime import date
from pathlib import Path

import yaml
from django.db import transaction

from saferplan.areas.models import Area, Population
from saferplan.areas.selectors import population_for, population_year
from saferplan.indicators import periods
from saferplan.indicators.models import Commentary, Observation, Target
from saferplan.indicators.services import (
    MULTIPLIERS,
    commentary_record,
    observation_record,
    observations_add_synthetic,
    value_from_counts,
)
from saferplan.plans.models import Indicator, Partnership

PUBLISHED = Path(__file__).resolve().parent / "demo" / "published.yaml"
SYNTHETIC_SOURCE = "Synthetic demo data"
SERIES_START = date(2013, 4, 1)
SERIES_END = date(2018, 12, 31)  # Jan-Mar 2019 left out, so the last quarter of the plan shows as overdue

PARTNERSHIP_AREA = ("E06000047", "County Durham")
# The 14 Area Action Partnerships of County Durham (000 section 3). They have no ONS codes; these are local.
LOCALITIES = [
    "3 Towns",
    "4 Together",
    "Bishop Auckland and Shildon",
    "Chester-le-Street",
    "Derwentside",
    "Durham",
    "East Durham",
    "East Durham Rural Corridor",
    "Great Aycliffe and Middridge",
    "Mid Durham",
    "Spennymoor",
    "Stanley",
    "Teesdale",
    "Weardale",
]
BENCHMARKS = [("E92000001", "England"), ("E12000001", "North East"), ("MSG-DURHAM", "Most similar CSP group")]
# Synthetic populations, close to but not the ONS mid-year estimates: the demo ships no ONS data.
COUNTY_POPULATION = {
    2012: 513_200,
    2013: 515_000,
    2014: 516_800,
    2015: 519_000,
    2016: 521_300,
    2017: 523_600,
    2018: 526_000,
}
BENCHMARK_POPULATION = {"E92000001": 54_300_000, "E12000001": 2_620_000, "MSG-DURHAM": 4_100_000}


def _rng(*keys: str) -> random.Random:
    return random.Random(zlib.crc32("/".join(keys).encode()))


@transaction.atomic
def load_areas(partnership: Partnership) -> dict[str, Area]:
    areas: dict[str, Area] = {}
    county, _ = Area.objects.get_or_create(
        code=PARTNERSHIP_AREA[0],
        defaults={
            "name": PARTNERSHIP_AREA[1],
            "kind": Area.Kind.PARTNERSHIP,
            "partnership": partnership,
            "lsoa_name_prefix": "County Durham ",
        },  # police.uk LSOA names: "County Durham 001A"
    )
    areas[county.code] = county
    for i, name in enumerate(LOCALITIES, start=1):
        area, _ = Area.objects.get_or_create(
            code=f"DUR-AAP-{i:02d}",
            defaults={
                "name": name,
                "kind": Area.Kind.LOCALITY,
                "partnership": partnership,
                "parent": county,
                "order": i,
            },
        )
        areas[area.code] = area
    for i, (code, name) in enumerate(BENCHMARKS, start=1):
        area, _ = Area.objects.get_or_create(
            code=code, defaults={"name": name, "kind": Area.Kind.BENCHMARK, "order": i}
        )
        areas[code] = area
    weights = [_rng("population", name).uniform(0.6, 1.4) for name in LOCALITIES]
    existing = set(Population.objects.values_list("area_id", "year"))
    new = []
    for year, total in COUNTY_POPULATION.items():
        rows = [(county, total)]
        rows += [
            (areas[f"DUR-AAP-{i:02d}"], round(total * w / sum(weights))) for i, w in enumerate(weights, 1)
        ]
        rows += [
            (areas[code], round(pop * (1 + 0.004 * (year - 2015))))
            for code, pop in BENCHMARK_POPULATION.items()
        ]
        for area, population in rows:
            if (area.pk, year) not in existing:
                new.append(Population(area=area, year=year, population=population, source=SYNTHETIC_SOURCE))
    Population.objects.bulk_create(new)
    return areas


def load_published(partnership: Partnership, areas: dict[str, Area]) -> tuple[int, list[str]]:
    """Load the seed figures and targets; return (figures loaded, figures skipped with the reason)."""
    data = yaml.safe_load(PUBLISHED.read_text(encoding="utf-8"))
    indicators = {i.slug: i for i in Indicator.objects.filter(partnership=partnership)}
    populations = {a.pk: dict(a.populations.values_list("year", "population")) for a in areas.values()}
    loaded, skipped = 0, []
    for f in data["figures"]:
        indicator = indicators[f["indicator"]]
        area = areas[f["area"]]
        try:
            period = periods.parse(str(f["period"]), basis=indicator.period_basis)
        except ValueError:
            skipped.append(
                f"{indicator.slug} {f['period']} = {f.get('value', f.get('numerator'))}: "
                "a span of more than a year, which SaferPlan does not record as a period"
            )
            continue
        numerator, denominator, value = f.get("numerator"), f.get("denominator"), f.get("value")
        if value is None and indicator.unit in MULTIPLIERS:
            if denominator is None:
                denominator = population_for(populations[area.pk], population_year(period.start))
            value = value_from_counts(indicator.unit, numerator, denominator)
        reference = f"{f['reference']}: “{f['quote'].strip()}”"
        observation_record(
            indicator=indicator,
            area=area,
            period=period,
            value=value,
            numerator=numerator,
            denominator=denominator,
            source=f["source"],
            origin=Observation.Origin.PUBLISHED,
            reference=reference,
            note=f.get("note", "").strip(),
        )
        loaded += 1
    for t in data.get("targets", []):
        indicator = indicators[t["indicator"]]
        due = periods.parse(t["by"])
        reference = f"{t['reference']}: “{t['quote'].strip()}”"
        if t.get("cumulative"):
            start = periods.parse(t["start"])
            Target.objects.get_or_create(
                indicator=indicator,
                area=areas[t["area"]],
                cumulative=True,
                start_period=start.code,
                due_period=due.code,
                defaults={"value": t["value"], "reference": reference},
            )
        else:
            year = periods.Period.financial_year(due.end.year - (1 if due.end.month < 4 else 0))
            Target.objects.get_or_create(
                indicator=indicator,
                area=areas[t["area"]],
                period=year.code,
                defaults={"value": t["value"], "reference": reference},
            )
    return loaded, skipped


def _level(indicator: Indicator, published: dict[str, float]) -> float:
    """A plausible monthly level for a synthetic series, from a published figure where there is one."""
    if published:
        latest = published[max(published)]
        if indicator.unit == "count":
            return max(latest / {"monthly": 12, "quarterly": 4, "annual": 1}[indicator.frequency], 1)
        return latest
    rng = _rng("level", indicator.slug)
    return {
        "count": rng.uniform(20, 400),
        "percentage": rng.uniform(20, 85),
        "rate_per_1000": rng.uniform(2, 8),
        "rate_per_100000": rng.uniform(8, 15),
        "score": rng.uniform(2, 4),
    }[indicator.unit]


def _series_periods(indicator: Indicator) -> list[periods.Period]:
    return periods.periods_for(indicator.frequency, indicator.period_basis, SERIES_START, SERIES_END)


def synthetic_observations(
    indicator: Indicator, area: Area, scale: float, populations: dict[int, int], published: dict[str, float]
) -> list[Observation]:
    """A deterministic synthetic series: level, gentle trend, seasonality for monthly data, noise."""
    rng = _rng("series", indicator.slug, area.code)
    level = _level(indicator, published) * scale
    trend = rng.uniform(-0.006, 0.004)
    result = []
    series = _series_periods(indicator)
    for i, period in enumerate(series):
        if period.code in published:
            continue
        season = 1 + (0.12 if period.kind == periods.Kind.MONTH and period.start.month in (5, 6, 7, 8) else 0)
        expected = level * (1 + trend) ** i * season
        numerator = denominator = None
        if indicator.unit == "count":
            value = float(max(0, round(rng.gauss(expected, max(expected, 1) ** 0.5 * 1.3))))
        elif indicator.unit == "percentage":
            denominator = float(rng.randint(300, 900))
            share = min(max(rng.gauss(expected, 2.5), 1), 99) / 100
            numerator = float(round(denominator * share))
            value = numerator / denominator * 100
        elif indicator.unit in ("rate_per_1000", "rate_per_100000"):
            denominator = float(population_for(populations, population_year(period.start)) or 500_000)
            months = period.month_count
            expected_count = expected / MULTIPLIERS[indicator.unit] * denominator * months / 12
            numerator = float(max(0, round(rng.gauss(expected_count, max(expected_count, 1) ** 0.5 * 1.3))))
            value = numerator / denominator * MULTIPLIERS[indicator.unit]
        else:
            value = round(rng.gauss(expected, 0.15), 2)
        result.append(
            Observation(
                indicator=indicator,
                area=area,
                period=period.code,
                period_start=period.start,
                period_end=period.end,
                period_kind=period.kind.value,
                value=value,
                numerator=numerator,
                denominator=denominator,
                source=SYNTHETIC_SOURCE,
                synthetic=True,
                origin=Observation.Origin.SYNTHETIC,
                headline=True,
                reference="Synthetic demo data: not a real figure",
            )
        )
    if indicator.unit == "count":
        _match_published_totals(result, published)
    return result


def _match_published_totals(series: list[Observation], published: dict[str, float]) -> None:
    """Scale the synthetic months or quarters of a year so that they add up to the year's published count."""
    for code, total in published.items():
        year = periods.Period.from_code(code)
        parts = [o for o in series if year.start <= o.period_start and o.period_end <= year.end]
        if (
            not parts
            or sum(periods.Period.from_code(o.period).month_count for o in parts) != year.month_count
        ):
            continue
        current = sum(o.value for o in parts) or 1
        for o in parts:
            o.value = float(round(o.value * total / current))
        parts[-1].value += total - sum(o.value for o in parts)


@transaction.atomic
def load_synthetic(partnership: Partnership, areas: dict[str, Area]) -> int:
    indicators = list(
        Indicator.objects.live().filter(partnership=partnership).select_related("source").order_by("order")
    )
    county = areas[PARTNERSHIP_AREA[0]]
    localities = [a for a in areas.values() if a.kind == Area.Kind.LOCALITY]
    benchmarks = [a for a in areas.values() if a.kind == Area.Kind.BENCHMARK]
    populations = {a.pk: dict(a.populations.values_list("year", "population")) for a in areas.values()}
    headline = set(
        Observation.objects.filter(indicator__partnership=partnership, headline=True).values_list(
            "indicator_id", "area_id", "period"
        )
    )
    published: dict[int, dict[str, float]] = {}
    for ind_id, code, value in Observation.objects.filter(
        indicator__partnership=partnership, area=county, synthetic=False
    ).values_list("indicator_id", "period", "value"):
        published.setdefault(ind_id, {})[code] = value
    new: list[Observation] = []
    for indicator in indicators:
        own = published.get(indicator.pk, {})
        targets = [(county, 1.0)]
        if indicator.frequency == "monthly" and indicator.unit in ("count", "rate_per_1000"):
            weights = [_rng("share", indicator.slug, a.code).uniform(0.5, 1.5) for a in localities]
            targets += [
                (a, w / sum(weights) if indicator.unit == "count" else w)
                for a, w in zip(localities, weights, strict=True)
            ]
        if (
            indicator.unit in ("percentage", "rate_per_1000", "rate_per_100000")
            and indicator.frequency != "annual"
        ):
            targets += [(a, _rng("bench", indicator.slug, a.code).uniform(0.8, 1.2)) for a in benchmarks]
        for area, scale in targets:
            for obs in synthetic_observations(
                indicator, area, scale, populations[area.pk], own if area == county else {}
            ):
                if (indicator.pk, area.pk, obs.period) not in headline:
                    new.append(obs)
    return observations_add_synthetic(new, partnership=partnership)


COMMENTARY = [
    (
        "asb-incidents-police",
        "FY-2015-16",
        "Data for April 2015 to March 2016 shows that there were 20,649 ASB incidents reported to the police, which "
        "is a reduction of 11.2% from 23,257 when compared to the same period of the previous year (000 section 4).",
    ),
]


def load(partnership: Partnership) -> dict[str, object]:
    """Load all the demo's performance data; return what was done."""
    areas = load_areas(partnership)
    with transaction.atomic():
        loaded, skipped = load_published(partnership, areas)
    synthetic = load_synthetic(partnership, areas)
    county = areas[PARTNERSHIP_AREA[0]]
    for slug, code, text in COMMENTARY:
        indicator = Indicator.objects.filter(partnership=partnership, slug=slug).first()
        if (
            indicator
            and not Commentary.objects.filter(indicator=indicator, area=county, period=code).exists()
        ):
            commentary_record(
                indicator=indicator, area=county, period=periods.Period.from_code(code), text=text
            )
    return {"published": loaded, "skipped": skipped, "synthetic": synthetic}
