"""Reports in chromium: an analyst drafts a report and sends it for review, a Board member publishes it, and a
viewer downloads it; every page passes axe. (The report pages themselves: test_delivery_journeys.)"""

import pytest
from playwright.sync_api import expect

from saferplan.reports.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_draft_review_publish_and_download(browse, users, demo):
    page = browse.page
    browse.sign_in("analyst-user")
    browse.click(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports"))
    expect(page.locator("main")).to_contain_text("No reports have been published yet.")
    browse.click(page.get_by_role("link", name="Six-monthly delivery plan report"))
    page.get_by_label("As at (YYYY-MM-DD)").fill("2017-09-30")
    page.get_by_label("Completed since (YYYY-MM-DD)").fill("2017-03-31")
    browse.submit(page.get_by_role("button", name="Show"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Delivery plan report, September 2017")
    browse.submit(page.get_by_role("button", name="Start a draft of this report for publishing"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Draft started")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Draft")
    browse.submit(page.get_by_role("button", name="Send for review"))
    expect(page.locator(".govuk-summary-list")).to_contain_text("In review")
    expect(page.get_by_role("button", name="Publish this report")).to_have_count(0)  # not by the sender
    browse.click(page.get_by_role("button", name="Sign out"))

    browse.sign_in("board_member-user")
    browse.visit("/reports/")
    browse.click(page.get_by_role("link", name="Delivery plan report, September 2017"))
    browse.submit(page.get_by_role("button", name="Return to draft"))  # without saying why: refused
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Say what needs to change")
    browse.submit(page.get_by_role("button", name="Publish this report"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Published")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Published")
    report = Report.objects.get()
    assert report.state == "published" and report.files.count() == 4
    browse.click(page.get_by_role("button", name="Sign out"))

    browse.sign_in("viewer-user")
    browse.visit("/reports/")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF of Delivery plan report, September 2017").click()
    assert download.value.suggested_filename == f"delivery-{report.pk}.pdf"
    with open(download.value.path(), "rb") as f:
        assert f.read() == bytes(report.files.get(format="pdf").content)
