"""The partnership plan itself, laid out as the partnership publishes it, as a reports.document.Document.

A contents page, then numbered sections in the plan's order (Heading "1. Foreword", ...), so that the plan's own
cross-references ("see Section 10") land. A section's sub-headings ("## " and "### " lines of its text) are real
headings. The objectives come before monitoring success and the national policy context, as the plan runs:

- a section of kind `other` with no text of its own just before them is the section they are printed under
  (000: "8. Delivering Altogether Safer Objectives and Outcomes"); without one they get a section "Our objectives";
- a section of kind `other` just before that one gets, after its text, the summary table of the objectives and
  their outcomes (000: "7. Summary of Altogether Safer Objectives and Outcomes"); without one the summary table
  opens the objectives' section.

For each live objective: why it is a priority objective, its key challenges, the groups that facilitate it, its
outcomes with their strategic actions, and how success will be measured (under the measures' own sub-headings).
The partnership's groups (its governance structure) are a table in the context section; the glossary, when every
entry is "TERM — meaning", is a table. Every word comes from the plan's data; archived objectives, outcomes,
actions, indicators and groups are left out; a table has a column only where some row has a value. A value the
demo assumed (core.Assumption: an owner, a source, a definition) is printed with "(assumed for the demo)" after
it, and the document's warning says what that means.

The data annex (XLSX) holds the tables of strategic actions and measures. Renderers: reports/render.py.
"""

from __future__ import annotations

from saferplan.core.selectors import ASSUMED, assumptions_attach, marked
from saferplan.plans.models import Group, Indicator, Objective, Plan, PlanSection
from saferplan.plans.selectors import groups_list, plan_tree
from saferplan.reports.document import Block, Bullets, Cell, Document, Heading, Paragraph, Table, text_blocks
from saferplan.reports.narrative import achievements

CLOSING_KINDS = (PlanSection.Kind.GLOSSARY, PlanSection.Kind.CONTACTS)  # always last, in their order
# As the published plan runs: the objectives come before monitoring success and the national policy context,
# and those sections (with any that follow them) come after the objectives.
AFTER_OBJECTIVES = (PlanSection.Kind.MONITORING, PlanSection.Kind.NATIONAL_POLICY)
OBJECTIVES_HEADING = "Our objectives"  # only when the plan's data has no section for them
ACTION_COLUMNS = ["Action", "Owner", "Target date"]
MEASURE_COLUMNS = ["Measure", "Unit", "Desired direction", "Source"]
GROUP_COLUMNS = ["Group", "Kind", "Reports to", "Lead organisation", "Areas covered"]
SUMMARY_COLUMNS = ["Objective", "Outcome"]
GLOSSARY_COLUMNS = ["Abbreviation or term", "Meaning"]
GLOSSARY_DASH = " — "
DIRECTION = {
    Indicator.Polarity.HIGHER_IS_BETTER: "higher is better",
    Indicator.Polarity.LOWER_IS_BETTER: "lower is better",
    Indicator.Polarity.NONE: "no desired direction (monitoring only)",
}
DASH = "–"
ASSUMED_WARNING = (
    f"Entries marked “({ASSUMED})” are not given by the partnership's documents: the demo had to choose them."
)


def _table(caption: str, columns: list[str], rows: list[list[Cell]], sheet: str = "") -> Table:
    """A table with only the columns some row has a value in (the first column always)."""
    if rows:
        keep = [n for n in range(len(columns)) if n == 0 or any(r[n] not in (None, "", DASH) for r in rows)]
        columns = [columns[n] for n in keep]
        rows = [[r[n] for n in keep] for r in rows]
    return Table(caption, columns, rows, sheet=sheet)


def _progress(plan: Plan) -> list[Block] | None:
    """A draft refresh reports progress on the year before its refresh year, in sentences generated from the
    figures (reports.narrative); the section copied from the previous version would be a year out of date.
    An approved plan keeps the text it was approved with."""
    if plan.status != Plan.Status.DRAFT or not plan.refresh_year:
        return None
    year = f"{plan.refresh_year - 1}/{plan.refresh_year % 100:02d}"
    items = achievements(plan, year)
    blocks: list[Block] = [
        Paragraph(
            f"Progress in {year}, from the partnership's figures (generated from the data for this draft; "
            "synthetic demo figures are never used)."
        )
    ]
    if not items:
        blocks.append(Paragraph(f"There are no figures for {year} yet."))
    for item in items:
        blocks.append(Paragraph(item.text, lead=f"{item.heading}:"))
    return blocks


def _glossary(section: PlanSection) -> list[Block]:
    """The glossary as a table of terms and meanings, when every entry is "TERM — meaning"; else as text."""
    blocks = text_blocks(section.body)
    entries = [
        b.text.split(GLOSSARY_DASH, 1) for b in blocks if isinstance(b, Paragraph) and "\n" not in b.text
    ]
    if not blocks or len(entries) != len(blocks) or not all(len(e) == 2 for e in entries):
        return blocks
    return [Table(section.title, GLOSSARY_COLUMNS, [[term, meaning] for term, meaning in entries])]


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _facilitation(objective: Objective) -> Paragraph | None:
    """Who facilitates the objective (lead groups first), the areas a group covers when it covers more than the
    partnership's (a property of the group), and the partnerships the objective is held jointly with."""
    roles = [r for r in objective.group_roles.all() if r.group.archived_at is None]
    roles.sort(key=lambda r: (r.role != r.Role.LEAD, r.order))
    sentences = []
    if roles:
        sentences.append(
            marked(
                "Facilitated by " + _and([f"{r.group.name} ({r.get_role_display().lower()})" for r in roles]),
                objective,
                "groups",
            )
            + "."
        )
        sentences += [
            f"{r.group.name} covers {_and(list(r.group.areas))}." for r in roles if r.group.is_joint
        ]
    if objective.joint_with:
        sentences.append(
            marked("Joint with " + _and(list(objective.joint_with)), objective, "joint_with") + "."
        )
    return Paragraph(" ".join(sentences)) if sentences else None


def _action_table(reference: str, actions) -> Table:
    rows = [
        [
            a.text,
            marked(a.owner_group.name, a, "owner_group") if a.owner_group else DASH,
            marked(f"{a.target_date:%B %Y}", a, "target_date") if a.target_date else DASH,
        ]
        for a in actions
    ]
    return _table(
        f"Strategic actions for outcome {reference}", ACTION_COLUMNS, rows, sheet=f"Actions {reference}"
    )


def _measure_blocks(objective: Objective) -> tuple[list[Block], list[Table]]:
    """The objective's measures, under the sub-headings the plan lists them under (Indicator.heading), a table
    for each."""
    groups: dict[str, list[Indicator]] = {}
    for indicator in objective.live_indicators:
        groups.setdefault(indicator.heading, []).append(indicator)
    blocks: list[Block] = [Heading("How we will measure success", 3)]
    tables: list[Table] = []
    for n, (heading, indicators) in enumerate(groups.items(), start=1):
        rows = [
            [
                i.name,
                marked(i.get_unit_display(), i, "unit"),
                marked(DIRECTION.get(i.polarity, i.get_polarity_display().lower()), i, "polarity"),
                marked(i.source.name, i, "source") if i.source else DASH,
            ]
            for i in indicators
        ]
        caption = f"How we will measure success: objective {objective.number}" + (
            f", {heading}" if heading else ""
        )
        sheet = f"Measures {objective.number}" + (f".{n}" if len(groups) > 1 else "")
        tables.append(_table(caption, MEASURE_COLUMNS, rows, sheet=sheet))
        if heading:
            blocks.append(Heading(heading, 4))
        blocks.append(tables[-1])
    return blocks, tables


def _objective_blocks(objective: Objective) -> tuple[list[Block], list[Table]]:
    """An objective as section 8 of the plan gives each one, under the plan's own sub-headings."""
    blocks: list[Block] = [Heading(f"Objective {objective.number}: {objective.title}", 2)]
    for label, text in (
        ("Why this is a priority objective", objective.why_priority),
        ("Our key challenges", objective.key_challenges),
    ):
        if text.strip():
            blocks += [Heading(label, 3), *text_blocks(text, 4)]
    facilitation = _facilitation(objective)
    if facilitation:
        blocks.append(facilitation)
    tables: list[Table] = []
    outcomes = objective.live_outcomes
    if outcomes:
        label = "Our outcome and how we will deliver it" if len(outcomes) == 1 else None
        blocks.append(Heading(label or "Our outcomes and how we will deliver them", 3))
    for outcome in outcomes:
        reference = f"{objective.number}.{outcome.number}"
        blocks.append(Heading(marked(f"Outcome {reference}: {outcome.title}", outcome, "title"), 4))
        if outcome.live_actions:
            tables.append(_action_table(reference, outcome.live_actions))
            blocks.append(tables[-1])
    if objective.live_indicators:
        measures, measure_tables = _measure_blocks(objective)
        blocks += measures
        tables += measure_tables
    return blocks, tables


def _summary_table(objectives: list[Objective]) -> Table:
    """Section 7 of the plan: every live objective with its live outcomes, a row for each outcome."""
    rows: list[list[Cell]] = []
    for o in objectives:
        title = f"Objective {o.number}: {o.title}"
        rows += [[title, marked(f"{o.number}.{oc.number} {oc.title}", oc, "title")] for oc in o.live_outcomes]
        if not o.live_outcomes:
            rows.append([title, DASH])
    return Table("Summary of objectives and outcomes", SUMMARY_COLUMNS, rows)


def _groups_table(plan: Plan, groups: list[Group]) -> Table:
    """The partnership's governance structure: its groups, the Board first, and whom each reports to."""
    kinds = list(Group.Kind.values)
    groups = sorted(groups, key=lambda g: (kinds.index(g.kind) if g.kind in kinds else len(kinds), g.name))
    rows = [
        [
            g.name,
            g.get_kind_display(),
            g.escalates_to.name if g.escalates_to and not g.escalates_to.archived_at else DASH,
            marked(g.lead_organisation.name, g, "lead_organisation") if g.lead_organisation else DASH,
            _and(list(g.areas)) if g.areas else DASH,
        ]
        for g in groups
    ]
    return _table(f"{plan.partnership.name} Governance Structure", GROUP_COLUMNS, rows, sheet="Groups")


def plan_document(plan: Plan) -> Document:
    """The plan as the partnership publishes it: contents, then its numbered sections with the objectives, their
    outcomes, actions and measures where the plan runs them."""
    document = Document(plan.title, subtitle=f"{plan.partnership.name} · {plan.period}")
    sections = list(plan.sections.order_by("order", "pk"))
    narrative = [s for s in sections if s.kind not in CLOSING_KINDS]
    closing = [s for s in sections if s.kind in CLOSING_KINDS]
    split = next((n for n, s in enumerate(narrative) if s.kind in AFTER_OBJECTIVES), len(narrative))
    before, after = narrative[:split], narrative[split:]
    home = (
        before.pop()
        if before and before[-1].kind == PlanSection.Kind.OTHER and not before[-1].body.strip()
        else None
    )
    summary = before[-1] if home and before and before[-1].kind == PlanSection.Kind.OTHER else None

    objectives = plan_tree(plan)
    groups = groups_list(plan)
    assumptions_attach(*_tree_records(objectives), *groups)
    progress = _progress(plan)
    parts: list[tuple[str, list[Block]]] = []  # (title, blocks under its heading) of each numbered section
    annex: list[Table] = []
    for section in before + [None] + after + closing:
        if section is None:
            blocks: list[Block] = [] if summary else [_summary_table(objectives)]
            for objective in objectives:
                objective_blocks, tables = _objective_blocks(objective)
                objective_blocks[0].page_break = bool(
                    blocks
                )  # each on a page of its own, as the plan prints them
                blocks += objective_blocks
                annex += tables
            parts.append((home.title if home else OBJECTIVES_HEADING, blocks))
            continue
        if section.kind == PlanSection.Kind.PROGRESS and progress is not None:
            blocks = list(progress)
        elif section.kind == PlanSection.Kind.GLOSSARY:
            blocks = _glossary(section)
        else:
            blocks = text_blocks(section.body)
        if section is summary:
            blocks.append(_summary_table(objectives))
        if section.kind == PlanSection.Kind.CONTEXT and groups:
            blocks.append(_groups_table(plan, groups))
        parts.append((section.title, blocks))

    numbered = [f"{n}. {title}" for n, (title, _) in enumerate(parts, start=1)]
    document.add(Heading("Contents", 1), Bullets(numbered))
    for heading, (_, blocks) in zip(numbered, parts, strict=True):
        document.add(Heading(heading, 1, page_break=True), *blocks)
    document.annex = annex
    if any(ASSUMED in text for text in _texts(document)):
        document.warning = ASSUMED_WARNING
    return document


def _tree_records(objectives: list[Objective]):
    """The objectives of a plan tree and everything under them the document prints."""
    for o in objectives:
        yield o
        yield from o.live_indicators
        for oc in o.live_outcomes:
            yield oc
            yield from oc.live_actions


def _texts(document: Document):
    for block in document.blocks:
        if isinstance(block, Table):
            yield from (str(cell) for row in block.rows for cell in row)
        elif isinstance(block, Heading | Paragraph):
            yield block.text
        elif isinstance(block, Bullets):
            yield from block.items
