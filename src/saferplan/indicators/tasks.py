"""Background work for performance data, run by the task queue's worker (`saferplan db_worker`)."""

from __future__ import annotations

from django_tasks import task

from saferplan.indicators import data_returns


@task()
def data_return_import_task(job_id: int) -> str:
    """Import a large data return saved on upload, all or nothing (see indicators.data_returns)."""
    return data_returns.data_return_import_run(job_id)
