"""Reminder emails link to each action and its progress update form at the site's address (SAFERPLAN_SITE_URL);
without the setting they say in words where to find each item."""

import os
import re
import subprocess
import sys
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from saferplan.delivery import reminders

pytestmark = pytest.mark.django_db
SITE = "https://saferplan.example.org"
TODAY = date(2019, 5, 10)  # the demo's actions are overdue and its returns due or overdue


@pytest.fixture
def people(users):
    lead, provider = users["group_lead"], users["data_provider"]
    lead.email, provider.email = "lead@example.org", "data@example.org"
    lead.save()
    provider.save()
    return lead, provider


def sent_to(address: str) -> str:
    return next(m for m in mail.outbox if m.to == [address]).body


def test_each_action_links_to_its_page_and_update_form(demo, people, settings, client):
    settings.SITE_URL = SITE
    lead, provider = people
    items = reminders.items_for(lead, demo, TODAY)
    assert items
    reminders.send(demo, today=TODAY)
    body = sent_to(lead.email)
    pages = re.findall(rf"^  See the action: {re.escape(SITE)}(/delivery/actions/\d+/)$", body, re.M)
    forms = re.findall(
        rf"^  Add a progress update: {re.escape(SITE)}(/delivery/actions/\d+/)#add-update$", body, re.M
    )
    assert pages == forms == [i.url for i in items]  # one of each for every item, in order
    for item, line in zip(items, body.split("\n- ")[1:], strict=True):
        assert line.startswith(item.text)  # the links sit under their own item
    client.force_login(lead)
    page = client.get(pages[0])
    assert page.status_code == 200 and 'id="add-update"' in page.content.decode()  # the form is there
    assert f"{SITE}{reverse('my-reminders')}" in body
    assert "Where:" not in body


def test_data_returns_link_to_the_organisations_return(demo, people, settings):
    settings.SITE_URL = SITE
    lead, provider = people
    reminders.send(demo, today=TODAY)
    body = sent_to(provider.email)
    url = reverse("data-return-detail", args=[provider.organisation.slug])
    items = reminders.items_for(provider, demo, TODAY)
    assert len(items) > 1 and all(f"- {i.text}" in body for i in items)
    # one link for the organisation's returns, after the last of them (not one a figure)
    assert body.count(f"{SITE}{url}") == 1
    assert f"- {items[-1].text}\n  Send the data return: {SITE}{url}\n" in body


def test_without_the_site_address_the_email_says_where_in_words(demo, people, settings):
    settings.SITE_URL = ""
    lead, provider = people
    reminders.send(demo, today=TODAY)
    body = sent_to(lead.email)
    assert "http" not in body and "/delivery/" not in body
    where = re.findall(
        r"^  Where: in SaferPlan, Delivery plan, then this action of the (.+); its page has the form to add a "
        r"progress update\.$",
        body,
        re.M,
    )
    items = reminders.items_for(lead, demo, TODAY)
    assert len(where) == len(items) > 0
    assert set(where) <= set(lead.led_groups.values_list("name", flat=True))
    data = sent_to(provider.email)
    assert (
        f"  Where: in SaferPlan, Data returns, then {provider.organisation.name}." in data
        and "http" not in data
    )
    assert data.count("Where:") == 1  # once for the organisation's returns


@pytest.mark.parametrize("value", ["saferplan.example.org", "javascript:alert(1)", "https://", "https://a b"])
def test_a_site_address_that_is_not_one_stops_the_start(value):
    env = {**os.environ, "SAFERPLAN_SITE_URL": value, "DJANGO_SETTINGS_MODULE": "saferplan.config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.SITE_URL"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "SAFERPLAN_SITE_URL must be the site's address" in result.stderr


def test_a_site_address_with_a_trailing_slash_is_accepted():
    env = {
        **os.environ,
        "SAFERPLAN_SITE_URL": f"{SITE}/",
        "DJANGO_SETTINGS_MODULE": "saferplan.config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout.strip() == SITE
