"""Search finds plan content, indicators, delivery actions, meetings, escalations, reports and funding, with
the short forms the partnership maintains (ASB → anti-social behaviour), on SQLite (words contained) and
PostgreSQL (full-text search), and shows each person only what they may open."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from saferplan.delivery.models import Escalation, Meeting
from saferplan.funding.models import Project
from saferplan.plans.models import Group, Indicator, Objective, SearchSynonym
from saferplan.plans.selectors import search, search_phrasings


def kinds(groups) -> dict[str, list[str]]:
    return {g.kind: [h.title for h in g.hits] for g in groups}


def test_asb_finds_the_anti_social_behaviour_objective_and_indicators(users, demo, client):
    objective = Objective.objects.get(plan=demo, title__iexact="Reduce anti-social behaviour")
    asb_indicators = set(
        Indicator.objects.live()
        .filter(name__icontains="anti-social behaviour")
        .values_list("name", flat=True)
    )
    assert asb_indicators
    found = kinds(search(query="ASB", user=users["viewer"]))
    assert f"Objective {objective.number}: {objective.title}" in found["Objectives"]
    assert asb_indicators <= set(found["Indicators"])

    client.force_login(users["viewer"])
    html = client.get(reverse("search"), {"q": "asb"}).content.decode()
    assert reverse("objective-detail", args=[objective.pk]) in html
    assert "Also searched for “anti-social behaviour”" in html


def test_synonyms_work_both_ways_and_the_partnership_maintains_them(users, demo):
    assert "anti-social behaviour" in search_phrasings("ASB hotspots")[1]
    assert search_phrasings("anti-social behaviour") == ["anti-social behaviour", "ASB"]
    # Not inside another word: "DA" is not swapped in "DAta".
    assert search_phrasings("data") == ["data"]
    analyst = users["analyst"]

    def hate_crime_hits(query):
        return [
            t
            for titles in kinds(search(query=query, user=analyst)).values()
            for t in titles
            if "hate" in t.lower()
        ]

    assert hate_crime_hits("hate crime")
    assert not hate_crime_hits("HC")
    synonym = SearchSynonym.objects.create(term="HC", meaning="hate crime")
    assert hate_crime_hits("HC") == hate_crime_hits("hate crime")
    assert synonym.history.count() == 1
    synonym.delete()
    assert not hate_crime_hits("HC")


def test_results_are_grouped_by_kind_with_counts_and_links(users, demo, client):
    client.force_login(users["analyst"])
    html = client.get(reverse("search"), {"q": "domestic abuse"}).content.decode()
    counts = dict(re.findall(r'href="#results-\d+">([A-Z][a-z ]+) \((\d+)', html))
    assert int(counts["Objectives"]) >= 1 and int(counts["Indicators"]) >= 1
    total = int(re.search(r"(\d+) results? for", html).group(1))
    assert total == sum(int(c) for c in counts.values())


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_each_role_finds_only_what_it_may_open(users, demo, client, role):
    group = Group.objects.get(slug="anti-social-behaviour-group")
    board = Group.objects.filter(kind="board").first()
    Escalation.objects.create(
        from_group=group,
        to_group=board,
        about="risk",
        title="Zebracrossing escalation",
        why="Zebracrossing why",
        ask="Decide",
        raised_on="2016-05-01",
    )
    Meeting.objects.create(group=group, date="2016-05-01", title="Zebracrossing meeting")
    project = Project.objects.first()
    project.name = "Zebracrossing project"
    project.save()
    user = users[role]
    found = kinds(search(query="zebracrossing", user=user))
    partner = role != "viewer"
    assert ("Escalations" in found) is partner
    assert ("Meetings" in found) is partner
    assert ("Funding projects" in found) is partner
    client.force_login(user)
    html = client.get(reverse("search"), {"q": "zebracrossing"}).content.decode()
    for href in re.findall(r'<li><a class="govuk-link" href="(/[^"#]+)"', html):
        assert client.get(href).status_code == 200, href


def test_an_analyst_adds_changes_and_removes_a_short_form_with_its_history(users, demo, client):
    analyst = users["analyst"]
    client.force_login(analyst)
    search_page = client.get(reverse("search")).content.decode()
    assert reverse("synonym-list") in search_page
    listing = reverse("synonym-list")
    assert "anti-social behaviour" in client.get(listing).content.decode()

    missing = client.post(listing, {"term": "", "meaning": ""})
    assert missing.status_code == 400 and "Enter the short form" in missing.content.decode()
    duplicate = client.post(listing, {"term": "ASB", "meaning": "something else"})
    assert "That short form is already recorded" in duplicate.content.decode()

    assert client.post(listing, {"term": "HC", "meaning": "hate  crime"}).status_code == 302
    synonym = SearchSynonym.objects.get(term="HC")
    assert synonym.meaning == "hate crime"
    assert search_phrasings("HC") == ["HC", "hate crime"]

    edit = reverse("synonym-edit", args=[synonym.pk])
    assert client.post(edit, {"term": "HC", "meaning": "hate crimes"}).status_code == 302
    response = client.get(edit)
    assert response.context["history"][0].who == str(analyst)
    assert "“hate crime” → “hate crimes”" in response.content.decode().replace("&ldquo;", "“").replace(
        "&rdquo;", "”"
    )
    assert client.post(edit, {"remove": "1"}).status_code == 302
    assert search_phrasings("HC") == ["HC"]
    assert synonym.history.first().history_type == "-"

    client.force_login(users["viewer"])
    assert reverse("synonym-list") not in client.get(reverse("search")).content.decode()
    assert client.post(listing, {"term": "XX", "meaning": "y"}).status_code == 403
    assert not SearchSynonym.objects.filter(term="XX").exists()
