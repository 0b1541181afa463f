"""The delivery plan as an XLSX workbook, and its validated import.

Layout: sheet "Delivery plan", header row 1, one row per detailed action:

| column | what |
|---|---|
| Reference | SaferPlan's number for the detailed action; blank for a new one |
| Strategic action | the strategic action's reference: objective.outcome.action, e.g. 1.2.1 |
| Strategic action text | for the reader; ignored on import |
| Detailed action | what will be done (required) |
| Owning group | group reference (slug), e.g. anti-social-behaviour-group |
| Lead organisation | organisation reference (slug), optional |
| Named lead | optional |
| Start date, Target date | dates (a date cell, or 31/03/2017, or 2017-03-31) |
| Status | the latest status: not started, on track, at risk, off track, complete (a change adds a progress update) |
| Latest update | for the reader; on import, the text of the progress update a status change adds |

A workbook with any problem changes nothing; every problem names its sheet, row and column.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from django.db import transaction

from saferplan.accounts.models import Organisation
from saferplan.core.exports import sheet_append
from saferplan.core.importing import DocumentError, Problem, cell_value, xlsx_rows
from saferplan.delivery import selectors, services
from saferplan.delivery.models import DetailedAction, Status
from saferplan.plans.models import Group, StrategicAction

SHEET = "Delivery plan"
MAX_ROWS = 10_000  # detailed actions in one workbook (a plan has about a hundred)
COLUMNS = [
    "Reference",
    "Strategic action",
    "Strategic action text",
    "Detailed action",
    "Owning group",
    "Lead organisation",
    "Named lead",
    "Start date",
    "Target date",
    "Status",
    "Latest update",
]
STATUS_BY_LABEL = {label.lower(): value for value, label in Status.choices} | {v: v for v in Status.values}


def strategic_references(plan) -> dict[str, StrategicAction]:
    """{"1.2.1": strategic action} for the plan's live actions, numbered by position within their outcome."""
    result = {}
    actions = (
        StrategicAction.objects.live()
        .filter(
            outcome__objective__plan=plan,
            outcome__archived_at__isnull=True,
            outcome__objective__archived_at__isnull=True,
        )
        .select_related("outcome__objective")
        .order_by("outcome__objective__number", "outcome__number", "order", "pk")
    )
    counters: dict[int, int] = {}
    for action in actions:
        counters[action.outcome_id] = counters.get(action.outcome_id, 0) + 1
        result[f"{action.outcome.objective.number}.{action.outcome.number}.{counters[action.outcome_id]}"] = (
            action
        )
    return result


def export_workbook(plan) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    references = {a.pk: ref for ref, a in strategic_references(plan).items()}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet_append(sheet, COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in selectors.delivery_plan(plan).rows:
        a = row.action
        sheet_append(
            sheet,
            [
                a.pk,
                references.get(a.strategic_action_id, ""),
                a.strategic_action.text,
                a.description,
                a.owner_group.slug,
                a.lead_organisation.slug if a.lead_organisation else "",
                a.lead_name,
                a.start_date,
                a.target_date,
                Status(row.status).label.lower(),
                a.latest_text or "",
            ],
        )
    for column, width in zip("ABCDEFGHIJK", [10, 10, 50, 60, 30, 30, 20, 12, 12, 12, 60], strict=True):
        sheet.column_dimensions[column].width = width
    for cells in sheet.iter_rows(min_row=2, min_col=8, max_col=9):
        for cell in cells:
            cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _date(cell) -> date | None:
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = str(cell).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def import_workbook(filename: str, content: bytes, *, plan, user=None) -> dict[str, int]:
    """Check every row, then create or update the detailed actions; any problem changes nothing."""
    rows = xlsx_rows(filename, content, sheet=SHEET, required=True, max_rows=MAX_ROWS)

    def problem(row: int | None, column: str, message: str) -> Problem:
        return Problem(row, f"sheet {SHEET}, column {column}" if column else f"sheet {SHEET}", message, "row")

    if not rows or [cell_value(c) for c in rows[0][: len(COLUMNS)]] != COLUMNS:
        raise DocumentError([problem(1, "", f"the header row must be: {', '.join(COLUMNS)}")], filename)
    references = strategic_references(plan)
    groups = {g.slug: g for g in Group.objects.live().filter(partnership=plan.partnership)}
    organisations = {o.slug: o for o in Organisation.objects.all()}
    current = selectors.delivery_plan(plan).rows
    existing = {r.action.pk: r.action for r in current}
    latest = {r.action.pk: r.status for r in current}
    problems, clean = [], []
    for number, cells in enumerate(rows[1:], start=2):
        cells = (cells + [None] * len(COLUMNS))[: len(COLUMNS)]
        record = dict(zip(COLUMNS, cells, strict=True))
        if all(cell_value(c) == "" for c in cells):
            continue
        ok = True
        reference = cell_value(record["Reference"])
        action = None
        if reference:
            action = existing.get(int(reference)) if reference.isdigit() else None
            if action is None:
                problems.append(problem(number, "Reference", f"no detailed action {reference} in this plan"))
                ok = False
        strategic = references.get(cell_value(record["Strategic action"]))
        if strategic is None:
            problems.append(
                problem(
                    number,
                    "Strategic action",
                    f"unknown strategic action {cell_value(record['Strategic action'])!r}",
                )
            )
            ok = False
        description = cell_value(record["Detailed action"])
        if not description:
            problems.append(problem(number, "Detailed action", "the detailed action is missing"))
            ok = False
        group = groups.get(cell_value(record["Owning group"]))
        if group is None:
            problems.append(
                problem(number, "Owning group", f"unknown group {cell_value(record['Owning group'])!r}")
            )
            ok = False
        organisation = None
        if cell_value(record["Lead organisation"]):
            organisation = organisations.get(cell_value(record["Lead organisation"]))
            if organisation is None:
                problems.append(
                    problem(
                        number,
                        "Lead organisation",
                        f"unknown organisation {cell_value(record['Lead organisation'])!r}",
                    )
                )
                ok = False
        dates = {}
        for column in ("Start date", "Target date"):
            try:
                dates[column] = _date(record[column])
            except ValueError:
                problems.append(
                    problem(
                        number,
                        column,
                        f"cannot read {cell_value(record[column])!r} as a date; write 31/03/2017",
                    )
                )
                ok = False
        if (
            dates.get("Start date")
            and dates.get("Target date")
            and dates["Target date"] < dates["Start date"]
        ):
            problems.append(problem(number, "Target date", "the target date is before the start date"))
            ok = False
        status = (
            STATUS_BY_LABEL.get(cell_value(record["Status"]).lower())
            if cell_value(record["Status"])
            else None
        )
        if cell_value(record["Status"]) and status is None:
            problems.append(
                problem(
                    number,
                    "Status",
                    f"unknown status {cell_value(record['Status'])!r}; expected "
                    f"{', '.join(label.lower() for _, label in Status.choices)}",
                )
            )
            ok = False
        if ok:
            clean.append(
                (
                    action,
                    strategic,
                    description,
                    group,
                    organisation,
                    dates,
                    status,
                    cell_value(record["Latest update"]),
                    cell_value(record["Named lead"]),
                )
            )
    if problems:
        raise DocumentError(problems, filename)
    counts = {"created": 0, "updated": 0, "status changes": 0}
    with transaction.atomic():
        for action, strategic, description, group, organisation, dates, status, text, lead in clean:
            fields = dict(
                strategic_action=strategic,
                description=description,
                owner_group=group,
                lead_organisation=organisation,
                lead_name=lead,
                start_date=dates["Start date"],
                target_date=dates["Target date"],
            )
            if action is None:
                action = services.detailed_action_save(action=DetailedAction(), user=user, **fields)
                counts["created"] += 1
            elif any(getattr(action, k) != v for k, v in fields.items()):
                services.detailed_action_save(action=action, user=user, **fields)
                counts["updated"] += 1
            if status and status != latest.get(action.pk, Status.NOT_STARTED):
                services.progress_update_add(
                    action=action,
                    user=user,
                    status=status,
                    text=text or f"Status set to {Status(status).label.lower()} by import of {filename}",
                )
                counts["status changes"] += 1
    return counts
