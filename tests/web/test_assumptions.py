"""Pages mark what the demo assumed, "Assumed for the demo" with the note, and nothing else; joint objectives and
groups that cover Darlington are said as 000 says them."""

import re
from datetime import date

from django.urls import reverse

from saferplan.core.selectors import assumptions_for
from saferplan.core.services import assumption_record
from saferplan.delivery.models import DetailedAction
from saferplan.funding.models import Project
from saferplan.plans.models import Group, Indicator, Objective, StrategicAction

MARKER = "Assumed for the demo"


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def summary_row(html: str, key: str) -> str:
    """The value of the summary list row whose key is `key`."""
    match = re.search(
        rf'<dt class="govuk-summary-list__key">{re.escape(key)}</dt>\s*<dd class="govuk-summary-list__value">(.*?)</dd>',
        html,
        re.S,
    )
    assert match, key
    return match.group(1)


def table_row(html: str, name: str) -> str:
    """The table row (<tr>…</tr>) that links to `name`."""
    rows = [
        r for r in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, re.S) if f">{name}</a>" in r
    ]
    assert len(rows) == 1, name
    return rows[0]


def group(demo, slug) -> Group:
    return Group.objects.get(partnership=demo.partnership, slug=slug)


def test_group_pages_mark_an_assumed_lead_organisation_and_not_a_stated_one(demo, users, client_for):
    client = client_for(users["viewer"])
    asb = group(demo, "anti-social-behaviour-group")
    (note,) = assumptions_for([asb]).values()
    html = page(client, reverse("group-detail", args=[asb.pk]))
    lead = summary_row(html, "Lead organisation")
    assert "Durham County Council" in lead and MARKER in lead and note in lead
    board = page(client, reverse("group-detail", args=[group(demo, "safe-durham-partnership-board").pk]))
    assert "Durham County Council" in summary_row(board, "Lead organisation")
    assert MARKER not in board  # nothing on the Board's page is assumed
    listing = page(client, reverse("group-list"))
    assert MARKER in table_row(listing, "Anti-Social Behaviour Group")
    assert MARKER not in table_row(listing, "Safe Durham Partnership Board")
    assert MARKER not in table_row(
        listing, "Open Water Safety Group"
    )  # chaired by the council (000 section 8)
    thematic = Group.objects.live().filter(partnership=demo.partnership, kind=Group.Kind.THEMATIC).count()
    assert listing.count(f">{MARKER}<span") == thematic == 9  # the tag's words, its note read out after them


def test_the_marker_is_words_with_the_note_not_only_colour(demo, users, client_for):
    client = client_for(users["viewer"])
    action = StrategicAction.objects.live().filter(outcome__objective__plan=demo).order_by("pk").first()
    (note,) = assumptions_for([action]).values()
    html = page(client, reverse("action-detail", args=[action.pk]))
    owner = summary_row(html, "Owner group")
    assert f'<strong class="govuk-tag govuk-tag--orange">{MARKER}</strong>' in owner and note in owner
    # in a list the tag carries its note for screen readers (and on hover); the record's page shows it in full
    objective = page(client, reverse("objective-detail", args=[action.outcome.objective_id]))
    assert f'{MARKER}<span class="govuk-visually-hidden">: {note}</span>' in objective
    # a stated target date is not marked; one the demo records as assumed is
    action.target_date = date(2018, 3, 31)  # the plan gives none: here, a stated one
    action.save()
    assert MARKER not in summary_row(page(client, reverse("action-detail", args=[action.pk])), "Target date")
    assumption_record(obj=action, field="target_date", note="Made up for the test.")
    target = summary_row(page(client, reverse("action-detail", args=[action.pk])), "Target date")
    assert MARKER in target and "Made up for the test." in target


def test_indicator_pages_mark_each_assumed_field(demo, users, client_for):
    client = client_for(users["viewer"])
    open_water = Indicator.objects.get(partnership=demo.partnership, slug="open-water-incidents")
    crime = Indicator.objects.get(partnership=demo.partnership, slug="crime-rate")
    html = page(client, reverse("indicator-detail", args=[open_water.pk]))
    source = summary_row(html, "Source organisation")
    assert "Durham County Council" in source and MARKER in source and "Open Water Safety Group" in source
    assert MARKER not in summary_row(html, "Unit")
    html = page(client, reverse("indicator-detail", args=[crime.pk]))
    assert MARKER not in summary_row(html, "Source organisation")  # police recorded crime
    assert MARKER not in summary_row(html, "Frequency")  # monthly, as police open data is
    assert MARKER in summary_row(html, "Definition")  # 000 gives the name only
    listing = page(client, reverse("indicator-list"))
    assert MARKER in table_row(listing, open_water.name)
    assert MARKER not in table_row(listing, crime.name)


def test_objective_pages_say_joint_with_and_which_groups_cover_darlington(demo, users, client_for):
    client = client_for(users["viewer"])
    objectives = {o.number: o for o in Objective.objects.live().filter(plan=demo)}
    two = page(client, reverse("objective-detail", args=[objectives[2].pk]))
    assert "Joint with Health and Wellbeing Board" in summary_row(two, "Joint objective")
    facilitated = summary_row(two, "Facilitated by")
    assert "County Durham and Darlington Hate Crime Working Group" in facilitated
    assert "which covers County Durham and Darlington" in facilitated
    assert MARKER in facilitated  # which of the two groups leads is assumed
    five = page(client, reverse("objective-detail", args=[objectives[5].pk]))
    assert "Joint with Children and Families Partnership" in summary_row(five, "Joint objective")
    for number in (3, 6, 7):
        html = page(client, reverse("objective-detail", args=[objectives[number].pk]))
        assert "Joint objective" not in html and "Joint with" not in html
        assert "which covers County Durham and Darlington" in summary_row(html, "Facilitated by")
    one = page(client, reverse("objective-detail", args=[objectives[1].pk]))
    assert "which covers" not in one
    reoffending = page(client, reverse("group-detail", args=[group(demo, "reducing-reoffending-group").pk]))
    assert "Covers County Durham and Darlington (a joint group)" in summary_row(reoffending, "Areas covered")
    overview = page(client, reverse("plan-overview", args=[demo.slug]))
    assert "Joint with Health and Wellbeing Board." in overview
    assert "Joint with Children and Families Partnership." in overview
    assert overview.count("Joint with") == 2


def test_the_earlier_plan_marks_its_made_up_outcomes(demo, users, client_for):
    client = client_for(users["administrator"])
    earlier = page(client, reverse("plan-overview", args=[demo.previous_version.slug]))
    assert earlier.count(f">{MARKER}<span") == 7  # one outcome per objective, none in the seeds
    current = page(client, reverse("plan-overview", args=[demo.slug]))
    outcomes = re.findall(r'<h4 class="govuk-heading-s[^"]*">(.*?)</h4>', current, re.S)
    assert outcomes and not [o for o in outcomes if MARKER in o]  # the 2016-19 outcomes are 000's words


def test_funding_and_delivery_pages_mark_made_up_amounts_and_dates(demo, users, client_for):
    client = client_for(users["administrator"])
    projects = {p.name: p for p in Project.objects.filter(partnership=demo.partnership)}
    made_up = next(p for p in projects.values() if p.illustrative)
    html = page(client, reverse("funding-project", args=[made_up.pk]))
    assert MARKER in summary_row(html, "Amount from the fund")
    safer_homes = page(client, reverse("funding-project", args=[projects["Safer Homes"].pk]))
    assert MARKER not in summary_row(safer_homes, "Amount from the fund")  # £500,000 (002 paragraph 7)
    assert MARKER in summary_row(safer_homes, "Fund")  # the seeds do not name the department
    overview = page(client, reverse("funding-overview"))
    assert MARKER in table_row(overview, "Anti-Social Behaviour Officers")
    action = DetailedAction.objects.filter(illustrative=True).order_by("pk").first()
    html = page(client, reverse("delivery-action", args=[action.pk]))
    assert MARKER in summary_row(html, "Dates") and MARKER in summary_row(html, "Lead")
    assert MARKER in page(client, reverse("delivery-plan"))


def test_a_value_a_person_sets_is_no_longer_assumed(demo, users, client_for):
    client = client_for(users["administrator"])
    action = StrategicAction.objects.live().filter(outcome__objective__plan=demo).order_by("pk").first()
    assert set(assumptions_for([action])) == {(action.pk, "owner_group")}
    url = reverse("action-edit", args=[action.pk])
    same = {"text": action.text, "owner_group": action.owner_group_id, "target_date": "31/03/2018"}
    assert client.post(url, same).status_code == 302
    # saved without changing the owner: the owner is still the demo's assumption
    assert set(assumptions_for([action])) == {(action.pk, "owner_group")}
    other = (
        Group.objects.live().filter(partnership=demo.partnership).exclude(pk=action.owner_group_id).first()
    )
    assert client.post(url, {**same, "owner_group": other.pk}).status_code == 302
    assert not assumptions_for([action])  # a person chose the owner
    html = page(client, reverse("action-detail", args=[action.pk]))
    assert other.name in summary_row(html, "Owner group") and MARKER not in html
