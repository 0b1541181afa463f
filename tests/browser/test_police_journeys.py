"""Police open data in chromium: an analyst uploads a month's file; every page reached passes axe."""

import pytest
from playwright.sync_api import expect

from saferplan.plans.management.commands.demo import POLICE_DEMO
from saferplan.police import jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_uploads_a_month(browse, users, axe_check):
    page = browse.page
    browse.sign_in("analyst-user")
    browse.click(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Police data"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Police open data")
    upload = page.get_by_label("Upload a month's file from data.police.uk")
    upload.set_input_files({"name": "crimes.csv", "mimeType": "text/csv", "buffer": b"x"})
    browse.submit(page.get_by_role("button", name="Upload and import"), status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text("cannot tell the month, force and kind")
    page.get_by_label("Upload a month's file from data.police.uk").set_input_files(str(POLICE_DEMO))
    browse.submit(page.get_by_role("button", name="Upload and import"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of 2016-03-durham-street.csv")
    jobs.wait_for_imports()
    expect(page.locator("#status")).to_have_text("Imported", timeout=15_000)  # the page updates itself
    expect(page.locator("#rows")).to_contain_text("5426")
    axe_check(page)
    browse.click(page.get_by_role("link", name="Back to police open data"))
    row = page.locator("main table tbody tr", has_text="durham")
    expect(row.first).to_contain_text("2016-03")


def test_viewer_reads_but_cannot_upload(browse, users):
    page = browse.page
    browse.sign_in("viewer-user")
    browse.visit("/police/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Police open data")
    expect(page.get_by_label("Upload a month's file from data.police.uk")).to_have_count(0)
    browse.visit("/police/imports/1/", status=403)
