"""Renderers of a report: HTML (screen and print), Word (.docx) in the shape of a committee report, and an XLSX
data annex. Word files use real heading styles, numbered paragraphs and tables whose header rows are marked as
header rows (repeated on each page and read as headers by screen readers)."""

from __future__ import annotations

import io

from saferplan.core.formatting import figure
from saferplan.reports.board import Item, Report

COLUMNS = ["Indicator", "Period", "Value", "Same period last year", "Change", "Target", "RAG", "SPC", "Why"]


def item_row(item: Item) -> list[str]:
    a = item.assessment
    change = ""
    if a.last_year is not None:
        change = (
            f"{a.last_year.absolute:+.1f} points"
            if item.unit == "percentage"
            else f"{a.last_year.percent:+.1f}%"
            if a.last_year.percent is not None
            else ""
        )
    return [
        item.indicator + (" (synthetic demo data)" if a.synthetic else ""),
        item.period,
        figure(a.value, item.unit),
        figure(a.last_year.previous, item.unit) if a.last_year else "–",
        change.replace("-", "−") or "–",
        figure(a.target, item.unit) if a.target is not None else "–",
        a.rag,
        a.spc_status.replace("_", " "),
        "; ".join(item.reasons) or "no change to report",
    ]


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


def _table(document, items: list[Item]) -> None:
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.paragraphs[0].add_run(text)
    _header_row(table)
    for item in items:
        for cell, text in zip(table.add_row().cells, item_row(item), strict=True):
            cell.text = text


def to_docx(report: Report) -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.title = report.title
    document.core_properties.language = "en-GB"
    document.add_heading(report.title, level=0)
    document.add_paragraph(f"Report to the {report.audience}. Area: {report.area}.")
    if report.synthetic:
        document.add_paragraph(
            "Some figures in this report are synthetic demo data, not real figures; they are marked as such."
        )
    document.add_heading("Purpose of the report", level=1)
    document.add_paragraph(
        f"To present the performance highlights and the areas for improvement for "
        f"{report.period.label}, by objective and thematic group.",
        style="List Number",
    )
    document.add_heading("Background", level=1)
    document.add_paragraph(
        "Highlights and areas for improvement are chosen from each indicator's assessment: target met or missed, "
        "special-cause variation (Making Data Count rules), change of at least "
        f"{report.rules.change_threshold:g}% on the same period last year, and comparison with benchmarks.",
        style="List Number",
    )
    document.add_heading("Performance", level=1)
    for section in report.sections:
        document.add_heading(section.title, level=2)
        if section.groups:
            document.add_paragraph("Facilitated by " + ", ".join(section.groups) + ".")
        for title, items in (
            ("Performance highlights", section.highlights),
            ("Areas for improvement", section.improvements),
        ):
            document.add_heading(title, level=3)
            if items:
                _table(document, items)
            else:
                document.add_paragraph("None this quarter.")
        if section.commentary:
            document.add_heading("Commentary", level=3)
            for indicator, text in section.commentary:
                document.add_paragraph(f"{indicator}: {text}")
        if section.escalations:
            document.add_heading("Open escalations", level=3)
            for text in section.escalations:
                document.add_paragraph(text, style="List Bullet")
    document.add_heading("Recommendations", level=1)
    document.add_paragraph(
        f"The {report.audience} is recommended to note the performance highlights and agree "
        "actions on the areas for improvement.",
        style="List Number",
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data annex"
    sheet.append([report.title])
    sheet.append(["Section", "Judgement", *COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for section in report.sections:
        for label, items in (
            ("Highlight", section.highlights),
            ("Area for improvement", section.improvements),
            ("No change to report", section.steady),
        ):
            for item in items:
                sheet.append([section.title, label, *item_row(item)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1: structure tree; title and language from the page's <title> and lang)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def to_pdf(report: Report) -> bytes:
    from django.template.loader import render_to_string

    return html_to_pdf(render_to_string("web/report_print.html", {"report": report}))
