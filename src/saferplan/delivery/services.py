"""Writes for delivery and governance. Every write records who made it."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max

from saferplan.core.services import save_with_stamp, stamp
from saferplan.delivery import evidence
from saferplan.delivery.models import DetailedAction, Escalation, GroupClosure, LocalityIssue, ProgressUpdate


@transaction.atomic
def detailed_action_save(*, action: DetailedAction, user, **fields) -> DetailedAction:
    """Create or change a detailed action (new ones go last under their strategic action)."""
    for name, value in fields.items():
        setattr(action, name, value)
    if action._state.adding and not action.order:
        last = DetailedAction.objects.filter(strategic_action=action.strategic_action).aggregate(
            m=Max("order")
        )
        action.order = (last["m"] or 0) + 1
    return save_with_stamp(action, user=user)


@transaction.atomic
def progress_update_add(
    *,
    action: DetailedAction,
    user,
    status: str,
    text: str,
    on: date | None = None,
    evidence_link: str = "",
    evidence_upload: tuple[str, bytes] | None = None,
    illustrative: bool = False,
) -> ProgressUpdate:
    """A dated update signed by its author; the newest update gives the action its status."""
    update = ProgressUpdate(
        action=action,
        date=on or date.today(),
        status=status,
        text=text,
        evidence_link=evidence_link,
        illustrative=illustrative,
    )
    if evidence_upload is not None:
        name, content = evidence_upload
        extension, content_type = evidence.check(name, content)
        update.evidence_file = evidence.save(content, extension)
        update.evidence_name = name[:255]
        update.evidence_type = content_type
    return save_with_stamp(update, user=user)


@transaction.atomic
def escalation_raise(
    *,
    from_group,
    user,
    about: str,
    title: str,
    why: str,
    ask: str,
    indicator=None,
    action=None,
    to_group=None,
    on: date | None = None,
) -> Escalation:
    """Raise an item to the group this group reports to (its `escalates_to`), or to a named group."""
    target = to_group or from_group.escalates_to
    if target is None:
        raise ValueError(f"{from_group} does not report to another group: choose where to escalate")
    escalation = Escalation(
        from_group=from_group,
        to_group=target,
        about=about,
        title=title,
        why=why,
        ask=ask,
        indicator=indicator,
        action=action,
        raised_on=on or date.today(),
    )
    return save_with_stamp(escalation, user=user)


@transaction.atomic
def escalation_decide(
    *, escalation: Escalation, user, decision: str, new_actions=(), close: bool = True, on: date | None = None
) -> Escalation:
    """The receiving body records its decision (and any new actions); the item closes unless kept open."""
    escalation.decision = decision
    escalation.decided_on = on or date.today()
    escalation.decided_by = user
    escalation.state = Escalation.State.CLOSED if close else Escalation.State.OPEN
    save_with_stamp(escalation, user=user)
    if new_actions:
        escalation.new_actions.add(*new_actions)
    return escalation


@transaction.atomic
def group_close(*, group, user, achievements: str, on: date | None = None) -> GroupClosure:
    closure = GroupClosure(group=group, closed_on=on or date.today(), achievements=achievements)
    return save_with_stamp(closure, user=user)


@transaction.atomic
def locality_issue_save(*, issue: LocalityIssue, user, partners=None, **fields) -> LocalityIssue:
    for name, value in fields.items():
        setattr(issue, name, value)
    if issue.state == LocalityIssue.State.CLOSED and not issue.closed_on:
        issue.closed_on = date.today()
    stamp(issue, user=user)
    issue.full_clean()
    issue.save()
    if partners is not None:
        issue.partners.set(partners)
    return issue


@transaction.atomic
def task_and_finish_create(*, partnership, user, name: str, **fields):
    """A time-limited task and finish group with its remit and end date."""
    from django.utils.text import slugify

    from saferplan.plans.models import Group

    base = slugify(name)[:90] or "task-and-finish"
    slug, n = base, 1
    while Group.objects.filter(partnership=partnership, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    group = Group(partnership=partnership, slug=slug, name=name, kind=Group.Kind.TASK_AND_FINISH, **fields)
    save_with_stamp(group, user=user)
    if group.escalates_to and group.escalates_to.areas:
        group.areas = group.escalates_to.areas
        group.save(update_fields=["areas"])
    return group


@transaction.atomic
def milestone_add(*, action: DetailedAction, user, description: str, due_date=None):
    from saferplan.delivery.models import Milestone

    return save_with_stamp(Milestone(action=action, description=description, due_date=due_date), user=user)


@transaction.atomic
def meeting_record_add(*, record, user):
    """Save a meeting, an agenda item or an action arising (new items go last on the agenda)."""
    from saferplan.delivery.models import AgendaItem

    if isinstance(record, AgendaItem) and record._state.adding and not record.order:
        last = AgendaItem.objects.filter(meeting=record.meeting).aggregate(m=Max("order"))
        record.order = (last["m"] or 0) + 1
    return save_with_stamp(record, user=user)
