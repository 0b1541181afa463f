"""The start page ("/"): what needs each person now, by role, from the demo. The expected items are worked out
here from the models (and the data-return rule of indicators.data_returns.due_figures), not from the page's own
selectors; each item links to where it is done; a viewer is never shown a link they may not follow."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from saferplan.accounts.models import Organisation
from saferplan.areas.models import Area
from saferplan.core.formatting import figure
from saferplan.delivery.models import DetailedAction, Escalation, ProgressUpdate, Status
from saferplan.indicators.data_returns import due_figures
from saferplan.indicators.models import Observation
from saferplan.indicators.selectors import assess_indicators, default_period
from saferplan.plans.models import Group, Indicator
from saferplan.reports.board import board_report
from saferplan.reports.models import Report

ASB = "anti-social-behaviour-group"


def page(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def section(content: str, key: str) -> str:
    """The HTML of one section of the start page (fails when the page has no such section)."""
    match = re.search(rf'<section[^>]*id="{key}".*?</section>', content, re.S)
    assert match, f"no section {key}"
    return match.group(0)


def heading(part: str) -> str:
    return html.unescape(re.search(r"<h2[^>]*>(.*?)</h2>", part, re.S).group(1))


def links(part: str) -> dict[str, str]:
    """Link text → href."""
    return {
        html.unescape(re.sub(r"<[^>]+>", "", text)).strip(): html.unescape(href)
        for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', part, re.S)
    }


def latest_status(action: DetailedAction) -> str:
    update = ProgressUpdate.objects.filter(action=action).order_by("-date", "-pk").first()
    return update.status if update else Status.NOT_STARTED


def open_actions(group_slugs=None):
    """Live detailed actions of the demo plan not complete and with a target date, with their status."""
    actions = DetailedAction.objects.live().filter(
        target_date__isnull=False, strategic_action__archived_at__isnull=True
    )
    if group_slugs is not None:
        actions = actions.filter(owner_group__slug__in=group_slugs)
    return [(a, s) for a in actions if (s := latest_status(a)) != Status.COMPLETE]


def area(demo) -> Area:
    return Area.objects.get(partnership=demo.partnership, kind=Area.Kind.PARTNERSHIP)


@pytest.mark.django_db
def test_group_lead_sees_their_groups_overdue_and_due_soon_actions_and_escalations(users, demo, client):
    today = date.today()
    other = DetailedAction.objects.live().exclude(owner_group__slug=ASB).first()
    soon = DetailedAction.objects.filter(owner_group__slug=ASB).last()
    soon.target_date = today + timedelta(days=10)
    soon.start_date = None
    soon.save()
    lead_group = Group.objects.get(slug=ASB)
    board = Group.objects.get(partnership=demo.partnership, kind="board")
    to_decide = Escalation.objects.create(
        from_group=other.owner_group,
        to_group=lead_group,
        about="risk",
        title="Cover for the neighbourhood wardens",
        why="w",
        ask="a",
        raised_on=today,
    )
    Escalation.objects.create(
        from_group=other.owner_group, to_group=board, about="risk", title="Not theirs", why="w", ask="a",
        raised_on=today,
    )  # fmt: skip
    content = page(client, users["group_lead"])

    overdue = [a for a, _ in open_actions([ASB]) if a.target_date < today]
    assert overdue, "the demo has overdue actions for the group"
    part = section(content, "overdue-actions")
    assert heading(part) == f"{len(overdue)} overdue action{'s' if len(overdue) != 1 else ''}"
    shown = links(part)
    for action in overdue[:10]:
        assert shown[action.description] == reverse("delivery-action", args=[action.pk])
    assert other.description not in shown
    more = shown["See the overdue actions in the delivery plan"]
    assert more == reverse("delivery-plan") + f"?group={lead_group.pk}&status=overdue"
    listed = client.get(more).content.decode()
    assert all(reverse("delivery-action", args=[a.pk]) in listed for a in overdue)

    part = section(content, "due-soon-actions")
    assert heading(part) == "1 action due in the next 30 days"
    assert links(part)[soon.description] == reverse("delivery-action", args=[soon.pk])

    part = section(content, "escalations-to-decide")
    assert heading(part) == "1 escalation to decide"
    assert links(part)[to_decide.title] == reverse("escalation-detail", args=[to_decide.pk])
    raised = Escalation.objects.filter(from_group=lead_group, state="open")
    part = section(content, "escalations-raised")
    assert set(raised.values_list("title", flat=True)) <= set(links(part))
    assert "Not theirs" not in content


@pytest.mark.django_db
def test_group_lead_with_nothing_due_is_told_so_in_words(users, demo, client):
    DetailedAction.objects.filter(owner_group__slug=ASB).update(target_date=None)
    Escalation.objects.all().delete()
    content = page(client, users["group_lead"])
    assert heading(section(content, "overdue-actions")) == "No overdue actions"
    assert "No action is past its target date." in section(content, "overdue-actions")
    assert "No escalation is waiting for your decision." in section(content, "escalations-to-decide")


@pytest.mark.django_db
def test_data_provider_sees_their_organisations_overdue_figures(users, demo, client):
    organisation = users["data_provider"].organisation
    owed = [
        f
        for f in due_figures(organisation=organisation, plan=demo, area=area(demo))
        if not f.received and f.due < date.today()
    ]
    assert owed
    content = page(client, users["data_provider"])
    part = section(content, "overdue-returns")
    assert heading(part) == f"{len(owed)} overdue figures"
    url = reverse("data-return-detail", args=[organisation.slug])
    shown = {name: href for name, href in links(part).items() if href == url and not name.startswith("Send")}
    names = {f.indicator.name for f in owed}
    assert len(shown) == min(len(names), 10) and set(shown) <= names
    for name in shown:
        count = sum(1 for f in owed if f.indicator.name == name)
        assert f"{count} figure{'s' if count != 1 else ''} overdue" in html.unescape(part)
    if len(names) > 10:
        assert f"And {len(names) - 10} more." in part
    other = Indicator.objects.exclude(source=organisation).filter(source__isnull=False).first()
    assert other.name not in html.unescape(part)


@pytest.mark.django_db
def test_analyst_sees_late_returns_unusual_figures_and_revisions(users, demo, client):
    the_area = area(demo)
    observation = (
        Observation.objects.filter(indicator__partnership=demo.partnership, area=the_area, headline=True)
        .select_related("indicator")
        .first()
    )
    old = observation.value
    observation.value = old + 7
    observation.save()
    content = html.unescape(page(client, users["analyst"]))

    part = section(content, "late-returns")
    total = 0
    for organisation in Organisation.objects.filter(indicators__isnull=False).distinct():
        late = [
            f
            for f in due_figures(organisation=organisation, plan=demo, area=the_area)
            if not f.received and f.due < date.today()
        ]
        total += len(late)
        if late:
            assert links(part)[organisation.name] == reverse("data-return-detail", args=[organisation.slug])
            assert f"{len(late)} figure{'s' if len(late) != 1 else ''} overdue" in part
    assert heading(part) == f"{total} overdue figures"

    quarter = default_period(demo, the_area)
    indicators = list(demo.partnership.indicators.live())
    rows = assess_indicators(indicators, the_area, quarter)
    unusual = [
        i for i in indicators if rows[i.pk].assessment.spc_status not in ("common_cause", "not enough data")
    ]
    assert unusual
    part = section(content, "special-cause")
    assert heading(part).startswith(f"{len(unusual)} indicators")
    shown = links(part)
    for indicator in sorted(unusual, key=lambda i: i.order)[:10]:
        assert shown[indicator.name] == reverse("indicator-performance", args=[indicator.pk])

    part = section(content, "revised")
    assert heading(part) == "1 figure revised in the last 30 days"
    assert reverse("indicator-performance", args=[observation.indicator_id]) in part
    assert observation.indicator.name in part


@pytest.mark.django_db
def test_board_member_sees_open_escalations_exceptions_and_reports_to_review(users, demo, client):
    the_area = area(demo)
    awaiting = Report.objects.create(
        plan=demo,
        kind=Report.Kind.BOARD,
        title="Performance escalation report, Q3 2015/16",
        parameters={"quarter": "2015-Q3"},
        state=Report.State.IN_REVIEW,
        submitted_by=users["analyst"],
        submitted_at=timezone.now(),
    )
    Report.objects.create(
        plan=demo,
        kind=Report.Kind.BOARD,
        title="Sent by the Board member themselves",
        parameters={"quarter": "2015-Q2"},
        state=Report.State.IN_REVIEW,
        submitted_by=users["board_member"],
        submitted_at=timezone.now(),
    )
    content = html.unescape(page(client, users["board_member"]))

    escalations = Escalation.objects.filter(state="open", from_group__partnership=demo.partnership)
    part = section(content, "open-escalations")
    assert heading(part) == f"{escalations.count()} open escalation{'s' if escalations.count() != 1 else ''}"
    for e in escalations:
        assert links(part)[e.title] == reverse("escalation-detail", args=[e.pk])

    quarter = default_period(demo, the_area)
    report = board_report(demo, quarter, area=the_area)
    names = [i.indicator for s in report.sections for i in s.improvements]
    assert names
    part = section(content, "exceptions")
    assert heading(part) == f"{len(names)} areas for improvement in {quarter.label}"
    for name in names[:10]:
        indicator = Indicator.objects.get(partnership=demo.partnership, name=name)
        assert links(part)[name] == reverse("indicator-performance", args=[indicator.pk])

    part = section(content, "reports-in-review")
    assert heading(part) == "1 report awaiting your review"
    assert links(part)[awaiting.title] == reverse("report-detail", args=[awaiting.pk])
    assert "Sent by the Board member themselves" not in part


@pytest.mark.django_db
def test_viewer_sees_the_headline_scorecard_and_only_links_they_may_follow(users, demo, client):
    the_area = area(demo)
    content = page(client, users["viewer"])
    key = list(demo.partnership.indicators.live().filter(key_crime=True).order_by("order"))
    assert key
    part = html.unescape(section(content, "scorecard"))
    assert heading(part) == f"{len(key)} key indicators"
    rows = assess_indicators(key, the_area, default_period(demo, the_area))
    for indicator in key:
        assert links(part)[indicator.name] == reverse("indicator-performance", args=[indicator.pk])
        value = rows[indicator.pk].assessment.value
        assert value is not None
        assert f"{figure(value, indicator.unit)} in {rows[indicator.pk].period.label}" in part
    assert links(part)["See the full scorecard"] == reverse("performance-overview")
    for key_ in ("overdue-actions", "late-returns", "open-escalations", "reports-in-review"):
        assert f'id="{key_}"' not in content
    hrefs = set(re.findall(r'<a [^>]*href="(/[^"#]*)"', content))
    assert len(hrefs) > 5
    for href in sorted(hrefs):
        response = client.get(html.unescape(href), follow=True)
        assert response.status_code == 200, href


@pytest.mark.django_db
def test_administrator_sees_a_summary_of_everything(users, demo, client):
    content = page(client, users["administrator"])
    overdue = [a for a, _ in open_actions() if a.target_date < date.today()]
    assert heading(section(content, "overdue-actions")) == f"{len(overdue)} overdue actions"
    for key in ("open-escalations", "late-returns", "special-cause", "revised", "exceptions", "scorecard"):
        section(content, key)


@pytest.mark.django_db
def test_the_plan_keeps_its_own_page_and_the_menu_points_there(users, demo, client):
    client.force_login(users["viewer"])
    response = client.get("/")
    assert response.status_code == 200
    assert re.search(
        r'<a class="govuk-service-navigation__link" href="/plan/"[^>]*>Plan</a>', response.content.decode()
    )
    response = client.get("/plan/")
    assert response.status_code == 302 and response.url == reverse("plan-overview", args=[demo.slug])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["administrator", "analyst", "group_lead", "data_provider", "board_member"])
def test_start_page_runs_a_fixed_number_of_queries(role, users, demo, client):
    """More overdue actions, escalations, reports in review, revised figures and owed figures: no more queries."""
    client.force_login(users[role])
    client.get("/")  # warm: sessions, content types

    def count() -> int:
        cache.clear()  # the indicators' assessments are cached: count them read afresh each time
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    revised = list(Observation.objects.filter(area=area(demo), headline=True)[:6])
    revised[0].value += 1  # one revision before counting (none reads no earlier values: a query fewer)
    revised[0].save()
    before = count()
    group = Group.objects.get(slug=ASB)
    board = Group.objects.get(partnership=demo.partnership, kind="board")
    template = DetailedAction.objects.filter(owner_group=group).first()
    for i in range(5):
        DetailedAction.objects.create(
            strategic_action=template.strategic_action,
            description=f"Extra overdue action {i}",
            owner_group=group,
            target_date=date.today() - timedelta(days=i + 1),
        )
        Escalation.objects.create(
            from_group=group, to_group=board, about="risk", title=f"Extra {i}", why="w", ask="a",
            raised_on=date.today(),
        )  # fmt: skip
        Report.objects.create(
            plan=demo,
            kind=Report.Kind.BOARD,
            title=f"Extra report {i}",
            parameters={"quarter": "2015-Q3"},
            state=Report.State.IN_REVIEW,
            submitted_by=users["analyst"],
            submitted_at=timezone.now(),
        )
    for observation in revised[1:]:
        observation.value += 1
        observation.save()
    Indicator.objects.filter(pk=Indicator.objects.filter(source__isnull=True).values("pk")[:1]).update(
        source=users["data_provider"].organisation or Organisation.objects.first()
    )
    assert count() == before


@pytest.mark.django_db
def test_reminders_link_to_where_each_is_done(users, demo, client):
    client.force_login(users["group_lead"])
    content = client.get(reverse("my-reminders")).content.decode()
    overdue = [a for a, _ in open_actions([ASB]) if a.target_date < date.today()]
    for action in overdue:
        assert f'href="{reverse("delivery-action", args=[action.pk])}"' in content
    client.force_login(users["data_provider"])
    content = client.get(reverse("my-reminders")).content.decode()
    slug = users["data_provider"].organisation.slug
    assert f'href="{reverse("data-return-detail", args=[slug])}"' in content


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.OFF_TRACK, Status.COMPLETE])
def test_progress_update_form_starts_from_the_current_status(status, users, demo, client):
    action = DetailedAction.objects.filter(owner_group__slug=ASB).first()
    ProgressUpdate.objects.create(action=action, date=date.today(), status=status, text="Latest")
    client.force_login(users["group_lead"])
    content = client.get(reverse("delivery-action", args=[action.pk])).content.decode()
    selected = re.findall(r'<option value="([a-z_]+)"[^>]*selected', content)
    assert selected == [status.value]


@pytest.mark.django_db
def test_progress_update_form_of_an_action_never_updated_starts_not_started(users, demo, client):
    action = DetailedAction.objects.filter(owner_group__slug=ASB).first()
    ProgressUpdate.objects.filter(action=action).delete()
    client.force_login(users["group_lead"])
    content = client.get(reverse("delivery-action", args=[action.pk])).content.decode()
    assert re.findall(r'<option value="([a-z_]+)"[^>]*selected', content) == [Status.NOT_STARTED.value]
