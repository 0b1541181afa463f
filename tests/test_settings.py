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


def settings_json(names: list[str], **env) -> dict:
    """The named settings as the environment makes them (settings are read once, at import)."""
    import json

    code = f"import json; print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}))"
    result = run(code, **{"SECRET_KEY": "k", **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


HTTPS = [
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
]


def test_secure_cookies_turn_on_https_redirect_and_hsts():
    assert settings_json(HTTPS) == {name: 0 if name == "SECURE_HSTS_SECONDS" else False for name in HTTPS}
    assert settings_json(HTTPS, SECURE_COOKIES="1") == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 60 * 60,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,  # only when asked: it cannot quickly be undone
    }
    asked = settings_json(HTTPS, SECURE_COOKIES="1", SECURE_HSTS_PRELOAD="1", SECURE_SSL_REDIRECT="0")
    assert asked["SECURE_HSTS_PRELOAD"] is True and asked["SECURE_SSL_REDIRECT"] is False


PROXY = ["SECURE_PROXY_SSL_HEADER", "CSRF_TRUSTED_ORIGINS", "ALLOWED_HOSTS", "TRUSTED_PROXY_COUNT"]


def test_proxy_origins_and_hosts_come_from_the_environment():
    assert settings_json(PROXY) == {
        "SECURE_PROXY_SSL_HEADER": None,
        "CSRF_TRUSTED_ORIGINS": [],
        "ALLOWED_HOSTS": ["localhost", "127.0.0.1", "[::1]", "testserver"],
        "TRUSTED_PROXY_COUNT": 0,
    }
    assert settings_json(
        PROXY,
        TRUSTED_PROXY_HEADER="HTTP_X_FORWARDED_PROTO",
        TRUSTED_PROXY_COUNT="1",
        CSRF_TRUSTED_ORIGINS="https://saferplan.example.org, https://csp.example.org",
        ALLOWED_HOSTS="saferplan.example.org,csp.example.org",
    ) == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "CSRF_TRUSTED_ORIGINS": ["https://saferplan.example.org", "https://csp.example.org"],
        "ALLOWED_HOSTS": ["saferplan.example.org", "csp.example.org"],
        "TRUSTED_PROXY_COUNT": 1,
    }


def test_sign_in_lockout_keys_on_username_and_the_clients_own_address():
    found = settings_json(["AXES_LOCKOUT_PARAMETERS", "AXES_CLIENT_IP_CALLABLE"])
    assert found == {
        "AXES_LOCKOUT_PARAMETERS": [["username", "ip_address"]],
        "AXES_CLIENT_IP_CALLABLE": "saferplan.config.security.client_ip",
    }


SESSIONS = ["SESSION_COOKIE_AGE", "SESSION_IDLE_TIMEOUT", "SESSION_EXPIRE_AT_BROWSER_CLOSE"]


def test_sessions_last_eight_hours_at_most_and_thirty_minutes_idle():
    assert settings_json(SESSIONS) == {
        "SESSION_COOKIE_AGE": 8 * 60 * 60,
        "SESSION_IDLE_TIMEOUT": 30 * 60,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
    }
    assert settings_json(SESSIONS, SESSION_COOKIE_AGE="3600", SESSION_IDLE_TIMEOUT="600") == {
        "SESSION_COOKIE_AGE": 3600,
        "SESSION_IDLE_TIMEOUT": 600,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
    }
    bad = run("print(s.SESSION_IDLE_TIMEOUT)", SECRET_KEY="k", SESSION_IDLE_TIMEOUT="half an hour")
    assert bad.returncode != 0 and "SESSION_IDLE_TIMEOUT must be a whole number" in bad.stderr


LIMITS = [
    "REPORT_RENDERS_PER_MINUTE",
    "MAX_REQUEST_BODY_BYTES",
    "DATA_UPLOAD_MAX_MEMORY_SIZE",
    "FILE_UPLOAD_MAX_MEMORY_SIZE",
    "PASSWORD_RESET_TIMEOUT",
    "EMAIL_BACKEND",
]


def test_limits_and_email_come_from_the_environment():
    assert settings_json(LIMITS) == {
        "REPORT_RENDERS_PER_MINUTE": 10,
        "MAX_REQUEST_BODY_BYTES": 210 * 1024 * 1024,
        "DATA_UPLOAD_MAX_MEMORY_SIZE": 2_621_440,
        "FILE_UPLOAD_MAX_MEMORY_SIZE": 2_621_440,
        "PASSWORD_RESET_TIMEOUT": 3600,
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    found = settings_json(LIMITS, REPORT_RENDERS_PER_MINUTE="3", MAX_REQUEST_BODY_MB="50")
    assert (found["REPORT_RENDERS_PER_MINUTE"], found["MAX_REQUEST_BODY_BYTES"]) == (3, 50 * 1024 * 1024)


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    import secrets

    # Only what a production server has: the test run's own variables (DJANGO_ALLOW_ASYNC_UNSAFE) stay out.
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "PYTHONPATH", "HOME", "LANG", "TMPDIR"}}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(64),
        DEBUG="0",
        SECURE_COOKIES="1",
        ALLOWED_HOSTS="saferplan.example.org",
        SAFERPLAN_DATA_DIR=str(tmp_path),
    )
    saferplan = os.path.join(os.path.dirname(sys.executable), "saferplan")
    result = subprocess.run(
        [saferplan, "check", "--deploy", "--fail-level", "DEBUG"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr
