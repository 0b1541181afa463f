"""The demo plan against the seed documents it was transcribed from."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from saferplan.plans.models import Indicator, Objective, Outcome, PlanApproval, StrategicAction

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
PLAN_TEXT = SEEDS / "000_0cdac2aa740ee22e.txt"
CABINET_TEXT = SEEDS / "001_6b25e424a2c9788b.txt"

pytestmark = pytest.mark.skipif(not PLAN_TEXT.exists(), reason="../shared/seeds is not beside the checkout")


def seed_counts() -> dict:
    """Count objectives, action and measure bullets in the plan, and outcomes in the Cabinet paper."""
    text = PLAN_TEXT.read_text(encoding="utf-8")
    body = text[text.index("8. Delivering Altogether Safer Objectives and Outcomes\n\nReduce anti-social") :]
    body = body[: body.index("9. Monitoring Success of the Safe Durham Partnership Plan\n\nThe Safe Durham")]
    blocks = body.split("Why this is a priority objective")[1:]
    actions, measures = [], []
    for block in blocks:
        start = re.search(r"Our outcomes? and how we will deliver (them|it)", block).end()
        split = block.index("How we will measure success")
        actions.append(len(re.findall(r"^- ", block[start:split], re.M)))
        measures.append(len(re.findall(r"^- ", block[split:], re.M)))
    monitoring = text[text.index("9. Monitoring Success of the Safe Durham Partnership Plan\n\nThe Safe") :]
    monitoring = monitoring[: monitoring.index("10. National Policy Context")]
    cabinet = CABINET_TEXT.read_text(encoding="utf-8")
    return {
        "objectives": len(blocks),
        "actions": actions,
        "measures": measures,
        "key_crime": len(re.findall(r"^- ", monitoring, re.M)),
        "outcomes": len(re.findall(r"^- ❖", cabinet, re.M)),
        "cabinet_objectives": len(re.findall(r"^Strategic Objective \d+:", cabinet, re.M)),
    }


def test_demo_matches_the_seed_text(demo):
    seed = seed_counts()
    assert seed["objectives"] == seed["cabinet_objectives"] == 7
    objectives = list(Objective.objects.live().filter(plan=demo).order_by("number"))
    assert len(objectives) == seed["objectives"]
    assert Outcome.objects.live().filter(objective__plan=demo).count() == seed["outcomes"] == 17
    actions_per_objective = [
        StrategicAction.objects.live().filter(outcome__objective=o).count() for o in objectives
    ]
    assert actions_per_objective == seed["actions"]
    measures_per_objective = [o.indicators.live().count() for o in objectives]
    assert measures_per_objective == seed["measures"]
    assert (
        Indicator.objects.live().filter(key_crime=True, objectives__isnull=True).count()
        == seed["key_crime"]
        == 4
    )


def test_demo_outcome_titles_come_from_the_plan(demo):
    text = PLAN_TEXT.read_text(encoding="utf-8").replace("’", "'")
    for outcome in Outcome.objects.filter(objective__plan=demo):
        assert outcome.title in text, outcome.title
    for action in StrategicAction.objects.filter(outcome__objective__plan=demo):
        first_sentence = action.text.split(" (")[0][:60]
        assert first_sentence in text, action.text


def test_demo_approvals_and_police_and_crime_plan_links(demo):
    approvals = [
        (a.body, a.date.isoformat(), a.date_precision, a.approved) for a in demo.approvals.order_by("order")
    ]
    assert approvals[0] == (
        "Safe Durham Partnership Board",
        "2015-11-01",
        "month",
        PlanApproval.Approved.OBJECTIVES,
    )
    assert approvals[1][1:] == ("2016-05-01", "month", PlanApproval.Approved.OUTCOMES)
    assert approvals[-1] == (
        "Durham County Council Cabinet",
        "2016-06-15",
        "day",
        PlanApproval.Approved.FINAL_PLAN,
    )
    for objective in Objective.objects.filter(plan=demo):
        assert objective.links.filter(plan_name__icontains="Police and Crime Plan").exists(), objective
        assert objective.group_roles.filter(role="lead").exists(), objective
    kinds = set(demo.sections.values_list("kind", flat=True))
    assert {"foreword", "progress", "cross_cutting_themes", "glossary"} <= kinds
    assert demo.partnership.baskets.count() >= 4


def test_demo_twice_changes_nothing(demo):
    before = (
        StrategicAction.history.count(),
        Objective.history.count(),
        Indicator.history.count(),
        PlanApproval.history.count(),
    )
    call_command("demo", verbosity=0)
    after = (
        StrategicAction.history.count(),
        Objective.history.count(),
        Indicator.history.count(),
        PlanApproval.history.count(),
    )
    assert after == before
    assert Objective.objects.filter(plan=demo).count() == 7
