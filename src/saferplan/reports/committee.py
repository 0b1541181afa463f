"""The committee-report layout every paper shares, as the council's papers are laid out (seeds 001 and 002):

    the meeting, its date, the title, "Report of" (officer, portfolio holder);
    Purpose of the Report; Background; the body; Recommendations and reasons; Background papers; Contact;
    Appendix 1: Implications (the fixed headings below); further appendices (detailed charts and tables).

Paragraphs of the purpose, background, body and recommendations are numbered through the paper, as in the
seeds. Who the paper is for and from (`Paper`) is set by the partnership for each report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from saferplan.core.formatting import long_date
from saferplan.reports.document import Block, Bullets, Document, Front, Heading, Paragraph

# Appendix 1's headings, in the order of the council's template (001, 002).
IMPLICATIONS = [
    "Finance",
    "Staffing",
    "Risk",
    "Equality and Diversity / Public Sector Equality Duty",
    "Accommodation",
    "Crime and Disorder",
    "Human Rights",
    "Consultation",
    "Procurement",
    "Disability Issues",
    "Legal Implications",
]


@dataclass
class Contact:
    name: str
    post: str = ""
    telephone: str = ""

    def line(self) -> str:
        return ", ".join(p for p in (self.name, self.post) if p) + (
            f"\nTel: {self.telephone}" if self.telephone else ""
        )


@dataclass
class Paper:
    """Who a paper goes to and comes from: the meeting and its date, the officers and portfolio holder it is the
    report of, its contacts, background papers and the text under each implications heading."""

    meeting: str
    meeting_date: date
    report_of: list[str] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    background_papers: list[str] = field(default_factory=list)
    implications: dict[str, str] = field(default_factory=dict)  # heading -> text; a missing one is "N/A"
    author: str = ""


def committee_document(
    paper: Paper,
    *,
    title: str,
    purpose: str,
    background: list[Block],
    body: list[Block],
    recommendations: list[str],
    recommended: str = "",
    appendices: list[tuple[str, list[Block]]] = (),
    warning: str = "",
) -> Document:
    """A Document in the committee-report layout. `purpose` is one numbered paragraph; `background` and `body`
    are blocks (their numbered paragraphs count on from the purpose); `recommendations` are what the meeting is
    asked to do, after "`recommended`" (e.g. "The Board is recommended to:"); `appendices` are titled block lists
    printed after Appendix 1, each starting a new page and numbered from 2."""
    document = Document(
        title,
        warning=warning,
        front=Front(paper.meeting, long_date(paper.meeting_date), list(paper.report_of)),
        author=paper.author or (paper.report_of[0] if paper.report_of else ""),
    )
    document.add(Heading("Purpose of the Report", 1), Paragraph(purpose, numbered=True))
    if background:
        document.add(Heading("Background", 1), *background)
    document.add(*body)
    document.add(Heading("Recommendations and reasons", 1))
    lead = recommended or f"The {paper.meeting} is recommended to:"
    if len(recommendations) == 1:
        document.add(Paragraph(f"{lead} {recommendations[0]}", numbered=True))
    else:
        document.add(Paragraph(lead, numbered=True), Bullets(list(recommendations)))
    document.add(Heading("Background papers", 1))
    document.add(*(Bullets(list(paper.background_papers)) if paper.background_papers else Paragraph("None"),))
    document.add(Heading("Contact", 1))
    for contact in paper.contacts:
        document.add(Paragraph(contact.line()))
    if not paper.contacts:
        document.add(Paragraph("None named"))
    document.add(Heading("Appendix 1: Implications", 1, page_break=True))
    for heading in IMPLICATIONS:
        document.add(Heading(heading, 2), Paragraph(paper.implications.get(heading, "").strip() or "N/A"))
    for n, (appendix_title, blocks) in enumerate(appendices, start=2):
        document.add(Heading(f"Appendix {n}: {appendix_title}", 1, page_break=True), *blocks)
    return document
