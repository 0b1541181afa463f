"""Reads for areas: the partnership's areas and the population to use for a period."""

from __future__ import annotations

from datetime import date

from saferplan.areas.models import Area, Population


def population_year(start: date, basis: str = "financial") -> int:
    """The ONS mid-year estimate used for a period: the year its financial (or calendar) year starts in.

    This is the convention of Fingertips and the Home Office crime rates: 2015/16 uses the mid-2015 estimate.
    """
    if basis == "calendar":
        return start.year
    return start.year if start.month >= 4 else start.year - 1


def populations_by_area(area_ids) -> dict[int, dict[int, int]]:
    """{area id: {year: population}} for the given areas, in one query."""
    result: dict[int, dict[int, int]] = {}
    for area_id, year, population in Population.objects.filter(area_id__in=list(area_ids)).values_list(
        "area_id", "year", "population"
    ):
        result.setdefault(area_id, {})[year] = population
    return result


def population_for(populations: dict[int, int], year: int) -> int | None:
    """The estimate for `year`, or the latest earlier one when that year is not published yet."""
    if year in populations:
        return populations[year]
    earlier = [y for y in populations if y < year]
    return populations[max(earlier)] if earlier else None


def areas_for(partnership) -> list[Area]:
    """The partnership area, its localities, then benchmark areas."""
    kinds = {Area.Kind.PARTNERSHIP: 0, Area.Kind.LOCALITY: 1, Area.Kind.BENCHMARK: 2}
    areas = list(Area.objects.filter(partnership=partnership) | Area.objects.filter(partnership__isnull=True))
    return sorted(areas, key=lambda a: (kinds.get(a.kind, 3), a.order, a.name))
