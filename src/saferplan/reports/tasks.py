"""Background work for reports, run by the task queue's worker (`saferplan db_worker`)."""

from __future__ import annotations

from django_tasks import task

from saferplan.reports import services


@task()
def publish_task(publication_id: int) -> str:
    """Render a report in every format and publish it whole (see reports.services.publish_run)."""
    return services.publish_run(publication_id)
