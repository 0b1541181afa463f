"""Search in the browser: a viewer searches "ASB" and reaches the anti-social behaviour objective; the page
passes axe at desktop and phone widths and does not scroll sideways on a phone."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 720}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_a_viewer_searches_asb_and_opens_the_objective(browse, users, axe_check, viewport):
    page = browse.page
    page.set_viewport_size(viewport)
    browse.sign_in("viewer-user")
    browse.visit("/search/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    page.get_by_role("searchbox").or_(page.get_by_role("textbox")).first.fill("ASB")
    browse.submit(page.locator("main").get_by_role("button", name="Search"))
    expect(page.get_by_text("Also searched for “anti-social behaviour”")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Objectives \(\d+\)"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    axe_check(page)
    browse.click(page.get_by_role("link", name=re.compile(r"^Objective \d+: Reduce anti-social behaviour")))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reduce anti-social behaviour")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_an_analyst_adds_a_short_form_search_then_understands(browse, users, axe_check, viewport):
    page = browse.page
    page.set_viewport_size(viewport)
    browse.sign_in("analyst-user")
    browse.visit("/search/")
    browse.click(page.get_by_role("link", name="Short forms search understands"))
    expect(page.get_by_role("cell", name="anti-social behaviour", exact=True)).to_be_visible()
    browse.submit(page.get_by_role("button", name="Add short form"), status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the short form")
    page.get_by_label("Short form").fill("HC")
    page.get_by_label("What it stands for").fill("hate crime")
    browse.submit(page.get_by_role("button", name="Add short form"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("“HC” as “hate crime”")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    browse.click(page.get_by_role("link", name="Change HC"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Short form “HC”")
    browse.visit("/search/?q=HC")
    expect(page.get_by_text("Also searched for “hate crime”")).to_be_visible()
