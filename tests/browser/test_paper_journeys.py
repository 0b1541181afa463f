"""A draft committee paper's meeting, officers, contacts and implications, set in chromium by an analyst; every
page passes axe, the form with an error too."""

import pytest
from playwright.sync_api import expect

from saferplan.reports import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_sets_a_drafts_meeting_and_contacts(browse, users, demo):
    report = services.draft_report(users["analyst"], demo, "board", {"quarter": "Q4 2015/16"})
    page = browse.page
    browse.sign_in("analyst-user")
    browse.visit(f"/reports/{report.pk}/")
    browse.click(page.get_by_role("link", name="Change the meeting, officers, contacts and implications"))
    expect(page.get_by_label("Meeting", exact=True)).to_have_value("Safe Durham Partnership Board")
    page.get_by_label("Contact 2: post").fill("Community Safety Manager")
    page.get_by_label("Contact 2: name").fill("")
    browse.submit(page.get_by_role("button", name="Save"), status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give contact 2")
    page.get_by_label("Contact 2: name").fill("Caroline Duckworth")
    page.get_by_label("Contact 2: telephone").fill("03000 265 435")
    page.get_by_label("Date of the meeting").fill("2016-05-24")
    page.get_by_label("Finance").fill("Met from existing budgets.")
    browse.submit(page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")
    expect(page.locator("main")).to_contain_text("24 May 2016")
    expect(page.locator("main")).to_contain_text("Caroline Duckworth, Community Safety Manager")
    expect(page.locator("main")).to_contain_text("Met from existing budgets.")
