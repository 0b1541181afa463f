"""Writes of the scoring of the long-list: schemes made from the shipped templates (a copy the partnership then
edits), changes of a dimension's weight, scale and labels (each kept in the history), each scorer's own scores
and the moderated scores. Every write records who made it."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from saferplan.assessment.models import (
    CandidateIssue,
    ModeratedScore,
    ScaleLabel,
    Score,
    ScoringDimension,
    ScoringScheme,
    StrategicAssessment,
)
from saferplan.assessment.scheme_templates import TEMPLATES
from saferplan.core.services import save_with_stamp


def _free_name(partnership, name: str) -> str:
    taken = set(ScoringScheme.objects.filter(partnership=partnership).values_list("name", flat=True))
    if name not in taken:
        return name
    n = 2
    while f"{name} ({n})" in taken:
        n += 1
    return f"{name} ({n})"


@transaction.atomic
def scheme_from_template(*, partnership, key: str, user=None, name: str | None = None) -> ScoringScheme:
    """A new scheme of the partnership's own, copied from the shipped template `key`: its dimensions, scales,
    labels, weights, method and matrix. Without a name, the template's (with " (2)" etc. if already taken)."""
    if key not in TEMPLATES:
        raise ValidationError({"template": f"There is no scoring template called {key!r}"})
    template = TEMPLATES[key]
    name = (name or "").strip()
    if name:
        if ScoringScheme.objects.filter(partnership=partnership, name=name).exists():
            raise ValidationError({"name": "The partnership already has a scoring scheme with this name"})
    else:
        name = _free_name(partnership, template["name"])
    scheme = save_with_stamp(
        ScoringScheme(
            partnership=partnership,
            name=name,
            description=template["description"],
            method=template["method"],
            template=key,
        ),
        user=user,
    )
    by_name = {}
    for order, spec in enumerate(template["dimensions"], start=1):
        dimension = save_with_stamp(
            ScoringDimension(
                scheme=scheme,
                name=spec["name"],
                description=spec["description"],
                scale_min=spec["scale_min"],
                scale_max=spec["scale_max"],
                weight=Decimal(spec["weight"]),
                order=order,
            ),
            user=user,
        )
        for value, label, description in spec["labels"]:
            save_with_stamp(
                ScaleLabel(dimension=dimension, value=value, label=label, description=description), user=user
            )
        by_name[spec["name"]] = dimension
    scheme.matrix_x = by_name.get(template.get("matrix_x"))
    scheme.matrix_y = by_name.get(template.get("matrix_y"))
    return save_with_stamp(scheme, user=user)


DIMENSION_FIELDS = {"name", "description", "scale_min", "scale_max", "weight", "order"}


@transaction.atomic
def dimension_change(
    *, dimension: ScoringDimension, user, labels: dict | None = None, **fields
) -> ScoringDimension:
    """Change a dimension's name, description, scale (scale_min, scale_max), weight or order, and with `labels`
    ({value: label} or {value: (label, description)}) its scale labels: a label left blank is removed, and labels
    outside the new scale go. A scale that would leave someone's score outside it is refused (ValidationError).
    Every change is kept in the history; the ranking follows at once (it is computed live)."""
    unknown = set(fields) - DIMENSION_FIELDS
    if unknown:
        raise ValueError(f"ScoringDimension has no field(s) {', '.join(sorted(unknown))} to change")
    if "weight" in fields:
        try:
            fields["weight"] = Decimal(str(fields["weight"]))
        except InvalidOperation:
            raise ValidationError({"weight": "Enter the weight as a number, like 1.5"}) from None
    dimension = ScoringDimension.objects.select_for_update().get(pk=dimension.pk)
    for field, value in fields.items():
        setattr(dimension, field, value)
    low, high = dimension.scale_min, dimension.scale_max
    if low is not None and high is not None and high <= low:
        raise ValidationError({"scale_max": "The top of the scale must be above the bottom of the scale"})
    outside = (
        Score.objects.filter(dimension=dimension).exclude(value__gte=low, value__lte=high).count()
        + ModeratedScore.objects.filter(dimension=dimension).exclude(value__gte=low, value__lte=high).count()
    )
    if outside:
        raise ValidationError(
            {
                "scale_min": f"{outside} score{'s' if outside != 1 else ''} of {dimension.name} "
                f"would fall outside a scale of {low} to {high}: change those scores first"
            }
        )
    save_with_stamp(dimension, user=user)
    existing = {label.value: label for label in dimension.labels.all()}
    for value, label in existing.items():
        if not (low <= value <= high):
            label._history_user = user if getattr(user, "is_authenticated", False) else None
            label.delete()
    for value, text in (labels or {}).items():
        value = int(value)
        if not (low <= value <= high):
            raise ValidationError({"labels": f"{value} is outside the scale of {low} to {high}"})
        text, description = text if isinstance(text, tuple | list) else (text, None)
        text = (text or "").strip()
        current = existing.get(value)
        if not text:
            if current is not None and current.pk and low <= value <= high:
                current._history_user = user if getattr(user, "is_authenticated", False) else None
                current.delete()
            continue
        if current is None:
            current = ScaleLabel(dimension=dimension, value=value, label=text, description=description or "")
            save_with_stamp(current, user=user)
        elif current.label != text or (description is not None and current.description != description):
            current.label = text
            if description is not None:
                current.description = description
            save_with_stamp(current, user=user)
    return dimension


def _check_value(dimension: ScoringDimension, value, field: str = "value") -> int:
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().removeprefix("-").isdigit():
        number = int(value.strip())
    if number is None:
        raise ValidationError(
            {
                field: f"Choose a score for {dimension.name} from {dimension.scale_min} to {dimension.scale_max}"
            }
        )
    if not (dimension.scale_min <= number <= dimension.scale_max):
        raise ValidationError(
            {
                field: f"The score for {dimension.name} must be from {dimension.scale_min} to "
                f"{dimension.scale_max}"
            }
        )
    return number


def _check_dimension(candidate: CandidateIssue, dimension: ScoringDimension) -> None:
    scheme_id = StrategicAssessment.objects.filter(pk=candidate.assessment_id).values_list(
        "scheme_id", flat=True
    )
    if not scheme_id or scheme_id[0] is None:
        raise ValidationError("Choose a scoring scheme for the assessment before scoring its long-list")
    if dimension.scheme_id != scheme_id[0]:
        raise ValidationError(
            {"dimension": f"{dimension.name} is not a dimension of this assessment's scheme"}
        )


@transaction.atomic
def score_save(*, candidate, dimension, scorer, value: int, comment: str = "", user) -> Score:
    """The scorer's own score of the candidate issue on the dimension (made or changed). Refused
    (ValidationError) when the value is outside the dimension's scale or the dimension is not the assessment's
    scheme's. Views pass the signed-in user as both scorer and user: no one enters another's scores."""
    _check_dimension(candidate, dimension)
    number = _check_value(dimension, value)
    score = Score.objects.filter(candidate=candidate, dimension=dimension, scorer=scorer).first()
    if score is None:
        score = Score(candidate=candidate, dimension=dimension, scorer=scorer)
    elif score.value == number and score.comment == (comment or "").strip():
        return score
    score.value = number
    score.comment = (comment or "").strip()
    return save_with_stamp(score, user=user)


@transaction.atomic
def moderate(*, candidate, dimension, value: int, reason: str, user) -> ModeratedScore:
    """Record the agreed score of the candidate issue on the dimension after moderation, with the reason:
    where the scorers disagree, or to confirm a value they agree on. Needs at least two people's scores and a
    reason; the value must be on the dimension's scale."""
    _check_dimension(candidate, dimension)
    number = _check_value(dimension, value)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": f"Give the reason for the moderated score for {dimension.name}"})
    scorers = (
        Score.objects.filter(candidate=candidate, dimension=dimension).values("scorer").distinct().count()
    )
    if scorers < 2:
        raise ValidationError(
            {"value": f"{dimension.name} can be moderated once at least two people have scored it"}
        )
    moderated = ModeratedScore.objects.filter(candidate=candidate, dimension=dimension).first()
    if moderated is None:
        moderated = ModeratedScore(candidate=candidate, dimension=dimension)
    elif moderated.value == number and moderated.reason == reason:
        return moderated
    moderated.value = number
    moderated.reason = reason
    return save_with_stamp(moderated, user=user)


@transaction.atomic
def assessment_scheme_set(*, assessment: StrategicAssessment, scheme: ScoringScheme | None, user):
    """Choose the scheme the assessment's long-list is scored with. Refused once anything has been scored with
    another scheme (the scores would no longer match its dimensions)."""
    if scheme is not None and scheme.partnership_id != assessment.partnership_id:
        raise ValidationError({"scheme": "Choose one of the partnership's own scoring schemes"})
    if assessment.scheme_id == (scheme.pk if scheme else None):
        return assessment
    scored = (
        Score.objects.filter(candidate__assessment=assessment).exists()
        or ModeratedScore.objects.filter(candidate__assessment=assessment).exists()
    )
    if scored and assessment.scheme_id is not None:
        raise ValidationError(
            {"scheme": "The long-list has been scored with another scheme: it cannot change now"}
        )
    assessment.scheme = scheme
    return save_with_stamp(assessment, user=user)
