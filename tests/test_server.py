"""The production server (issue 16, item 1): gunicorn + WhiteNoise, /healthz, access logs, `make run`."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import OperationalError

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _serve(tmp_path: Path, **extra: str):
    """gunicorn on a free port against a migrated SQLite file under tmp_path; yields (base URL, process)."""
    env = {
        **os.environ,
        "SAFERPLAN_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "test-secret-key-not-for-production",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'server.sqlite3'}",
        "WEB_WORKERS": "1",
        "WEB_THREADS": "2",
        "WEB_TIMEOUT": "20",
        **extra,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    port = _free_port()
    env["BIND"] = f"127.0.0.1:{port}"
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--config", "python:saferplan.config.gunicorn"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {process.stderr.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise AssertionError("gunicorn did not start in 20 s")
    return base, process


def _stop(process: subprocess.Popen) -> tuple[str, str]:
    process.terminate()
    try:
        return process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("server")
    env = {
        **os.environ,
        "SAFERPLAN_DATA_DIR": str(data),
        "SECRET_KEY": "test-secret-key-not-for-production",
        "DATABASE_URL": f"sqlite:///{data / 'server.sqlite3'}",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([str(BIN / "saferplan"), "migrate", "--noinput", "-v0"], env=env, check=True, timeout=120)
    return data


def test_gunicorn_serves_health_static_pages_and_json_access_log(migrated):
    base, process = _serve(migrated, LOG_FORMAT="json")
    try:
        status, headers, body = _get(f"{base}/healthz")
        assert status == 200 and json.loads(body) == {"status": "ok"}
        assert headers["Content-Type"] == "application/json"
        assert "no-cache" in headers["Cache-Control"] or "max-age=0" in headers["Cache-Control"]

        status, headers, body = _get(f"{base}/static/govuk-frontend-5.14.0/govuk-frontend.min.css")
        assert status == 200 and body.startswith(b"")
        assert "max-age=315360000" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]
        status, headers, _ = _get(f"{base}/static/saferplan/app.css")
        assert status == 200 and "max-age" in headers["Cache-Control"]

        status, _, body = _get(f"{base}/sign-in/")
        assert status == 200 and b"Sign in" in body
        status, _, _ = _get(f"{base}/performance/")  # anyone not signed in is sent to sign in
        assert status == 200  # urllib followed the redirect to the sign-in page
    finally:
        out, err = _stop(process)
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    health = [line for line in lines if line.get("path") == "/healthz"]
    assert health, out
    assert health[0]["logger"] == "gunicorn.access" and health[0]["status"] == 200
    assert health[0]["method"] == "GET" and isinstance(health[0]["duration_ms"], float)
    assert any(line.get("path") == "/sign-in/" and line["status"] == 200 for line in lines)
    assert any(line.get("status") == 302 for line in lines)
    # The error log is JSON too (gunicorn's start-up messages).
    errors = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert any(line["logger"] == "gunicorn.error" and "Listening at" in line["message"] for line in errors)


def test_plain_access_log_and_unreachable_database(migrated):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    base, process = _serve(
        migrated, DATABASE_URL=f"postgres://nobody@127.0.0.1:{closed}/none?connect_timeout=2", LOG_FORMAT=""
    )
    try:
        status, _, body = _get(f"{base}/healthz")
    finally:
        out, _ = _stop(process)
    assert status == 503
    answer = json.loads(body)
    assert answer["status"] == "unavailable" and "database" in answer["reason"]
    assert "nobody" not in answer["reason"]  # no connection details
    assert '"GET /healthz HTTP/1.1" 503' in out


def test_healthz_view_answers_from_select_1(monkeypatch, rf):
    from saferplan.web.views import health

    class Cursor:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql):
            assert sql == "SELECT 1"

        def fetchone(self):
            return (1,)

    class Up:
        def cursor(self):
            return Cursor()

    class Down:
        def cursor(self):
            raise OperationalError("connection to server at 10.0.0.1 failed: secret detail")

    monkeypatch.setattr(health, "connection", Up())
    response = health.healthz(rf.get("/healthz"))
    assert response.status_code == 200 and json.loads(response.content) == {"status": "ok"}
    assert health.healthz(rf.post("/healthz")).status_code == 405

    monkeypatch.setattr(health, "connection", Down())
    response = health.healthz(rf.get("/healthz"))
    answer = json.loads(response.content)
    assert response.status_code == 503 and answer["status"] == "unavailable"
    assert answer["reason"] == "database unreachable (OperationalError)"  # no addresses or details


def test_json_formatter_keeps_extra_fields_and_exceptions():
    import logging

    from saferplan.config.logging import JsonFormatter

    record = logging.LogRecord("saferplan.x", logging.ERROR, __file__, 1, "failed %s", ("import",), None)
    record.import_id = 7
    try:
        raise ValueError("bad row")
    except ValueError:
        record.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "failed import" and entry["level"] == "ERROR" and entry["import_id"] == 7
    assert "ValueError: bad row" in entry["exception"] and entry["time"].endswith("+00:00")


def test_make_run_serves_with_gunicorn_and_the_worker():
    dry = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=30
    ).stdout
    assert "saferplan demo --users" in dry and "scripts/serve.sh" in dry and "runserver" not in dry
    assert dry.index("demo --users") < dry.index("scripts/serve.sh")
    dev = subprocess.run(["make", "-n", "dev"], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout
    assert "runserver" in dev and "serve.sh" not in dev


FAKE = """#!/usr/bin/env bash
[ "$1" = help ] && {{ [ "$2" = db_worker ] && exit {help_status}; exit 0; }}
[ "$1" = reminders ] && {{ echo "ran $(basename "$0") $*" >> "$LOG"; exit 0; }}
echo "start $(basename "$0") $*" >> "$LOG"
sleep 30 &
trap 'echo "stop $(basename "$0")" >> "$LOG"; kill $!; exit 0' TERM INT
wait
"""


@pytest.mark.parametrize("worker_installed", [True, False])
def test_serve_script_starts_gunicorn_and_the_worker_and_stops_both(tmp_path, worker_installed):
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("gunicorn", "saferplan"):
        (bin_dir / name).write_text(FAKE.format(help_status=0 if worker_installed else 1))
        (bin_dir / name).chmod(0o755)
    log = tmp_path / "log"
    env = {**os.environ, "VENV": str(tmp_path / "venv"), "LOG": str(log), "SECRET_KEY": "x"}
    serve = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "serve.sh")], env=env, stderr=subprocess.PIPE, text=True
    )
    expected = 3 if worker_installed else 1
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (not log.exists() or len(log.read_text().splitlines()) < expected):
        time.sleep(0.05)
    serve.terminate()
    _, err = serve.communicate(timeout=10)
    lines = log.read_text().splitlines()
    assert "start gunicorn --config python:saferplan.config.gunicorn" in lines
    assert "stop gunicorn" in lines
    if worker_installed:
        assert "start saferplan db_worker --no-reload" in lines and "stop saferplan" in lines
        assert lines.index("ran saferplan reminders schedule") < lines.index(
            "start saferplan db_worker --no-reload"
        )
    else:
        assert not any("db_worker" in line for line in lines) and "no task worker" in err


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    import importlib

    from saferplan.config import gunicorn

    for name, value in {
        "WEB_WORKERS": "3",
        "WEB_THREADS": "5",
        "WEB_TIMEOUT": "17",
        "BIND": "0.0.0.0:9000",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LOG_FORMAT", "json")
    config = importlib.reload(gunicorn)
    assert (config.workers, config.threads, config.timeout, config.bind) == (3, 5, 17, ["0.0.0.0:9000"])
    assert config.accesslog == "-" and config.worker_class == "gthread"
    assert config.logconfig_dict["loggers"]["gunicorn.access"]["handlers"] == ["access"]
    assert config.logconfig_dict["root"]["handlers"] == ["error"]  # gunicorn needs a root handler
