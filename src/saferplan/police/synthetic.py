"""Synthetic data.police.uk archives that look like the real thing, for tests and benchmarks.

Real layout, real category names and plausible proportions, 43 forces; values made up (marked by Crime IDs
that start with "SYN"). Generated with Polars so that millions of rows take seconds.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import polars as pl

from saferplan.police import layouts

FORCES = [
    "avon-and-somerset",
    "bedfordshire",
    "cambridgeshire",
    "cheshire",
    "city-of-london",
    "cleveland",
    "cumbria",
    "derbyshire",
    "devon-and-cornwall",
    "dorset",
    "durham",
    "dyfed-powys",
    "essex",
    "gloucestershire",
    "greater-manchester",
    "gwent",
    "hampshire",
    "hertfordshire",
    "humberside",
    "kent",
    "lancashire",
    "leicestershire",
    "lincolnshire",
    "merseyside",
    "metropolitan",
    "norfolk",
    "north-wales",
    "north-yorkshire",
    "northamptonshire",
    "northumbria",
    "nottinghamshire",
    "south-wales",
    "south-yorkshire",
    "staffordshire",
    "suffolk",
    "surrey",
    "sussex",
    "thames-valley",
    "warwickshire",
    "west-mercia",
    "west-midlands",
    "west-yorkshire",
    "wiltshire",
]
AUTHORITIES = {"durham": ["County Durham", "County Durham", "County Durham", "Darlington"]}
# Approximate shares of street-level rows by category (England and Wales, mid-2010s).
SHARES = {
    "Anti-social behaviour": 0.33,
    "Violence and sexual offences": 0.20,
    "Criminal damage and arson": 0.08,
    "Other theft": 0.07,
    "Burglary": 0.06,
    "Shoplifting": 0.06,
    "Vehicle crime": 0.05,
    "Public order": 0.05,
    "Drugs": 0.02,
    "Other crime": 0.02,
    "Robbery": 0.01,
    "Theft from the person": 0.01,
    "Bicycle theft": 0.015,
    "Possession of weapons": 0.005,
}
OUTCOMES = [
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Under investigation",
    "Offender given a caution",
    "Awaiting court outcome",
]
STREETS = [
    "High Street",
    "Station Road",
    "Church Lane",
    "Parking Area",
    "Supermarket",
    "Park/Open Space",
    "Petrol Station",
    "Sports/Recreation Area",
    "Shopping Area",
    "Nightclub",
    "Hospital",
    "School",
]


def street_frame(month: str, force: str, rows: int, seed: int = 0, authorities: int = 8) -> pl.DataFrame:
    """A street-level month for one force, in the published layout, all columns as text."""
    rng = pl.int_range(0, rows, eager=True)
    key = (rng * 2654435761 + seed * 97 + sum(map(ord, force + month))) % 2**32
    categories = list(SHARES)
    cumulative, total = [], 0.0
    for c in categories:
        total += SHARES[c]
        cumulative.append(total)
    u = (key % 10_000) / 10_000
    category = pl.when(u < cumulative[0]).then(pl.lit(categories[0]))
    for c, edge in zip(categories[1:], cumulative[1:], strict=True):
        category = category.when(u < edge).then(pl.lit(c))
    category = category.otherwise(pl.lit(categories[-1]))
    name = force.replace("-", " ").title()
    # police.uk names LSOAs after their local authority ("County Durham 001A"); Durham's two are real
    authority_names = AUTHORITIES.get(force, [f"{name} {i + 1}" for i in range(authorities)])
    frame = (
        pl.DataFrame({"k": key})
        .with_columns(
            category.alias("Crime type"),
            (pl.col("k") % (authorities * 120)).alias("lsoa"),
        )
        .with_columns(
            pl.when(pl.col("Crime type") == layouts.ASB)
            .then(pl.lit(None, dtype=pl.String))
            .otherwise(pl.lit("SYN") + pl.col("k").cast(pl.String).str.zfill(10))
            .alias("Crime ID"),
            pl.lit(month).alias("Month"),
            pl.lit(f"{name} Police").alias("Reported by"),
            pl.lit(f"{name} Police").alias("Falls within"),
            (-1.5 + (pl.col("k") % 1000) / 1000).round(6).cast(pl.String).alias("Longitude"),
            (53.0 + (pl.col("k") % 997) / 1000).round(6).cast(pl.String).alias("Latitude"),
            (pl.lit("On or near ") + pl.lit(pl.Series(STREETS)).get(pl.col("k") % len(STREETS))).alias(
                "Location"
            ),
            (
                pl.lit("E0")
                + (1_000_000 + pl.col("lsoa") + 7000 * (FORCES.index(force) if force in FORCES else 0)).cast(
                    pl.String
                )
            ).alias("LSOA code"),
            (
                pl.lit(pl.Series(authority_names)).get(pl.col("lsoa") // 120 % len(authority_names))
                + pl.lit(" ")
                + (pl.col("lsoa") % 120 + 1).cast(pl.String).str.zfill(3)
                + pl.lit("A")
            ).alias("LSOA name"),
            pl.when(pl.col("Crime type") == layouts.ASB)
            .then(pl.lit(None, dtype=pl.String))
            .otherwise(pl.lit(pl.Series(OUTCOMES)).get(pl.col("k") % len(OUTCOMES)))
            .alias("Last outcome category"),
            pl.lit(None, dtype=pl.String).alias("Context"),
        )
    )
    return frame.select(layouts.STREET)


def write_archive(
    path: Path, months: list[str], *, rows_per_month: int = 550_000, forces: list[str] = FORCES, seed: int = 0
) -> int:
    """A zip in the data.police.uk layout (YYYY-MM/YYYY-MM-<force>-street.csv); returns the rows written."""
    written = 0
    weights = [1 + (i * 7919) % 13 for i in range(len(forces))]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for month in months:
            for force, weight in zip(forces, weights, strict=True):
                rows = max(1, rows_per_month * weight // sum(weights))
                frame = street_frame(month, force, rows, seed)
                buffer = io.BytesIO()
                frame.write_csv(buffer)
                archive.writestr(f"{month}/{month}-{force}-street.csv", buffer.getvalue())
                written += rows
    return written
