"""Safer Homes referrals: routing by the partnership's rules and sharing agreements, the clutter and consent
rules, the receiving service's response, the counts, and the demo loader (saferplan.casework.{services,selectors,
forms}.referrals, demo_referrals)."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from saferplan.accounts.models import User
from saferplan.assessment.models import SharingAgreement
from saferplan.casework import demo_referrals
from saferplan.casework.forms.referrals import ReferralForm
from saferplan.casework.models import AccessLog, Address, Person, Referral, ReferralRoute, RoutingRule
from saferplan.casework.selectors import referrals as selectors
from saferplan.casework.services import referrals as services
from saferplan.plans.models import Partnership
from tests.casework.factories import DCC, FIRE, POLICE, org

DAY = date(2003, 6, 2)  # far from the demo's referrals, so counts see only a test's own


def routing_setup(partnership, user=None):
    """Rules: crime → police (1/28 days); fire → fire (1/28); hoarding → fire (2/14); falls → the council itself
    (3/21); isolation has no rule. One live agreement: DCC, police and fire."""
    RoutingRule.objects.filter(partnership=partnership).delete()
    SharingAgreement.objects.filter(partnership=partnership).update(archived_at=timezone.now())
    for code, slug, urgent, routine in (
        ("crime", POLICE, 1, 28),
        ("fire", FIRE, 1, 28),
        ("hoarding", FIRE, 2, 14),
        ("falls", DCC, 3, 21),
    ):
        RoutingRule.objects.create(
            partnership=partnership,
            vulnerability=code,
            organisation=org(slug),
            urgent_days=urgent,
            routine_days=routine,
        )
    agreement = SharingAgreement.objects.create(
        partnership=partnership,
        title="Test Safer Homes agreement",
        purpose="Referrals",
        legal_basis="Consent",
        data_items="Name, address",
    )
    agreement.parties.set([org(DCC), org(POLICE), org(FIRE)])
    return agreement


def caseworker_of(slug: str, name: str) -> User:
    return User.objects.create_user(
        username=name, password="x-long-password", role="caseworker", organisation=org(slug)
    )


@pytest.fixture
def worker(users):
    return users["caseworker"]


@pytest.fixture
def partnership(demo):
    return demo.partnership


@pytest.fixture
def agreement(partnership):
    return routing_setup(partnership)


def make(partnership, worker, **over):
    args = {
        "partnership": partnership,
        "user": worker,
        "referred_on": DAY,
        "source": Referral.Source.CARER,
        "person_name": "Made-up Person",
        "address_text": "1 Made-up Street",
        "vulnerabilities": ["fire"],
        "urgency": Referral.Urgency.ROUTINE,
        "consent": True,
    }
    return services.referral_create(**(args | over))


def written() -> tuple[int, int, int, int]:
    return (
        Referral.objects.count(),
        ReferralRoute.objects.count(),
        Person.objects.count(),
        Address.objects.count(),
    )


def test_each_vulnerability_goes_to_its_service_with_the_shortest_due_date(partnership, worker, agreement):
    referral = make(
        partnership, worker, vulnerabilities=["crime", "fire", "hoarding", "falls"], clutter_rating=7
    )
    routes = {r.organisation.slug: r for r in referral.routes.select_related("organisation")}
    assert set(routes) == {POLICE, FIRE, DCC}
    assert routes[POLICE].vulnerabilities == ["crime"]
    assert routes[FIRE].vulnerabilities == ["fire", "hoarding"]
    assert routes[DCC].vulnerabilities == ["falls"]
    assert routes[POLICE].due_on == DAY + timedelta(days=28)
    assert routes[FIRE].due_on == DAY + timedelta(days=14)  # hoarding's 14 beats fire's 28
    assert routes[DCC].due_on == DAY + timedelta(days=21)
    assert routes[POLICE].agreement == agreement and routes[FIRE].agreement == agreement
    assert routes[DCC].agreement is None  # the council's own service: nothing shared outside it
    assert referral.reference.startswith("SH-2003-")
    assert referral.organisation == org(DCC) and referral.person.name == "Made-up Person"
    log = AccessLog.objects.get(reference=referral.reference)
    assert log.action == AccessLog.Action.CREATE and log.user == worker


def test_urgent_referrals_are_due_by_the_urgent_time(partnership, worker, agreement):
    referral = make(
        partnership,
        worker,
        vulnerabilities=["crime", "fire", "hoarding"],
        clutter_rating=4,
        urgency=Referral.Urgency.URGENT,
    )
    due = {r.organisation.slug: r.due_on for r in referral.routes.select_related("organisation")}
    assert due == {POLICE: DAY + timedelta(days=1), FIRE: DAY + timedelta(days=1)}


def test_a_vulnerability_with_no_rule_is_refused_by_name_and_nothing_written(partnership, worker, agreement):
    before = written()
    with pytest.raises(ValidationError) as caught:
        make(partnership, worker, vulnerabilities=["fire", "isolation"])
    assert "Isolation" in caught.value.message_dict["vulnerabilities"][0]
    assert written() == before


def test_no_agreement_with_the_receiving_service_is_refused_and_nothing_written(
    partnership, worker, agreement
):
    agreement.parties.remove(org(POLICE))
    before = written()
    with pytest.raises(ValidationError) as caught:
        make(partnership, worker, vulnerabilities=["fire", "crime"])
    message = caught.value.message_dict["vulnerabilities"][0]
    assert "Durham Constabulary" in message and "no information-sharing agreement" in message
    assert "Fire" not in message.split("allows")[0]  # the fire service has an agreement: not named
    assert written() == before
    agreement.archived_at = timezone.now()
    agreement.save()
    with pytest.raises(ValidationError):
        make(partnership, worker, vulnerabilities=["fire"])
    assert written() == before
    make(partnership, worker, vulnerabilities=["falls"])  # the council's own service needs no agreement
    assert written()[0] == before[0] + 1


def test_clutter_rating_is_required_with_hoarding_and_refused_without(partnership, worker, agreement):
    before = written()
    with pytest.raises(ValidationError) as caught:
        make(partnership, worker, vulnerabilities=["hoarding"])
    assert "clutter_rating" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        make(partnership, worker, vulnerabilities=["fire"], clutter_rating=5)
    assert "clutter_rating" in caught.value.message_dict
    assert written() == before
    assert make(partnership, worker, vulnerabilities=["hoarding"], clutter_rating=9).clutter_rating == 9


def form(partnership, **over):
    data = {
        "referred_on_0": "2",
        "referred_on_1": "6",
        "referred_on_2": "2003",
        "source": "nurse",
        "person_name": "Made-up Person",
        "address_text": "2 Made-up Road",
        "vulnerabilities": ["fire"],
        "urgency": "routine",
        "consent": "on",
    }
    return ReferralForm(data | over, partnership=partnership)


def test_form_rules_clutter_consent_and_dates(partnership):
    assert form(partnership).is_valid()
    f = form(partnership, vulnerabilities=["hoarding"])
    assert not f.is_valid() and "hoarding was seen" in f.errors["clutter_rating"][0]
    f = form(partnership, clutter_rating="5")
    assert not f.is_valid() and "hoarding was not selected" in f.errors["clutter_rating"][0]
    f = form(partnership, vulnerabilities=["hoarding"], clutter_rating="10")
    assert not f.is_valid() and "clutter_rating" in f.errors
    assert form(partnership, vulnerabilities=["hoarding"], clutter_rating="6").is_valid()
    f = form(partnership, vulnerabilities=[])
    assert not f.is_valid() and f.errors["vulnerabilities"] == ["Select at least one vulnerability"]
    f = form(partnership, consent="")
    assert not f.is_valid() and "notes" in f.errors["consent"][0]
    assert form(partnership, consent="", notes="Vital interest: serious fire risk").is_valid()
    f = form(partnership, date_of_birth_0="3", date_of_birth_1="6", date_of_birth_2="2003")
    assert not f.is_valid() and "date_of_birth" in f.errors
    assert form(partnership, date_of_birth_0="3", date_of_birth_1="6", date_of_birth_2="1931").is_valid()
    future = date.today() + timedelta(days=3)
    f = form(
        partnership,
        referred_on_0=str(future.day),
        referred_on_1=str(future.month),
        referred_on_2=str(future.year),
    )
    assert not f.is_valid() and "referred_on" in f.errors


def test_consent_without_notes_is_refused_by_the_service(partnership, worker, agreement):
    before = written()
    with pytest.raises(ValidationError) as caught:
        make(partnership, worker, consent=False)
    assert "consent" in caught.value.message_dict
    assert written() == before
    assert make(partnership, worker, consent=False, notes="Vital interest: fire risk").consent is False


def test_the_receiving_service_accepts_completes_or_declines(partnership, worker, agreement):
    police = caseworker_of(POLICE, "test-police-caseworker")
    referral = make(partnership, worker, vulnerabilities=["crime", "fire"])
    route = referral.routes.get(organisation=org(POLICE))
    with pytest.raises(ValidationError) as caught:
        services.route_respond(route=route, user=police, action="complete", on=DAY)
    assert "Accept the referral before" in caught.value.message_dict["action"][0]
    with pytest.raises(ValidationError) as caught:
        services.route_respond(route=route, user=police, action="accept", on=DAY - timedelta(days=1))
    assert "on" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.route_respond(route=route, user=worker, action="accept", on=DAY)  # not the receiving service
    services.route_respond(route=route, user=police, action="accept", on=DAY + timedelta(days=2))
    with pytest.raises(ValidationError) as caught:
        services.route_respond(route=route, user=police, action="complete", on=DAY + timedelta(days=1))
    assert "accepted" in caught.value.message_dict["on"][0]
    done = services.route_respond(route=route, user=police, action="complete", on=DAY + timedelta(days=9))
    assert (done.status, done.accepted_on, done.completed_on) == (
        "completed",
        DAY + timedelta(days=2),
        DAY + timedelta(days=9),
    )
    fire_worker = caseworker_of(FIRE, "test-fire-caseworker")
    fire = referral.routes.get(organisation=org(FIRE))
    with pytest.raises(ValidationError) as caught:
        services.route_respond(route=fire, user=fire_worker, action="decline", on=DAY, reason="  ")
    assert "reason" in caught.value.message_dict
    fire.refresh_from_db()
    assert fire.status == "sent"
    services.route_respond(route=fire, user=fire_worker, action="decline", on=DAY, reason="Moved away")
    fire.refresh_from_db()
    assert (fire.status, fire.declined_on, fire.decline_reason) == ("declined", DAY, "Moved away")
    changes = AccessLog.objects.filter(reference=referral.reference, action=AccessLog.Action.CHANGE)
    assert changes.count() == 3


def test_overdue_is_sent_past_its_due_date(partnership, worker, agreement):
    referral = make(partnership, worker, vulnerabilities=["crime"])
    route = referral.routes.get()
    assert selectors.is_overdue(route, route.due_on) is False
    assert selectors.is_overdue(route, route.due_on + timedelta(days=1)) is True
    route.status = "accepted"
    assert selectors.is_overdue(route, route.due_on + timedelta(days=1)) is False


def test_counts_on_a_small_made_up_set(partnership, worker, agreement):
    police = caseworker_of(POLICE, "test-police-caseworker")
    one = make(partnership, worker, vulnerabilities=["crime", "fire"], source="nurse")
    make(
        partnership,
        worker,
        vulnerabilities=["hoarding"],
        clutter_rating=5,
        source="nurse",
        referred_on=DAY + timedelta(days=5),
        urgency="urgent",
    )
    make(partnership, worker, vulnerabilities=["falls"], source="gp", referred_on=DAY + timedelta(days=10))
    make(partnership, worker, vulnerabilities=["crime"], referred_on=DAY + timedelta(days=400))  # outside
    services.route_respond(
        route=one.routes.get(organisation=org(POLICE)),
        user=police,
        action="accept",
        on=DAY + timedelta(days=4),
    )
    counts = selectors.referral_counts(partnership, start=DAY, end=DAY + timedelta(days=30))
    assert counts["total"] == 3 and counts["police"] == 1 and counts["fire"] == 2 and counts["hoarding"] == 1
    assert (
        counts["by_source"]["nurse"] == 2
        and counts["by_source"]["gp"] == 1
        and counts["by_source"]["carer"] == 0
    )
    assert counts["by_vulnerability"] == {"fire": 1, "crime": 1, "hoarding": 1, "falls": 1, "isolation": 0}
    assert counts["by_outcome"] == {"sent": 3, "accepted": 1, "completed": 0, "declined": 0}
    assert counts["synthetic"] == 0
    times = {
        t.urgency: t for t in selectors.response_times(partnership, start=DAY, end=DAY + timedelta(days=30))
    }
    assert (times["routine"].routes, times["routine"].accepted, times["routine"].median_days) == (3, 1, 4)
    assert times["routine"].within == 1 and times["routine"].percent_within == pytest.approx(33.3)
    assert (times["urgent"].routes, times["urgent"].accepted, times["urgent"].median_days) == (1, 0, None)


def test_demo_loader_gives_the_seed_figures_exactly_and_only_once(partnership):
    fresh = Partnership.objects.create(
        slug="test-safer-homes", name="Test Safer Homes partnership", area="Test"
    )
    worker = caseworker_of(DCC, "demo-referrer")
    started = time.perf_counter()
    result = demo_referrals.load(fresh, caseworker=worker)
    seconds = time.perf_counter() - started
    print(f"demo_referrals.load: {seconds:.2f} s")
    assert (result["referrals"], result["police"], result["fire"], result["hoarding"]) == (
        2018,
        834,
        1184,
        110,
    )
    assert result["created"] == 2018
    counts = selectors.referral_counts(fresh, start=date(2014, 9, 19), end=date(2015, 11, 30))
    assert (counts["total"], counts["police"], counts["fire"], counts["hoarding"]) == (2018, 834, 1184, 110)
    assert counts["synthetic"] == 2018
    assert all(v > 0 for v in counts["by_source"].values())
    outcome = counts["by_outcome"]
    assert outcome["completed"] > 0.8 * 2018 and 0 < outcome["declined"] < 200 and outcome["sent"] > 0
    referrals = Referral.objects.filter(partnership=fresh)
    assert not referrals.filter(synthetic=False).exists()
    assert referrals.filter(referred_on__lt=date(2014, 9, 19)).count() == 0
    assert referrals.filter(referred_on__gt=date(2015, 11, 30)).count() == 0
    ratings = set(referrals.exclude(clutter_rating=None).values_list("clutter_rating", flat=True))
    assert ratings and ratings <= set(range(4, 10))
    assert all(r.routes.count() == 1 for r in referrals.order_by("pk")[:50])  # never both services
    assert not ReferralRoute.objects.filter(
        referral__partnership=fresh, status="declined", decline_reason=""
    ).exists()
    names = set(Person.objects.filter(pk__in=referrals.values("person")).values_list("name", flat=True)[:5])
    assert all(n.startswith("Demo Resident ") for n in names)
    rules = {r.vulnerability: r.organisation.slug for r in result["rules"]}
    assert rules == {"crime": POLICE, "fire": FIRE, "hoarding": FIRE, "falls": FIRE, "isolation": FIRE}
    assert len(result["rules_created"]) == 5 and result["agreement_created"] is True
    assert {a[1] for a in result["assumptions"]} >= {"organisation", "title"}
    # second time: nothing more, same figures
    again = demo_referrals.load(fresh, caseworker=worker)
    assert again["created"] == 0 and again["referrals"] == 2018 and again["rules_created"] == []
    assert again["agreement"] == result["agreement"] and again["agreement_created"] is False
    assert Referral.objects.filter(partnership=fresh).count() == 2018
    # deterministic: the same sequence of vulnerabilities from the same seed
    first = list(referrals.order_by("reference").values_list("referred_on", "vulnerabilities")[:20])
    assert first == sorted(first, key=lambda row: row[0])
    assert seconds < 10
