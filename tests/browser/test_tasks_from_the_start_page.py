"""The four everyday tasks, each from the start page in at most three clicks, in chromium with axe on every page
(issue 18): a group lead updates an overdue action (tests/browser/test_start_journeys.py), a data provider
sends an overdue return, a Board member decides an open escalation, a viewer reads the crime rate with its
period."""

import re

import pytest
from playwright.sync_api import expect

from saferplan.delivery.models import Escalation
from saferplan.plans.models import Indicator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_data_provider_reaches_the_upload_of_an_overdue_return_in_one_click(browse, users, demo):
    page = browse.page
    organisation = users["data_provider"].organisation
    indicator = Indicator.objects.filter(source=organisation).order_by("order").first()
    browse.sign_in("data_provider-user")
    browse.click(page.locator("main").get_by_role("link", name=indicator.name, exact=True).first)  # 1
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Data return: {organisation.name}")
    expect(page.get_by_role("button", name="Upload and check")).to_be_visible()


def test_a_board_member_reaches_the_decision_on_an_open_escalation_in_one_click(browse, users, demo):
    page = browse.page
    escalation = Escalation.objects.filter(state="open").order_by("raised_on", "pk").first()
    browse.sign_in("board_member-user")
    browse.click(page.locator("main").get_by_role("link", name=escalation.title, exact=True).first)  # 1
    expect(page.get_by_role("heading", level=1)).to_have_text(escalation.title)
    expect(page.get_by_role("button", name="Record decision")).to_be_visible()


def test_a_viewer_reads_the_crime_rate_with_its_period_in_at_most_two_clicks(browse, users, demo):
    page = browse.page
    indicator = Indicator.objects.get(partnership=demo.partnership, slug="crime-rate")
    browse.sign_in("viewer-user")
    # the scorecard is one click away; the indicator's row states its figure's period
    browse.click(page.locator("main").get_by_role("link", name=re.compile("scorecard", re.I)).first)  # 1
    row = page.locator("main tr", has=page.get_by_role("link", name=indicator.name, exact=True)).first
    expect(row).to_contain_text(re.compile(r"(Q[1-4] \d{4}/\d{2}|\d{4}/\d{2}|[A-Z][a-z]{2} \d{4})"))
    browse.click(row.get_by_role("link", name=indicator.name, exact=True))  # 2
    expect(page.get_by_role("heading", level=1)).to_contain_text(indicator.name)
