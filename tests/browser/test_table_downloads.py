"""Tables as files in chromium: the pages with download links pass axe at 1280 and 375 px and do not scroll
sideways on a phone; a link downloads a spreadsheet whose figures are numbers. And the scorecard's filters carry
to an indicator's figures and back."""

import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from saferplan.areas.models import Area
from saferplan.funding import demo as funding_demo
from saferplan.indicators import selectors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# page, the label of a table on it with download links, the column whose cells must be numbers
# Widest elements outside a scrolling table, to say why a page scrolls sideways.
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.app-table-scroll'))
  .slice(-5)
  .map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' ' + Math.round(e.getBoundingClientRect().right))"""

PAGES = [
    ("/organisations/", "Organisations", None),
    ("/groups/", "Groups", None),
    ("/meetings/", "Board and group meetings", "Items"),
    ("/funding/", "Projects", "Amount (£)"),
    ("/plans/sdp-2016-19/compare/sdp-2014-17/", "Summary", "Added"),
    ("/police/", "By crime type", "March 2016: count"),
]


@pytest.fixture
def tables(demo, settings, tmp_path):
    from saferplan.plans.management.commands.demo import POLICE_DEMO
    from tests.police.test_police_page import import_paths

    settings.DATA_DIR = tmp_path / "data"
    settings.POLICE_MAP_TILES = ""
    import_paths(POLICE_DEMO)
    funding_demo.load(demo)


def test_pages_with_downloads_fit_and_the_files_keep_numbers(browse, users, tables):
    page = browse.page
    browse.sign_in("administrator-user")
    problems = []
    for url, label, numeric in PAGES:
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            browse.visit(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > size["width"]:
                problems.append(f"{url} is {width} px wide at {size['width']} px: {page.evaluate(WIDEST)}")
        link = page.get_by_role("link", name=re.compile(rf"^spreadsheet \(XLSX\)\W+{re.escape(label)}$"))
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename.endswith(".xlsx"), url
        sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
        header = [c.value for c in sheet[1]]
        assert sheet.max_row > 1, url
        if numeric:
            column = header.index(numeric)
            cells = [row[column] for row in sheet.iter_rows(min_row=2) if row[column].value is not None]
            assert cells and all(c.data_type == "n" for c in cells), (url, numeric)
    assert not problems, "\n".join(problems)


def test_scorecard_filters_carry_to_the_indicator_and_back(browse, users, demo):
    page = browse.page
    area = Area.objects.get(code="E06000047")
    default = selectors.default_period(demo, area)
    quarters = [p for p in selectors.reporting_periods(demo, area) if p.kind == default.kind]
    earlier = quarters[quarters.index(default) + 4]
    browse.sign_in("viewer-user")
    scorecard = f"/performance/?area={area.code}&period={earlier.code}"
    browse.visit(scorecard)
    browse.click(
        page.get_by_role(
            "link", name="Number of police reported incidents of anti-social behaviour", exact=True
        ).first
    )
    assert parse_qs(urlsplit(page.url).query) == {"area": [area.code], "period": [earlier.code]}
    expect(page.locator("#scorecard-period")).to_contain_text(earlier.label)
    browse.click(page.get_by_role("link", name=f"Back to the scorecard for {area.name}, {earlier.label}"))
    assert page.url.endswith(scorecard)
    expect(page.get_by_label("Period")).to_have_value(earlier.code)
