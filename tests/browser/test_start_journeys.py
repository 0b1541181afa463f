"""The start page in chromium: each role signs in and finds their own items, at desktop and phone width, with
axe on every page; a group lead reaches an overdue action's update form from it in one click, and the form
starts from the action's current status."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from saferplan.delivery.models import DetailedAction, Escalation, ProgressUpdate, Status
from saferplan.plans.models import Indicator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1280, 375]


def overdue_actions(group_slug=None):
    actions = DetailedAction.objects.live().filter(target_date__lt=date.today()).order_by("target_date", "pk")
    if group_slug:
        actions = actions.filter(owner_group__slug=group_slug)
    result = []
    for action in actions:
        latest = ProgressUpdate.objects.filter(action=action).order_by("-date", "-pk").first()
        status = latest.status if latest else Status.NOT_STARTED
        if status != Status.COMPLETE:
            result.append((action, status))
    return result


def expected_items(role: str, users) -> tuple[str, str]:
    """(a heading, the name of a link under it) the role must find, worked out from the models."""
    if role in ("administrator", "group_lead"):
        overdue = overdue_actions("anti-social-behaviour-group" if role == "group_lead" else None)
        return f"{len(overdue)} overdue actions", overdue[0][0].description
    if role == "data_provider":
        indicator = (
            Indicator.objects.filter(source=users["data_provider"].organisation).order_by("order").first()
        )
        return r"^\d+ overdue figures$", indicator.name
    if role == "analyst":
        return r"^\d+ overdue figures$", "Durham Constabulary"
    if role == "board_member":
        escalation = Escalation.objects.filter(state="open").order_by("raised_on", "pk").first()
        return "1 open escalation", escalation.title
    indicator = Indicator.objects.filter(key_crime=True).order_by("order").first()
    return r"^\d+ key indicators$", indicator.name


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "role", ["administrator", "analyst", "group_lead", "data_provider", "board_member", "viewer"]
)
def test_each_role_finds_their_own_start_page_items(role, width, browse, users, demo):
    page = browse.page
    page.set_viewport_size({"width": width, "height": 900})
    title, link = expected_items(role, users)
    browse.sign_in(f"{role}-user")  # signing in lands on the start page
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("What needs you now")
    section_heading = main.get_by_role("heading", level=2, name=re.compile(title) if "^" in title else title)
    expect(section_heading).to_be_visible()
    expect(main.get_by_role("link", name=link, exact=True).first).to_be_visible()
    if width == 375:
        assert no_sideways_scroll(page), "the start page scrolls sideways at 375 px"


@pytest.mark.parametrize("width", WIDTHS)
def test_group_lead_goes_from_the_start_page_to_an_overdue_actions_update_form(width, browse, users, demo):
    page = browse.page
    page.set_viewport_size({"width": width, "height": 900})
    action, _ = overdue_actions("anti-social-behaviour-group")[0]
    ProgressUpdate.objects.create(action=action, date=date.today(), status=Status.AT_RISK, text="Behind")
    browse.sign_in("group_lead-user")
    overdue = page.locator("#overdue-actions")
    browse.click(overdue.get_by_role("link", name=action.description, exact=True))  # one click
    assert page.url.endswith(f"/delivery/actions/{action.pk}/"), page.url
    expect(page.get_by_label("Status")).to_have_value(Status.AT_RISK.value)
    expect(page.get_by_role("button", name="Add update")).to_be_visible()


def test_group_lead_follows_a_reminder_to_the_actions_update_form(browse, users, demo):
    page = browse.page
    action, status = overdue_actions("anti-social-behaviour-group")[0]
    browse.sign_in("group_lead-user")
    browse.click(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reminders"))
    browse.click(
        page.locator("main").get_by_role("link", name=re.compile(re.escape(action.description))).first
    )
    assert page.url.endswith(f"/delivery/actions/{action.pk}/"), page.url
    expect(page.get_by_label("Status")).to_have_value(status)
