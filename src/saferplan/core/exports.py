"""The one way the application writes spreadsheets and CSV files: user text stays text, never a formula.

OWASP "CSV injection" (Formula injection): a cell whose text begins with =, +, -, @, a tab or a carriage return
is run as a formula by Excel and LibreOffice (e.g. =HYPERLINK(...) in a detailed action's description). In an
XLSX file such text is stored as a string cell, so it shows as typed and is never evaluated; in a CSV file, where
there are no cell types, it is prefixed with an apostrophe, as OWASP advises. Numbers and dates stay numbers and
dates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_cell(value: object) -> object:
    """A value for a CSV cell: blank for None, text that could be a formula prefixed with an apostrophe."""
    if value is None:
        return ""
    if is_formula_like(value):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Iterable[object]], *, bom: bool = True) -> bytes:
    """Rows as CSV (CRLF line ends; UTF-8 with a byte order mark so that Excel reads it as UTF-8)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([csv_cell(c) for c in row] for row in rows)
    return out.getvalue().encode("utf-8-sig" if bom else "utf-8")


def csv_write(stream, rows: Iterable[Iterable[object]]) -> None:
    """Rows as CSV on a text stream (a command's output)."""
    csv.writer(stream, lineterminator="\n").writerows([csv_cell(c) for c in row] for row in rows)


def sheet_append(sheet, row: Iterable[object]) -> None:
    """Append a row to an openpyxl worksheet, every text cell stored as text (never a formula)."""
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.data_type != "s":
            cell.data_type = "s"


def xlsx_bytes(
    sheet_title: str, header: Iterable[object], rows: Iterable[Iterable[object]], *, caption: str = ""
) -> bytes:
    """One sheet: the caption in the first row when there is one, a bold header row, then the rows (numbers as
    numbers, dates as dates, text never a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]  # Excel's limit on a sheet's name
    if caption:
        sheet_append(sheet, [caption])
    sheet_append(sheet, header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    first = sheet.max_row + 1
    sheet.freeze_panes = f"A{first}"
    for row in rows:
        sheet_append(sheet, row)
    for column in sheet.iter_cols(min_row=first):
        for cell in column:
            if hasattr(cell.value, "year"):
                cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
