"""Consultation results from a CSV file: what each group consulted is concerned about or wants to see.

Layout (CSV, UTF-8, header row first), one row per result:

| column | required | what |
|---|---|---|
| group | yes | the group consulted: a label or a value of Concern.Group, any case ("Our communities" or "communities") |
| kind | yes | "Concerned about" / "concern" or "Want to see" / "want", any case |
| text | yes | what they said, up to 500 characters |
| respondents | no | how many raised it: a whole number, 0 or more; blank when not counted |

Blank rows are skipped. Every row is checked first; a file with any problem changes nothing, and every problem is
named with the file, the row and the field. Text is stored as typed: a text beginning with = + - or @ stays text
(and every export goes through saferplan.core.exports, which never writes it as a formula). The apostrophe such an
export puts before a text beginning with = + - or @ is taken off again, so an exported file imports as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from saferplan.assessment.models import Concern, ConsultationExercise
from saferplan.assessment.services.consultation import results_add
from saferplan.core.exports import csv_bytes, is_formula_like
from saferplan.core.importing import DocumentError, Problem, csv_rows

COLUMNS = ["group", "kind", "text", "respondents"]
REQUIRED = {"group", "kind", "text"}
MAX_ROWS = 5_000
MAX_RESPONDENTS = 10_000_000  # more than anyone consults; beyond it a figure is a typing error
TEXT_LENGTH = Concern._meta.get_field("text").max_length


@dataclass(frozen=True)
class ResultRow:
    row: int
    group: str  # Concern.Group value
    kind: str  # Concern.Kind value
    text: str
    respondents: int | None

    def fields(self) -> dict:
        return {"group": self.group, "kind": self.kind, "text": self.text, "respondents": self.respondents}


def _lookup(choices) -> dict[str, str]:
    table = {}
    for value, label in choices:
        table[value.casefold()] = value
        table[label.casefold()] = value
        table[value.replace("_", " ").casefold()] = value
    return table


GROUPS = _lookup(Concern.Group.choices)
KINDS = _lookup(Concern.Kind.choices)


def _allowed(choices) -> str:
    return "; ".join(f"{label} ({value})" for value, label in choices)


def parse(filename: str, content: bytes) -> list[ResultRow]:
    """Check a results file completely: its rows, or a DocumentError naming every problem by row and field."""
    rows = csv_rows(filename, content)
    header = [h.strip().casefold() for h in rows[0]]
    problems: list[Problem] = []
    for i, name in enumerate(header):
        if name and name not in COLUMNS:
            problems.append(
                Problem(
                    1, f"column {i + 1}", f"unknown column {name!r}; expected {', '.join(COLUMNS)}", "row"
                )
            )
    for name in COLUMNS:
        if name in REQUIRED and name not in header:
            problems.append(Problem(1, "header", f"the column {name!r} is missing", "row"))
        if header.count(name) > 1:
            problems.append(Problem(1, "header", f"the column {name!r} appears twice", "row"))
    if problems:
        raise DocumentError(problems, filename)
    if len(rows) > MAX_ROWS + 1:
        raise DocumentError([Problem(None, "", f"more than {MAX_ROWS:,} rows: split the file")], filename)
    where = {name: header.index(name) for name in COLUMNS if name in header}
    result: list[ResultRow] = []
    for number, cells in enumerate(rows[1:], start=2):
        values = {name: (cells[i].strip() if i < len(cells) else "") for name, i in where.items()}
        if not any(c.strip() for c in cells):
            continue  # a blank row
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            problems.append(
                Problem(number, "row", f"{len(cells)} values but {len(header)} columns in the header", "row")
            )
        row, row_problems = _check_row(number, values)
        problems += row_problems
        if row is not None:
            result.append(row)
    if problems:
        raise DocumentError(problems, filename)
    if not result:
        raise DocumentError([Problem(None, "", "no results found: add a row for each result")], filename)
    return result


def _check_row(number: int, values: dict[str, str]) -> tuple[ResultRow | None, list[Problem]]:
    """One row's result, or None and its problems (each naming the row and the field)."""
    row_problems = []

    def bad(field: str, message: str) -> None:
        row_problems.append(Problem(number, field, message, "row"))

    group = GROUPS.get(values["group"].casefold())
    if not values["group"]:
        bad("group", f"enter the group consulted: one of {_allowed(Concern.Group.choices)}")
    elif group is None:
        bad("group", f"{values['group'][:60]!r} is not a group: use one of {_allowed(Concern.Group.choices)}")
    kind = KINDS.get(values["kind"].casefold())
    if not values["kind"]:
        bad("kind", f"enter the kind: one of {_allowed(Concern.Kind.choices)}")
    elif kind is None:
        bad("kind", f"{values['kind'][:60]!r} is not a kind: use one of {_allowed(Concern.Kind.choices)}")
    text = values["text"]
    if text.startswith("'") and is_formula_like(text[1:]):
        text = text[1:]  # written by an export (saferplan.core.exports): the apostrophe only kept it text
    if not text:
        bad("text", "enter what the group said")
    elif len(text) > TEXT_LENGTH:
        bad("text", f"{len(text):,} characters; at most {TEXT_LENGTH} allowed")
    respondents = None
    raw = values.get("respondents", "")
    if raw:
        cleaned = raw.replace(",", "")
        if not cleaned.isascii() or not cleaned.isdigit():
            bad("respondents", f"{raw[:30]!r} is not a whole number of 0 or more")
        elif int(cleaned) > MAX_RESPONDENTS:
            bad("respondents", f"{raw[:30]} is more than {MAX_RESPONDENTS:,}: is it a typing error?")
        else:
            respondents = int(cleaned)
    if row_problems:
        return None, row_problems
    return ResultRow(number, group, kind, text, respondents), []


def import_results(filename: str, content: bytes, *, exercise: ConsultationExercise, user) -> list[Concern]:
    """Check the file and add its results to the exercise, after those it has; DocumentError (and nothing
    written) when any row is wrong."""
    rows = parse(filename, content)
    return results_add(exercise=exercise, rows=[r.fields() for r in rows], user=user)


def template_csv() -> bytes:
    """A file to fill in: the header and two example rows."""
    return csv_bytes(
        [
            COLUMNS,
            ["Our communities", "Concerned about", "Anti-social behaviour in the town centre", "120"],
            ["Children and young people", "Want to see", "More things to do in the evenings", ""],
        ]
    )


def results_csv(exercise: ConsultationExercise) -> bytes:
    """An exercise's results in the import layout (text that looks like a formula is written as text)."""
    return csv_bytes(
        [COLUMNS]
        + [
            [c.get_group_display(), c.get_kind_display(), c.text, c.respondents]
            for c in exercise.concerns.order_by("group", "kind", "order", "pk")
        ]
    )
