"""Reads for the strategic assessment pages: the partnership's assessments, an assessment with its sections,
live figures and PESTELO scan, the long-list with its evidence (indicators through the indicator engine, police.uk
crime types counted from the police store, consultation results), the priorities and the objectives they became,
and the trail from evidence to objective."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch

from saferplan.areas.models import Area
from saferplan.assessment.models import (
    AssessmentSection,
    CandidateIssue,
    Concern,
    PestleFactor,
    Priority,
    SectionFigure,
    StrategicAssessment,
)
from saferplan.core.formatting import figure
from saferplan.core.selectors import Part
from saferplan.indicators import periods
from saferplan.indicators.selectors import (
    assess_indicators,
    glance_for,
    headline_series,
    targets_by_indicator,
)
from saferplan.plans.models import Indicator, Objective

ASSESSMENT_PARTS = (
    Part("Section", AssessmentSection, "assessment", lambda s: s.title),
    Part("PESTELO entry", PestleFactor, "assessment", str),
    Part("Long-list issue", CandidateIssue, "assessment", lambda c: c.title),
    Part("Priority", Priority, "assessment", str),
)


# ------------------------------------------------------------------------------------------ assessments


def assessments_for(partnership) -> list[StrategicAssessment]:
    """The partnership's assessments, newest first, with the plan each informs and their counts."""
    return list(
        StrategicAssessment.objects.filter(partnership=partnership)
        .select_related("informs", "scheme")
        .order_by("-period_end", "title")
    )


def assessment_get(partnership, slug: str) -> StrategicAssessment | None:
    return (
        StrategicAssessment.objects.filter(partnership=partnership, slug=slug)
        .select_related("informs", "scheme", "partnership")
        .first()
    )


def period_words(assessment: StrategicAssessment) -> str:
    """The period looked back over, in words: "1 October 2014 to 30 September 2015"."""
    return f"{_day(assessment.period_start)} to {_day(assessment.period_end)}"


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def assessment_period(assessment: StrategicAssessment) -> periods.Period:
    """The period the long-list's indicator figures are for: the latest year of the period looked back over (the
    financial year when it ends in March, the calendar year when it ends in December, else the twelve months to
    its last month), or the whole period when it is shorter than a year."""
    start, end = assessment.period_start, assessment.period_end
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months <= 1:
        return periods.Period.month(end.year, end.month)
    if months < 12:
        return periods.Period.span(start.year, start.month, end.year, end.month)
    if end.month == 3:
        return periods.Period.financial_year(end.year - 1)
    if end.month == 12:
        return periods.Period.calendar_year(end.year)
    return periods.Period.rolling_12(end.year, end.month)


def partnership_area(partnership) -> Area | None:
    return Area.objects.filter(partnership=partnership, kind=Area.Kind.PARTNERSHIP).first()


# --------------------------------------------------------------------------------------------- sections


@dataclass
class FigureView:
    figure: SectionFigure
    content: object | None  # assessment.figures.FigureContent, or None when it cannot be drawn
    problem: str = ""


@dataclass
class SectionView:
    section: AssessmentSection
    paragraphs: list[str]
    figures: list[FigureView]
    pestle: list[tuple[str, list[PestleFactor]]] = field(default_factory=list)


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]


def figure_view(figure_record: SectionFigure) -> FigureView:
    """The live figure, computed now by the document's figures (assessment.figures.figure_content)."""
    try:
        from saferplan.assessment.figures import figure_content
    except ImportError:  # the figures are not built yet
        return FigureView(figure_record, None, "The figures of this kind cannot be drawn yet")
    try:
        return FigureView(figure_record, figure_content(figure_record))
    except Exception:  # noqa: BLE001 - a figure that cannot be drawn must not stop the page
        return FigureView(figure_record, None, "The figure could not be drawn from the data held")


def pestle_grouped(assessment: StrategicAssessment) -> list[tuple[str, list[PestleFactor]]]:
    """The PESTELO scan by category, in the PESTELO order, categories with entries only."""
    factors = list(assessment.pestle.all())
    grouped = []
    for value, label in PestleFactor.Category.choices:
        entries = sorted((f for f in factors if f.category == value), key=lambda f: (f.order, f.pk))
        if entries:
            grouped.append((label, entries))
    return grouped


def sections(assessment: StrategicAssessment) -> list[SectionView]:
    """The sections in order, each with its paragraphs and live figures; the future trends section carries the
    PESTELO scan."""
    records = list(
        assessment.sections.order_by("order", "pk").prefetch_related(
            Prefetch("figures", queryset=SectionFigure.objects.select_related("indicator"))
        )
    )
    pestle = pestle_grouped(assessment)
    views = []
    placed = False
    for s in records:
        view = SectionView(s, paragraphs(s.text), [figure_view(f) for f in s.figures.all()])
        if s.kind == AssessmentSection.Kind.FUTURE_TRENDS and not placed:
            view.pestle = pestle
            placed = True
        views.append(view)
    return views


def section_get(assessment: StrategicAssessment, pk: int) -> AssessmentSection | None:
    return assessment.sections.filter(pk=pk).first()


# -------------------------------------------------------------------------------------------- long-list


@dataclass
class IndicatorEvidence:
    """What the data say about one indicator of an issue (on the long-list, beside what communities said, in the
    document): its figure for the latest year of the assessment's period and its direction of travel on a year
    earlier, as the indicator engine's scorecard glance gives them."""

    indicator: Indicator
    value: str  # the figure as partnerships write it ("" when none)
    period: str  # the period it is for
    travel: str  # the direction of travel in words
    tone: str  # good / bad / neutral
    synthetic: bool
    change: str = ""  # "Down from 23,000 in 2014/15" ("" with nothing to compare)
    source: str = ""  # where the figure comes from, in words (indicators.selectors.origin_label)

    @property
    def words(self) -> str:
        if not self.value:
            return f"no figure for {self.period or 'the period of the assessment'}"
        text = f"{self.value} in {self.period}"
        if self.change:
            text += f"; {self.change[0].lower()}{self.change[1:]}"
        return text


@dataclass
class CrimeEvidence:
    crime_type: str
    count: int | None  # None: the store holds none of the assessment's months
    months: str  # the months counted, in words


@dataclass
class CandidateView:
    candidate: CandidateIssue
    indicators: list[IndicatorEvidence]
    crimes: list[CrimeEvidence]
    concerns: list[Concern]


def indicator_evidence(
    indicators: list[Indicator], assessment: StrategicAssessment
) -> dict[int, IndicatorEvidence]:
    """Each indicator's figure for the assessment's period, and its direction of travel on a year earlier, as
    the indicator engine assesses them for the partnership area (assess_indicators, glance_for)."""
    area = partnership_area(assessment.partnership)
    if not indicators or area is None:
        return {
            i.pk: IndicatorEvidence(i, "", "", "No figures for the partnership area", "neutral", False)
            for i in indicators
        }
    selected = assessment_period(assessment)
    rows = assess_indicators(indicators, area, selected)
    ids = [i.pk for i in indicators]
    series = headline_series(ids, [area.pk])
    targets = targets_by_indicator(ids, [area.pk])
    result = {}
    for indicator in indicators:
        row = rows[indicator.pk]
        key = (indicator.pk, area.pk)
        glance = glance_for(row, series.get(key, []), targets.get(key, []))
        a = row.assessment
        value = figure(a.value, indicator.unit) if a.value is not None else ""
        result[indicator.pk] = IndicatorEvidence(
            indicator=indicator,
            value=value,
            period=row.period.label,
            travel=glance.travel.words if a.value is not None else "No figure for the period",
            tone=glance.travel.tone if a.value is not None else "neutral",
            synthetic=bool(a.synthetic),
            change=glance.change_words if a.value is not None else "",
            source=row.origin_label if a.value is not None else "",
        )
    return result


def _months(assessment: StrategicAssessment) -> tuple[str, str]:
    return (f"{assessment.period_start:%Y-%m}", f"{assessment.period_end:%Y-%m}")


def crime_counts(assessment: StrategicAssessment, crime_types: list[str]) -> dict[str, CrimeEvidence]:
    """Police recorded crime of each type in the partnership area over the assessment's months the store
    holds; None where it holds none of them (never 0 for "not held")."""
    from saferplan.police import selectors as police

    wanted = sorted(set(crime_types))
    if not wanted:
        return {}
    first, last = _months(assessment)
    held = sorted(m for m in police.months_held() if first <= m <= last)
    if not held:
        return {
            t: CrimeEvidence(t, None, "The police store holds none of the period's months") for t in wanted
        }
    import polars as pl

    from saferplan.police import store
    from saferplan.police.derive import membership

    months_words = (
        police.month_label(held[0])
        if len(held) == 1
        else f"{police.month_label(held[0])} to {police.month_label(held[-1])} ({len(held)} months held)"
    )
    lazy = store.scan("street", months=(held[0], held[-1]))
    counts: dict[str, int] = {}
    if lazy is not None:
        areas = police.partnership_areas(assessment.partnership)
        inside = membership(areas[0]) if areas else None
        lazy = lazy.filter(pl.col("Month").is_in(held) & pl.col("category").is_in(wanted))
        if inside is not None:
            lazy = lazy.filter(inside)
        for category, n in lazy.group_by("category").len().collect().iter_rows():
            counts[category] = n
    return {t: CrimeEvidence(t, counts.get(t, 0), months_words) for t in wanted}  # held: none is 0


def long_list(assessment: StrategicAssessment) -> list[CandidateView]:
    """The candidate issues with their evidence, in a fixed number of queries (plus the indicator engine's)."""
    candidates = list(
        assessment.candidates.order_by("order", "pk").prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("name")),
            Prefetch("concerns", queryset=Concern.objects.select_related("exercise")),
        )
    )
    indicators = {i.pk: i for c in candidates for i in c.indicators.all()}
    evidence = indicator_evidence(list(indicators.values()), assessment)
    crimes = crime_counts(assessment, [t for c in candidates for t in c.crime_types or []])
    return [
        CandidateView(
            candidate=c,
            indicators=[evidence[i.pk] for i in c.indicators.all()],
            crimes=[crimes[t] for t in c.crime_types or [] if t in crimes],
            concerns=list(c.concerns.all()),
        )
        for c in candidates
    ]


def candidate_get(assessment: StrategicAssessment, pk: int) -> CandidateIssue | None:
    return assessment.candidates.filter(pk=pk).first()


def indicator_choices(assessment: StrategicAssessment):
    """The indicators a candidate issue or a figure may draw on: the partnership's live indicators."""
    return Indicator.objects.filter(partnership=assessment.partnership).live().order_by("name")


def concern_choices(assessment: StrategicAssessment):
    """What the partnership's consultations found, the assessment's own first."""
    return (
        Concern.objects.filter(exercise__partnership=assessment.partnership)
        .select_related("exercise")
        .order_by("-exercise__held_from", "exercise__title", "group", "kind", "order", "pk")
    )


def crime_type_choices() -> list[str]:
    """The police.uk crime types: those of the latest month the police store holds, else today's list."""
    from saferplan.police import layouts
    from saferplan.police import selectors as police

    held = police.months_held()
    return police.crime_types(held[0]) if held else list(layouts.CRIME_TYPES)


# ------------------------------------------------------------------------------------------- priorities


def priorities(assessment: StrategicAssessment) -> list[Priority]:
    return list(
        assessment.priorities.order_by("number")
        .select_related("candidate")
        .prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.select_related("plan").order_by("number"))
        )
    )


def priority_get(assessment: StrategicAssessment, pk: int) -> Priority | None:
    return assessment.priorities.filter(pk=pk).first()


def objective_choices(assessment: StrategicAssessment):
    """The objectives a priority may become: those of the plan the assessment informs."""
    if assessment.informs_id is None:
        return Objective.objects.none()
    return (
        Objective.objects.filter(plan_id=assessment.informs_id)
        .live()
        .select_related("plan")
        .order_by("number")
    )


def ranking_or_none(assessment: StrategicAssessment) -> list | None:
    """The scoring's ranking of the long-list (engineer S's selectors.scoring.ranking), or None when the
    assessment has no scheme or the ranking is not available."""
    if assessment.scheme_id is None:
        return None
    try:
        from saferplan.assessment.selectors.scoring import ranking
    except ImportError:
        return None
    try:
        return ranking(assessment)
    except Exception:  # noqa: BLE001 - the long-list is shown unranked rather than not at all
        return None


def candidates_in_order(assessment: StrategicAssessment) -> tuple[list[CandidateIssue], bool]:
    """The long-list in ranked order when the scoring has ranked it (and whether it has), else as listed."""
    ranked = ranking_or_none(assessment)
    if ranked and any(r.rank is not None for r in ranked):
        return [r.candidate for r in ranked], True
    return list(assessment.candidates.order_by("order", "pk")), False


@dataclass
class TrailStep:
    priority: Priority
    candidate: CandidateView | None
    scores: object | None  # RankedIssue, when scored
    objectives: list[Objective]


def trail(assessment: StrategicAssessment) -> list[TrailStep]:
    """From evidence to objective: each priority with the issue it came from, that issue's evidence and scores,
    and the objectives it became."""
    views = {v.candidate.pk: v for v in long_list(assessment)}
    ranked = {r.candidate.pk: r for r in (ranking_or_none(assessment) or [])}
    return [
        TrailStep(
            priority=p,
            candidate=views.get(p.candidate_id),
            scores=ranked.get(p.candidate_id),
            objectives=list(p.objectives.all()),
        )
        for p in priorities(assessment)
    ]


# ---------------------------------------------------------------------------------------------- the plan


def priorities_for_objective(objective: Objective) -> list[Priority]:
    """The assessment priorities the objective came from, for its page."""
    return list(
        objective.from_priorities.select_related("assessment").order_by("-assessment__period_end", "number")
    )


def assessments_informing(plan) -> list[StrategicAssessment]:
    return list(plan.assessments.order_by("-period_end", "title"))
