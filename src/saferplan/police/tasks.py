"""Background work for police open data, run by the task queue's worker (`saferplan db_worker`)."""

from __future__ import annotations

from django_tasks import task

from saferplan.police import jobs


@task()
def police_import_task(job_id: int) -> str:
    """Import a saved upload into the columnar store and refresh the derived figures (see police.jobs)."""
    return jobs.police_import_run(job_id)
