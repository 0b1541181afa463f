"""Settings come from the environment only."""

import os
import subprocess
import sys


def run(code: str, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='saferplan.config.settings';"
            "django.setup(); from django.conf import settings as s;" + code,
        ],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_secret_key_is_required():
    result = run("print(s.SECRET_KEY)")
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr


def test_defaults_and_environment(tmp_path):
    result = run(
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.DATA_DIR)",
        SECRET_KEY="k",
        SAFERPLAN_DATA_DIR=str(tmp_path),
    )
    assert result.stdout.split() == [
        "False",
        "django.db.backends.sqlite3",
        str(tmp_path / "saferplan.sqlite3"),
        str(tmp_path),
    ]
    result = run(
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'])",
        SECRET_KEY="k",
        DEBUG="1",
        DATABASE_URL="postgres://u@127.0.0.1:5432/x",
    )
    assert result.stdout.split() == ["True", "django.db.backends.postgresql"]


def test_cli_generates_a_development_secret_key_under_the_data_dir(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["SAFERPLAN_DATA_DIR"] = str(tmp_path)
    saferplan = os.path.join(os.path.dirname(sys.executable), "saferplan")
    result = subprocess.run([saferplan, "check"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50 and oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
