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


def archive_problem(
    entries, *, max_entries: int, max_bytes: int, max_ratio: float, what: str = "archive"
) -> str:
    """Why a zip archive (its `infolist()`) must not be unpacked ("" when it may): too many entries, too many
    bytes once unpacked, or a compression ratio no real file has (a decompression bomb). Read from the archive's
    directory alone, before anything is decompressed. OWASP File Upload Cheat Sheet."""
    if len(entries) > max_entries:
        return f"the {what} has {len(entries):,} parts, more than the limit of {max_entries:,}"
    unpacked = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries) or 1
    if unpacked > max_bytes:
        return (
            f"the {what} unpacks to {unpacked / 1024 / 1024:,.0f} MB, more than the limit of "
            f"{max_bytes / 1024 / 1024:,.0f} MB"
        )
    if unpacked / packed > max_ratio:
        return (
            f"the {what} unpacks to {unpacked / packed:,.0f} times its size, more than the limit of "
            f"{max_ratio:g} (a compression bomb?)"
        )
    return ""


# Spreadsheets: the archive is checked before it is parsed (OWASP: file upload, decompression bombs), then read
# in streaming mode with limits on rows, columns and cell length. Every refusal says which limit was hit.
XLSX_MAX_ENTRIES = 500
XLSX_MAX_UNCOMPRESSED = 50 * 1024 * 1024  # all entries together
XLSX_MAX_RATIO = 100  # uncompressed ÷ compressed, for the whole archive
XLSX_MAX_COLUMNS = 50
XLSX_MAX_CELL = 10_000  # characters


def xlsx_rows(
    filename: str,
    content: bytes,
    *,
    sheet: str | None = None,
    required: bool = False,
    max_rows: int = 100_000,
) -> list[list[object]]:
    """The rows of a sheet of an XLSX workbook (the named sheet, else the first; with `required`, the named
    one or a DocumentError), trailing empty rows removed. Refuses, with a DocumentError naming the limit, an
    archive with more than XLSX_MAX_ENTRIES entries, more than XLSX_MAX_UNCOMPRESSED bytes uncompressed or a
    compression ratio above XLSX_MAX_RATIO, and a sheet with more than `max_rows` rows, a value beyond column
    XLSX_MAX_COLUMNS or a cell longer than XLSX_MAX_CELL characters; and any file that cannot be read."""
    import io
    import zipfile

    def refuse(message: str, line: int | None = None, field: str = "") -> DocumentError:
        return DocumentError([Problem(line, field, message, "row")], filename)

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise refuse(f"not a readable XLSX workbook: {exc}") from None
    problem = archive_problem(
        entries,
        max_entries=XLSX_MAX_ENTRIES,
        max_bytes=XLSX_MAX_UNCOMPRESSED,
        max_ratio=XLSX_MAX_RATIO,
        what="workbook",
    )
    if problem:
        raise refuse(problem)
    from openpyxl import load_workbook

    rows: list[list[object]] = []
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            if sheet and sheet in workbook.sheetnames:
                chosen = workbook[sheet]
            elif required:
                raise refuse(f"there is no sheet called {sheet!r}")
            else:
                chosen = workbook.worksheets[0]
            for number, row in enumerate(chosen.iter_rows(values_only=True), start=1):
                if number > max_rows:
                    raise refuse(f"more than {max_rows:,} rows: split the file")
                cells = list(row)
                while cells and (cells[-1] is None or cells[-1] == ""):
                    cells.pop()
                if len(cells) > XLSX_MAX_COLUMNS:
                    raise refuse(
                        f"a value beyond column {XLSX_MAX_COLUMNS}: this is not the expected layout", number
                    )
                for column, cell in enumerate(cells, start=1):
                    if isinstance(cell, str) and len(cell) > XLSX_MAX_CELL:
                        raise refuse(
                            f"a cell of {len(cell):,} characters, more than the limit of {XLSX_MAX_CELL:,}",
                            number,
                            f"column {column}",
                        )
                rows.append(cells)
        finally:
            workbook.close()
    except DocumentError:
        raise
    except Exception as exc:  # noqa: BLE001 - a malformed workbook can fail anywhere in openpyxl or the XML parser
        raise refuse(f"not a readable XLSX workbook: {type(exc).__name__}: {exc}"[:300]) from None
    while rows and all(c is None or str(c).strip() == "" for c in rows[-1]):
        rows.pop()
    return rows
