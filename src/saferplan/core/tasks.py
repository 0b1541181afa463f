"""Queueing background work: the one way a job record (a police import, a publication, a large data return) is
handed to the task queue, and the one way a job whose worker died is found and marked failed. Record-keeping
shared by every queued job: the task's id on success, and a failure the person can see and retry when the
queue cannot take the task (Redis down, say); which worker runs a job, and whether it is still alive."""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

log = logging.getLogger(__name__)

# A worker on another machine that has not reported progress for this long is taken to be gone.
SILENT_WORKER = timedelta(hours=2)


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def worker_gone(worker: str, heartbeat_at) -> bool:
    """Whether the worker process that claimed a job has died: on this machine, its process is checked; on
    another, a long silence counts as death."""
    host, _, pid = worker.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:  # alive, someone else's
            return False
        return False
    return heartbeat_at is None or timezone.now() - heartbeat_at > SILENT_WORKER


def fail_task_result(task_id: str, message: str) -> None:
    """Mark the queue's own record of a task failed (database backend), when its worker died running it."""
    if not task_id or not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
        return
    from django_tasks_db.models import DBTaskResult

    try:
        DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
            status="FAILED",
            finished_at=timezone.now(),
            exception_class_path="saferplan.core.tasks.WorkerStopped",
            traceback=message,
        )
    except Exception:  # noqa: BLE001 - an id from another backend; the job row says what happened
        log.warning("Could not mark task %s failed", task_id)


def jobs_recover_interrupted(model, *, running: str, failed: str, message: str, prepare=None) -> int:
    """Mark failed, with `message`, every `running` job of `model` whose worker has died, and the queue's record
    of its task; return how many. `prepare(job)` may bring a job's last sign of life up to date first. Only a
    job still held by the same worker is changed, so a job another worker has claimed since is left alone."""
    found = 0
    for job in model.objects.filter(status=running):
        if prepare is not None:
            job = prepare(job)
        if worker_gone(job.worker, job.heartbeat_at):
            updated = model.objects.filter(pk=job.pk, status=running, worker=job.worker).update(
                status=failed, message=message, finished_at=timezone.now()
            )
            if updated:
                fail_task_result(job.task_id, message)
                found += 1
    return found


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
