"""Plan files: round trip, validation with line and field, all-or-nothing import, fuzzing."""

import io

import pytest
import yaml
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferplan.plans.management.commands.demo import DEMO_FILE, DEMO_PREVIOUS
from saferplan.plans.models import Indicator, Objective, Outcome, Plan, StrategicAction
from saferplan.plans.plan_yaml import import_plan_text, parse_plan_file
from saferplan.plans.schema import DocumentError

DEMO_TEXT = DEMO_FILE.read_text(encoding="utf-8")
MINIMAL = """\
format: saferplan-plan/1
partnership: {slug: test-csp, name: Test Community Safety Partnership, area: Testshire}
organisations:
  - {slug: test-council, name: Test Council, kind: responsible_authority}
groups:
  - {slug: board, name: Test Board, kind: board, lead_organisation: test-council}
plan:
  slug: test-plan
  title: Test Plan 2020-23
  period: 2020-23
  status: draft
  objectives:
    - number: 1
      title: Reduce harm
      outcomes:
        - number: 1
          title: Less harm
          actions:
            - text: Do the thing
              owner_group: board
"""


def export_text(slug="sdp-2016-19") -> str:
    out = io.StringIO()
    call_command("plan", "export", "--plan", slug, stdout=out)
    return out.getvalue()


def meaning(text: str) -> dict:
    """What a plan file means: its checked data, with group members as a set (they have no order)."""
    data = parse_plan_file(text)
    for group in data["groups"]:
        group["members"] = sorted(group["members"] or [])
    return data


def test_export_lists_every_objective_outcome_action_and_indicator(demo):
    data = yaml.safe_load(export_text())
    objectives = data["plan"]["objectives"]
    assert len(objectives) == 7
    assert sum(len(o["outcomes"]) for o in objectives) == 17
    assert sum(len(oc.get("actions", [])) for o in objectives for oc in o["outcomes"]) == 80
    assert len(data["indicators"]) == Indicator.objects.count() == 54
    # 37 "how we will measure success" bullets, 4 key crime indicators, 13 other measures the seeds report
    plan_measures = [
        i for i in data["indicators"] if i.get("heading") != "Other measures the partnership reports"
    ]
    assert len(plan_measures) == 41 and sum(1 for i in plan_measures if i.get("key_crime")) == 4


def test_round_trip_is_lossless(demo):
    first = export_text()
    # The export means the same as the shipped file...
    assert meaning(first) == meaning(DEMO_TEXT)
    # ...and importing it into an empty database gives back the identical export.
    for model in (Plan, Indicator):
        model.objects.all().delete()
    import_plan_text(DEMO_PREVIOUS.read_text(encoding="utf-8"))  # the earlier version it refers to
    import_plan_text(first)
    assert export_text() == first


def test_import_updates_in_place_and_archives_what_the_file_drops(demo):
    data = yaml.safe_load(export_text())
    data["plan"]["objectives"][0]["title"] = "Reduce anti-social behaviour in every locality"
    del data["plan"]["objectives"][-1]
    for item in data["indicators"] + data["strategies"]:
        item["objectives"] = [n for n in item.get("objectives", []) if n != 7]
    data["plan"]["objectives"][1]["outcomes"][0]["actions"].pop()
    objective_pk = Objective.objects.get(plan=demo, number=1).pk
    import_plan_text(yaml.safe_dump(data, sort_keys=False))
    objective = Objective.objects.get(pk=objective_pk)
    assert objective.title == "Reduce anti-social behaviour in every locality"
    assert objective.history.count() == 2
    assert Objective.objects.live().filter(plan=demo).count() == 6
    assert Objective.objects.archived().get(plan=demo).number == 7
    assert StrategicAction.objects.live().filter(outcome__objective__plan=demo).count() == 80 - 1 - 22


@pytest.mark.parametrize(
    "change, line, field, message",
    [
        (("title: Reduce harm", "title: ''"), 14, "plan.objectives[0].title", "this field is required"),
        (
            ("status: draft", "status: drafted"),
            11,
            "plan.status",
            "expected one of draft, approved, archived",
        ),
        (("period: 2020-23", "period: 2020"), 10, "plan.period", "expected a period of years"),
        (
            ("owner_group: board", "owner_group: nobody"),
            20,
            "plan.objectives[0].outcomes[0].actions[0].owner_group",
            "'nobody' is not one of the groups",
        ),
        (("kind: board,", "kind: board, colour: red,"), 6, "groups[0].colour", "unknown field"),
        (
            ("number: 1\n      title: Reduce", "number: one\n      title: Reduce"),
            13,
            "plan.objectives[0].number",
            "expected a whole number",
        ),
        (("slug: test-plan", "slug: Test Plan"), 8, "plan.slug", "expected a slug"),
    ],
)
def test_invalid_file_names_line_and_field_and_changes_nothing(db, change, line, field, message):
    text = MINIMAL.replace(*change)
    assert text != MINIMAL
    with pytest.raises(DocumentError) as caught:
        import_plan_text(text, filename="plan.yaml")
    problems = caught.value.problems
    assert any(p.line == line and p.field == field and message in p.message for p in problems), problems
    assert f"plan.yaml, line {line}, {field}: " in caught.value.report()
    assert not Plan.objects.filter(slug="test-plan").exists()


def test_every_problem_is_reported_at_once(db):
    text = MINIMAL.replace("status: draft", "status: nope").replace("title: Less harm", "title: ''")
    with pytest.raises(DocumentError) as caught:
        parse_plan_file(text)
    assert {p.field for p in caught.value.problems} == {"plan.status", "plan.objectives[0].outcomes[0].title"}


def test_bad_yaml_syntax_and_duplicate_keys(db):
    with pytest.raises(DocumentError, match=r"line 3, file: not valid YAML"):
        parse_plan_file("format: saferplan-plan/1\npartnership: {\n  - [\n")
    with pytest.raises(DocumentError, match=r"line 2, plan: this key appears twice"):
        parse_plan_file("plan: {}\nplan: {}\n")


def test_invalid_file_leaves_existing_plan_untouched(demo):
    before = export_text()
    broken = DEMO_TEXT.replace("number: 7", "number: 1", 1)
    with pytest.raises(DocumentError, match="appears more than once"):
        import_plan_text(broken)
    assert export_text() == before


def test_cli_import_reports_errors_and_exits(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("status: draft", "status: live"))
    with pytest.raises(CommandError) as caught:
        call_command("plan", "import", str(bad))
    assert f"{bad}: 1 problem; nothing was changed." in str(caught.value)
    assert "line 11, plan.status" in str(caught.value)
    with pytest.raises(CommandError, match="no such file"):
        call_command("plan", "import", str(tmp_path / "missing.yaml"))
    good = tmp_path / "good.yaml"
    good.write_text(MINIMAL)
    out = io.StringIO()
    call_command("plan", "import", str(good), stdout=out)
    assert "Imported Test Plan 2020-23" in out.getvalue()
    assert Outcome.objects.get(objective__plan__slug="test-plan").actions.get().owner_group.slug == "board"


def test_export_of_unknown_plan_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No plan with the slug 'nope'"):
        call_command("plan", "export", "--plan", "nope")


# ------------------------------------------------------------------ fuzzing

yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.text(max_size=20),
    st.dates().map(str),
    st.sampled_from(["draft", "count", "2016-19", "board", "test-council", "1.1", "lead"]),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_fuzz_arbitrary_text_never_crashes(db, text):
    try:
        parse_plan_file(text)
    except DocumentError as exc:
        assert exc.problems and all(p.message for p in exc.problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.lists(
        st.sampled_from(
            [
                "plan",
                "objectives",
                0,
                "outcomes",
                "actions",
                "title",
                "number",
                "groups",
                "partnership",
                "slug",
                "status",
                "period",
                "indicators",
            ]
        ),
        min_size=1,
        max_size=5,
    ),
    value=yaml_values,
)
def test_fuzz_mutated_plan_is_imported_whole_or_rejected_whole(db, path, value):
    data = yaml.safe_load(MINIMAL)
    node = data
    for key in path[:-1]:
        if isinstance(node, dict) and isinstance(key, str):
            node = node.setdefault(key, {})
        elif isinstance(node, list) and isinstance(key, int) and node:
            node = node[0]
        else:
            break
    if isinstance(node, dict) and isinstance(path[-1], str):
        node[path[-1]] = value
    elif isinstance(node, list) and node:
        node[0] = value
    text = yaml.safe_dump(data, sort_keys=False)
    try:
        plan = import_plan_text(text)
    except DocumentError as exc:
        assert exc.problems
        assert not Plan.objects.filter(partnership__slug="test-csp").exists()
    else:
        assert Plan.objects.get(partnership__slug="test-csp") == plan
        plan.partnership.delete()


def test_missing_top_level_fields_point_at_the_file_start(db):
    with pytest.raises(DocumentError) as caught:
        parse_plan_file("format: saferplan-plan/1\n")
    fields = {p.field: p.line for p in caught.value.problems}
    assert fields["partnership"] == 1 and fields["plan"] == 1 and fields["groups"] == 1
