"""Writes for the strategic assessment itself: the assessment, its sections and live figures, the PESTELO scan,
the long-list of candidate issues with their evidence, the priorities and the objectives they became, and the
date the plan was sent to the Police and Crime Commissioner (reg 13A, SI 2007/1830 as amended by SI 2011/1230).

Every write records who made it (created/modified by and a history record) and runs in one transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from saferplan.assessment.models import (
    AssessmentSection,
    CandidateIssue,
    PestleFactor,
    Priority,
    SectionFigure,
    StrategicAssessment,
)
from saferplan.core.services import assumptions_confirm, field_values, save_with_stamp


def _next(qs, field: str = "order") -> int:
    return (qs.aggregate(m=Max(field))["m"] or 0) + 1


def _set(obj, fields: dict) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)


@transaction.atomic
def assessment_save(*, assessment: StrategicAssessment, user, **fields) -> StrategicAssessment:
    """Create or change an assessment. Agreeing it (state AGREED) dates the agreement (today unless given);
    returning it to draft clears the date."""
    _set(assessment, fields)
    if assessment.state == StrategicAssessment.State.AGREED and not assessment.agreed_on:
        assessment.agreed_on = date.today()
    if assessment.state == StrategicAssessment.State.DRAFT:
        assessment.agreed_on = None
    if (
        assessment.scheme_id
        and assessment.partnership_id
        and assessment.scheme.partnership_id != assessment.partnership_id
    ):
        raise ValidationError({"scheme": "Choose one of the partnership's scoring schemes"})
    if (
        assessment.informs_id
        and assessment.partnership_id
        and assessment.informs.partnership_id != assessment.partnership_id
    ):
        raise ValidationError({"informs": "Choose one of the partnership's plans"})
    return save_with_stamp(assessment, user=user)


@transaction.atomic
def section_save(*, section: AssessmentSection, user, **fields) -> AssessmentSection:
    """Create or change a section; a new section goes last unless given an order."""
    _set(section, fields)
    if section._state.adding and not section.order:
        section.order = _next(AssessmentSection.objects.filter(assessment_id=section.assessment_id))
    return save_with_stamp(section, user=user)


@transaction.atomic
def section_move(*, section: AssessmentSection, user, up: bool) -> AssessmentSection:
    """Move a section one place up or down, renumbering the assessment's sections 1, 2, 3 …"""
    sections = list(AssessmentSection.objects.select_for_update().filter(assessment_id=section.assessment_id))
    index = next(i for i, s in enumerate(sections) if s.pk == section.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(sections):
        sections[index], sections[other] = sections[other], sections[index]
    for number, s in enumerate(sections, start=1):
        if s.order != number:
            s.order = number
            save_with_stamp(s, user=user)
    return next(s for s in sections if s.pk == section.pk)


@transaction.atomic
def figure_save(*, figure: SectionFigure, user, **fields) -> SectionFigure:
    """Create or change a live figure in a section. Figures of an indicator need the indicator."""
    _set(figure, fields)
    if figure.kind in (SectionFigure.Kind.INDICATOR_TREND, SectionFigure.Kind.INDICATOR_LOCALITIES):
        if figure.indicator_id is None:
            raise ValidationError({"indicator": "Choose the indicator the figure shows"})
    else:
        figure.indicator = None
    if (
        figure.kind == SectionFigure.Kind.INDICATOR_TREND
        or figure.kind == SectionFigure.Kind.INDICATOR_LOCALITIES
    ):
        figure.crime_type = ""
    if figure._state.adding and not figure.order:
        figure.order = _next(SectionFigure.objects.filter(section_id=figure.section_id))
    return save_with_stamp(figure, user=user)


@transaction.atomic
def figure_delete(*, figure: SectionFigure, user) -> None:
    figure.delete()


@transaction.atomic
def pestle_save(*, factor: PestleFactor, user, **fields) -> PestleFactor:
    _set(factor, fields)
    if factor._state.adding and not factor.order:
        factor.order = _next(
            PestleFactor.objects.filter(assessment_id=factor.assessment_id, category=factor.category)
        )
    return save_with_stamp(factor, user=user)


@transaction.atomic
def candidate_save(
    *, candidate: CandidateIssue, user, indicators=None, concerns=None, **fields
) -> CandidateIssue:
    """Create or change a candidate issue on the long-list; `indicators` and `concerns` (if given) replace its
    evidence. Crime types are police.uk crime types (a list of names)."""
    _set(candidate, fields)
    candidate.crime_types = sorted({str(t).strip() for t in (candidate.crime_types or []) if str(t).strip()})
    if candidate._state.adding and not candidate.order:
        candidate.order = _next(CandidateIssue.objects.filter(assessment_id=candidate.assessment_id))
    save_with_stamp(candidate, user=user)
    if indicators is not None:
        candidate.indicators.set(indicators)
    if concerns is not None:
        candidate.concerns.set(concerns)
    return candidate


@transaction.atomic
def priority_save(*, priority: Priority, user, objectives=None, **fields) -> Priority:
    """Create or change a priority; a new priority takes the next number unless given one. `objectives` (if
    given) replaces the objectives it became; they must be objectives of the plan the assessment informs."""
    _set(priority, fields)
    if priority._state.adding and not priority.number:
        priority.number = _next(Priority.objects.filter(assessment_id=priority.assessment_id), "number")
    if priority.candidate_id and priority.candidate.assessment_id != priority.assessment_id:
        raise ValidationError({"candidate": "Choose an issue from this assessment's long-list"})
    if objectives is not None:
        plan_id = priority.assessment.informs_id
        wrong = [o for o in objectives if o.plan_id != plan_id]
        if wrong:
            raise ValidationError({"objectives": "Choose objectives of the plan the assessment informs"})
    save_with_stamp(priority, user=user)
    if objectives is not None:
        priority.objectives.set(objectives)
    return priority


@transaction.atomic
def plan_sent_to_pcc(*, plan, on: date | None, user):
    """Record the date the plan was sent to the Police and Crime Commissioner (reg 13A); None clears it."""
    if on is not None and on > date.today():
        raise ValidationError({"sent_to_pcc_on": "The date sent must be today or in the past"})
    before = field_values(plan)
    plan.sent_to_pcc_on = on
    save_with_stamp(plan, user=user)
    assumptions_confirm(obj=plan, before=before)  # a date a person records is theirs, not the demo's
    return plan
