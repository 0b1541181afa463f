"""The ASB Case Review: qualifying complaints found from incidents, the threshold decision, the review and appeal,
the published figures and the demo loader (saferplan.casework.{selectors,services}.case_review, demo_reviews)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from saferplan.casework import demo_reviews
from saferplan.casework.models import (
    AccessLog,
    CaseReview,
    CaseworkSettings,
    Incident,
    IncidentPerson,
    Person,
)
from saferplan.casework.selectors import case_review as selectors
from saferplan.casework.services import case_review as services
from saferplan.plans.models import Partnership
from tests.casework.factories import DCC, org

APPLIED = date(2015, 8, 1)


@pytest.fixture
def worker(users):
    return users["caseworker"]


@pytest.fixture
def partnership(demo):
    return demo.partnership


def person(partnership, worker, name="Applicant (made up)"):
    return Person.objects.create(
        partnership=partnership, organisation=org(DCC), name=name, created_by=worker, modified_by=worker
    )


_n = iter(range(1, 10_000))


def incident(partnership, worker, who, occurred, reported, *, as_victim=False):
    found = Incident.objects.create(
        partnership=partnership,
        reference=f"TCR-INC-{next(_n)}",
        organisation=org(DCC),
        category=Incident.Category.NUISANCE,
        occurred_on=occurred,
        reported_on=reported,
        reporter=None if as_victim else who,
        created_by=worker,
    )
    if as_victim:
        IncidentPerson.objects.create(incident=found, person=who, role=IncidentPerson.Role.VICTIM)
    return found


def apply(partnership, worker, who, applied_on=APPLIED):
    return services.review_apply(
        partnership=partnership,
        organisation=org(DCC),
        user=worker,
        applicant=who,
        applied_on=applied_on,
        behaviour="Noise every night (made up)",
    )


def qualifying(partnership, worker, who, count):
    """`count` incidents each reported 2 days after the behaviour, within the six months."""
    return [
        incident(
            partnership, worker, who, date(2015, 7, 1 + 5 * i), date(2015, 7, 3 + 5 * i), as_victim=i % 2 == 1
        )
        for i in range(count)
    ]


def test_exactly_the_threshold_is_met(partnership, worker):
    who = person(partnership, worker)
    made = qualifying(partnership, worker, who, 3)
    review = apply(partnership, worker, who)
    assert {i.pk for i in selectors.qualifying_complaints(review)} == {i.pk for i in made}
    proposed = selectors.proposal(review)
    assert (proposed.count, proposed.threshold, proposed.met) == (3, 3, True)
    services.review_decide(review=review, user=worker, decision="met", decided_on=date(2015, 8, 5))
    review.refresh_from_db()
    assert review.decision == CaseReview.Decision.MET
    assert set(review.complaints.values_list("pk", flat=True)) == {i.pk for i in made}


def test_one_below_the_threshold_is_not_met_and_says_so(partnership, worker):
    who = person(partnership, worker)
    qualifying(partnership, worker, who, 2)
    review = apply(partnership, worker, who)
    proposed = selectors.proposal(review)
    assert (proposed.count, proposed.met) == (2, False)
    services.review_decide(review=review, user=worker, decision="not_met", decided_on=date(2015, 8, 5))
    review.refresh_from_db()
    assert review.decision_reason == (
        "2 qualifying complaints in the six months before 1 August 2015; the threshold is 3"
    )
    assert review.complaints.count() == 2


def test_a_complaint_outside_the_window_does_not_count(partnership, worker):
    who = person(partnership, worker)
    qualifying(partnership, worker, who, 2)
    old = incident(
        partnership, worker, who, date(2015, 1, 20), date(2015, 1, 22)
    )  # more than 183 days before
    review = apply(partnership, worker, who)
    found = {f.incident.pk: f for f in selectors.findings(review)}
    assert not found[old.pk].qualifies
    assert "before the six months before the application" in found[old.pk].why
    assert not selectors.proposal(review).met


def test_a_complaint_reported_too_late_does_not_count(partnership, worker):
    who = person(partnership, worker)
    qualifying(partnership, worker, who, 2)
    late = incident(partnership, worker, who, date(2015, 6, 1), date(2015, 7, 11))
    review = apply(partnership, worker, who)
    found = {f.incident.pk: f for f in selectors.findings(review)}
    assert not found[late.pk].qualifies
    assert found[late.pk].why == "reported 40 days after the behaviour: more than one month"
    assert selectors.proposal(review).count == 2


def test_other_peoples_incidents_and_later_reports_are_not_found(partnership, worker):
    who = person(partnership, worker)
    other = person(partnership, worker, "Someone else (made up)")
    qualifying(partnership, worker, other, 3)
    incident(partnership, worker, who, date(2015, 8, 2), date(2015, 8, 3))  # after the application
    review = apply(partnership, worker, who)
    assert selectors.findings(review) == []


def test_setting_the_threshold_to_two_changes_the_result(partnership, worker):
    who = person(partnership, worker)
    qualifying(partnership, worker, who, 2)
    review = apply(partnership, worker, who)
    assert not selectors.proposal(review).met
    rules = CaseworkSettings.objects.filter(partnership=partnership).first() or CaseworkSettings(
        partnership=partnership
    )
    rules.trigger_complaints = 2
    rules.save()
    assert selectors.proposal(review).met
    services.review_decide(review=review, user=worker, decision="met", decided_on=date(2015, 8, 5))
    assert CaseReview.objects.get(pk=review.pk).decision == "met"


def test_met_below_the_threshold_is_refused_without_discretion(partnership, worker):
    who = person(partnership, worker)
    qualifying(partnership, worker, who, 1)
    review = apply(partnership, worker, who)
    with pytest.raises(ValidationError) as exc:
        services.review_decide(review=review, user=worker, decision="met", decided_on=date(2015, 8, 5))
    assert "discretion" in exc.value.message_dict
    review.refresh_from_db()
    assert (review.decision, review.decided_on, review.complaints.count()) == ("pending", None, 0)
    services.review_decide(
        review=review,
        user=worker,
        decision="met",
        decided_on=date(2015, 8, 5),
        discretion="The victim is vulnerable and the behaviour is escalating",
    )
    review.refresh_from_db()
    assert review.decision == "met"
    assert "discretion: The victim is vulnerable" in review.decision_reason


def test_not_met_at_the_threshold_needs_a_reason(partnership, worker):
    who = person(partnership, worker)
    qualifying(partnership, worker, who, 3)
    review = apply(partnership, worker, who)
    with pytest.raises(ValidationError) as exc:
        services.review_decide(review=review, user=worker, decision="not_met", decided_on=date(2015, 8, 5))
    assert "reason" in exc.value.message_dict


def test_dates_out_of_order_are_refused(partnership, worker):
    who = person(partnership, worker)
    qualifying(partnership, worker, who, 3)
    review = apply(partnership, worker, who)
    with pytest.raises(ValidationError) as exc:
        services.review_decide(review=review, user=worker, decision="met", decided_on=date(2015, 7, 31))
    assert "decided_on" in exc.value.message_dict
    with pytest.raises(ValidationError):  # no review before the decision
        services.review_record(review=review, user=worker, held_on=date(2015, 8, 20))
    services.review_decide(review=review, user=worker, decision="met", decided_on=date(2015, 8, 5))
    with pytest.raises(ValidationError) as exc:
        services.review_record(review=review, user=worker, held_on=date(2015, 8, 4))
    assert "held_on" in exc.value.message_dict
    services.review_record(review=review, user=worker, held_on=date(2015, 8, 20), recommendations="Do more")
    with pytest.raises(ValidationError) as exc:
        services.review_appeal(review=review, user=worker, requested_on=date(2015, 8, 19))
    assert "requested_on" in exc.value.message_dict
    with pytest.raises(ValidationError):  # in the future
        services.review_appeal(review=review, user=worker, requested_on=date(2999, 1, 1))
    services.review_appeal(review=review, user=worker, requested_on=date(2015, 9, 1), outcome="Upheld")
    review.refresh_from_db()
    assert (review.review_held_on, review.appeal_requested_on, review.appeal_outcome) == (
        date(2015, 8, 20),
        date(2015, 9, 1),
        "Upheld",
    )
    with pytest.raises(ValidationError):  # a review held, the decision cannot become "not met"
        services.review_decide(review=review, user=worker, decision="not_met", decided_on=date(2015, 8, 5))


def test_every_write_is_logged(partnership, worker):
    before = AccessLog.objects.count()
    review = services.review_apply(
        partnership=partnership,
        organisation=org(DCC),
        user=worker,
        applicant_name="New Applicant (made up)",
        applied_on=APPLIED,
        behaviour="Shouting (made up)",
        on_behalf=True,
    )
    services.review_decide(review=review, user=worker, decision="not_met", decided_on=date(2015, 8, 2))
    entries = list(AccessLog.objects.order_by("pk")[before:])
    assert [(e.action, e.record_type) for e in entries] == [
        ("create", "person"),
        ("create", "case_review"),
        ("change", "case_review"),
    ]
    assert all(e.user_id == worker.pk for e in entries)
    assert review.reference.startswith("CR-2015-")
    assert review.applicant.name == "New Applicant (made up)" and review.on_behalf


def test_an_application_without_an_applicant_writes_nothing(partnership, worker):
    before = (CaseReview.objects.count(), Person.objects.count(), AccessLog.objects.count())
    with pytest.raises(ValidationError) as exc:
        services.review_apply(
            partnership=partnership, organisation=org(DCC), user=worker, applied_on=APPLIED, behaviour="x"
        )
    assert "applicant_name" in exc.value.message_dict
    assert (CaseReview.objects.count(), Person.objects.count(), AccessLog.objects.count()) == before


def test_published_figures_for_a_made_up_year(partnership, worker):
    fresh = Partnership.objects.create(slug="tcr-made-up", name="Made-up partnership", area="Nowhere")
    rows = [
        # applied, decision, decided, held, recommendations
        (
            date(2014, 3, 20),
            "not_met",
            date(2014, 4, 2),
            None,
            "",
        ),  # applied the year before, decided in 2014/15
        (date(2014, 4, 1), "met", date(2014, 4, 10), date(2014, 5, 1), "Yes"),
        (date(2014, 9, 1), "met", date(2014, 9, 9), date(2014, 10, 1), ""),
        (date(2015, 3, 31), "met", date(2015, 4, 2), date(2015, 4, 20), "Yes"),  # reviewed in 2015/16
        (date(2015, 4, 1), "pending", None, None, ""),
    ]
    who = person(fresh, worker)
    for i, (applied, decision, decided, held, recs) in enumerate(rows):
        CaseReview.objects.create(
            partnership=fresh,
            reference=f"TCR-FIG-{i}",
            organisation=org(DCC),
            applicant=who,
            applied_on=applied,
            behaviour="x",
            decision=decision,
            decided_on=decided,
            review_held_on=held,
            recommendations=recs,
        )
    year = selectors.published_figures(fresh, start=date(2014, 4, 1), end=date(2015, 3, 31))
    assert year == {
        "applications": 3,
        "threshold_not_met": 1,
        "reviews": 2,
        "reviews_with_recommendations": 1,
    }
    by_label = {r.label: r.figures for r in selectors.annual_figures(fresh)}
    assert list(by_label) == ["2015/16", "2014/15", "2013/14"]
    assert by_label["2015/16"] == {
        "applications": 1,
        "threshold_not_met": 0,
        "reviews": 1,
        "reviews_with_recommendations": 1,
    }


def test_demo_loader(worker):
    fresh = Partnership.objects.create(slug="tcr-demo", name="Demo test partnership", area="Nowhere")
    counts = demo_reviews.load(fresh, caseworker=worker)
    assert counts == {
        "applications": 5,
        "threshold_not_met": 2,
        "reviews": 3,
        "reviews_with_recommendations": 2,
        "incidents": 14,
    }
    figures = selectors.published_figures(fresh, start=date(2015, 4, 1), end=date(2016, 3, 31))
    assert figures == {
        "applications": 5,
        "threshold_not_met": 2,
        "reviews": 3,
        "reviews_with_recommendations": 2,
    }
    reviews = CaseReview.objects.filter(partnership=fresh)
    assert all(r.synthetic and r.organisation.slug == DCC for r in reviews)
    assert Incident.objects.filter(partnership=fresh, synthetic=True).count() == 14
    reasons = sorted(r.decision_reason for r in reviews.filter(decision="not_met"))
    assert reasons == [
        "2 qualifying complaints in the six months before 18 January 2016; the threshold is 3",
        "2 qualifying complaints in the six months before 5 October 2015; the threshold is 3",
    ]
    late = [f for r in reviews for f in selectors.findings(r) if not f.qualifies]
    assert [f.why for f in late] == ["reported 40 days after the behaviour: more than one month"]
