"""Plan refresh and the difference between versions: the demo's 2014-17 plan, refresh, diff, commands, pages."""

import io
import json
import re
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.urls import reverse

from saferplan.plans.management.commands.demo import DEMO_PREVIOUS
from saferplan.plans.models import (
    Indicator,
    Objective,
    ObjectiveGroup,
    Outcome,
    Plan,
    StrategicAction,
    Strategy,
)
from saferplan.plans.plan_yaml import export_plan_text, import_plan_text
from saferplan.plans.refresh import (
    RefreshError,
    diff_text,
    is_unchanged,
    plan_diff,
    plan_refresh,
    refresh_defaults,
)
from saferplan.plans.schema import DocumentError

SEED_2014 = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "004_b5899d5674ecd2d9.txt"
ROAD = ("Road casualty reduction", "Implement measures to promote a safe environment")
THINK_FAMILY = ("Embedding the Think Family approach", "Embed the 'Think Family' approach")


def seed_objectives_2014_17() -> list[str]:
    """004 paragraph 4: the seven strategic objectives of the Safe Durham Partnership Plan 2014-17."""
    text = SEED_2014.read_text(encoding="utf-8")
    para = text[text.index("4. The Plan demonstrates") : text.index("- 5. Thematic groups")]
    return [m.group(1).rstrip(".") for m in re.finditer(r"^\s+- [a-g]\. (.+)$", para, re.M)]


@pytest.fixture
def earlier(demo) -> Plan:
    return Plan.objects.get(slug="sdp-2014-17")


def counts(plan: Plan) -> tuple[int, int, int]:
    return (
        Objective.objects.live().filter(plan=plan).count(),
        Outcome.objects.live().filter(objective__plan=plan).count(),
        StrategicAction.objects.live().filter(outcome__objective__plan=plan).count(),
    )


# ------------------------------------------------------------------ the demo's earlier version


def test_demo_holds_2014_17_as_an_archived_earlier_version(demo, earlier):
    assert earlier.status == Plan.Status.ARCHIVED and earlier.period == "2014-17"
    assert earlier.title == "Safe Durham Partnership Plan 2014-17"
    assert demo.previous_version == earlier and list(earlier.next_versions.all()) == [demo]
    assert counts(earlier) == (7, 7, 0)
    # every 2016-19 objective carries on one of 2014-17, in the same place
    for objective in Objective.objects.filter(plan=demo):
        assert objective.previous.plan == earlier and objective.previous.number == objective.number
    # the earlier version changed nothing the 2016-19 plan needs
    assert counts(demo) == (7, 17, 80)
    assert Indicator.objects.live().count() == 54 and Strategy.objects.count() == 21
    assert demo.partnership.baskets.count() == 4


@pytest.mark.skipif(not SEED_2014.exists(), reason="../shared/seeds is not beside the checkout")
def test_2014_17_objectives_are_verbatim_from_seed_004(earlier):
    seed = seed_objectives_2014_17()
    assert len(seed) == 7 and seed[-1] == "Road casualty reduction"
    titles = list(earlier.objectives.order_by("number").values_list("title", flat=True))
    assert titles == seed


def test_reimporting_the_earlier_version_leaves_indicators_strategies_and_baskets_alone(demo, earlier):
    before = (Indicator.objects.live().count(), Strategy.objects.count(), demo.partnership.baskets.count())
    history = Indicator.history.count()
    import_plan_text(DEMO_PREVIOUS.read_text(encoding="utf-8"))
    after = (Indicator.objects.live().count(), Strategy.objects.count(), demo.partnership.baskets.count())
    assert after == before and Indicator.history.count() == history


def test_diff_2014_17_to_2016_19(demo, earlier):
    diff = plan_diff(earlier, demo)
    objectives = diff["objectives"]
    renamed = {(e["old"]["title"], e["new"]["title"]) for e in objectives["renamed"]}
    assert renamed == {ROAD, THINK_FAMILY}
    road = next(e for e in objectives["renamed"] if e["old"]["title"] == ROAD[0])
    assert road["old"]["ref"] == road["new"]["ref"] == "7" and road["matched_by"] == "lineage"
    # all seven 2014-17 objectives carry on, and 2016-19 has no objective without a predecessor
    assert objectives["added"] == objectives["removed"] == objectives["moved"] == []
    assert objectives["unchanged"] == 5
    # the 2014-17 outcomes are illustrative and not carried on; 2016-19's outcomes and actions are new
    assert len(diff["outcomes"]["removed"]) == 7 and len(diff["outcomes"]["added"]) == 17
    assert len(diff["actions"]["added"]) == 80 and diff["actions"]["removed"] == []
    text = diff_text(diff)
    assert "Objective 7: Road casualty reduction → Implement measures to promote a safe environment" in text


def test_diff_the_other_way_round_follows_lineage_backwards(demo, earlier):
    diff = plan_diff(demo, earlier)
    renamed = {(e["old"]["title"], e["new"]["title"]) for e in diff["objectives"]["renamed"]}
    assert renamed == {(ROAD[1], ROAD[0]), (THINK_FAMILY[1], THINK_FAMILY[0])}
    assert all(e["matched_by"] == "lineage" for e in diff["objectives"]["renamed"])


# ------------------------------------------------------------------ refresh


def test_refresh_copies_the_plan_with_lineage(demo, users):
    admin = users["administrator"]
    assert refresh_defaults(demo) == {
        "slug": "sdp-2017-20",
        "title": "Safe Durham Partnership Plan 2017-20",
        "period": "2017-20",
    }
    new = plan_refresh(plan=demo, user=admin)
    assert (new.slug, new.title, new.period, new.status) == (
        "sdp-2017-20",
        "Safe Durham Partnership Plan 2017-20",
        "2017-20",
        Plan.Status.DRAFT,
    )
    assert new.previous_version == demo and new.partnership == demo.partnership
    assert counts(new) == (7, 17, 80)
    assert new.sections.count() == demo.sections.count() and not new.approvals.exists()
    for objective in Objective.objects.filter(plan=new).select_related("previous"):
        old = objective.previous
        assert old.plan == demo and (old.number, old.title) == (objective.number, objective.title)
        assert list(objective.group_roles.values_list("group", "role")) == list(
            old.group_roles.values_list("group", "role")
        )
        assert objective.links.count() == old.links.count()
        assert set(objective.indicators.all()) == set(old.indicators.live())
        assert set(objective.strategies.all()) == set(old.strategies.all())
        assert objective.history.get().history_user == admin
    for action in StrategicAction.objects.filter(outcome__objective__plan=new).select_related("previous"):
        assert action.previous.outcome.objective.plan == demo and action.previous.text == action.text
        assert action.previous.outcome == action.outcome.previous
    # indicators are linked, not copied; their history records who linked them
    assert Indicator.objects.count() == 54
    assert Indicator.history.filter(history_user=admin).exists()
    # the previous version is untouched
    assert counts(demo) == (7, 17, 80)
    assert demo.status == Plan.Status.APPROVED

    diff = plan_diff(demo, new)
    assert is_unchanged(diff)
    assert [diff[level]["unchanged"] for level in ("objectives", "outcomes", "actions")] == [7, 17, 80]


def test_refresh_rejects_a_taken_slug_or_a_bad_period(demo):
    with pytest.raises(RefreshError, match="already a plan"):
        plan_refresh(plan=demo, user=None, slug="sdp-2014-17")
    with pytest.raises(RefreshError, match="period"):
        plan_refresh(plan=demo, user=None, period="2017")
    assert not Plan.objects.filter(previous_version=demo).exists()


def test_changes_after_a_refresh_show_in_the_diff(demo, users):
    new = plan_refresh(plan=demo, user=users["administrator"], slug="next", title="Next", period="2017-20")
    objective = Objective.objects.get(plan=new, number=7)
    objective.title = "Promote a safe environment"
    objective.save()
    Objective.objects.filter(plan=new, number=6).update(number=8)  # renumbered
    outcome = Outcome.objects.get(objective__plan=new, objective__number=2, number=5)
    outcome.archived_at = outcome.modified_at
    outcome.save()  # removed
    first, second = StrategicAction.objects.filter(
        outcome__objective__plan=new, outcome__objective__number=1, outcome__number=2
    ).order_by("order")
    first.order, second.order = second.order, first.order
    first.save()
    second.save()  # swapped: one of the two counts as moved
    Objective.objects.create(plan=new, number=9, title="Tackle rural crime")  # added

    diff = plan_diff(demo, new)
    o = diff["objectives"]
    assert [(e["old"]["title"], e["new"]["title"]) for e in o["renamed"]] == [
        (ROAD[1], "Promote a safe environment")
    ]
    assert [(e["old"]["ref"], e["new"]["ref"]) for e in o["moved"]] == [("6", "8")]
    assert o["added"] == [{"ref": "9", "title": "Tackle rural crime"}] and o["removed"] == []
    assert [e["ref"] for e in diff["outcomes"]["removed"]] == ["2.5"]
    assert diff["outcomes"]["moved"] == []  # outcomes of the renumbered objective stay where they were
    assert len(diff["actions"]["moved"]) == 1
    assert diff["actions"]["moved"][0]["new"]["ref"].startswith("1.2.")
    assert len(diff["actions"]["removed"]) == Outcome.objects.get(pk=outcome.previous_id).actions.count()
    text = diff_text(diff)
    assert f"Objective 7: {ROAD[1]} → Promote a safe environment" in text
    assert "Objective 6 → 8: Counter terrorism and prevention of violent extremism" in text


def test_records_without_lineage_are_matched_by_title(demo, users):
    new = plan_refresh(plan=demo, user=users["administrator"])
    Objective.objects.filter(plan=new).update(previous=None)
    Outcome.objects.filter(objective__plan=new).update(previous=None)
    StrategicAction.objects.filter(outcome__objective__plan=new).update(previous=None)
    diff = plan_diff(demo, new)
    assert is_unchanged(diff)
    Objective.objects.filter(plan=new, number=7).update(title="Something else")
    diff = plan_diff(demo, new)
    assert [e["title"] for e in diff["objectives"]["added"]] == ["Something else"]
    assert [e["title"] for e in diff["objectives"]["removed"]] == [ROAD[1]]
    # its outcomes are matched by title, under an objective that is not the same: moved
    assert len(diff["outcomes"]["moved"]) == 3


# ------------------------------------------------------------------ plan file


def test_export_of_a_refresh_round_trips_with_its_lineage(demo, users):
    new = plan_refresh(plan=demo, user=users["administrator"])
    text = export_plan_text(new)
    data = yaml.safe_load(text)
    assert data["plan"]["previous_version"] == "sdp-2016-19"
    assert [o["previous"] for o in data["plan"]["objectives"]] == list(range(1, 8))
    assert data["plan"]["objectives"][1]["outcomes"][4]["previous"] == "2.5"
    Objective.objects.filter(plan=new).update(previous=None)
    Outcome.objects.filter(objective__plan=new).update(previous=None)
    import_plan_text(text)
    assert export_plan_text(new) == text
    assert Outcome.objects.get(objective__plan=new, objective__number=2, number=5).previous.reference == "2.5"


MINIMAL = """\
format: saferplan-plan/1
partnership: {slug: test-csp, name: Test Community Safety Partnership, area: Testshire}
organisations:
  - {slug: test-council, name: Test Council, kind: responsible_authority}
groups:
  - {slug: board, name: Test Board, kind: board}
plan:
  slug: test-plan
  title: Test Plan 2020-23
  period: 2020-23
  status: draft
  previous_version: sdp-2016-19
  objectives:
    - number: 1
      title: Reduce harm
      previous: 1
      outcomes:
        - number: 1
          title: Less harm
          previous: "1.2"
"""


@pytest.mark.parametrize(
    "change, line, field, message",
    [
        (
            ("previous_version: sdp-2016-19", "previous_version: sdp-2015-18"),
            12,
            "plan.previous_version",
            "'sdp-2015-18' is not a plan in the database",
        ),
        (
            ("previous_version: sdp-2016-19", "previous_version: test-plan"),
            12,
            "plan.previous_version",
            "cannot be its own previous version",
        ),
        (
            ("  previous_version: sdp-2016-19\n", ""),
            15,
            "plan.objectives[0].previous",
            "the plan has no previous_version",
        ),
        (
            ("previous: 1\n", "previous: 8\n"),
            16,
            "plan.objectives[0].previous",
            "8 is not one of the objective",
        ),
        (
            ('previous: "1.2"', 'previous: "1.3"'),
            20,
            "plan.objectives[0].outcomes[0].previous",
            "'1.3' is not one of the outcome references",
        ),
        (
            ('previous: "1.2"', "previous: one"),
            20,
            "plan.objectives[0].outcomes[0].previous",
            "expected an outcome reference",
        ),
    ],
)
def test_lineage_errors_name_line_and_field(demo, change, line, field, message):
    text = MINIMAL.replace(*change)
    assert text != MINIMAL
    with pytest.raises(DocumentError) as caught:
        import_plan_text(text, filename="plan.yaml")
    assert any(p.line == line and p.field == field and message in p.message for p in caught.value.problems), (
        caught.value.problems
    )
    assert not Plan.objects.filter(slug="test-plan").exists()


def test_lineage_is_imported(demo):
    plan = import_plan_text(MINIMAL)
    assert plan.previous_version == demo
    objective = plan.objectives.get()
    assert objective.previous == Objective.objects.get(plan=demo, number=1)
    assert objective.outcomes.get().previous == Outcome.objects.get(
        objective__plan=demo, objective__number=1, number=2
    )


def test_a_plan_cannot_name_a_later_version_as_its_previous_one(demo, earlier):
    text = DEMO_PREVIOUS.read_text(encoding="utf-8").replace(
        "  status: archived\n", "  status: archived\n  previous_version: sdp-2016-19\n"
    )
    with pytest.raises(DocumentError, match="later version of this plan"):
        import_plan_text(text)


# ------------------------------------------------------------------ commands


def run(*args) -> str:
    out = io.StringIO()
    call_command("plan", *args, stdout=out)
    return out.getvalue()


def test_refresh_and_diff_commands(demo):
    out = run("refresh", "--from", "sdp-2016-19")
    assert "Started Safe Durham Partnership Plan 2017-20 (sdp-2017-20)" in out
    assert "7 objectives, 17 outcomes and 80 strategic actions" in out
    assert Plan.objects.get(slug="sdp-2017-20").status == Plan.Status.DRAFT
    same = run("diff", "sdp-2016-19", "sdp-2017-20")
    assert "Objectives: 0 added, 0 removed, 0 renamed, 0 moved, 7 unchanged" in same
    assert "Strategic actions: 0 added, 0 removed, 0 renamed, 0 moved, 80 unchanged" in same

    text = run("diff", "sdp-2014-17", "sdp-2016-19")
    assert "Objectives renamed\n" in text and "Objectives added\n  none\n" in text
    assert "Objective 7: Road casualty reduction → Implement measures to promote a safe environment" in text
    data = json.loads(run("diff", "sdp-2014-17", "sdp-2016-19", "--format", "json"))
    assert data["old"]["slug"] == "sdp-2014-17" and data["new"]["slug"] == "sdp-2016-19"
    assert {
        "old": {"ref": "7", "title": ROAD[0]},
        "new": {"ref": "7", "title": ROAD[1]},
        "matched_by": "lineage",
    } in (data["objectives"]["renamed"])

    custom = run(
        "refresh", "--from", "sdp-2016-19", "--slug", "sdp-2018-21", "--title", "Plan", "--period", "2018-21"
    )
    assert "Started Plan (sdp-2018-21), period 2018-21" in custom
    with pytest.raises(CommandError, match="--slug: there is already a plan"):
        run("refresh", "--from", "sdp-2016-19")
    with pytest.raises(CommandError, match="No plan with the slug 'nope'"):
        run("diff", "nope", "sdp-2016-19")
    with pytest.raises(CommandError, match="No plan with the slug 'nope'"):
        run("refresh", "--from", "nope")


# ------------------------------------------------------------------ pages


def test_compare_page(demo, users, client):
    client.force_login(users["viewer"])
    page = client.get(reverse("plan-compare", args=[demo.slug, "sdp-2014-17"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Road casualty reduction" in html and "Implement measures to promote a safe environment" in html
    assert "Objectives renamed (2)" in html
    assert client.get(reverse("plan-compare", args=[demo.slug, "nope"])).status_code == 404
    assert client.get(reverse("plan-compare", args=["nope", demo.slug])).status_code == 404
    overview = client.get(reverse("plan-overview", args=[demo.slug])).content.decode()
    assert reverse("plan-compare", args=[demo.slug, "sdp-2014-17"]) in overview
    assert "Compare with the previous version" in overview
    assert "Start next year's refresh" not in overview


def test_refresh_page_for_administrators_only(demo, users, client):
    url = reverse("plan-refresh", args=[demo.slug])
    client.force_login(users["viewer"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"slug": "x", "title": "x", "period": "2017-20"}).status_code == 403
    client.force_login(users["board_member"])
    assert client.post(url, {"slug": "x", "title": "x", "period": "2017-20"}).status_code == 403
    assert not Plan.objects.filter(previous_version=demo).exists()

    client.force_login(users["administrator"])
    overview = client.get(reverse("plan-overview", args=[demo.slug])).content.decode()
    assert url in overview and "Start next year's refresh" in overview
    form = client.get(url)
    assert form.status_code == 200 and 'value="sdp-2017-20"' in form.content.decode()
    bad = client.post(url, {"slug": "sdp-2014-17", "title": "", "period": "soon"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "There is a problem" in html and "already a plan" in html and "for example 2017-20" in html
    done = client.post(
        url, {"slug": "sdp-2017-20", "title": "Safe Durham Partnership Plan 2017-20", "period": "2017-20"}
    )
    assert done.status_code == 302 and done.url == reverse("plan-overview", args=["sdp-2017-20"])
    new = Plan.objects.get(slug="sdp-2017-20")
    assert counts(new) == (7, 17, 80) and new.created_by == users["administrator"]
    page = client.get(done.url).content.decode()
    assert "started as a draft" in page and reverse("plan-compare", args=["sdp-2017-20", demo.slug]) in page
    compare = client.get(reverse("plan-compare", args=["sdp-2017-20", demo.slug])).content.decode()
    assert "No objective, outcome or strategic action was added, removed, renamed or moved" in compare
    assert client.get(reverse("plan-refresh", args=["nope"])).status_code == 404


def test_the_refreshed_draft_is_hidden_from_viewers(demo, users, client):
    new = plan_refresh(plan=demo, user=users["administrator"])
    client.force_login(users["viewer"])
    assert client.get(reverse("plan-overview", args=[new.slug])).status_code == 403
    assert client.get(reverse("plan-compare", args=[new.slug, demo.slug])).status_code == 403
    assert client.get(reverse("plan-compare", args=[demo.slug, new.slug])).status_code == 403
    assert new.title not in client.get(reverse("plan-list")).content.decode()
    objective = Objective.objects.get(plan=new, number=1)
    assert client.get(objective.get_absolute_url()).status_code == 403
    client.force_login(users["board_member"])
    assert client.get(reverse("plan-compare", args=[new.slug, demo.slug])).status_code == 200
    assert (
        ObjectiveGroup.objects.filter(objective__plan=new).count()
        == ObjectiveGroup.objects.filter(objective__plan=demo).count()
    )
