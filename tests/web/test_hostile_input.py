"""No input may produce a server error page: hostile query strings, form posts and ids."""

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferplan.plans.models import Objective, StrategicAction

ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(query=ANY_TEXT)
def test_search_never_fails(users, client, query):
    client.force_login(users["viewer"])
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "There is a problem" in response.content.decode()


@FUZZ
@given(text=ANY_TEXT, date=ANY_TEXT, owner=ANY_TEXT)
def test_action_form_never_fails(users, demo, client, text, date, owner):
    action = StrategicAction.objects.filter(
        outcome__objective__number=1, outcome__objective__plan=demo
    ).first()
    client.force_login(users["administrator"])
    response = client.post(
        reverse("action-edit", args=[action.pk]), {"text": text, "target_date": date, "owner_group": owner}
    )
    assert response.status_code in (302, 400)


@FUZZ
@given(name=ANY_TEXT, unit=ANY_TEXT, objectives=st.lists(ANY_TEXT, max_size=3), key_crime=ANY_TEXT)
def test_indicator_form_never_fails(users, demo, client, name, unit, objectives, key_crime):
    client.force_login(users["analyst"])
    response = client.post(
        reverse("indicator-create"),
        {
            "name": name,
            "unit": unit,
            "polarity": "none",
            "frequency": "annual",
            "objectives": objectives,
            "key_crime": key_crime,
        },
    )
    assert response.status_code in (302, 400)


def test_out_of_range_ids_are_not_found(users, client):
    client.force_login(users["administrator"])
    for url in [
        "/objectives/99999999999999999999999/",
        "/actions/9223372036854775808/edit/",
        "/outcomes/0/",
        "/indicators/18446744073709551616/",
    ]:
        assert client.get(url).status_code == 404, url


def test_post_to_read_only_pages_and_bad_methods(users, demo, client):
    client.force_login(users["administrator"])
    objective = Objective.objects.get(plan=demo, number=1)
    assert client.put(reverse("objective-edit", args=[objective.pk])).status_code == 405
    response = client.post(
        reverse("objective-edit", args=[objective.pk]), "garbage", content_type="application/json"
    )
    assert response.status_code == 200  # no form data: the form is shown again, nothing is saved
    objective.refresh_from_db()
    assert objective.history.count() == 1


REPORT_FUZZ = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@REPORT_FUZZ
@given(period=ANY_TEXT, threshold=ANY_TEXT, benchmarks=ANY_TEXT, fmt=ANY_TEXT)
def test_report_pages_never_fail(users, demo, client, period, threshold, benchmarks, fmt):
    client.force_login(users["analyst"])
    board = client.get(
        reverse("report-board"),
        {"period": period, "threshold": threshold, "benchmarks": benchmarks, "format": fmt},
    )
    assert board.status_code == 200
    for name, query in (
        ("report-delivery", {"as_of": period, "since": threshold}),
        ("report-achievements", {"year": period}),
    ):
        assert client.get(reverse(name), query).status_code in (200, 400), name


@REPORT_FUZZ
@given(
    kind=st.sampled_from(["board", "basket", "delivery", "achievements", "plan"]) | ANY_TEXT, value=ANY_TEXT
)
def test_drafting_a_report_never_fails(users, demo, client, kind, value):
    from saferplan.reports.models import Report

    client.force_login(users["analyst"])
    before = Report.objects.count()
    fields = ("quarter", "basket", "as_of", "since", "year", "threshold", "benchmarks")
    response = client.post(reverse("report-draft"), {"kind": kind, **dict.fromkeys(fields, value)})
    assert response.status_code == 302
    if response.url == reverse("report-list"):  # refused: nothing written, the reason shown
        assert Report.objects.count() == before
