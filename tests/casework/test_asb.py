"""ASB incidents and cases: the services (valid and refused input, nothing written on refusal), the repeat and
vulnerable victim rules, what a caseworker may list, and the demo caseload."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from saferplan.accounts.models import User
from saferplan.areas.models import Area
from saferplan.casework import demo_asb
from saferplan.casework import permissions as perms
from saferplan.casework.models import (
    AccessLog,
    Address,
    Case,
    CaseworkSettings,
    Incident,
    IncidentPerson,
    Intervention,
    Person,
)
from saferplan.casework.selectors import asb as selectors
from saferplan.casework.services import asb as services
from tests.casework.factories import DCC, POLICE, caseload, org

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(demo):
    return demo.partnership


@pytest.fixture
def worker(users):
    return users["caseworker"]


def _counts():
    return (
        Incident.objects.count(),
        Person.objects.count(),
        Address.objects.count(),
        Case.objects.count(),
        Intervention.objects.count(),
        AccessLog.objects.count(),
    )


def _incident(partnership, worker, **extra):
    data = {
        "partnership": partnership,
        "organisation": worker.organisation,
        "user": worker,
        "category": Incident.Category.NUISANCE,
        "occurred_on": date(2015, 6, 1),
        "reported_on": date(2015, 6, 2),
    }
    return services.incident_create(**{**data, **extra})


def _victim_of(partnership, worker, person, day):
    incident = _incident(partnership, worker, occurred_on=day, reported_on=day)
    services.incident_person_add(incident=incident, user=worker, role="victim", person=person)
    return incident


# Incidents


def test_incident_create_records_reference_address_reporter_and_log(partnership, worker):
    area = Area.objects.filter(partnership=partnership).first()
    incident = _incident(
        partnership,
        worker,
        address_text="  12  High Street ",
        postcode="dh1 1aa",
        area=area,
        reporter_name="Test Reporter",
        description="Shouting",
    )
    assert incident.reference == "INC-2015-00001" or incident.reference.startswith("INC-2015-")
    assert incident.address.text == "12 High Street" and incident.address.postcode == "DH1 1AA"
    assert incident.area == area
    assert incident.reporter.name == "Test Reporter" and incident.reporter.organisation == worker.organisation
    assert incident.created_by == worker
    log = AccessLog.objects.get(reference=incident.reference)
    assert (log.action, log.user, log.reason) == ("create", worker, "Recorded the incident")
    again = _incident(partnership, worker, address_text="12 high street", postcode="DH1 1AA")
    assert again.address_id == incident.address_id  # the same address is reused
    assert again.reference > incident.reference


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"occurred_on": date(2015, 6, 3)}, "reported_on"),  # reported before it happened
        ({"occurred_on": date(2099, 1, 1), "reported_on": date(2099, 1, 2)}, "occurred_on"),
        ({"category": "murder"}, "category"),
        ({"anonymous": True, "reporter_name": "Someone"}, "reporter_name"),
    ],
)
def test_incident_create_refuses_bad_input_and_writes_nothing(partnership, worker, extra, field):
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        _incident(partnership, worker, address_text="1 New Street", **extra)
    assert field in refused.value.message_dict
    assert _counts() == before


def test_incident_refuses_a_reporter_of_another_agency_and_an_area_of_another_partnership(
    partnership, worker
):
    other = Person.objects.create(partnership=partnership, organisation=org(POLICE), name="Police Person")
    with pytest.raises(ValidationError) as refused:
        _incident(partnership, worker, reporter=other)
    assert "reporter" in refused.value.message_dict
    foreign = Area.objects.create(code="X-TEST", name="Elsewhere", kind=Area.Kind.LOCALITY)
    with pytest.raises(ValidationError) as refused:
        _incident(partnership, worker, area=foreign)
    assert "area" in refused.value.message_dict


def test_incident_update_and_person_add(partnership, worker):
    incident = _incident(partnership, worker)
    services.incident_update(
        incident=incident,
        user=worker,
        category="personal",
        occurred_on=date(2015, 5, 1),
        reported_on=date(2015, 5, 3),
        anonymous=True,
    )
    incident.refresh_from_db()
    assert (incident.category, incident.occurred_on, incident.anonymous) == (
        "personal",
        date(2015, 5, 1),
        True,
    )
    link = services.incident_person_add(incident=incident, user=worker, role="victim", name="New Victim")
    assert link.person.organisation == worker.organisation
    with pytest.raises(ValidationError):  # the same person in the same role twice
        services.incident_person_add(incident=incident, user=worker, role="victim", person=link.person)
    with pytest.raises(ValidationError):
        services.incident_person_add(incident=incident, user=worker, role="bystander", name="X")
    with pytest.raises(ValidationError):
        services.incident_person_add(incident=incident, user=worker, role="witness")
    assert IncidentPerson.objects.filter(incident=incident).count() == 1
    reasons = list(AccessLog.objects.filter(reference=incident.reference).values_list("reason", flat=True))
    assert "Changed the incident" in reasons and "Linked a person as victim" in reasons


# Repeat and vulnerable victims


def test_repeat_flag_at_exactly_n_within_d_days_not_n_minus_one_nor_outside(partnership, worker):
    CaseworkSettings.objects.update_or_create(
        partnership=partnership, defaults={"repeat_victim_incidents": 3, "repeat_victim_days": 30}
    )
    person = Person.objects.create(partnership=partnership, organisation=worker.organisation, name="Victim V")
    on = date(2015, 6, 30)
    first_day = on - timedelta(days=29)  # the 30 days up to and including `on`
    _victim_of(partnership, worker, person, first_day)
    _victim_of(partnership, worker, person, on - timedelta(days=10))
    assert person.pk not in selectors.repeat_victim_ids(partnership, on=on)  # N − 1
    assert selectors.victim_flags(partnership, [person.pk], on=on) == {person.pk: set()}
    _victim_of(partnership, worker, person, on)
    assert person.pk in selectors.repeat_victim_ids(partnership, on=on)  # exactly N
    assert selectors.victim_flags(partnership, [person.pk], on=on) == {person.pk: {"repeat"}}
    # a day later the first falls outside the window
    assert person.pk not in selectors.repeat_victim_ids(partnership, on=on + timedelta(days=1))
    # and an incident before the window never counted
    other = Person.objects.create(partnership=partnership, organisation=worker.organisation, name="Victim W")
    for day in (first_day - timedelta(days=1), on - timedelta(days=5), on):
        _victim_of(partnership, worker, other, day)
    assert other.pk not in selectors.repeat_victim_ids(partnership, on=on)


def test_a_change_of_rule_changes_the_flags_and_vulnerable_is_from_the_person(partnership, worker):
    person = Person.objects.create(
        partnership=partnership, organisation=worker.organisation, name="Victim P", vulnerable=True
    )
    on = date(2015, 9, 1)
    for day in (date(2015, 3, 1), date(2015, 8, 1)):
        _victim_of(partnership, worker, person, day)
    assert selectors.victim_flags(partnership, [person.pk], on=on) == {person.pk: {"vulnerable"}}  # default 3
    CaseworkSettings.objects.update_or_create(
        partnership=partnership, defaults={"repeat_victim_incidents": 2}
    )
    assert selectors.victim_flags(partnership, [person.pk], on=on) == {person.pk: {"repeat", "vulnerable"}}
    CaseworkSettings.objects.filter(partnership=partnership).update(repeat_victim_days=100)
    assert "repeat" not in selectors.victim_flags(partnership, [person.pk], on=on)[person.pk]
    # a witness is not a victim
    incident = _incident(partnership, worker, occurred_on=on, reported_on=on)
    services.incident_person_add(incident=incident, user=worker, role="witness", person=person)
    assert "repeat" not in selectors.victim_flags(partnership, [person.pk], on=on)[person.pk]


def test_incident_flags_are_as_at_the_day_it_happened(partnership, worker):
    person = Person.objects.create(partnership=partnership, organisation=worker.organisation, name="Victim Q")
    made = [_victim_of(partnership, worker, person, date(2015, m, 1)) for m in (1, 2, 3)]
    found = selectors.incident_victim_flags(
        partnership,
        list(Incident.objects.filter(pk__in=[i.pk for i in made]).prefetch_related("people__person")),
    )
    assert [found[i.pk][person.pk] for i in made] == [[], [], ["repeat"]]


# What a caseworker may list


def test_incident_list_never_shows_a_record_the_user_cannot_open(partnership, worker):
    load = caseload(partnership, worker, prefix="L")
    colleague = User.objects.create_user(username="dcc-colleague", role="caseworker", organisation=org(DCC))
    police = User.objects.create_user(username="police-cw", role="caseworker", organisation=org(POLICE))
    hidden = _incident(partnership, worker, restricted=True)
    open_one = _incident(partnership, worker)
    theirs = _incident(partnership, police, organisation=police.organisation)
    load.asb_case.restricted = True
    load.asb_case.save()
    for user in (worker, colleague, police):
        listed = set(selectors.incident_list(user, partnership))
        openable = {i for i in Incident.objects.filter(partnership=partnership) if perms.can_open(user, i)}
        assert listed <= openable
        assert all(i.organisation_id == user.organisation_id for i in listed)
    colleague_sees = set(selectors.incident_list(colleague, partnership))
    assert open_one in colleague_sees and hidden not in colleague_sees
    # an incident of a restricted case opens to that case's team (and its recorder) only
    assert load.incident not in colleague_sees and not perms.can_open(colleague, load.incident)
    assert theirs in set(selectors.incident_list(police, partnership))
    assert theirs not in set(selectors.incident_list(worker, partnership))
    assert hidden in set(selectors.incident_list(worker, partnership))
    assert not selectors.incident_list(User.objects.get(username="administrator-user"), partnership).exists()


def test_case_list_filters_and_respects_restriction(partnership, worker):
    load = caseload(partnership, worker, prefix="K")
    colleague = User.objects.create_user(username="dcc-colleague2", role="caseworker", organisation=org(DCC))
    mine = set(selectors.case_list(worker, partnership))
    assert {load.asb_case, load.mais_case, load.marac_case} <= mine
    assert set(selectors.case_list(worker, partnership, kind="asb")) & mine == {
        c for c in mine if c.kind == "asb"
    }
    colleague_sees = set(selectors.case_list(colleague, partnership))
    assert load.marac_case not in colleague_sees  # restricted
    assert load.asb_case in colleague_sees
    for case in colleague_sees:
        assert perms.can_open(colleague, case)
    services.case_close(case=load.asb_case, user=worker, closed_on=date(2015, 12, 1), reason="Resolved")
    assert load.asb_case in set(selectors.case_list(worker, partnership, state="closed"))
    assert load.asb_case not in set(selectors.case_list(worker, partnership, state="open"))


# Cases, action plan, escalation steps


def _open_case(partnership, worker, **extra):
    incident = _incident(partnership, worker)
    services.incident_person_add(incident=incident, user=worker, role="victim", name="Case Victim")
    victim = incident.people.get().person
    data = {
        "incident": incident,
        "user": worker,
        "subject": victim,
        "lead": worker,
        "opened_on": date(2015, 6, 10),
    }
    return services.case_open(**{**data, **extra})


def test_case_open_links_incidents_and_logs(partnership, worker):
    further = _incident(partnership, worker, occurred_on=date(2015, 5, 1), reported_on=date(2015, 5, 1))
    police = org(POLICE)
    case = _open_case(
        partnership, worker, incidents=[further], partners=[police], risk="high", restricted=True
    )
    assert case.kind == "asb" and case.reference.startswith("ASB-2015-") and case.restricted
    assert set(case.incidents.values_list("pk", flat=True)) == {
        further.pk,
        case.incidents.exclude(pk=further.pk).get().pk,
    }
    assert list(case.partners.all()) == [police]
    assert AccessLog.objects.filter(reference=case.reference, action="create").exists()
    assert AccessLog.objects.filter(reference=further.reference, reason__startswith="Linked to case").exists()


def test_case_open_refusals_write_nothing(partnership, worker):
    police_worker = User.objects.create_user(
        username="police-lead", role="caseworker", organisation=org(POLICE)
    )
    theirs = _incident(partnership, police_worker, organisation=police_worker.organisation)
    incident = _incident(partnership, worker)
    services.incident_person_add(incident=incident, user=worker, role="victim", name="V")
    victim = incident.people.get().person
    before = _counts()
    cases = [
        ({"opened_on": date(2015, 6, 1)}, "opened_on"),  # before the incident was reported
        ({"lead": police_worker}, "lead"),  # not a caseworker of the agency
        ({"lead": User.objects.get(username="analyst-user")}, "lead"),
        ({"incidents": [theirs]}, "incidents"),  # another agency's incident
        ({"risk": "extreme"}, "risk"),
    ]
    for extra, field in cases:
        data = {
            "incident": incident,
            "user": worker,
            "subject": victim,
            "lead": worker,
            "opened_on": date(2015, 7, 1),
        }
        with pytest.raises(ValidationError) as refused:
            services.case_open(**{**data, **extra})
        assert field in refused.value.message_dict, extra
    assert _counts() == before
    incident.refresh_from_db()
    assert incident.case_id is None


def test_close_a_case(partnership, worker):
    case = _open_case(partnership, worker)
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        services.case_close(case=case, user=worker, closed_on=date(2015, 6, 9), reason="Done")
    assert "closed_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.case_close(case=case, user=worker, closed_on=date(2015, 6, 12), reason="  ")
    assert "reason" in refused.value.message_dict
    assert _counts() == before
    services.case_close(case=case, user=worker, closed_on=date(2015, 6, 10), reason="Behaviour stopped")
    case.refresh_from_db()
    assert (case.closed_on, case.closure_reason) == (date(2015, 6, 10), "Behaviour stopped")


def test_action_plan(partnership, worker):
    case = _open_case(partnership, worker)
    action = services.action_create(
        case=case, user=worker, description="Visit", organisation=org(DCC), due_on=date(2015, 7, 1)
    )
    services.action_update(
        action=action,
        user=worker,
        description="Visit again",
        organisation=org(POLICE),
        owner=worker,
        due_on=date(2015, 7, 1),
        done_on=date(2015, 6, 30),
    )
    action.refresh_from_db()
    assert (action.description, action.done_on, action.owner) == ("Visit again", date(2015, 6, 30), worker)
    with pytest.raises(ValidationError) as refused:
        services.action_create(case=case, user=worker, description=" ", organisation=None, due_on=None)
    assert {"description", "organisation", "due_on"} <= set(refused.value.message_dict)
    assert case.actions.count() == 1


def test_cpn_needs_an_earlier_cpw_on_the_same_case(partnership, worker):
    case = _open_case(partnership, worker)
    other = _open_case(partnership, worker)
    services.intervention_create(case=other, user=worker, step="cpw", issued_on=date(2015, 6, 12))
    with pytest.raises(ValidationError) as refused:  # a warning on another case does not count
        services.intervention_create(case=case, user=worker, step="cpn", issued_on=date(2015, 7, 1))
    assert "s.43(5)" in refused.value.message_dict["step"][0]
    services.intervention_create(case=case, user=worker, step="cpw", issued_on=date(2015, 7, 1))
    with pytest.raises(ValidationError):  # the same day is not earlier
        services.intervention_create(case=case, user=worker, step="cpn", issued_on=date(2015, 7, 1))
    assert not case.interventions.filter(step="cpn").exists()
    notice = services.intervention_create(case=case, user=worker, step="cpn", issued_on=date(2015, 8, 1))
    assert notice.pk
    warning = case.interventions.get(step="cpw")
    with pytest.raises(ValidationError):  # the warning the notice rests on cannot become something else
        services.intervention_update(
            intervention=warning, user=worker, step="abc", issued_on=date(2015, 7, 1)
        )
    assert AccessLog.objects.filter(
        reference=case.reference, reason__contains="community protection notice"
    ).exists()


def test_intervention_outcome_dates(partnership, worker):
    case = _open_case(partnership, worker)
    before = Intervention.objects.count()
    for extra, field in [
        ({"outcome": "complied", "outcome_on": date(2015, 6, 19)}, "outcome_on"),
        ({"ends_on": date(2015, 6, 1)}, "ends_on"),
        ({"outcome_on": date(2015, 6, 25)}, "outcome"),  # an outcome date with the outcome still pending
        ({"step": "banishment"}, "step"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.intervention_create(
                case=case, user=worker, **{"step": "abc", "issued_on": date(2015, 6, 20), **extra}
            )
        assert field in refused.value.message_dict, extra
    assert Intervention.objects.count() == before
    step = services.intervention_create(
        case=case,
        user=worker,
        step="abc",
        issued_on=date(2015, 6, 20),
        outcome="complied",
        outcome_on=date(2015, 6, 20),
    )
    assert step.outcome_on == step.issued_on


def test_case_update_team_and_partners(partnership, worker):
    case = _open_case(partnership, worker)
    police = User.objects.create_user(username="police-team", role="caseworker", organisation=org(POLICE))
    services.case_update(
        case=case, user=worker, lead=worker, team=[police], partners=[org(POLICE)], risk="medium", summary="S"
    )
    assert list(case.team.all()) == [police] and case.risk == "medium"
    assert perms.standing(police, case) == "team"
    with pytest.raises(ValidationError):
        services.case_update(
            case=case,
            user=worker,
            lead=worker,
            team=[User.objects.get(username="viewer-user")],
            risk="medium",
        )
    assert list(case.team.all()) == [police]


# The demo caseload


def test_demo_caseload(partnership, worker):
    police = User.objects.create_user(username="demo-police", role="caseworker", organisation=org(POLICE))
    counts = demo_asb.load(partnership, caseworkers={"dcc": worker, "police": police})
    if counts["created"]:  # (the demo command may have loaded it already)
        assert counts["incidents"] == 120 and counts["cases"] == 6 and counts["repeat_victims"] >= 3
    cases = Case.objects.filter(partnership=partnership, kind="asb", synthetic=True)
    assert cases.count() == 6 and cases.filter(restricted=True).count() == 1
    assert all(c.actions.exists() and c.interventions.exists() for c in cases)
    cpn = Intervention.objects.get(case__in=cases, step="cpn")
    assert Intervention.objects.filter(case=cpn.case, step="cpw", issued_on__lt=cpn.issued_on).exists()
    demo_people = Person.objects.filter(partnership=partnership, name__startswith="Demo Person")
    assert demo_people.count() >= 90
    assert not demo_people.exclude(name__regex=r"^Demo Person \d{3}$").exists()
    victims = IncidentPerson.objects.filter(person__in=demo_people, role="victim", incident__synthetic=True)
    assert victims.filter(incident__occurred_on__range=(date(2015, 4, 1), date(2016, 3, 31))).count() >= 120
    repeat = selectors.repeat_victim_ids(partnership, on=date(2016, 3, 31))
    assert demo_people.filter(pk__in=repeat).count() >= 3
    again = demo_asb.load(partnership, caseworkers={"dcc": worker})
    assert again["created"] is False and cases.count() == 6
