"""Any table as a file: `?format=csv` or `?format=xlsx` on the page that shows it (links beside the table come
from the `scrolling_table` tag). Figures stay numbers and dates stay dates; user text is never a formula
(saferplan.core.exports)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.text import slugify

from saferplan.core.exports import csv_bytes, xlsx_bytes
from saferplan.indicators import periods

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def wanted(request, table: str = "") -> str:
    """The format asked for ("csv" or "xlsx") when the request asks for this table as a file, else ""."""
    fmt = request.GET.get("format", "")
    if fmt not in FORMATS or request.GET.get("table", "") != table:
        return ""
    return fmt


def table_download(
    fmt: str, *, filename: str, title: str, header: Iterable[object], rows: Iterable[Iterable[object]]
) -> HttpResponse:
    """The table as a CSV or XLSX download named `filename` (without its extension)."""
    header, rows = list(header), list(rows)
    content = csv_bytes([header, *rows]) if fmt == "csv" else xlsx_bytes(title, header, rows)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


OBSERVATION_HEADER = [
    "Indicator",
    "Area",
    "Period",
    "Period start",
    "Period end",
    "Value",
    "Unit",
    "95% confidence interval, lower",
    "95% confidence interval, upper",
    "Numerator",
    "Denominator",
    "Source",
    "Origin",
    "Status",
    "Synthetic",
]


def period_label(code: str, start, end) -> str:
    try:
        return periods.Period.from_code(code).label
    except ValueError:
        return f"{start:%b %Y} to {end:%b %Y}"


def observations_download(fmt: str, indicator, area, observations, *, every_source: bool) -> HttpResponse:
    """An indicator's figures for an area, oldest first: its headline series (one figure a period, the one that
    counts), or every figure from every source with which one is the headline."""
    chosen = sorted(
        (o for o in observations if every_source or o.headline),
        key=lambda o: (o.period_start, o.period_end, not o.headline, o.source),
    )
    header = OBSERVATION_HEADER + (["Headline"] if every_source else [])
    rows = [
        [
            indicator.name,
            area.name,
            period_label(o.period, o.period_start, o.period_end),
            o.period_start,
            o.period_end,
            o.value,
            indicator.get_unit_display(),
            o.lower,
            o.upper,
            o.numerator,
            o.denominator,
            o.source,
            o.get_origin_display(),
            o.get_status_display(),
            "Yes" if o.synthetic else "No",
        ]
        + (["Yes" if o.headline else "No"] if every_source else [])
        for o in chosen
    ]
    what = "every-source" if every_source else "series"
    return table_download(
        fmt,
        filename=f"{slugify(indicator.name)[:60]}-{area.code}-{what}",
        title="Every source" if every_source else "Headline series",
        header=header,
        rows=rows,
    )


def escalations_download(fmt: str, escalations, *, state: str | None) -> HttpResponse:
    """The escalation register as shown (all, open or closed)."""
    rows = [
        [
            e.raised_on,
            e.title,
            e.get_about_display(),
            e.from_group.name,
            e.to_group.name,
            str(e.created_by) if e.created_by else "",
            e.get_state_display(),
            e.decided_on,
        ]
        for e in escalations
    ]
    return table_download(
        fmt,
        filename=f"escalations-{state}" if state else "escalations",
        title="Escalation register",
        header=["Raised", "What", "About", "From", "To", "Owner", "State", "Decided on"],
        rows=rows,
    )
