"""The ASB Case Review pages (saferplan.web.views.casework_review): who may open them, what they show, that every
view and change is logged, and that no input to the forms gives a server error or writes half a record."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferplan.accounts.models import User
from saferplan.casework.models import AccessLog, CaseReview, Incident, IncidentPerson, Person
from tests.casework.factories import DCC, POLICE, caseload, org


@pytest.fixture
def load(demo, users):
    return caseload(demo.partnership, users["caseworker"], prefix="TCRP")


def _incidents(load, worker, dates):
    for i, (occurred, reported) in enumerate(dates):
        found = Incident.objects.create(
            partnership=load.review.partnership,
            reference=f"TCRP-X-{i}",
            organisation=org(DCC),
            category=Incident.Category.PERSONAL,
            occurred_on=occurred,
            reported_on=reported,
            created_by=worker,
        )
        IncidentPerson.objects.create(incident=found, person=load.person, role=IncidentPerson.Role.VICTIM)


PAGES = ["casework-review", "casework-review-decide", "casework-review-record", "casework-review-appeal"]


def test_caseworker_opens_every_page_and_each_view_is_logged(client, users, load):
    client.force_login(users["caseworker"])
    for name in PAGES:
        before = AccessLog.objects.filter(reference=load.review.reference, action="view").count()
        response = client.get(reverse(name, args=[load.review.reference]))
        assert response.status_code == 200, name
        after = AccessLog.objects.filter(reference=load.review.reference, action="view").count()
        assert after == before + 1, name
    for name in ["casework-review-list", "casework-review-create", "casework-review-figures"]:
        assert client.get(reverse(name)).status_code == 200, name


def test_other_agency_and_other_roles_are_refused(client, users, load):
    police = User.objects.create_user(
        username="tcrp-police", password="a-long-test-password", role="caseworker", organisation=org(POLICE)
    )
    others = [police] + [u for role, u in users.items() if role != "caseworker"]
    for user in others:
        client.force_login(user)
        for name in PAGES:
            assert client.get(reverse(name, args=[load.review.reference])).status_code == 403, (user, name)
            assert client.post(reverse(name, args=[load.review.reference]), {}).status_code == 403, (
                user,
                name,
            )
        if user is not police:
            for name in ["casework-review-list", "casework-review-create"]:
                assert client.get(reverse(name)).status_code == 403, (user, name)
        assert client.get(reverse("casework-review-figures")).status_code == 200, user
    refused = AccessLog.objects.filter(reference=load.review.reference, action="refused", user=police)
    assert refused.exists()
    client.force_login(police)  # the other agency's list does not show this agency's applications
    assert load.review.reference not in client.get(reverse("casework-review-list")).content.decode()


def test_detail_shows_which_incidents_qualify_and_why(client, users, load):
    _incidents(
        load,
        users["caseworker"],
        [(date(2015, 6, 1), date(2015, 7, 11)), (date(2015, 7, 1), date(2015, 7, 2))],
    )
    client.force_login(users["caseworker"])
    html = client.get(reverse("casework-review", args=[load.review.reference])).content.decode()
    assert "Reported 40 days after the behaviour: more than one month" in html
    assert "TCRP-X-1" in html and "TCRP-INC-1" in html
    assert "2 qualifying complaints in the six months before 1 August 2015; the threshold is 3" in html
    assert "Test Person TCRP" in html


def test_decide_record_and_appeal_through_the_pages(client, users, load):
    _incidents(load, users["caseworker"], [(date(2015, 7, d), date(2015, 7, d + 1)) for d in (3,)])
    client.force_login(users["caseworker"])
    ref = load.review.reference
    decide = reverse("casework-review-decide", args=[ref])
    refused = client.post(
        decide, {"decision": "met", "decided_on_0": "5", "decided_on_1": "8", "decided_on_2": "2015"}
    )
    assert refused.status_code == 400
    assert "Give the reason for going ahead below the threshold" in refused.content.decode()
    assert CaseReview.objects.get(pk=load.review.pk).decision == "pending"
    ok = client.post(
        decide,
        {
            "decision": "met",
            "decided_on_0": "5",
            "decided_on_1": "8",
            "decided_on_2": "2015",
            "discretion": "Escalating behaviour",
        },
    )
    assert ok.status_code == 302
    record = reverse("casework-review-record", args=[ref])
    early = client.post(record, {"held_on_0": "1", "held_on_1": "7", "held_on_2": "2015"})
    assert early.status_code == 400
    assert "must be on or after the application, 1 August 2015" in early.content.decode()
    assert (
        client.post(
            record, {"held_on_0": "1", "held_on_1": "9", "held_on_2": "2015", "recommendations": "Visit"}
        ).status_code
        == 302
    )
    appeal = reverse("casework-review-appeal", args=[ref])
    assert (
        client.post(
            appeal, {"requested_on_0": "9", "requested_on_1": "9", "requested_on_2": "2015"}
        ).status_code
        == 302
    )
    review = CaseReview.objects.get(pk=load.review.pk)
    assert (review.decision, review.review_held_on, review.appeal_requested_on) == (
        "met",
        date(2015, 9, 1),
        date(2015, 9, 9),
    )
    changes = AccessLog.objects.filter(reference=ref, action="change").count()
    assert changes == 3


def test_create_then_the_list_shows_it_without_names(client, users, demo):
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("casework-review-create"),
        {
            "applicant_name": "Brand New Applicant",
            "applied_on_0": "3",
            "applied_on_1": "2",
            "applied_on_2": "2016",
            "behaviour": "Shouting (made up)",
        },
    )
    assert response.status_code == 302
    review = CaseReview.objects.get(applicant__name="Brand New Applicant")
    assert response["Location"] == reverse("casework-review", args=[review.reference])
    html = client.get(reverse("casework-review-list")).content.decode()
    assert review.reference in html and "Brand New Applicant" not in html


def test_figures_page_and_downloads(client, users, load):
    CaseReview.objects.filter(pk=load.review.pk).update(
        decision="met", decided_on=date(2015, 8, 3), review_held_on=date(2015, 8, 20), recommendations="Yes"
    )
    client.force_login(users["viewer"])
    html = client.get(reverse("casework-review-figures")).content.decode()
    assert "2015/16" in html and "Test Person" not in html
    response = client.get(reverse("casework-review-figures"), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == [
        "Financial year",
        "Applications received",
        "Applications where the threshold was not met",
        "Reviews carried out",
        "Reviews that resulted in recommendations",
    ]
    year = next(r for r in rows if r[0] == "2015/16")
    assert int(year[1]) >= 1 and int(year[3]) >= 1 and int(year[4]) >= 1
    xlsx = client.get(reverse("casework-review-figures"), {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


TEXT = st.text(max_size=30)
DAY = st.one_of(st.just(""), st.integers(-5, 40).map(str), TEXT)
MONTH = st.one_of(st.just(""), st.integers(0, 14).map(str), TEXT)
YEAR = st.one_of(st.just(""), st.sampled_from(["2015", "2016", "1990", "2999", "15", "99999"]), TEXT)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    day=DAY,
    month=MONTH,
    year=YEAR,
    behaviour=st.one_of(TEXT, st.just("Noise")),
    name=st.one_of(TEXT, st.just("Fuzzed Person")),
    applicant=st.one_of(st.just(""), st.just("999999"), TEXT),
    decision=st.one_of(st.sampled_from(["met", "not_met", "pending", ""]), TEXT),
    discretion=st.one_of(st.just(""), TEXT),
)
def test_forms_never_fail_and_never_half_write(
    client, users, load, day, month, year, behaviour, name, applicant, decision, discretion
):
    client.force_login(users["caseworker"])
    before = (
        CaseReview.objects.count(),
        Person.objects.count(),
        AccessLog.objects.filter(action="create").count(),
    )
    response = client.post(
        reverse("casework-review-create"),
        {
            "applicant": applicant,
            "applicant_name": name,
            "applied_on_0": day,
            "applied_on_1": month,
            "applied_on_2": year,
            "behaviour": behaviour,
        },
    )
    assert response.status_code in (302, 400)
    after = (
        CaseReview.objects.count(),
        Person.objects.count(),
        AccessLog.objects.filter(action="create").count(),
    )
    if response.status_code == 400:
        assert after == before
        assert "govuk-error-summary" in response.content.decode()
    else:
        assert after == (before[0] + 1, before[1] + 1, before[2] + 2)
    review = CaseReview.objects.get(pk=load.review.pk)
    response = client.post(
        reverse("casework-review-decide", args=[review.reference]),
        {
            "decision": decision,
            "decided_on_0": day,
            "decided_on_1": month,
            "decided_on_2": year,
            "discretion": discretion,
        },
    )
    assert response.status_code in (302, 400)
    again = CaseReview.objects.get(pk=load.review.pk)
    if response.status_code == 400:
        assert (again.decision, again.decided_on, again.decision_reason) == (
            review.decision,
            review.decided_on,
            review.decision_reason,
        )
    else:
        assert again.decision in ("met", "not_met") and again.decided_on >= again.applied_on
