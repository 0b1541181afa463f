"""The MAIS and MARAC pages: by role, logged, refusals in words, restricted cases hidden at meetings, and the DASH
form fuzzed (never a 500; high risk exactly when the rule says)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferplan.accounts.models import User
from saferplan.casework import dash
from saferplan.casework.models import AccessLog, Case, CaseAction, MaracReferral, Person
from tests.casework.factories import caseload, org


def dash_post(values: list[str], **extra) -> dict:
    data = {
        "name": "Synthetic Victim Page",
        "date_of_birth": "02/01/1980",
        "contact": "",
        "referred_on": "01/06/2015",
        "referring_organisation": str(org("durham-constabulary").pk),
        "meeting": "",
        "judgement_reason": "",
    }
    data.update({f"q{n}": v for n, v in enumerate(values, start=1)})
    data.update(extra)
    return data


def other_caseworker(slug="durham-constabulary", name="dmm-police-caseworker") -> User:
    return User.objects.create_user(
        username=name, password="x-long-password", role="caseworker", organisation=org(slug)
    )


@pytest.fixture
def load(demo, users):
    return caseload(demo.partnership, users["caseworker"], prefix="DMM")


def test_pages_by_role(demo, users, client, load):
    pages = [
        reverse("casework-mais-create"),
        reverse("casework-marac-create"),
        reverse("casework-marac-dash", args=[load.marac_case.reference]),
        reverse("casework-marac-meeting-list"),
        reverse("casework-marac-meeting-create"),
        reverse("casework-marac-meeting", args=[load.meeting.pk]),
    ]
    client.force_login(users["caseworker"])
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.count(b"<h1") == 1, url
    for role in ("administrator", "analyst", "viewer"):
        client.force_login(users[role])
        for url in pages:
            assert client.get(url).status_code == 403, (role, url)
    figures = reverse("casework-marac-figures")
    client.force_login(users["analyst"])
    response = client.get(figures)
    assert response.status_code == 200 and b"MARAC and MAIS figures" in response.content
    assert b"Test Person" not in response.content
    csv = client.get(figures + "?format=csv")
    assert csv["Content-Type"].startswith("text/csv") and b"Repeat rate (%)" in csv.content
    assert b"2015/16 Q3" in csv.content and b"Test Person" not in csv.content
    client.force_login(users["viewer"])
    assert client.get(figures).status_code == 403


def test_another_agencys_caseworker_is_refused_a_restricted_marac_case(demo, users, client, load):
    officer = other_caseworker()
    client.force_login(officer)
    url = reverse("casework-marac-dash", args=[load.marac_case.reference])
    assert client.get(url).status_code == 403
    assert client.post(url, dash_post(["yes"] * 24)).status_code == 403
    refused = AccessLog.objects.filter(user=officer, action="refused", reference=load.marac_case.reference)
    assert refused.count() == 2
    assert MaracReferral.objects.get(pk=load.marac_referral.pk).dash_yes == 15


def test_every_view_and_change_is_logged(demo, users, client, load):
    user = users["caseworker"]
    client.force_login(user)
    ref = load.marac_case.reference
    client.get(reverse("casework-marac-dash", args=[ref]))
    assert AccessLog.objects.filter(user=user, action="view", reference=ref).count() == 1
    response = client.post(reverse("casework-marac-dash", args=[ref]), dash_post(["yes"] * 16 + ["no"] * 8))
    assert response.status_code == 302
    assert MaracReferral.objects.get(pk=load.marac_referral.pk).dash_yes == 16
    assert AccessLog.objects.filter(user=user, action="change", reference=ref).count() == 1
    response = client.post(reverse("casework-marac-create"), dash_post(["yes"] * 14 + ["not_known"] * 10))
    assert response.status_code == 302
    case = Case.objects.get(reference=response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert case.restricted and case.risk == "high" and case.marac.dash_yes == 14
    assert AccessLog.objects.filter(user=user, action="create", reference=case.reference).count() == 1
    # listed at the meeting, then an agency action added there: each a logged change
    meeting_url = reverse("casework-marac-meeting", args=[load.meeting.pk])
    response = client.post(meeting_url, {"form": "assign", "assign-referral": case.reference})
    assert response.status_code == 302 and Case.objects.get(pk=case.pk).marac.meeting_id == load.meeting.pk
    response = client.post(
        meeting_url,
        {
            "form": "action",
            "action-case": case.reference,
            "action-description": "Flag the address",
            "action-organisation": str(org("durham-constabulary").pk),
            "action-owner": "",
            "action-due_on": "28/10/2015",
        },
    )
    assert response.status_code == 302
    assert CaseAction.objects.filter(case=case, description="Flag the address").count() == 1
    assert AccessLog.objects.filter(user=user, action="change", reference=case.reference).count() == 2
    page = client.get(meeting_url)
    assert AccessLog.objects.filter(user=user, action="view", reference=case.reference).count() == 1
    assert b"Flag the address" in page.content and b"28 October 2015" in page.content


def test_refused_referral_says_why_and_writes_nothing(demo, users, client):
    client.force_login(users["caseworker"])
    before = (Case.objects.count(), Person.objects.count(), AccessLog.objects.count())
    response = client.post(reverse("casework-marac-create"), dash_post(["yes"] * 9 + ["no"] * 15))
    assert response.status_code == 400
    assert "9 of 24 &#x27;yes&#x27; answers; MARAC takes 14 or more, or professional judgement" in (
        response.content.decode()
    )
    assert b"govuk-error-summary" in response.content
    response = client.post(
        reverse("casework-marac-create"), dash_post(["yes"] * 9 + ["no"] * 15, professional_judgement="on")
    )
    assert response.status_code == 400 and b"Say why professional judgement" in response.content
    response = client.post(reverse("casework-marac-create"), dash_post(["yes"] * 23))
    assert response.status_code == 400 and b"Answer question 24" in response.content
    assert (Case.objects.count(), Person.objects.count(), AccessLog.objects.count()) == before


def test_meeting_page_hides_restricted_cases_from_those_who_may_not_open_them(demo, users, client, load):
    officer = other_caseworker()
    client.force_login(officer)
    url = reverse("casework-marac-meeting", args=[load.meeting.pk])
    page = client.get(url).content.decode()
    assert (
        "Restricted case" in page and "Test Person DMM" not in page and load.marac_case.reference not in page
    )
    assert not AccessLog.objects.filter(user=officer, reference=load.marac_case.reference).exists()
    assert "Add an agency action" not in page
    client.force_login(users["caseworker"])
    page = client.get(url).content.decode()
    assert "Test Person DMM" in page and load.marac_case.reference in page
    assert AccessLog.objects.filter(
        user=users["caseworker"], action="view", reference=load.marac_case.reference
    ).exists()
    # adding an action to a case one cannot open is refused
    client.force_login(officer)
    response = client.post(
        url,
        {
            "form": "action",
            "action-case": load.marac_case.reference,
            "action-description": "x",
            "action-organisation": str(org("durham-constabulary").pk),
            "action-due_on": "28/10/2015",
        },
    )
    assert response.status_code == 400 and not CaseAction.objects.filter(description="x").exists()


def test_mais_referral_page_needs_an_agreement_for_each_agency(demo, users, client):
    client.force_login(users["caseworker"])
    outsider = other_caseworker("lifeline", "dmm-lifeline-caseworker")
    police = other_caseworker()
    data = {
        "name": "Synthetic Adult Page",
        "referring_organisation": str(org("durham-constabulary").pk),
        "role": "victim",
        "referred_on": "01/09/2015",
        "lead": str(users["caseworker"].pk),
        "team": [str(outsider.pk)],
    }
    before = Case.objects.count()
    response = client.post(reverse("casework-mais-create"), data)
    assert response.status_code == 400 and b"no live information-sharing agreement" in response.content
    assert Case.objects.count() == before
    response = client.post(reverse("casework-mais-create"), {**data, "team": [str(police.pk)]})
    assert response.status_code == 302
    case = Case.objects.get(kind="mais", subject__name="Synthetic Adult Page")
    assert list(case.team.all()) == [police] and case.sharing.get().organisation.slug == "durham-constabulary"
    meeting_form = client.post(
        reverse("casework-marac-meeting-create"), {"held_on": "31/02/2015", "chair": ""}
    )
    assert meeting_form.status_code == 400 and b"must be a real date" in meeting_form.content


ANSWER = st.sampled_from(["yes", "no", "not_known", "", "maybe", "YES", "1"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(ANSWER, min_size=0, max_size=26), judgement=st.booleans(), reason=st.text(max_size=30))
def test_dash_form_fuzzed(demo, users, client, values, judgement, reason):
    client.force_login(users["caseworker"])
    extra = {"judgement_reason": reason}
    if judgement:
        extra["professional_judgement"] = "on"
    data = dash_post(values[:24], **extra)
    before = Case.objects.count()
    response = client.post(reverse("casework-marac-create"), data)
    assert response.status_code in (302, 400)
    complete = len(values) >= 24 and all(v in dash.STORED for v in values[:24])
    has_reason = bool(reason.strip()) if judgement else True
    no_null = "\x00" not in reason  # Django refuses null characters in any text field
    high = complete and dash.is_high_risk(dash.to_stored(values[:24]), judgement=judgement, threshold=14)
    assert (response.status_code == 302) == (complete and has_reason and no_null and high), (
        values,
        judgement,
        reason,
    )
    assert Case.objects.count() == before + (response.status_code == 302)
