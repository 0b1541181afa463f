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
import logging
import math
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from saferplan.accounts.permissions import can_manage_performance_data, can_submit_return
from saferplan.areas.models import Area
from saferplan.areas.selectors import population_for, population_year, populations_by_area
from saferplan.core.exports import csv_bytes, sheet_append
from saferplan.core.importing import DocumentError, Problem, cell_value, csv_rows, xlsx_rows
from saferplan.core.services import stamp
from saferplan.core.tasks import job_enqueue, jobs_recover_interrupted, this_worker
from saferplan.indicators import periods, rules
from saferplan.indicators.models import DataReturn, DataReturnImport, Observation
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
PROGRESS_EVERY = 50  # figures written between reports of progress


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
    filename: str,
    content: bytes,
    *,
    organisation,
    partnership,
    user=None,
    confirm_unusual: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> DataReturn:
    """Validate the whole return, record every figure, then check every rule of `saferplan.indicators.rules`
    over the figures as the return leaves them; a return with any problem changes nothing.

    A figure far outside its series is refused unless `confirm_unusual` (the provider confirms it); the
    refusal says so, and the same file can be sent again with the confirmation. `progress(done, total)` is
    told every PROGRESS_EVERY figures written, inside the transaction."""
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
    for done, r in enumerate(rows):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, len(rows))
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
    if progress is not None:
        progress(len(rows), len(rows))
    return data_return


# ------------------------------------------------------------------------ large returns, by the task queue

log = logging.getLogger(__name__)
Status = DataReturnImport.Status
STOPPED = (
    "The import stopped part-way because the worker running it stopped (it was restarted or killed). "
    "Nothing was changed: no figure from this return was saved. Retry the import."
)


def data_return_submit(
    filename: str, content: bytes, *, organisation, partnership, user, confirm_unusual: bool = False
) -> DataReturn | DataReturnImport:
    """A return uploaded on the web: checked completely now (a file with any problem raises DocumentError
    naming its rows and columns, and nothing is written). Up to settings.SAFERPLAN_QUEUE_RETURNS_OVER
    figures it is imported at once and the DataReturn returned; a larger one is saved under
    SAFERPLAN_DATA_DIR and queued, and its DataReturnImport returned for the page that follows it."""
    rows, problems = check_rows(
        filename, content, organisation=organisation, partnership=partnership, user=user
    )
    if problems:
        raise DocumentError(problems, filename)
    if not rows:
        raise DocumentError([Problem(None, "", "no figures found: fill in the value column")], filename)
    if len(rows) <= settings.SAFERPLAN_QUEUE_RETURNS_OVER:
        return import_data_return(
            filename,
            content,
            organisation=organisation,
            partnership=partnership,
            user=user,
            confirm_unusual=confirm_unusual,
        )
    folder = Path(settings.DATA_DIR) / "returns" / "uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    path = folder / ("return.xlsx" if filename.lower().endswith(".xlsx") else "return.csv")
    path.write_bytes(content)
    job = DataReturnImport(
        organisation=organisation,
        partnership=partnership,
        filename=filename[:255],
        confirm_unusual=confirm_unusual,
        rows_total=len(rows),
        upload=str(path.relative_to(settings.DATA_DIR)),
    )
    stamp(job, user=user)
    job.save()
    return _enqueue(job)


def _enqueue(job: DataReturnImport) -> DataReturnImport:
    from saferplan.indicators.tasks import data_return_import_task

    return job_enqueue(
        data_return_import_task,
        job,
        queued=Status.QUEUED,
        failed=Status.FAILED,
        what="The import",
        unchanged="Nothing was changed.",
    )


def _upload(job: DataReturnImport) -> Path:
    return Path(settings.DATA_DIR) / job.upload


def _progress_file(job: DataReturnImport) -> Path:
    """Where the worker writes how many figures it has written. The figures go in one transaction, which
    nobody else can see into (and on SQLite nobody else may write to the database meanwhile), so the count
    goes beside the upload, in the data folder every web and worker process shares."""
    return _upload(job).parent / "progress"


def with_progress(job: DataReturnImport) -> DataReturnImport:
    """The job with the worker's latest count of figures written, and its last sign of life, while it runs."""
    if job.status == Status.RUNNING and job.upload:
        try:
            text = _progress_file(job).read_text()
            stat = _progress_file(job).stat()
        except OSError:
            return job
        if text.strip().isdigit():
            job.rows_done = max(job.rows_done, int(text))
        seen = datetime.fromtimestamp(stat.st_mtime, tz=timezone.get_current_timezone())
        if job.heartbeat_at is None or seen > job.heartbeat_at:
            job.heartbeat_at = seen
    return job


def can_retry(job: DataReturnImport) -> bool:
    return job.status == Status.FAILED and bool(job.upload) and _upload(job).exists()


def data_return_import_retry(*, job: DataReturnImport, user) -> DataReturnImport:
    """Queue a failed import again from its saved upload."""
    with transaction.atomic():
        job = DataReturnImport.objects.select_for_update().get(pk=job.pk)
        if not can_retry(job):
            raise ValueError("Only a failed import whose upload is kept can be retried")
        job.status = Status.QUEUED
        job.rows_done = 0
        job.message = ""
        job.finished_at = job.started_at = job.heartbeat_at = None
        job.worker = job.task_id = ""
        stamp(job, user=user)
        job.save()
    _progress_file(job).unlink(missing_ok=True)
    return _enqueue(job)


def recover_interrupted() -> int:
    """Mark failed every running import whose worker has died; return how many."""
    return jobs_recover_interrupted(
        DataReturnImport, running=Status.RUNNING, failed=Status.FAILED, message=STOPPED, prepare=with_progress
    )


def data_return_import_run(job_id: int) -> str:
    """Import a queued return in the worker (claimed first, so a task delivered twice runs once): every
    figure, and the job marked done, in one transaction; progress goes to the progress file. A return that
    fails its checks now (a figure far outside its series, say) changes nothing and the job says why."""
    from saferplan.accounts.models import User

    recover_interrupted()
    now = timezone.now()
    claimed = DataReturnImport.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING,
        worker=this_worker(),
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return "not queued"
    job = DataReturnImport.objects.select_related("organisation", "partnership").get(pk=job_id)
    path = _upload(job)
    progress_file = _progress_file(job)
    keep_upload = False

    def progress(done: int, total: int) -> None:
        partial = progress_file.with_name("progress.part")
        partial.write_text(str(done))
        os.replace(partial, progress_file)

    try:
        user = User.objects.filter(pk=job.created_by_id, is_active=True).first()
        if user is None or not can_submit_return(user, job.organisation):
            raise DocumentError(
                [
                    Problem(
                        None,
                        "",
                        f"the person who sent it may no longer send returns for {job.organisation}",
                    )
                ],
                job.filename,
            )
        with transaction.atomic():
            accepted = import_data_return(
                job.filename,
                path.read_bytes(),
                organisation=job.organisation,
                partnership=job.partnership,
                user=user,
                confirm_unusual=job.confirm_unusual,
                progress=progress,
            )
            job.status = Status.DONE
            job.data_return = accepted
            job.rows_done = job.rows_total = (
                accepted.rows_created + accepted.rows_revised + accepted.rows_unchanged
            )
            job.message = f"Return accepted: {accepted.summary}."
            job.finished_at = timezone.now()
            job.save()
    except DocumentError as exc:
        job.status = Status.FAILED
        job.message = (
            f"The return was not accepted: {exc.summary()} Correct every problem and upload the file "
            f"again.\n{exc.report()}"
        )
    except Exception as exc:  # noqa: BLE001 - the page must say what happened, whatever it was
        log.exception("Data return import %s of %s failed", job_id, job.filename)
        keep_upload = True  # to retry
        job.status = Status.FAILED
        job.message = (
            f"The import stopped with an unexpected error ({type(exc).__name__}). Nothing was changed. "
            "The details are in the server's log for your administrator. Retry the import."
        )
    if job.status == Status.FAILED:
        job.finished_at = timezone.now()
        job.save()
    if not keep_upload:
        shutil.rmtree(path.parent, ignore_errors=True)
    return job.status


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
