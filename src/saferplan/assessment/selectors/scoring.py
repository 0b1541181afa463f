"""Reads of the scoring of the long-list: the partnership's schemes and their history in words, each scorer's
own scores, the agreement between scorers before moderation, the ranked list (computed live from the settled
scores and the current weights, so a change of weight re-ranks at once) and the risk matrix.

A dimension's *settled* score for a candidate issue is its moderated score, or else the scorers' common value
when every scorer gave the same one. A candidate issue is ranked once every dimension is settled.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from html import escape

from django.db.models import Count, Prefetch

from saferplan.assessment.models import (
    CandidateIssue,
    ModeratedScore,
    ScaleLabel,
    Score,
    ScoringDimension,
    ScoringScheme,
    StrategicAssessment,
)
from saferplan.core.selectors import HistoryEntry, Part, history_entries

MODERATED, AGREED, AWAITING, NOT_SCORED = "moderated", "agreed", "awaiting moderation", "not scored"
DISAGREE = "scorers disagree"


# ------------------------------------------------------------------------------------------------- schemes


def schemes(partnership) -> list[ScoringScheme]:
    """The partnership's schemes (live ones first), each with `dimension_count` and `assessment_count`."""
    return list(
        ScoringScheme.objects.filter(partnership=partnership)
        .annotate(
            dimension_count=Count("dimensions", distinct=True),
            assessment_count=Count("assessments", distinct=True),
        )
        .order_by("archived_at", "name")
    )


def scheme_detail(pk, partnership) -> ScoringScheme | None:
    """A scheme of the partnership, with its dimensions and their labels (`dimension_list`)."""
    scheme = (
        ScoringScheme.objects.filter(pk=pk, partnership=partnership)
        .select_related("matrix_x", "matrix_y", "partnership")
        .first()
    )
    if scheme is not None:
        scheme.dimension_list = scheme_dimensions(scheme)
    return scheme


def scheme_dimensions(scheme: ScoringScheme | None) -> list[ScoringDimension]:
    if scheme is None:
        return []
    return list(
        ScoringDimension.objects.filter(scheme=scheme)
        .prefetch_related(Prefetch("labels", queryset=ScaleLabel.objects.order_by("value")))
        .order_by("order", "pk")
    )


def dimension_detail(pk, partnership) -> ScoringDimension | None:
    return (
        ScoringDimension.objects.filter(pk=pk, scheme__partnership=partnership)
        .select_related("scheme")
        .prefetch_related("labels")
        .first()
    )


def scale(dimension: ScoringDimension) -> list[tuple[int, str, str]]:
    """Every value of the dimension's scale with its label and description ("" where unlabelled)."""
    labels = {label.value: label for label in dimension.labels.all()}
    return [
        (v, labels[v].label if v in labels else "", labels[v].description if v in labels else "")
        for v in range(dimension.scale_min, dimension.scale_max + 1)
    ]


def scheme_history(scheme: ScoringScheme) -> list[HistoryEntry]:
    """Every change of the scheme, its dimensions (weights, scales) and their scale labels, in words, newest
    first."""
    entries = list(
        history_entries(
            scheme, parts=(Part("Dimension", ScoringDimension, "scheme", describe=lambda d: d.name),)
        )
    )
    for dimension in ScoringDimension.objects.filter(scheme=scheme):
        label_part = Part(
            "Scale label", ScaleLabel, "dimension", describe=lambda s: f"{s.dimension.name} {s.value}"
        )
        for entry in history_entries(dimension, parts=(label_part,)):
            changes = [c for c in entry.changes if c.field.startswith("Scale label")]
            if changes:
                entries.append(
                    HistoryEntry(when=entry.when, who=entry.who, action=entry.action, changes=changes)
                )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


# ------------------------------------------------------------------------------------------ assessments


def assessment_for_scoring(slug: str, partnership) -> StrategicAssessment | None:
    return (
        StrategicAssessment.objects.filter(slug=slug, partnership=partnership)
        .select_related("scheme", "scheme__matrix_x", "scheme__matrix_y", "partnership")
        .first()
    )


def candidates(assessment: StrategicAssessment) -> list[CandidateIssue]:
    return list(CandidateIssue.objects.filter(assessment=assessment).order_by("order", "pk"))


def candidate_for_scoring(assessment: StrategicAssessment, pk) -> CandidateIssue | None:
    return CandidateIssue.objects.filter(assessment=assessment, pk=pk).first()


def _scores(assessment: StrategicAssessment) -> list[Score]:
    return list(
        Score.objects.filter(candidate__assessment=assessment, dimension__scheme_id=assessment.scheme_id)
        .select_related("scorer")
        .order_by("candidate", "dimension", "scorer__last_name", "scorer__first_name", "scorer__username")
    )


def _moderated(assessment: StrategicAssessment) -> dict[tuple[int, int], ModeratedScore]:
    return {
        (m.candidate_id, m.dimension_id): m
        for m in ModeratedScore.objects.filter(
            candidate__assessment=assessment, dimension__scheme_id=assessment.scheme_id
        )
    }


@dataclass
class MyScores:
    candidate: CandidateIssue
    scores: dict[int, Score]  # dimension id → this scorer's score

    @property
    def done(self) -> int:
        return len(self.scores)


def my_scores(assessment: StrategicAssessment, user) -> list[MyScores]:
    """The user's own scores of each candidate issue (dimension id → Score)."""
    mine: dict[int, dict[int, Score]] = {}
    for score in Score.objects.filter(
        candidate__assessment=assessment, dimension__scheme_id=assessment.scheme_id, scorer=user
    ):
        mine.setdefault(score.candidate_id, {})[score.dimension_id] = score
    return [MyScores(candidate=c, scores=mine.get(c.pk, {})) for c in candidates(assessment)]


def scorer_name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


# ---------------------------------------------------------------------------------------------- agreement


@dataclass
class DimensionAgreement:
    dimension: ScoringDimension
    scores: list[Score]
    moderated: ModeratedScore | None
    values: list[int] = field(init=False)
    spread: int | None = field(init=False)  # highest less lowest score; None when unscored
    agreed: bool = field(init=False)  # every scorer gave the same value (at least one scored)
    settled: int | None = field(init=False)
    state: str = field(init=False)  # MODERATED, AGREED, DISAGREE or NOT_SCORED

    def __post_init__(self):
        self.values = [s.value for s in self.scores]
        self.spread = (max(self.values) - min(self.values)) if self.values else None
        self.agreed = bool(self.values) and self.spread == 0
        if self.moderated is not None:
            self.settled, self.state = self.moderated.value, MODERATED
        elif self.agreed:
            self.settled, self.state = self.values[0], AGREED
        else:
            self.settled, self.state = None, (DISAGREE if self.values else NOT_SCORED)

    @property
    def scorer_count(self) -> int:
        return len({s.scorer_id for s in self.scores})

    def by_scorer(self, scorers: list) -> list[Score | None]:
        """This dimension's score from each of `scorers`, in their order (None where they have not scored)."""
        found = {s.scorer_id: s for s in self.scores}
        return [found.get(u.pk) for u in scorers]


def _status(rows: list[DimensionAgreement]) -> str:
    states = {r.state for r in rows}
    if not rows or states == {NOT_SCORED}:
        return NOT_SCORED
    if DISAGREE in states:
        return AWAITING
    if NOT_SCORED in states:
        return NOT_SCORED
    return MODERATED if MODERATED in states else AGREED


@dataclass
class CandidateAgreement:
    candidate: CandidateIssue
    dimensions: list[DimensionAgreement]
    scorers: list  # everyone who scored this candidate issue, by name
    status: str

    @property
    def disagreements(self) -> list[DimensionAgreement]:
        return [d for d in self.dimensions if d.state == DISAGREE]

    @property
    def can_be_moderated(self) -> bool:
        return any(d.scorer_count >= 2 for d in self.dimensions)

    @property
    def rows(self) -> list[tuple[DimensionAgreement, list[Score | None]]]:
        return [(d, d.by_scorer(self.scorers)) for d in self.dimensions]


def agreement(assessment: StrategicAssessment) -> list[CandidateAgreement]:
    """For each candidate issue and dimension: every scorer's value, the spread, whether they agree, and the
    moderated score, before and after moderation. A fixed number of queries."""
    dimensions = scheme_dimensions(assessment.scheme)
    by_pair: dict[tuple[int, int], list[Score]] = {}
    for score in _scores(assessment):
        by_pair.setdefault((score.candidate_id, score.dimension_id), []).append(score)
    moderated = _moderated(assessment)
    result = []
    for candidate in candidates(assessment):
        rows = [
            DimensionAgreement(d, by_pair.get((candidate.pk, d.pk), []), moderated.get((candidate.pk, d.pk)))
            for d in dimensions
        ]
        scorers = {s.scorer_id: s.scorer for r in rows for s in r.scores}
        ordered = sorted(scorers.values(), key=lambda u: (scorer_name(u).lower(), u.pk))
        result.append(CandidateAgreement(candidate, rows, ordered, _status(rows)))
    return result


def candidate_agreement(assessment: StrategicAssessment, candidate: CandidateIssue) -> CandidateAgreement:
    return next(a for a in agreement(assessment) if a.candidate.pk == candidate.pk)


# ------------------------------------------------------------------------------------------------ ranking


@dataclass
class RankedIssue:
    candidate: CandidateIssue
    rank: int | None  # None until every dimension has a settled score
    total: float | None
    values: dict[int, int | None]  # dimension id → settled score
    status: str  # "moderated", "agreed", "awaiting moderation" or "not scored"
    key: int = 0  # the issue's number on the risk matrix (its place in this list); 0 when not on it


def combine(method: str, pairs: list[tuple[float, int]]) -> float:
    """The total of a candidate issue's settled scores: `pairs` are (weight, value) for every dimension.
    Weighted sum: Σ weight × value. Product: Π value (weights play no part)."""
    if method == ScoringScheme.Method.PRODUCT:
        return float(math.prod(value for _, value in pairs))
    return round(sum(float(weight) * value for weight, value in pairs), 6)


def ranking(assessment: StrategicAssessment) -> list[RankedIssue]:
    """The long-list ranked by the total of its settled scores under the scheme's current weights (highest
    first; equal totals share a rank), then the issues not yet ranked, in long-list order."""
    scheme = assessment.scheme
    if scheme is None:
        return [RankedIssue(c, None, None, {}, NOT_SCORED) for c in candidates(assessment)]
    ranked, rest = [], []
    for item in agreement(assessment):
        values = {d.dimension.pk: d.settled for d in item.dimensions}
        complete = bool(item.dimensions) and all(v is not None for v in values.values())
        if complete:
            total = combine(scheme.method, [(d.dimension.weight, d.settled) for d in item.dimensions])
            ranked.append(RankedIssue(item.candidate, None, total, values, item.status))
        else:
            rest.append(RankedIssue(item.candidate, None, None, values, item.status))
    ranked.sort(key=lambda r: -r.total)  # stable: equal totals keep long-list order
    for i, issue in enumerate(ranked):
        issue.rank = ranked[i - 1].rank if i and ranked[i - 1].total == issue.total else i + 1
    result = ranked + rest
    if scheme.matrix_x_id and scheme.matrix_y_id:
        n = 0
        for issue in result:
            if (
                issue.values.get(scheme.matrix_x_id) is not None
                and issue.values.get(scheme.matrix_y_id) is not None
            ):
                n += 1
                issue.key = n
    return result


# -------------------------------------------------------------------------------------------- risk matrix

MATRIX_WIDTH, M_LEFT, M_RIGHT, M_TOP, M_BOTTOM = 720, 150, 16, 16, 72
CELL_HEIGHT, MARKER_R = 72, 11
INK, GREY, FRAME = "#0b0c0c", "#505a5f", "#b1b4b6"


def _uid(*parts: object) -> str:
    return "matrix-" + hashlib.sha1(repr(parts).encode()).hexdigest()[:10]


def _tick_label(dimension: ScoringDimension, value: int) -> str:
    labels = {label.value: label.label for label in dimension.labels.all()}
    return f"{value} {labels[value]}" if value in labels else str(value)


def risk_matrix_svg(assessment: StrategicAssessment, issues: list[RankedIssue] | None = None) -> str:
    """An accessible inline SVG (role="img", <title>, <desc>) of the settled candidate issues on the scheme's
    matrix: matrix_x across, matrix_y up, one cell per pair of values; each issue a numbered circle (its `key`
    in the ranked list) in its cell. "" when the assessment has no scheme or the scheme no matrix."""
    scheme = assessment.scheme
    if scheme is None or not (scheme.matrix_x_id and scheme.matrix_y_id):
        return ""
    issues = ranking(assessment) if issues is None else issues
    dims = {d.pk: d for d in scheme_dimensions(scheme)}
    dx, dy = dims.get(scheme.matrix_x_id), dims.get(scheme.matrix_y_id)
    if dx is None or dy is None:
        return ""
    xs = list(range(dx.scale_min, dx.scale_max + 1))
    ys = list(range(dy.scale_min, dy.scale_max + 1))
    plot_w = MATRIX_WIDTH - M_LEFT - M_RIGHT
    cell_w = plot_w / len(xs)
    height = M_TOP + CELL_HEIGHT * len(ys) + M_BOTTOM
    placed = [i for i in issues if i.key]
    title = f"Risk matrix: {dy.name} against {dx.name}"
    if placed:
        desc = (
            f"{len(placed)} issue{'s' if len(placed) != 1 else ''} placed by {dy.name} (up) and {dx.name} "
            "(across). "
            + "; ".join(
                f"{i.key}: {i.candidate.title}, {dy.name} {i.values[dy.pk]}, {dx.name} {i.values[dx.pk]}"
                for i in placed
            )
            + "."
        )
    else:
        desc = f"No issue yet has settled scores for both {dy.name} and {dx.name}."
    uid = _uid(assessment.pk, title, desc)

    def cell_x(v: int) -> float:
        return M_LEFT + (v - dx.scale_min) * cell_w

    def cell_y(v: int) -> float:  # the top of the cell: the highest value at the top
        return M_TOP + (dy.scale_max - v) * CELL_HEIGHT

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MATRIX_WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{uid}-title {uid}-desc" class="app-chart app-risk-matrix" font-family="sans-serif">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{MATRIX_WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    for y in ys:
        for x in xs:
            out.append(
                f'<rect class="app-matrix-cell" data-x="{x}" data-y="{y}" x="{cell_x(x):.1f}" y="{cell_y(y):.1f}" '
                f'width="{cell_w:.1f}" height="{CELL_HEIGHT}" fill="#f3f2f1" stroke="{FRAME}"/>'
            )
        out.append(
            f'<text x="{M_LEFT - 8}" y="{cell_y(y) + CELL_HEIGHT / 2 + 4:.1f}" font-size="12" text-anchor="end" '
            f'fill="{INK}">{escape(_tick_label(dy, y))}</text>'
        )
    bottom = M_TOP + CELL_HEIGHT * len(ys)
    for x in xs:
        out.append(
            f'<text x="{cell_x(x) + cell_w / 2:.1f}" y="{bottom + 18}" font-size="12" text-anchor="middle" '
            f'fill="{INK}">{escape(_tick_label(dx, x))}</text>'
        )
    out.append(
        f'<text class="app-chart-axis-title" x="{M_LEFT + plot_w / 2:.1f}" y="{bottom + 44}" font-size="13" '
        f'font-weight="bold" text-anchor="middle" fill="{INK}">{escape(dx.name)} (across)</text>'
        f'<text class="app-chart-axis-title" x="8" y="{M_TOP + 12}" font-size="13" font-weight="bold" '
        f'fill="{INK}">{escape(dy.name)} (up)</text>'
    )
    per_row = max(int((cell_w - 8) // (2 * MARKER_R + 4)), 1)
    rows_fit = max(int((CELL_HEIGHT - 8) // (2 * MARKER_R + 4)), 1)
    cells: dict[tuple[int, int], list[RankedIssue]] = {}
    for issue in placed:
        cells.setdefault((issue.values[dx.pk], issue.values[dy.pk]), []).append(issue)
    for (x, y), members in cells.items():
        room = per_row * rows_fit
        shown = members if len(members) <= room else members[: room - 1]
        for i, issue in enumerate(shown):
            cx = cell_x(x) + 4 + MARKER_R + 2 + (i % per_row) * (2 * MARKER_R + 4)
            cy = cell_y(y) + 4 + MARKER_R + 2 + (i // per_row) * (2 * MARKER_R + 4)
            out.append(
                f'<g class="app-matrix-issue" data-x="{x}" data-y="{y}" data-key="{issue.key}">'
                f"<title>{issue.key}: {escape(issue.candidate.title)}</title>"
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{MARKER_R}" fill="#1d70b8" stroke="{INK}"/>'
                f'<text x="{cx:.1f}" y="{cy + 4:.1f}" font-size="12" font-weight="bold" text-anchor="middle" '
                f'fill="#ffffff">{issue.key}</text></g>'
            )
        if len(shown) < len(members):
            i = len(shown)
            cx = cell_x(x) + 4 + MARKER_R + 2 + (i % per_row) * (2 * MARKER_R + 4)
            cy = cell_y(y) + 4 + MARKER_R + 2 + (i // per_row) * (2 * MARKER_R + 4)
            out.append(
                f'<text x="{cx - MARKER_R:.1f}" y="{cy + 4:.1f}" font-size="12" fill="{INK}">'
                f"+{len(members) - len(shown)}</text>"
            )
    out.append("</svg>")
    return "".join(out)


def scores_assumed(assessment: StrategicAssessment) -> str:
    """The demo's note when the assessment's scores (or moderated scores) are assumptions, not anyone's real
    scoring; "" when they are real. Pages and the document say so once, above the scores."""
    from django.contrib.contenttypes.models import ContentType

    from saferplan.core.models import Assumption

    for model in (Score, ModeratedScore):
        ids = model.objects.filter(candidate__assessment=assessment).values("pk")
        note = (
            Assumption.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_id__in=ids
            )
            .values_list("note", flat=True)
            .first()
        )
        if note:
            return note
    return ""
