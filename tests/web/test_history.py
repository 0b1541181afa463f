"""Every change that grants or removes rights is in the history (who leads a group, which group leads an
objective, a person's role), and each record's history is on its page for those who may see history
(administrators, analysts, Board members...), never for viewers: detailed actions, escalations, meetings,
commentary, report reviews, groups and objectives. History names things, never raw ids."""

from __future__ import annotations

import copy

import pytest
from django.forms import MultiWidget
from django.urls import reverse

from saferplan.accounts.models import User
from saferplan.areas.models import Area
from saferplan.delivery import services as delivery_services
from saferplan.delivery.models import AgendaItem, DetailedAction, Escalation, Meeting, MeetingAction
from saferplan.indicators.models import Observation
from saferplan.indicators.periods import Period
from saferplan.indicators.services import commentary_record
from saferplan.plans.models import Group, Indicator, Objective, ObjectiveGroup
from saferplan.plans.plan_yaml import dump_yaml, export_plan, import_plan_text
from saferplan.plans.refresh import plan_refresh
from saferplan.plans.services import indicator_update
from saferplan.reports import services as report_services

SEE_HISTORY = ["administrator", "analyst", "board_member"]


@pytest.fixture
def root(db) -> User:
    """A superuser: Django admin is for superusers only."""
    return User.objects.create_superuser(
        username="root", password="a-long-test-password", role=User.Role.ADMINISTRATOR, first_name="Ruth"
    )


def admin_form_data(response) -> dict:
    """What the admin change form would post back unchanged, to change one field of."""
    form = response.context["adminform"].form
    data = {"_save": "Save"}
    for name, field in form.fields.items():
        value = field.prepare_value(form[name].value())
        if isinstance(field.widget, MultiWidget):
            for i, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        elif value is not None:
            data[name] = str(value)
    return data


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def history_on(client, user, url) -> list:
    """The history the page shows `user` (it must show one)."""
    response = page(client, user, url)
    assert (
        response.status_code == 200
        and b'<h2 class="govuk-heading-m" id="history">History</h2>' in response.content
    )
    return response.context["history"]


def changes(entries, field: str) -> list:
    """The changes of `field` in the entries (newest first), with the entry each is in."""
    return [(e, c) for e in entries for c in e.changes if c.field == field]


def assert_history_hidden_from_viewer(client, users, url, text: str) -> None:
    response = page(client, users["viewer"], url)
    assert response.status_code in (200, 403)
    assert response.context is None or response.context.get("history") is None
    assert b'id="history"' not in response.content
    assert text.encode() not in response.content


# ----------------------------------------------------------------------------------- who leads a group


def test_adding_and_removing_a_group_lead_in_the_admin_is_in_the_group_history(demo, users, root, client):
    group = Group.objects.get(partnership=demo.partnership, slug="anti-social-behaviour-group")
    new_lead = User.objects.create_user(username="gl2", first_name="Gwen", last_name="Second")
    url = reverse("admin:plans_group_change", args=[group.pk])

    client.force_login(root)
    data = admin_form_data(client.get(url))
    data["leads"] = [*data.get("leads", []), str(new_lead.pk)]
    assert client.post(url, data).status_code == 302
    assert new_lead in group.leads.all()
    added = group.history.order_by("-history_date", "-history_id").first()
    assert added.history_user == root and added.history_type == "~"
    assert set(added.leads.values_list("user_id", flat=True)) == {users["group_lead"].pk, new_lead.pk}

    data = admin_form_data(client.get(url))
    data["leads"] = [pk for pk in data["leads"] if pk != str(users["group_lead"].pk)]
    assert client.post(url, data).status_code == 302
    assert list(group.leads.all()) == [new_lead]

    for role in SEE_HISTORY:
        leads = changes(history_on(client, users[role], group.get_absolute_url()), "Group leads")
        response = client.get(group.get_absolute_url())
        (removed_in, removed), (added_in, add) = leads[:2]
        assert removed.removed == [str(users["group_lead"])] and not removed.added
        assert add.added == ["Gwen Second"] and not add.removed
        assert removed_in.who == added_in.who == "Ruth"
        assert "Group leads</strong>: added “Gwen Second”" in response.content.decode()
    assert_history_hidden_from_viewer(client, users, group.get_absolute_url(), "Gwen Second”")


def test_the_demo_records_the_leads_it_appoints_and_running_again_adds_nothing(demo):
    from io import StringIO

    from saferplan.plans.management.commands.demo import Command

    Command(stdout=StringIO()).create_users(demo)
    group = Group.objects.get(partnership=demo.partnership, slug="anti-social-behaviour-group")
    asb_lead = User.objects.get(username="asb-lead")
    assert any(asb_lead.pk in set(r.leads.values_list("user_id", flat=True)) for r in group.history.all()), (
        "appointing the demo lead is in the group's history"
    )
    counts = (Group.history.count(), User.history.count())
    Command(stdout=StringIO()).create_users(demo)
    assert (Group.history.count(), User.history.count()) == counts


# ------------------------------------------------------------------------- which group leads an objective


def test_changing_the_lead_group_of_an_objective_is_in_its_history(demo, users, client):
    data = export_plan(demo)
    objective = Objective.objects.get(plan=demo, number=1)
    before = list(objective.group_roles.order_by("order").values_list("group__slug", "role"))
    other = Group.objects.filter(partnership=demo.partnership, kind="thematic").exclude(
        slug__in=[slug for slug, _ in before]
    )[0]
    changed = copy.deepcopy(data)
    first = next(o for o in changed["plan"]["objectives"] if o["number"] == 1)
    first["groups"] = [{"group": other.slug, "role": "lead"}] + [
        {"group": slug, "role": "supporting"} for slug, _ in before
    ]
    admin = users["administrator"]
    import_plan_text(dump_yaml(changed), user=admin)

    records = ObjectiveGroup.history.filter(objective_id=objective.pk, history_user=admin)
    assert records.filter(history_type="+", group_id=other.pk, role="lead").exists()
    was_lead = [slug for slug, role in before if role == "lead"]
    assert records.filter(history_type="~", group__slug__in=was_lead, role="supporting").exists()

    counted = ObjectiveGroup.history.count()
    import_plan_text(dump_yaml(changed), user=admin)
    assert ObjectiveGroup.history.count() == counted, "importing the same file again records nothing"

    for role in SEE_HISTORY:
        entries = history_on(client, users[role], objective.get_absolute_url())
        facilitated = changes(entries, "Facilitated by")
        assert any(c.new == f"{other.name} (lead)" and e.who == str(admin) for e, c in facilitated)
        role_changes = [c for e in entries for c in e.changes if c.field.endswith(": Role")]
        assert any(c.old == "Lead" and c.new == "Supporting" for c in role_changes)
    assert_history_hidden_from_viewer(client, users, objective.get_absolute_url(), f"{other.name} (lead)")


def test_a_plan_refresh_records_the_groups_of_each_new_objective_with_who_refreshed(demo, users, client):
    admin = users["administrator"]
    new = plan_refresh(plan=demo, user=admin)
    objective = Objective.objects.get(plan=new, number=1)
    lead = objective.group_roles.get(role="lead")
    assert ObjectiveGroup.history.filter(
        objective_id=objective.pk, group_id=lead.group_id, history_type="+", history_user=admin
    ).exists()
    entries = history_on(client, users["board_member"], objective.get_absolute_url())
    assert any(
        c.new == f"{lead.group.name} (lead)" and e.who == str(admin)
        for e, c in changes(entries, "Facilitated by")
    )


# -------------------------------------------------------------------------------------- a person's role


def test_a_role_change_in_the_admin_is_in_the_users_history_with_the_administrator(users, root, client):
    person = users["viewer"]
    url = reverse("admin:accounts_user_change", args=[person.pk])
    client.force_login(root)
    data = admin_form_data(client.get(url))
    data["role"] = User.Role.ANALYST
    assert client.post(url, data).status_code == 302

    latest, previous = person.history.order_by("-history_date", "-history_id")[:2]
    assert (latest.role, latest.history_user) == (User.Role.ANALYST, root)
    assert previous.role == User.Role.VIEWER
    assert not hasattr(latest, "password") and not hasattr(latest, "last_login")
    history_page = client.get(reverse("admin:accounts_user_history", args=[person.pk]))
    assert history_page.status_code == 200 and b"Ruth" in history_page.content

    counted = person.history.count()
    client.force_login(person)  # signing in saves last_login only: no history record
    assert person.history.count() == counted


# ------------------------------------------------------------------ detailed actions, escalations, meetings


def test_a_detailed_action_shows_its_changes_and_milestones(demo, users, client):
    lead = users["group_lead"]
    action = DetailedAction.objects.filter(
        owner_group__slug="anti-social-behaviour-group", strategic_action__outcome__objective__plan=demo
    ).first()
    old = action.description
    delivery_services.detailed_action_save(action=action, user=lead, description="Run two street surgeries")
    client.force_login(lead)
    response = client.post(action.get_absolute_url(), {"milestone": "First surgery held"})
    assert response.status_code == 302

    for role in SEE_HISTORY:
        entries = history_on(client, users[role], action.get_absolute_url())
        (entry, change), *_ = changes(entries, "Description")
        assert (change.old, change.new, entry.who) == (old, "Run two street surgeries", str(lead))
        assert any(c.new == "First surgery held" for _, c in changes(entries, "Milestones"))
    assert_history_hidden_from_viewer(client, users, action.get_absolute_url(), "First surgery held”")


def test_an_escalation_shows_its_decision_in_its_history(demo, users, client):
    lead, admin = users["group_lead"], users["administrator"]
    group = Group.objects.get(partnership=demo.partnership, slug="anti-social-behaviour-group")
    escalation = delivery_services.escalation_raise(
        from_group=group,
        user=lead,
        about="risk",
        title="Funding ends",
        why="Grant ends in March",
        ask="Extend",
    )
    strategic = DetailedAction.objects.filter(owner_group=group).first().strategic_action
    client.force_login(admin)
    response = client.post(
        escalation.get_absolute_url(),
        {
            "decision": "Extended for a year",
            "new_action": "Find a new grant",
            "strategic_action": strategic.pk,
            "owner_group": group.pk,
        },
    )
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.state == Escalation.State.CLOSED

    for role in SEE_HISTORY:
        entries = history_on(client, users[role], escalation.get_absolute_url())
        (entry, state), *_ = changes(entries, "State")
        assert (state.old, state.new, entry.who) == ("Open", "Closed", str(admin))
        assert changes(entries, "Decision")[0][1].new == "Extended for a year"
        assert changes(entries, "Decided by")[0][1].new == str(admin)
        assert changes(entries, "New actions")[0][1].added == ["Find a new grant"]
    assert_history_hidden_from_viewer(client, users, escalation.get_absolute_url(), "Extended for a year")


def test_a_meeting_shows_its_agenda_items_and_actions_in_its_history(demo, users, client):
    admin = users["administrator"]
    meeting = Meeting.objects.first()
    delivery_services.meeting_record_add(
        record=AgendaItem(meeting=meeting, title="Summer ASB plan", kind="other"), user=admin
    )
    arising = delivery_services.meeting_record_add(
        record=MeetingAction(meeting=meeting, description="Write to the PCC"), user=admin
    )
    arising.done = True
    delivery_services.meeting_record_add(record=arising, user=users["board_member"])

    for role in SEE_HISTORY:
        entries = history_on(client, users[role], meeting.get_absolute_url())
        assert any(c.new == "Summer ASB plan" for _, c in changes(entries, "Agenda items"))
        assert any(c.new == "Write to the PCC" for _, c in changes(entries, "Actions arising"))
        (entry, done), *_ = changes(entries, "Actions arising, “Write to the PCC”: Done")
        assert (done.old, done.new, entry.who) == ("No", "Yes", str(users["board_member"]))
    assert_history_hidden_from_viewer(client, users, meeting.get_absolute_url(), "Summer ASB plan")


# ------------------------------------------------------------------------------------------- commentary


def test_commentary_shows_its_author_and_its_history(demo, users, client):
    indicator = Indicator.objects.get(partnership=demo.partnership, slug="asb-incidents-police")
    area = Area.objects.get(partnership=demo.partnership, kind=Area.Kind.PARTNERSHIP)
    period = Period.from_code(
        Observation.objects.filter(indicator=indicator, area=area, headline=True).latest("period_end").period
    )
    author, editor = users["data_provider"], users["analyst"]
    commentary_record(
        indicator=indicator, area=area, period=period, text="Down after the summer", user=author
    )
    commentary_record(
        indicator=indicator, area=area, period=period, text="Down after the summer campaign", user=editor
    )
    url = reverse("indicator-performance", args=[indicator.pk]) + f"?area={area.code}"

    for role in [*SEE_HISTORY, "viewer"]:
        response = page(client, users[role], url)
        html = response.content.decode()
        assert f"By {author}, " in html and f"Last changed by {editor}, " in html
        (_, commentary, history) = next(
            item
            for item in response.context["commentaries"]
            if item[1].text == "Down after the summer campaign"
        )
        if role == "viewer":
            assert history is None
            assert f'id="commentary-history-{commentary.pk}"' not in html
            assert "Down after the summer”" not in html
        else:
            (entry, text), *_ = changes(history, "Text")
            assert (text.old, text.new, entry.who) == (
                "Down after the summer",
                "Down after the summer campaign",
                str(editor),
            )
            assert f'id="commentary-history-{commentary.pk}"' in html


# --------------------------------------------------------------------------------------- report reviews


def test_a_reports_review_is_in_its_history(demo, users, client):
    analyst, board, admin = users["analyst"], users["board_member"], users["administrator"]
    report = report_services.draft_report(analyst, demo, "achievements", {"year": "2015/16"})
    report_services.send_for_review(analyst, report)
    report_services.return_to_draft(board, report, "Add the Q4 figures")
    report_services.send_for_review(analyst, report)
    report_services.publish(admin, report)
    url = reverse("report-detail", args=[report.pk])

    for role in SEE_HISTORY:
        entries = history_on(client, users[role], url)
        states = [(c.old, c.new, e.who) for e, c in changes(entries, "State")]
        assert states == [  # newest first
            ("In review", "Published", str(admin)),
            ("Draft", "In review", str(analyst)),
            ("In review", "Draft", str(board)),
            ("Draft", "In review", str(analyst)),
        ]
        assert [(e.action, e.who) for e in entries][-1] == ("Created", str(analyst))
        assert changes(entries, "Review note")[0][1].new == "Add the Q4 figures"
        assert changes(entries, "Published by")[0][1].new == str(admin)
    assert_history_hidden_from_viewer(client, users, url, "Add the Q4 figures”")


# ------------------------------------------------------------------------------------ readable history


def test_history_names_related_records_never_raw_ids(demo, users, client):
    indicator = Indicator.objects.get(partnership=demo.partnership, slug="asb-incidents-police")
    extra = Objective.objects.filter(plan=demo).exclude(pk__in=indicator.objectives.all()).first()
    indicator_update(
        indicator=indicator, user=users["analyst"], objectives=[*indicator.objectives.all(), extra]
    )
    (entry, linked), *_ = changes(
        history_on(client, users["analyst"], indicator.get_absolute_url()), "Objectives"
    )
    response = client.get(indicator.get_absolute_url())
    assert linked.added == [str(extra)] and entry.who == str(users["analyst"])
    html = response.content.decode()
    assert "[{" not in html and "'objective'" not in html and "&#x27;objective&#x27;" not in html


def test_the_admin_history_page_words_changes_never_raw_ids(demo, users, root, client):
    indicator = Indicator.objects.get(partnership=demo.partnership, slug="asb-incidents-police")
    extra = Objective.objects.filter(plan=demo).exclude(pk__in=indicator.objectives.all()).first()
    indicator_update(
        indicator=indicator, user=users["analyst"], objectives=[*indicator.objectives.all(), extra]
    )
    client.force_login(root)
    response = client.get(reverse("admin:plans_indicator_history", args=[indicator.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"added “{extra}”" in html.replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert "[{" not in html and "&#x27;objective&#x27;" not in html and "'objective'" not in html


def test_synonyms_the_partnership_maintains_keep_their_history(root, client, db):
    from saferplan.plans.models import SearchSynonym

    client.force_login(root)
    add = reverse("admin:plans_searchsynonym_add")
    assert client.post(add, {"term": "PSPO", "meaning": "Public Spaces Protection Order"}).status_code == 302
    synonym = SearchSynonym.objects.get(term="PSPO")
    change = reverse("admin:plans_searchsynonym_change", args=[synonym.pk])
    assert (
        client.post(change, {"term": "PSPO", "meaning": "public spaces protection order"}).status_code == 302
    )
    html = client.get(reverse("admin:plans_searchsynonym_history", args=[synonym.pk])).content.decode()
    assert "Public Spaces Protection Order" in html and "public spaces protection order" in html
    assert synonym.history.count() == 2
