"""The partnership plan as a Document: its contents, numbered sections, objectives, outcomes, actions, measures
and governance structure, checked against the demo plan as loaded in the database and against the published plan
(../shared/seeds/000)."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
import yaml
from docx import Document as WordDocument
from openpyxl import load_workbook

from saferplan.core.selectors import ASSUMED, assumptions_for
from saferplan.core.services import archive, assumption_record, assumptions_set
from saferplan.plans import plan_yaml
from saferplan.plans.models import (
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


SEED_000 = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_0cdac2aa740ee22e.txt"
needs_seed = pytest.mark.skipif(not SEED_000.exists(), reason="../shared/seeds is not beside the checkout")
# An internal citation of the sources the demo was transcribed from: "(000 section 4)", "001 paragraph 13",
# "002 ¶2-4", "000 does not say", "(not in the seeds)". "1,000 population" and "£300,000" are not.
CITATION = re.compile(r"(?<![\d,.£])\b00\d\b(?![,.]\d)|¶|\bseeds?\b", re.IGNORECASE)


def seed_text() -> str:
    return SEED_000.read_text(encoding="utf-8")


def seed_contents() -> list[str]:
    """The numbered entries of 000's contents list, "N. Title", without their page numbers."""
    text = seed_text()
    contents = text[text.index("\nContents\n") : text.index("\n1. Foreword\n")]
    return [f"{m[1]}. {m[2]}" for m in re.finditer(r"^(\d+)\. (.+?)\t\d+$", contents, re.M)]


def seed_objectives_and_outcomes() -> tuple[int, int]:
    """000 section 8: an objective per "Why this is a priority objective"; an outcome per line that a list of
    strategic actions follows (page headers "8. Delivering ..." left out)."""
    text = seed_text()
    body = text[text.index("8. Delivering Altogether Safer Objectives and Outcomes\n\nReduce anti-social") :]
    body = body[: body.index("9. Monitoring Success of the Safe Durham Partnership Plan\n\nThe Safe Durham")]
    blocks = body.split("Why this is a priority objective")[1:]
    outcomes = 0
    for block in blocks:
        start = re.search(r"Our outcomes? and how we will deliver (them|it)", block).end()
        lines = [
            ln for ln in block[start : block.index("How we will measure success")].splitlines() if ln.strip()
        ]
        lines = [ln for ln in lines if not re.match(r"^\d+\. ", ln)]
        outcomes += sum(
            1
            for ln, following in zip(lines, lines[1:], strict=False)
            if not ln.startswith("- ") and following.startswith("- ")
        )
    return len(blocks), outcomes


def printed(document: Document) -> list[str]:
    """Every piece of text the document prints."""
    texts = [document.title, document.subtitle, document.warning]
    for block in document.blocks:
        if isinstance(block, Heading | Paragraph):
            texts.append(block.text)
        elif isinstance(block, Bullets):
            texts += block.items
        elif isinstance(block, Table):
            texts += [block.caption, *block.columns, *(str(c) for row in block.rows for c in row)]
    return texts


def normal(text: str) -> str:
    for old, new in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("*", ""), ("<i>", ""), ("</i>", "")):
        text = text.replace(old, new)
    text = re.sub(r"</?u>", "", text)
    return " ".join(text.replace('" ', '"').replace(' "', '"').split())


def test_title_and_numbered_sections_in_order(demo):
    document = plan_document(demo)
    assert document.title == demo.title
    assert demo.partnership.name in document.subtitle and demo.period in document.subtitle
    assert document.language == "en-GB"
    sections = list(demo.sections.order_by("order"))
    assert {s.kind for s in sections} >= {PlanSection.Kind.FOREWORD, *CLOSING}  # the demo has them all
    assert document.blocks[0] == Heading("Contents", 1)
    contents = document.blocks[1]
    level1 = headings(document, 1)[1:]
    # the contents list names every numbered section, and the sections follow in that order
    assert isinstance(contents, Bullets) and contents.items == level1
    assert [h.split(". ", 1)[0] for h in level1] == [str(n) for n in range(1, len(level1) + 1)]
    # every section of the plan's data is there, in its order (the objectives go under the one with no text)
    assert [h.split(". ", 1)[1] for h in level1] == [s.title for s in sections]
    assert all(
        b.page_break
        for b in document.blocks
        if isinstance(b, Heading) and b.level == 1 and b.text[0].isdigit()
    )
    assert "Governance" not in level1 and "Our objectives" not in [h.split(". ", 1)[1] for h in level1]


@needs_seed
def test_section_numbers_and_headings_are_the_published_contents(demo):
    document = plan_document(demo)
    contents = seed_contents()
    assert len(contents) == 13 and contents[0] == "1. Foreword" and contents[-1] == "13. Contact details"
    assert headings(document, 1)[1:] == contents
    assert document.blocks[1] == Bullets(contents)
    # the plan's cross-references ("see Section 10") land on the section the seed means
    text = " ".join(printed(document))
    references = re.findall(r"see Section (\d+)|detailed in Section (\d+)", text, re.IGNORECASE)
    assert len(references) >= 3
    numbers = {h.split(". ", 1)[0]: h for h in headings(document, 1)[1:]}
    for found in references:
        assert "".join(found) in numbers
    assert numbers["10"] == "10. National Policy" and numbers["3"] == "3. The Safe Durham Partnership"


def test_a_plan_without_sections_for_them_gets_its_objectives_in_a_section_of_their_own(demo):
    home = demo.sections.get(title="Delivering Altogether Safer Objectives and Outcomes")
    home.delete()
    document = plan_document(demo)
    level1 = headings(document, 1)
    at = level1.index("8. Our objectives")
    assert level1[at - 1] == "7. Summary of Altogether Safer Objectives and Outcomes"
    # the summary table opens the objectives' section, as there is no section 7 of the plan's own to hold it
    heading = document.blocks.index(Heading("8. Our objectives", 1, page_break=True))
    assert document.blocks[heading + 1].caption == "Summary of objectives and outcomes"
    assert len(tables(document, "Summary of objectives and outcomes")) == 1


def section_at(document: Document, title: str) -> int:
    """Where the numbered section of that title starts."""
    return next(
        n
        for n, b in enumerate(document.blocks)
        if isinstance(b, Heading) and b.level == 1 and b.text.endswith(f". {title}")
    )


def test_sections_keep_their_text_and_sub_headings(demo):
    document = plan_document(demo)
    foreword = demo.sections.get(kind=PlanSection.Kind.FOREWORD)
    first = text_blocks(foreword.body)[0]
    at = section_at(document, foreword.title)
    assert document.blocks[at + 1] == first and isinstance(first, Paragraph)
    # every section's text is there, block for block, after its heading (the glossary is a table: below)
    for section in demo.sections.exclude(kind=PlanSection.Kind.GLOSSARY):
        at = section_at(document, section.title)
        blocks = text_blocks(section.body)
        assert document.blocks[at + 1 : at + 1 + len(blocks)] == blocks
    # a section's sub-headings are headings, not body text: "## " a level below the section, "### " two
    progress = demo.sections.get(kind=PlanSection.Kind.PROGRESS)
    at = section_at(document, progress.title)
    assert document.blocks[at + 1] == Heading("Reduced levels of crime", 2)
    policy = demo.sections.get(kind=PlanSection.Kind.NATIONAL_POLICY)
    at = section_at(document, policy.title)
    below = document.blocks[at + 1 :]
    assert Heading("Key Policy Drivers", 2) in below and Heading("Serious Crime Act 2015", 3) in below
    sub_headings = [b for b in document.blocks if isinstance(b, Heading) and b.level in (2, 3)]
    assert not [h for h in sub_headings if h.text.startswith("#")]
    paragraphs = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert not [p for p in paragraphs if p.startswith("#")]
    for text in ("Tackling Domestic Abuse", "Altogether Wealthier", "Checkpoint", "Cyber Crime"):
        assert text not in paragraphs and Heading(text, 2) in document.blocks


def test_the_glossary_is_a_table_of_terms(demo):
    document = plan_document(demo)
    glossary = demo.sections.get(kind=PlanSection.Kind.GLOSSARY)
    entries = [b.text.split(" — ", 1) for b in text_blocks(glossary.body)]
    table = document.blocks[section_at(document, glossary.title) + 1]
    assert table.caption == glossary.title and table.columns == ["Abbreviation or term", "Meaning"]
    assert table.rows == entries and len(entries) > 20
    assert ["CONTEST", "The United Kingdom's counter-terrorism strategy"] in table.rows


def test_objectives_and_outcomes_in_number_order(demo):
    document = plan_document(demo)
    objectives = list(demo.objectives.live().order_by("number"))
    assert len(objectives) > 1
    assert [h for h in headings(document, 2) if h.startswith("Objective ")] == [
        f"Objective {o.number}: {o.title}" for o in objectives
    ]
    # all under the section of the plan's data that has no text of its own (000's section 8)
    home = section_at(document, "Delivering Altogether Safer Objectives and Outcomes")
    first = objectives[0]
    at = document.blocks.index(Heading(f"Objective {first.number}: {first.title}", 2))
    assert at == home + 1
    outcomes = Outcome.objects.live().filter(objective__in=objectives).order_by("objective__number", "number")
    assert [h for h in headings(document, 4) if h.startswith("Outcome ")] == [
        f"Outcome {o.reference}: {o.title}" for o in outcomes.select_related("objective")
    ]
    # each objective on a page of its own, as the plan prints them; the first right under the section's heading
    starts = [b for b in document.blocks if isinstance(b, Heading) and b.text.startswith("Objective ")]
    assert [b.page_break for b in starts] == [False] + [True] * (len(objectives) - 1)
    # the plan's own sub-headings, as headings
    assert document.blocks[at + 1] == Heading("Why this is a priority objective", 3)
    assert document.blocks[at + 2] == text_blocks(first.why_priority)[0]
    level3 = headings(document, 3)
    assert (
        level3.count("Our key challenges") == level3.count("How we will measure success") == len(objectives)
    )
    single = [o for o in objectives if o.outcomes.live().count() == 1]
    assert level3.count("Our outcome and how we will deliver it") == len(single) > 0
    assert level3.count("Our outcomes and how we will deliver them") == len(objectives) - len(single)


@needs_seed
def test_section_7_summarises_every_objective_and_outcome(demo):
    document = plan_document(demo)
    objectives_in_seed, outcomes_in_seed = seed_objectives_and_outcomes()
    assert (objectives_in_seed, outcomes_in_seed) == (7, 17)
    summary = section_at(document, "Summary of Altogether Safer Objectives and Outcomes")
    section = demo.sections.get(title="Summary of Altogether Safer Objectives and Outcomes")
    blocks = text_blocks(section.body)
    assert document.blocks[summary + 1 : summary + 1 + len(blocks)] == blocks
    (table,) = tables(document, "Summary of objectives and outcomes")
    assert document.blocks[summary + 1 + len(blocks)] is table
    assert table.columns == ["Objective", "Outcome"]
    assert len({r[0] for r in table.rows}) == objectives_in_seed == demo.objectives.live().count()
    assert len(table.rows) == outcomes_in_seed == Outcome.objects.live().filter(objective__plan=demo).count()
    outcome = Outcome.objects.live().filter(objective__plan=demo).select_related("objective").last()
    assert [
        f"Objective {outcome.objective.number}: {outcome.objective.title}",
        f"{outcome.reference} {outcome.title}",
    ] in table.rows
    # the seed's words: each outcome's title is a line of 000
    lines = {normal(ln) for ln in seed_text().splitlines()}
    assert all(normal(r[1].split(" ", 1)[1]) in lines for r in table.rows)


def test_every_live_action_in_its_outcome_table(demo):
    document = plan_document(demo)
    action_tables = tables(document, "Strategic actions for outcome ")
    # the demo gives no target dates, so there is no column for them
    assert all(t.columns == ["Action", "Owner"] for t in action_tables)
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
    dated = next(
        t for t in tables(document, "Strategic actions for outcome ") if action.text in [r[0] for r in t.rows]
    )
    assert dated.columns == ["Action", "Owner", "Target date"]  # a column where some action has a date
    owner = marked(action.owner_group.name, assumptions_for([action]), action.pk, "owner_group")
    assert [action.text, owner, "March 2017"] in dated.rows
    assert all(r[2] == "–" for r in dated.rows if r[0] != action.text)
    rows = [r for t in tables(document, "Strategic actions for outcome ") for r in t.rows]
    assert gone.text not in [r[0] for r in rows]
    others = [t for t in tables(document, "Strategic actions for outcome ") if t is not dated]
    assert others and all(t.columns == ["Action", "Owner"] for t in others)


def test_no_table_has_an_empty_column(demo):
    document = plan_document(demo)
    for table in [b for b in document.blocks if isinstance(b, Table)]:
        for n, column in enumerate(table.columns):
            assert any(row[n] not in (None, "", "–") for row in table.rows), (table.caption, column)


def test_measures_of_each_objective(demo):
    document = plan_document(demo)
    words = {"higher is better", "lower is better", "no desired direction (monitoring only)"}
    for objective in demo.objectives.live():
        indicators = list(objective.indicators.live().select_related("source").order_by("order", "name"))
        found = tables(document, f"How we will measure success: objective {objective.number}")
        if not indicators:
            assert not found
            continue
        # a table for each sub-heading the plan lists the measures under (objective 2: two), in their order
        sub_headings = list(dict.fromkeys(i.heading for i in indicators))
        assert len(found) == len(sub_headings)
        for table, heading in zip(found, sub_headings, strict=True):
            assert (
                table.caption.endswith(f", {heading}")
                if heading
                else table.caption.endswith(f" {objective.number}")
            )
            if heading:
                assert document.blocks[document.blocks.index(table) - 1] == Heading(heading, 4)
        notes = assumptions_for(indicators)
        for table in found:
            assert table.columns[:3] == ["Measure", "Unit", "Desired direction"]
        rows = [dict(zip(t.columns, r, strict=True)) for t in found for r in t.rows]
        assert [r["Measure"] for r in rows] == [i.name for i in indicators]
        assert [r["Unit"] for r in rows] == [
            marked(i.get_unit_display(), notes, i.pk, "unit") for i in indicators
        ]
        assert {r["Desired direction"].removesuffix(f" ({ASSUMED})") for r in rows} <= words
        for row, indicator in zip(rows, indicators, strict=True):
            direction = row["Desired direction"].removesuffix(f" ({ASSUMED})")
            assert (direction == "lower is better") == (
                indicator.polarity == Indicator.Polarity.LOWER_IS_BETTER
            )
            assert (direction != row["Desired direction"]) == ((indicator.pk, "polarity") in notes)
            source = marked(indicator.source.name, notes, indicator.pk, "source") if indicator.source else "–"
            assert row.get("Source", "–") == source
    assert any(
        len(tables(document, f"How we will measure success: objective {o.number}")) == 2
        for o in demo.objectives.live()
    )


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
    texts = headings(document, 2) + headings(document, 4)
    assert f"Objective {objective.number}: {objective.title}" not in texts
    assert not [t for t in texts if t.startswith(f"Outcome {objective.number}.")]
    assert not tables(document, f"How we will measure success: objective {objective.number}")
    assert (
        len([h for h in headings(document, 2) if h.startswith("Objective ")])
        == demo.objectives.live().count()
    )
    (summary,) = tables(document, "Summary of objectives and outcomes")
    assert not [r for r in summary.rows if r[0].startswith(f"Objective {objective.number}:")]
    assert (
        len(summary.rows)
        == Outcome.objects.live().filter(objective__plan=demo, objective__archived_at__isnull=True).count()
    )
    rows = sum(len(t.rows) for t in tables(document, "Strategic actions for outcome "))
    assert (
        rows
        == live_actions(demo).count()
        == StrategicAction.objects.live()
        .filter(outcome__objective__plan=demo, outcome__objective__archived_at__isnull=True)
        .count()
    )
    assert outcomes  # the objective had outcomes, now left out with it


def test_the_governance_structure_is_a_table_in_section_3(demo):
    group = Group.objects.live().filter(partnership=demo.partnership).exclude(kind=Group.Kind.BOARD).first()
    archive(group)
    document = plan_document(demo)
    context = demo.sections.get(kind=PlanSection.Kind.CONTEXT)
    at = section_at(document, context.title)
    assert document.blocks[at].text == f"3. {context.title}"
    # 000: "...represented within the Safe Durham Partnership Governance Structure" (a diagram): its content
    table = document.blocks[at + 1 + len(text_blocks(context.body))]
    assert table.caption == "Safe Durham Partnership Governance Structure"
    assert table.columns == ["Group", "Kind", "Reports to", "Lead organisation", "Areas covered"]
    live = list(Group.objects.live().filter(partnership=demo.partnership).select_related("escalates_to"))
    assert sorted(r[0] for r in table.rows) == sorted(g.name for g in live)
    assert group.name not in [r[0] for r in table.rows]
    by_name = {r[0]: r for r in table.rows}
    for g in live:
        assert by_name[g.name][1] == g.get_kind_display()
        assert by_name[g.name][2] == (g.escalates_to.name if g.escalates_to else "–")
    assert table.rows[0][1] == Group.Kind.BOARD.label  # the Board first
    # the published plan has no "Governance" section, and does not list its approvals
    assert not [h for h in headings(document, 1) if "Governance" in h]
    approval = demo.approvals.order_by("order").first()
    assert not [t for t in printed(document) if f"{approval.get_approved_display()}: {approval.body}" in t]


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
                Heading("Contents", 1),
                Bullets(["1. Hello", "2. Our objectives", "3. Write to us"]),
                Heading("1. Hello", 1, page_break=True),
                Bullets(["one", "two"]),
                Heading("2. Our objectives", 1, page_break=True),
                Table(
                    "Summary of objectives and outcomes",
                    ["Objective", "Outcome"],
                    [["Objective 1: Be safe", f"{outcome.reference} Safer"]],
                ),
                Heading("Objective 1: Be safe", 2, page_break=True),  # after the summary table
                Heading("Our outcome and how we will deliver it", 3),
                Heading(f"Outcome {outcome.reference}: Safer", 4),
                Heading("3. Write to us", 1, page_break=True),
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
    assert ("Heading 1", "Contents") in styled and ("Heading 1", "1. Foreword") in styled
    assert ("Heading 1", "8. Delivering Altogether Safer Objectives and Outcomes") in styled
    assert ("Heading 2", "Tackling Domestic Abuse") in styled and (
        "Heading 3",
        "Our key challenges",
    ) in styled
    objective = demo.objectives.live().order_by("number").first()
    assert ("Heading 2", f"Objective {objective.number}: {objective.title}") in styled
    assert len(word.tables) == sum(isinstance(b, Table) for b in document.blocks)
    assert all(t.rows[0]._tr.trPr.xpath("./w:tblHeader") for t in word.tables)


def test_a_draft_refresh_reports_progress_from_the_figures(demo):
    progress = demo.sections.get(kind=PlanSection.Kind.PROGRESS)
    approved = plan_document(demo)
    at = section_at(approved, progress.title)
    assert approved.blocks[at + 1] == text_blocks(progress.body)[0]  # approved: the text it was approved with
    demo.status = Plan.Status.DRAFT
    demo.save()
    draft = plan_document(demo)
    at = section_at(draft, progress.title)
    assert draft.blocks[at + 1].text.startswith("Progress in 2015/16, from the partnership's figures")
    texts = [b.text for b in draft.blocks[at + 2 :] if isinstance(b, Paragraph)]
    assert any("there were 20,649 ASB incidents reported to the police" in t for t in texts)


def governance_rows(document: Document) -> dict[str, list]:
    (table,) = tables(document, "Safe Durham Partnership Governance Structure")
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
    outcomes = [h for h in headings(document, 4) if h.startswith("Outcome ")]
    assert len(outcomes) == 7 and all(h.endswith(f" ({ASSUMED})") for h in outcomes)
    (summary,) = tables(document, "Summary of objectives and outcomes")
    assert all(r[1].endswith(f" ({ASSUMED})") for r in summary.rows)
    # the 2016-19 outcomes are 000's own words
    assert not [h for h in headings(plan_document(demo), 4) if ASSUMED in h]


def test_no_internal_citation_is_printed(demo):
    # the pattern finds what it is for, and not the figures it must leave alone
    for cited in (
        "(000 section 4)",
        "(001 paragraph 13)",
        "002 ¶2-4",
        "(not in the seeds)",
        "000 does not say",
    ):
        assert CITATION.search(cited), cited
    for figure in ("per 1,000 population", "£300,000", "over 120,000 families", "1.000"):
        assert not CITATION.search(figure), figure
    for plan in (demo, demo.previous_version):
        cited = [t for t in printed(plan_document(plan)) if CITATION.search(t)]
        assert not cited, cited[:3]


def test_the_demo_keeps_its_citations_out_of_everything_pages_and_papers_print(demo):
    """Where each value of the demo plan files came from is in the files' comments, never in a value that a page or
    a paper prints (a group's remit, an approval's note, a definition, a note of what was assumed...)."""

    def values(data):
        if isinstance(data, dict):
            for value in data.values():
                yield from values(value)
        elif isinstance(data, list):
            for value in data:
                yield from values(value)
        elif isinstance(data, str):
            yield data

    files = sorted((Path(plan_yaml.__file__).parent / "demo").glob("*.yaml"))
    assert len(files) == 2
    texts = [v for f in files for v in values(yaml.safe_load(f.read_text(encoding="utf-8")))]
    assert len(texts) > 1000
    cited = [v for v in texts if CITATION.search(v)]
    assert not cited, cited[:3]
    # the sources are still there, as comments
    comments = [
        ln for f in files for ln in f.read_text(encoding="utf-8").splitlines() if ln.lstrip().startswith("#")
    ]
    assert len([c for c in comments if CITATION.search(c)]) > 100
    # and what was loaded is what pages print
    printed_values = [
        *Group.objects.filter(partnership=demo.partnership).values_list("remit", flat=True),
        *demo.approvals.values_list("note", flat=True),
        *Indicator.objects.filter(partnership=demo.partnership).values_list("definition", flat=True),
        *demo.partnership.baskets.values_list("description", flat=True),
        *PlanSection.objects.values_list("body", flat=True),
    ]
    assert not [v for v in printed_values if CITATION.search(v)]


def test_the_formats_line_is_as_published(demo):
    document = plan_document(demo)
    contacts = demo.sections.get(kind=PlanSection.Kind.CONTACTS)
    below = document.blocks[section_at(document, contacts.title) + 1 :]
    (formats,) = [b for b in below if isinstance(b, Paragraph) and "Braille" in b.text]
    assert formats.text.split("\n") == ["Braille", "Audio", "Large Print"]
    assert any(
        "Please ask us if you would like this document summarised in another language or format." in t
        for t in printed(document)
    )


@needs_seed
def test_the_seed_lines_are_printed_word_for_word(demo):
    """Every line of 000's text from the foreword on (a list item without its "- ", a table row cell by cell) is in
    the document word for word, but the pages' running headers ("6. Cross Cutting Themes"; the section headings
    themselves are the contents test's), as it was before the plan had numbered sections."""
    document = plan_document(demo)
    text = normal("\n".join(printed(document)))
    lines = [ln.strip() for ln in seed_text().splitlines() if ln.strip()]
    body = lines[lines.index("1. Foreword", lines.index("Contents") + 1) :]
    body = [ln for ln in body if not re.match(r"^\d{1,2}\. [^.]{3,70}$", ln)]

    def kept(line: str) -> bool:
        return all(normal(cell) in text for cell in line.removeprefix("- ").split("\t") if cell.strip())

    missing = [ln for ln in body if not kept(ln)]
    print(f"{len(body) - len(missing)} of {len(body)} lines of 000 printed word for word; missing: {missing}")
    assert len(missing) <= 20, missing
    # the diagrams' and call-outs' content
    for line in (
        "Think Family Worker",
        "Supporting the whole family to overcome difficulties together",
        "Large Print",
    ):
        assert normal(line) in text


def test_the_pdf_renders(demo):
    pdf = render.to_pdf(plan_document(demo))
    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000


def test_sub_headings_on_the_plan_section_page(demo, users, client_for):
    """The web page of a section reads its text as the document does: its sub-headings are headings there too."""
    client = client_for(users["viewer"])
    policy = demo.sections.get(kind=PlanSection.Kind.NATIONAL_POLICY)
    html = client.get(f"/plans/{demo.slug}/sections/{policy.order}/").content.decode()
    assert '<h2 class="govuk-heading-m">Key Policy Drivers</h2>' in html
    assert '<h3 class="govuk-heading-s">Serious Crime Act 2015</h3>' in html
    assert "## " not in html
    # the section the objectives go under has no text, so the plan's page does not list it as a page to read
    overview = client.get(f"/plans/{demo.slug}/").content.decode()
    assert policy.title in overview
    assert "Delivering Altogether Safer Objectives and Outcomes" not in overview
