"""The task queue with real workers: a `saferplan db_worker` process killed (SIGKILL) in the middle of a police
import, of a publication and of a large data return leaves the prior state intact and the job marked failed,
with a message, and retrying it succeeds; a task enqueued on Redis runs under `saferplan rqworker --burst`.

The worker runs in its own process. On PostgreSQL it connects to the test database itself (these tests commit
what they write, being transactional). On SQLite the test database is in memory, out of the worker's reach:
it (the demo, with the job and its queued task) is copied into a file, the worker is started on the file, and
the file is copied back afterwards to look at it with the ORM.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django_tasks import task

from saferplan.indicators import data_returns
from saferplan.indicators.models import DataReturn, DataReturnImport, Observation
from saferplan.police import jobs, store
from saferplan.police.synthetic import write_archive
from saferplan.reports import services as report_services
from saferplan.reports.models import Publication, ReportFile
from tests.indicators.test_data_returns import large_return

SAFERPLAN = Path(sys.executable).parent / "saferplan"
ROOT = Path(__file__).resolve().parents[1]
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
REDIS = ("127.0.0.1", 6379)
# A database of its own, emptied by the test: one for each database pass, since `make test` runs the SQLite and
# PostgreSQL passes side by side.
REDIS_URL = f"redis://127.0.0.1:6379/{14 if os.environ.get('DATABASE_URL') else 15}"


@task()
def add(a: int, b: int) -> int:
    """A small task for the Redis test."""
    return a + b


@pytest.fixture
def queue(settings, tmp_path):
    """The database queue (not the tests' immediate default), and a data folder of the test's own."""
    settings.TASKS = DATABASE_QUEUE
    settings.DATA_DIR = tmp_path / "data"
    return tmp_path


def _database_url(tmp_path: Path) -> str:
    """The database the worker process uses: the file the test database is copied into, or the PostgreSQL
    test database itself."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'queue.db'}"
    db = connection.settings_dict
    login = quote(db["USER"] or "", safe="") + (
        f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    )
    return f"postgres://{login}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{quote(db['NAME'], safe='')}"


def _to_file(path: Path) -> None:
    if connection.vendor != "sqlite":
        return  # the worker sees what the test committed
    target = sqlite3.connect(path)
    connection.ensure_connection()
    connection.connection.backup(target)
    target.close()


def _from_file(path: Path) -> None:
    if connection.vendor != "sqlite":
        return
    source = sqlite3.connect(path)
    connection.ensure_connection()
    source.backup(connection.connection)
    source.close()


def _env(tmp_path: Path, **extra) -> dict:
    return {
        **os.environ,
        "SECRET_KEY": "test",
        "SAFERPLAN_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": _database_url(tmp_path),
        "TASKS_BACKEND": "database",
        **extra,
    }


def _query(path: Path, sql: str):
    """One row, as the worker has committed it (None while a SQLite worker holds the file locked)."""
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()
    try:
        with sqlite3.connect(path, timeout=5) as db:
            return db.execute(sql).fetchone()
    except sqlite3.OperationalError:  # the worker is writing
        return None


def _kill_worker_when(tmp_path: Path, sql, ready, timeout: float = 60) -> list:
    """Start a worker on the database, wait until `ready(row)` for the row `sql` gives (or a function, called
    with no argument, returns), SIGKILL the worker."""
    worker = subprocess.Popen(
        [str(SAFERPLAN), "db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1", "-v0"],
        env=_env(tmp_path),
        cwd=tmp_path,
    )
    seen = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and worker.poll() is None:
            row = sql() if callable(sql) else _query(tmp_path / "queue.db", sql)
            if row is not None:
                seen.append(row)
                if ready(row):
                    break
            time.sleep(0.02)
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    return seen


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_changes_nothing_and_the_import_can_be_retried(demo, users, queue):
    tmp_path = queue
    months = ["2016-01", "2016-02", "2016-03", "2016-04"]
    archive = tmp_path / "big.zip"
    write_archive(archive, months, rows_per_month=120_000)
    before = store.read_manifest()
    observations = Observation.objects.count()
    job = jobs.police_import_start(
        content=archive.read_bytes(),
        filename="big.zip",
        partnership=demo.partnership,
        user=users["analyst"],
    )
    assert job.status == "queued" and job.task_id and job.files_total == 43 * 4
    _to_file(tmp_path / "queue.db")

    seen = _kill_worker_when(
        tmp_path,
        f"SELECT status, files_done FROM police_policeimport WHERE id = {job.pk}",
        lambda row: row[0] == "running" and row[1] >= 2,
    )
    assert seen and seen[-1][0] == "running" and 2 <= seen[-1][1] < job.files_total, seen[-1:]

    _from_file(tmp_path / "queue.db")
    assert store.read_manifest() == before  # the police store as it was
    assert Observation.objects.count() == observations  # no derived figures written
    job.refresh_from_db()
    assert job.status == "running" and job.worker.startswith(socket.gethostname())
    assert jobs.recover_interrupted() == 1  # what the job's page does when it is next looked at
    job.refresh_from_db()
    assert job.status == "failed" and "worker running it stopped" in job.message
    assert "Nothing was changed" in job.message and jobs.can_retry(job)
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"

    jobs.police_import_retry(job=job, user=users["analyst"])
    jobs.wait_for_imports()  # a worker, in this process
    job.refresh_from_db()
    assert job.status == "done" and job.files_done == job.files_total and job.attempts == 2
    assert {p["month"] for p in store.parts("street")} >= set(months)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_publication_publishes_nothing_and_it_can_be_retried(demo, users, queue):
    tmp_path = queue
    report = report_services.draft_report(users["analyst"], demo, "board", {"quarter": "Q4 2015/16"})
    report = report_services.send_for_review(users["analyst"], report)
    publication = report_services.publish_request(users["board_member"], report)
    assert publication.status == "queued" and publication.task_id
    _to_file(tmp_path / "queue.db")

    seen = _kill_worker_when(
        tmp_path,
        f"SELECT status, steps_done FROM reports_publication WHERE id = {publication.pk}",
        lambda row: row[0] == "running" and row[1] >= 2,  # laid out, and rendering
    )
    assert seen and seen[-1][0] == "running" and seen[-1][1] >= 2, seen[-1:]

    _from_file(tmp_path / "queue.db")
    report.refresh_from_db()
    assert report.state == "in_review" and report.content is None and report.published_at is None
    assert not ReportFile.objects.filter(report=report).exists()
    assert report_services.recover_interrupted() == 1
    publication.refresh_from_db()
    assert publication.status == "failed" and "Nothing was published" in publication.message

    retry = report_services.publish_request(users["board_member"], report)  # the same button
    assert retry.pk != publication.pk and retry.status == "queued"
    jobs.wait_for_imports()  # runs whatever is queued, in this process
    retry.refresh_from_db()
    report.refresh_from_db()
    assert retry.status == "done" and report.state == "published" and report.files.count() == 4
    assert report.published_by == users["board_member"]
    assert Publication.objects.filter(report=report).count() == 2


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def test_a_task_runs_on_redis_under_an_rq_worker(settings, tmp_path):
    if not _redis_reachable():
        pytest.skip(f"no Redis answers at {REDIS[0]}:{REDIS[1]}")
    import django_rq

    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    redis = django_rq.get_connection("default")
    redis.flushdb()  # database 15 is this test's own
    result = add.enqueue(2, 3)
    assert result.status == "READY"
    env = {**_env(tmp_path, TASKS_BACKEND="rq", REDIS_URL=REDIS_URL), "PYTHONPATH": str(ROOT)}
    (tmp_path / "data").mkdir()
    done = subprocess.run(
        [str(SAFERPLAN), "rqworker", "--job-class", "django_tasks_rq.Job", "--burst", "default"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    result.refresh()
    assert result.status == "SUCCESSFUL", [e.traceback for e in result.errors] + [
        done.stderr.decode()[-1500:]
    ]
    assert result.return_value == 5
    redis.flushdb()


def test_the_queue_comes_from_the_environment():
    env = {**os.environ, "SECRET_KEY": "test", "DJANGO_SETTINGS_MODULE": "saferplan.config.settings"}
    code = "from django.conf import settings as s; print(s.TASKS['default']['BACKEND'])"
    out = {}
    for name, extra in {
        "default": {},
        "rq": {"TASKS_BACKEND": "rq", "REDIS_URL": "redis://example:6379/2"},
    }.items():
        environ = {k: v for k, v in {**env, **extra}.items() if not (k == "TASKS_BACKEND" and not extra)}
        out[name] = subprocess.run(
            [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True
        ).stdout.strip()
    assert out == {"default": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_data_return_saves_no_figure_and_the_import_can_be_retried(
    demo, users, queue, settings
):
    tmp_path = queue
    settings.SAFERPLAN_QUEUE_RETURNS_OVER = 100
    police = users["data_provider"].organisation
    content = large_return(120)  # 1,440 figures: some seconds of writing
    observations = Observation.objects.count()
    job = data_returns.data_return_submit(
        "big.csv", content, organisation=police, partnership=demo.partnership, user=users["data_provider"]
    )
    assert isinstance(job, DataReturnImport) and job.status == "queued" and job.rows_total == 1440
    _to_file(tmp_path / "queue.db")
    progress = (settings.DATA_DIR / job.upload).with_name("progress")

    def written():  # the figures written so far, in the worker's transaction: only it can see them
        text = progress.read_text() if progress.exists() else ""
        return (int(text),) if text.isdigit() else None

    seen = _kill_worker_when(tmp_path, written, lambda row: row[0] >= 300)
    assert seen and 300 <= seen[-1][0] < 1440, seen[-1:]

    _from_file(tmp_path / "queue.db")
    assert Observation.objects.count() == observations  # none of the figures written part-way
    assert not DataReturn.objects.filter(filename="big.csv").exists()
    job.refresh_from_db()
    assert job.status == "running" and job.worker.startswith(socket.gethostname())
    assert data_returns.with_progress(job).rows_done >= 300  # what the page showed when the worker died
    assert data_returns.recover_interrupted() == 1  # what the job's page does when it is next looked at
    job.refresh_from_db()
    assert job.status == "failed" and "worker running it stopped" in job.message
    assert "no figure from this return was saved" in job.message and data_returns.can_retry(job)
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"

    data_returns.data_return_import_retry(job=job, user=users["data_provider"])
    jobs.wait_for_imports()  # a worker, in this process
    job.refresh_from_db()
    assert job.status == "done" and job.rows_done == 1440 and job.attempts == 2
    assert Observation.objects.count() == observations + 1440
    assert job.data_return.rows_created == 1440 and job.data_return.created_by == users["data_provider"]
