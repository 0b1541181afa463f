"""Safer Homes pages: the referral form, the lists, a referral's page, the response to a route and the figures,
by role; every view of a referral logged; the form fuzzed (never a 500, nothing half-written)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferplan.casework.models import AccessLog, Referral, ReferralRoute
from tests.casework.factories import DCC, FIRE, POLICE, org
from tests.casework.test_referrals import caseworker_of, make, routing_setup, written


@pytest.fixture
def setup(demo, users):
    routing_setup(demo.partnership)
    return demo.partnership, users["caseworker"]


POST = {
    "referred_on_0": "2",
    "referred_on_1": "6",
    "referred_on_2": "2003",
    "source": "carer",
    "referrer_name": "A Carer",
    "person_name": "Made-up Resident",
    "contact": "01234 000000",
    "address_text": "3 Made-up Lane",
    "postcode": "dh1 1aa",
    "vulnerabilities": ["crime", "hoarding"],
    "clutter_rating": "7",
    "urgency": "urgent",
    "consent": "on",
}


def test_a_caseworker_makes_a_referral_through_the_form(client, setup):
    partnership, worker = setup
    client.force_login(worker)
    url = reverse("casework-referral-create")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "Make a Safer Homes referral" in html and 'type="checkbox"' in html and "Clutter image rating" in html
    )
    response = client.post(url, POST)
    assert response.status_code == 302
    referral = Referral.objects.get(person__name="Made-up Resident")
    assert response["Location"] == reverse("casework-referral", args=[referral.reference])
    assert referral.clutter_rating == 7 and referral.address.postcode == "DH1 1AA"
    assert {r.organisation.slug for r in referral.routes.select_related("organisation")} == {POLICE, FIRE}
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    text = detail.content.decode()
    assert (
        "Made-up Resident" in text and "Durham Constabulary" in text and "Test Safer Homes agreement" in text
    )
    assert AccessLog.objects.filter(reference=referral.reference, action="view", user=worker).count() == 1
    assert AccessLog.objects.filter(reference=referral.reference, action="create").count() == 1


def test_bad_input_names_the_field_and_writes_nothing(client, setup):
    partnership, worker = setup
    client.force_login(worker)
    before = written()
    response = client.post(reverse("casework-referral-create"), POST | {"clutter_rating": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "Choose a clutter image rating: hoarding was seen" in html
    response = client.post(
        reverse("casework-referral-create"), POST | {"vulnerabilities": ["isolation"], "clutter_rating": ""}
    )
    assert response.status_code == 400 and "No service is set up to receive referrals for Isolation" in (
        response.content.decode()
    )
    assert written() == before


def test_pages_by_role(client, setup, users):
    partnership, worker = setup
    referral = make(partnership, worker, vulnerabilities=["crime"])
    route = referral.routes.get()
    pages = {
        "list": reverse("casework-referral-list"),
        "create": reverse("casework-referral-create"),
        "detail": reverse("casework-referral", args=[referral.reference]),
        "figures": reverse("casework-referral-figures"),
    }
    for role, user in users.items():
        client.force_login(user)
        for name, url in pages.items():
            expected = 200 if role == "caseworker" or (name == "figures" and role != "viewer") else 403
            assert client.get(url).status_code == expected, (role, name)
        # the council's caseworker is not the police: may not respond to the police's route
        respond = reverse("casework-route-respond", args=[referral.reference, route.pk])
        assert client.get(respond).status_code == 403, role


def test_the_police_see_and_answer_what_was_sent_to_them(client, setup):
    partnership, worker = setup
    police = caseworker_of(POLICE, "test-police-caseworker")
    referral = make(partnership, worker, vulnerabilities=["crime", "fire"])
    route = referral.routes.get(organisation=org(POLICE))
    client.force_login(police)
    listing = client.get(reverse("casework-referral-list")).content.decode()
    assert referral.reference in listing and "Overdue" in listing  # due in 2003
    detail = client.get(reverse("casework-referral", args=[referral.reference]))
    assert detail.status_code == 200 and "Respond" in detail.content.decode()
    log = AccessLog.objects.get(reference=referral.reference, action="view", user=police)
    assert log.reason == "Referral sent to the user's service"
    url = reverse("casework-route-respond", args=[referral.reference, route.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"action": "decline", "on_0": "5", "on_1": "6", "on_2": "2003", "reason": ""})
    assert bad.status_code == 400 and "Enter the reason for declining" in bad.content.decode()
    early = client.post(url, {"action": "accept", "on_0": "1", "on_1": "6", "on_2": "2003"})
    assert early.status_code == 400 and "on or after the date of the referral" in early.content.decode()
    ok = client.post(url, {"action": "accept", "on_0": "5", "on_1": "6", "on_2": "2003"})
    assert ok.status_code == 302
    route.refresh_from_db()
    assert route.status == "accepted" and route.accepted_on == date(2003, 6, 5)
    fire_route = referral.routes.get(organisation=org(FIRE))
    other = reverse("casework-route-respond", args=[referral.reference, fire_route.pk])
    assert (
        client.get(other).status_code == 403 and client.post(other, {"action": "accept"}).status_code == 403
    )
    fire_route.refresh_from_db()
    assert fire_route.status == "sent"


def test_other_agencies_and_restricted_referrals_stay_closed(client, setup):
    partnership, worker = setup
    referral = make(partnership, worker, vulnerabilities=["crime"])  # sent to the police only
    probation = caseworker_of("national-probation-service", "probation-caseworker")
    client.force_login(probation)
    assert client.get(reverse("casework-referral", args=[referral.reference])).status_code == 403
    assert AccessLog.objects.filter(reference=referral.reference, action="refused", user=probation).exists()
    assert referral.reference not in client.get(reverse("casework-referral-list")).content.decode()
    colleague = caseworker_of(DCC, "dcc-colleague")
    Referral.objects.filter(pk=referral.pk).update(restricted=True)
    client.force_login(colleague)
    assert referral.reference not in client.get(reverse("casework-referral-list")).content.decode()
    assert client.get(reverse("casework-referral", args=[referral.reference])).status_code == 403
    Referral.objects.filter(pk=referral.pk).update(restricted=False)
    # a colleague of the agency must say why before opening it
    opened = client.get(reverse("casework-referral", args=[referral.reference]))
    assert opened.status_code == 302 and "/casework/open/referral/" in opened["Location"]


def test_figures_page_counts_without_names_and_downloads(client, setup, users):
    partnership, worker = setup
    make(
        partnership,
        worker,
        person_name="Secret Name",
        address_text="9 Secret Street",
        vulnerabilities=["hoarding"],
        clutter_rating=8,
    )
    client.force_login(users["analyst"])
    url = reverse("casework-referral-figures")
    query = {"start_0": "1", "start_1": "6", "start_2": "2003", "end_0": "30", "end_1": "6", "end_2": "2003"}
    page = client.get(url, query)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Secret" not in html
    assert "Hoarders identified" in html and "1 June 2003 to 30 June 2003" in html
    csv = client.get(url, query | {"format": "csv", "table": "summary"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert "Hoarders identified (hoarding seen),1" in csv.content.decode()
    xlsx = client.get(url, query | {"format": "xlsx", "table": "times"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    bad = client.get(url, query | {"end_2": "2002"})
    assert bad.status_code == 400 and "The end date must be the same as or after the start date" in (
        bad.content.decode()
    )
    assert client.get(url, query | {"start_1": "13"}).status_code == 400


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "referred_on_0": st.one_of(TEXT, st.integers(-5, 40).map(str)),
        "referred_on_1": st.one_of(TEXT, st.integers(-1, 14).map(str)),
        "referred_on_2": st.one_of(TEXT, st.sampled_from(["2003", "1890", "99999", "2015"])),
        "date_of_birth_0": st.integers(0, 32).map(str),
        "date_of_birth_1": st.integers(0, 13).map(str),
        "date_of_birth_2": st.sampled_from(["1930", "1899", "2004", "abc"]),
        "source": st.sampled_from([*Referral.Source.values, "", "nobody"]),
        "person_name": TEXT,
        "address_text": TEXT,
        "postcode": st.text(st.characters(blacklist_categories=("Cs",)), max_size=14),
        "vulnerabilities": st.lists(st.sampled_from([*Referral.Vulnerability.values, "bogus"]), max_size=6),
        "clutter_rating": st.sampled_from(["", "0", "1", "5", "9", "10", "x"]),
        "urgency": st.sampled_from(["urgent", "routine", "", "soon"]),
        "consent": st.sampled_from(["on", ""]),
        "notes": TEXT,
        "area": st.sampled_from(["", "1", "999999", "x"]),
    },
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=FIELDS)
def test_the_form_never_fails_and_never_half_writes(client, setup, data):
    partnership, worker = setup
    client.force_login(worker)
    before = written()
    response = client.post(reverse("casework-referral-create"), data)
    assert response.status_code in (302, 400)  # an empty POST is a bad one too
    after = written()
    if response.status_code == 400:
        assert after == before
    else:
        referral = Referral.objects.order_by("-pk").first()
        routes = ReferralRoute.objects.filter(referral=referral).count()
        assert after == (before[0] + 1, before[1] + routes, before[2] + 1, before[3] + 1) and routes >= 1
