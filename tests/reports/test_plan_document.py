"""The partnership plan as a Document: its sections, objectives, outcomes, actions, measures and governance,
checked against the demo plan as loaded in the database."""

import datetime as dt
import io

from docx import Document as WordDocument
from openpyxl import load_workbook

from saferplan.core.services import archive
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
    assert [r[0] for r in table.rows] == [a.text for a in expected]
    assert [r[1] for r in table.rows] == [a.owner_group.name if a.owner_group else "–" for a in expected]


def test_target_dates_and_archived_actions(demo):
    action, gone = list(live_actions(demo).order_by("pk")[:2])
    action.target_date = dt.date(2017, 3, 31)
    action.save()
    archive(gone)
    document = plan_document(demo)
    rows = [r for t in tables(document, "Strategic actions for outcome ") for r in t.rows]
    assert [action.text, action.owner_group.name, "March 2017"] in rows
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
        assert table.columns == ["Measure", "Unit", "Desired direction", "Source"]
        assert [r[0] for r in table.rows] == [i.name for i in indicators]
        assert [r[1] for r in table.rows] == [i.get_unit_display() for i in indicators]
        assert {r[2] for r in table.rows} <= words
        for row, indicator in zip(table.rows, indicators, strict=True):
            assert (row[2] == "lower is better") == (indicator.polarity == Indicator.Polarity.LOWER_IS_BETTER)
            assert row[3] == (indicator.source.name if indicator.source else "–")


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
    assert "Held jointly with " + " and ".join(objective.joint_with) in text


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
    assert table.columns == ["Group", "Kind", "Reports to", "Lead organisation"]
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
                    ["Group", "Kind", "Reports to", "Lead organisation"],
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
