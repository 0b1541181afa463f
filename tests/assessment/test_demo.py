"""The demo's strategic assessments (saferplan.assessment.demo): 2008/09 from seed 003, 2015/16 from 000 and 001.

The 003 lists are read from the seed itself, so the demo's wording is checked against the document, not against a
copy of it."""

import re
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from saferplan.accounts.models import User
from saferplan.assessment import demo as assessment_demo
from saferplan.assessment.models import (
    CandidateIssue,
    Concern,
    ConsultationExercise,
    DataFlow,
    ImprovementAction,
    ImprovementUpdate,
    ModeratedScore,
    Score,
    SharingAgreement,
    StrategicAssessment,
)
from saferplan.assessment.selectors.consultation import reg12_check, responsible_authorities
from saferplan.assessment.selectors.scoring import ranking
from saferplan.core.models import Assumption
from saferplan.plans.management.commands.demo import DEMO_USERS

SEED_003 = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "003_ea72ce17d8599bb5.txt"
needs_seed = pytest.mark.skipif(not SEED_003.exists(), reason="../shared/seeds is not beside the checkout")

BULLET = re.compile(r"^-\s*[►▶➤]?\s*")


def seed_lists() -> dict[str, list[str]]:
    """The lists under each heading of 003's "Overview of what our Strategic Assessment told us", bullets off."""
    text = SEED_003.read_text(encoding="utf-8")
    start = text.index("Overview of what our Strategic Assessment told us")
    block = text[start : text.index("\nPurpose", start)]
    lists: dict[str, list[str]] = {}
    heading = None
    for line in block.splitlines()[1:]:
        line = line.strip()
        if not line:
            continue
        if line.startswith("-"):
            lists[heading].append(BULLET.sub("", line))
        else:
            heading = line
            lists[heading] = []
    return lists


def seed_section(start: str, end: str) -> list[str]:
    text = SEED_003.read_text(encoding="utf-8")
    i = text.index(start)
    return [
        BULLET.sub("", line.strip())
        for line in text[i : text.index(end, i)].splitlines()
        if line.startswith("-")
    ]


def assessment(slug):
    return StrategicAssessment.objects.get(slug=slug)


def texts(exercise_filter, group, kind):
    return list(
        Concern.objects.filter(exercise__in=exercise_filter, group=group, kind=kind)
        .order_by("order", "pk")
        .values_list("text", flat=True)
    )


def assumed_fields(obj) -> set[str]:
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return set(Assumption.objects.filter(content_type=ct, object_id=obj.pk).values_list("field", flat=True))


@needs_seed
def test_the_2008_09_consultation_results_are_003s_lists_word_for_word(demo):
    lists = seed_lists()
    assert [len(v) for v in lists.values()] == [8, 4, 3, 11]
    exercises = ConsultationExercise.objects.filter(assessment=assessment("csa-2008-09"))
    assert (
        texts(exercises, Concern.Group.COMMUNITIES, Concern.Kind.CONCERN)
        == lists["Our Communities are concerned about:"]
    )
    assert texts(exercises, Concern.Group.COMMUNITIES, Concern.Kind.WANT) == lists["They want to see:"]
    assert (
        texts(exercises, Concern.Group.YOUNG_PEOPLE, Concern.Kind.CONCERN)
        == lists["Children and young people in our communities are concerned about:"]
    )
    assert (
        texts(exercises, Concern.Group.PUBLIC_AUTHORITIES, Concern.Kind.CONCERN)
        == lists["Our public authorities are concerned about:"]
    )
    assert Concern.objects.filter(exercise__in=exercises).count() == 26
    # the dates are the demo's: 003 does not give them
    for exercise in exercises:
        assert {"held_from", "held_to"} <= assumed_fields(exercise)


@needs_seed
def test_the_six_priorities_in_003s_order_and_wording(demo):
    expected = [
        re.sub(r"^\d\.\s*", "", t) for t in seed_section("The priorities identified by", "Our new Community")
    ]
    assert len(expected) == 6
    priorities = list(assessment("csa-2008-09").priorities.order_by("number"))
    assert [p.title for p in priorities] == expected
    assert [p.number for p in priorities] == [1, 2, 3, 4, 5, 6]
    assert all(p.candidate is not None for p in priorities)


@needs_seed
def test_the_data_improvement_plan_is_003_priority_6_with_assumed_owners_dates_and_statuses(demo):
    expected = seed_section("Priority 6: Develop", "APPENDIX 1")
    actions = list(ImprovementAction.objects.filter(assessment=assessment("csa-2008-09")).order_by("order"))
    assert [a.description for a in actions] == expected
    for action in actions:
        assert {"owner", "target_date"} <= assumed_fields(action), action
        update = ImprovementUpdate.objects.get(action=action)
        assert "status" in assumed_fields(update)


def test_the_long_list_includes_issues_that_did_not_become_priorities(demo):
    csa = assessment("csa-2008-09")
    titles = set(csa.candidates.values_list("title", flat=True))
    assert {"Speeding traffic", "Litter and fly-tipping"} <= titles
    unprioritised = CandidateIssue.objects.filter(assessment=csa, priorities__isnull=True)
    assert unprioritised.count() == 3
    # each is evidenced by what the communities said
    assert all(c.concerns.exists() for c in unprioritised)
    sa = assessment("sa-2015-16")
    assert set(sa.candidates.filter(priorities__isnull=True).values_list("title", flat=True)) == {
        "Cyber crime",
        "Illicit tobacco",
    }


def test_the_2008_09_moderated_scores_rank_the_six_priorities_top_in_order(demo):
    csa = assessment("csa-2008-09")
    assert csa.scheme.template == "impact_likelihood"
    ranked = ranking(csa)
    assert [r.candidate.title for r in ranked] == assessment_demo.CSA_RANKING
    assert all(r.status == "moderated" for r in ranked)
    top = [r.candidate for r in ranked[:6]]
    assert [c.priorities.get().number for c in top] == [1, 2, 3, 4, 5, 6]
    assert [r.total for r in ranked[:6]] == [16, 12, 9, 8, 6, 4]
    assert max(r.total for r in ranked[6:]) < ranked[5].total


def test_the_2015_16_scoring_has_two_scorers_and_exactly_one_disagreement_moderated(demo):
    sa = assessment("sa-2015-16")
    assert sa.scheme.template == "morile"
    scores = Score.objects.filter(candidate__assessment=sa)
    assert set(scores.values_list("scorer__username", flat=True)) == {"analyst", "analyst2"}
    dimensions = sa.scheme.dimensions.count()
    assert scores.count() == 2 * dimensions * sa.candidates.count()
    by_pair: dict[tuple[int, int], set[int]] = {}
    for s in scores:
        by_pair.setdefault((s.candidate_id, s.dimension_id), set()).add(s.value)
    disagreements = [pair for pair, values in by_pair.items() if len(values) > 1]
    assert len(disagreements) == 1
    moderated = ModeratedScore.objects.filter(candidate__assessment=sa)
    assert [(m.candidate_id, m.dimension_id) for m in moderated] == disagreements
    assert moderated.get().reason
    title, dimension, _, value, _ = assessment_demo.SA_DISAGREEMENT
    assert (moderated.get().candidate.title, moderated.get().dimension.name, moderated.get().value) == (
        title,
        dimension,
        value,
    )


def test_the_2015_16_ranking_is_the_order_the_demo_says(demo):
    sa = assessment("sa-2015-16")
    ranked = ranking(sa)
    assert [r.candidate.title for r in ranked] == assessment_demo.SA_RANKING
    assert [r.rank for r in ranked] == list(range(1, 10))
    assert len({r.total for r in ranked}) == len(ranked)  # no ties
    statuses = {r.candidate.title: r.status for r in ranked}
    assert statuses.pop(assessment_demo.SA_DISAGREEMENT[0]) == "moderated"
    assert set(statuses.values()) == {"agreed"}
    # the seven priorities rank above the two issues that did not become priorities
    assert all(r.candidate.priorities.exists() for r in ranked[:7])
    assert not any(r.candidate.priorities.exists() for r in ranked[7:])


def test_the_2015_16_priorities_link_to_the_2016_19_objectives(demo):
    sa = assessment("sa-2015-16")
    assert sa.informs == demo
    priorities = list(sa.priorities.order_by("number"))
    objectives = list(demo.objectives.live().order_by("number"))
    assert len(priorities) == len(objectives) == 7
    for priority, objective in zip(priorities, objectives, strict=True):
        assert list(priority.objectives.all()) == [objective]
        assert priority.title == objective.title


def test_the_2015_16_consultation_follows_000_and_001(demo):
    exercises = {e.title: e for e in ConsultationExercise.objects.filter(assessment=assessment("sa-2015-16"))}
    big_tent = next(e for t, e in exercises.items() if "Big Tent" in t)
    assert str(big_tent.held_from) == "2015-11-04"  # 001 paragraph 6
    assert "held_from" not in assumed_fields(big_tent)
    kinds = {e.kind for e in exercises.values()}
    assert {"pact", "survey", "workshop", "aap_event", "scrutiny"} <= kinds
    assert any("14 Area Action Partnerships" in t for t in exercises)
    for exercise in exercises.values():
        if exercise is not big_tent:  # the seeds give months at most: the days are assumed
            assert {"held_from", "held_to"} <= assumed_fields(exercise), exercise
    for concern in Concern.objects.filter(exercise__in=exercises.values()):
        assert "exercise" in assumed_fields(concern)
    # 001 Appendix 1: the statutory consultation was undertaken; who attended is assumed
    authorities = responsible_authorities(demo.partnership)
    assert len(authorities) == 7
    assert reg12_check("2015/16", list(exercises.values()), authorities).met
    assert "senior_attendance" in assumed_fields(big_tent)


def test_the_2015_16_sections_pestelo_and_live_figures(demo):
    sa = assessment("sa-2015-16")
    kinds = list(sa.sections.values_list("kind", flat=True))
    assert kinds == [
        "current_picture",
        "victims_offenders_locations",
        "future_trends",
        "areas_for_development",
        "community_views",
    ]
    figures = [f for s in sa.sections.all() for f in s.figures.all()]
    assert any(f.indicator and f.indicator.slug == "asb-incidents-police" for f in figures)
    assert any(f.kind == "police_crime_types" for f in figures)
    pestle = " ".join(sa.pestle.values_list("text", flat=True))
    for driver in [
        "Welfare Reform",
        "austerity",
        "May 2016",
        "Police and Crime Plan",
        "20 October 2015",
        "Rural",
    ]:
        assert driver in pestle
    assert {"period_start", "period_end"} <= assumed_fields(sa)


def test_every_value_the_seeds_do_not_give_carries_an_assumption(demo):
    for score in Score.objects.filter(candidate__assessment__partnership=demo.partnership):
        assert "value" in assumed_fields(score)
    for moderated in ModeratedScore.objects.filter(candidate__assessment__partnership=demo.partnership):
        assert {"value", "reason"} <= assumed_fields(moderated)
    for flow in DataFlow.objects.filter(partnership=demo.partnership):
        assert {"due_days", "starts_on"} <= assumed_fields(flow)
    casework = {"Safer Homes centralised referral process", "MARAC and Multi-Agency Intervention Service"}
    agreements = [
        a
        for a in SharingAgreement.objects.filter(partnership=demo.partnership)
        if not a.title.startswith(tuple(casework))  # the casework demo's (tests/casework/test_demo.py)
    ]
    assert len(agreements) == 2
    for agreement in SharingAgreement.objects.filter(
        partnership=demo.partnership, title__startswith="Safer Homes"
    ):
        assert {"title", "signed_on"} <= assumed_fields(agreement)
    for agreement in agreements:
        assert {"title", "signed_on", "review_due", "signatories"} <= assumed_fields(agreement)
    assert [a.review_overdue() for a in agreements].count(True) == 1
    for slug in ("csa-2008-09", "sa-2015-16"):
        assert {"period_start", "period_end", "agreed_on", "scheme"} <= assumed_fields(assessment(slug))
    for candidate in CandidateIssue.objects.filter(assessment__partnership=demo.partnership):
        if candidate.concerns.exists():
            assert "concerns" in assumed_fields(candidate), candidate
        if candidate.crime_types:
            assert "crime_types" in assumed_fields(candidate), candidate
    assert demo.sent_to_pcc_on is not None
    assert "sent_to_pcc_on" in assumed_fields(demo)


def test_the_police_flow_brings_the_indicators_the_police_data_feed(demo):
    flow = DataFlow.objects.get(partnership=demo.partnership, provider__slug="durham-constabulary")
    assert flow.prescribed and flow.frequency == "quarterly" and flow.depersonalised
    slugs = set(flow.indicators.values_list("slug", flat=True))
    assert {"asb-incidents-police", "criminal-damage-arson", "crime-rate"} <= slugs
    health = DataFlow.objects.get(partnership=demo.partnership, provider__slug="north-durham-ccg")
    assert health.receipts.count() == 3


def test_the_demo_creates_its_scorers_and_demo_users_sets_their_passwords(demo, settings, tmp_path):
    analyst2 = User.objects.get(username="analyst2")
    assert (analyst2.first_name, analyst2.last_name, analyst2.role) == ("Ana", "Second", User.Role.ANALYST)
    assert analyst2.organisation.slug == "durham-constabulary"
    assert not analyst2.has_usable_password()
    assert "analyst2" in {u for u, *_ in DEMO_USERS}
    settings.DATA_DIR = tmp_path
    call_command("demo", "--users", verbosity=0, stdout=open("/dev/null", "w"))
    analyst2.refresh_from_db()
    assert analyst2.has_usable_password() and analyst2.role == User.Role.ANALYST


def counts():
    from django.apps import apps

    return {m.__name__: m.objects.count() for m in apps.get_app_config("assessment").get_models()} | {
        "Assumption": Assumption.objects.count(),
        "User": User.objects.count(),
    }


def test_running_the_demo_twice_changes_nothing(demo):
    before = counts()
    assert before["StrategicAssessment"] == 2
    assert assessment_demo.load(demo) == 0
    call_command("demo", verbosity=0)
    assert counts() == before
