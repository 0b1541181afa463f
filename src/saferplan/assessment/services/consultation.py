"""Writes for consultation: exercises (with the responsible authorities that sent a senior person, for the reg 12
check of SI 2007/1830), and their results (what each group consulted is concerned about or wants to see), entered
one by one or imported from a CSV file (saferplan.assessment.consultation_csv). Every write is atomic and records
who made it; the history keeps every change, removals included."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max

from saferplan.accounts.models import Organisation
from saferplan.assessment.models import Concern, ConsultationExercise
from saferplan.core.services import save_with_stamp

EXERCISE_FIELDS = {
    "title",
    "kind",
    "assessment",
    "held_from",
    "held_to",
    "reached",
    "people_reached",
    "notes",
    "source",
}
CONCERN_FIELDS = {"group", "kind", "text", "respondents", "order"}


def _set(obj, allowed: set[str], fields: dict) -> None:
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"{type(obj).__name__} has no field {name!r} to set here")
        setattr(obj, name, value)


@transaction.atomic
def exercise_save(
    *,
    exercise: ConsultationExercise,
    user,
    senior_attendance: Iterable[Organisation] | None = None,
    **fields,
) -> ConsultationExercise:
    """Create or change an exercise (its partnership set by the caller on a new one); with
    `senior_attendance`, the responsible authorities that sent a senior person become exactly those."""
    _set(exercise, EXERCISE_FIELDS, fields)
    save_with_stamp(exercise, user=user)
    if senior_attendance is not None:
        exercise.senior_attendance.set(list(senior_attendance))
    return exercise


def _next_order(exercise: ConsultationExercise) -> int:
    return (exercise.concerns.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def concern_save(*, concern: Concern, user, **fields) -> Concern:
    """Add a result to an exercise (`concern.exercise` set by the caller) or change one; a new one goes last."""
    _set(concern, CONCERN_FIELDS, fields)
    if concern._state.adding and "order" not in fields:
        concern.order = _next_order(concern.exercise)
    return save_with_stamp(concern, user=user)


@transaction.atomic
def concern_remove(*, concern: Concern, user) -> None:
    """Remove a result; the history records who removed it and what it said."""
    concern._history_user = user if getattr(user, "is_authenticated", False) else None
    concern.delete()


@transaction.atomic
def results_add(*, exercise: ConsultationExercise, rows: Iterable[dict], user) -> list[Concern]:
    """Add checked results (dicts of group, kind, text, respondents) to an exercise, after those it has, in
    order, in one transaction: all are saved or none."""
    order = _next_order(exercise)
    saved = []
    for offset, row in enumerate(rows):
        concern = Concern(exercise=exercise)
        _set(concern, CONCERN_FIELDS, {**row, "order": order + offset})
        saved.append(save_with_stamp(concern, user=user))
    return saved
