"""What every importer reports: problems that name the file, the line or row, and the field or column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    line: int | None
    field: str
    message: str
    unit: str = "line"  # "line" for text files, "row" for spreadsheets

    def __str__(self) -> str:
        where = f"{self.unit} {self.line}, " if self.line else ""
        return f"{where}{self.field or 'file'}: {self.message}"


class DocumentError(Exception):
    """A file with one or more problems. Nothing was changed."""

    def __init__(self, problems: list[Problem], filename: str = ""):
        self.problems = problems
        self.filename = filename
        super().__init__(self.report())

    def report(self) -> str:
        prefix = f"{self.filename}, " if self.filename else ""
        return "\n".join(prefix + str(p) for p in self.problems)

    def summary(self) -> str:
        count = len(self.problems)
        name = f"{self.filename}: " if self.filename else ""
        return f"{name}{count} problem{'s' if count != 1 else ''}; nothing was changed."


def csv_rows(filename: str, content: bytes) -> list[list[str]]:
    """The rows of a CSV file in UTF-8 (with or without a byte order mark); DocumentError when it is not text,
    holds NUL bytes, is not readable as CSV, or is empty."""
    import csv
    import io

    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            [Problem(None, "", f"not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8")], filename
        ) from None
    if "\x00" in text:
        raise DocumentError(
            [Problem(None, "", "the file contains NUL bytes: is it really a CSV file?")], filename
        )
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DocumentError([Problem(None, "", f"not a readable CSV file: {exc}")], filename) from None
    if not rows:
        raise DocumentError([Problem(1, "", "the file is empty", "row")], filename)
    return rows


def cell_value(cell) -> str:
    """A spreadsheet or CSV cell as text: blank for nothing, whole numbers without ".0", trimmed."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()
