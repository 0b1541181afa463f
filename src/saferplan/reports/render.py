"""Renderers of a report Document (reports/document.py), one for each format councils use.

- HTML, on screen inside the app and standalone for print;
- Word (.docx) with real heading styles, numbered paragraphs ("List Number"), tables whose first row is marked
  as a header row (repeated on each page, read as headers by screen readers), and charts as PNG images with
  alternative text (the drawing's `descr`);
- PDF from the print HTML by WeasyPrint's PDF/UA-1 variant: tagged, with the document title and language;
- an XLSX data annex, a sheet per table.
"""

from __future__ import annotations

import io
import re

from saferplan.core.exports import sheet_append
from saferplan.reports.document import Bullets, Cell, Chart, Document, Heading, Paragraph, Table

FORMATS = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMAT_NAMES = {"html": "web page", "docx": "Word", "pdf": "PDF", "xlsx": "data annex (spreadsheet)"}


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


def to_html(document: Document) -> str:
    """The standalone page, for print and for the PDF."""
    from django.template.loader import render_to_string

    return render_to_string("web/document_print.html", {"document": document})


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1: structure tree; title and language from the page's <title> and lang)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def to_pdf(document: Document) -> bytes:
    return html_to_pdf(to_html(document))


def chart_png(svg: str, width: int = 1200) -> bytes:
    """The chart's SVG as a PNG, for Word (which older versions cannot show SVG)."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode(), output_width=width, background_color="white")


def _header_row(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    row = table.rows[0]
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    for cell in row.cells:
        for run in cell.paragraphs[0].runs:
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


def _docx_table(document, table: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document.add_paragraph(table.caption, style="Caption")
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.autofit = False
    widths = [Cm(17.0 * share) for share in _column_shares(table)]
    for cell, text in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.paragraphs[0].add_run(text).font.size = Pt(9)
    _header_row(grid)
    for row in table.rows:
        cells = grid.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, row, strict=True)):
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


def to_docx(document: Document) -> bytes:
    from docx import Document as WordDocument
    from docx.shared import Cm

    word = WordDocument()
    for section in word.sections:  # A4 with 2 cm margins: 17 cm for text and tables
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
    word.core_properties.title = document.title
    word.core_properties.language = document.language
    word.add_heading(document.title, level=0)
    if document.subtitle:
        word.add_paragraph(document.subtitle)
    if document.warning:
        word.add_paragraph().add_run(document.warning).bold = True
    for block in document.blocks:
        if isinstance(block, Heading):
            word.add_heading(block.text, level=min(block.level, 9))
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
            word.add_paragraph(block.title, style="Caption")
            shape = word.add_picture(io.BytesIO(chart_png(block.svg)), width=Cm(16))
            shape._inline.docPr.set("descr", block.alt)
            shape._inline.docPr.set("title", block.title)
            word.add_paragraph(block.summary)
            _docx_table(word, block.table)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _sheet_name(table: Table, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", table.sheet or table.caption).strip()[:31] or "Table"
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.lower())
    return name


def to_xlsx(document: Document) -> bytes:
    """The data annex: a sheet per table, the caption in the first row and the header row (bold, frozen) in
    the second. Figures stay numbers; text stays text (core.exports)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.properties.title = document.title
    workbook.properties.language = document.language
    workbook.remove(workbook.active)
    taken: set[str] = set()
    tables = document.annex_tables()
    if not tables:
        tables = [Table(document.title, ["Note"], [["This report has no tables."]])]
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table, taken))
        sheet_append(sheet, [table.caption])
        sheet["A1"].font = Font(bold=True)
        sheet_append(sheet, table.columns)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet_append(sheet, row)
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
