"""Any table as a file: `?format=csv` or `?format=xlsx` on the page that shows it (links beside the table come
from the `scrolling_table` tag). Figures stay numbers and dates stay dates; user text is never a formula
(saferplan.core.exports)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.text import slugify

from saferplan.core.exports import csv_bytes, xlsx_bytes
from saferplan.core.formatting import without_source_marks
from saferplan.core.selectors import assumption_note
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
    fmt: str,
    *,
    filename: str,
    title: str,
    header: Iterable[object],
    rows: Iterable[Iterable[object]],
    caption: str = "",
) -> HttpResponse:
    """The table as a CSV or XLSX download named `filename` (without its extension); `title` names the sheet, and
    a `caption` (what the table is, e.g. its area and period) is the first row when given."""
    header, rows = list(header), list(rows)
    if fmt == "csv":
        content = csv_bytes([*([[caption]] if caption else []), header, *rows])
    else:
        content = xlsx_bytes(title, header, rows, caption=caption)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@dataclass
class Table:
    """A table as a file: its file name (without the extension), its sheet's name, its header and its rows."""

    filename: str
    title: str
    header: list
    rows: list


def respond(request, tables: dict[str, Callable[[], Table]]) -> HttpResponse | None:
    """The page's table asked for as a file (`?format=csv|xlsx&table=name`, the name "" for a page's only
    table), or None when the request asks for none of them and the view shows the page. Only the table asked
    for is built."""
    for name, build in tables.items():
        if fmt := wanted(request, name):
            table = build()
            return table_download(
                fmt, filename=table.filename, title=table.title, header=table.header, rows=table.rows
            )
    return None


def yes_no(value) -> str:
    return "Yes" if value else "No"


def assumed_cell(record, field: str) -> str:
    """What the demo assumed about a value ("" when the value is not assumed): the note the page shows beside its
    "Assumed for the demo" tag (the view gives the records their assumptions first)."""
    note = without_source_marks(assumption_note(record, field))
    return f"Assumed for the demo: {note}" if note else ""


def and_list(items) -> str:
    """Names as a sentence writes them: "A", "A and B", "A, B and C" (as the pages write them)."""
    names = [str(i) for i in items or []]
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


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


# Organisations, groups and meetings ------------------------------------------------------------------------


def organisations_table(organisations) -> Table:
    return Table(
        "organisations",
        "Organisations",
        ["Organisation", "Short name", "Status under the Crime and Disorder Act", "Sector"],
        [[o.name, o.short_name, o.get_kind_display(), o.get_sector_display()] for o in organisations],
    )


def groups_table(groups) -> Table:
    """The partnership's groups (records given their assumptions first)."""
    return Table(
        "groups",
        "Groups",
        [
            "Group",
            "Type",
            "Lead organisation",
            "Lead organisation assumed",
            "Objectives it facilitates",
            "Areas",
        ],
        [
            [
                g.name,
                g.get_kind_display(),
                str(g.lead_organisation) if g.lead_organisation else "",
                assumed_cell(g, "lead_organisation") if g.lead_organisation else "",
                ", ".join(
                    f"{r.objective.number}{' (supporting)' if r.role == 'supporting' else ''}"
                    for r in g.objective_roles.all()
                ),
                and_list(g.areas),
            ]
            for g in groups
        ],
    )


def task_and_finish_table(task_and_finish) -> Table:
    rows = []
    for g, closure, overdue in task_and_finish:
        state = "Closed" if closure else ("Closure overdue" if overdue else "Open")
        rows.append([g.name, g.end_date, state, closure.closed_on if closure else None])
    return Table(
        "task-and-finish-groups", "Task and finish groups", ["Group", "Until", "Closure", "Closed on"], rows
    )


def strategies_table(strategies) -> Table:
    return Table(
        "strategies",
        "Strategies",
        ["Strategy", "Period", "Owner group", "Objectives"],
        [
            [
                s.title,
                s.period,
                str(s.owner_group) if s.owner_group else "",
                ", ".join(str(o.number) for o in s.objectives.all()),
            ]
            for s in strategies
        ],
    )


def meetings_table(meetings) -> Table:
    return Table(
        "meetings",
        "Meetings",
        ["Date", "Meeting", "Group", "Items"],
        [[m.date, str(m), m.group.name, len(m.items.all())] for m in meetings],
    )


# Funding ----------------------------------------------------------------------------------------------------

ILLUSTRATIVE = "Illustrative (made up for the demonstration)"


def allocations_table(overview) -> Table:
    """Every allocation on the funding page, one a row (the page shows a table a fund and year)."""
    rows = [
        [
            group.fund.name,
            group.year_label,
            a.priority_area,
            a.amount,
            yes_no(a.illustrative),
            assumed_cell(a, "amount"),
            yes_no(a.agreed_by_board),
            a.board_agreed_on,
            yes_no(a.agreed_by_pcc),
            a.pcc_agreed_on,
            without_source_marks(a.source_reference or ""),
        ]
        for group in overview.allocations
        for a in group.rows
    ]
    header = [
        "Fund",
        "Financial year",
        "Priority area",
        "Amount (£)",
        ILLUSTRATIVE,
        "Amount assumed",
        "Agreed by the Board",
        "Agreed by the Board on",
        "Agreed by the Police and Crime Commissioner",
        "Agreed by the Police and Crime Commissioner on",
        "Source",
    ]
    return Table("funding-allocations", "Allocations", header, rows)


def projects_table(overview) -> Table:
    rows = []
    for p in overview.projects:
        spend = (
            "Signed off"
            if p.is_signed_off
            else ("Evidence recorded" if p.has_evidence else "Awaiting evidence")
        )
        objectives = "; ".join(f"{o.plan.period} objective {o.number}: {o.title}" for o in p.objectives.all())
        rows.append(
            [
                p.year_label,
                p.name,
                p.fund.name,
                p.lead_bidder_label,
                p.amount,
                assumed_cell(p, "amount"),
                p.match_funding,
                p.match_funder,
                objectives,
                assumed_cell(p, "objectives"),
                spend,
                yes_no(p.illustrative),
            ]
        )
    header = [
        "Financial year",
        "Project",
        "Fund",
        "Lead bidder",
        "Amount (£)",
        "Amount assumed",
        "Match funding (£)",
        "Match funder",
        "Objectives",
        "Objectives assumed",
        "Spend",
        ILLUSTRATIVE,
    ]
    return Table("funding-projects", "Projects", header, rows)


def funding_totals_table(totals, *, by: str) -> Table:
    """Totals by financial year, objective or funder, as the page shows them."""
    if by == "year":
        header = ["Financial year", "Allocated to priority areas (£)", "Projects", "Amount to projects (£)"]
        header += ["Match funding (£)"]
        rows = [[t.label, t.allocated, t.projects, t.amount, t.match_funding] for t in totals]
    elif by == "objective":
        header = ["Objective", "Projects", "Amount (£)", "Match funding (£)"]
        rows = [[t.label, t.projects, t.amount, t.match_funding] for t in totals]
    else:
        header = ["Funder", "Projects", "Amount (£)"]
        rows = [[t.label, t.projects, t.amount] for t in totals]
    header.append("Includes illustrative amounts")
    for row, t in zip(rows, totals, strict=True):
        row.append(yes_no(t.any_illustrative))
    return Table(f"funding-totals-by-{by}", f"Totals by {by}", header, rows)


# Police open data ---------------------------------------------------------------------------------------------


def police_compare_table(figures, labels: dict[str, str], *, by: str) -> Table:
    """Counts and rates by crime type (with the total of all crime types) or by area, against the month before and
    the same month a year before; "" where the month is not imported. `labels`: now, previous, last_year."""
    header = [
        "Crime type" if by == "type" else "Area",
        f"{labels['now']}: count",
        f"{labels['now']}: per 1,000 residents",
        f"{labels['now']}: residents (ONS mid-year estimate)",
    ]
    for key, against in (("previous", "the month before"), ("last_year", "a year before")):
        header += [
            f"{labels[key]}: count",
            f"{labels[key]}: per 1,000 residents",
            f"Change on {against}",
            f"Change on {against} (%)",
        ]

    def cells(row):
        now = row["now"]
        out = [now["count"], _rounded(now["rate"]), now["population"]]
        for before in row["before"]:
            out += [
                before["count"],
                _rounded(before["rate"]),
                before["change"],
                _rounded(before["percent"], 1),
            ]
        return out

    if by == "type":
        rows = [[r["name"], *cells(r)] for r in figures["by_type"]]
        rows.append(["All crime types", *cells(figures["total"])])
    else:
        rows = [[r["area"].name, *cells(r)] for r in figures["by_area"]]
    return Table(
        f"police-{figures['month']}-by-{by}", f"By {'crime type' if by == 'type' else 'area'}", header, rows
    )


def _rounded(value, places: int = 2):
    return None if value is None else round(value, places)


def police_places_table(figures, *, which: str) -> Table:
    """The top locations, the top LSOAs, or the map's hot spots, as the page lists them."""
    month = figures["month"]
    if which == "locations":
        return Table(
            f"police-{month}-top-locations",
            "Top locations",
            ["Location", "Count"],
            [[r["name"], r["count"]] for r in figures["top_locations"]],
        )
    if which == "lsoas":
        return Table(
            f"police-{month}-top-lsoas",
            "Top LSOAs",
            ["LSOA", "LSOA code", "Count"],
            [[r["name"], r.get("code") or "", r["count"]] for r in figures["top_lsoas"]],
        )
    spots = figures["map"]["hot_spots"] if figures["map"] else []
    return Table(
        f"police-{month}-hot-spots",
        "Hot spots",
        ["Rank", "Most frequent location", "Count"],
        [[s["rank"], s["location"] or "No location given", s["count"]] for s in spots],
    )


def police_coverage_table(coverage) -> Table:
    return Table(
        "police-rows-held",
        "Rows held",
        ["Month", "Force", "Rows", "Outside every area of the partnership"],
        [[c["month"], c["force"], c["rows"], c["outside"]] for c in coverage],
    )


# The difference between two versions of a plan -------------------------------------------------------------


def plan_compare_summary_table(old, new, levels) -> Table:
    return Table(
        f"{new.slug}-compared-with-{old.slug}-summary",
        "Summary",
        ["", "Added", "Removed", "Renamed", "Moved", "Unchanged"],
        [
            [
                level["name"],
                len(level["changes"]["added"]),
                len(level["changes"]["removed"]),
                len(level["changes"]["renamed"]),
                len(level["changes"]["moved"]),
                level["changes"]["unchanged"],
            ]
            for level in levels
        ],
    )


def plan_compare_changes_table(old, new, levels) -> Table:
    """Every change, one a row: what it is, and the record in each version (blank where it is in only one)."""
    rows = []
    for level in levels:
        changes = level["changes"]
        for e in changes["added"]:
            rows.append([level["label"], "Added", "", "", e["ref"], e["title"]])
        for e in changes["removed"]:
            rows.append([level["label"], "Removed", e["ref"], e["title"], "", ""])
        for change in ("renamed", "moved"):
            for e in changes[change]:
                rows.append(
                    [
                        level["label"],
                        change.capitalize(),
                        e["old"]["ref"],
                        e["old"]["title"],
                        e["new"]["ref"],
                        e["new"]["title"],
                    ]
                )
    header = ["What", "Change", f"Number in {old.period}", f"In {old.period}", f"Number in {new.period}"]
    header.append(f"In {new.period}")
    return Table(f"{new.slug}-compared-with-{old.slug}", "Changes", header, rows)
