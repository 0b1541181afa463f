"""The flows finished: no internal notes or source paragraph marks on any page, messages that look like what
they are, and a viewer never shown a link they may not follow."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.urls import reverse

from saferplan.delivery.models import DetailedAction, Escalation, Meeting
from saferplan.funding.models import Project
from saferplan.plans.models import Group, Indicator, Objective, Outcome, StrategicAction

# Marks of where a demo value came from in the seed documents: "002 ¶2-4", "000 section 4", "(not in the seeds)".
INTERNAL = re.compile(
    r"¶|\b00\d (?:section|paragraph|para|p\.|page)\s*\d|\b00\d (?:does|do) not|not in the seeds",
    re.IGNORECASE,
)
ROLES = ["administrator", "analyst", "board_member", "group_lead", "data_provider", "viewer"]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/") and not href.startswith("//"):
                self.hrefs.append(href.split("#")[0])


def main_pages(demo) -> list[str]:
    objective = Objective.objects.live().filter(plan=demo).order_by("number").first()
    outcome = Outcome.objects.live().filter(objective=objective).first()
    action = StrategicAction.objects.live().filter(outcome=outcome).first()
    indicator = Indicator.objects.live().filter(partnership=demo.partnership).order_by("order").first()
    pages = [
        reverse("home"),
        reverse("plan-overview", args=[demo.slug]),
        reverse("objective-detail", args=[objective.pk]),
        reverse("outcome-detail", args=[outcome.pk]),
        reverse("action-detail", args=[action.pk]),
        reverse("indicator-list"),
        reverse("indicator-detail", args=[indicator.pk]),
        reverse("group-list"),
        reverse("group-detail", args=[Group.objects.get(slug="anti-social-behaviour-group").pk]),
        reverse("delivery-plan"),
        reverse("report-list"),
        reverse("search") + "?q=ASB",
    ]
    detailed = DetailedAction.objects.live().filter(strategic_action__outcome__objective__plan=demo).first()
    if detailed:
        pages.append(reverse("delivery-action", args=[detailed.pk]))
    pages += [m.get_absolute_url() for m in Meeting.objects.all()[:6]]
    pages += [reverse("meeting-list"), reverse("escalation-list"), reverse("funding-overview")]
    pages += [reverse("escalation-detail", args=[e.pk]) for e in Escalation.objects.all()[:2]]
    pages += [reverse("funding-project", args=[p.pk]) for p in Project.objects.all()[:3]]
    return pages


@pytest.mark.parametrize("role", ROLES)
def test_no_page_prints_internal_notes_or_source_marks(users, demo, client, role):
    client.force_login(users[role])
    checked = 0
    for url in main_pages(demo):
        response = client.get(url)
        if response.status_code != 200:
            continue
        checked += 1
        html = response.content.decode()
        text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S))
        found = INTERNAL.search(text)
        assert not found, f"{url}: {text[max(0, found.start() - 80) : found.end() + 40]!r}"
    assert checked >= 8


def test_the_internal_mark_pattern_catches_the_marks():
    for mark in ["002 ¶2-4", "000 section 4", "(not in the seeds)", "004 paragraph 4a", "000 does not say"]:
        assert INTERNAL.search(mark), mark
    for plain in ["Section 4 of the plan", "2016-19", "In 2015 the group met"]:
        assert not INTERNAL.search(plain), plain


def test_a_viewer_is_never_shown_a_link_they_may_not_follow(users, demo, client):
    client.force_login(users["viewer"])
    links: set[str] = set()
    for url in main_pages(demo):
        response = client.get(url)
        if response.status_code == 200:
            parser = Links()
            parser.feed(response.content.decode())
            links.update(parser.hrefs)
    assert len(links) > 20
    refused = []
    for href in sorted(links):
        if href.startswith("/static/"):
            continue
        status = client.get(href).status_code
        if status == 403:
            refused.append(href)
    assert refused == []


@pytest.mark.parametrize(
    ("level", "shows", "never"),
    [
        (constants.SUCCESS, "govuk-notification-banner--success", "There is a problem"),
        (constants.ERROR, "govuk-error-summary", "Success"),
        (constants.WARNING, "govuk-warning-text", "Success"),
        (constants.INFO, "govuk-notification-banner", "Success"),
    ],
)
def test_messages_look_like_what_they_are(level, shows, never):
    html = render_to_string("includes/messages.html", {"messages": [Message(level, "Something happened")]})
    assert shows in html and "Something happened" in html
    assert never not in html


def test_source_marks_are_taken_out_of_text_users_read():
    from saferplan.core.formatting import without_source_marks

    note = (
        "The seeds describe the delivery plan (001 paragraph 12) but do not publish it; 000 does not say who."
    )
    assert without_source_marks(note) == (
        "The seeds describe the delivery plan but do not publish it; the sources do not say who."
    )
    assert without_source_marks("Lead assumed (not in the seeds).") == "Lead assumed."
    assert (
        without_source_marks("001 ¶10 says the Board signs it off")
        == "a source paper says the Board signs it off"
    )
    for plain in ["Rate per 1,000 population", "£300,000 from 2016-17", "Section 4 of the plan"]:
        assert without_source_marks(plain) == plain


def test_page_titles_name_the_thing(users, demo, client):
    client.force_login(users["viewer"])
    outcome = Outcome.objects.live().filter(objective__plan=demo).order_by("objective__number", "number")[1]
    actions = list(StrategicAction.objects.live().filter(outcome=outcome).order_by("order"))
    assert len(actions) >= 2
    second = actions[1]
    html = client.get(reverse("action-detail", args=[second.pk])).content.decode()
    reference = f"Action {outcome.reference}.2: "
    title = unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))
    h1 = unescape(re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1))
    assert title.strip().startswith(reference) and h1.startswith(reference + second.text[:30])
    detailed = DetailedAction.objects.live().filter(strategic_action__outcome__objective__plan=demo).first()
    html = client.get(reverse("delivery-action", args=[detailed.pk])).content.decode()
    title = unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))
    assert title.strip().startswith("Delivery action: " + detailed.description[:30])
