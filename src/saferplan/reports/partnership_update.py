"""The "Partnership update" paper for the scrutiny committee: what the partnership's Board discussed since the
committee's last update, laid out as the Safe Durham Partnership's papers to the Safer and Stronger
Communities Overview and Scrutiny Committee are (seeds 002 and 004).

    the committee, the meeting's date, "Safe Durham Partnership Update", Report of;
    Purpose of the Report ("... a summary update on key issues from the November 2015 and January 2016 Safe
    Durham Partnership Board meetings.");
    one titled section for each item the Board discussed, its paragraphs numbered on through the paper;
    Recommendations and reasons (the committee is asked to note the contents); Contact;
    Appendix 1: Implications (Crime and Disorder as 002 says; the others N/A).

The parameters are the committee, the date of its meeting (the paper is dated for it) and the Board meetings
it covers: by default those after the meeting of the previous published update and before this one (the six
months before, when there is none), or a from/to range. Each item is written from its agenda item: the
summary, then the decision, as plain text (paragraphs separated by a blank line, "- " lines a bulleted list,
a "## " line a sub-heading within the item).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from saferplan.core.formatting import long_date
from saferplan.delivery.models import Meeting
from saferplan.plans.models import Group, Plan
from saferplan.reports.committee import Paper, committee_document
from saferplan.reports.document import Block, Document, Heading, Paragraph, Table, text_blocks
from saferplan.reports.models import Report
from saferplan.reports.selectors import ParameterError, _day

DEFAULT_COMMITTEE = "Safer and Stronger Communities Overview and Scrutiny Committee"
DEFAULT_SPAN = timedelta(days=182)  # the Board meetings covered when there is no earlier update


@dataclass
class Item:
    """One item the Board discussed, as the paper reports it: its title and the meeting's date, and the text
    of what was reported and decided (blocks: paragraphs, bulleted lists and sub-headings)."""

    title: str
    meeting_date: date
    blocks: list[Block] = field(default_factory=list)


@dataclass
class PartnershipUpdate:
    partnership: str
    committee: str
    meeting_date: date  # the committee's meeting: the paper's date
    date_from: date  # the Board meetings covered, inclusive
    date_to: date
    board_meetings: list[date] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.partnership} Update"

    def months(self) -> str:
        """The months of the Board meetings covered, as 002 writes them: "November 2015 and January 2016"."""
        names: list[str] = []
        for day in self.board_meetings:
            if (name := f"{day:%B %Y}") not in names:
                names.append(name)
        return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


# Parameters ---------------------------------------------------------------------------------------------------


def previous_meeting(plan: Plan, before: date) -> date | None:
    """The committee meeting of the latest published partnership update before `before`."""
    found = [
        date.fromisoformat(r.parameters["meeting_date"])
        for r in Report.objects.filter(
            plan__partnership=plan.partnership,
            kind=Report.Kind.PARTNERSHIP_UPDATE,
            state=Report.State.PUBLISHED,
        )
        if r.parameters.get("meeting_date")
    ]
    earlier = [d for d in found if d < before]
    return max(earlier) if earlier else None


def clean_parameters(plan: Plan, raw: dict) -> dict:
    """The committee, its meeting's date and the Board meetings covered, checked (ISO dates)."""
    committee = " ".join(str(raw.get("committee") or "").split()) or DEFAULT_COMMITTEE
    if len(committee) > 200:
        raise ParameterError("committee: the committee's name is longer than 200 characters")
    if not raw.get("meeting_date"):
        raise ParameterError(
            "meeting_date: enter the date of the committee meeting the paper is for, e.g. 2016-02-15"
        )
    meeting = _day("meeting_date", raw["meeting_date"])
    date_to = _day("date_to", raw["date_to"]) if raw.get("date_to") else meeting - timedelta(days=1)
    if raw.get("date_from"):
        date_from = _day("date_from", raw["date_from"])
    else:
        previous = previous_meeting(plan, meeting)
        date_from = previous + timedelta(days=1) if previous else meeting - DEFAULT_SPAN
    if date_to >= meeting:
        raise ParameterError(
            f"date_to: the Board meetings covered must be before the committee meets ({long_date(meeting)})"
        )
    if date_from > date_to:
        raise ParameterError(
            "date_from: the Board meetings covered must start on or before their end (date_to)"
        )
    return {
        "committee": committee,
        "meeting_date": meeting.isoformat(),
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
    }


# The report ---------------------------------------------------------------------------------------------------


def item_blocks(*texts: str) -> list[Block]:
    """An agenda item's texts as the paper's blocks: numbered paragraphs, bulleted lists, sub-headings."""
    blocks: list[Block] = []
    for text in texts:
        for block in text_blocks(text, level=2):
            blocks.append(Paragraph(block.text, numbered=True) if isinstance(block, Paragraph) else block)
    return blocks


def partnership_update(plan: Plan, parameters: dict) -> PartnershipUpdate:
    """The update from the Board's meetings in the period, in the order they were held and discussed."""
    date_from = date.fromisoformat(parameters["date_from"])
    date_to = date.fromisoformat(parameters["date_to"])
    update = PartnershipUpdate(
        partnership=plan.partnership.name,
        committee=parameters["committee"],
        meeting_date=date.fromisoformat(parameters["meeting_date"]),
        date_from=date_from,
        date_to=date_to,
    )
    meetings = (
        Meeting.objects.filter(
            group__partnership=plan.partnership,
            group__kind=Group.Kind.BOARD,
            date__gte=date_from,
            date__lte=date_to,
        )
        .prefetch_related("items")
        .order_by("date", "pk")
    )
    for meeting in meetings:
        update.board_meetings.append(meeting.date)
        for item in meeting.items.all():  # in the agenda's order (AgendaItem.Meta.ordering)
            if blocks := item_blocks(item.summary, item.decision):
                update.items.append(Item(item.title, meeting.date, blocks))
    return update


def paper_for(plan: Plan, parameters: dict, paper: Paper | None = None) -> Paper:
    """Who the paper goes to and comes from: the committee and its meeting's date are the parameters'; the
    officers, contacts, background papers and implications are `paper`'s (the partnership's settings for the
    paper, reports.selectors.paper_of), with 002's Crime and Disorder implication when it gives none."""
    name = plan.partnership.name
    base = paper or Paper(meeting="", meeting_date=None)
    crime_and_disorder = (
        f"The {name} update provides an overview of reports and discussions from the {name} Board meetings."
    )
    return Paper(
        meeting=parameters["committee"],
        meeting_date=date.fromisoformat(parameters["meeting_date"]),
        report_of=list(base.report_of),
        contacts=list(base.contacts),
        background_papers=list(base.background_papers),
        implications={"Crime and Disorder": crime_and_disorder, **base.implications},
        author=base.author or name,
    )


def partnership_update_document(update: PartnershipUpdate, paper: Paper) -> Document:
    """The update in the committee-report layout (reports.committee)."""
    board = f"{update.partnership} Board"
    if update.board_meetings:
        purpose = (
            f"To provide members of the {update.committee} with a summary update on key issues from the "
            f"{update.months()} {board} meeting{'s' if len(update.board_meetings) > 1 else ''}."
        )
    else:
        purpose = (
            f"To inform members of the {update.committee} that the {board} did not meet between "
            f"{long_date(update.date_from)} and {long_date(update.date_to)}."
        )
    body: list[Block] = []
    headings: dict[int, Item] = {}
    for item in update.items:
        heading = Heading(item.title, 1)
        headings[id(heading)] = item
        body += [heading, *item.blocks]
    document = committee_document(
        paper,
        title=update.title,
        purpose=purpose,
        background=[],
        body=body,
        recommendations=["note the contents of the report."],
        recommended=f"The {update.committee} is recommended to:",
    )
    # The spreadsheet: which Board meeting each item comes from, and its paragraphs in the paper.
    numbers: dict[int, list[int]] = {}
    current = None
    for block in document.blocks:
        if isinstance(block, Heading) and block.level == 1:
            current = id(block) if id(block) in headings else None
        elif current is not None and isinstance(block, Paragraph) and block.number is not None:
            numbers.setdefault(current, []).append(block.number)
    document.annex = [
        Table(
            "Items of the Board meetings covered",
            ["Board meeting", "Item", "First paragraph", "Last paragraph"],
            [
                [f"{item.meeting_date:%B %Y}", item.title, min(numbers[key]), max(numbers[key])]
                for key, item in headings.items()
                if numbers.get(key)
            ],
            numeric=[2, 3],
            sheet="Items covered",
        )
    ]
    return document


def build(plan: Plan, parameters: dict, paper: Paper | None = None) -> Document:
    """The paper from the live data, for reports.selectors.build_document."""
    return partnership_update_document(
        partnership_update(plan, parameters), paper_for(plan, parameters, paper)
    )
