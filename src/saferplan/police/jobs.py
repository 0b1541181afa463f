"""Police imports uploaded on the web: saved under SAFERPLAN_DATA_DIR, run in a background thread, with the
progress written to the PoliceImport record for the page to show."""

from __future__ import annotations

import logging
import shutil
import threading
import uuid
from dataclasses import replace
from pathlib import Path

from django.db import close_old_connections, connection
from django.utils import timezone

from saferplan.core.importing import DocumentError
from saferplan.core.services import stamp
from saferplan.police import ingest, services, store
from saferplan.police.models import PoliceImport

_threads: list[threading.Thread] = []
log = logging.getLogger(__name__)


def _as_uploaded(exc: DocumentError, folder: Path) -> DocumentError:
    """The same problems, naming the file as the person uploaded it, never where the server keeps it."""

    def public(text: str) -> str:
        return text.replace(f"{folder}/", "").replace(str(folder), "")

    problems = [replace(p, field=public(p.field), message=public(p.message)) for p in exc.problems]
    return DocumentError(problems, public(exc.filename))


def police_import_start(*, content: bytes, filename: str, partnership, user) -> PoliceImport:
    """Save the upload under its own name (which tells the force, month and kind), check that name, and start
    the import in the background. Raises DocumentError when the name is not a data.police.uk file name."""
    folder = store.root() / "uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    path = folder / Path(filename).name
    path.write_bytes(content)
    try:
        files = ingest.discover([path])
    except DocumentError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise _as_uploaded(exc, folder) from None
    job = PoliceImport(filename=path.name[:255], files_total=len(files))
    stamp(job, user=user)
    job.save()
    thread = threading.Thread(
        target=_run, args=(job.pk, path, partnership.pk, user.pk if user else None), daemon=True
    )
    _threads.append(thread)
    thread.start()
    return job


def _run(job_id: int, path: Path, partnership_id: int, user_id: int | None) -> None:
    from saferplan.accounts.models import User
    from saferplan.plans.models import Partnership

    close_old_connections()
    job = PoliceImport.objects.get(pk=job_id)
    try:
        job.status = PoliceImport.Status.RUNNING
        job.save(update_fields=["status"])

        def progress(result, total):
            job.files_done, job.rows = result.files, result.rows
            job.rows_per_second = int(result.rows / result.seconds) if result.seconds else 0
            job.save(update_fields=["files_done", "rows", "rows_per_second"])

        files = ingest.discover([path])
        partnership = Partnership.objects.get(pk=partnership_id)
        user = User.objects.filter(pk=user_id).first()
        result, derived = services.police_import(files, partnership=partnership, user=user, progress=progress)
        job.status = PoliceImport.Status.DONE
        job.files_done, job.rows = result.files, result.rows
        job.message = (
            f"{result.rows:,} rows for {', '.join(sorted(result.forces))}, {', '.join(sorted(result.months))}. "
            f"Police open data observations: {derived['created']} new, {derived['revised']} revised, "
            f"{derived['unchanged']} unchanged."
        )
    except DocumentError as exc:
        job.status = PoliceImport.Status.FAILED
        shown = _as_uploaded(exc, path.parent)
        job.message = f"{len(shown.problems)} problem(s); nothing was changed.\n{shown.report()}"
    except Exception as exc:  # noqa: BLE001 - the page must say what happened, whatever it was
        # The error's own text may name the server's files: it goes to the log, not the page.
        log.exception("Police import %s of %s failed", job_id, path.name)
        job.status = PoliceImport.Status.FAILED
        job.message = (
            f"The import stopped with an unexpected error ({type(exc).__name__}). Nothing was changed. "
            "The details are in the server's log for your administrator."
        )
    finally:
        job.finished_at = timezone.now()
        job.save()
        shutil.rmtree(path.parent, ignore_errors=True)
        connection.close()


def wait_for_imports(timeout: float = 60) -> None:
    """Wait for background imports to finish (used by tests and on shutdown)."""
    for thread in list(_threads):
        thread.join(timeout)
        _threads.remove(thread)
