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
