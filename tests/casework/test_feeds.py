"""Casework counts into the plan (issue 20, item 6): each measure counted right on a small made-up caseload of a
partnership of its own (so the demo's caseload does not count), the area filter, feeds recording casework
figures beside published ones (origin, source, synthetic flag), running twice, refusals, and the pages by role."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from saferplan.accounts.models import Organisation
from saferplan.areas.models import Area
from saferplan.casework import measures
from saferplan.casework import models as m
from saferplan.casework.services import feeds
from saferplan.indicators.models import Observation
from saferplan.indicators.periods import Period
from saferplan.indicators.services import observation_record
from saferplan.plans.models import Indicator, Partnership

DCC = "durham-county-council"
POLICE = "durham-constabulary"
FIRE = "county-durham-and-darlington-fire-and-rescue"
Q1 = (date(2015, 4, 1), date(2015, 6, 30))  # Q1 2015/16


def org(slug):
    return Organisation.objects.get(slug=slug)


@pytest.fixture
def place(demo):
    """A partnership of its own, with its area and two localities."""
    p = Partnership.objects.create(
        slug="testshire", name="Testshire Community Safety Partnership", area="Testshire"
    )
    whole = Area.objects.create(partnership=p, code="T00000001", name="Testshire", kind=Area.Kind.PARTNERSHIP)
    north = Area.objects.create(
        partnership=p, code="T00000002", name="North", kind=Area.Kind.LOCALITY, parent=whole
    )
    south = Area.objects.create(
        partnership=p, code="T00000003", name="South", kind=Area.Kind.LOCALITY, parent=whole
    )
    return p, whole, north, south


def _person(p, name):
    return m.Person.objects.create(partnership=p, organisation=org(DCC), name=name)


def _incident(p, ref, category, reported, area, victim=None, synthetic=False):
    incident = m.Incident.objects.create(
        partnership=p,
        reference=ref,
        organisation=org(DCC),
        category=category,
        occurred_on=reported,
        reported_on=reported,
        area=area,
        synthetic=synthetic,
    )
    if victim is not None:
        m.IncidentPerson.objects.create(incident=incident, person=victim, role=m.IncidentPerson.Role.VICTIM)
    return incident


def _referral(p, ref, on, vulnerabilities, services, area=None, synthetic=False):
    referral = m.Referral.objects.create(
        partnership=p,
        reference=ref,
        organisation=org(FIRE),
        referred_on=on,
        source=m.Referral.Source.NURSE,
        person=_person(p, f"Made-up resident {ref}"),
        area=area,
        vulnerabilities=vulnerabilities,
        clutter_rating=6 if "hoarding" in vulnerabilities else None,
        consent=True,
        synthetic=synthetic,
    )
    for slug in services:
        m.ReferralRoute.objects.create(
            referral=referral, organisation=org(slug), vulnerabilities=vulnerabilities, due_on=on
        )
    return referral


def _marac(p, ref, subject, on, lead):
    case = m.Case.objects.create(
        partnership=p, reference=ref, organisation=org(POLICE), kind=m.Case.Kind.MARAC, subject=subject,
        opened_on=on, lead=lead,
    )  # fmt: skip
    return m.MaracReferral.objects.create(
        case=case, referred_on=on, referring_organisation=org(POLICE), dash_answers=[True] * 14 + [False] * 10
    )


@pytest.fixture
def caseload(place, users):
    """Q1 2015/16 in Testshire: 5 incidents (3 personal, one each of the others; a victim of 3 of them), 3
    referrals (1 police, 2 fire, 1 with hoarding), 2 Case Review applications (1 met and reviewed with
    recommendations, 1 not met), 3 MARAC referrals (1 a repeat), 1 MAIS case; and records outside the quarter."""
    p, whole, north, south = place
    lead = users["caseworker"]
    victim, other = _person(p, "Made-up victim A"), _person(p, "Made-up victim B")
    personal, nuisance, environmental = m.Incident.Category.values
    _incident(p, "TS-I1", personal, date(2015, 4, 2), north, victim)
    _incident(p, "TS-I2", personal, date(2015, 4, 20), north, victim)
    _incident(p, "TS-I3", personal, date(2015, 5, 11), south, victim)
    _incident(p, "TS-I4", nuisance, date(2015, 6, 30), south, other)
    _incident(p, "TS-I5", environmental, date(2015, 5, 1), None)
    _incident(p, "TS-I6", nuisance, date(2015, 7, 1), north)  # Q2
    _referral(p, "TS-R1", date(2015, 4, 3), ["crime"], [POLICE], north)
    _referral(p, "TS-R2", date(2015, 5, 3), ["fire", "hoarding"], [FIRE], south)
    _referral(p, "TS-R3", date(2015, 6, 3), ["falls"], [FIRE], None)
    _referral(p, "TS-R4", date(2015, 3, 31), ["crime"], [POLICE], north)  # Q4 2014/15
    met = m.CaseReview.objects.create(
        partnership=p, reference="TS-CR1", organisation=org(DCC), applicant=victim, applied_on=date(2015, 5, 20),
        behaviour="Made up", decision=m.CaseReview.Decision.MET, decided_on=date(2015, 5, 25),
        review_held_on=date(2015, 6, 10), recommendations="Made-up recommendation",
    )  # fmt: skip
    met.complaints.set(m.Incident.objects.filter(reference__in=["TS-I1", "TS-I2", "TS-I3"]))
    m.CaseReview.objects.create(
        partnership=p, reference="TS-CR2", organisation=org(DCC), applicant=other, applied_on=date(2015, 6, 1),
        behaviour="Made up", decision=m.CaseReview.Decision.NOT_MET, decided_on=date(2015, 6, 5),
        decision_reason="One qualifying complaint",
    )  # fmt: skip
    x, y = _person(p, "Made-up person X"), _person(p, "Made-up person Y")
    _marac(p, "TS-M1", x, date(2015, 4, 10), lead)
    _marac(p, "TS-M2", x, date(2015, 6, 10), lead)
    _marac(p, "TS-M3", y, date(2015, 5, 1), lead)
    m.Case.objects.create(
        partnership=p, reference="TS-MAIS1", organisation=org(DCC), kind=m.Case.Kind.MAIS, subject=other,
        opened_on=date(2015, 5, 1), lead=lead,
    )  # fmt: skip
    return p, whole, north, south


EXPECTED_Q1 = {
    "asb_incidents": 5,
    "asb_incidents_personal": 3,
    "asb_incidents_nuisance": 1,
    "asb_incidents_environmental": 1,
    "asb_repeat_victims": 1,
    "case_review_applications": 2,
    "case_review_threshold_not_met": 1,
    "case_reviews": 1,
    "case_reviews_with_recommendations": 1,
    "referrals": 3,
    "referrals_police": 1,
    "referrals_fire": 2,
    "referrals_hoarding": 1,
    "marac_referrals": 3,
    "marac_repeat_referrals": 1,
    "mais_cases_opened": 1,
}


@pytest.mark.parametrize("name", sorted(EXPECTED_Q1))
def test_each_count_measure(caseload, name):
    p, whole, *_ = caseload
    start, end = Q1
    assert measures.count(name, p, start=start, end=end) == (EXPECTED_Q1[name], None, None)
    assert measures.count(name, p, start=start, end=end, area=whole) == (EXPECTED_Q1[name], None, None)


def test_marac_repeat_rate_is_a_percentage_with_its_counts(caseload):
    p, *_ = caseload
    assert measures.count("marac_repeat_rate", p, start=Q1[0], end=Q1[1]) == (33.3, 1.0, 3.0)
    # nothing referred: no figure, not 0%
    assert measures.count("marac_repeat_rate", p, start=date(2016, 1, 1), end=date(2016, 3, 31)) == (
        None,
        0.0,
        0.0,
    )


def test_every_measure_has_a_unit_and_a_description():
    assert set(EXPECTED_Q1) | {"marac_repeat_rate"} == set(measures.MEASURES)
    assert all(x.unit in measures.UNITS and x.counted for x in measures.MEASURES.values())


@pytest.mark.parametrize(
    ("name", "north", "south"),
    [
        ("asb_incidents", 2, 2),
        ("asb_incidents_personal", 2, 1),
        ("asb_repeat_victims", 1, 1),
        ("referrals", 1, 1),
        ("referrals_police", 1, 0),
        ("referrals_fire", 0, 1),
        ("referrals_hoarding", 0, 1),
    ],
)
def test_a_locality_counts_its_own_records(caseload, name, north, south):
    p, _, n, s = caseload
    assert measures.count(name, p, start=Q1[0], end=Q1[1], area=n)[0] == north
    assert measures.count(name, p, start=Q1[0], end=Q1[1], area=s)[0] == south


def test_a_measure_without_localities_is_refused_for_a_locality(caseload):
    p, _, north, _ = caseload
    with pytest.raises(measures.MeasureError, match="whole partnership only"):
        measures.count("marac_referrals", p, start=Q1[0], end=Q1[1], area=north)
    with pytest.raises(measures.MeasureError, match="no casework measure"):
        measures.count("names_of_victims", p, start=Q1[0], end=Q1[1])


def _indicator(p, slug, unit="count", **extra):
    return Indicator.objects.create(
        partnership=p, slug=slug, name=slug.replace("-", " ").capitalize(), unit=unit, polarity="none",
        frequency="quarterly", **extra,
    )  # fmt: skip


def _published(indicator, area, period, value):
    observation_record(
        indicator=indicator, area=area, period=period, value=value, source="Testshire Fire Service",
        origin=Observation.Origin.PUBLISHED,
    )  # fmt: skip


SPAN = Period.span(2015, 4, 2015, 8)


def test_feed_records_casework_figures_beside_the_published_ones(caseload):
    p, whole, *_ = caseload
    indicator = _indicator(p, "referrals")
    _published(indicator, whole, SPAN, 3)
    feeds.feed_create(indicator=indicator, measure="referrals", area=whole)
    done = feeds.feed_run(partnership=p, today=date(2015, 10, 1))
    casework = {o.period: o for o in Observation.objects.filter(indicator=indicator, source=feeds.SOURCE)}
    # Q1 and Q2 2015/16 and the published span; not Q4 2014/15, which the records (from March 2015, the month
    # of the first) cover only in part
    assert {code: o.value for code, o in casework.items()} == {
        "2015-16-Q1": 3.0, "2015-16-Q2": 0.0, SPAN.code: 3.0,
    }  # fmt: skip
    assert done["created"] == 3
    assert {(o.origin, o.synthetic) for o in casework.values()} == {(Observation.Origin.CASEWORK, False)}
    assert "Counted from casework records on" in casework[SPAN.code].note
    # the published figure stays the headline of its span
    headline = Observation.objects.get(indicator=indicator, period=SPAN.code, headline=True)
    assert headline.source == "Testshire Fire Service"


def test_a_synthetic_caseload_gives_synthetic_figures(caseload):
    p, whole, *_ = caseload
    m.Referral.objects.filter(partnership=p).update(synthetic=True)
    indicator = _indicator(p, "referrals")
    feeds.feed_create(indicator=indicator, measure="referrals", area=whole)
    feeds.feed_run(partnership=p, today=date(2015, 10, 1))
    found = Observation.objects.filter(indicator=indicator, source=feeds.SOURCE)
    assert found.count() == 2
    # the empty Q2 too: a made-up caseload's zero is not a real count
    assert {(o.origin, o.synthetic) for o in found} == {(Observation.Origin.SYNTHETIC, True)}


def test_running_twice_changes_nothing(caseload):
    p, whole, *_ = caseload
    indicator = _indicator(p, "referrals")
    _published(indicator, whole, SPAN, 3)
    feeds.feed_create(indicator=indicator, measure="referrals", area=whole)
    feeds.feed_run(partnership=p, today=date(2015, 10, 1))
    before = list(
        Observation.objects.filter(indicator=indicator).values_list("pk", "value", "modified_at", "note")
    )
    done = feeds.feed_run(partnership=p, today=date(2015, 10, 1))
    assert (done["created"], done["revised"], done["unchanged"]) == (0, 0, 3)
    after = list(
        Observation.objects.filter(indicator=indicator).values_list("pk", "value", "modified_at", "note")
    )
    assert after == before


def test_only_periods_the_records_wholly_cover_are_counted(caseload):
    p, whole, *_ = caseload
    indicator = _indicator(p, "referrals")
    feed = feeds.feed_create(
        indicator=indicator,
        measure="referrals",
        area=whole,
        records_from=date(2015, 1, 1),  # the service began before its first referral (31 March)
        records_to=date(2015, 8, 31),  # and the caseload ends in August: Q2 is not whole
    )
    feeds.feed_run(partnership=p, today=date(2016, 1, 1))
    found = {o.period: o.value for o in Observation.objects.filter(indicator=indicator, source=feeds.SOURCE)}
    assert found == {"2014-15-Q4": 1.0, "2015-16-Q1": 3.0}
    with pytest.raises(ValidationError) as refused:
        feeds.feed_change(
            feed=feed,
            indicator=indicator,
            measure="referrals",
            area=whole,
            records_from=date(2015, 9, 1),
            records_to=date(2015, 8, 31),
        )
    assert "records_to" in refused.value.message_dict


def test_a_new_record_revises_the_figure(caseload):
    p, whole, *_ = caseload
    indicator = _indicator(p, "referrals")
    feeds.feed_create(indicator=indicator, measure="referrals", area=whole)
    feeds.feed_run(partnership=p, today=date(2015, 10, 1))
    _referral(p, "TS-R9", date(2015, 8, 3), ["fire"], [FIRE])
    done = feeds.feed_run(partnership=p, today=date(2015, 10, 1))
    assert done["revised"] == 1
    assert Observation.objects.get(indicator=indicator, source=feeds.SOURCE, period="2015-16-Q2").value == 1


def test_a_percentage_feed_records_numerator_and_denominator(caseload):
    p, whole, *_ = caseload
    indicator = _indicator(p, "marac-repeats", unit="percentage")
    feeds.feed_create(indicator=indicator, measure="marac_repeat_rate", area=whole)
    feeds.feed_run(partnership=p, today=date(2016, 1, 1))
    found = Observation.objects.filter(indicator=indicator, source=feeds.SOURCE)
    # Q1 only: Q2 and Q3 have no referrals, so no rate
    assert [(o.period, o.value, o.numerator, o.denominator) for o in found] == [
        ("2015-16-Q1", 33.3, 1.0, 3.0)
    ]


def test_a_unit_mismatch_is_refused(caseload):
    p, whole, north, _ = caseload
    rate = _indicator(p, "marac-repeats", unit="percentage")
    with pytest.raises(ValidationError) as refused:
        feeds.feed_create(indicator=rate, measure="marac_referrals", area=whole)
    assert "measure" in refused.value.message_dict
    count = _indicator(p, "marac-referrals")
    with pytest.raises(ValidationError) as refused:
        feeds.feed_create(indicator=count, measure="marac_referrals", area=north)
    assert "area" in refused.value.message_dict
    assert not m.CaseworkFeed.objects.filter(indicator__partnership=p).exists()


def test_a_count_that_breaks_a_rule_refuses_the_whole_run(caseload):
    p, whole, *_ = caseload
    police = _indicator(p, "referrals-police")
    capped = _indicator(p, "referrals", maximum=2)  # at most 2 a quarter: Q1's 3 breaks it
    feeds.feed_create(indicator=police, measure="referrals_police", area=whole)
    feeds.feed_create(indicator=capped, measure="referrals", area=whole)
    with pytest.raises(feeds.FeedRefused, match="Nothing was recorded.*highest plausible"):
        feeds.feed_run(partnership=p, today=date(2015, 10, 1))
    assert not Observation.objects.filter(indicator__partnership=p).exists()


def test_a_part_more_than_its_published_whole_is_refused(caseload):
    p, whole, *_ = caseload
    total = _indicator(p, "referrals")
    police = _indicator(p, "referrals-police", part_of=total)
    _published(total, whole, Period.quarter(2014, 4), 0)  # Q4 2014/15: published 0, casework police 1
    feeds.feed_create(
        indicator=police, measure="referrals_police", area=whole, records_from=date(2015, 1, 1)
    )  # records complete for all of Q4 2014/15
    m.Referral.objects.filter(partnership=p).update(
        synthetic=True
    )  # a synthetic figure is held to every other
    with pytest.raises(feeds.FeedRefused, match="part of"):
        feeds.feed_run(partnership=p, today=date(2015, 10, 1))
    assert not Observation.objects.filter(indicator=police).exists()


# Pages

ALLOWED = {"administrator", "analyst"}


@pytest.fixture
def demo_feed(demo):
    indicator = Indicator.objects.get(partnership=demo.partnership, slug="safer-homes-referrals")
    feed = m.CaseworkFeed.objects.filter(indicator=indicator).first()
    if feed is None:
        feed = m.CaseworkFeed.objects.create(
            indicator=indicator, measure="referrals", area=Area.objects.get(code="E06000047")
        )
    return feed


@pytest.mark.parametrize(
    "role",
    ["administrator", "analyst", "caseworker", "viewer", "data_provider", "group_lead", "board_member"],
)
def test_pages_by_role(client, users, demo_feed, role):
    client.force_login(users[role])
    for url in [
        reverse("casework-feed-list"),
        reverse("casework-feed-create"),
        reverse("casework-feed-edit", args=[demo_feed.pk]),
        reverse("casework-feed-run"),
    ]:
        assert client.get(url).status_code == (200 if role in ALLOWED else 403), url
    if role not in ALLOWED:  # an allowed POST runs every demo feed: test_run_page_confirms_then_records
        assert client.post(reverse("casework-feed-run")).status_code == 403


def test_feed_list_shows_each_feed_and_downloads(client, users, demo_feed):
    client.force_login(users["analyst"])
    page = client.get(reverse("casework-feed-list")).content.decode()
    assert "Number of referrals made through Safer Homes" in page
    assert "Safer Homes referrals made in the period" in page
    download = client.get(reverse("casework-feed-list") + "?format=csv")
    assert download["Content-Type"].startswith("text/csv")
    assert b"Number of referrals made through Safer Homes" in download.content


def test_feed_form_refuses_a_unit_mismatch_and_saves_a_good_feed(client, users, demo):
    client.force_login(users["analyst"])
    rate = Indicator.objects.get(partnership=demo.partnership, slug="domestic-abuse-repeat-marac")
    m.CaseworkFeed.objects.filter(indicator=rate).delete()
    county = Area.objects.get(code="E06000047")
    url = reverse("casework-feed-create")
    refused = client.post(url, {"indicator": rate.pk, "measure": "marac_referrals", "area": county.pk})
    assert refused.status_code == 400
    assert "is a count, but" in refused.content.decode()
    assert not m.CaseworkFeed.objects.filter(indicator=rate).exists()
    bad = client.post(url, {"indicator": "x", "measure": "<script>", "area": ""})
    assert bad.status_code == 400
    assert "Choose a measure from the list" in bad.content.decode()
    saved = client.post(url, {"indicator": rate.pk, "measure": "marac_repeat_rate", "area": county.pk})
    assert saved.status_code == 302
    assert m.CaseworkFeed.objects.get(indicator=rate).measure == "marac_repeat_rate"


def test_run_page_confirms_then_records(client, users, demo_feed):
    client.force_login(users["administrator"])
    page = client.get(reverse("casework-feed-run")).content.decode()
    assert "Record the counts" in page and "Number of referrals made through Safer Homes" in page
    response = client.post(reverse("casework-feed-run"), follow=True)
    assert "Casework counts recorded" in response.content.decode()
