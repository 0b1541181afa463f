"""The scrutiny committee's "Partnership update" (reports.partnership_update), read against the real paper it
reproduces: seed 002, the update to the 15 February 2016 meeting on the November 2015 and January 2016 Board
meetings."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document as WordDocument
from openpyxl import load_workbook

from saferplan.reports import render, services
from saferplan.reports.document import Bullets, Front, Heading, Paragraph
from saferplan.reports.models import Report
from saferplan.reports.partnership_update import DEFAULT_COMMITTEE
from saferplan.reports.selectors import ParameterError, build_document, clean_parameters

KIND = "partnership_update"
SEED = next((Path(__file__).resolve().parents[3] / "shared" / "seeds").glob("002_*.txt"), None)
ITEMS = [  # 002's sections, in its order
    "Desistance Model",
    "Funding",
    "Safer Homes Update",
    "Safeguarding Adults Board Annual Report 2014/15",
    "Durham Local Safeguarding Children Board (LSCB) Annual Report 2014/15",
    "Ending Gang Violence and Exploitation",
    "Prevent",
]


def _words(text: str) -> str:
    return " ".join(text.replace("&", "and").split())


def _seed() -> tuple[dict[int, str], list[str], list[str]]:
    """002's numbered paragraphs (a paragraph broken by the page is joined again), its bulleted items, and its
    lines, in order."""
    lines = [ln.strip() for ln in SEED.read_text().splitlines() if ln.strip()]
    paragraphs: dict[int, str] = {}
    bullets: list[str] = []
    last = None
    for line in lines:
        numbered = re.match(r"^(\d+)\. (.*)$", line)
        if numbered:
            last = int(numbered[1])
            paragraphs[last] = numbered[2]
        elif line.startswith("- "):
            bullets.append(line[2:])
        elif last is not None and not paragraphs[last].endswith((".", ":")):
            paragraphs[last] += " " + line
    return paragraphs, bullets, lines


def _document(demo, **raw):
    return build_document(demo, KIND, clean_parameters(demo, KIND, {"meeting_date": "2016-02-15", **raw}))


needs_seed = pytest.mark.skipif(SEED is None, reason="the seed papers are not beside the repository")


def test_the_update_for_the_15_february_2016_meeting_is_laid_out_as_the_committee_receives_it(demo):
    document = _document(demo)
    assert document.title == "Safe Durham Partnership Update"
    assert document.front == Front(
        DEFAULT_COMMITTEE, "15 February 2016", ["Peter Appleton, Head of Planning and Service Strategy"]
    )
    top = [b.text for b in document.blocks if isinstance(b, Heading) and b.level == 1]
    assert top[0] == "Purpose of the Report"
    assert top[1 : 1 + len(ITEMS)] == ITEMS  # one section per item, in 002's order, nothing else between
    assert top[1 + len(ITEMS)] == "Recommendations and reasons"
    assert "Appendix 1: Implications" in top
    texts = [b.text for b in document.blocks if isinstance(b, (Heading, Paragraph))]
    contact = texts.index("Contact")
    assert texts[contact + 1 : contact + 3] == [  # 002's two contacts
        "Andrea Petty, Strategic Manager – Policy, Planning & Partnerships\nTel: 03000 267 312",
        "Caroline Duckworth, Community Safety Manager\nTel: 03000 265 435",
    ]
    numbered = [b for b in document.blocks if isinstance(b, Paragraph) and b.numbered]
    assert [p.number for p in numbered] == list(
        range(1, 26)
    )  # on through the paper: 24 then the recommendation
    assert numbered[0].text == (
        f"To provide members of the {DEFAULT_COMMITTEE} with a summary update on key issues from the November "
        "2015 and January 2016 Safe Durham Partnership Board meetings."
    )
    assert numbered[-1].text == f"The {DEFAULT_COMMITTEE} is recommended to: note the contents of the report."
    assert document.annex[0].rows[0] == ["November 2015", "Desistance Model", 2, 4]
    assert document.annex[0].rows[-1] == ["January 2016", "Prevent", 24, 24]
    assert [row[1] for row in document.annex[0].rows] == ITEMS
    safer_homes = [b.text for b in document.blocks if isinstance(b, Heading) and b.level == 2][:3]
    assert safer_homes == ["Actions delivered", "Outcomes", "Next Steps"]
    blocks = document.blocks
    appendix = next(
        i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == "Appendix 1: Implications"
    )
    implications = {
        b.text: blocks[i + 1].text
        for i, b in enumerate(blocks[appendix:-1], start=appendix)
        if isinstance(b, Heading) and b.level == 2
    }
    assert len(implications) == 11
    assert implications["Crime and Disorder"] == (
        "The Safe Durham Partnership update provides an overview of reports and discussions from the Safe "
        "Durham Partnership Board meetings."
    )
    assert {text for heading, text in implications.items() if heading != "Crime and Disorder"} == {"N/A"}


@needs_seed
def test_the_paragraphs_are_002s_word_for_word(demo):
    paragraphs, bullets, lines = _seed()
    # the seed has the sections in this order
    positions = [lines.index(title) for title in ITEMS]
    assert positions == sorted(positions)
    document = _document(demo)
    ours = {b.number: b.text for b in document.blocks if isinstance(b, Paragraph) and b.numbered}
    items = range(2, 25)  # 1 is the purpose, 25 the recommendation
    same = [n for n in items if _words(ours[n]) == _words(paragraphs[n])]
    assert same == list(items)
    assert _words(ours[1]) == _words(paragraphs[1])
    our_bullets = [item for b in document.blocks if isinstance(b, Bullets) for item in b.items]
    assert our_bullets[: len(bullets)] == bullets
    # and as rendered: the web page and the Word file carry every paragraph of 002's body
    html = _words(
        re.sub(r"<[^>]+>", " ", render.to_html(document)).replace("&#x27;", "'").replace("&amp;", "&")
    )
    word = WordDocument(io.BytesIO(render.to_docx(document)))
    docx = _words(" ".join(p.text for p in word.paragraphs))
    for n in range(1, 25):
        assert _words(paragraphs[n]) in html, n
        assert _words(paragraphs[n]) in docx, n
    assert "15 February 2016" in html and "15 February 2016" in docx


def test_the_parameters_are_checked_with_a_clear_message(demo):
    cases = {
        "2016-02-30": "meeting_date: '2016-02-30' is not a date, write it as 2017-09-30",
        "15/02/2016": "meeting_date: '15/02/2016' is not a date, write it as 2017-09-30",
        "": "meeting_date: enter the date of the committee meeting the paper is for, e.g. 2016-02-15",
    }
    for value, message in cases.items():
        with pytest.raises(ParameterError) as error:
            clean_parameters(demo, KIND, {"meeting_date": value})
        assert str(error.value) == message
    with pytest.raises(ParameterError, match="must be before the committee meets"):
        clean_parameters(demo, KIND, {"meeting_date": "2016-02-15", "date_to": "2016-03-01"})
    with pytest.raises(ParameterError, match="must start on or before their end"):
        clean_parameters(
            demo, KIND, {"meeting_date": "2016-02-15", "date_from": "2016-02-01", "date_to": "2016-01-01"}
        )


def test_the_meetings_covered_follow_the_previous_update(demo, users):
    assert clean_parameters(demo, KIND, {"meeting_date": "2016-02-15"}) == {
        "committee": DEFAULT_COMMITTEE,
        "meeting_date": "2016-02-15",
        "date_from": "2015-08-17",  # no earlier update: the six months before
        "date_to": "2016-02-14",
    }
    Report.objects.create(
        plan=demo,
        kind=KIND,
        title="Earlier",
        state=Report.State.PUBLISHED,
        parameters={"meeting_date": "2015-12-07"},
    )
    Report.objects.create(plan=demo, kind=KIND, title="Not sent", parameters={"meeting_date": "2016-01-20"})
    cleaned = clean_parameters(
        demo, KIND, {"meeting_date": "2016-02-15", "committee": "  Scrutiny  Committee "}
    )
    assert (cleaned["date_from"], cleaned["committee"]) == ("2015-12-08", "Scrutiny Committee")
    document = build_document(demo, KIND, cleaned)
    assert document.front.meeting == "Scrutiny Committee"
    top = [b.text for b in document.blocks if isinstance(b, Heading) and b.level == 1]
    assert "Funding" not in top and "Prevent" in top  # November's items went to the earlier update
    assert (
        "key issues from the January 2016 Safe Durham Partnership Board meeting." in document.blocks[1].text
    )
    may_2014 = _document(demo, meeting_date="2014-06-20", date_from="2014-05-01")
    assert [b.text for b in may_2014.blocks if isinstance(b, Heading) and b.level == 1][
        1
    ] == "Domestic Homicide Reviews"
    quiet = _document(demo, meeting_date="2015-06-01")
    assert "the Safe Durham Partnership Board did not meet between" in quiet.blocks[1].text


def test_the_command_drafts_the_update(demo, users, tmp_path):
    output = tmp_path / "update.docx"
    call_command(
        "partnership_update",
        "--meeting-date",
        "2016-02-15",
        "--user",
        users["analyst"].username,
        "--output",
        str(output),
        stdout=io.StringIO(),
    )
    report = Report.objects.get(kind=KIND)
    assert (report.state, report.created_by, report.title) == (
        "draft",
        users["analyst"],
        "Safe Durham Partnership Update",
    )
    assert report.parameters["meeting_date"] == "2016-02-15"
    text = " ".join(p.text for p in WordDocument(str(output)).paragraphs)
    assert "Desistance Model" in text and "Prevent" in text
    with pytest.raises(CommandError, match="is not a date"):
        call_command("partnership_update", "--meeting-date", "15 Feb", "--user", users["analyst"].username)
    with pytest.raises(CommandError, match="may not draft reports"):
        call_command("partnership_update", "--meeting-date", "2016-02-15", "--user", users["viewer"].username)
    assert Report.objects.filter(kind=KIND).count() == 1


def test_publishing_stores_every_format(demo, users):
    report = services.draft_report(users["analyst"], demo, KIND, {"meeting_date": "2016-02-15"})
    report = services.send_for_review(users["analyst"], report)
    report = services.publish(users["board_member"], report)
    assert report.state == "published"
    assert sorted(report.files.values_list("format", flat=True)) == ["docx", "html", "pdf", "xlsx"]
    assert report.content["front"]["date"] == "15 February 2016"
    sheet = load_workbook(io.BytesIO(bytes(report.files.get(format="xlsx").content))).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == "November 2015"]
    assert rows[0][1:] == ("Desistance Model", 2, 4)  # paragraph numbers stored as numbers
    pdf = report.files.get(format="pdf").content
    import pdfplumber

    with pdfplumber.open(io.BytesIO(bytes(pdf))) as document:
        text = " ".join(page.extract_text() or "" for page in document.pages)
    assert all(title.split(" (")[0] in " ".join(text.split()) for title in ITEMS)
    # the next update starts after this one's meeting
    later = clean_parameters(demo, KIND, {"meeting_date": "2016-06-20"})
    assert later["date_from"] == "2016-02-16"
    assert date.fromisoformat(later["date_to"]) == date(2016, 6, 19)
