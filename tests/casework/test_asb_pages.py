"""The ASB pages as a caseworker uses them: GET and POST, the access log, 403 for another agency on a restricted
case, the lists, and a hypothesis test of the incident form (never a 500, never a half-written record)."""

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferplan.accounts.models import User
from saferplan.casework.models import AccessLog, Address, Case, Incident, IncidentPerson, Intervention, Person
from saferplan.web.views.casework_access import remember_reason
from tests.casework.factories import DCC, POLICE, caseload, org

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(users):
    return users["caseworker"]


@pytest.fixture
def load(demo, worker):
    return caseload(demo.partnership, worker, prefix="P")


@pytest.fixture
def signed_in(client, worker):
    client.force_login(worker)
    return client


def _reason(client, record, reason="Following up the report"):
    """The reason a caseworker states for opening a record of their agency (kept in their session)."""
    session = client.session
    request = type("R", (), {"session": session})()
    remember_reason(request, record, reason)
    session.save()


def _views(record):
    return AccessLog.objects.filter(reference=record.reference, action="view")


def test_pages_show_the_records_and_log_each_view(signed_in, load, worker):
    pages = [
        (reverse("casework-incident", args=[load.incident.reference]), load.incident, "Incident P-INC-1"),
        (reverse("casework-case", args=[load.asb_case.reference]), load.asb_case, "Escalation steps"),
        (reverse("casework-incident-edit", args=[load.incident.reference]), load.incident, "Change incident"),
        (reverse("casework-case-open", args=[load.incident.reference]), load.incident, None),
        (reverse("casework-action-create", args=[load.asb_case.reference]), load.asb_case, "Add an action"),
        (
            reverse("casework-intervention-create", args=[load.asb_case.reference]),
            load.asb_case,
            "escalation",
        ),
        (reverse("casework-case-edit", args=[load.asb_case.reference]), load.asb_case, "Change case"),
        (reverse("casework-case-close", args=[load.asb_case.reference]), load.asb_case, "Close case"),
    ]
    for url, record, text in pages:
        before = _views(record).count()
        response = signed_in.get(url)
        if text is None:  # the incident is already part of a case: no second case from it
            assert response.status_code == 200 and "already part of a case" in response.content.decode()
            assert signed_in.post(url, {}).status_code == 400
            continue
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
        log = _views(record).order_by("-pk").first()
        assert _views(record).count() == before + 1
        assert (log.user, log.reason) == (worker, "Member of the case team")
    html = signed_in.get(reverse("casework-case", args=[load.asb_case.reference])).content.decode()
    assert "Test Person P" in html and "Warning letter" in html and "Visit the victim" in html
    assert "Overdue" in html  # the action was due on 1 July 2015 and is not done


def test_another_agencys_caseworker_gets_403_on_a_restricted_case_and_it_is_logged(client, load, worker):
    police = User.objects.create_user(username="asbt-police", role="caseworker", organisation=org(POLICE))
    colleague = User.objects.create_user(username="asbt-dcc", role="caseworker", organisation=org(DCC))
    load.asb_case.restricted = True
    load.asb_case.save()
    for user in (police, colleague):
        client.force_login(user)
        for name in ("casework-case", "casework-case-edit", "casework-action-create"):
            assert client.get(reverse(name, args=[load.asb_case.reference])).status_code == 403
        assert (
            client.post(reverse("casework-case-close", args=[load.asb_case.reference]), {}).status_code == 403
        )
    refused = AccessLog.objects.filter(reference=load.asb_case.reference, action="refused")
    assert {log.user for log in refused} == {police, colleague}
    client.force_login(User.objects.get(username="administrator-user"))
    assert client.get(reverse("casework-case", args=[load.asb_case.reference])).status_code == 403
    assert client.get(reverse("casework-incident-list")).status_code == 403


def test_a_colleague_of_the_agency_is_asked_why_then_the_view_logs_the_reason(client, load):
    colleague = User.objects.create_user(username="asbt-colleague", role="caseworker", organisation=org(DCC))
    client.force_login(colleague)
    url = reverse("casework-incident", args=[load.incident.reference])
    response = client.get(url)
    assert response.status_code == 302 and "/casework/open/" in response.url
    _reason(client, load.incident, "Checking for a linked complaint")
    assert client.get(url).status_code == 200
    assert _views(load.incident).order_by("-pk").first().reason == "Checking for a linked complaint"


def _incident_post(**extra):
    data = {
        "category": "nuisance",
        "occurred_on": "01/06/2015",
        "reported_on": "02/06/2015",
        "address_text": "7 Test Road",
        "postcode": "DH1 2ZZ",
        "description": "Loud music",
        "reporter_name": "Page Reporter",
    }
    data.update(extra)
    return data


def test_record_an_incident_link_people_and_open_a_case(signed_in, worker):
    response = signed_in.post(reverse("casework-incident-create"), _incident_post())
    assert response.status_code == 302
    incident = Incident.objects.get(reporter__name="Page Reporter")
    assert response.url == reverse("casework-incident", args=[incident.reference])
    assert incident.organisation == worker.organisation and incident.created_by == worker
    # its recorder opens it as of right (casework.permissions.standing), and the view is logged
    assert signed_in.get(response.url).status_code == 200
    assert _views(incident).order_by("-pk").first().reason == "Member of the case team"
    _reason(signed_in, incident)
    add = reverse("casework-incident-person-add", args=[incident.reference])
    assert (
        signed_in.post(add, {"role": "victim", "name": "Page Victim", "vulnerable": "on"}).status_code == 302
    )
    victim = Person.objects.get(name="Page Victim")
    assert victim.vulnerable
    page = signed_in.get(reverse("casework-incident", args=[incident.reference])).content.decode()
    assert "Page Victim" in page and "Vulnerable" in page and "Open a case" in page
    form = signed_in.get(reverse("casework-case-open", args=[incident.reference])).content.decode()
    assert f'<option value="{victim.pk}" selected>' in form  # the victim is the subject by default
    response = signed_in.post(
        reverse("casework-case-open", args=[incident.reference]),
        {
            "subject": victim.pk,
            "opened_on": "10/06/2015",
            "lead": worker.pk,
            "risk": "medium",
            "summary": "S",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(subject=victim)
    assert response.url == reverse("casework-case", args=[case.reference])
    assert list(case.incidents.all()) == [incident] and case.lead == worker
    assert AccessLog.objects.filter(reference=case.reference, action="create", user=worker).exists()


def test_bad_input_gets_a_govuk_error_naming_the_field_and_writes_nothing(signed_in, load):
    before = (Incident.objects.count(), Person.objects.count(), Address.objects.count())
    response = signed_in.post(reverse("casework-incident-create"), _incident_post(reported_on="31/05/2015"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and "must be on or after the date the behaviour happened" in html
    response = signed_in.post(reverse("casework-incident-create"), _incident_post(occurred_on="31/02/2015"))
    assert response.status_code == 400 and "must be a real date" in response.content.decode()
    assert (Incident.objects.count(), Person.objects.count(), Address.objects.count()) == before
    # a CPN with no earlier CPW: the service's reason on the step field
    url = reverse("casework-intervention-create", args=[load.asb_case.reference])
    response = signed_in.post(url, {"step": "cpn", "issued_on": "01/08/2015", "outcome": "pending"})
    assert response.status_code == 400 and "s.43(5)" in response.content.decode()
    response = signed_in.post(
        url, {"step": "abc", "issued_on": "01/08/2015", "outcome": "complied", "outcome_on": "01/07/2015"}
    )
    assert (
        response.status_code == 400 and "date of the outcome must be on or after" in response.content.decode()
    )
    assert load.asb_case.interventions.count() == 1
    # closing before it opened
    response = signed_in.post(
        reverse("casework-case-close", args=[load.asb_case.reference]),
        {"closed_on": "01/01/2015", "reason": "x"},
    )
    assert (
        response.status_code == 400 and "cannot be closed before it was opened" in response.content.decode()
    )
    # an id that does not exist, a huge id, a bad filter: errors, never a 500
    response = signed_in.post(
        reverse("casework-incident-create"), _incident_post(reporter="99999999999999999999")
    )
    assert response.status_code == 400
    assert (
        signed_in.get(reverse("casework-incident-list") + "?start=99/99/9999&category=x").status_code == 400
    )
    assert signed_in.get(reverse("casework-case-list") + "?kind=zzz&page=abc").status_code == 200


def test_escalation_action_and_close_through_the_pages(signed_in, load, worker):
    ref = load.asb_case.reference
    ok = signed_in.post(
        reverse("casework-intervention-create", args=[ref]),
        {"step": "cpw", "issued_on": "01/07/2015", "outcome": "breached", "outcome_on": "20/07/2015"},
    )
    assert ok.status_code == 302
    ok = signed_in.post(
        reverse("casework-intervention-create", args=[ref]),
        {"step": "cpn", "issued_on": "01/08/2015", "outcome": "pending"},
    )
    assert ok.status_code == 302 and load.asb_case.interventions.filter(step="cpn").exists()
    edit = reverse("casework-intervention-edit", args=[ref, load.intervention.pk])
    assert (
        signed_in.post(
            edit,
            {
                "step": "warning_letter",
                "issued_on": "20/06/2015",
                "outcome": "complied",
                "outcome_on": "30/06/2015",
            },
        ).status_code
        == 302
    )
    assert Intervention.objects.get(pk=load.intervention.pk).outcome == "complied"
    action = reverse("casework-action-edit", args=[ref, load.action.pk])
    assert (
        signed_in.post(
            action,
            {
                "description": "Visit the victim",
                "organisation": org(DCC).pk,
                "due_on": "01/07/2015",
                "done_on": "02/07/2015",
            },
        ).status_code
        == 302
    )
    html = signed_in.get(reverse("casework-case", args=[ref])).content.decode()
    assert "Overdue" not in html and "Community protection notice" in html
    close = signed_in.post(
        reverse("casework-case-close", args=[ref]), {"closed_on": "01/12/2015", "reason": "Stopped"}
    )
    assert close.status_code == 302
    assert Case.objects.get(pk=load.asb_case.pk).closed_on == date(2015, 12, 1)
    assert f">{ref}</a>" in signed_in.get(reverse("casework-case-list") + "?state=closed").content.decode()
    assert f">{ref}</a>" not in signed_in.get(reverse("casework-case-list") + "?state=open").content.decode()


def test_lists_and_repeat_victims_page(signed_in, load, worker, demo):
    police = User.objects.create_user(username="asbt-lister", role="caseworker", organisation=org(POLICE))
    hidden = Incident.objects.create(
        partnership=demo.partnership,
        reference="HID-1",
        organisation=org(DCC),
        category="personal",
        occurred_on=date(2015, 6, 1),
        reported_on=date(2015, 6, 1),
        restricted=True,
        created_by=police,
    )
    theirs = Incident.objects.create(
        partnership=demo.partnership,
        reference="POL-1",
        organisation=org(POLICE),
        category="personal",
        occurred_on=date(2015, 6, 1),
        reported_on=date(2015, 6, 1),
    )
    day = reverse("casework-incident-list") + "?start=01/06/2015&end=01/06/2015"
    html = signed_in.get(day).content.decode()
    assert load.incident.reference in html and hidden.reference not in html and theirs.reference not in html
    html = signed_in.get(day + "&category=environmental").content.decode()
    assert load.incident.reference not in html
    for day in (date(2015, 6, 5), date(2015, 6, 9)):
        other = Incident.objects.create(
            partnership=demo.partnership,
            reference=f"REP-{day.day}",
            organisation=org(DCC),
            category="personal",
            occurred_on=day,
            reported_on=day,
        )
        IncidentPerson.objects.create(incident=other, person=load.person, role="victim")
        _reason(signed_in, other)
    html = signed_in.get(reverse("casework-repeat-victims")).content.decode()
    assert "Test Person P" in html and "Repeat victim" in html  # as at the latest incident, 9 June 2015
    html = signed_in.get(reverse("casework-repeat-victims") + "?on=01/06/2017").content.decode()
    assert "Test Person P" not in html
    html = signed_in.get(reverse("casework-incident", args=["REP-9"])).content.decode()
    assert "Repeat victim" in html
    html = signed_in.get(reverse("casework-incident", args=["REP-5"])).content.decode()
    assert "Repeat victim" not in html  # the second incident: not yet a repeat victim on that day


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    category=st.sampled_from(["personal", "nuisance", "environmental", "", "x", "PERSONAL"]),
    occurred=st.one_of(
        st.dates(min_value=date(1, 1, 1)).map(lambda d: d.strftime("%d/%m/%Y")), st.text(max_size=12)
    ),
    reported=st.one_of(
        st.dates(min_value=date(1, 1, 1)).map(lambda d: d.strftime("%d/%m/%Y")), st.text(max_size=12)
    ),
    text=st.text(max_size=320),
    postcode=st.text(max_size=14),
    reporter=st.one_of(st.just(""), st.text(max_size=25), st.integers().map(str)),
    anonymous=st.booleans(),
)
def test_incident_form_never_500s_nor_half_writes(
    signed_in, category, occurred, reported, text, postcode, reporter, anonymous
):
    before = (
        Incident.objects.count(),
        Person.objects.count(),
        Address.objects.count(),
        AccessLog.objects.count(),
    )
    data = {
        "category": category,
        "occurred_on": occurred,
        "reported_on": reported,
        "address_text": text,
        "postcode": postcode,
        "description": text,
        "reporter_name": reporter,
    }
    if anonymous:
        data["anonymous"] = "on"
    response = signed_in.post(reverse("casework-incident-create"), data)
    assert response.status_code in (302, 400)
    after = (
        Incident.objects.count(),
        Person.objects.count(),
        Address.objects.count(),
        AccessLog.objects.count(),
    )
    if response.status_code == 400:
        assert after == before
        assert "govuk-error-summary" in response.content.decode()
    else:
        assert after[0] == before[0] + 1 and after[3] == before[3] + 1
        incident = Incident.objects.order_by("-pk").first()
        assert incident.reported_on >= incident.occurred_on
        assert not (incident.anonymous and incident.reporter_id)
