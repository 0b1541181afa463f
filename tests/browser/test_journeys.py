"""Journeys through the interface in chromium, signing in with the form; every page reached passes axe."""

import re

import pytest
from playwright.sync_api import expect

from saferplan.plans.models import StrategicAction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN_TITLE = "Safe Durham Partnership Plan 2016-19"


def error_summary(page):
    return page.locator(".govuk-error-summary")


def test_sign_in(browse, users, axe_check):
    page = browse.page
    browse.visit("/")  # signed out: redirected to the sign-in page
    assert "/sign-in/" in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    browse.submit(page.get_by_role("button", name="Sign in"))
    expect(error_summary(page)).to_be_visible()
    expect(error_summary(page)).to_contain_text("There is a problem")
    expect(error_summary(page).get_by_role("link", name="Enter your username")).to_be_visible()
    expect(error_summary(page).get_by_role("link", name="Enter your password")).to_be_visible()
    expect(page.locator("#id_username-error")).to_contain_text("Enter your username")
    axe_check(page)  # the error state, checked explicitly as well

    page.get_by_label("Username").fill("board_member-user")
    page.get_by_label("Password").fill("not-the-password")
    browse.submit(page.get_by_role("button", name="Sign in"))
    expect(error_summary(page)).to_contain_text("Enter a correct username and password")
    expect(page.get_by_text("Signed in as")).to_have_count(0)

    browse.sign_in("board_member-user")
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs you now")  # the start page
    browse.click(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Plan"))
    assert re.search(r"/plans/sdp-2016-19/$", page.url), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(PLAN_TITLE)
    objectives = page.get_by_role("heading", level=3, name=re.compile(r"^Objective \d+: "))
    expect(objectives).to_have_count(7)
    expect(objectives.first).to_have_text("Objective 1: Reduce anti-social behaviour")
    banner = page.locator(".govuk-phase-banner")
    expect(banner).to_contain_text("Signed in as board_member-user (Board member)")


def test_browse_the_plan(browse, users):
    page = browse.page
    browse.sign_in("board_member-user")
    main = page.locator("main")
    browse.click(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Plan"))

    # Plan overview → objective 2 → an outcome → an action.
    browse.click(main.get_by_role("link", name=re.compile(r"^Objective 2: ")))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Objective 2: Protect vulnerable people from harm")
    expect(page.get_by_role("heading", name="Why this is a priority")).to_be_visible()

    browse.click(main.get_by_role("link", name=re.compile(r"^Outcome 2\.1: ")))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Outcome 2.1: Prevent domestic abuse")
    expect(page.get_by_role("heading", name="Strategic actions")).to_be_visible()

    action_link = main.locator(".app-tree__actions a").first
    action_text = action_link.inner_text()
    browse.click(action_link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Action \d+\.\d+\.\d+: " + re.escape(action_text) + "$")
    )
    assert re.search(r"/actions/\d+/$", page.url), page.url
    expect(page.locator(".govuk-summary-list")).to_contain_text("Target date")

    # The other sections, through the service navigation.
    nav = page.get_by_role("navigation", name="Menu")
    browse.click(nav.get_by_role("link", name="Indicators"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicators")
    expect(page.get_by_role("table").first.locator("tbody tr").first).to_be_visible()

    browse.click(nav.get_by_role("link", name="Groups"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Groups")
    browse.click(main.get_by_role("link", name="Anti-Social Behaviour Group", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Anti-Social Behaviour Group")
    expect(page.get_by_role("heading", name="Strategic actions it owns")).to_be_visible()

    browse.click(nav.get_by_role("link", name="Organisations"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations")
    organisation = main.locator("tbody a").first
    name = organisation.inner_text()
    browse.click(organisation)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)

    browse.click(nav.get_by_role("link", name="Search"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    page.get_by_label("Search objectives, outcomes").fill("hate crime")
    browse.submit(main.get_by_role("button", name="Search"))
    results = main.get_by_role("heading", level=2)
    expect(results).to_have_text(re.compile(r"^[1-9]\d* results? for “hate crime”$"))
    expect(main.get_by_role("link", name=re.compile("hate crime", re.I)).first).to_be_visible()

    # A section of the plan, from the "About the plan" list on the overview.
    browse.click(nav.get_by_role("link", name="Plan"))
    about = main.locator("h2:has-text('About the plan') + ul")
    section = about.get_by_role("link").first
    title = section.inner_text()
    browse.click(section)
    assert re.search(r"/plans/sdp-2016-19/sections/\d+/$", page.url), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".govuk-caption-l")).to_have_text(PLAN_TITLE)


def test_group_lead_edits_an_action(browse, users, axe_check):
    page = browse.page
    lead = users["group_lead"]
    lead.first_name, lead.last_name = "Grace", "Lead"
    lead.save()
    browse.sign_in("group_lead-user")
    main = page.locator("main")

    browse.click(page.get_by_role("navigation", name="Menu").get_by_role("link", name="My group"))
    expect(page.get_by_role("heading", level=1)).to_have_text("What my group owns")
    expect(main.get_by_role("heading", level=2)).to_have_text("Anti-Social Behaviour Group")
    edit = main.get_by_role("link", name=re.compile(r"^Edit strategic action: ")).first
    pk = int(re.search(r"/actions/(\d+)/edit/$", edit.get_attribute("href")).group(1))
    original = StrategicAction.objects.get(pk=pk).text
    browse.click(edit)
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit strategic action")
    text = page.get_by_label("Strategic action")
    expect(text).to_have_value(original)

    # Empty text: the error summary links to the field.
    text.fill("")
    browse.submit(main.get_by_role("button", name="Save"), status=400)
    assert page.title().startswith("Error: ")
    summary_link = error_summary(page).get_by_role("link", name="Enter the strategic action")
    expect(summary_link).to_be_visible()
    expect(summary_link).to_have_attribute("href", "#id_text")
    expect(page.locator("#id_text-error")).to_contain_text("Enter the strategic action")
    summary_link.click()
    expect(page.locator("#id_text")).to_be_focused()
    axe_check(page)

    # A date that does not exist.
    new_text = "Run a weekend youth outreach programme in every anti-social behaviour hotspot"
    page.get_by_label("Strategic action").fill(new_text)
    page.get_by_label("Target date (optional)").fill("31/13/2017")
    browse.submit(main.get_by_role("button", name="Save"), status=400)
    expect(error_summary(page).get_by_role("link", name="Target date must be a real date")).to_have_attribute(
        "href", "#id_target_date"
    )
    expect(page.get_by_label("Strategic action")).to_have_value(new_text)
    assert StrategicAction.objects.get(pk=pk).text == original

    # Valid: saved, with a success banner and the change in the history.
    page.get_by_label("Target date (optional)").fill("31/03/2017")
    browse.submit(main.get_by_role("button", name="Save"))
    assert page.url.endswith(f"/actions/{pk}/")
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Strategic action saved")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Action \d+\.\d+\.\d+: " + re.escape(new_text) + "$")
    )
    target = page.locator(".govuk-summary-list__row", has_text="Target date").locator("dd")
    expect(target).to_have_text("31 March 2017")
    newest = page.locator("table.app-history tbody tr").first
    expect(newest).to_contain_text("Grace Lead")
    expect(newest).to_contain_text("Changed")
    expect(newest).to_contain_text(new_text)

    action = StrategicAction.objects.get(pk=pk)
    assert action.text == new_text
    assert action.target_date.isoformat() == "2017-03-31"


def test_forbidden_and_unknown_pages(browse, users):
    page = browse.page
    browse.sign_in("viewer-user")
    expect(page.get_by_role("link", name="My group")).to_have_count(0)

    browse.visit("/my-group/", status=403)
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have permission to see or do this")
    assert page.title() == "You do not have permission – SaferPlan"

    browse.visit("/no-such-page/", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert page.title() == "Page not found – SaferPlan"
    expect(page.get_by_role("navigation", name="Menu")).to_be_visible()  # styled, inside the service layout


def test_sign_out(browse, users):
    page = browse.page
    browse.sign_in("viewer-user")
    expect(page.get_by_text("Signed in as viewer-user")).to_be_visible()

    browse.click(page.get_by_role("navigation", name="Menu").get_by_role("button", name="Sign out"))
    assert page.url.endswith("/sign-in/"), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    browse.visit("/")  # signed out: back to the sign-in page
    assert "/sign-in/" in page.url
