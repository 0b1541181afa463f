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
    expect(page.locator(".app-message--error")).to_contain_text(
        "Say what needs to change"
    )  # an error, not a banner
    expect(page.locator(".govuk-notification-banner")).to_have_count(0)
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


PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 720}
# Every value the progress bar is given, recorded in the page, to see it move while the test runs the queue.
RECORD_PROGRESS = """id => {
  const bar = document.getElementById(id);
  window.progressSeen = [bar.value];
  new MutationObserver(() => window.progressSeen.push(bar.value)).observe(bar, {attributes: true});
}"""


def check_at_both_widths(page, axe_check):
    """axe on the page as it is now, at a phone's width and then at desktop width."""
    page.set_viewport_size(PHONE)
    axe_check(page)
    page.set_viewport_size(DESKTOP)
    axe_check(page)


def test_a_board_member_follows_a_publication_until_it_is_published(browse, users, demo, settings, axe_check):
    from saferplan.police import jobs
    from saferplan.reports import services

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    report = services.draft_report(users["analyst"], demo, "board", {"quarter": "Q4 2015/16"})
    services.send_for_review(users["analyst"], report)
    page = browse.page
    page.set_viewport_size(DESKTOP)
    browse.sign_in("board_member-user")
    browse.visit(f"/reports/{report.pk}/")
    browse.submit(page.get_by_role("button", name="Publish this report"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Publishing: the report is being rendered"
    )
    expect(page.locator("#publication-state")).to_contain_text("Waiting to start")
    bar = page.get_by_label("Progress")
    expect(bar).to_have_attribute("value", "0")
    check_at_both_widths(page, axe_check)  # waiting in the queue
    page.evaluate(RECORD_PROGRESS, "publication-progress")

    jobs.wait_for_imports()  # the worker's part, in this process; the page follows it by itself
    expect(page.locator("#publication-state")).to_contain_text("Published", timeout=15_000)
    expect(bar).to_have_attribute("value", "100")
    expect(page.locator("#publication-percent")).to_have_text("100%")
    expect(page.locator("#publication-message")).to_contain_text("the report and its files are now fixed")
    seen = page.evaluate("window.progressSeen")
    # the bar moved forward only, stopping on the way (the worker's progress), to 100
    assert seen == sorted(seen) and seen[-1] == 100 and any(0 < v < 100 for v in seen), seen
    check_at_both_widths(page, axe_check)  # finished
    browse.click(page.get_by_role("link", name="Show the report as it is now"))
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Published")
    report.refresh_from_db()
    assert report.state == "published" and report.files.count() == 4
