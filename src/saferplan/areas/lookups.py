"""Areas as sets of LSOAs: from an ONS LSOA-to-local-authority lookup, or from a list of LSOA codes."""

from __future__ import annotations

import re

from django.db import transaction

from saferplan.areas.models import Area
from saferplan.core.importing import DocumentError, Problem, csv_rows
from saferplan.core.services import stamp

LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
LSOA_COLUMN = re.compile(r"^LSOA\d{2}CD$", re.IGNORECASE)
LAD_COLUMN = re.compile(r"^(LAD|LTLA|UTLA|CTYUA)\d{2}CD$", re.IGNORECASE)


def import_lookup(filename: str, content: bytes, *, only: set[str] | None = None) -> dict[str, int]:
    """Give every area whose code is a local authority in the lookup the LSOAs of that authority.

    The lookup is an ONS CSV with an LSOA code column (LSOA11CD, LSOA21CD, ...) and a local authority code
    column (LAD17CD, LAD22CD, ...). Returns {area code: LSOAs}. Checked whole first; a problem changes nothing.
    """
    rows = csv_rows(filename, content)
    header = [h.strip() for h in rows[0]]
    lsoa = next((i for i, h in enumerate(header) if LSOA_COLUMN.match(h)), None)
    lad = next((i for i, h in enumerate(header) if LAD_COLUMN.match(h)), None)
    if lsoa is None or lad is None:
        raise DocumentError(
            [
                Problem(
                    1,
                    "header",
                    "expected an LSOA code column (e.g. LSOA21CD) and a local "
                    f"authority code column (e.g. LAD22CD); found {', '.join(header)}",
                    "row",
                )
            ],
            filename,
        )
    areas = {a.code: a for a in Area.objects.all() if not only or a.code in only}
    found: dict[str, set[str]] = {}
    problems = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(number, "", f"{len(cells)} fields; the header has {len(header)}", "row"))
            continue
        code, authority = cells[lsoa].strip(), cells[lad].strip()
        if not LSOA_CODE.match(code):
            problems.append(Problem(number, f"column {header[lsoa]}", f"{code!r} is not an LSOA code", "row"))
            continue
        if authority in areas:
            found.setdefault(authority, set()).add(code)
    if problems:
        raise DocumentError(problems[:50], filename)
    with transaction.atomic():
        for authority, codes in found.items():
            area = areas[authority]
            area.lsoa_codes = sorted(codes)
            stamp(area)
            area.save()
    return {authority: len(codes) for authority, codes in found.items()}


def set_lsoas(area: Area, codes: list[str], *, user=None) -> Area:
    """Define an area (a locality, say) by a list of LSOA codes."""
    bad = [c for c in codes if not LSOA_CODE.match(c)]
    if bad:
        raise DocumentError([Problem(None, "LSOA codes", f"not LSOA codes: {', '.join(bad[:10])}")])
    area.lsoa_codes = sorted(set(codes))
    stamp(area, user=user)
    area.save()
    return area
