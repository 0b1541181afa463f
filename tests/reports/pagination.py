"""Reading a paginated PDF back as its reader sees it (pdfplumber): each page's lines of text with their fonts,
its footer, and the fragments of each table on it, to check where pages break."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pdfplumber

from saferplan.reports.document import Chart, Document, Heading, Table
from saferplan.reports.render import cell_text

PAGE_NUMBER = re.compile(r"Page (\d+) of (\d+)")


def squeeze(text: str) -> str:
    """Text without any whitespace: lines wrap (and words break at hyphens) differently in each format."""
    return "".join(str(text).split())


@dataclass
class Line:
    top: float
    text: str
    bold: bool  # every word of the line is in a bold font


@dataclass
class Page:
    number: int
    lines: list[Line]  # the page's body, top to bottom, without the footer
    footer: str
    tables: list[list[list[str]]]  # each table fragment's rows of cell texts


def _lines(words: list[dict]) -> list[Line]:
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and word["top"] - lines[-1][0]["top"] <= 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [
        Line(
            top=line[0]["top"],
            text=" ".join(w["text"] for w in sorted(line, key=lambda w: w["x0"])),
            bold=all("bold" in w["fontname"].lower() for w in line),
        )
        for line in lines
    ]


def read_pdf(path) -> list[Page]:
    pages = []
    with pdfplumber.open(str(path)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            lines = _lines(page.extract_words(extra_attrs=["fontname", "size"]))
            numbered = [line for line in lines if PAGE_NUMBER.search(line.text)]
            cut = numbered[-1].top - 1 if numbered else page.height
            body = [line for line in lines if line.top < cut]
            footer = " ".join(line.text for line in lines if line.top >= cut)
            tables = [table.extract() for table in page.find_tables()]
            pages.append(Page(number, body, footer, [[[c or "" for c in row] for row in t] for t in tables]))
    return pages


def document_tables(document: Document) -> list[Table]:
    tables = []
    for block in document.blocks:
        if isinstance(block, Table):
            tables.append(block)
        elif isinstance(block, Chart):
            tables.append(block.table)
    return tables


def split_rows(document: Document, pages: list[Page]) -> tuple[list[str], int]:
    """Rows of the document's tables that a page break cut, or that lost their header row: every fragment of a
    table on a page must start with the table's header row and hold only whole rows of that table. Returns the
    problems and the number of whole rows found (which must be every row, so the check cannot pass on nothing)."""
    rows_by_header: dict[str, set[str]] = {}
    for table in document_tables(document):
        key = "|".join(squeeze(c) for c in table.columns)
        rows_by_header.setdefault(key, set()).update(
            "|".join(squeeze(cell_text(v)) for v in row) for row in table.rows
        )
    problems, found = [], 0
    for page in pages:
        for fragment in page.tables:
            header = "|".join(squeeze(c) for c in fragment[0])
            if header not in rows_by_header:
                body = {"|".join(squeeze(c) for c in row) for row in fragment}
                if body & set().union(*rows_by_header.values()):
                    problems.append(f"page {page.number}: a table continues without its header row")
                continue
            for row in fragment[1:]:
                text = "|".join(squeeze(c) for c in row)
                if text in rows_by_header[header]:
                    found += 1
                else:
                    problems.append(f"page {page.number}: a row cut by the page break: {text[:80]}")
    return problems, found


def kept_with_next(document: Document) -> list[str]:
    """The texts that must never end a page: headings, table captions and chart titles."""
    texts = [document.title]
    for block in document.blocks:
        if isinstance(block, Heading):
            texts.append(block.text)
        elif isinstance(block, Chart):
            texts.append(block.title)
    texts += [table.caption for table in document_tables(document)]
    return [squeeze(t) for t in texts if t]


def stranded(document: Document, pages: list[Page]) -> list[str]:
    """Pages whose last line is a heading, a caption or a chart title (or its last line, when it wraps): a line
    in bold that ends one of those texts."""
    texts = kept_with_next(document)
    problems = []
    for page in pages[:-1]:
        if not page.lines:
            continue
        last = page.lines[-1]
        tail = squeeze(last.text)
        if last.bold and any(text.endswith(tail) for text in texts):
            problems.append(f"page {page.number} ends with {last.text!r}")
    return problems
