"""Any table as CSV or XLSX: an indicator's full series and every source, checked against the database; figures
are numbers, dates are dates, user text is never a formula; the links sit beside the tables."""

import csv
import io
import re
from datetime import date, datetime
from html import unescape

import pytest
from django.template import Context, Template
from django.urls import reverse
from openpyxl import load_workbook

from saferplan.areas.models import Area
from saferplan.indicators.models import Observation
from saferplan.indicators.periods import Period
from saferplan.plans.models import Indicator

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def indicator(demo) -> Indicator:
    return Indicator.objects.get(slug="asb-incidents-police")


@pytest.fixture
def county(demo, indicator) -> Area:
    return Area.objects.get(
        pk=Observation.objects.filter(indicator=indicator, area__kind="partnership")
        .values_list("area", flat=True)
        .first()
    )


def download(client, indicator, area, fmt, table):
    url = reverse("indicator-performance", args=[indicator.pk])
    return client.get(url, {"area": area.code, "format": fmt, "table": table})


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def headline_figures(indicator, area) -> list[Observation]:
    return list(
        Observation.objects.filter(indicator=indicator, area=area, headline=True).order_by(
            "period_start", "period_end"
        )
    )


def test_indicator_series_as_csv_is_every_headline_figure(client_for, users, indicator, county):
    response = download(client_for(users["viewer"]), indicator, county, "csv", "series")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].endswith('-series.csv"')
    header, *rows = csv_rows(response)
    assert header[:6] == ["Indicator", "Area", "Period", "Period start", "Period end", "Value"]
    assert {"Source", "Origin", "Status"} <= set(header)
    expected = headline_figures(indicator, county)
    assert len(expected) > 12  # a real series, not one figure
    assert len(rows) == len(expected)
    column = {name: i for i, name in enumerate(header)}
    for row, o in zip(rows, expected, strict=True):
        assert row[column["Area"]] == county.name
        assert row[column["Period"]] == Period.from_code(o.period).label
        assert row[column["Period start"]] == o.period_start.isoformat()
        assert float(row[column["Value"]]) == o.value
        assert row[column["Source"]] == o.source
        assert row[column["Origin"]] == o.get_origin_display()
        assert row[column["Status"]] == o.get_status_display()
        assert row[column["Synthetic"]] == ("Yes" if o.synthetic else "No")


def test_indicator_series_as_xlsx_keeps_numbers_and_dates(client_for, users, indicator, county):
    response = download(client_for(users["analyst"]), indicator, county, "xlsx", "series")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    column = {name: i for i, name in enumerate(header)}
    rows = list(sheet.iter_rows(min_row=2))
    expected = headline_figures(indicator, county)
    assert len(rows) == len(expected)
    for row, o in zip(rows, expected, strict=True):
        value = row[column["Value"]]
        assert value.data_type == "n" and value.value == o.value
        start = row[column["Period start"]]
        assert isinstance(start.value, datetime) and start.value.date() == o.period_start
        assert start.is_date
        numerator = row[column["Numerator"]].value
        assert numerator == o.numerator  # None stays an empty cell, a count stays a number
        assert row[column["Source"]].data_type == "s"


def test_every_source_includes_figures_that_are_not_the_headline(client_for, users, indicator, county):
    first = headline_figures(indicator, county)[0]
    Observation.objects.create(  # another source's figure for the same month, not the headline
        indicator=indicator,
        area=county,
        period=first.period,
        period_start=first.period_start,
        period_end=first.period_end,
        period_kind=first.period_kind,
        value=first.value + 7,
        source="Another source",
        origin=Observation.Origin.RETURN,
        headline=False,
    )
    every = Observation.objects.filter(indicator=indicator, area=county)
    response = download(client_for(users["viewer"]), indicator, county, "csv", "sources")
    header, *rows = csv_rows(response)
    assert header[-1] == "Headline"
    assert len(rows) == every.count()
    assert sum(r[-1] == "Yes" for r in rows) == every.filter(headline=True).count()
    other = [r for r in rows if r[header.index("Source")] == "Another source"]
    assert (
        len(other) == 1 and other[0][-1] == "No" and float(other[0][header.index("Value")]) == first.value + 7
    )


def test_another_area_gives_that_areas_series(client_for, users, indicator, county):
    locality = (
        Area.objects.filter(observations__indicator=indicator, observations__headline=True)
        .exclude(pk=county.pk)
        .distinct()
        .first()
    )
    assert locality is not None
    header, *rows = csv_rows(download(client_for(users["viewer"]), indicator, locality, "csv", "series"))
    assert {r[1] for r in rows} == {locality.name}
    assert len(rows) == len(headline_figures(indicator, locality))


def test_text_that_looks_like_a_formula_stays_text(client_for, users, indicator, county):
    first = headline_figures(indicator, county)[0]
    Observation.objects.filter(pk=first.pk).update(source='=HYPERLINK("http://evil.example","x")')
    client = client_for(users["viewer"])
    header, first_row, *_ = csv_rows(download(client, indicator, county, "csv", "series"))
    assert first_row[header.index("Source")] == '\'=HYPERLINK("http://evil.example","x")'
    sheet = load_workbook(io.BytesIO(download(client, indicator, county, "xlsx", "series").content)).active
    cell = sheet.cell(row=2, column=header.index("Source") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_unknown_format_or_table_shows_the_page(client_for, users, indicator, county):
    client = client_for(users["viewer"])
    for fmt, table in (("pdf", "series"), ("csv", "nothing")):
        response = download(client, indicator, county, fmt, table)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")


def test_signed_out_visitors_cannot_download(client, indicator, county):
    response = download(client, indicator, county, "csv", "series")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_page_links_to_the_downloads_beside_the_tables(client_for, users, indicator, county):
    url = reverse("indicator-performance", args=[indicator.pk])
    html = unescape(client_for(users["viewer"]).get(url, {"area": county.code}).content.decode())
    assert f'href="?area={county.code}&format=csv&table=series"' in html
    assert f'href="?area={county.code}&format=xlsx&table=sources"' in html
    assert html.count('class="app-table-scroll" tabindex="0" role="region"') >= 2


def test_scrolling_table_tag():
    template = Template(
        '{% load tables %}{% scrolling_table label export="" %}<table></table>{% endscrolling_table %}'
    )

    class Request:
        from django.http import QueryDict

        GET = QueryDict("period=2016&format=xlsx&table=old")

    on_page = template.render(Context({"label": "Figures <by year>", "request": Request()}))
    assert (
        '<div class="app-table-scroll" tabindex="0" role="region" aria-label="Figures &lt;by year&gt;">'
        in on_page
    )
    assert 'href="?period=2016&amp;format=csv"' in on_page
    assert 'href="?period=2016&amp;format=xlsx"' in on_page
    in_a_file = template.render(Context({"label": "Figures"}))  # a report's PDF: no request
    assert in_a_file == "<table></table>"


def test_dates_in_csv_are_iso_dates(client_for, users, indicator, county):
    header, *rows = csv_rows(download(client_for(users["viewer"]), indicator, county, "csv", "series"))
    for row in rows:
        assert date.fromisoformat(row[header.index("Period end")]) >= date.fromisoformat(
            row[header.index("Period start")]
        )


def test_escalation_register_as_csv_and_xlsx(client_for, users, demo):
    from saferplan.delivery.models import Escalation
    from saferplan.plans.models import Group

    lead = Group.objects.get(slug="anti-social-behaviour-group")
    Escalation.objects.create(
        from_group=lead,
        to_group=lead.escalates_to or lead,
        about=Escalation.About.RISK,
        title="+44 funding gap",  # a leading "+" would be a formula
        why="Money",
        ask="More money",
        raised_on=date(2017, 3, 1),
    )
    client = client_for(users["board_member"])
    url = reverse("escalation-list")
    html = unescape(client.get(url, {"state": "open"}).content.decode())
    assert 'href="?state=open&format=csv"' in html
    header, *rows = csv_rows(client.get(url, {"state": "open", "format": "csv"}))
    open_ones = Escalation.objects.filter(state="open")
    assert len(rows) == open_ones.count()
    ours = next(r for r in rows if r[1].endswith("+44 funding gap"))
    assert ours[1] == "'+44 funding gap" and ours[0] == "2017-03-01" and ours[header.index("State")] == "Open"
    sheet = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    assert sheet.max_row - 1 == Escalation.objects.count()
    raised = [c.value for c in sheet["A"][1:]]
    assert all(isinstance(v, datetime) for v in raised)
    assert client_for(users["viewer"]).get(url, {"format": "csv"}).status_code == 403


def test_data_returns_as_xlsx_counts_are_numbers(client_for, users, demo):
    client = client_for(users["data_provider"])
    url = reverse("data-return-list")
    html = unescape(client.get(url).content.decode())
    assert 'href="?format=xlsx"' in html
    page_rows = re.findall(r'href="/data-returns/[^"]+/">([^<]+)</a>', html)
    sheet = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [unescape(name) for name in page_rows] == ["Durham Constabulary"]
    assert all(isinstance(n, int) for r in rows for n in r[1:])
    assert sum(rows[0][1:]) > 0
