"""Background work for delivery, run by the task queue's worker (`saferplan db_worker`)."""

from __future__ import annotations

from django_tasks import task

from saferplan.delivery import reminders


@task()
def reminders_task(expected: str) -> str:
    """The scheduled reminders run for the time `expected`; it queues the next one (delivery.reminders)."""
    return reminders.scheduled_run(expected)
