"""Reminders by email: one digest per person, each item once per period.

- Group leads, for their groups' detailed actions: when the target date is within 14 days (once per target
  date), and when the action is overdue (once a month until it is complete or its date moves).
- Data providers, for their organisation's data returns: when a figure is due within 7 days (once per figure),
  and when it is overdue (once a month).
Each item has a key; a key sent to a person is recorded (ReminderSent), so a second run sends nothing new.
Each item in the email links to where it is done (the action's page and its update form, or the organisation's
data return) at the site's address (settings.SITE_URL); without that setting the email says in words where to
find it.
`saferplan reminders send [--dry-run]`; every person can see what they will be sent on the Reminders page.

On a schedule: the administrator sets it on the Reminders page (every day at 07:00 by default; Monday to
Friday; or Mondays). The run is a task queued to run at the next scheduled time (delivery.tasks); each run
records itself (last run, what it sent) and queues the next. A run that finds it is no longer the one expected
(the schedule changed since it was queued) does nothing, and a second run on the same day sends nothing new.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from saferplan.accounts.models import User
from saferplan.areas.models import Area
from saferplan.delivery import selectors
from saferplan.delivery.models import ReminderSchedule, ReminderSent, Status
from saferplan.indicators.data_returns import due_figures

log = logging.getLogger(__name__)
ACTION_NOTICE = timedelta(days=14)
RETURN_NOTICE = timedelta(days=7)


UPDATE_FORM = "add-update"  # the id of the progress update form's heading on an action's page


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    url: str = ""  # where it is done: the action's page (its update form) or the organisation's data return
    update_url: str = ""  # the action's progress update form
    where: str = ""  # where to find it in SaferPlan, in words (for an email sent without the site's address)


def items_for(user: User, plan, today: date) -> list[Item]:
    """Everything the person should be reminded of today (sent or not)."""
    items: list[Item] = []
    month = today.strftime("%Y-%m")
    led = set(user.led_groups.values_list("pk", flat=True)) if user.role == User.Role.GROUP_LEAD else set()
    if led:
        for row in selectors.delivery_plan(plan, today=today).rows:
            a = row.action
            if a.owner_group_id not in led or row.status == Status.COMPLETE or a.target_date is None:
                continue
            url = a.get_absolute_url()
            links = {
                "url": url,
                "update_url": f"{url}#{UPDATE_FORM}",
                "where": f"Delivery plan, then this action of the {a.owner_group.name}; its page has the form "
                "to add a progress update",
            }
            if row.overdue:
                items.append(
                    Item(
                        f"action:{a.pk}:overdue:{a.target_date}:{month}",
                        f"Overdue since {a.target_date:%d %B %Y}: {a.description}",
                        **links,
                    )
                )
            elif a.target_date - today <= ACTION_NOTICE:
                items.append(
                    Item(
                        f"action:{a.pk}:due:{a.target_date}",
                        f"Due on {a.target_date:%d %B %Y}: {a.description}",
                        **links,
                    )
                )
    if user.role == User.Role.DATA_PROVIDER and user.organisation_id:
        area = Area.objects.filter(partnership=plan.partnership, kind=Area.Kind.PARTNERSHIP).first()
        if area is not None:
            url = reverse("data-return-detail", args=[user.organisation.slug])
            where = f"Data returns, then {user.organisation.name}"
            for figure in due_figures(organisation=user.organisation, plan=plan, area=area, today=today):
                if figure.received:
                    continue
                label = f"{figure.indicator.name}, {figure.period.label}"
                if figure.due < today:
                    items.append(
                        Item(
                            f"return:{figure.indicator.pk}:{figure.period.code}:overdue:{month}",
                            f"Overdue since {figure.due:%d %B %Y}: {label}",
                            url,
                            where=where,
                        )
                    )
                elif figure.due - today <= RETURN_NOTICE:
                    items.append(
                        Item(
                            f"return:{figure.indicator.pk}:{figure.period.code}:due",
                            f"Due on {figure.due:%d %B %Y}: {label}",
                            url,
                            where=where,
                        )
                    )
    return items


def pending(plan, today: date) -> dict[User, list[Item]]:
    """The items not yet sent, by person (people with an email address and something to be told)."""
    people = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(role__in=[User.Role.GROUP_LEAD, User.Role.DATA_PROVIDER])
        .select_related("organisation")
    )
    sent = set(ReminderSent.objects.values_list("user_id", "key"))
    result = {}
    for user in people:
        new = [i for i in items_for(user, plan, today) if (user.pk, i.key) not in sent]
        if new:
            result[user] = new
    return result


def digest(user: User, items: list[Item]) -> str:
    """The email: each action with links to its page and its update form at the site's address
    (settings.SITE_URL); each run of data returns due to the same organisation with one link to its data return.
    When the address is not set, where to find them in words."""
    site = settings.SITE_URL
    lines = [f"Dear {user.get_full_name() or user.username},", "", "SaferPlan reminders for you:", ""]
    for n, i in enumerate(items):
        lines.append(f"- {i.text}")
        if i.update_url:  # an action: its own page and form
            if site:
                lines.append(f"  See the action: {site}{i.url}")
                lines.append(f"  Add a progress update: {site}{i.update_url}")
            elif i.where:
                lines.append(f"  Where: in SaferPlan, {i.where}.")
            continue
        following = items[n + 1] if n + 1 < len(items) else None
        if following is not None and (following.url, following.where) == (i.url, i.where):
            continue  # one link for the organisation's run of returns, after the last of them
        if site and i.url:
            lines.append(f"  Send the data return: {site}{i.url}")
        elif i.where:
            lines.append(f"  Where: in SaferPlan, {i.where}.")
    if site:
        lines += ["", f"Your reminders are listed on SaferPlan: {site}{reverse('my-reminders')}"]
    else:
        lines += [
            "",
            "Update the delivery plan or send the data return on SaferPlan (Reminders lists these).",
        ]
    return "\n".join(lines)


def send(plan, *, today: date | None = None, dry_run: bool = False) -> tuple[int, int]:
    """Send one digest per person; return (emails, items). Recorded per item, so running twice sends nothing new."""
    today = today or date.today()
    emails = items_total = 0
    for user, items in pending(plan, today).items():
        if not dry_run:
            with transaction.atomic():
                ReminderSent.objects.bulk_create([ReminderSent(user=user, key=i.key) for i in items])
                send_mail(
                    f"SaferPlan: {len(items)} reminder{'s' if len(items) != 1 else ''}",
                    digest(user, items),
                    settings.DEFAULT_FROM_EMAIL,
                    [user.email],
                )
        emails += 1
        items_total += len(items)
    return emails, items_total


# The schedule ----------------------------------------------------------------------------------------------


def schedule_get() -> ReminderSchedule:
    schedule, _ = ReminderSchedule.objects.get_or_create(pk=1)
    return schedule


def _runs_on(schedule: ReminderSchedule, day: date) -> bool:
    if schedule.days == ReminderSchedule.Days.WEEKDAYS:
        return day.weekday() < 5
    if schedule.days == ReminderSchedule.Days.WEEKLY:
        return day.weekday() == 0
    return True


def next_run(schedule: ReminderSchedule, after: datetime) -> datetime:
    """The first scheduled time strictly after `after`, in UK time (the project's TIME_ZONE)."""
    day = timezone.localtime(after).date()
    while True:
        at = timezone.make_aware(datetime.combine(day, schedule.time_of_day))
        if at > after and _runs_on(schedule, day):
            return at
        day += timedelta(days=1)


def _queued(schedule: ReminderSchedule) -> bool:
    """Whether the queue still holds the run that the schedule expects."""
    from django_tasks import TaskResultStatus

    from saferplan.delivery.tasks import reminders_task

    if not schedule.task_id:
        return False
    try:
        result = reminders_task.get_backend().get_result(schedule.task_id)
    except Exception:  # noqa: BLE001 - gone from the queue (pruned, Redis emptied), or not kept by the backend
        return False
    return result.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def _arm(schedule: ReminderSchedule) -> None:
    """Queue the run at schedule.next_run_at. A run queued before (for another time) finds, when its time
    comes, that it is not the one expected and does nothing."""
    from saferplan.delivery.tasks import reminders_task

    if not schedule.enabled or schedule.next_run_at is None:
        return
    if not reminders_task.get_backend().supports_defer:
        log.warning("The task backend cannot run a task later: scheduled reminders are not queued")
        return
    result = reminders_task.using(run_after=schedule.next_run_at).enqueue(schedule.next_run_at.isoformat())
    schedule.task_id = str(result.id)[:64]
    ReminderSchedule.objects.filter(pk=schedule.pk).update(task_id=schedule.task_id)


def schedule_set(
    *, user, enabled: bool, days: str, time_of_day, now: datetime | None = None
) -> ReminderSchedule:
    """The administrator's schedule: saved, and its next run queued."""
    now = now or timezone.now()
    schedule = schedule_get()
    schedule.enabled, schedule.days, schedule.time_of_day = enabled, days, time_of_day
    schedule.next_run_at = next_run(schedule, now) if enabled else None
    schedule.task_id = ""
    schedule.modified_at, schedule.modified_by = now, user
    schedule.full_clean()
    schedule.save()
    _arm(schedule)
    return schedule


def schedule_ensure(now: datetime | None = None) -> ReminderSchedule:
    """Queue the next run when the queue holds none for the schedule (never armed yet, or the queued run was
    lost): called when the Reminders page is shown."""
    now = now or timezone.now()
    schedule = schedule_get()
    if schedule.enabled and not _queued(schedule):
        if schedule.next_run_at is None or schedule.next_run_at <= now:
            schedule.next_run_at = next_run(schedule, now)
            schedule.save(update_fields=["next_run_at"])
        _arm(schedule)
    return schedule


def run_now(now: datetime | None = None) -> str:
    """Send the reminders due today, record the run, and queue the next one. Returns what was sent."""
    from saferplan.plans.selectors import plan_get

    now = now or timezone.now()
    plan = plan_get()
    retry = None
    try:
        if plan is None:
            result = "There is no plan: nothing was sent."
        else:
            emails, items = send(plan, today=timezone.localdate(now))
            result = f"Sent {emails} email{'s' if emails != 1 else ''} ({items} reminder{'s' if items != 1 else ''})."
    except Exception as exc:  # noqa: BLE001 - the mail server is down, say: try again in an hour
        log.exception("The reminders run failed")
        result = f"Failed ({type(exc).__name__}); what was sent before the failure is recorded. Trying again in an hour."
        retry = now + timedelta(hours=1)
    schedule = schedule_get()
    schedule.last_run_at, schedule.last_run_result = now, result[:300]
    schedule.next_run_at = (retry or next_run(schedule, now)) if schedule.enabled else None
    schedule.task_id = ""
    schedule.save()
    _arm(schedule)
    return result


def scheduled_run(expected: str, now: datetime | None = None) -> str:
    """The queued run for the time `expected` (ISO 8601): runs only if the schedule still expects it."""
    schedule = schedule_get()
    if not schedule.enabled or schedule.next_run_at != datetime.fromisoformat(expected):
        return "superseded: the schedule changed after this run was queued"
    return run_now(now)
