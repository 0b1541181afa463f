"""Writes for the plans app: create, update and archive objectives, outcomes, actions and indicators.

Every write records who made it (created/modified by, and a history record with the user).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from saferplan.core.services import archive, save_with_stamp
from saferplan.plans.models import Group, Indicator, Objective, Outcome, Plan, SearchSynonym, StrategicAction


def _next(qs, field: str) -> int:
    return (qs.aggregate(m=Max(field))["m"] or 0) + 1


@transaction.atomic
def objective_create(
    *,
    plan: Plan,
    user,
    title: str,
    why_priority: str = "",
    key_challenges: str = "",
    number: int | None = None,
) -> Objective:
    objective = Objective(
        plan=plan,
        number=number or _next(plan.objectives.live(), "number"),
        title=title,
        why_priority=why_priority,
        key_challenges=key_challenges,
    )
    return save_with_stamp(objective, user=user)


@transaction.atomic
def outcome_create(*, objective: Objective, user, title: str) -> Outcome:
    outcome = Outcome(objective=objective, number=_next(objective.outcomes.live(), "number"), title=title)
    return save_with_stamp(outcome, user=user)


@transaction.atomic
def action_create(
    *, outcome: Outcome, user, text: str, owner_group=None, target_date=None
) -> StrategicAction:
    action = StrategicAction(
        outcome=outcome,
        order=_next(outcome.actions.all(), "order"),
        text=text,
        owner_group=owner_group,
        target_date=target_date,
    )
    return save_with_stamp(action, user=user)


@transaction.atomic
def record_update(*, record: Objective | Outcome | StrategicAction, user, **fields):
    """Change fields of an objective, outcome or strategic action, recording who changed what."""
    for name, value in fields.items():
        setattr(record, name, value)
    return save_with_stamp(record, user=user)


@transaction.atomic
def indicator_create(*, partnership, user, objectives=(), outcomes=(), **fields) -> Indicator:
    base = slugify(fields["name"])[:90] or "indicator"
    slug, n = base, 1
    while partnership.indicators.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    indicator = Indicator(
        partnership=partnership, slug=slug, order=_next(partnership.indicators.all(), "order"), **fields
    )
    save_with_stamp(indicator, user=user)
    indicator.objectives.set(objectives)
    indicator.outcomes.set(outcomes)
    return indicator


@transaction.atomic
def indicator_update(*, indicator: Indicator, user, objectives=None, outcomes=None, **fields) -> Indicator:
    for name, value in fields.items():
        setattr(indicator, name, value)
    save_with_stamp(indicator, user=user)
    if objectives is not None:
        indicator.objectives.set(objectives)
    if outcomes is not None:
        indicator.outcomes.set(outcomes)
    return indicator


@transaction.atomic
def record_archive(*, record, user):
    """Archive an objective, outcome, action or indicator: it leaves the plan but keeps its history.

    Archiving an objective archives its outcomes, and archiving an outcome archives its actions.
    """
    if isinstance(record, Objective):
        for outcome in record.outcomes.live():
            record_archive(record=outcome, user=user)
    if isinstance(record, Outcome):
        for action in record.actions.live():
            archive(action, user=user)
    return archive(record, user=user)


@transaction.atomic
def group_leads_change(*, group: Group, user, add=(), remove=()) -> Group:
    """Make people leads of a group, or no longer its leads. Leading a group gives the right to change what it
    owns, so each change is a record in the group's history, with who made it (`user`) and when."""
    group._history_user = user if getattr(user, "is_authenticated", False) else None
    current = set(group.leads.values_list("pk", flat=True))
    added = [u for u in add if u.pk not in current]
    removed = [u for u in remove if u.pk in current]
    if added:
        group.leads.add(*added)
    if removed:
        group.leads.remove(*removed)
    return group


@transaction.atomic
def synonym_save(*, user, term: str, meaning: str, synonym: SearchSynonym | None = None) -> SearchSynonym:
    """Record a short form search understands (or change one), with who did it in its history."""
    synonym = synonym or SearchSynonym()
    synonym.term, synonym.meaning = term.strip(), " ".join(meaning.split())
    return save_with_stamp(synonym, user=user)


@transaction.atomic
def synonym_remove(*, user, synonym: SearchSynonym) -> None:
    """Stop search using a short form; its history keeps who removed it."""
    synonym._history_user = user if getattr(user, "is_authenticated", False) else None
    synonym.delete()
