"""The quarterly performance escalation report and basket reports: rules, Word and spreadsheet renderings."""

import io
from dataclasses import replace

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from saferplan.indicators.assessment import Assessment, Change
from saferplan.indicators.periods import parse
from saferplan.plans.models import Indicator
from saferplan.reports import render
from saferplan.reports.board import (
    ANNEX_COLUMNS,
    COLUMNS,
    Rules,
    basket_report,
    board_report,
    item_row,
    judge,
    performance_document,
)
from saferplan.reports.document import Bullets, Chart, Table
from tests.web.test_figures_display import PUBLISHED, SPAN_NOTE, UPDATE, make_small_data


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
    # better than last year: a highlight, never an area for improvement, whatever else is true of it
    good, bad = judge(a, Rules())
    assert good == ["special-cause improvement", "improving on the same period last year (10.0%)"]
    assert bad == []
    assert judge(a, Rules(change_threshold=20, use_benchmarks=False)) == (["special-cause improvement"], [])
    # worse than last year: never a highlight, even with its target met
    worse = replace(a, rag="green", direction="worsening", last_year=Change("Q4 2014/15", 100, 10, 10.0))
    assert judge(worse, Rules()) == (
        [],
        ["worse than the same period last year (10.0%)", "worse than England"],
    )
    assert judge(worse, Rules(change_threshold=20, use_benchmarks=False)) == ([], [])
    # nothing to compare with last year: the target decides between reasons both ways, then SPC
    unknown = replace(a, direction="no data", last_year=None)
    assert judge(unknown, Rules()) == ([], ["target missed", "worse than England"])
    assert judge(replace(unknown, rag="grey"), Rules(use_benchmarks=True)) == (
        ["special-cause improvement"],
        [],
    )
    assert judge(replace(unknown, rag="grey", spc_status="common_cause"), Rules()) == (
        [],
        ["worse than England"],
    )
    assert judge(
        replace(
            unknown, rag="grey", spc_status="common_cause", benchmarks={"England": "worse", "NE": "better"}
        ),
        Rules(),
    ) == ([], [])


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
    # one chart for each area for improvement that has an SPC series, all in an appendix after Appendix 1
    assert len(charts) == sum(1 for s in report.sections for i in s.improvements if i.assessment.spc) > 0
    implications = next(
        i for i, b in enumerate(laid_out.blocks) if getattr(b, "text", "") == "Appendix 1: Implications"
    )
    assert all(laid_out.blocks.index(c) > implications for c in charts)
    # one table in the body: the summary by objective
    body_tables = [b for b in laid_out.blocks[:implications] if isinstance(b, Table)]
    assert [t.columns for t in body_tables] == [
        ["Objective", "Performance highlights", "Areas for improvement"]
    ]
    document = Document(io.BytesIO(render.to_docx(laid_out)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["Purpose of the Report", "Background", "Performance, Q4 2015/16"]
    assert "Recommendations and reasons" in headings
    assert document.core_properties.title == report.title
    assert document.tables
    for table in document.tables:
        assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")  # header rows marked as such
        assert table.rows[0].cells[0].text in ("Objective", "Indicator", "Period")
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert len(numbered) == sum(1 for b in laid_out.blocks if getattr(b, "numbered", False)) >= 5
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
    # each indicator once: a highlight, an area for improvement or neither, never both
    assert len({i.indicator for i in report.items}) == len(report.items) == basket.indicators.count()
    units = [row[3] for row in rows[2:]]
    assert set(units) <= {label for _, label in Indicator.Unit.choices} and "Rate per 1,000" in units


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


# Which figure is reported, on small data of its own (tests/web/test_figures_display.py): ASB incidents 2015/16
# published 20,649 against a synthetic 23,000 for 2014/15, police open data 20,900 beside it; hoarders
# identified over Sep 2014 – Nov 2015 (110) and the same span a year earlier (6).


@pytest.fixture
def small(db):
    return make_small_data()


@pytest.fixture
def monthly_crime(small):
    """All crime, Jan – Mar 2016 from the force's return, and police open data differing for March 2016."""
    from saferplan.indicators import services
    from saferplan.indicators.periods import Period
    from saferplan.plans.models import Indicator

    crime = Indicator.objects.create(
        partnership=small["partnership"],
        slug="all-crime",
        name="All crime",
        unit="count",
        polarity="lower_is_better",
        frequency="monthly",
        key_crime=True,
        order=3,
    )
    for month, value in ((1, 2700), (2, 2600), (3, 2700)):
        services.observation_record(
            indicator=crime,
            area=small["area"],
            period=Period.month(2016, month),
            value=value,
            source="Durham Constabulary",
            origin="return",
        )
    services.observation_record(
        indicator=crime,
        area=small["area"],
        period=Period.month(2016, 3),
        value=2652,
        source="police open data",
        origin="police",
    )
    return crime


def test_board_report_uses_the_headline_and_says_where_sources_differ(small, monthly_crime):
    report = board_report(small["plan"], parse("Q4 2015/16"))
    items = {i.indicator: i for i in report.items}
    asb, crime = items["ASB incidents"], items["All crime"]
    assert asb.assessment.value == 20649 and asb.origin == "Published figure"
    # Real other sources only, each in a sentence; the synthetic alternative is left out.
    assert asb.others == [
        f"Police open data gives 20,900 for 2015/16 (the headline is 20,649, from {PUBLISHED})"
    ]
    assert crime.assessment.value == 8000 and crime.origin == "Partner's return"
    assert crime.others == [
        "Police open data gives 2,652 for Mar 2016 (the headline is 2,700, from Durham Constabulary)"
    ]
    # The comparison with a synthetic figure says so in the reason and the cell.
    assert "improving on the same period last year (10.2%; the earlier figure is synthetic demo data)" in (
        asb.reasons
    )
    row = dict(zip(COLUMNS, item_row(asb), strict=True))
    assert row["Change"] == "−10.2% (the earlier figure is synthetic demo data)"
    assert row["Same period last year"] == "23,000 (synthetic demo data)" and row["Value"] == "20,649"
    assert report.synthetic
    # Figures over spans: the latest, with the same span a year earlier (not repeated as a row of its own).
    assert [(s.indicator, s.figure.period.label) for s in report.spans] == [
        ("Hoarders identified", "Sep 2014 – Nov 2015")
    ]

    document = performance_document(report)
    spans = next(t for t in document.annex if t.caption == "Figures over other spans")
    assert spans.rows == [
        [
            "Hoarders identified",
            "Sep 2014 – Nov 2015",
            "110",
            "6 (Sep 2013 – Nov 2014)",
            "+1733.3%",
            f"{UPDATE}, published figure",
            "As of November 2015 ... 110 hoarders who have been identified",
            SPAN_NOTE,
        ]
    ]
    # the paper prints them without the quotation and note that say where in the documents each was found
    printed = next(
        b for b in document.blocks if isinstance(b, Table) and b.caption == "Figures over other spans"
    )
    assert printed.rows == [row[:6] for row in spans.rows]
    lines = [line for b in document.blocks if isinstance(b, Bullets) for line in b.items]
    assert f"ASB incidents: {asb.others[0]}" in lines and f"All crime: {crime.others[0]}" in lines
    annex = {tuple(r[:3]): dict(zip(ANNEX_COLUMNS, r, strict=True)) for r in document.annex[0].rows}
    cells = next(v for k, v in annex.items() if k[2] == "ASB incidents")
    assert cells["Comparison"] == "the earlier figure is synthetic demo data"
    assert cells["Origin"] == "Published figure" and cells["Other sources that differ"] == asb.others[0]
    assert spans in document.annex
    # In the Word file: the table of spans with its header row, and the lines on other sources.
    word = Document(io.BytesIO(render.to_docx(document)))
    table = next(t for t in word.tables if t.rows[0].cells[1].text == "Span")
    assert [c.text for c in table.rows[1].cells][:3] == ["Hoarders identified", "Sep 2014 – Nov 2015", "110"]
    assert any(p.text == f"All crime: {crime.others[0]}" for p in word.paragraphs)


def test_basket_report_shows_spans_and_other_sources(small, monthly_crime):
    from saferplan.plans.models import Basket, BasketIndicator

    basket = Basket.objects.create(
        partnership=small["partnership"],
        slug="scrutiny",
        name="Scrutiny basket",
        audience="Scrutiny committee",
    )
    for n, indicator in enumerate((small["asb"], small["hoarders"], monthly_crime)):
        BasketIndicator.objects.create(basket=basket, indicator=indicator, order=n)
    report = basket_report(basket, small["plan"], parse("Q4 2015/16"))
    assert [s.figure.observation.value for s in report.spans] == [110]
    html = render.to_html(performance_document(report))
    assert "Figures over other spans" in html and "Sep 2014 – Nov 2015" in html
    assert "Police open data gives 2,652 for Mar 2016" in html
    assert "the earlier figure is synthetic demo data" in html


def test_a_benchmark_compared_with_a_synthetic_figure_says_so():
    a = Assessment(
        period=parse("2015/16"),
        value=90,
        unit="count",
        benchmarks={"England": "better", "North East": "worse"},
        benchmark_caveats={"England": "the England figure is synthetic demo data"},
        last_year=Change("2014/15", 100, -10, -10.0, mixed="earlier"),
        direction="improving",
    )
    good, bad = judge(a, Rules())
    assert good == [
        "improving on the same period last year (10.0%; the earlier figure is synthetic demo data)",
        "better than England (the England figure is synthetic demo data)",
    ]
    assert bad == []  # better than last year: never an area for improvement
    worse = replace(
        a,
        benchmarks={"England": "worse"},
        last_year=Change("2014/15", 80, 10, 12.5, mixed="earlier"),
        direction="worsening",
    )
    assert judge(worse, Rules()) == (
        [],
        [
            "worse than the same period last year (12.5%; the earlier figure is synthetic demo data)",
            "worse than England (the England figure is synthetic demo data)",
        ],
    )
