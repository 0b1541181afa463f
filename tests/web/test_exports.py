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


# Every other table: organisations, groups, meetings, funding, the police page, the plan comparison ------------

HOSTILE = '=HYPERLINK("http://evil.example","x")'


def xlsx_rows(response) -> tuple[list, list[tuple]]:
    """The header and the rows of a downloaded XLSX, checked to be a spreadsheet download."""
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [c.value for c in sheet[1]], list(sheet.iter_rows(min_row=2))


def text_stays_text(client, url, query, column, *, table=None):
    """The hostile text in `column` is a string cell in the XLSX and starts with an apostrophe in the CSV."""
    extra = {"table": table} if table else {}
    header, rows = xlsx_rows(client.get(url, {**query, **extra, "format": "xlsx"}))
    cells = [r[header.index(column)] for r in rows if r[header.index(column)].value == HOSTILE]
    assert cells and all(c.data_type == "s" for c in cells)
    csv_header, *csv_data = csv_rows(client.get(url, {**query, **extra, "format": "csv"}))
    assert "'" + HOSTILE in [r[csv_header.index(column)] for r in csv_data]


def test_organisations_as_xlsx_and_csv(client_for, users, demo):
    from saferplan.accounts.models import Organisation

    client = client_for(users["viewer"])
    url = reverse("organisation-list")
    html = unescape(client.get(url).content.decode())
    assert 'href="?format=csv"' in html and 'href="?format=xlsx"' in html
    header, rows = xlsx_rows(client.get(url, {"format": "xlsx"}))
    assert header == ["Organisation", "Short name", "Status under the Crime and Disorder Act", "Sector"]
    expected = list(Organisation.objects.order_by("kind", "name"))
    assert [r[0].value for r in rows] == [o.name for o in expected]
    assert [r[2].value for r in rows] == [o.get_kind_display() for o in expected]
    Organisation.objects.filter(pk=expected[0].pk).update(name=HOSTILE)
    text_stays_text(client, url, {}, "Organisation")


def test_groups_task_and_finish_and_strategies_as_files(client_for, users, demo):
    from saferplan.plans.models import Group

    client = client_for(users["viewer"])
    url = reverse("group-list")
    html = unescape(client.get(url).content.decode())
    for table in ("groups", "strategies", "task-and-finish"):
        assert f'href="?format=xlsx&table={table}"' in html
    header, rows = xlsx_rows(client.get(url, {"format": "xlsx", "table": "groups"}))
    live = list(Group.objects.live().filter(partnership=demo.partnership))
    assert sorted(r[0].value for r in rows) == sorted(g.name for g in live)
    by_name = {r[0].value: r for r in rows}
    for g in live:
        row = by_name[g.name]
        assert row[header.index("Type")].value == g.get_kind_display()
        assert (row[header.index("Lead organisation")].value or "") == (
            str(g.lead_organisation) if g.lead_organisation else ""
        )
    assumed = [r for r in rows if r[header.index("Lead organisation assumed")].value]
    assert all(
        r[header.index("Lead organisation assumed")].value.startswith("Assumed for the demo: ")
        for r in assumed
    )
    header, rows = xlsx_rows(client.get(url, {"format": "xlsx", "table": "task-and-finish"}))
    closing = Group.objects.filter(partnership=demo.partnership, kind=Group.Kind.TASK_AND_FINISH)
    assert len(rows) == closing.count() > 0
    until = {r[0].value: r[1].value for r in rows}
    for g in closing:
        assert (until[g.name].date() if until[g.name] else None) == g.end_date  # a date, not text
    header, rows = xlsx_rows(client.get(url, {"format": "xlsx", "table": "strategies"}))
    assert header == ["Strategy", "Period", "Owner group", "Objectives"]
    assert len(rows) == demo.partnership.strategies.count()
    Group.objects.filter(pk=live[0].pk).update(name=HOSTILE)
    text_stays_text(client, url, {}, "Group", table="groups")


def test_meetings_dates_are_dates_and_items_numbers(client_for, users, demo):
    from saferplan.delivery.models import Meeting

    client = client_for(users["board_member"])
    url = reverse("meeting-list")
    assert 'href="?format=xlsx"' in unescape(client.get(url).content.decode())
    header, rows = xlsx_rows(client.get(url, {"format": "xlsx"}))
    assert header == ["Date", "Meeting", "Group", "Items"]
    meetings = list(Meeting.objects.filter(group__partnership=demo.partnership).order_by("-date"))
    assert len(rows) == len(meetings) > 0
    for row, m in zip(rows, meetings, strict=True):
        assert row[0].is_date and row[0].value.date() == m.date
        assert row[3].data_type == "n" and row[3].value == m.items.count()
    Meeting.objects.filter(pk=meetings[0].pk).update(title=HOSTILE)
    text_stays_text(client, url, {}, "Meeting")
    assert client_for(users["viewer"]).get(url, {"format": "csv"}).status_code == 403


def test_funding_allocations_and_projects_amounts_are_numbers(client_for, users, demo):
    from decimal import Decimal

    from saferplan.funding import demo as funding_demo
    from saferplan.funding.models import Allocation, Project

    funding_demo.load(demo)
    client = client_for(users["board_member"])
    url = reverse("funding-overview")
    html = unescape(client.get(url).content.decode())
    for table in ("allocations", "projects", "by-year", "by-objective", "by-funder"):
        assert f'href="?format=csv&table={table}"' in html
    assert "Download every allocation, one a row, as" in html
    header, rows = xlsx_rows(client.get(url, {"format": "xlsx", "table": "allocations"}))
    allocations = Allocation.objects.filter(partnership=demo.partnership)
    assert len(rows) == allocations.count() > 0
    amount = header.index("Amount (£)")
    assert all(r[amount].data_type == "n" for r in rows)
    assert sum(Decimal(str(r[amount].value or 0)) for r in rows) == sum(a.amount or 0 for a in allocations)
    illustrative = header.index("Illustrative (made up for the demonstration)")
    assert sum(r[illustrative].value == "Yes" for r in rows) == allocations.filter(illustrative=True).count()
    header, rows = xlsx_rows(client.get(url, {"format": "xlsx", "table": "projects"}))
    projects = Project.objects.filter(partnership=demo.partnership)
    assert len(rows) == projects.count()
    by_name = {r[header.index("Project")].value: r for r in rows}
    safer_homes = by_name["Safer Homes"]
    assert safer_homes[header.index("Amount (£)")].value == 500000
    assert safer_homes[header.index("Match funding (£)")].value == 360000
    assert safer_homes[header.index("Illustrative (made up for the demonstration)")].value == "No"
    header, rows = xlsx_rows(client.get(url, {"format": "xlsx", "table": "by-year"}))
    assert all(r[header.index("Projects")].data_type == "n" for r in rows)
    Project.objects.filter(name="Safer Homes").update(name=HOSTILE)
    text_stays_text(client, url, {}, "Project", table="projects")
    assert client_for(users["viewer"]).get(url, {"format": "csv", "table": "projects"}).status_code == 403


def test_plan_comparison_summary_and_every_change(client_for, users, demo):
    from saferplan.plans import refresh
    from saferplan.plans.models import Plan

    old = Plan.objects.get(slug="sdp-2014-17")
    diff = refresh.plan_diff(old, demo)
    client = client_for(users["viewer"])
    url = reverse("plan-compare", args=[demo.slug, old.slug])
    html = unescape(client.get(url).content.decode())
    assert 'href="?format=csv&table=summary"' in html and 'href="?format=xlsx&table=changes"' in html
    header, rows = xlsx_rows(client.get(url, {"format": "xlsx", "table": "summary"}))
    assert header[1:] == ["Added", "Removed", "Renamed", "Moved", "Unchanged"]
    for row, level in zip(rows, ("objectives", "outcomes", "actions"), strict=True):
        assert [c.value for c in row[1:]] == [
            *(len(diff[level][change]) for change in ("added", "removed", "renamed", "moved")),
            diff[level]["unchanged"],
        ]
        assert all(c.data_type == "n" for c in row[1:])
    header, *rows = csv_rows(client.get(url, {"format": "csv", "table": "changes"}))
    changes = sum(len(diff[lv][c]) for lv in ("objectives", "outcomes", "actions") for c in refresh.CHANGES)
    assert len(rows) == changes > 0
    added = [r for r in rows if r[1] == "Added"]
    assert len(added) == sum(len(diff[lv]["added"]) for lv in ("objectives", "outcomes", "actions"))
    assert all(r[2] == r[3] == "" and r[5] for r in added)


@pytest.fixture
def police_months(demo, settings, tmp_path):
    """The real March 2016 file and a synthetic February 2016 in a store of the test's own."""
    from saferplan.plans.management.commands.demo import POLICE_DEMO
    from tests.police.test_police_page import import_paths, synthetic_month

    settings.DATA_DIR = tmp_path / "data"
    settings.POLICE_MAP_TILES = ""
    import_paths(POLICE_DEMO, synthetic_month(tmp_path, "2016-02", 2000))
    return POLICE_DEMO


def test_police_tables_as_files_match_the_street_level_rows(client_for, users, police_months):
    from collections import Counter

    from tests.police.test_police_page import rows_of

    client = client_for(users["viewer"])
    url = reverse("police-overview")
    html = unescape(client.get(url, {"month": "2016-03"}).content.decode())
    for table in ("by-type", "by-area", "top-locations", "top-lsoas", "hot-spots", "held"):
        assert f'href="?month=2016-03&format=csv&table={table}"' in html, table
    march = Counter(r["Crime type"] for r in rows_of(police_months))
    header, rows = xlsx_rows(client.get(url, {"month": "2016-03", "format": "xlsx", "table": "by-type"}))
    assert header[:3] == ["Crime type", "March 2016: count", "March 2016: per 1,000 residents"]
    counts = {r[0].value: r[1].value for r in rows}
    assert counts.pop("All crime types") == sum(march.values())
    assert counts == dict(march)
    assert all(r[1].data_type == "n" and r[2].data_type == "n" for r in rows)
    header, rows = xlsx_rows(client.get(url, {"month": "2016-03", "format": "xlsx", "table": "top-lsoas"}))
    lsoas = Counter(r["LSOA name"] for r in rows_of(police_months))
    top = [(r[0].value, r[2].value) for r in rows]
    assert top[0][1] == max(lsoas.values()) and all(lsoas[name] == n for name, n in top)
    one_type = "Anti-social behaviour"
    header, *rows = csv_rows(
        client.get(url, {"month": "2016-03", "type": one_type, "format": "csv", "table": "top-locations"})
    )
    locations = Counter(r["Location"] for r in rows_of(police_months, crime_type=one_type))
    assert int(rows[0][1]) == max(locations.values())
    header, rows = xlsx_rows(client.get(url, {"month": "2016-03", "format": "xlsx", "table": "held"}))
    assert header[:3] == ["Month", "Force", "Rows"] and {r[0].value for r in rows} == {"2016-02", "2016-03"}


def test_police_downloads_with_nothing_imported_show_the_page(client_for, users, demo, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    response = client_for(users["viewer"]).get(
        reverse("police-overview"), {"format": "csv", "table": "by-type"}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
