"""The strategic assessment as a document (reports.document.Document), rendered by the report renderers to every
format (HTML, Word, tagged PDF, XLSX data annex), and drafted, reviewed and published as a report
(reports.models.Report.Kind.ASSESSMENT and ASSESSMENT_SUMMARY).

The full assessment reads as an analyst's document:

    front page (the partnership, the year, the period looked back over, its state), contents;
    1. Executive summary (the assessment's summary, the priorities);
    2. Introduction and method (the statutory basis, SI 2007/1830 regs 5-7, the period, the consultation
       exercises, where the figures come from);
    then each section in its order, with its text and live figures (assessment.figures: charts with
    alternative text and the table of their figures, the period and source under each); the PESTELO scan as a
    table by category (with the future trends section, else on its own); what our communities told us beside
    what the data say (with the community views section, else on its own); the long-list with its evidence;
    the scoring method (the scheme's dimensions, scales and weights, which the partnership set) and results
    (the ranking and the risk matrix); the priorities and the objectives they became; the data improvement
    plan; Appendix: the information-sharing schedule.

The public summary is short and plain: what we looked at, what people told us, our priorities and why, and what
happens next. It leaves out scores, the long-list, the data-sharing and improvement detail and every name.

Figures are computed from the live data each time the document is built; publishing the report freezes them.
"""

from __future__ import annotations

import re
from datetime import date

from saferplan.assessment.figures import FigureContent, figure_content
from saferplan.assessment.models import AssessmentSection, ConsultationExercise, StrategicAssessment
from saferplan.core.formatting import long_date, without_source_marks
from saferplan.core.selectors import ASSUMED
from saferplan.reports.document import (
    Block,
    Bullets,
    Chart,
    Document,
    Front,
    Heading,
    Paragraph,
    Table,
    text_blocks,
)

DASH = "–"
STATUTE = (
    "The Crime and Disorder Act 1998 (sections 5 to 7) makes the responsible authorities of the area work "
    "together to reduce crime and disorder, anti-social behaviour, the misuse of drugs and alcohol and "
    "re-offending. The Crime and Disorder (Formulation and Implementation of Strategy) Regulations 2007 "
    "(SI 2007/1830) require the partnership to prepare a strategic assessment every year (regulations 5 to 7): "
    "an analysis of the levels and patterns of crime, disorder and substance misuse in the area and the changes "
    "in them since the last assessment, of the views of people who live and work in the area, and of the matters "
    "the partnership should prioritise. The partnership plan and its yearly refresh are set from it."
)
SYNTHETIC_WARNING = (
    "Some figures in this document are synthetic demo data, made up to fill gaps in the demonstration: they are "
    "marked “(synthetic demo figure)” in the tables and drawn as hollow markers in the charts. They are not real "
    "figures."
)


def _words(d: date) -> str:
    return long_date(d)


def _period(assessment: StrategicAssessment) -> str:
    return f"{_words(assessment.period_start)} to {_words(assessment.period_end)}"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def _lower_first(text: str) -> str:
    """ "Our communities" → "our communities"; "PACT meeting" stays as it is."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


SEED_MARK = re.compile(r"\s*\(00\d\b[^()]*\)")  # "(003 Priority 1)", "(003 'What we will do now')"


def _t(text) -> str:
    """User text as readers read it: without the demo's marks of where it came from in the seed papers."""
    return SEED_MARK.sub("", without_source_marks(str(text or ""))).strip()


def _table(caption: str, columns: list[str], rows: list[list], *, numeric=(), sheet: str = "") -> Table:
    """A table without the columns no row has a value in (the first column always stays)."""
    keep = [n for n in range(len(columns)) if n == 0 or any(r[n] not in (None, "", DASH) for r in rows)]
    return Table(
        caption,
        [columns[n] for n in keep],
        [[r[n] for n in keep] for r in rows],
        numeric=[keep.index(n) for n in numeric if n in keep],
        sheet=sheet,
    )


def _items(items: list[str]) -> str:
    """Several entries in one table cell, each a sentence (a cell is one run of text in every format)."""
    return " ".join(i if i.endswith(".") else f"{i}." for i in items if i)


def _sheet(text: str) -> str:
    return text[:31]


# ------------------------------------------------------------------------------------------------- figures


def figure_blocks(content: FigureContent, number: int | None = None) -> list[Block]:
    """A live figure: its chart (with alternative text, summary and table) or its table, then its period and
    source."""
    blocks: list[Block] = []
    table = Table(
        content.caption if not content.chart_svg else f"{content.title}: figures",
        list(content.headers),
        [list(r) for r in content.rows],
        numeric=list(content.numeric),
        sheet=_sheet(f"Figure {number} {content.title}" if number else content.title),
    )
    if content.empty:
        blocks.append(Paragraph(f"{content.caption}: {content.source}.", lead="Figure:"))
        return blocks
    if content.chart_svg:
        alt = content.summary or content.title
        blocks.append(
            Chart(title=content.caption, svg=content.chart_svg, alt=alt, summary=content.summary, table=table)
        )
    else:
        blocks.append(table)
    note = f"Period: {content.period}. Source: {content.source}."
    if content.synthetic:
        note += " Contains synthetic demo figures (marked): they are not real figures."
    blocks.append(Paragraph(note))
    return blocks


def _figures(section: AssessmentSection, counter: list[int]) -> tuple[list[Block], bool]:
    blocks: list[Block] = []
    synthetic = False
    for record in section.figures.select_related("indicator", "section__assessment").order_by("order", "pk"):
        try:
            content = figure_content(record)
        except Exception:  # noqa: BLE001 - one figure that cannot be drawn must not stop the document
            blocks.append(Paragraph(f"{record}: the figure could not be drawn from the data held."))
            continue
        synthetic = synthetic or content.synthetic
        if not content.empty:
            counter[0] += 1
        blocks += figure_blocks(content, counter[0])
    return blocks, synthetic


# ---------------------------------------------------------------------------------------------- the parts


def _exercises(assessment: StrategicAssessment) -> list[ConsultationExercise]:
    return list(assessment.consultations.prefetch_related("senior_attendance").order_by("held_from", "pk"))


def _held(exercise: ConsultationExercise) -> str:
    if exercise.held_to and exercise.held_to != exercise.held_from:
        return f"{_words(exercise.held_from)} to {_words(exercise.held_to)}"
    return _words(exercise.held_from)


def _exercises_table(exercises: list[ConsultationExercise]) -> Table:
    rows = [
        [
            _t(e.title),
            e.get_kind_display(),
            _held(e),
            _t(e.reached) or DASH,
            f"{e.people_reached:,}" if e.people_reached is not None else DASH,
        ]
        for e in exercises
    ]
    return _table(
        "Consultation and engagement exercises that informed the assessment",
        ["Exercise", "Kind", "Held", "Who was reached", "People reached"],
        rows,
        numeric=[4],
        sheet="Consultation exercises",
    )


def _introduction(assessment: StrategicAssessment, exercises) -> list[Block]:
    blocks: list[Block] = [
        Paragraph(STATUTE),
        Paragraph(
            f"This assessment looks back over {_period(assessment)}. Its figures come from the partners' data "
            "returns and published figures held in SaferPlan's indicator engine, and from police recorded crime "
            "and anti-social behaviour published as open data (data.police.uk); each figure gives the period it "
            "covers and its source. The figures were drawn from the data held when this document was produced."
        ),
    ]
    if exercises:
        reached = [e.people_reached for e in exercises if e.people_reached is not None]
        sentence = (
            f"{len(exercises)} consultation and engagement exercise{'s' if len(exercises) != 1 else ''}"
        )
        sentence += " informed it"
        if reached:
            sentence += f", reaching at least {sum(reached):,} people"
        blocks += [Paragraph(sentence + "."), _exercises_table(exercises)]
    else:
        blocks.append(Paragraph("No consultation exercise is recorded against this assessment."))
    if assessment.scheme_id:
        blocks.append(
            Paragraph(
                f"The long-list of issues was scored with the partnership's scheme “{assessment.scheme.name}” "
                "(see Scoring method and results), and the priorities were chosen from the ranking."
            )
        )
    return blocks


def _pestle(assessment: StrategicAssessment) -> list[Block]:
    factors = list(assessment.pestle.all())
    if not factors:
        return []
    from saferplan.assessment.models import PestleFactor

    rows = []
    for value, label in PestleFactor.Category.choices:
        entries = sorted((f for f in factors if f.category == value), key=lambda f: (f.order, f.pk))
        rows += [[label, _t(f.text)] for f in entries]
    return [
        Table(
            "PESTELO scan: future and emerging trends by category",
            ["Category", "Trend or factor"],
            rows,
            sheet="PESTELO scan",
        )
    ]


def _evidence_words(issues) -> str:
    parts = []
    for issue in issues:
        figures = "; ".join(
            f"{e.indicator.name}: {e.words}" + (" (synthetic demo figure)" if e.synthetic else "")
            for e in issue.indicators
        )
        parts.append(_t(issue.candidate.title) + (f" ({figures})" if figures else ""))
    return _items(parts) if parts else "Not linked to an issue of the long-list"


def _told_us(assessment: StrategicAssessment, *, beside_data: bool = True) -> list[Block]:
    from saferplan.assessment.selectors.consultation import told_us_beside_data

    groups = told_us_beside_data(assessment)
    if not groups:
        return [Paragraph("No consultation results are recorded for this assessment.")]
    blocks: list[Block] = []
    if beside_data:
        blocks.append(
            Paragraph(
                "What each group consulted said, beside what the data say: the issues of the long-list each "
                f"point is linked to, and their indicators' latest figures up to {_words(assessment.period_end)}"
                + (f" for {groups[0].area}" if groups[0].area else "")
                + "."
            )
        )
    for g in groups:
        rows = []
        for kind, items in (("Concerned about", g.concerns), ("Want to see", g.wants)):
            for item in items:
                c = item.concern
                said = _t(c.text) + (f" ({c.respondents:,} raised it)" if c.respondents else "")
                rows.append([kind, said, _evidence_words(item.issues)])
        blocks.append(
            Table(
                f"What {_lower_first(g.label)} told us",
                ["Concern or want", "What they said", "What the data say"],
                rows,
                sheet=_sheet(f"Told us {g.label}"),
            )
        )
    return blocks


def _long_list(assessment: StrategicAssessment) -> tuple[list[Block], bool]:
    from saferplan.assessment.selectors.document import long_list

    views = long_list(assessment)
    if not views:
        return [Paragraph("The long-list has no issues yet.")], False
    synthetic = False
    rows = []
    for v in views:
        indicators = []
        for e in v.indicators:
            indicator = e.indicator
            synthetic = synthetic or e.synthetic
            text = f"{indicator.name}: {e.words}" + (
                f"; {e.travel[:1].lower()}{e.travel[1:]}" if e.value and e.travel else ""
            )
            indicators.append(text + (" (synthetic demo figure)" if e.synthetic else ""))
        crimes = [
            f"{c.crime_type}: {c.count:,} ({c.months})"
            if c.count is not None
            else f"{c.crime_type}: no police open data held for the period"
            for c in v.crimes
        ]
        concerns = [_t(c.text) for c in v.concerns]
        rows.append(
            [
                _t(v.candidate.title),
                _t(v.candidate.description) or DASH,
                _items(indicators) or DASH,
                _items(crimes) or DASH,
                _items(concerns) or DASH,
                _t(v.candidate.partners_views) or DASH,
            ]
        )
    return [
        Paragraph(
            "The issues the partnership considered, with the evidence for each: its indicators' figures for the "
            "period and direction of travel, police recorded crime of its types, what consultation found, and "
            "partners' views."
        ),
        _table(
            "The long-list of issues and their evidence",
            [
                "Issue",
                "Description",
                "Indicators",
                "Police recorded crime",
                "What consultation found",
                "Partners' views",
            ],
            rows,
            sheet="Long-list",
        ),
    ], synthetic


def _scale_words(dimension) -> str:
    labels = list(dimension.labels.all())
    scale = f"{dimension.scale_min} to {dimension.scale_max}"
    if labels:
        scale += ": " + "; ".join(f"{label.value} {label.label}" for label in labels)
    return scale


def _weight(value) -> str:
    return f"{float(value):g}"


def _scores_assumed(assessment: StrategicAssessment) -> list[Block]:
    from saferplan.assessment.selectors.scoring import scores_assumed

    note = scores_assumed(assessment)
    return [Paragraph(f"Scores {ASSUMED}: {note}")] if note else []


def _scoring(assessment: StrategicAssessment) -> list[Block]:
    scheme = assessment.scheme
    if scheme is None:
        return [
            Paragraph(
                "No scoring scheme has been chosen for this assessment, so the long-list is not ranked."
            )
        ]
    dimensions = list(scheme.dimensions.prefetch_related("labels").order_by("order", "pk"))
    how = (
        "each issue's settled score on every dimension is multiplied by the dimension's weight and the results "
        "added up"
        if scheme.method == scheme.Method.WEIGHTED_SUM
        else "each issue's settled scores on the dimensions are multiplied together"
    )
    blocks: list[Block] = [
        Heading("Method", 2),
        Paragraph(
            f"The long-list was scored with the scheme “{scheme.name}”. The partnership set its dimensions, their "
            "scales, what each value means and their weights; no national scale is used. Each scorer scored every "
            "issue independently; where scorers differed, the score was settled by moderation, with the reason "
            f"recorded. To rank the issues, {how}." + (f" {scheme.description}" if scheme.description else "")
        ),
        *_scores_assumed(assessment),
        Table(
            f"Dimensions of “{scheme.name}”",
            ["Dimension", "What it measures", "Scale", "Weight"],
            [[d.name, d.description or DASH, _scale_words(d), _weight(d.weight)] for d in dimensions],
            numeric=[3],
            sheet="Scoring dimensions",
        ),
        Heading("Results", 2),
    ]
    from saferplan.assessment.selectors.document import ranking_or_none

    ranked = ranking_or_none(assessment)
    if not ranked:
        blocks.append(Paragraph("The long-list has not been scored yet."))
        return blocks
    rows = []
    for r in ranked:
        values = [r.values.get(d.pk) for d in dimensions]
        rows.append(
            [
                r.rank if r.rank is not None else DASH,
                r.candidate.title,
                *[v if v is not None else DASH for v in values],
                f"{r.total:,.2f}".rstrip("0").rstrip(".") if r.total is not None else DASH,
                r.status[:1].upper() + r.status[1:],
            ]
        )
    blocks.append(
        Table(
            "The long-list ranked by its settled scores",
            ["Rank", "Issue", *[d.name for d in dimensions], "Total", "Score"],
            rows,
            numeric=[0, *range(2, len(dimensions) + 3)],
            sheet="Ranking",
        )
    )
    unsettled = [r for r in ranked if r.rank is None]
    if unsettled:
        blocks.append(
            Paragraph(
                f"{len(unsettled)} issue{'s are' if len(unsettled) != 1 else ' is'} not ranked: not every dimension "
                "has a settled score (awaiting moderation, or not scored)."
            )
        )
    blocks += _risk_matrix(assessment, scheme, ranked)
    return blocks


def _risk_matrix(assessment, scheme, ranked) -> list[Block]:
    if scheme.matrix_x_id is None or scheme.matrix_y_id is None:
        return []
    try:
        from saferplan.assessment.selectors.scoring import risk_matrix_svg
    except ImportError:
        return []
    try:
        svg = risk_matrix_svg(assessment)
    except Exception:  # noqa: BLE001 - the ranking table stands without the matrix
        return []
    if not svg:
        return []
    x, y = scheme.matrix_x, scheme.matrix_y
    rows = [
        [r.candidate.title, r.values.get(x.pk), r.values.get(y.pk)]
        for r in ranked
        if r.values.get(x.pk) is not None and r.values.get(y.pk) is not None
    ]
    if not rows:
        return []
    summary = (
        f"Risk matrix of the settled issues: {x.name} across ({x.scale_min} to {x.scale_max}), {y.name} up "
        f"({y.scale_min} to {y.scale_max}). "
        + "; ".join(f"{title}: {x.name} {vx}, {y.name} {vy}" for title, vx, vy in rows)
        + "."
    )
    return [
        Chart(
            title=f"Risk matrix: {y.name} against {x.name}",
            svg=svg,
            alt=summary,
            summary=summary,
            table=Table(
                f"Risk matrix: {y.name} against {x.name}, figures",
                ["Issue", x.name, y.name],
                rows,
                numeric=[1, 2],
                sheet="Risk matrix",
            ),
        )
    ]


def _priorities(assessment: StrategicAssessment, *, public: bool = False) -> list[Block]:
    from saferplan.assessment.selectors.document import priorities

    found = priorities(assessment)
    if not found:
        return [Paragraph("No priorities have been set yet.")]
    if public:
        blocks: list[Block] = []
        for p in found:
            blocks.append(
                Paragraph(
                    _t(p.rationale),
                    lead=f"{p.number}. {_t(p.title).rstrip('.')}" + (":" if p.rationale else ""),
                )
            )
        return blocks
    rows = []
    for p in found:
        objectives = [f"{o.plan.title}: objective {o.number}, {o.title}" for o in p.objectives.all()]
        rows.append(
            [
                p.number,
                _t(p.title),
                _t(p.rationale) or DASH,
                _t(p.candidate.title) if p.candidate else DASH,
                _items(objectives) or "Not yet linked to an objective",
            ]
        )
    blocks = [
        Table(
            "The priorities, the issues they came from and the objectives they became",
            ["Number", "Priority", "Why", "From the long-list", "Objectives it became"],
            rows,
            numeric=[0],
            sheet="Priorities",
        )
    ]
    plan = assessment.informs
    if plan is not None:
        sent = getattr(plan, "sent_to_pcc_on", None)
        blocks.append(
            Paragraph(
                f"The priorities inform {plan.title}."
                + (
                    f" The plan was sent to the Police and Crime Commissioner on {_words(sent)} "
                    "(SI 2007/1830 regulation 13A)."
                    if sent
                    else " The plan has not yet been recorded as sent to the Police and Crime Commissioner."
                )
            )
        )
    return blocks


def _improvement(assessment: StrategicAssessment) -> list[Block]:
    from saferplan.assessment.selectors.sharing import improvement_plan

    rows = [
        r for r in improvement_plan(assessment.partnership) if r.action.assessment_id in (None, assessment.pk)
    ]
    if not rows:
        return [Paragraph("There are no actions on the data improvement plan.")]
    return [
        Paragraph(
            "The actions agreed to close the gaps in the data this assessment found, and where they stand."
        ),
        Table(
            "The data improvement plan",
            ["Action", "Lead", "Target date", "Status"],
            [
                [
                    _t(r.action.description),
                    ", ".join(
                        x for x in (r.action.owner.name if r.action.owner else "", r.action.lead_name) if x
                    )
                    or DASH,
                    _words(r.action.target_date) if r.action.target_date else DASH,
                    r.status_label + (" (overdue)" if r.overdue else ""),
                ]
                for r in rows
            ],
            sheet="Data improvement plan",
        ),
    ]


def _sharing(assessment: StrategicAssessment) -> list[Block]:
    from saferplan.assessment.selectors.sharing import schedule

    found = schedule(assessment.partnership)
    # as they stood when the assessment was agreed; a draft's, as the data held stand (later periods not yet due)
    as_of = assessment.agreed_on or found.data_end or found.as_of
    when = f"{_words(as_of)}, when the assessment was agreed" if assessment.agreed_on else _words(as_of)
    if as_of != found.as_of:
        found = schedule(assessment.partnership, as_of=as_of)
    if not found.flows:
        return [Paragraph("No data flows are on the information-sharing schedule.")]
    started = [f for f in found.flows if f.flow.starts_on <= as_of]
    if not started:
        return [
            Paragraph(
                f"None of the {len(found.flows)} data flows now on the information-sharing schedule had begun by "
                f"{when}: the first begins on {_words(min(f.flow.starts_on for f in found.flows))}."
            )
        ]
    rows = []
    for f in started:
        flow = f.flow
        counts = f.counts
        rows.append(
            [
                flow.provider.name,
                flow.title,
                flow.get_frequency_display() + (" (prescribed information)" if flow.prescribed else ""),
                flow.agreement.title if flow.agreement else "None recorded",
                counts.get("arrived", 0),
                counts.get("late", 0),
                counts.get("missing", 0),
                _words(f.next_due.due),
            ]
        )
    return [
        Paragraph(
            "The depersonalised information the partners share with the partnership (Crime and Disorder Act 1998 "
            "s.17A; the Crime and Disorder (Prescribed Information) Regulations 2007, SI 2007/1831), and how its "
            f"periods had arrived by {when}."
        ),
        Table(
            "The information-sharing schedule",
            [
                "Provider",
                "What is shared",
                "How often",
                "Agreement",
                "On time",
                "Late",
                "Missing",
                "Next due",
            ],
            rows,
            numeric=[4, 5, 6],
            sheet="Information sharing",
        ),
    ]


# ------------------------------------------------------------------------------------------------ documents


def _front(assessment: StrategicAssessment) -> list[Block]:
    state = (
        f"Agreed on {_words(assessment.agreed_on)}"
        if assessment.state == StrategicAssessment.State.AGREED and assessment.agreed_on
        else assessment.get_state_display()
    )
    lines = [
        f"Strategic assessment {assessment.year}",
        f"Period looked back over: {_period(assessment)}",
        f"Status: {state}",
    ]
    if assessment.informs:
        lines.append(f"Informs: {assessment.informs.title}")
    return [Paragraph("\n".join(lines), lead=assessment.partnership.name)]


def assessment_document(assessment: StrategicAssessment, *, summary: bool = False, paper=None) -> Document:
    """The full strategic assessment, or (summary=True) its short public summary. `paper`
    (reports.committee.Paper), when given, puts its meeting and "Report of" above the title."""
    if summary:
        document = public_summary(assessment)
    else:
        document = full_document(assessment)
    if paper is not None and paper.meeting_date:
        document.front = Front(paper.meeting, long_date(paper.meeting_date), list(paper.report_of))
    return document


def full_document(assessment: StrategicAssessment) -> Document:
    partnership = assessment.partnership
    sections = list(assessment.sections.order_by("order", "pk"))
    kinds = {s.kind for s in sections}
    synthetic = False
    parts: list[tuple[str, list[Block]]] = []

    summary_blocks = text_blocks(_t(assessment.summary)) or [
        Paragraph("The summary has not been written yet.")
    ]
    from saferplan.assessment.selectors.document import priorities

    found = priorities(assessment)
    if found:
        summary_blocks += [
            Paragraph("The assessment recommends these priorities:"),
            Bullets([f"{p.number}. {_t(p.title)}" for p in found]),
        ]
    parts.append(("Executive summary", summary_blocks))
    exercises = _exercises(assessment)
    own = {s.title.strip().lower() for s in sections}
    method = "Statutory basis and method" if "introduction" in own else "Introduction and method"
    parts.append((method, _introduction(assessment, exercises)))

    pestle = _pestle(assessment)
    counter = [0]  # the live figures, numbered through the document (their sheets in the data annex)
    for section in sections:
        blocks = text_blocks(_t(section.text), level=2)
        figures, flagged = _figures(section, counter)
        synthetic = synthetic or flagged
        blocks += figures
        if section.kind == AssessmentSection.Kind.FUTURE_TRENDS and pestle:
            blocks += [Heading("PESTELO scan", 2), *pestle]
            pestle = []
        if section.kind == AssessmentSection.Kind.COMMUNITY_VIEWS:
            blocks += _told_us(assessment)
        if not blocks:
            blocks = [Paragraph("This section has no text or figures yet.")]
        parts.append((section.title, blocks))
    if pestle:
        parts.append(("Future and emerging trends: PESTELO scan", pestle))
    if AssessmentSection.Kind.COMMUNITY_VIEWS not in kinds:
        parts.append(("What our communities told us", _told_us(assessment)))
    long_list_blocks, flagged = _long_list(assessment)
    synthetic = synthetic or flagged
    parts.append(("The long-list of issues", long_list_blocks))
    parts.append(("Scoring method and results", _scoring(assessment)))
    parts.append(("Priorities and the objectives they became", _priorities(assessment)))
    parts.append(("Data improvement plan", _improvement(assessment)))
    appendix = ("Appendix: information-sharing schedule", _sharing(assessment))

    warnings = []
    if assessment.state != StrategicAssessment.State.AGREED:
        warnings.append("Draft: this assessment has not been agreed by the partnership.")
    if synthetic:
        warnings.append(SYNTHETIC_WARNING)
    document = Document(
        assessment.title,
        subtitle=f"{partnership.name} · Strategic assessment {assessment.year} · {_period(assessment)}",
        warning=" ".join(warnings),
        author=partnership.name,
    )
    numbered = [f"{n}. {title}" for n, (title, _) in enumerate(parts, start=1)]
    document.add(*_front(assessment))
    document.add(Heading("Contents", 1, page_break=True), Bullets([*numbered, appendix[0]]))
    for heading, (_, blocks) in zip(numbered, parts, strict=True):
        document.add(Heading(heading, 1, page_break=True), *blocks)
    document.add(Heading(appendix[0], 1, page_break=True), *appendix[1])
    return document


def public_summary(assessment: StrategicAssessment) -> Document:
    """Short and plain, for the public: what we looked at, what people told us, our priorities and why, what
    happens next. No scores, long-list, data-sharing detail or names."""
    from saferplan.assessment.selectors.consultation import community_views

    partnership = assessment.partnership
    document = Document(
        f"{assessment.title}: summary",
        subtitle=f"{partnership.name} · {_period(assessment)}",
        warning=(
            ""
            if assessment.state == StrategicAssessment.State.AGREED
            else "Draft: this assessment has not been agreed by the partnership."
        ),
        author=partnership.name,
    )
    looked_at = [
        Paragraph(
            f"Every year, {partnership.name} looks at crime, anti-social behaviour and substance misuse in the "
            f"area, and at what local people say about them, to decide what to concentrate on. This assessment "
            f"looked back over {_period(assessment)}, at figures from the police and the other partners."
        )
    ]
    looked_at += text_blocks(_t(assessment.summary), level=2)
    topics = [s.title for s in assessment.sections.order_by("order", "pk")]
    if topics:
        looked_at += [Paragraph("It covered:"), Bullets(topics)]
    document.add(Heading("What we looked at", 1), *looked_at)

    exercises = _exercises(assessment)
    told: list[Block] = []
    if exercises:
        reached = [e.people_reached for e in exercises if e.people_reached is not None]
        kinds = list(
            dict.fromkeys(_lower_first(e.get_kind_display()) for e in exercises if e.kind != e.Kind.OTHER)
        )
        told.append(
            Paragraph(
                f"We asked people through {len(exercises)} consultation and engagement "
                f"exercise{'s' if len(exercises) != 1 else ''}"
                + (f", hearing from at least {sum(reached):,} people" if reached else "")
                + (f": {_and(kinds)}" if kinds else "")
                + "."
            )
        )
    views = community_views(assessment)
    for v in views:
        told.append(Heading(v.label, 2))
        if v.concerns:
            told += [Paragraph("They are concerned about:"), Bullets([_t(c.text) for c in v.concerns])]
        if v.wants:
            told += [Paragraph("They want to see:"), Bullets([_t(c.text) for c in v.wants])]
    if not told:
        told.append(Paragraph("No consultation results are recorded for this assessment yet."))
    document.add(Heading("What people told us", 1), *told)

    document.add(Heading("Our priorities and why", 1), *_priorities(assessment, public=True))
    nxt = []
    if assessment.informs:
        nxt.append(
            Paragraph(
                f"These priorities shape {assessment.informs.title}, which sets out what the partners will do about "
                "them and how we will measure progress."
            )
        )
    nxt.append(Paragraph("We will look again next year, and ask you again what matters to you."))
    document.add(Heading("What happens next", 1), *nxt)
    return document
