"""Reminders by email: one digest per person, each item once per period.

- Group leads, for their groups' detailed actions: when the target date is within 14 days (once per target
  date), and when the action is overdue (once a month until it is complete or its date moves).
- Data providers, for their organisation's data returns: when a figure is due within 7 days (once per figure),
  and when it is overdue (once a month).
Each item has a key; a key sent to a person is recorded (ReminderSent), so a second run sends nothing new.
`saferplan reminders send [--dry-run]`; every person can see what they will be sent on the Reminders page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from saferplan.accounts.models import User
from saferplan.areas.models import Area
from saferplan.delivery import selectors
from saferplan.delivery.models import ReminderSent, Status
from saferplan.indicators.data_returns import due_figures

ACTION_NOTICE = timedelta(days=14)
RETURN_NOTICE = timedelta(days=7)


@dataclass(frozen=True)
class Item:
    key: str
    text: str


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
            if row.overdue:
                items.append(
                    Item(
                        f"action:{a.pk}:overdue:{a.target_date}:{month}",
                        f"Overdue since {a.target_date:%d %B %Y}: {a.description}",
                    )
                )
            elif a.target_date - today <= ACTION_NOTICE:
                items.append(
                    Item(
                        f"action:{a.pk}:due:{a.target_date}",
                        f"Due on {a.target_date:%d %B %Y}: {a.description}",
                    )
                )
    if user.role == User.Role.DATA_PROVIDER and user.organisation_id:
        area = Area.objects.filter(partnership=plan.partnership, kind=Area.Kind.PARTNERSHIP).first()
        if area is not None:
            for figure in due_figures(organisation=user.organisation, plan=plan, area=area, today=today):
                if figure.received:
                    continue
                label = f"{figure.indicator.name}, {figure.period.label}"
                if figure.due < today:
                    items.append(
                        Item(
                            f"return:{figure.indicator.pk}:{figure.period.code}:overdue:{month}",
                            f"Overdue since {figure.due:%d %B %Y}: {label}",
                        )
                    )
                elif figure.due - today <= RETURN_NOTICE:
                    items.append(
                        Item(
                            f"return:{figure.indicator.pk}:{figure.period.code}:due",
                            f"Due on {figure.due:%d %B %Y}: {label}",
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
    lines = [f"Dear {user.get_full_name() or user.username},", "", "SaferPlan reminders for you:", ""] + [
        f"- {i.text}" for i in items
    ]
    lines += ["", "Update the delivery plan or send the data return on SaferPlan."]
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
