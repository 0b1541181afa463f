"""Forms: GOV.UK validation messages, writes recorded with who and what, archive instead of delete."""

from django.urls import reverse

from saferplan.plans.models import Indicator, Objective, Outcome, StrategicAction


def test_bad_action_input_gets_error_summary_and_changes_nothing(users, demo, client):
    action = StrategicAction.objects.filter(
        outcome__objective__number=1, outcome__objective__plan=demo
    ).first()
    original = action.text
    client.force_login(users["group_lead"])
    response = client.post(
        reverse("action-edit", args=[action.pk]), {"text": "", "target_date": "31/02/2017"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_text">Enter the strategic action</a>' in html
    assert "Target date must be a real date, for example 31/03/2017" in html
    assert "govuk-textarea--error" in html
    assert "<title>Error: " in html
    action.refresh_from_db()
    assert action.text == original


def test_edit_is_recorded_with_who_and_what(users, demo, client):
    action = StrategicAction.objects.filter(
        outcome__objective__number=1, outcome__objective__plan=demo
    ).first()
    lead = users["group_lead"]
    lead.first_name, lead.last_name = "Grace", "Lead"
    lead.save()
    client.force_login(lead)
    response = client.post(
        reverse("action-edit", args=[action.pk]),
        {"text": "Run a summer campaign", "owner_group": action.owner_group_id, "target_date": "31/03/2017"},
    )
    assert response.status_code == 302 and response.url == action.get_absolute_url()
    action.refresh_from_db()
    assert (action.text, action.target_date.isoformat(), action.modified_by) == (
        "Run a summer campaign",
        "2017-03-31",
        lead,
    )
    latest = action.history.first()
    assert latest.history_user == lead and latest.history_type == "~"
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Grace Lead" in page and "Run a summer campaign" in page and "Strategic action saved" in page


def test_create_and_archive_objective_outcome_action_indicator(users, demo, client):
    client.force_login(users["administrator"])
    response = client.post(reverse("objective-create", args=[demo.slug]), {"title": "Tackle rural crime"})
    objective = Objective.objects.get(plan=demo, title="Tackle rural crime")
    assert (
        response.status_code == 302
        and objective.number == 8
        and objective.created_by == users["administrator"]
    )
    client.post(reverse("outcome-create", args=[objective.pk]), {"title": "Fewer farm thefts"})
    outcome = Outcome.objects.get(objective=objective)
    assert outcome.reference == "8.1"
    client.post(reverse("action-create", args=[outcome.pk]), {"text": "Farm watch scheme", "target_date": ""})
    action = StrategicAction.objects.get(outcome=outcome)
    assert action.target_date is None
    client.post(reverse("objective-archive", args=[objective.pk]))
    objective.refresh_from_db()
    outcome.refresh_from_db()
    action.refresh_from_db()
    assert objective.is_archived and outcome.is_archived and action.is_archived
    assert "Tackle rural crime" not in client.get(reverse("plan-overview", args=[demo.slug])).content.decode()
    # archived records keep their page and history but can no longer be edited
    assert client.get(objective.get_absolute_url()).status_code == 200
    assert client.get(reverse("objective-edit", args=[objective.pk])).status_code == 403

    client.force_login(users["analyst"])
    response = client.post(
        reverse("indicator-create"),
        {
            "name": "Rural crime incidents",
            "unit": "count",
            "polarity": "lower_is_better",
            "frequency": "monthly",
            "period_basis": "financial",
            "key_crime": "False",
            "objectives": [Objective.objects.get(plan=demo, number=1).pk],
        },
    )
    indicator = Indicator.objects.get(name="Rural crime incidents")
    assert response.status_code == 302 and list(indicator.objectives.values_list("number", flat=True)) == [1]
    bad = client.post(reverse("indicator-edit", args=[indicator.pk]), {"name": "", "unit": "furlongs"})
    assert bad.status_code == 400
    assert "Enter the name of the indicator" in bad.content.decode()
    assert "Select a valid choice" in bad.content.decode()


def test_search_finds_plan_content(users, demo, client):
    client.force_login(users["viewer"])
    html = client.get(reverse("search"), {"q": "hate crime"}).content.decode()
    assert "Reduce the impact of hate crime" in html
    assert "Number of hate motivated incidents reported" not in html or "Indicators" in html
    empty = client.get(reverse("search"), {"q": "zzzz-nothing"}).content.decode()
    assert "0 results" in empty


def test_unknown_page_and_bad_ids_are_styled_404s(users, client):
    client.force_login(users["viewer"])
    for url in [
        "/no-such-page/",
        "/objectives/999999/",
        "/plans/no-such-plan/",
        "/plans/sdp-2016-19/sections/99/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Page not found" in response.content.decode()


def test_server_error_page_is_styled(client, settings):
    from saferplan.web.views.errors import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
