"""The quarterly performance escalation report and basket reports: rules, Word and spreadsheet renderings."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from saferplan.indicators.assessment import Assessment, Change
from saferplan.indicators.periods import parse
from saferplan.reports import render
from saferplan.reports.board import Rules, basket_report, board_report, judge, performance_document
from saferplan.reports.document import Chart, Table


def test_rules():
    a = Assessment(
        period=parse("Q4 2015/16"),
        value=90,
        unit="count",
        rag="red",
        spc_status="improvement",
        direction="improving",
        last_year=Change("Q4 2014/15", 100, -10, -10.0),
        benchmarks={"England": "worse"},
    )
    good, bad = judge(a, Rules())
    assert good == ["special-cause improvement", "improving on the same period last year (10.0%)"]
    assert bad == ["target missed", "worse than England"]
    assert judge(a, Rules(change_threshold=20, use_benchmarks=False)) == (
        ["special-cause improvement"],
        ["target missed"],
    )


def test_board_report_from_the_demo(demo):
    report = board_report(demo, parse("Q4 2015/16"))
    assert report.title == "Performance escalation report, Q4 2015/16"
    assert [s.title for s in report.sections][:2] == [
        "Objective 1: Reduce anti-social behaviour",
        "Objective 2: Protect vulnerable people from harm",
    ]
    assert report.items and report.synthetic
    every = [i for s in report.sections for i in (*s.highlights, *s.improvements)]
    assert all(i.reasons for i in every)


def test_word_file_is_an_accessible_committee_report(demo):
    report = board_report(demo, parse("Q4 2015/16"))
    laid_out = performance_document(report)
    charts = [b for b in laid_out.blocks if isinstance(b, Chart)]
    # one chart for each area for improvement that has an SPC series
    assert len(charts) == sum(1 for s in report.sections for i in s.improvements if i.assessment.spc) > 0
    document = Document(io.BytesIO(render.to_docx(laid_out)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert (
        headings[:3] == ["Purpose of the report", "Background", "Performance"]
        and "Recommendations" in headings
    )
    assert document.core_properties.title == report.title
    assert document.tables
    for table in document.tables:
        assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")  # header rows marked as such
        assert table.rows[0].cells[0].text in ("Indicator", "Period")
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert len(numbered) == 4
    # every chart is an image with alternative text, followed by its summary and its table
    pictures = document.inline_shapes
    assert len(pictures) == len(charts)
    for shape, chart in zip(pictures, charts, strict=True):
        assert shape._inline.docPr.get("descr") == chart.alt and chart.alt.startswith("SPC chart of ")
    assert len(document.tables) == sum(1 for b in laid_out.blocks if isinstance(b, Table)) + len(charts)


def test_data_annex_and_basket(demo):
    workbook = load_workbook(
        io.BytesIO(render.to_xlsx(performance_document(board_report(demo, parse("Q4 2015/16")))))
    )
    rows = list(workbook["Data annex"].iter_rows(values_only=True))
    assert rows[1][:3] == ("Section", "Judgement", "Indicator") and len(rows) > 10
    basket = demo.partnership.baskets.get(slug="cabinet")
    report = basket_report(basket, demo, parse("Q4 2015/16"))
    assert report.audience == basket.audience
    assert len({i.indicator for i in report.items}) == basket.indicators.count()  # an item can be both


def test_pages_and_command(demo, users, client, tmp_path):
    client.force_login(users["board_member"])
    page = client.get(reverse("report-board"), {"period": "2015-16-Q4"})
    assert page.status_code == 200 and "Areas for improvement" in page.content.decode()
    docx = client.get(reverse("report-board"), {"period": "2015-16-Q4", "format": "docx"})
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    client.force_login(users["viewer"])
    assert client.get(reverse("report-board")).status_code == 403
    assert client.get(reverse("report-achievements"), {"year": "2015/16"}).status_code == 200
    assert client.get(reverse("report-achievements"), {"year": "soon"}).status_code == 400
    out = tmp_path / "board.docx"
    call_command(
        "report",
        "board",
        "--quarter",
        "Q4 2015/16",
        "--format",
        "docx",
        "--output",
        str(out),
        stdout=io.StringIO(),
    )
    assert Document(str(out)).core_properties.title == "Performance escalation report, Q4 2015/16"
    with pytest.raises(CommandError, match="not a quarter"):
        call_command("report", "board", "--quarter", "2015/16", "--output", str(out))


def test_delivery_plan_report(demo, users, client):
    from datetime import date

    from saferplan.reports.delivery_report import delivery_report

    report = delivery_report(demo, as_of=date(2017, 9, 30), since=date(2017, 3, 31))
    total = sum(n for label, n in report.counts if label != "Overdue")
    assert total == sum(n for _, n, _ in report.by_group) > 0
    assert all(line.target and line.target < date(2017, 9, 30) for line in report.overdue)
    assert dict(report.counts)["Overdue"] == len(report.overdue)
    client.force_login(users["board_member"])
    page = client.get(reverse("report-delivery"), {"as_of": "2017-09-30", "since": "2017-03-31"})
    assert page.status_code == 200 and "Overdue actions" in page.content.decode()
    pdf = client.get(
        reverse("report-delivery"), {"as_of": "2017-09-30", "since": "2017-03-31", "format": "pdf"}
    )
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert client.get(reverse("report-delivery"), {"as_of": "rubbish"}).status_code == 200
