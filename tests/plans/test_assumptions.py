"""Facts and assumptions kept apart: `assumed:` in plan files, the Assumption records the import keeps, and what
the demo records as assumed (and what it does not)."""

from pathlib import Path

import pytest
import yaml

from saferplan.core.models import Assumption
from saferplan.core.selectors import assumptions_attach, assumptions_for
from saferplan.core.services import assumption_record, assumptions_set
from saferplan.delivery.models import DetailedAction
from saferplan.funding.models import Allocation, Project
from saferplan.plans.models import Group, Indicator, Objective, Outcome, Plan, StrategicAction, Strategy
from saferplan.plans.plan_yaml import export_plan, import_plan_text, parse_plan_file
from saferplan.plans.schema import DocumentError

SEED_000 = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_0cdac2aa740ee22e.txt"

ASSUMED_FILE = """\
format: saferplan-plan/1
partnership: {slug: test-csp, name: Test Community Safety Partnership, area: Testshire}
organisations:
  - {slug: test-council, name: Test Council, kind: responsible_authority}
  - {slug: test-police, name: Test Police, kind: responsible_authority}
groups:
  - {slug: board, name: Test Board, kind: board, lead_organisation: test-council}
  - slug: harm-group
    name: Harm Reduction Group
    kind: thematic
    lead_organisation: test-police
    areas: [Testshire, Elsewhere]
    assumed:
      lead_organisation: The sources name the group but not its lead organisation.
plan:
  slug: test-plan
  title: Test Plan 2020-23
  period: 2020-23
  status: draft
  objectives:
    - number: 1
      title: Reduce harm
      groups:
        - {group: harm-group, role: lead}
      joint_with: [Health and Wellbeing Board]
      assumed:
        joint_with: Held jointly, as the test assumes.
      outcomes:
        - number: 1
          title: Less harm
          assumed:
            title: The sources give no outcomes.
          actions:
            - text: Do the thing
              owner_group: harm-group
              target_date: 2021-03-31
              assumed:
                owner_group: The plan names no owner.
                target_date: No date is given.
            - text: Do the other thing
              owner_group: board
indicators:
  - slug: harm
    name: Harm incidents
    unit: count
    polarity: lower_is_better
    frequency: quarterly
    source: test-police
    objectives: [1]
    assumed:
      source: The sources do not say who supplies it.
      frequency: Quarterly is assumed.
strategies:
  - slug: harm-strategy
    title: Harm Strategy
    owner_group: harm-group
    assumed: {owner_group: Not stated.}
"""
EXPECTED = {
    ("group", "harm-group"): {
        "lead_organisation": "The sources name the group but not its lead organisation."
    },
    ("group", "board"): {},
    ("objective", 1): {"joint_with": "Held jointly, as the test assumes."},
    ("outcome", "1.1"): {"title": "The sources give no outcomes."},
    ("action", 0): {"owner_group": "The plan names no owner.", "target_date": "No date is given."},
    ("action", 1): {},
    ("indicator", "harm"): {
        "source": "The sources do not say who supplies it.",
        "frequency": "Quarterly is assumed.",
    },
    ("strategy", "harm-strategy"): {"owner_group": "Not stated."},
}


def line_of(text: str, needle: str) -> int:
    (number,) = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return number


def recorded(plan: Plan) -> dict:
    """What the database says was assumed about each record of the test plan."""
    partnership = plan.partnership
    records = {
        **{("group", g.slug): g for g in Group.objects.filter(partnership=partnership)},
        ("objective", 1): Objective.objects.get(plan=plan, number=1),
        ("outcome", "1.1"): Outcome.objects.get(objective__plan=plan),
        **{
            ("action", a.order): a
            for a in StrategicAction.objects.live().filter(outcome__objective__plan=plan)
        },
        ("indicator", "harm"): Indicator.objects.get(partnership=partnership, slug="harm"),
        ("strategy", "harm-strategy"): Strategy.objects.get(partnership=partnership, slug="harm-strategy"),
    }
    assumptions_attach(*records.values())
    return {key: obj.assumption_notes for key, obj in records.items()}


def exported_assumed(data: dict) -> dict:
    """The `assumed:` mappings of an exported plan file, keyed like EXPECTED."""
    objective = data["plan"]["objectives"][0]
    outcome = objective["outcomes"][0]
    return {
        **{
            ("group", g["slug"]): g.get("assumed") or {}
            for g in data["groups"]
            if g["slug"] in ("board", "harm-group")
        },
        ("objective", 1): objective.get("assumed") or {},
        ("outcome", "1.1"): outcome.get("assumed") or {},
        **{("action", n): a.get("assumed") or {} for n, a in enumerate(outcome["actions"])},
        ("indicator", "harm"): data["indicators"][0].get("assumed") or {},
        ("strategy", "harm-strategy"): data["strategies"][0].get("assumed") or {},
    }


def test_assumed_in_a_plan_file_round_trips(db):
    plan = import_plan_text(ASSUMED_FILE)
    assert recorded(plan) == EXPECTED
    exported = export_plan(plan)
    assert exported_assumed(exported) == EXPECTED
    assert list(exported["groups"][-1])[-1] == "assumed"  # written after the record's own keys
    # the exported file means the same again, and importing it changes nothing
    text = yaml.safe_dump(exported, sort_keys=False)
    assert exported_assumed(parse_plan_file(text)) == EXPECTED
    before = list(Assumption.objects.order_by("pk").values_list("pk", "note", "modified_at"))
    import_plan_text(text)
    assert list(Assumption.objects.order_by("pk").values_list("pk", "note", "modified_at")) == before
    # leaving an `assumed:` out of the file removes what it said; changing a note changes it
    changed = ASSUMED_FILE.replace("    assumed: {owner_group: Not stated.}\n", "").replace(
        "Quarterly is assumed.", "Quarterly, as the Board meets quarterly."
    )
    import_plan_text(changed)
    after = recorded(plan)
    assert after[("strategy", "harm-strategy")] == {}
    assert after[("indicator", "harm")]["frequency"] == "Quarterly, as the Board meets quarterly."
    assert after[("group", "harm-group")] == EXPECTED[("group", "harm-group")]


@pytest.mark.parametrize(
    "change, field, message",
    [
        (
            ("      source: The sources do not say", "      supplier: The sources do not say"),
            "indicators[0].assumed.supplier",
            "'supplier' is not a field of this record; expected one of name, definition, unit",
        ),
        (
            ("      lead_organisation: The sources name", "      slug: The sources name"),
            "groups[1].assumed.slug",
            "'slug' is not a field of this record",
        ),
        (
            (
                "            title: The sources give no outcomes.",
                "            actions: The sources give none.",
            ),
            "plan.objectives[0].outcomes[0].assumed.actions",
            "'actions' is not a field of this record",
        ),
        (
            ("                target_date: No date is given.", "                target_date: ''"),
            "plan.objectives[0].outcomes[0].actions[0].assumed.target_date",
            "this field is required",
        ),
    ],
)
def test_a_bad_assumed_key_is_refused_with_its_line(db, change, field, message):
    text = ASSUMED_FILE.replace(*change)
    assert text != ASSUMED_FILE
    with pytest.raises(DocumentError) as caught:
        import_plan_text(text, filename="plan.yaml")
    line = line_of(text, change[1])
    problems = caught.value.problems
    assert any(p.line == line and p.field == field and message in p.message for p in problems), problems
    assert f"plan.yaml, line {line}, {field}: " in caught.value.report()
    assert not Plan.objects.filter(slug="test-plan").exists()
    assert not Assumption.objects.filter(note__contains="The sources do not say who supplies it").exists()


def test_an_assumption_about_a_value_the_file_does_not_give_is_refused(db):
    text = ASSUMED_FILE.replace("    source: test-police\n", "")
    with pytest.raises(DocumentError) as caught:
        parse_plan_file(text)
    (problem,) = caught.value.problems
    assert problem.field == "indicators[0].assumed.source"
    assert problem.message == "the record gives no source to be assumed"
    assert problem.line == line_of(text, "source: The sources do not say")
    with pytest.raises(DocumentError, match="expected a mapping of field names to notes"):
        parse_plan_file(ASSUMED_FILE.replace("assumed: {owner_group: Not stated.}", "assumed: [owner_group]"))


def test_the_service_checks_the_field_and_the_selector_reads_in_one_query(db, django_assert_num_queries):
    plan = import_plan_text(ASSUMED_FILE)
    group = Group.objects.get(partnership=plan.partnership, slug="board")
    with pytest.raises(ValueError, match="Group has no field 'leader'"):
        assumption_record(obj=group, field="leader", note="Nobody said.")
    with pytest.raises(ValueError, match="say what was assumed"):
        assumption_record(obj=group, field="lead_organisation", note="  ")
    assumption_record(obj=group, field="lead_organisation", note="Assumed for the test.")
    assumption_record(obj=group, field="lead_organisation", note="Assumed again.")  # one row per field
    groups = list(Group.objects.filter(partnership=plan.partnership).order_by("slug"))
    with django_assert_num_queries(1):
        notes = assumptions_for(groups)
    assert notes == {
        (group.pk, "lead_organisation"): "Assumed again.",
        (groups[1].pk, "lead_organisation"): EXPECTED[("group", "harm-group")]["lead_organisation"],
    }
    with pytest.raises(ValueError, match="one model"):
        assumptions_for([group, plan])
    assumptions_set(obj=group, notes={})
    assert (group.pk, "lead_organisation") not in assumptions_for(groups)


def test_demo_joint_arrangements_are_as_000_says(demo):
    joint = {o.number: o.joint_with for o in demo.objectives.live()}
    assert joint == {
        1: [],
        2: [
            "Health and Wellbeing Board"
        ],  # "a joint strategic objective to Protect Vulnerable People from Harm"
        3: [],
        4: [],
        5: [
            "Children and Families Partnership"
        ],  # "a joint priority objective with the Children and Families..."
        6: [],
        7: [],
    }
    covering_darlington = {
        g.slug for g in Group.objects.live().filter(partnership=demo.partnership) if "Darlington" in g.areas
    }
    assert covering_darlington == {
        "reducing-reoffending-group",
        "hate-crime-working-group",
        "road-casualty-reduction-partnership",
        "partnership-silver-contest-board",
    }
    for slug in covering_darlington:
        assert Group.objects.get(partnership=demo.partnership, slug=slug).areas == [
            "County Durham",
            "Darlington",
        ]
    if SEED_000.exists():  # the wording the joint objectives come from
        text = " ".join(SEED_000.read_text(encoding="utf-8").split())
        assert "have a joint strategic objective to Protect Vulnerable People from Harm" in text
        assert "This is a joint priority objective with the Children and Families Partnership." in text


def test_demo_records_what_it_assumed_and_not_what_000_states(demo):
    groups = {g.slug: g for g in Group.objects.filter(partnership=demo.partnership)}
    notes = assumptions_for(groups.values())
    assert (groups["anti-social-behaviour-group"].pk, "lead_organisation") in notes
    assert (groups["safe-durham-partnership-board"].pk, "lead_organisation") not in notes  # 000 foreword
    assert (groups["open-water-safety-group"].pk, "lead_organisation") not in notes  # 000 section 8
    assert {slug for slug, g in groups.items() if (g.pk, "lead_organisation") in notes} == {
        g.slug for g in groups.values() if g.kind == Group.Kind.THEMATIC
    }
    # 000 names no owner for its strategic actions; its outcomes are its own words
    actions = list(StrategicAction.objects.live().filter(outcome__objective__plan=demo))
    assert len(actions) == 80
    assert {field for (_, field) in assumptions_for(actions)} == {"owner_group"}
    assert len(assumptions_for(actions)) == 80
    assert not assumptions_for(Outcome.objects.filter(objective__plan=demo))
    # the 2014-17 plan's outcomes are not in the seeds (004 gives its objectives only)
    earlier = Outcome.objects.filter(objective__plan=demo.previous_version)
    assert {field for (_, field) in assumptions_for(earlier)} == {"title"}
    assert len(assumptions_for(earlier)) == earlier.count() == 7
    indicators = {i.slug: i for i in Indicator.objects.filter(partnership=demo.partnership)}
    notes = assumptions_for(indicators.values())
    assert (indicators["open-water-incidents"].pk, "source") in notes
    assert (indicators["asb-perceptions"].pk, "polarity") in notes
    assert (indicators["crime-rate"].pk, "source") not in notes  # police recorded crime
    assert (indicators["crime-rate"].pk, "frequency") not in notes  # monthly, as police open data is
    # the demo's delivery plan and funding: what the loaders made up
    demo_actions = list(DetailedAction.objects.filter(illustrative=True))
    notes = assumptions_for(demo_actions)
    assert demo_actions and all((a.pk, "target_date") in notes for a in demo_actions)
    projects = {p.name: p for p in Project.objects.filter(partnership=demo.partnership)}
    notes = assumptions_for(projects.values())
    assert all((p.pk, "amount") in notes for p in projects.values() if p.illustrative)
    assert (projects["Safer Homes"].pk, "amount") not in notes  # £500,000 (002 paragraph 7)
    allocations = list(Allocation.objects.filter(partnership=demo.partnership))
    assert allocations and len(assumptions_for(allocations)) == len(allocations)
