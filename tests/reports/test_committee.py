"""Every Board, basket, delivery and achievements paper as a committee report (reports.committee): its sections
in order in the Word file, a recommendation to note, the partnership's officers and contacts, the meeting's
date, escalations as they stood at the end of the period, consistent judgements, and the form that sets a
draft's paper."""

import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from docx import Document as WordDocument

from saferplan.areas.models import Area
from saferplan.core.formatting import long_date
from saferplan.delivery.models import DetailedAction, Escalation, Meeting
from saferplan.indicators import periods
from saferplan.indicators.models import Commentary
from saferplan.indicators.selectors import reporting_periods
from saferplan.plans.models import Group
from saferplan.reports import render, services
from saferplan.reports.board import board_report
from saferplan.reports.committee import IMPLICATIONS
from saferplan.reports.delivery_report import delivery_report
from saferplan.reports.models import PaperDefaults, Report
from saferplan.reports.selectors import build_document, document_of, paper_for

PAPERS = {
    "board": {"quarter": "2015-16-Q4", "threshold": 5.0, "benchmarks": True},
    "basket": {"quarter": "2015-16-Q4", "threshold": 5.0, "benchmarks": True, "basket": "cabinet"},
    "delivery": {"as_of": "2017-03-31", "since": "2016-09-30"},
    "achievements": {"year": "2015/16"},
}
# Internal references to the seeds, which no paper may print: "(000 section 4)", "001 ¶12", "(not in the seeds)"
CITATION = re.compile(r"\b00\d (section|¶|paragraph)|not in the seeds")


def _in_order(texts: list[str], wanted: list[str]) -> list[int]:
    """The index of each wanted paragraph (one that starts with it) in turn, each after the one before."""
    found, start = [], 0
    for text in wanted:
        index = next((i for i in range(start, len(texts)) if texts[i].startswith(text)), None)
        assert index is not None, f"{text!r} not found after {texts[start - 1] if start else 'the start'!r}"
        found.append(index)
        start = index + 1
    return found


@pytest.mark.parametrize("kind", sorted(PAPERS))
def test_every_paper_is_a_committee_report_in_its_word_file(demo, kind):
    defaults = PaperDefaults.objects.get(partnership=demo.partnership, kind=kind)
    document = build_document(demo, kind, PAPERS[kind])
    word = WordDocument(io.BytesIO(render.to_docx(document)))
    texts = [p.text.strip() for p in word.paragraphs if p.text.strip()]
    meeting = defaults.meeting or demo.partnership.baskets.get(slug="cabinet").audience
    front = document.front
    assert front.meeting == meeting and front.date != long_date(date.today())
    wanted = [
        meeting,
        front.date,
        document.title,
        "Report of Peter Appleton, Head of Planning and Service Strategy",
        "Councillor Joy Allen, Cabinet Portfolio Holder for Safer Communities",
        "Purpose of the Report",
        "Background",
        "Recommendations and reasons",
        "Background papers",
        "Contact",
        "Peter Appleton, Head of Planning and Service Strategy",
        "Appendix 1: Implications",
        *IMPLICATIONS,
    ]
    at = _in_order(texts, wanted)
    assert texts[at[wanted.index("Contact") + 1]].endswith("\nTel: 03000 267381")
    recommendation = texts[at[wanted.index("Recommendations and reasons")] + 1]
    assert recommendation.startswith(f"The {meeting} is recommended to note ")
    assert "agree" not in recommendation
    crime = texts[at[wanted.index("Crime and Disorder")] + 1]
    assert crime == defaults.implications["Crime and Disorder"]
    assert texts[at[wanted.index("Finance")] + 1] == "N/A"
    # the appendices after Appendix 1 are numbered from 2, each on a new page
    appendices = [t for t in texts if t.startswith("Appendix ")]
    assert appendices[0] == "Appendix 1: Implications"
    assert [a.split(":")[0] for a in appendices] == [f"Appendix {n}" for n in range(1, len(appendices) + 1)]
    # no internal source marks anywhere in the paper, the groups' commentary included
    assert Commentary.objects.exists()
    printed = texts + [c.text for t in word.tables for r in t.rows for c in r.cells]
    assert not [t for t in printed if CITATION.search(t)]


def test_a_paper_is_dated_for_the_next_meeting_after_its_period(demo):
    board = Group.objects.get(partnership=demo.partnership, kind="board")
    end = date(2016, 3, 31)
    first = Meeting.objects.filter(group=board, date__gt=end).order_by("date").first()
    assert first is not None
    assert build_document(demo, "board", PAPERS["board"]).front.date == long_date(first.date)
    # no meeting after the period: the end of the period and the partnership's usual lag
    Meeting.objects.filter(group=board, date__gt=end).delete()
    lag = PaperDefaults.objects.get(partnership=demo.partnership, kind="board").lag_days
    assert build_document(demo, "board", PAPERS["board"]).front.date == long_date(end + timedelta(days=lag))


def _escalations(demo, quarter: str) -> list[str]:
    report = board_report(demo, periods.parse(quarter))
    return [line for section in report.sections for line in section.escalations]


def test_a_paper_shows_the_escalations_open_at_the_end_of_its_period(demo):
    asb = Group.objects.get(slug="anti-social-behaviour-group")
    board = Group.objects.get(partnership=demo.partnership, kind="board")

    def raise_(title, raised, decided=None):
        Escalation.objects.create(
            from_group=asb,
            to_group=board,
            about="indicator",
            title=title,
            why="x",
            ask="x",
            raised_on=raised,
            state="closed" if decided else "open",
            decided_on=decided,
        )

    raise_("Open since February", date(2016, 2, 10))
    raise_("Raised in April 2017", date(2017, 4, 20))
    raise_("Decided in March", date(2016, 1, 5), date(2016, 3, 15))
    raise_("Decided after the quarter", date(2016, 3, 1), date(2016, 5, 1))
    shown = " ".join(_escalations(demo, "Q4 2015/16"))
    assert "Open since February" in shown and "Decided after the quarter" in shown
    assert "Raised in April 2017" not in shown and "Decided in March" not in shown
    later = " ".join(_escalations(demo, "Q1 2017/18"))
    assert "Raised in April 2017" in later and "Decided after the quarter" not in later
    document = build_document(demo, "board", PAPERS["board"])
    headings = [b.text for b in document.blocks if b.kind == "heading"]
    assert "Escalations open at 31 March 2016" in headings
    assert any(b.kind == "paragraph" and "escalations open at the end" in b.text for b in document.blocks)


def test_judgements_are_consistent_in_every_quarter_of_the_demo(demo):
    area = Area.objects.get(partnership=demo.partnership, kind=Area.Kind.PARTNERSHIP)
    quarters = [p for p in reporting_periods(demo, area) if p.kind == periods.Kind.QUARTER]
    assert len(quarters) > 8
    judged = 0
    for quarter in quarters:
        report = board_report(demo, quarter)
        for section in report.sections:
            highlights = {i.indicator for i in section.highlights}
            improvements = {i.indicator for i in section.improvements}
            assert not highlights & improvements, (quarter.label, highlights & improvements)
            for item in section.highlights:
                assert item.assessment.direction != "worsening", (quarter.label, item.indicator)
            for item in section.improvements:
                assert item.assessment.direction != "improving", (quarter.label, item.indicator)
            judged += len(highlights) + len(improvements)
    assert judged > 100


def test_delivery_actions_have_their_own_reference_and_whole_words(demo):
    report = delivery_report(demo, as_of=date(2017, 9, 30), since=date(2016, 9, 30))
    lines = report.overdue + report.at_risk + report.completed
    assert len(lines) > 10
    references = [line.reference for line in lines]
    assert len(set(references)) == len(references)
    assert all(re.fullmatch(r"\d+\.\d+\.\d+\.\d+", r) for r in references)
    # the demo's titles quote the strategic action, shortened at a whole word with an ellipsis
    shortened = 0
    for action in DetailedAction.objects.filter(strategic_action__outcome__objective__plan=demo):
        text = action.description.split(" work: ", 1)[1]
        whole = " ".join(action.strategic_action.text.split())
        if text.endswith("…"):
            shortened += 1
            prefix = text[:-1].rstrip()
            assert whole.startswith(prefix) and whole[len(prefix)] in " ,;:.()", (prefix, whole)
        else:
            assert whole.rstrip(" .") == text
    assert shortened


def _draft(demo, users, kind="board") -> Report:
    return services.draft_report(users["analyst"], demo, kind, PAPERS[kind])


def test_the_form_sets_the_papers_meeting_officers_and_implications(demo, users, client):
    report = _draft(demo, users)
    url = reverse("report-paper", args=[report.pk])
    client.force_login(users["analyst"])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="Safe Durham Partnership Board"' in page.content.decode()
    assert url in client.get(reverse("report-detail", args=[report.pk])).content.decode()
    data = {
        "meeting": "Safe Durham Partnership Board",
        "meeting_date": "2016-05-24",
        "report_of": "Jane Smith, Head of Community Safety\nCouncillor Joy Allen, Cabinet Portfolio Holder",
        "contact_1_name": "Jane Smith",
        "contact_1_post": "Head of Community Safety",
        "contact_1_telephone": "03000 111111",
        "background_papers": "Safe Durham Partnership Plan 2016-19",
        **{f"implication_{n}": "" for n in range(len(IMPLICATIONS))},
    }
    data[f"implication_{IMPLICATIONS.index('Finance')}"] = "Met from existing budgets."
    history_before = report.history.count()
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == reverse("report-detail", args=[report.pk])
    report.refresh_from_db()
    assert report.meeting_date == date(2016, 5, 24)
    assert report.history.count() == history_before + 1
    assert report.history.first().history_user == users["analyst"]
    # only what differs from the partnership's defaults is kept with the report
    assert "meeting" not in report.paper and "background_papers" not in report.paper
    assert report.paper["contacts"] == [
        {"name": "Jane Smith", "post": "Head of Community Safety", "telephone": "03000 111111"}
    ]
    paper = paper_for(report)
    assert paper.report_of[0] == "Jane Smith, Head of Community Safety"
    assert paper.implications["Finance"] == "Met from existing budgets."
    document = document_of(report)
    assert document.front.date == "24 May 2016"
    texts = [p.text for p in WordDocument(io.BytesIO(render.to_docx(document))).paragraphs]
    assert "Report of Jane Smith, Head of Community Safety" in texts
    assert "Met from existing budgets." in texts and "Tel: 03000 267381" not in "\n".join(texts)
    # a contact's post without a name is refused, and nothing changes
    bad = client.post(url, {**data, "contact_2_post": "Officer"})
    assert bad.status_code == 400 and "Give contact 2" in bad.content.decode()
    assert report.history.count() == history_before + 1


@pytest.mark.parametrize("role", ["viewer", "data_provider", "group_lead", "board_member"])
def test_only_those_who_draft_reports_set_a_papers_meeting(demo, users, client, role):
    report = _draft(demo, users)
    url = reverse("report-paper", args=[report.pk])
    client.force_login(users[role])
    assert client.get(url).status_code == 403
    assert client.post(url, {"meeting": "Hacked"}).status_code == 403
    report.refresh_from_db()
    assert report.paper == {}


def test_a_paper_in_review_or_published_cannot_be_changed(demo, users, client):
    report = _draft(demo, users, "delivery")
    services.send_for_review(users["analyst"], report)
    client.force_login(users["analyst"])
    assert client.get(reverse("report-paper", args=[report.pk])).status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.paper_change(
            users["analyst"],
            report,
            meeting_date=None,
            meeting="Hacked",
            report_of=[],
            contacts=[],
            background_papers=[],
            implications={},
        )


def test_the_partnerships_defaults_are_kept_with_their_history_in_the_admin(demo, users, client):
    admin_user = users["administrator"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    listing = client.get(reverse("admin:reports_paperdefaults_changelist"))
    assert listing.status_code == 200 and "Safe Durham Partnership Board" in listing.content.decode()
    defaults = PaperDefaults.objects.get(partnership=demo.partnership, kind="board")
    history = client.get(reverse("admin:reports_paperdefaults_history", args=[defaults.pk]))
    assert history.status_code == 200
    defaults.meeting = "Safer and Stronger Communities Overview and Scrutiny Committee"
    defaults.save()
    assert defaults.history.count() == 2
    assert build_document(demo, "board", PAPERS["board"]).front.meeting == defaults.meeting
