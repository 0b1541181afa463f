"""Reads for consultation: the exercises, and what each group consulted said."""

from __future__ import annotations

from dataclasses import dataclass, field

from saferplan.assessment.models import Concern, ConsultationExercise, StrategicAssessment


@dataclass
class GroupViews:
    """What one group consulted said, as 003 lists it: what they are concerned about and what they want to see."""

    group: str  # Concern.Group value
    label: str  # "Our communities"
    concerns: list[Concern] = field(default_factory=list)
    wants: list[Concern] = field(default_factory=list)


def community_views(assessment: StrategicAssessment) -> list[GroupViews]:
    """'What our communities told us' for an assessment: every result of the consultation exercises that
    informed it, by group consulted (in the order of Concern.Group), concerns before wants, each in its order."""
    concerns = (
        Concern.objects.filter(exercise__assessment=assessment)
        .select_related("exercise")
        .order_by("exercise__held_from", "exercise__pk", "order", "pk")
    )
    by_group = {value: GroupViews(value, label) for value, label in Concern.Group.choices}
    for concern in concerns:
        views = by_group[concern.group]
        (views.wants if concern.kind == Concern.Kind.WANT else views.concerns).append(concern)
    return [v for v in by_group.values() if v.concerns or v.wants]


def exercises_for(assessment: StrategicAssessment) -> list[ConsultationExercise]:
    return list(assessment.consultations.order_by("held_from", "pk"))
