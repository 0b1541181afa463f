"""Data returns: the template a data-providing organisation fills in, and its validated import.

Layout (CSV or XLSX, first sheet "Data return"), one row per figure, header row first:

| column | required | what |
|---|---|---|
| indicator | yes | indicator reference (slug), as in the template |
| indicator name | no | for the reader; ignored on import |
| area | yes | area code, e.g. E06000047 |
| area name | no | for the reader; ignored |
| period | yes | period label, e.g. Apr 2016, Q1 2016/17, 2015/16, 2015 |
| value | yes* | the figure (percentages as 32.3, not 0.323); *may be left blank when numerator and denominator are given |
| numerator | no | count behind a percentage or rate |
| denominator | no | population or base of a percentage or rate |
| lower, upper | no | confidence limits of a figure published ready-made (e.g. an age-standardised rate) |
| method | no | how a ready-made figure was calculated, e.g. "age-standardised, ONS" |
| status | no | final (default), provisional, or forecast (only for a period not ended yet, up to 12 months ahead) |
| commentary | no | what the figure shows, for the Board |
| due | no | when the figure is due; ignored |

Rows with no value, numerator or commentary are skipped (template rows not filled in). Every other row is
checked; a file with any problem changes nothing, and every problem is listed by row and column.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction

from saferplan.accounts.permissions import can_manage_performance_data
from saferplan.areas.models import Area
from saferplan.areas.selectors import population_for, population_year, populations_by_area
from saferplan.core.exports import csv_bytes, sheet_append
from saferplan.core.importing import DocumentError, Problem, cell_value, csv_rows, xlsx_rows
from saferplan.core.services import stamp
from saferplan.indicators import periods, rules
from saferplan.indicators.models import DataReturn, Observation
from saferplan.indicators.services import (
    MULTIPLIERS,
    UnusualFigure,
    commentary_record,
    figure_problems,
    observation_record,
    value_from_counts,
)
from saferplan.plans.models import Indicator

COLUMNS = [
    "indicator",
    "indicator name",
    "area",
    "area name",
    "period",
    "value",
    "numerator",
    "denominator",
    "lower",
    "upper",
    "method",
    "status",
    "commentary",
    "due",
]
REQUIRED = {"indicator", "area", "period", "value"}
RETURN_LAG_DAYS = 28  # a figure is due four weeks after its period ends
MAX_ROWS = 100_000


@dataclass
class ReturnRow:
    row: int
    indicator: Indicator
    area: Area
    period: periods.Period
    value: float
    numerator: float | None
    denominator: float | None
    lower: float | None
    upper: float | None
    method: str
    status: str
    commentary: str


def _letter(index: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index] if index < 26 else f"col{index + 1}"


def read_table(filename: str, content: bytes) -> list[tuple[int, dict[str, object]]]:
    """Rows of a CSV or XLSX file as (row number, {column: cell}), header on row 1."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(filename, content)
    elif name.endswith(".csv"):
        rows = csv_rows(filename, content)
    else:
        raise DocumentError([Problem(None, "", "expected a .csv or .xlsx file")], filename)
    if not rows:
        raise DocumentError([Problem(1, "", "the file is empty: expected a header row", "row")], filename)
    header = [str(h).strip().lower() if h is not None else "" for h in rows[0]]
    problems = []
    for i, h in enumerate(header):
        if h and h not in COLUMNS:
            problems.append(
                Problem(
                    1, f"column {_letter(i)}", f"unknown column {h!r}; expected {', '.join(COLUMNS)}", "row"
                )
            )
    for column in REQUIRED - set(header):
        problems.append(Problem(1, "header", f"the column {column!r} is missing", "row"))
    if len([h for h in header if h]) != len({h for h in header if h}):
        problems.append(Problem(1, "header", "a column name appears twice", "row"))
    if problems:
        raise DocumentError(problems, filename)
    if len(rows) > MAX_ROWS + 1:
        raise DocumentError([Problem(None, "", f"more than {MAX_ROWS:,} rows: split the return")], filename)
    result = []
    for number, cells in enumerate(rows[1:], start=2):
        record = {h: (cells[i] if i < len(cells) else None) for i, h in enumerate(header) if h}
        result.append((number, record))
    return result


def _read_xlsx(filename: str, content: bytes) -> list[list[object]]:
    return xlsx_rows(filename, content, sheet="Data return", max_rows=MAX_ROWS + 1)


def _number(cell) -> float | None:
    if cell is None or (isinstance(cell, str) and cell.strip() == ""):
        return None
    if isinstance(cell, bool):
        raise ValueError
    if isinstance(cell, int | float):
        number = float(cell)
    else:
        number = float(str(cell).strip().replace(",", ""))
    if not math.isfinite(number):
        raise ValueError
    return number


def _period_text(cell) -> str:
    """A period cell: text as written, or a spreadsheet date (first of a month) read as that month."""
    if isinstance(cell, datetime | date):
        return cell.strftime("%b %Y")
    return cell_value(cell)


def validate(filename: str, content: bytes, *, organisation, partnership) -> list[ReturnRow]:
    """Check a data return completely; raise DocumentError listing every problem by row and column."""
    rows, problems = check_rows(filename, content, organisation=organisation, partnership=partnership)
    if problems:
        raise DocumentError(problems, filename)
    if not rows:
        raise DocumentError([Problem(None, "", "no figures found: fill in the value column")], filename)
    return rows


def check_rows(
    filename: str, content: bytes, *, organisation, partnership, user=None, today: date | None = None
) -> tuple[list[ReturnRow], list[Problem]]:
    """The rows that pass every check of their own, and the problems of the others (by row and column). A
    file that cannot be read at all raises DocumentError."""
    table = read_table(filename, content)
    indicators = {
        i.slug: i for i in Indicator.objects.filter(partnership=partnership).select_related("source")
    }
    areas = {a.code: a for a in Area.objects.all()}
    populations = populations_by_area(a.pk for a in areas.values())
    problems: list[Problem] = []
    seen: dict[tuple, int] = {}
    today = today or date.today()
    # Only the source organisation's providers return an indicator's figures; an indicator without a source
    # takes figures from administrators and analysts (and the command line) only.
    trusted = user is None or can_manage_performance_data(user)
    rows: list[ReturnRow] = []

    def error(row: int, column: str, message: str) -> None:
        problems.append(Problem(row, f"column {column}", message, "row"))

    for row, cells in table:
        slug = cell_value(cells.get("indicator"))
        value_cell, numerator_cell = cells.get("value"), cells.get("numerator")
        comment = cell_value(cells.get("commentary"))
        if all(cell_value(cells.get(c)) == "" for c in ("value", "numerator", "denominator", "commentary")):
            continue  # a template row not filled in
        ok = True
        indicator = indicators.get(slug)
        if not slug:
            error(row, "indicator", "the indicator is missing")
            ok = False
        elif indicator is None or indicator.is_archived:
            error(row, "indicator", f"unknown indicator {slug!r}")
            ok = False
        elif indicator.source_id and organisation is not None and indicator.source_id != organisation.pk:
            error(
                row, "indicator", f"{indicator.name!r} is supplied by {indicator.source}, not {organisation}"
            )
            ok = False
        elif not indicator.source_id and not trusted:
            error(
                row,
                "indicator",
                f"{indicator.name!r} has no source organisation: only administrators and analysts may "
                "return its figures",
            )
            ok = False
        code = cell_value(cells.get("area"))
        area = areas.get(code)
        if area is None:
            error(row, "area", f"unknown area code {code!r}" if code else "the area is missing")
            ok = False
        label = _period_text(cells.get("period"))
        period = None
        try:
            period = periods.parse(label, basis=indicator.period_basis if indicator else "financial")
        except ValueError as exc:
            error(row, "period", str(exc) if label else "the period is missing")
            ok = False
        if (
            period is not None
            and indicator is not None
            and not periods.valid_for(period, indicator.frequency, indicator.period_basis)
        ):
            error(
                row,
                "period",
                f"{period.label} is not a {indicator.get_frequency_display().lower()} period "
                f"({indicator.get_period_basis_display().lower()}) of this indicator",
            )
            ok = False
        numbers = {}
        for column, cell in (
            ("value", value_cell),
            ("numerator", numerator_cell),
            ("denominator", cells.get("denominator")),
            ("lower", cells.get("lower")),
            ("upper", cells.get("upper")),
        ):
            try:
                numbers[column] = _number(cell)
            except (ValueError, TypeError):
                error(row, column, f"expected a number, got {cell_value(cell)!r}")
                ok = False
                numbers[column] = None
        value, numerator, denominator = numbers["value"], numbers["numerator"], numbers["denominator"]
        lower, upper = numbers["lower"], numbers["upper"]
        method = cell_value(cells.get("method"))[:200]
        if (lower is None) != (upper is None):
            error(row, "lower" if lower is None else "upper", "give both confidence limits, or neither")
            ok = False
        elif lower is not None and value is not None and not lower <= value <= upper:
            error(row, "lower", f"the value ({value:g}) must lie between the limits ({lower:g} to {upper:g})")
            ok = False
        status = cell_value(cells.get("status")).lower() or Observation.Status.FINAL
        if status not in Observation.Status.values:
            error(row, "status", f"expected final, provisional or forecast, got {status!r}")
            ok = False
        elif period is not None and (future := rules.future_problem(period, status, today)):
            error(row, "period", future)
            ok = False
        for column, number in numbers.items():
            if column != "value" and number is not None and number < 0:
                error(row, column, f"cannot be negative ({number:g})")
                ok = False
        if denominator is not None and denominator == 0:
            error(row, "denominator", "cannot be 0")
            ok = False
        if indicator is not None and ok:
            unit = indicator.unit
            if unit == "percentage":
                if numerator is not None and denominator is not None and numerator > denominator:
                    error(
                        row,
                        "numerator",
                        f"the numerator ({numerator:g}) is more than the denominator "
                        f"({denominator:g}) for a percentage",
                    )
                    ok = False
            if ok and value is None and numerator is not None and unit in MULTIPLIERS:
                if denominator is None and unit != "percentage" and area is not None and period is not None:
                    year = population_year(period.start, indicator.period_basis)
                    denominator = population_for(populations.get(area.pk, {}), year)
                    if denominator is None:
                        error(row, "denominator", f"no population for {area} in {year}: give the denominator")
                        ok = False
                if ok and denominator is not None:
                    value = value_from_counts(unit, numerator, denominator)
            if ok and value is None and (numerator is not None or denominator is not None):
                if unit == "count" and numerator is not None:
                    value = numerator
                else:
                    error(row, "value", "the value is missing (or give both numerator and denominator)")
                    ok = False
            if ok and value is None and comment:
                error(row, "value", "the value is missing: a commentary needs a figure")
                ok = False
            if ok and period is not None:
                for problem in rules.bound_problems(rules.IndicatorRule.of(indicator), period, value):
                    error(row, "value", problem)
                    ok = False
        if ok:
            key = (indicator.pk, area.pk, period.code)
            if key in seen:
                error(
                    row,
                    "period",
                    f"a second figure for {indicator.slug}, {area.code}, {period.label} "
                    f"(first on row {seen[key]})",
                )
                continue
            seen[key] = row
            rows.append(
                ReturnRow(
                    row,
                    indicator,
                    area,
                    period,
                    value,
                    numerator,
                    denominator,
                    lower,
                    upper,
                    method,
                    status,
                    comment,
                )
            )
    return rows, problems


@transaction.atomic
def import_data_return(
    filename: str, content: bytes, *, organisation, partnership, user=None, confirm_unusual: bool = False
) -> DataReturn:
    """Validate the whole return, record every figure, then check every rule of `saferplan.indicators.rules`
    over the figures as the return leaves them; a return with any problem changes nothing.

    A figure far outside its series is refused unless `confirm_unusual` (the provider confirms it); the
    refusal says so, and the same file can be sent again with the confirmation."""
    rows, problems = check_rows(
        filename, content, organisation=organisation, partnership=partnership, user=user
    )
    if not rows and not problems:
        raise DocumentError([Problem(None, "", "no figures found: fill in the value column")], filename)
    data_return = DataReturn(organisation=organisation, filename=filename[:255])
    stamp(data_return, user=user)
    data_return.save()
    counts = {"created": 0, "revised": 0, "unchanged": 0}
    recorded: dict[int, int] = {}  # observation id → row
    for r in rows:
        try:
            observation, outcome = observation_record(
                indicator=r.indicator,
                area=r.area,
                period=r.period,
                value=r.value,
                numerator=r.numerator,
                denominator=r.denominator,
                lower=r.lower,
                upper=r.upper,
                method=r.method,
                status=r.status,
                source=organisation.name,
                origin=Observation.Origin.RETURN,
                user=user,
                data_return=data_return,
                reference=f"Data return {filename}, row {r.row}",
                confirmed_unusual=confirm_unusual,
                check=False,
            )
        except UnusualFigure as exc:
            problems.append(
                Problem(
                    r.row,
                    "column value",
                    f"{exc}; send the return again confirming the unusual figures",
                    "row",
                )
            )
            continue
        recorded[observation.pk] = r.row
        counts[outcome] += 1
        if r.commentary:
            commentary_record(
                indicator=r.indicator, area=r.area, period=r.period, text=r.commentary, user=user
            )
    written = list(Observation.objects.filter(pk__in=recorded).select_related("indicator", "area"))
    for observation, message in figure_problems(written):
        problems.append(Problem(recorded[observation.pk], "column value", message, "row"))
    if problems:
        raise DocumentError(sorted(problems, key=lambda p: p.line or 0), filename)
    data_return.rows_created = counts["created"]
    data_return.rows_revised = counts["revised"]
    data_return.rows_unchanged = counts["unchanged"]
    data_return.save()
    return data_return


# ------------------------------------------------------------------------------------ due returns


@dataclass
class DueFigure:
    indicator: Indicator
    area: Area
    period: periods.Period
    due: date
    received: bool

    @property
    def status(self) -> str:
        if self.received:
            return "received"
        return "overdue" if self.due < date.today() else "due"


def due_figures(*, organisation, plan, area: Area, today: date | None = None) -> list[DueFigure]:
    """Every figure the organisation owes for the plan period (up to today) for the area, and whether it came."""
    today = today or date.today()
    start = date(plan.start_year, 4, 1)
    end = min(date(plan.end_year, 3, 31), today)
    indicators = list(
        Indicator.objects.live()
        .filter(partnership=plan.partnership, source=organisation)
        .order_by("order", "name")
    )
    received = set(
        Observation.objects.filter(indicator__in=indicators, area=area, source=organisation.name).values_list(
            "indicator_id", "period"
        )
    )
    result = []
    for indicator in indicators:
        for period in periods.periods_for(indicator.frequency, indicator.period_basis, start, end):
            due = period.end + timedelta(days=RETURN_LAG_DAYS)
            result.append(DueFigure(indicator, area, period, due, (indicator.pk, period.code) in received))
    return result


def template_rows(*, organisation, plan, area: Area) -> list[list[object]]:
    """The return template: a row for each figure due or overdue, for the organisation to fill in."""
    rows = [COLUMNS]
    for figure in due_figures(organisation=organisation, plan=plan, area=area):
        if figure.received:
            continue
        rows.append(
            [
                figure.indicator.slug,
                figure.indicator.name,
                area.code,
                area.name,
                figure.period.label,
                None,
                None,
                None,
                None,
                None,
                None,
                "final",
                None,
                figure.due.isoformat(),
            ]
        )
    return rows


def template_csv(rows: list[list[object]]) -> bytes:
    return csv_bytes(rows)


def template_xlsx(rows: list[list[object]], *, organisation) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data return"
    for row in rows:
        sheet_append(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [28, 60, 12, 24, 16, 12, 12, 12, 10, 10, 24, 12, 40, 12]
    for i, width in enumerate(widths):
        sheet.column_dimensions[_letter(i)].width = width
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("How to fill this in")
    for line in [
        f"Data return for {organisation}",
        "Fill in the value for each row (percentages as 32.3, not 0.323), or the numerator and denominator.",
        "Status: final, or provisional if the figure may be revised. Commentary is optional.",
        "Leave rows you cannot fill blank. Do not change the indicator, area or period columns.",
        "Upload the file on SaferPlan (Data returns) or with: saferplan data import FILE --organisation SLUG",
    ]:
        notes.append([line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
