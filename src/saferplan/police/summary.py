"""Reads of the police store for analysts: counts by crime type, top locations and LSOAs, coverage."""

from __future__ import annotations

import polars as pl

from saferplan.areas.models import Area
from saferplan.police import layouts, store
from saferplan.police.derive import membership


def _lazy(months: tuple[str, str], area: Area | None) -> pl.LazyFrame | None:
    lazy = store.scan("street", months=months)
    if lazy is None:
        return None
    if area is not None:
        inside = membership(area)
        if inside is None:
            raise ValueError(f"{area.name} has no LSOAs defined")
        lazy = lazy.filter(inside)
    return lazy


def counts_by_crime_type(months: tuple[str, str], area: Area | None = None) -> dict:
    """{"rows": [(crime type, count)], "crimes": total excluding ASB, "asb": ASB incidents, "all": rows}."""
    lazy = _lazy(months, area)
    counts = {} if lazy is None else dict(lazy.group_by("category").len().collect().iter_rows())
    rows = [(c, counts.get(c, 0)) for c in layouts.CRIME_TYPES]
    rows += sorted((c, n) for c, n in counts.items() if c not in layouts.CRIME_TYPES)
    asb = counts.get(layouts.ASB, 0)
    total = sum(counts.values())
    return {"rows": rows, "asb": asb, "crimes": total - asb, "all": total}


def top(
    months: tuple[str, str],
    *,
    by: str,
    crime_type: str | None = None,
    area: Area | None = None,
    limit: int = 10,
) -> list[tuple[str, int]]:
    """The locations (by="Location") or LSOAs (by="LSOA name") with the most rows."""
    lazy = _lazy(months, area)
    if lazy is None:
        return []
    if crime_type:
        lazy = lazy.filter(pl.col("category") == crime_type)
    grouped = (
        lazy.filter(pl.col(by).is_not_null() & (pl.col(by) != ""))
        .group_by(by)
        .len()
        .sort(["len", by], descending=[True, False])
        .head(limit)
        .collect()
    )
    return list(grouped.iter_rows())


def coverage(partnership) -> list[dict]:
    """Per force and month: rows, and rows outside every area of the partnership that has LSOAs."""
    areas = [a for a in Area.objects.filter(partnership=partnership) if a.has_lsoas]
    lazy = store.scan("street")
    if lazy is None:
        return []
    inside = None
    for area in areas:
        m = membership(area)
        inside = m if inside is None else inside | m
    inside = inside if inside is not None else pl.lit(False)
    frame = (
        lazy.group_by("force", "Month")
        .agg(pl.len().alias("rows"), (~inside.fill_null(False)).sum().alias("outside"))
        .sort("Month", "force", descending=[True, False])
        .collect()
    )
    return [dict(zip(("force", "month", "rows", "outside"), r, strict=True)) for r in frame.iter_rows()]
