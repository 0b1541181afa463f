"""Police imports uploaded on the web, run by the task queue (saferplan.police.tasks), never in the web process.

The upload is saved under SAFERPLAN_DATA_DIR, a PoliceImport row records the job and the task is enqueued; a
worker (`saferplan db_worker`) runs the import, writing its progress to the row for the page to show. The
import itself is all or nothing (store.py: one manifest rename), so a worker killed part-way leaves the police
data as it was: the job is then marked failed when the page next looks at it (`recover_interrupted`), and can
be retried from the same upload.
"""

from __future__ import annotations

import logging
import shutil
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from saferplan.core.importing import DocumentError
from saferplan.core.services import stamp
from saferplan.core.tasks import job_enqueue, jobs_recover_interrupted, this_worker
from saferplan.police import ingest, services, store
from saferplan.police.models import PoliceImport

log = logging.getLogger(__name__)
Status = PoliceImport.Status

STOPPED = (
    "The import stopped part-way because the worker running it stopped (it was restarted or killed). "
    "Nothing was changed: the police data is as it was before. Retry the import."
)


# Starting, retrying ----------------------------------------------------------------------------------------


def _as_uploaded(exc: DocumentError, folder: Path) -> DocumentError:
    """The same problems, naming the file as the person uploaded it, never where the server keeps it."""

    def public(text: str) -> str:
        return text.replace(f"{folder}/", "").replace(str(folder), "")

    problems = [replace(p, field=public(p.field), message=public(p.message)) for p in exc.problems]
    return DocumentError(problems, public(exc.filename))


def police_import_start(*, content: bytes, filename: str, partnership, user) -> PoliceImport:
    """Save the upload under its own name (which tells the force, month and kind), check that name, record the
    job and enqueue it. Raises DocumentError when the name is not a data.police.uk file name."""
    folder = store.root() / "uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    path = folder / Path(filename).name
    path.write_bytes(content)
    try:
        files = ingest.discover([path])
    except DocumentError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise _as_uploaded(exc, folder) from None
    job = PoliceImport(
        filename=path.name[:255],
        files_total=len(files),
        partnership=partnership,
        upload=str(path.relative_to(settings.DATA_DIR)),
    )
    stamp(job, user=user)
    job.save()
    return _enqueue(job)


def _enqueue(job: PoliceImport) -> PoliceImport:
    from saferplan.police.tasks import police_import_task

    return job_enqueue(
        police_import_task,
        job,
        queued=Status.QUEUED,
        failed=Status.FAILED,
        what="The import",
        unchanged="Nothing was changed.",
    )


def can_retry(job: PoliceImport) -> bool:
    return (
        job.status == Status.FAILED and bool(job.upload) and (Path(settings.DATA_DIR) / job.upload).exists()
    )


def police_import_retry(*, job: PoliceImport, user) -> PoliceImport:
    """Queue a failed import again from its saved upload."""
    with transaction.atomic():
        job = PoliceImport.objects.select_for_update().get(pk=job.pk)
        if not can_retry(job):
            raise ValueError("Only a failed import whose upload is kept can be retried")
        job.status = Status.QUEUED
        job.files_done = job.rows = job.rows_per_second = 0
        job.message = ""
        job.finished_at = job.started_at = job.heartbeat_at = None
        job.worker = job.task_id = ""
        stamp(job, user=user)
        job.save()
    return _enqueue(job)


def recover_interrupted() -> int:
    """Mark failed every running import whose worker has died; return how many."""
    return jobs_recover_interrupted(
        PoliceImport, running=Status.RUNNING, failed=Status.FAILED, message=STOPPED
    )


# Running (in the worker) ------------------------------------------------------------------------------------


def police_import_run(job_id: int) -> str:
    """Run a queued import; returns its final status. Claims the job first, so a task delivered twice runs
    it once."""
    from saferplan.accounts.models import User

    recover_interrupted()
    now = timezone.now()
    claimed = PoliceImport.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING,
        worker=this_worker(),
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return "not queued"
    job = PoliceImport.objects.get(pk=job_id)
    path = Path(settings.DATA_DIR) / job.upload
    keep_upload = False
    try:

        def progress(result, total):
            job.files_done, job.rows = result.files, result.rows
            job.rows_per_second = int(result.rows / result.seconds) if result.seconds else 0
            job.heartbeat_at = timezone.now()
            job.save(update_fields=["files_done", "rows", "rows_per_second", "heartbeat_at"])

        files = ingest.discover([path])
        user = User.objects.filter(pk=job.created_by_id).first()
        result, derived = services.police_import(
            files, partnership=job.partnership, user=user, progress=progress
        )
        job.status = Status.DONE
        job.files_done, job.rows = result.files, result.rows
        job.message = f"{result.rows:,} rows for {', '.join(sorted(result.forces))}, {', '.join(sorted(result.months))}."
        if derived:
            job.message += (
                f" Police open data observations: {derived['created']} new, {derived['revised']} revised, "
                f"{derived['unchanged']} unchanged."
            )
    except DocumentError as exc:
        job.status = Status.FAILED
        shown = _as_uploaded(exc, path.parent)
        job.message = f"{len(shown.problems)} problem(s); nothing was changed.\n{shown.report()}"
    except Exception as exc:  # noqa: BLE001 - the page must say what happened, whatever it was
        # The error's own text may name the server's files: it goes to the log, not the page.
        log.exception("Police import %s of %s failed", job_id, path.name)
        keep_upload = True  # to retry
        job.status = Status.FAILED
        job.message = (
            f"The import stopped with an unexpected error ({type(exc).__name__}). Nothing was changed. "
            "The details are in the server's log for your administrator."
        )
    job.finished_at = timezone.now()
    job.save()
    if not keep_upload:
        shutil.rmtree(path.parent, ignore_errors=True)
    return job.status


def wait_for_imports(timeout: float = 60) -> None:
    """Run the tasks waiting in the database queue now, in this process, until none is left (tests and
    scripts). With the immediate backend (the tests' default) they have already run."""
    if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
        return
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    # The worker's own loop closes the database connection between tasks, which a test's transaction on
    # PostgreSQL does not survive: claim and run each task here instead.
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="in-process",
        excluded_queue_names=[],
    )
    deadline = timezone.now() + timedelta(seconds=timeout)
    while timezone.now() < deadline:
        ready = DBTaskResult.objects.ready().filter(backend_name="default").first()
        if ready is None:
            return
        ready.claim(worker.worker_id)
        worker.run_task(ready)
