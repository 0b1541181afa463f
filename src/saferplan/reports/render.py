"""Renderers of a report Document (reports/document.py), one for each format councils use.

- HTML, on screen inside the app and standalone for print;
- Word (.docx) with real heading styles, numbered paragraphs ("List Number"), tables whose first row is marked
  as a header row (repeated on each page, read as headers by screen readers), and charts as PNG images with
  alternative text (the drawing's `descr`);
- PDF from the print HTML by WeasyPrint's PDF/UA-1 variant: tagged, with the document title and language;
- an XLSX data annex, a sheet per table, with typed cells (numbers, dates) and number formats.

Word and PDF paginate as a reader expects: a committee paper's front (meeting, date, "Report of") above the
title; appendices on a new page; table rows never split across pages and header rows repeated on each page;
headings, captions and chart titles kept with what follows; the title and "Page 3 of 12" in every footer. The
document properties (author, dates, title, subject, language) are the report's own in every format.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

from saferplan.core.exports import sheet_append
from saferplan.reports.document import Bullets, Cell, Chart, Document, Heading, Paragraph, Table

FORMATS = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMAT_NAMES = {"html": "web page", "docx": "Word", "pdf": "PDF", "xlsx": "data annex (spreadsheet)"}
APPLICATION = "SaferPlan"


def cell_text(value: Cell) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() and abs(value) >= 1000 else f"{value:,.1f}"
    return str(value)


def author(document: Document) -> str:
    """Who the document properties name as its author: the report's own, or the application."""
    return document.author or APPLICATION


def comment(document: Document) -> str:
    return f"Made by {APPLICATION} from the partnership's plan and performance data."


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


# HTML and PDF ----------------------------------------------------------------------------------------------


def to_html(document: Document) -> str:
    """The standalone page, for print and for the PDF."""
    from django.template.loader import render_to_string

    context = {"document": document, "author": author(document), "created": _now().isoformat()}
    return render_to_string("web/document_print.html", context)


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1: structure tree; title and language from the page's <title> and lang; author,
    subject and dates from its <meta> elements)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def to_pdf(document: Document) -> bytes:
    return html_to_pdf(to_html(document))


def chart_png(svg: str, width: int = 1200) -> bytes:
    """The chart's SVG as a PNG, for Word (which older versions cannot show SVG)."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode(), output_width=width, background_color="white")


# Word ------------------------------------------------------------------------------------------------------


def _row_properties(row, *, header: bool) -> None:
    """A row that never splits across pages (w:cantSplit); the header row is repeated at the top of each page
    (w:tblHeader) and kept with the first row below it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    for name in ("w:cantSplit", "w:tblHeader") if header else ("w:cantSplit",):
        element = OxmlElement(name)
        element.set(qn("w:val"), "true")
        properties.append(element)  # CT_TrPr's order: cantSplit before tblHeader
    if header:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
                for run in paragraph.runs:
                    run.bold = True


def _column_shares(table: Table) -> list[float]:
    """Each column's share of the table's width, in proportion to its longest text (capped, so that one long
    cell cannot take the page; at least the heading's longest word)."""
    weights = []
    for i, heading in enumerate(table.columns):
        word = max((len(w) for w in heading.split()), default=1)
        longest = max((len(cell_text(r[i])) for r in table.rows), default=1)
        weights.append(max(word + 3, 11, min(longest, 30) + 4))
    return [w / sum(weights) for w in weights]


def _column_widths(table: Table, total: float = 17.0) -> list[float]:
    """Each column's width in cm: its share of the page (`_column_shares`), but never narrower than the longest
    word of its heading or (up to 12 letters) of its cells in 9 pt bold (about 0.21 cm a character, with the
    cell's margins), so that no short word breaks ("Ran k", "Agree d" as LibreOffice lays out Word files); the
    wider columns give up what the narrow ones need."""

    def longest_word(i: int, heading: str) -> int:
        words = [len(w) for w in heading.split()]
        words += [min(len(w), 12) for r in table.rows for w in cell_text(r[i]).split()]
        return max(words, default=1)

    least = [0.21 * longest_word(i, c) + 0.6 for i, c in enumerate(table.columns)]
    if sum(least) >= total:  # too many columns for every word to fit: each its share of what the words need
        return [total * m / sum(least) for m in least]
    widths = [total * share for share in _column_shares(table)]
    short: set[int] = set()
    while True:  # columns given their least may leave others below theirs: repeat until none is
        now_short = short | {i for i, (w, m) in enumerate(zip(widths, least, strict=True)) if w < m - 1e-9}
        if now_short == short:
            return widths
        short = now_short
        spare = total - sum(least[i] for i in short)
        rest = sum(w for i, w in enumerate(widths) if i not in short)
        widths = [least[i] if i in short else w * spare / rest for i, w in enumerate(widths)]


def _caption(word, text: str):
    from docx.shared import Pt

    paragraph = word.add_paragraph(text, style="Caption")
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.space_before = Pt(10)  # apart from a table above it
    return paragraph


def _docx_table(word, table: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    _caption(word, table.caption)
    grid = word.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.autofit = False
    widths = [Cm(cm) for cm in _column_widths(table)]
    for cell, text in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.paragraphs[0].add_run(text).font.size = Pt(9)
    _row_properties(grid.rows[0], header=True)
    for row in table.rows:
        added = grid.add_row()
        _row_properties(added, header=False)
        for i, (cell, value) in enumerate(zip(added.cells, row, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.add_run(cell_text(value)).font.size = Pt(9)
            if i in table.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width  # the table grid, which LibreOffice reads
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width  # each cell's width, which Word reads


def _add_lines(paragraph, text: str) -> None:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        if i < len(lines) - 1:
            run.add_break()


def _field(paragraph, instruction: str, shown: str) -> None:
    """A field (PAGE, NUMPAGES) that Word and LibreOffice fill in on each page; `shown` until they do."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)

    char("begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _footer(word, document: Document) -> None:
    """Every page's footer: the report's title on the left, "Page 3 of 12" on the right."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt

    for section in word.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.style = word.styles["Footer"]
        word.styles["Footer"].paragraph_format.tab_stops.clear_all()  # the template's, for US Letter
        stops = paragraph.paragraph_format.tab_stops
        stops.add_tab_stop(Cm(17), WD_TAB_ALIGNMENT.RIGHT)
        paragraph.add_run(document.title).font.size = Pt(8.5)
        paragraph.add_run("\tPage ")
        _field(paragraph, "PAGE", "1")
        paragraph.add_run(" of ")
        _field(paragraph, "NUMPAGES", "1")
        for run in paragraph.runs:
            run.font.size = Pt(8.5)


def _properties(word, document: Document) -> None:
    """The report's own document properties, not the python-docx template's (author "python-docx", created
    2013); and no thumbnail of the template's empty page."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    now = _now()
    properties = word.core_properties
    properties.author = properties.last_modified_by = author(document)
    properties.created = properties.modified = now
    properties.title = document.title
    properties.subject = document.subtitle or (document.front.meeting if document.front else "")
    properties.language = document.language
    properties.comments = comment(document)
    properties.category = "Report"
    properties.revision = 1
    package = word.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rel_id)
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = (
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.'
                b'openxmlformats.org/officeDocument/2006/extended-properties"><Application>'
                + APPLICATION.encode()
                + b"</Application><DocSecurity>0</DocSecurity></Properties>"
            )


def _front(word, document: Document) -> None:
    """A committee paper's opening, as 001 and 002: the meeting and its date above the title, "Report of"
    and whose report it is below it."""
    from docx.shared import Pt

    front = document.front
    if front:
        meeting = word.add_paragraph()
        run = meeting.add_run(front.meeting)
        run.bold, run.font.size = True, Pt(13)
        word.add_paragraph(front.date)
    title = word.add_heading(document.title, level=0)
    title.paragraph_format.keep_with_next = True
    if document.subtitle:
        word.add_paragraph(document.subtitle)
    for i, line in enumerate(front.report_of if front else []):
        word.add_paragraph().add_run(f"Report of {line}" if i == 0 else line).bold = True


def to_docx(document: Document) -> bytes:
    from docx import Document as WordDocument
    from docx.shared import Cm

    word = WordDocument()
    for section in word.sections:  # A4 with 2 cm margins: 17 cm for text and tables
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
    word.styles["Normal"].paragraph_format.widow_control = True  # no orphan or widow lines
    _properties(word, document)
    _footer(word, document)
    _front(word, document)
    if document.warning:
        word.add_paragraph().add_run(document.warning).bold = True
    for block in document.blocks:
        if isinstance(block, Heading):
            heading = word.add_heading(block.text, level=min(block.level, 9))
            heading.paragraph_format.keep_with_next = True
            heading.paragraph_format.page_break_before = block.page_break
        elif isinstance(block, Paragraph):
            paragraph = word.add_paragraph(style="List Number" if block.numbered else None)
            if block.lead:
                paragraph.add_run(block.lead + " ").bold = True
            _add_lines(paragraph, block.text)
        elif isinstance(block, Bullets):
            for item in block.items:
                word.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            _docx_table(word, block)
        elif isinstance(block, Chart):
            _caption(word, block.title)
            shape = word.add_picture(io.BytesIO(chart_png(block.svg)), width=Cm(16))
            shape._inline.docPr.set("descr", block.alt)
            shape._inline.docPr.set("title", block.title)
            word.paragraphs[-1].paragraph_format.keep_with_next = True  # the picture with its summary
            word.add_paragraph(block.summary).paragraph_format.keep_with_next = True
            _docx_table(word, block.table)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


# The data annex --------------------------------------------------------------------------------------------

UNIT_FORMATS = {  # number formats by the indicator's unit, as core.formatting.figure writes figures
    "count": "#,##0",
    "percentage": "#,##0.0",
    "percentage_change": "#,##0.0",
    "rate_per_1000": "#,##0.00",
    "rate_per_100000": "#,##0.00",
    "score": "#,##0.00",
}
DATE_FORMAT = "d mmm yyyy"
NUMBER = re.compile(r"[+−-]?\d{1,3}(?:,\d{3})*(?:\.\d+)?%?|[+−-]?\d+(?:\.\d+)?%?")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
LONG_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)? ([A-Z][a-z]+) (\d{4})")


def _unit_labels() -> dict[str, str]:
    from saferplan.plans.models import Indicator

    return {unit.value: unit.label for unit in Indicator.Unit}


def _date(value: str, date_column: bool) -> date | None:
    """An ISO date anywhere, or a written-out date ("31 March 2017", "31 Mar 2017") in a date column."""
    try:
        if ISO_DATE.fullmatch(value):
            return date.fromisoformat(value)
        match = LONG_DATE.fullmatch(value) if date_column else None
        if match:
            for pattern in ("%d %B %Y", "%d %b %Y"):
                try:
                    return datetime.strptime(" ".join(match.groups()), pattern).date()
                except ValueError:
                    continue
    except ValueError:
        return None
    return None


def _number(value: str) -> tuple[float, bool] | None:
    """A figure written as text in a figures column ("4,034", "56.3%", "−2.5"), and whether it is a
    percentage; None if the text is not only a figure."""
    text = value.strip()
    if not NUMBER.fullmatch(text):
        return None
    percent = text.endswith("%")
    number = float(text.rstrip("%").replace(",", "").replace("−", "-"))
    return (number / 100 if percent else number), percent


def _decimals_format(values: list[float]) -> str:
    """A column's format when nothing says its unit: whole numbers with thousands separators, or a fixed
    number of decimal places (two for small figures such as rates, one otherwise)."""
    if all(float(v).is_integer() for v in values):
        return "#,##0"
    return "#,##0.00" if max(abs(v) for v in values) < 10 else "#,##0.0"


def _typed_row(table: Table, row: list[Cell], units: dict[str, str], plan: dict) -> list[tuple[object, str]]:
    """Each cell as (value, number format): numbers as numbers rounded to six places (no 0.30000000000000004),
    dates as dates, unit codes spelt out; other text stays text (core.exports keeps it from being a formula)."""
    unit = row[plan["unit"]] if plan["unit"] is not None else None
    typed = []
    for i, value in enumerate(row):
        heading = table.columns[i]
        fmt = "General"
        if isinstance(value, bool):
            value = "yes" if value else "no"
        elif isinstance(value, int | float):
            if "%" in heading or "per cent" in heading.lower():
                fmt = "#,##0.0"
            elif unit in UNIT_FORMATS and i in plan["measures"]:
                fmt = UNIT_FORMATS[unit]
            else:
                fmt = plan["formats"][i]
            value = int(value) if float(value).is_integer() else round(value, 6)
        elif isinstance(value, str):
            if i == plan["unit"] and value in units:
                value = units[value]
            elif (day := _date(value, i in plan["dates"])) is not None:
                value, fmt = day, DATE_FORMAT
            elif i in table.numeric and (figure := _number(value)) is not None:
                number, percent = figure
                places = len(value.rstrip("%").partition(".")[2])  # as many decimal places as written
                if percent:
                    value, fmt = round(number, places + 2), "0." + "0" * places + "%" if places else "0%"
                elif places:
                    value, fmt = round(number, places), "#,##0." + "0" * places
                else:
                    value, fmt = int(number), "#,##0"
        typed.append((value, fmt))
    return typed


def _plan(table: Table) -> dict:
    """What a table's columns hold, for typing its cells: the unit column, the figures measured in that unit,
    the date columns and each numeric column's format."""
    lower = [c.lower() for c in table.columns]
    unit = lower.index("unit") if "unit" in lower else None
    measures = {
        i
        for i, c in enumerate(lower)
        if i != unit and any(w in c for w in ("value", "figure", "last year", "target", "points", "earlier"))
    }
    dates = {i for i, c in enumerate(lower) if any(w in c for w in ("date", "due", "deadline", "as of"))}
    formats = {}
    for i in range(len(table.columns)):
        numbers = [
            float(r[i]) for r in table.rows if isinstance(r[i], int | float) and not isinstance(r[i], bool)
        ]
        formats[i] = _decimals_format(numbers) if numbers else "General"
    return {"unit": unit, "measures": measures, "dates": dates, "formats": formats}


def _width(value: object) -> int:
    if isinstance(value, date):
        return 11
    if isinstance(value, int | float):
        return len(f"{value:,.2f}") + 1
    return max((len(line) for line in str(value or "").split("\n")), default=0)


def _sheet_name(table: Table, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", table.sheet or table.caption).strip()[:31] or "Table"
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.lower())
    return name


WIDEST = 60  # characters; longer text wraps


def to_xlsx(document: Document) -> bytes:
    """The data annex: a sheet per table, the caption in the first row and the header row (bold, frozen) in
    the second. Figures are numbers with number formats, dates are dates, text stays text (core.exports);
    columns are as wide as their content (up to WIDEST characters, longer text wraps)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    now = _now().replace(tzinfo=None)  # openpyxl writes naive times as UTC
    properties = workbook.properties
    properties.title, properties.language = document.title, document.language
    properties.creator = properties.lastModifiedBy = author(document)
    properties.created = properties.modified = now
    properties.subject = document.subtitle or (document.front.meeting if document.front else "")
    properties.description = comment(document)
    properties.category = "Report data annex"
    workbook.remove(workbook.active)
    taken: set[str] = set()
    tables = document.annex_tables()
    if not tables:
        tables = [Table(document.title, ["Note"], [["This report has no tables."]])]
    units = _unit_labels()
    wrap = Alignment(wrap_text=True, vertical="top")
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table, taken))
        sheet_append(sheet, [table.caption])
        sheet["A1"].font = Font(bold=True)
        sheet_append(sheet, table.columns)
        widths = [len(c) + 2 for c in table.columns]
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = wrap
        plan = _plan(table)
        for row in table.rows:
            typed = _typed_row(table, row, units, plan)
            sheet_append(sheet, [value for value, _ in typed])
            for cell, (value, fmt) in zip(sheet[sheet.max_row], typed, strict=True):
                cell.number_format = fmt
                widths[cell.column - 1] = max(widths[cell.column - 1], _width(value) + 2)
                if isinstance(value, str) and len(value) > WIDEST:
                    cell.alignment = wrap
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = min(width, WIDEST + 2)
        sheet.freeze_panes = "A3"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def render(document: Document, fmt: str) -> bytes:
    if fmt == "html":
        return to_html(document).encode()
    return {"docx": to_docx, "pdf": to_pdf, "xlsx": to_xlsx}[fmt](document)


def render_all(document: Document) -> dict[str, bytes]:
    """Every format, the PDF made from the same print HTML as the HTML file (for publishing)."""
    html = to_html(document)
    return {
        "html": html.encode(),
        "docx": to_docx(document),
        "pdf": html_to_pdf(html),
        "xlsx": to_xlsx(document),
    }
