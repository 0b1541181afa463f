"""Queueing background work: the one way a job record (a police import, a publication) is handed to the task
queue. Record-keeping shared by every queued job: the task's id on success, and a failure the person can see
and retry when the queue cannot take the task (Redis down, say)."""

from __future__ import annotations

import logging

from django.utils import timezone

log = logging.getLogger(__name__)


def job_enqueue(task, job, *, queued: str, failed: str, what: str, unchanged: str):
    """Enqueue `task` for `job` (a model with status, finished_at, message and task_id). When the queue cannot
    take it, the job, still `queued`, is marked `failed` with a message: "<what> could not be queued
    (ConnectionError). <unchanged> Retry it." Returns the job as stored."""
    model = type(job)
    try:
        result = task.enqueue(job.pk)
    except Exception as exc:  # noqa: BLE001 - the queue is down: say so on the job's page
        log.exception("Could not enqueue %s %s", model.__name__, job.pk)
        model.objects.filter(pk=job.pk, status=queued).update(
            status=failed,
            finished_at=timezone.now(),
            message=f"{what} could not be queued ({type(exc).__name__}). {unchanged} Retry it.",
        )
    else:
        model.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job
