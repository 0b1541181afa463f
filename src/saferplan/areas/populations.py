"""Import of mid-year population estimates from a CSV in the ONS layout: area code, area name, year, population."""

from __future__ import annotations

from django.db import transaction

from saferplan.areas.models import Area, Population
from saferplan.core.importing import DocumentError, Problem, csv_rows

MAX_ROWS = 200_000  # every LSOA of England and Wales for a few years
HEADER_NAMES = {
    "area code": "code",
    "code": "code",
    "area name": "name",
    "name": "name",
    "year": "year",
    "population": "population",
    "mid-year population": "population",
    "all ages": "population",
}


def import_populations(filename: str, content: bytes, *, source: str = "ONS mid-year estimates") -> int:
    """Check the whole file, then create or update every population; a file with any problem changes nothing."""
    rows = csv_rows(filename, content)
    if len(rows) > MAX_ROWS + 1:
        raise DocumentError(
            [
                Problem(
                    None, "", f"more than {MAX_ROWS:,} rows: a population file has one row an area and year"
                )
            ],
            filename,
        )
    header = [HEADER_NAMES.get(h.strip().lower(), "") for h in rows[0]]
    missing = {"code", "year", "population"} - set(header)
    if missing:
        raise DocumentError(
            [
                Problem(
                    1,
                    "header",
                    f"the columns {', '.join(sorted(missing))} are missing; expected area code, "
                    "area name, year, population",
                    "row",
                )
            ],
            filename,
        )
    areas = {a.code: a for a in Area.objects.all()}
    problems, clean, seen = [], [], {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        record = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}
        area = areas.get(record["code"])
        if area is None:
            problems.append(Problem(number, "column area code", f"unknown area {record['code']!r}", "row"))
        try:
            year = int(record["year"])
            if not 1900 <= year <= 2200:
                raise ValueError
        except ValueError:
            problems.append(Problem(number, "column year", f"expected a year, got {record['year']!r}", "row"))
            year = None
        try:
            population = int(record["population"].replace(",", ""))
            if population <= 0:
                raise ValueError
        except ValueError:
            problems.append(
                Problem(
                    number,
                    "column population",
                    f"expected a whole number above 0, got {record['population']!r}",
                    "row",
                )
            )
            population = None
        if area is not None and year is not None:
            if (area.pk, year) in seen:
                problems.append(
                    Problem(
                        number,
                        "column year",
                        f"{area.code} {year} is also on row {seen[(area.pk, year)]}",
                        "row",
                    )
                )
            seen[(area.pk, year)] = number
        if area is not None and year is not None and population is not None:
            clean.append((area, year, population))
    if problems:
        raise DocumentError(problems, filename)
    with transaction.atomic():
        for area, year, population in clean:
            Population.objects.update_or_create(
                area=area, year=year, defaults={"population": population, "source": source}
            )
    return len(clean)
