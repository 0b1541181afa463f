"""Privacy and the casework home: the reason for opening a record (and the open redirect it must refuse), the
person page, subject access (search, export with other people's names redacted), sharing a case under an
agreement, settings within the legal limits, the access log, the menu and the start page."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from saferplan.accounts.models import User
from saferplan.assessment.models import SharingAgreement
from saferplan.casework import models as m
from saferplan.casework.selectors.privacy import ANOTHER_PERSON
from saferplan.casework.services import privacy as services
from tests.casework.factories import DCC, FIRE, POLICE, caseload, org


@pytest.fixture
def load(demo, users):
    return caseload(demo.partnership, users["caseworker"], prefix="PRV")


def colleague(slug: str = DCC, name: str = "e-colleague") -> User:
    return User.objects.create_user(
        username=name, password="a-long-test-password", role=User.Role.CASEWORKER, organisation=org(slug)
    )


def views_of(record, user) -> int:
    return m.AccessLog.objects.filter(
        record_id=record.pk, reference=record.reference, user=user, action=m.AccessLog.Action.VIEW
    ).count()


# ------------------------------------------------------------------------------------ opening with a reason


def test_open_reason_then_the_record_page_logs_the_reason(client, load):
    other = colleague()
    client.force_login(other)
    url = reverse("casework-case-share", args=[load.asb_case.reference])
    first = client.get(url)
    assert first.status_code == 302
    assert first.url.startswith(reverse("casework-open", args=["asb", load.asb_case.reference]))
    page = client.get(first.url)
    assert page.status_code == 200
    assert "Why are you opening this record?" in page.content.decode()
    bad = client.post(first.url, {"purpose": "other", "detail": ""})
    assert bad.status_code == 400 and "Say why you are opening this record" in bad.content.decode()
    done = client.post(first.url, {"purpose": "supervision", "detail": "Monthly check"})
    assert done.status_code == 302 and done.url == url
    assert client.get(url).status_code == 200
    entry = m.AccessLog.objects.filter(user=other, record_id=load.asb_case.pk, action="view").get()
    assert entry.reason == "Supervision: Monthly check" and entry.reference == load.asb_case.reference


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "http:/x"],
)
def test_open_reason_refuses_to_send_anyone_off_site(client, load, target):
    client.force_login(colleague())
    url = reverse("casework-open", args=["asb", load.asb_case.reference])
    response = client.post(f"{url}?next={target}", {"purpose": "case", "next": target})
    assert response.status_code == 302
    assert response.url == reverse("casework-case", args=[load.asb_case.reference])


def test_open_reason_refuses_and_logs_someone_with_no_standing(client, load):
    outsider = colleague(POLICE, "e-police-caseworker")
    client.force_login(outsider)
    url = reverse("casework-open", args=["asb", load.asb_case.reference])
    assert client.get(url).status_code == 403
    assert (
        m.AccessLog.objects.filter(user=outsider, action="refused", record_id=load.asb_case.pk).count() == 1
    )
    assert client.get(reverse("casework-open", args=["asb", "NO-SUCH-REF"])).status_code == 404
    assert client.get(reverse("casework-open", args=["nonsense", "X"])).status_code == 404


def test_reason_is_at_most_500_characters(client, load):
    client.force_login(colleague())
    url = reverse("casework-open", args=["asb", load.asb_case.reference])
    response = client.post(url, {"purpose": "other", "detail": "x" * 501})
    assert response.status_code == 400
    assert not client.session.get("casework_reasons")


# ------------------------------------------------------------------------------------------------- person


def test_person_page_lists_openable_records_and_counts_the_rest(client, demo, users, load):
    client.force_login(users["caseworker"])
    response = client.get(reverse("casework-person", args=[load.person.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert load.marac_case.reference in html and load.asb_case.reference in html
    assert (
        m.AccessLog.objects.filter(record_type="person", record_id=load.person.pk, action="view").count() == 1
    )

    police = colleague(POLICE, "e-police-caseworker")
    client.force_login(police)
    assert client.get(reverse("casework-person", args=[load.person.pk])).status_code == 403

    # a colleague whose service the referral was sent to may open the person (standing "routed") and sees the
    # records their agency holds, but not the restricted MARAC case
    other = colleague()
    client.force_login(other)
    html = client.get(reverse("casework-person", args=[load.person.pk])).content.decode()
    assert load.asb_case.reference in html
    assert load.marac_case.reference not in html  # restricted to its team
    assert "other record about this person that you may not open" in html

    # without the referral, the colleague's standing is only their agency's: they must say why first
    load.route.delete()
    third = colleague(name="e-third")
    client.force_login(third)
    first = client.get(reverse("casework-person", args=[load.person.pk]))
    assert first.status_code == 302 and f"/casework/open/person/{load.person.pk}/" in first.url
    assert client.post(first.url, {"purpose": "safeguarding"}).status_code == 302
    assert client.get(reverse("casework-person", args=[load.person.pk])).status_code == 200
    assert m.AccessLog.objects.filter(
        user=third, record_type="person", reason="Safeguarding concern"
    ).exists()


# ------------------------------------------------------------------------------------------ subject access


def test_subject_access_search_is_logged_with_its_reason(client, users, load):
    client.force_login(users["administrator"])
    url = reverse("casework-sar")
    empty = client.post(url, {"name": "", "reason": ""})
    assert empty.status_code == 400
    assert not m.AccessLog.objects.filter(reason__startswith="Subject access search").exists()
    found = client.post(url, {"name": "person prv", "reason": "SAR 2016/4 received 1 March"})
    assert found.status_code == 200
    assert reverse("casework-sar-export", args=[load.person.pk]) in found.content.decode()
    entry = m.AccessLog.objects.get(reason__startswith="Subject access search")
    assert "SAR 2016/4" in entry.reason and entry.user == users["administrator"]
    bad_date = client.post(url, {"name": "x", "date_of_birth": "31/02/1990", "reason": "r"})
    assert bad_date.status_code == 400


def test_subject_access_export_holds_their_records_and_not_other_names(client, demo, users, load):
    other = m.Person.objects.create(
        partnership=demo.partnership, organisation=org(DCC), name="Zebedee Otherperson", contact="secret"
    )
    m.IncidentPerson.objects.create(
        incident=load.incident, person=other, role=m.IncidentPerson.Role.PERPETRATOR
    )
    load.asb_case.people.add(other)
    load.asb_case.team.add(users["caseworker"])
    client.force_login(users["administrator"])
    url = reverse("casework-sar-export", args=[load.person.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 400
    assert not m.AccessLog.objects.filter(action="export").exists()
    response = client.post(url, {"reason": "SAR 2016/4"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    text = response.content.decode()
    data = json.loads(text)
    assert "Zebedee" not in text and "secret" not in text
    assert data["person"]["name"] == load.person.name
    assert [i["reference"] for i in data["incidents"]] == [load.incident.reference]
    assert {"name": ANOTHER_PERSON, "role": "Alleged perpetrator"} in data["incidents"][0]["people"]
    assert {c["reference"] for c in data["cases"]} == {
        load.asb_case.reference,
        load.mais_case.reference,
        load.marac_case.reference,
    }
    marac = next(c for c in data["cases"] if c["reference"] == load.marac_case.reference)
    assert marac["marac_referral"]["dash_yes"] == 15 and len(marac["marac_referral"]["dash_answers"]) == 24
    assert next(c for c in data["cases"] if c["kind"].startswith("Anti"))["people"] == [ANOTHER_PERSON]
    assert data["referrals"][0]["reference"] == load.referral.reference
    assert data["case_reviews"][0]["reference"] == load.review.reference
    assert users["caseworker"].username in text  # staff names are kept
    exported = set(m.AccessLog.objects.filter(action="export").values_list("reference", flat=True))
    assert exported == {
        "",
        load.incident.reference,
        load.asb_case.reference,
        load.mais_case.reference,
        load.marac_case.reference,
        load.referral.reference,
        load.review.reference,
    }


def test_only_administrators_handle_subject_access(client, users, load):
    for role in ("caseworker", "analyst", "viewer"):
        client.force_login(users[role])
        assert (
            client.post(reverse("casework-sar-export", args=[load.person.pk]), {"reason": "x"}).status_code
            == 403
        )


# ---------------------------------------------------------------------------------------------- case share


def _agreement(demo, *parties, signed=date(2014, 1, 1), title="ASB information sharing"):
    agreement = SharingAgreement.objects.create(
        partnership=demo.partnership,
        title=title,
        purpose="Tackling anti-social behaviour",
        legal_basis="Crime and Disorder Act 1998 s.115",
        data_items="Case details",
        signed_on=signed,
    )
    agreement.parties.set([org(p) for p in parties])
    return agreement


def test_case_share_needs_a_live_agreement_naming_both_agencies(client, demo, users, load):
    narrow = _agreement(demo, DCC, FIRE, title="Fire only")
    unsigned = _agreement(demo, DCC, POLICE, signed=None, title="Draft police agreement")
    good = _agreement(demo, DCC, POLICE, title="Police agreement")
    client.force_login(users["caseworker"])
    url = reverse("casework-case-share", args=[load.asb_case.reference])
    assert client.get(url).status_code == 200
    police = org(POLICE)
    refused = client.post(url, {"organisation": police.pk, "agreement": narrow.pk})
    assert refused.status_code == 400 and "does not include Durham Constabulary" in refused.content.decode()
    refused = client.post(url, {"organisation": police.pk, "agreement": unsigned.pk})
    assert refused.status_code == 400 and "is not in force" in refused.content.decode()
    assert not m.SharingBasis.objects.filter(case=load.asb_case).exists()
    done = client.post(url, {"organisation": police.pk, "agreement": good.pk})
    assert done.status_code == 302
    basis = m.SharingBasis.objects.get(case=load.asb_case)
    assert basis.organisation == police and basis.agreement == good
    assert police in load.asb_case.partners.all()
    assert m.AccessLog.objects.filter(action="change", record_id=load.asb_case.pk).count() == 1
    # the police now open the (unrestricted) case as of right, but may not share it on
    officer = colleague(POLICE, "e-police-caseworker")
    client.force_login(officer)
    assert client.get(url).status_code == 403
    from saferplan.casework.permissions import standing

    assert standing(officer, load.asb_case) == "shared"


# ---------------------------------------------------------------------------------------- settings and log


def test_settings_hold_the_legal_limits(client, demo, users):
    client.force_login(users["administrator"])
    url = reverse("casework-settings")
    values = {
        "repeat_victim_incidents": 3,
        "repeat_victim_days": 365,
        "trigger_complaints": 4,
        "trigger_window_days": 200,
        "trigger_report_within_days": 40,
        "marac_repeat_days": 365,
        "dash_high_risk_yes": 14,
    }
    response = client.post(url, values)
    assert response.status_code == 400
    assert not m.CaseworkSettings.objects.filter(partnership=demo.partnership, trigger_complaints=4).exists()
    html = response.content.decode()
    assert html.count("govuk-error-message") == 3
    values.update(trigger_complaints=2, trigger_window_days=183, trigger_report_within_days=31)
    assert client.post(url, values).status_code == 302
    saved = m.CaseworkSettings.objects.get(partnership=demo.partnership)
    assert saved.trigger_complaints == 2 and saved.modified_by == users["administrator"]


def test_routing_and_retention_rules_are_set_one_per_kind(client, demo, users):
    client.force_login(users["administrator"])
    fire = org(FIRE)
    url = reverse("casework-routing")
    bad = client.post(
        url, {"vulnerability": "fire", "organisation": fire.pk, "urgent_days": 30, "routine_days": 5}
    )
    assert bad.status_code == 400
    for days in (7, 10):
        data = {"vulnerability": "fire", "organisation": fire.pk, "urgent_days": 1, "routine_days": days}
        assert client.post(url, data).status_code == 302
    assert m.RoutingRule.objects.get(partnership=demo.partnership, vulnerability="fire").routine_days == 10
    assert "County Durham" in client.get(url).content.decode()
    url = reverse("casework-retention")
    assert (
        client.post(url, {"record_type": "incident", "keep_months": 0, "action": "delete"}).status_code == 400
    )
    assert (
        client.post(url, {"record_type": "incident", "keep_months": 24, "action": "delete"}).status_code
        == 302
    )
    rule = m.RetentionRule.objects.get(partnership=demo.partnership, record_type="incident")
    assert (rule.keep_months, rule.action, rule.modified_by) == (24, "delete", users["administrator"])


def test_access_log_filters_pages_and_downloads(client, users, load):
    from saferplan.casework.services import access

    for n in range(105):
        access.log(user=users["caseworker"], action="view", record=load.incident, reason=f"Look {n}")
    access.log(user=users["caseworker"], action="change", record=load.referral, reason="Changed it")
    client.force_login(users["administrator"])
    url = reverse("casework-access-log")
    page = client.get(url, {"username": "caseworker-user"}).content.decode()
    assert "106 entries" in page and "Page 1 of 2" in page
    one = client.get(url, {"reference": load.referral.reference}).content.decode()
    assert "1 entry" in one and "Changed it" in one
    assert (
        "105 entries" in client.get(url, {"action": "view", "username": "caseworker-user"}).content.decode()
    )
    csv = client.get(url, {"reference": load.referral.reference, "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and "Changed it" in lines[1]
    assert client.get(url, {"start": "not a date"}).status_code == 400
    assert client.get(url, {"start": "02/01/2016", "end": "01/01/2016"}).status_code == 400
    client.force_login(users["analyst"])
    assert client.get(url).status_code == 403


# --------------------------------------------------------------------------------------- home, menu, start


def test_home_shows_counts_and_a_caseworkers_own_work(client, users, load):
    client.force_login(users["caseworker"])
    html = client.get(reverse("casework-home")).content.decode()
    assert "Your work" in html and load.asb_case.reference in html
    assert load.referral.reference in html  # sent to the caseworker's service, awaiting a response
    assert load.person.name not in html
    client.force_login(users["analyst"])
    html = client.get(reverse("casework-home")).content.decode()
    assert "Your work" not in html and load.asb_case.reference not in html and "Open cases" in html
    assert 'href="/casework/"' in html  # the menu item
    client.force_login(users["viewer"])
    assert client.get(reverse("casework-home")).status_code == 403
    assert 'href="/casework/"' not in client.get("/").content.decode()


def test_start_page_lists_a_caseworkers_work(client, users, load):
    client.force_login(users["caseworker"])
    html = client.get("/").content.decode()
    assert "open cases you work on" in html
    assert "1 case action to do" in html  # the actions this caseworker owns
    assert load.referral.reference in html
    assert load.person.name not in html


def test_case_share_service_refuses_a_foreign_agreement(demo, users, load):
    agreement = _agreement(demo, DCC, POLICE)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.case_share(
            case=load.asb_case, organisation=org(DCC), agreement=agreement, user=users["caseworker"]
        )


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_next_is_only_ever_a_local_path(target):
    from django.test import RequestFactory

    from saferplan.web.views.casework import safe_next

    request = RequestFactory().post("/casework/open/asb/X/", {"next": target})
    chosen = safe_next(request, "/fallback/")
    assert chosen == "/fallback/" or (
        chosen == target and chosen.startswith("/") and not chosen.startswith("//") and "\\" not in chosen
    )
