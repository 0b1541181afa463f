"""The partnership plan as a Document: its sections, objectives, outcomes, actions, measures and governance,
checked against the demo plan as loaded in the database."""

import datetime as dt
import io

from docx import Document as WordDocument
from openpyxl import load_workbook

from saferplan.core.selectors import ASSUMED, assumptions_for
from saferplan.core.services import archive, assumption_record, assumptions_set
from saferplan.plans.models import (
    DatePrecision,
    Group,
    Indicator,
    Objective,
    Outcome,
    Partnership,
    Plan,
    PlanSection,
    StrategicAction,
)
from saferplan.reports import render
from saferplan.reports.document import Bullets, Document, Heading, Paragraph, Table, text_blocks
from saferplan.reports.plan_document import plan_document

CLOSING = (PlanSection.Kind.GLOSSARY, PlanSection.Kind.CONTACTS)


def headings(document: Document, level: int) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, Heading) and b.level == level]


def tables(document: Document, caption_start: str) -> list[Table]:
    return [b for b in document.blocks if isinstance(b, Table) and b.caption.startswith(caption_start)]


def marked(text: str, notes: dict, pk: int, field: str) -> str:
    """A value as the paper prints it, given {(pk, field): note} of the record's model."""
    return f"{text} ({ASSUMED})" if (pk, field) in notes else text


def live_actions(plan: Plan):
    return StrategicAction.objects.live().filter(
        outcome__archived_at__isnull=True,
        outcome__objective__archived_at__isnull=True,
        outcome__objective__plan=plan,
    )


def test_title_and_main_sections_in_order(demo):
    document = plan_document(demo)
    assert document.title == demo.title
    assert demo.partnership.name in document.subtitle and demo.period in document.subtitle
    assert document.language == "en-GB"
    sections = list(demo.sections.order_by("order"))
    assert {s.kind for s in sections} >= {PlanSection.Kind.FOREWORD, *CLOSING}  # the demo has them all
    narrative = [s for s in sections if s.kind not in CLOSING]
    monitoring = next(n for n, s in enumerate(narrative) if s.kind == PlanSection.Kind.MONITORING)
    # the objectives come before monitoring success, as the plan runs
    assert headings(document, 1) == (
        [s.title for s in narrative[:monitoring]]
        + ["Our objectives"]
        + [s.title for s in narrative[monitoring:]]
        + ["Governance"]
        + [s.title for s in sections if s.kind in CLOSING]
    )
    level1 = headings(document, 1)
    glossary = demo.sections.get(kind=PlanSection.Kind.GLOSSARY)
    assert level1.index(glossary.title) > level1.index("Governance")


def test_sections_keep_their_text(demo):
    document = plan_document(demo)
    foreword = demo.sections.get(kind=PlanSection.Kind.FOREWORD)
    first = text_blocks(foreword.body)[0]
    at = document.blocks.index(Heading(foreword.title, 1))
    assert document.blocks[at + 1] == first and isinstance(first, Paragraph)
    assert first.text in [b.text for b in document.blocks if isinstance(b, Paragraph)]
    # every section's text is there, block for block, after its heading
    for section in demo.sections.all():
        at = document.blocks.index(Heading(section.title, 1))
        blocks = text_blocks(section.body)
        assert document.blocks[at + 1 : at + 1 + len(blocks)] == blocks


def test_objectives_and_outcomes_in_number_order(demo):
    document = plan_document(demo)
    objectives = list(demo.objectives.live().order_by("number"))
    assert len(objectives) > 1
    assert headings(document, 2) == [f"Objective {o.number}: {o.title}" for o in objectives]
    outcomes = Outcome.objects.live().filter(objective__in=objectives).order_by("objective__number", "number")
    assert [h for h in headings(document, 3) if h.startswith("Outcome ")] == [
        f"Outcome {o.reference}: {o.title}" for o in outcomes.select_related("objective")
    ]
    first = objectives[0]
    at = document.blocks.index(Heading(f"Objective {first.number}: {first.title}", 2))
    assert document.blocks[at + 1] == Heading("Why this is a priority", 3)
    assert document.blocks[at + 2] == text_blocks(first.why_priority)[0]
    assert Heading("Key challenges", 3) in document.blocks


def test_every_live_action_in_its_outcome_table(demo):
    document = plan_document(demo)
    action_tables = tables(document, "Strategic actions for outcome ")
    assert all(t.columns == ["Action", "Owner", "Target date"] for t in action_tables)
    assert sum(len(t.rows) for t in action_tables) == live_actions(demo).count() > 0
    outcome = Outcome.objects.live().filter(objective__plan=demo).select_related("objective").first()
    table = tables(document, f"Strategic actions for outcome {outcome.reference}")[0]
    expected = list(outcome.actions.live().order_by("order").select_related("owner_group"))
    notes = assumptions_for(expected)
    assert [r[0] for r in table.rows] == [a.text for a in expected]
    assert [r[1] for r in table.rows] == [
        marked(a.owner_group.name, notes, a.pk, "owner_group") if a.owner_group else "–" for a in expected
    ]


def test_target_dates_and_archived_actions(demo):
    action, gone = list(live_actions(demo).order_by("pk")[:2])
    action.target_date = dt.date(2017, 3, 31)
    action.save()
    archive(gone)
    document = plan_document(demo)
    rows = [r for t in tables(document, "Strategic actions for outcome ") for r in t.rows]
    owner = marked(action.owner_group.name, assumptions_for([action]), action.pk, "owner_group")
    assert [action.text, owner, "March 2017"] in rows
    assert gone.text not in [r[0] for r in rows]
    assert all(r[2] == "–" for r in rows if r[0] != action.text)  # the demo gives no target dates


def test_measures_of_each_objective(demo):
    document = plan_document(demo)
    words = {"higher is better", "lower is better", "no desired direction (monitoring only)"}
    for objective in demo.objectives.live():
        indicators = list(objective.indicators.live().select_related("source").order_by("order", "name"))
        found = tables(document, f"How we will measure success: objective {objective.number}")
        if not indicators:
            assert not found
            continue
        (table,) = found
        notes = assumptions_for(indicators)
        assert table.columns == ["Measure", "Unit", "Desired direction", "Source"]
        assert [r[0] for r in table.rows] == [i.name for i in indicators]
        assert [r[1] for r in table.rows] == [
            marked(i.get_unit_display(), notes, i.pk, "unit") for i in indicators
        ]
        assert {r[2].removesuffix(f" ({ASSUMED})") for r in table.rows} <= words
        for row, indicator in zip(table.rows, indicators, strict=True):
            direction = row[2].removesuffix(f" ({ASSUMED})")
            assert (direction == "lower is better") == (
                indicator.polarity == Indicator.Polarity.LOWER_IS_BETTER
            )
            assert (direction != row[2]) == ((indicator.pk, "polarity") in notes)
            source = marked(indicator.source.name, notes, indicator.pk, "source") if indicator.source else "–"
            assert row[3] == source


def test_facilitating_groups_lead_first_and_joint_partnerships(demo):
    supported = next(o for o in demo.objectives.live() if o.group_roles.filter(role="supporting").exists())
    supporting = supported.group_roles.filter(role="supporting").select_related("group").first()
    supported.group_roles.filter(role="lead").update(order=9)  # listed after the supporting group,
    supported.group_roles.filter(pk=supporting.pk).update(order=0)  # the lead still comes first
    document = plan_document(demo)
    paragraphs = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    lead = supported.group_roles.get(role="lead").group.name
    text = next(p for p in paragraphs if p.startswith("Facilitated by") and supporting.group.name in p)
    assert text.startswith(f"Facilitated by {lead} (lead)")
    assert f"{supporting.group.name} (supporting)" in text
    objective = next(o for o in demo.objectives.live().order_by("number") if o.joint_with)
    roles = list(objective.group_roles.select_related("group"))
    lead = next(r.group.name for r in roles if r.role == "lead")
    text = next(p for p in paragraphs if p.startswith(f"Facilitated by {lead} (lead)"))
    assert all(r.group.name in text for r in roles)
    assert "Joint with " + " and ".join(objective.joint_with) in text


def test_archived_objective_is_left_out(demo):
    objective = demo.objectives.live().order_by("number").first()
    outcomes = list(objective.outcomes.live())
    archive(objective)
    document = plan_document(demo)
    texts = headings(document, 2) + headings(document, 3)
    assert f"Objective {objective.number}: {objective.title}" not in texts
    assert not [t for t in texts if t.startswith(f"Outcome {objective.number}.")]
    assert not tables(document, f"How we will measure success: objective {objective.number}")
    assert len(headings(document, 2)) == demo.objectives.live().count()
    rows = sum(len(t.rows) for t in tables(document, "Strategic actions for outcome "))
    assert (
        rows
        == live_actions(demo).count()
        == StrategicAction.objects.live()
        .filter(outcome__objective__plan=demo, outcome__objective__archived_at__isnull=True)
        .count()
    )
    assert outcomes  # the objective had outcomes, now left out with it


def test_governance_approvals_and_groups(demo):
    group = Group.objects.live().filter(partnership=demo.partnership).exclude(kind=Group.Kind.BOARD).first()
    archive(group)
    document = plan_document(demo)
    at = document.blocks.index(Heading("Governance", 1))
    approvals = list(demo.approvals.order_by("order"))
    bullets = next(b for b in document.blocks[at:] if isinstance(b, Bullets))
    assert len(bullets.items) == len(approvals) > 0
    for item, approval in zip(bullets.items, approvals, strict=True):
        when = (
            f"{approval.date:%B %Y}"
            if approval.date_precision == DatePrecision.MONTH
            else f"{approval.date.day} {approval.date:%B %Y}"
        )
        assert item == f"{approval.get_approved_display()}: {approval.body}, {when}"
    assert {a.date_precision for a in approvals} == {DatePrecision.MONTH, DatePrecision.DAY}
    (table,) = [b for b in document.blocks[at:] if isinstance(b, Table)]
    assert table.columns == ["Group", "Kind", "Reports to", "Lead organisation", "Areas covered"]
    live = list(Group.objects.live().filter(partnership=demo.partnership).select_related("escalates_to"))
    assert sorted(r[0] for r in table.rows) == sorted(g.name for g in live)
    assert group.name not in [r[0] for r in table.rows]
    by_name = {r[0]: r for r in table.rows}
    for g in live:
        assert by_name[g.name][1] == g.get_kind_display()
        assert by_name[g.name][2] == (g.escalates_to.name if g.escalates_to else "–")
    assert table.rows[0][1] == Group.Kind.BOARD.label  # the Board first


def test_nothing_comes_from_anywhere_but_the_plan(db):
    partnership = Partnership.objects.create(slug="elsewhere", name="Elsewhere Partnership", area="Elsewhere")
    plan = Plan.objects.create(
        partnership=partnership, slug="e-2020-23", title="Plan", start_year=2020, end_year=2023
    )
    PlanSection.objects.create(plan=plan, order=1, kind="contacts", title="Write to us", body="Here.")
    PlanSection.objects.create(plan=plan, order=2, kind="introduction", title="Hello", body="- one\n- two")
    objective = Objective.objects.create(plan=plan, number=1, title="Be safe")
    outcome = Outcome.objects.create(objective=objective, number=1, title="Safer")
    document = plan_document(plan)
    assert document.subtitle == "Elsewhere Partnership · 2020-23"
    assert (
        document.to_json()["blocks"]
        == Document(
            "",
            blocks=[
                Heading("Hello", 1),
                Bullets(["one", "two"]),
                Heading("Our objectives", 1),
                Heading("Objective 1: Be safe", 2),
                Heading(f"Outcome {outcome.reference}: Safer", 3),
                Heading("Governance", 1),
                Table(
                    "Groups of the Elsewhere Partnership",
                    ["Group", "Kind", "Reports to", "Lead organisation", "Areas covered"],
                    [],
                    sheet="Groups",
                ),
                Heading("Write to us", 1),
                Paragraph("Here."),
            ],
        ).to_json()["blocks"]
    )
    assert "Durham" not in str(document.to_json())


def test_annex_holds_the_actions_and_measures(demo):
    document = plan_document(demo)
    expected = tables(document, "Strategic actions for outcome ") + tables(
        document, "How we will measure success"
    )
    assert sorted(t.caption for t in document.annex) == sorted(t.caption for t in expected)
    assert all(any(t is b for b in document.blocks) for t in document.annex)
    assert not [t for t in document.annex if t.caption.startswith("Groups")]
    workbook = load_workbook(io.BytesIO(render.to_xlsx(document)))
    assert len(workbook.sheetnames) == len(document.annex)
    first = document.annex[0]
    rows = list(workbook[first.sheet].iter_rows(values_only=True))
    assert rows[0][0] == first.caption and list(rows[1]) == first.columns and len(rows) == 2 + len(first.rows)


def test_json_round_trip(demo):
    document = plan_document(demo)
    data = document.to_json()
    again = Document.from_json(data)
    assert again.to_json() == data
    assert again.annex_tables() == document.annex


def test_word_file_has_real_headings(demo):
    document = plan_document(demo)
    word = WordDocument(io.BytesIO(render.to_docx(document)))
    assert word.core_properties.title == demo.title
    styled = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Governance") in styled and ("Heading 1", "Our objectives") in styled
    objective = demo.objectives.live().order_by("number").first()
    assert ("Heading 2", f"Objective {objective.number}: {objective.title}") in styled
    assert len(word.tables) == sum(isinstance(b, Table) for b in document.blocks)
    assert all(t.rows[0]._tr.trPr.xpath("./w:tblHeader") for t in word.tables)


def test_a_draft_refresh_reports_progress_from_the_figures(demo):
    progress = demo.sections.get(kind=PlanSection.Kind.PROGRESS)
    approved = plan_document(demo)
    at = approved.blocks.index(Heading(progress.title, 1))
    assert approved.blocks[at + 1] == text_blocks(progress.body)[0]  # approved: the text it was approved with
    demo.status = Plan.Status.DRAFT
    demo.save()
    draft = plan_document(demo)
    at = draft.blocks.index(Heading(progress.title, 1))
    assert draft.blocks[at + 1].text.startswith("Progress in 2015/16, from the partnership's figures")
    texts = [b.text for b in draft.blocks[at + 2 :] if isinstance(b, Paragraph)]
    assert any("there were 20,649 ASB incidents reported to the police" in t for t in texts)


def governance_rows(document: Document) -> dict[str, list]:
    at = document.blocks.index(Heading("Governance", 1))
    (table,) = [b for b in document.blocks[at:] if isinstance(b, Table)]
    return {r[0]: r for r in table.rows}


def test_an_assumed_lead_organisation_is_marked_and_a_stated_one_is_not(demo):
    document = plan_document(demo)
    rows = governance_rows(document)
    # 000 names the Anti-Social Behaviour Group but not its lead organisation: the demo assumed it
    assert rows["Anti-Social Behaviour Group"][3] == f"Durham County Council ({ASSUMED})"
    # the Board's chair is from the council (000 foreword) and the Open Water Safety Group is chaired by the
    # council (000 section 8): stated, so not marked
    assert rows["Safe Durham Partnership Board"][3] == "Durham County Council"
    assert rows["Open Water Safety Group"][3] == "Durham County Council"
    assert ASSUMED in document.warning
    # the mark follows the record: once nothing is assumed about the group, the paper prints the plain value
    group = Group.objects.get(partnership=demo.partnership, slug="anti-social-behaviour-group")
    assumptions_set(obj=group, notes={})
    assert governance_rows(plan_document(demo))["Anti-Social Behaviour Group"][3] == "Durham County Council"


def test_a_recorded_assumption_is_printed_in_the_cell(demo):
    action = live_actions(demo).order_by("pk").first()
    action.target_date = dt.date(2018, 3, 31)
    action.save()
    rows = [r for t in tables(plan_document(demo), "Strategic actions for outcome ") for r in t.rows]
    assert next(r for r in rows if r[0] == action.text)[2] == "March 2018"
    assumption_record(obj=action, field="target_date", note="The plan gives no date; made up for the test.")
    rows = [r for t in tables(plan_document(demo), "Strategic actions for outcome ") for r in t.rows]
    assert next(r for r in rows if r[0] == action.text)[2] == f"March 2018 ({ASSUMED})"


def test_joint_objectives_and_groups_that_cover_darlington(demo):
    document = plan_document(demo)
    paragraphs = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    facilitation = {
        o.number: next(
            p
            for p in paragraphs
            if p.startswith(f"Facilitated by {o.group_roles.get(role='lead').group.name} (lead)")
        )
        for o in demo.objectives.live()
    }
    assert "Joint with Health and Wellbeing Board." in facilitation[2]
    assert "Joint with Children and Families Partnership." in facilitation[5]
    assert [n for n, text in facilitation.items() if "Joint with" in text] == [2, 5]
    # Darlington is a property of the four groups, never of a whole objective
    assert "Reducing Reoffending Group covers County Durham and Darlington." in facilitation[3]
    assert (
        "County Durham and Darlington Hate Crime Working Group covers County Durham and Darlington."
        in (facilitation[2])
    )
    assert "Road Casualty Reduction Partnership covers County Durham and Darlington." in facilitation[7]
    assert "Partnership Silver CONTEST Board covers County Durham and Darlington." in facilitation[6]
    assert not [p for p in paragraphs if "Joint with" in p and "Darlington" in p.split("Joint with")[1]]
    assert "covers" not in facilitation[1]  # the Anti-Social Behaviour Group covers County Durham only
    rows = governance_rows(document)
    joint = {name for name, row in rows.items() if row[4] == "County Durham and Darlington"}
    assert joint == {
        "Reducing Reoffending Group",
        "County Durham and Darlington Hate Crime Working Group",
        "Road Casualty Reduction Partnership",
        "Partnership Silver CONTEST Board",
    }
    assert rows["Anti-Social Behaviour Group"][4] == "County Durham"


def test_the_earlier_plan_marks_its_made_up_outcomes(demo):
    earlier = demo.previous_version
    document = plan_document(earlier)
    outcomes = [h for h in headings(document, 3) if h.startswith("Outcome ")]
    assert len(outcomes) == 7 and all(h.endswith(f" ({ASSUMED})") for h in outcomes)
    # the 2016-19 outcomes are 000's own words
    assert not [h for h in headings(plan_document(demo), 3) if ASSUMED in h]
