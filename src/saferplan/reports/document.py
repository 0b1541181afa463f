"""A report as a document: a title and a list of blocks, rendered one way to every format (reports/render.py).

Each report is first built from the data into its own typed structure (board.PerformanceReport,
delivery_report.DeliveryReport, narrative.Achievement, the plan), then laid out as a `Document` by its
`*_document` function. A Document holds only text, figures and chart SVG, so it serialises to JSON: publishing
stores that JSON beside the rendered files, and a published report is rendered again exactly as it was.

Accessibility (Public Sector Bodies Accessibility Regulations 2018): headings are real headings, tables have
header rows and captions, and every chart carries alternative text, a text summary and the table of its figures.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import ClassVar

Cell = str | int | float | None


@dataclass
class Heading:
    kind: ClassVar[str] = "heading"
    text: str
    level: int = 1  # 1 = a main section of the document; the document's title is above all of them
    page_break: bool = False  # starts a new page (an appendix)


@dataclass
class Paragraph:
    """Body text; a newline in it is a line break. `numbered` paragraphs are a committee report's numbered
    paragraphs, counted through the document; `lead` is a bold lead-in such as an indicator's name."""

    kind: ClassVar[str] = "paragraph"
    text: str
    numbered: bool = False
    lead: str = ""
    number: int | None = None


@dataclass
class Bullets:
    kind: ClassVar[str] = "bullets"
    items: list[str]


@dataclass
class Table:
    kind: ClassVar[str] = "table"
    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    numeric: list[int] = field(default_factory=list)  # indexes of right-aligned columns
    sheet: str = ""  # the data annex sheet's name; the caption's start when empty


@dataclass
class Chart:
    kind: ClassVar[str] = "chart"
    title: str
    svg: str
    alt: str  # short alternative text for the image
    summary: str  # what the chart shows, in words, printed beside it
    table: Table  # its figures

    @property
    def data_uri(self) -> str:
        import base64

        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


@dataclass
class Front:
    """A committee paper's opening, above its title: the meeting, its date, and whose report it is (the officer,
    then the portfolio holder), as 001 and 002 open."""

    meeting: str
    date: str  # the meeting's date, written out ("15 June 2016")
    report_of: list[str] = field(default_factory=list)


Block = Heading | Paragraph | Bullets | Table | Chart
KINDS: dict[str, type] = {cls.kind: cls for cls in (Heading, Paragraph, Bullets, Table, Chart)}


@dataclass
class Document:
    title: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)
    warning: str = ""  # shown prominently under the title, e.g. synthetic demo figures
    annex: list[Table] = field(default_factory=list)  # the XLSX data annex; every table when empty
    language: str = "en-GB"
    front: Front | None = None  # a committee paper's meeting, date and "Report of"
    author: str = ""  # the document properties' author: the partnership or the reporting officer

    def __post_init__(self) -> None:
        self.number_paragraphs()

    def add(self, *blocks: Block) -> Document:
        self.blocks.extend(blocks)
        self.number_paragraphs()
        return self

    def number_paragraphs(self) -> None:
        n = 0
        for block in self.blocks:
            if isinstance(block, Paragraph) and block.numbered:
                n += 1
                block.number = n

    def annex_tables(self) -> list[Table]:
        if self.annex:
            return self.annex
        tables = []
        for block in self.blocks:
            if isinstance(block, Table):
                tables.append(block)
            elif isinstance(block, Chart):
                tables.append(block.table)
        return tables

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "warning": self.warning,
            "language": self.language,
            "blocks": [{"kind": b.kind, **asdict(b)} for b in self.blocks],
            "annex": [asdict(t) for t in self.annex],
            "front": asdict(self.front) if self.front else None,
            "author": self.author,
        }

    @classmethod
    def from_json(cls, data: dict) -> Document:
        def block(item: dict) -> Block:
            item = dict(item)
            kind = KINDS[item.pop("kind")]
            if kind is Chart:
                item["table"] = Table(**item["table"])
            return kind(**item)

        return cls(
            title=data["title"],
            subtitle=data.get("subtitle", ""),
            warning=data.get("warning", ""),
            language=data.get("language", "en-GB"),
            blocks=[block(b) for b in data["blocks"]],
            annex=[Table(**t) for t in data.get("annex", [])],
            front=Front(**data["front"]) if data.get("front") else None,
            author=data.get("author", ""),
        )


def text_blocks(text: str, level: int = 2) -> list[Block]:
    """Plain plan text (paragraphs separated by blank lines; lines starting "- " are a bulleted list; a paragraph
    of one line starting "## " is a sub-heading at `level`, "### " one level below) as blocks: the same reading
    as the `paragraphs` template filter."""
    blocks: list[Block] = []
    for chunk in (text or "").split("\n\n"):
        lines = [ln.strip() for ln in chunk.splitlines() if ln.strip()]
        if not lines:
            continue
        marker = lines[0].split(" ", 1)[0]
        if len(lines) == 1 and marker in ("##", "###") and len(lines[0]) > len(marker) + 1:
            blocks.append(Heading(lines[0][len(marker) :].strip(), level + len(marker) - 2))
        elif all(ln.startswith("- ") for ln in lines):
            blocks.append(Bullets([ln[2:] for ln in lines]))
        else:
            blocks.append(Paragraph("\n".join(lines)))
    return blocks
