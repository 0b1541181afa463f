"""Indicators derived from police open data: counts by crime category, area and month, as observations.

Which police.uk categories each derived indicator counts (docs/police.md explains the differences from the
Home Office definitions):
"""

from __future__ import annotations

import polars as pl
from django.db import transaction

from saferplan.areas.models import Area
from saferplan.areas.selectors import population_for, population_year, populations_by_area
from saferplan.indicators.models import Observation
from saferplan.indicators.periods import Period
from saferplan.indicators.rules import FigureRefused
from saferplan.indicators.services import MULTIPLIERS, figure_of, figure_problems, observation_record
from saferplan.plans.models import Indicator
from saferplan.police import layouts, store

SOURCE = "police open data"
CRIMES = [c for c in layouts.CRIME_TYPES if c != layouts.ASB]

DEFINITIONS: dict[str, tuple[str, list[str]]] = {
    "asb": ("Anti-social behaviour incidents", [layouts.ASB]),
    "criminal_damage_arson": ("Criminal damage and arson", ["Criminal damage and arson"]),
    "all_crime": ("All crime (every category except anti-social behaviour)", CRIMES),
    "theft": (
        "Theft offences",
        ["Bicycle theft", "Burglary", "Other theft", "Shoplifting", "Theft from the person", "Vehicle crime"],
    ),
    "victim_based": (
        "Victim-based crime",
        [
            "Violence and sexual offences",
            "Robbery",
            "Burglary",
            "Vehicle crime",
            "Theft from the person",
            "Bicycle theft",
            "Shoplifting",
            "Other theft",
            "Criminal damage and arson",
        ],
    ),
    "violence": ("Violence against the person (with sexual offences)", ["Violence and sexual offences"]),
}
__doc__ += "\n".join(
    f"- {key}: {label}: {', '.join(categories)}" for key, (label, categories) in DEFINITIONS.items()
)


def membership(area: Area) -> pl.Expr | None:
    """Rows inside the area: its LSOA codes, or LSOA names starting with its prefix."""
    conditions = []
    if area.lsoa_codes:
        conditions.append(pl.col("LSOA code").is_in(list(area.lsoa_codes)))
    if area.lsoa_name_prefix:
        conditions.append(pl.col("LSOA name").str.starts_with(area.lsoa_name_prefix))
    if not conditions:
        return None
    expr = conditions[0]
    for c in conditions[1:]:
        expr = expr | c
    return expr


def counts_by_area(areas: list[Area], months: tuple[str, str]) -> dict[int, dict[tuple[str, str], int]]:
    """{area id: {(month, category): rows}} from the store."""
    lazy = store.scan("street", months=months)
    result: dict[int, dict[tuple[str, str], int]] = {a.pk: {} for a in areas}
    if lazy is None:
        return result
    for area in areas:
        inside = membership(area)
        if inside is None:
            continue
        grouped = lazy.filter(inside).group_by("Month", "category").len().collect()
        result[area.pk] = {(m, c): n for m, c, n in grouped.iter_rows()}
    return result


@transaction.atomic
def derive_observations(partnership, months: tuple[str, str], user=None) -> dict[str, int]:
    """Record the derived indicators of the partnership's areas for the months; a re-import revises them."""
    indicators = list(Indicator.objects.live().filter(partnership=partnership).exclude(derived_from=""))
    areas = [a for a in Area.objects.filter(partnership=partnership) if a.has_lsoas]
    counts = counts_by_area(areas, months)
    populations = populations_by_area(a.pk for a in areas)
    done = {"created": 0, "revised": 0, "unchanged": 0}
    written = []
    months_present = sorted({m for area_counts in counts.values() for m, _ in area_counts})
    for indicator in indicators:
        if indicator.derived_from not in DEFINITIONS:
            continue
        categories = DEFINITIONS[indicator.derived_from][1]
        for area in areas:
            for month in months_present:
                count = sum(counts[area.pk].get((month, c), 0) for c in categories)
                period = Period.month(int(month[:4]), int(month[5:]))
                numerator = denominator = None
                value = float(count)
                if indicator.unit in MULTIPLIERS:
                    year = population_year(period.start, indicator.period_basis)
                    denominator = population_for(populations.get(area.pk, {}), year)
                    if not denominator:
                        continue
                    numerator = float(count)
                    value = count / denominator * MULTIPLIERS[indicator.unit]
                observation, outcome = observation_record(
                    indicator=indicator,
                    area=area,
                    period=period,
                    value=value,
                    numerator=numerator,
                    denominator=denominator,
                    source=SOURCE,
                    origin=Observation.Origin.POLICE,
                    user=user,
                    reference=f"data.police.uk street-level data, {month}: "
                    f"{DEFINITIONS[indicator.derived_from][0]} in {area.name}",
                    check=False,
                )
                written.append(observation)
                done[outcome] += 1
    problems = figure_problems(written)
    if problems:  # nothing is written: the whole import is one transaction
        raise FigureRefused([(figure_of(o), message) for o, message in problems])
    return done
