"""Reads of the police store for the police page: one month against the month before and the same month a year
earlier, by crime type and by area, the top locations and LSOAs, and the map's points and hot spots.

Every figure is aggregated by Polars over the Parquet store (never a Python loop over rows), so a month of a
large force stays fast. A month the store does not hold gives None ("no figure"), never 0.
"""

from __future__ import annotations

import math
from datetime import date

import polars as pl
from django.conf import settings

from saferplan.areas.models import Area
from saferplan.areas.selectors import population_for, population_year, populations_by_area
from saferplan.police import geo, layouts, store
from saferplan.police.derive import membership
from saferplan.police.models import AreaBoundary

MAP_WIDTH = 720  # the most pixels across or down the map at its zoom level
CELL = 18  # the side of a hot-spot square, in map pixels
MAX_POINTS = 6_000
HOT_SPOT_CLASSES = 5
COLUMNS = ["Month", "category", "Location", "LSOA code", "LSOA name", "Longitude", "Latitude"]
COLOURS = ["#fee8c8", "#fdbb84", "#fc8d59", "#e34a33", "#b30000"]  # light to dark: few to many


def months_held() -> list[str]:
    """The months of street-level data in the store, latest first."""
    return sorted({p["month"] for p in store.parts("street")}, reverse=True)


def shift(month: str, months: int) -> str:
    year, number = int(month[:4]), int(month[5:])
    index = year * 12 + number - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_label(month: str) -> str:
    return date(int(month[:4]), int(month[5:]), 1).strftime("%B %Y")


def crime_types(month: str) -> list[str]:
    """The crime types to offer in the filter: today's 14 and any older ones the month holds."""
    lazy = store.scan("street", months=(month, month))
    held = set() if lazy is None else set(lazy.select(pl.col("category").unique()).collect()["category"])
    return layouts.CRIME_TYPES + sorted(c for c in held if c and c not in layouts.CRIME_TYPES)


def partnership_areas(partnership) -> list[Area]:
    """The partnership area and its localities that have LSOAs (so police rows can be placed in them)."""
    kinds = {Area.Kind.PARTNERSHIP: 0, Area.Kind.LOCALITY: 1}
    areas = [a for a in Area.objects.filter(partnership=partnership, kind__in=list(kinds)) if a.has_lsoas]
    return sorted(areas, key=lambda a: (kinds[a.kind], a.order, a.name))


def _rate(count: int | None, population: int | None) -> float | None:
    if count is None or not population:
        return None
    return count / population * 1000


def _population(populations: dict[int, int], month: str) -> int | None:
    return population_for(populations, population_year(date(int(month[:4]), int(month[5:]), 1)))


def _compare(counts: dict[str, int | None], populations: dict[int, int], month: str) -> dict:
    """This month's count and rate, and the previous month's and last year's, with the changes."""
    previous, last_year = shift(month, -1), shift(month, -12)
    row = {}
    for key, m in (("now", month), ("previous", previous), ("last_year", last_year)):
        count = counts.get(m)
        row[key] = {
            "month": m,
            "count": count,
            "rate": _rate(count, _population(populations, m)),
            "population": _population(populations, m),
        }
    for key in ("previous", "last_year"):
        before, now = row[key]["count"], row["now"]["count"]
        row[key]["change"] = None if before is None or now is None else now - before
        row[key]["percent"] = None if not before or now is None else (now - before) / before * 100
    row["before"] = [row["previous"], row["last_year"]]
    return row


def overview(partnership, month: str, crime_type: str | None = None) -> dict:
    """The figures of the police page for a month (and one crime type, or all)."""
    held = set(months_held())
    compared = [m for m in (month, shift(month, -1), shift(month, -12)) if m in held]
    areas = partnership_areas(partnership)
    main = areas[0] if areas else None
    inside = membership(main) if main else None
    populations = populations_by_area(a.pk for a in areas)
    lazy = store.scan("street", months=(min(compared), max(compared))) if compared else None
    result = {
        "month": month,
        "previous": shift(month, -1),
        "last_year": shift(month, -12),
        "area": main,
        "by_type": [],
        "by_area": [],
        "top_locations": [],
        "top_lsoas": [],
        "map": None,
    }
    if lazy is None:
        return result
    lazy = lazy.filter(pl.col("Month").is_in(compared))
    # Read the partnership's rows of the months once; every figure below is a Polars aggregation of them
    within = (lazy.filter(inside) if inside is not None else lazy).select(COLUMNS).collect().lazy()

    # By crime type, in the partnership area (or everything held when no area has LSOAs)
    grouped = within.group_by("Month", "category").len().collect()
    counts: dict[str, dict[str, int]] = {}
    for m, category, n in grouped.iter_rows():
        counts.setdefault(category, {})[m] = n
    main_populations = populations.get(main.pk, {}) if main else {}
    types = layouts.CRIME_TYPES + sorted(c for c in counts if c not in layouts.CRIME_TYPES)
    for category in types:
        by_month = {m: counts.get(category, {}).get(m, 0) for m in compared}
        result["by_type"].append(
            {
                "name": category,
                **_compare(by_month, main_populations, month),
                "selected": category == crime_type,
            }
        )
    total = {m: sum(counts.get(c, {}).get(m, 0) for c in counts) for m in compared}
    crimes = {m: total[m] - counts.get(layouts.ASB, {}).get(m, 0) for m in compared}
    result["total"] = _compare(total, main_populations, month)
    result["crimes"] = _compare(crimes, main_populations, month)

    # By area, for the crime type chosen (or all rows), in one pass over the months
    chosen = lazy.filter(pl.col("category") == crime_type) if crime_type else lazy
    expressions, keys = [], []
    for area in areas:
        condition = membership(area)
        for m in compared:
            keys.append((area.pk, m))
            expressions.append(
                (condition & (pl.col("Month") == m)).fill_null(False).sum().alias(f"{area.pk}|{m}")
            )
    if expressions:
        sums = chosen.select(expressions).collect().row(0)
        by_key = dict(zip(keys, sums, strict=True))
        for area in areas:
            by_month = {m: by_key[(area.pk, m)] for m in compared}
            result["by_area"].append(
                {"area": area, **_compare(by_month, populations.get(area.pk, {}), month)}
            )

    # Top locations and LSOAs this month, and the map
    this_month = (within.filter(pl.col("category") == crime_type) if crime_type else within).filter(
        pl.col("Month") == month
    )
    if month in held:
        result["top_locations"] = _top(this_month, "Location")
        result["top_lsoas"] = _top(this_month, "LSOA name", extra="LSOA code")
        result["map"] = street_map(this_month, partnership)
    return result


def _top(lazy: pl.LazyFrame, by: str, extra: str | None = None, limit: int = 10) -> list[dict]:
    frame = (
        lazy.filter(pl.col(by).is_not_null() & (pl.col(by) != ""))
        .group_by(by)
        .agg(pl.len().alias("count"), *([pl.col(extra).first().alias("extra")] if extra else []))
        .sort(["count", by], descending=[True, False])
        .head(limit)
        .collect()
    )
    return [
        {"name": row[by], "count": row["count"], "code": row.get("extra", "")}
        for row in frame.iter_rows(named=True)
    ]


def _pixels(zoom: int) -> tuple[pl.Expr, pl.Expr]:
    """Web Mercator pixel x and y of each row at a zoom level, as Polars expressions."""
    scale = geo.TILE * 2**zoom
    lat = pl.col("Latitude").clip(-85.0511, 85.0511).radians()
    x = (pl.col("Longitude") + 180.0) / 360.0 * scale
    y = (1 - (lat.tan() + 1 / lat.cos()).log() / 3.141592653589793) / 2 * scale
    return x, y


def street_map(lazy: pl.LazyFrame, partnership) -> dict | None:
    """The street-level points of the month, binned into squares (the hot-spot layer), with the partnership's
    boundaries and, where a tile server is configured, the base-map tiles under them."""
    placed = lazy.filter(pl.col("Longitude").is_not_null() & pl.col("Latitude").is_not_null())
    extent = (
        placed.select(
            pl.len().alias("n"),
            pl.col("Longitude").min().alias("west"),
            pl.col("Longitude").max().alias("east"),
            pl.col("Latitude").min().alias("south"),
            pl.col("Latitude").max().alias("north"),
        )
        .collect()
        .row(0, named=True)
    )
    if not extent["n"]:
        return None
    boundaries = list(AreaBoundary.objects.filter(partnership=partnership))
    west, east, south, north = extent["west"], extent["east"], extent["south"], extent["north"]
    for boundary in boundaries:
        for shape in geo.polygons(boundary.geometry):
            for ring in shape:
                lons, lats = [p[0] for p in ring], [p[1] for p in ring]
                west, east = min(west, *lons), max(east, *lons)
                south, north = min(south, *lats), max(north, *lats)
    zoom = 18
    while zoom > 0:
        x0, y0 = geo.mercator(west, north, zoom)
        x1, y1 = geo.mercator(east, south, zoom)
        if x1 - x0 <= MAP_WIDTH and y1 - y0 <= MAP_WIDTH:
            break
        zoom -= 1
    pad = CELL
    left, top = x0 - pad, y0 - pad
    width, height = x1 - x0 + 2 * pad, y1 - y0 + 2 * pad
    x, y = _pixels(zoom)
    located = placed.with_columns((x - left).alias("x"), (y - top).alias("y"))

    cells = (
        located.with_columns(
            (pl.col("x") // CELL).cast(pl.Int32).alias("column"),
            (pl.col("y") // CELL).cast(pl.Int32).alias("row"),
        )
        .group_by("column", "row")
        .agg(
            pl.len().alias("count"),
            pl.col("Location").drop_nulls().mode().sort().first().alias("location"),
            pl.col("Longitude").mean().alias("lon"),
            pl.col("Latitude").mean().alias("lat"),
        )
        .sort(["count", "row", "column"], descending=[True, False, False])
        .collect()
    )
    highest = cells["count"].max()
    squares = []
    for rank, cell in enumerate(cells.iter_rows(named=True), start=1):
        level = min(HOT_SPOT_CLASSES, 1 + (cell["count"] - 1) * HOT_SPOT_CLASSES // highest)
        squares.append(
            {
                **cell,
                "rank": rank,
                "level": level,
                "colour": COLOURS[level - 1],
                "x": cell["column"] * CELL,
                "y": cell["row"] * CELL,
            }
        )
    points = (
        located.group_by("x", "y")
        .agg(pl.len().alias("count"))
        .sort(["count", "y", "x"], descending=[True, False, False])
        .head(MAX_POINTS)
        .collect()
    )
    point_list = [{"x": round(px, 1), "y": round(py, 1), "count": n} for px, py, n in points.iter_rows()]
    tiles = []
    template = getattr(settings, "POLICE_MAP_TILES", "") or ""
    if template:
        for tx in range(int(left // geo.TILE), int((left + width) // geo.TILE) + 1):
            for ty in range(int(top // geo.TILE), int((top + height) // geo.TILE) + 1):
                tiles.append(
                    {
                        "href": template.format(z=zoom, x=tx, y=ty, s="a"),
                        "x": tx * geo.TILE - left,
                        "y": ty * geo.TILE - top,
                    }
                )
    legend = []
    for level in range(1, HOT_SPOT_CLASSES + 1):
        counts = [s["count"] for s in squares if s["level"] == level]
        if counts:
            legend.append(
                {"level": level, "colour": COLOURS[level - 1], "from": min(counts), "to": max(counts)}
            )
    return {
        "width": round(width),
        "height": round(height),
        "zoom": zoom,
        "cell": CELL,
        "cell_km": round(CELL * 156_543.03 * math.cos(math.radians((north + south) / 2)) / 2**zoom / 1000, 1),
        "rows": extent["n"],
        "squares": squares,
        "hot_spots": squares[:10],
        "points": point_list,
        "points_shown_all": points.height < MAX_POINTS,
        "boundaries": geo.boundary_paths(
            boundaries, lambda lon, lat: _shift(geo.mercator(lon, lat, zoom), left, top)
        ),
        "tiles": tiles,
        "legend": legend,
        "squares_svg": geo.svg_squares(squares, CELL),
        "points_svg": geo.svg_points(point_list),
    }


def _shift(point: tuple[float, float], left: float, top: float) -> tuple[float, float]:
    return point[0] - left, point[1] - top
