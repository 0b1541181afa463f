"""The partnership plan itself, laid out as the partnership publishes it, as a reports.document.Document.

Title and period; the plan's narrative sections (foreword, introduction, context, progress...) in their order
up to monitoring success; "Our objectives": for each live objective why it is a priority, its key challenges, the groups that facilitate
it, its outcomes with their strategic actions, and how success will be measured; the remaining sections
(monitoring success, national policy...); "Governance": the plan's
approvals and the partnership's groups; then the glossary and contact details. Every word comes from the
plan's data; archived objectives, outcomes, actions, indicators and groups are left out. A value the demo assumed
(core.Assumption: an owner, a source, a definition) is printed with "(assumed for the demo)" after it, and the
document's warning says what that means.

The data annex (XLSX) holds the tables of strategic actions and measures. Renderers: reports/render.py.
"""

from __future__ import annotations

from saferplan.core.selectors import ASSUMED, assumptions_attach, marked
from saferplan.plans.models import DatePrecision, Group, Indicator, Objective, Plan, PlanSection
from saferplan.plans.selectors import groups_list, plan_tree
from saferplan.reports.document import Block, Bullets, Document, Heading, Paragraph, Table, text_blocks
from saferplan.reports.narrative import achievements

CLOSING_KINDS = (PlanSection.Kind.GLOSSARY, PlanSection.Kind.CONTACTS)  # printed after Governance
# As the published plan runs: the objectives come before monitoring success and the national policy context,
# and those sections (with any that follow them) come after the objectives.
AFTER_OBJECTIVES = (PlanSection.Kind.MONITORING, PlanSection.Kind.NATIONAL_POLICY)
ACTION_COLUMNS = ["Action", "Owner", "Target date"]
MEASURE_COLUMNS = ["Measure", "Unit", "Desired direction", "Source"]
GROUP_COLUMNS = ["Group", "Kind", "Reports to", "Lead organisation", "Areas covered"]
DIRECTION = {
    Indicator.Polarity.HIGHER_IS_BETTER: "higher is better",
    Indicator.Polarity.LOWER_IS_BETTER: "lower is better",
    Indicator.Polarity.NONE: "no desired direction (monitoring only)",
}
DASH = "–"
ASSUMED_WARNING = (
    f"Entries marked “({ASSUMED})” are not given by the partnership's documents: the demo had to choose them."
)


def _section_blocks(sections: list[PlanSection], progress: list[Block] | None = None) -> list[Block]:
    blocks: list[Block] = []
    for section in sections:
        blocks.append(Heading(section.title, 1))
        if section.kind == PlanSection.Kind.PROGRESS and progress is not None:
            blocks.extend(progress)
        else:
            blocks.extend(text_blocks(section.body))
    return blocks


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
    return Table(
        f"Strategic actions for outcome {reference}", ACTION_COLUMNS, rows, sheet=f"Actions {reference}"
    )


def _measure_table(objective: Objective) -> Table:
    rows = [
        [
            i.name,
            marked(i.get_unit_display(), i, "unit"),
            marked(DIRECTION.get(i.polarity, i.get_polarity_display().lower()), i, "polarity"),
            marked(i.source.name, i, "source") if i.source else DASH,
        ]
        for i in objective.live_indicators
    ]
    return Table(
        f"How we will measure success: objective {objective.number}",
        MEASURE_COLUMNS,
        rows,
        sheet=f"Measures {objective.number}",
    )


def _objective_blocks(objective: Objective) -> tuple[list[Block], list[Table]]:
    blocks: list[Block] = [Heading(f"Objective {objective.number}: {objective.title}", 2)]
    for label, text in (
        ("Why this is a priority", objective.why_priority),
        ("Key challenges", objective.key_challenges),
    ):
        if text.strip():
            blocks += [Heading(label, 3), *text_blocks(text)]
    facilitation = _facilitation(objective)
    if facilitation:
        blocks.append(facilitation)
    tables: list[Table] = []
    for outcome in objective.live_outcomes:
        reference = f"{objective.number}.{outcome.number}"
        blocks.append(Heading(marked(f"Outcome {reference}: {outcome.title}", outcome, "title"), 3))
        if outcome.live_actions:
            tables.append(_action_table(reference, outcome.live_actions))
            blocks.append(tables[-1])
    if objective.live_indicators:
        tables.append(_measure_table(objective))
        blocks += [Heading("How we will measure success", 3), tables[-1]]
    return blocks, tables


def _approval(approval) -> str:
    when = (
        f"{approval.date:%B %Y}"
        if approval.date_precision == DatePrecision.MONTH
        else f"{approval.date.day} {approval.date:%B %Y}"
    )
    return f"{approval.get_approved_display()}: {approval.body}, {when}"


def _groups_table(plan: Plan, groups: list[Group]) -> Table:
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
    return Table(f"Groups of the {plan.partnership.name}", GROUP_COLUMNS, rows, sheet="Groups")


def plan_document(plan: Plan) -> Document:
    """The plan as the partnership publishes it: narrative sections, objectives with their outcomes, actions
    and measures, governance, then glossary and contact details."""
    document = Document(plan.title, subtitle=f"{plan.partnership.name} · {plan.period}")
    sections = list(plan.sections.order_by("order", "pk"))
    narrative = [s for s in sections if s.kind not in CLOSING_KINDS]
    split = next((n for n, s in enumerate(narrative) if s.kind in AFTER_OBJECTIVES), len(narrative))
    progress = _progress(plan)
    document.add(*_section_blocks(narrative[:split], progress))
    document.add(Heading("Our objectives", 1))
    annex: list[Table] = []
    objectives = plan_tree(plan)
    groups = groups_list(plan)
    assumptions_attach(*_tree_records(objectives), *groups)
    for objective in objectives:
        blocks, tables = _objective_blocks(objective)
        document.add(*blocks)
        annex += tables
    document.add(*_section_blocks(narrative[split:], progress))
    document.add(Heading("Governance", 1))
    approvals = list(plan.approvals.order_by("order", "pk"))
    if approvals:
        document.add(
            Paragraph("Approvals of this plan, in order:"), Bullets([_approval(a) for a in approvals])
        )
    document.add(_groups_table(plan, groups))
    document.add(*_section_blocks([s for s in sections if s.kind in CLOSING_KINDS]))
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
