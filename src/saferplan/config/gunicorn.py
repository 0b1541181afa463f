"""gunicorn settings for `make run` / scripts/serve.sh, every value from an environment variable.

    gunicorn --config python:saferplan.config.gunicorn

BIND          address to listen on (default 127.0.0.1:8000; 0.0.0.0:8000 behind a proxy in a container)
WEB_WORKERS   worker processes (default: 2 per CPU, at least 2)
WEB_THREADS   threads per worker (default 4: a page waiting on the database does not hold a whole process)
WEB_TIMEOUT   seconds a request may take before its worker is restarted (default 60: report files render on
              request; bulk imports run in the task worker, not here)
WEB_MAX_REQUESTS  requests a worker serves before it is replaced, with jitter (default 2000; 0 = never)
WEB_GRACEFUL_TIMEOUT  seconds a stopping worker has to finish its requests (default 30)
LOG_FORMAT    json for one JSON object a line (access and error logs), as Django's logs (settings.LOGGING)
LOG_LEVEL     gunicorn's error log level (default info)

Why gunicorn: the application is WSGI (Django, no async views), and gunicorn is the mature pre-fork WSGI server
Django's deployment documentation lists first; a worker that crashes or hangs is replaced by the arbiter. An
ASGI server (uvicorn) would add nothing here.
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "saferplan.config.wsgi:application"
bind = os.environ.get("BIND", "127.0.0.1:8000").split(",")
workers = _int("WEB_WORKERS", max(2, 2 * (os.cpu_count() or 1)))
threads = _int("WEB_THREADS", 4)
worker_class = "gthread"
timeout = _int("WEB_TIMEOUT", 60)
graceful_timeout = _int("WEB_GRACEFUL_TIMEOUT", 30)
keepalive = 5
max_requests = _int("WEB_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
preload_app = True  # import Django once in the arbiter; workers fork ready to serve
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
control_socket_disable = True  # one fixed path per user would clash between servers on one machine

accesslog = "-"  # stdout
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# remote, user, time, request line, status, bytes, referer, user agent, duration in microseconds
access_log_format = '%(h)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)sus'

if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "saferplan.config.logging.JsonFormatter"}},
        "handlers": {
            "access": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
            "error": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
        },
        "loggers": {
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
            "gunicorn.error": {"handlers": ["error"], "level": loglevel.upper(), "propagate": False},
        },
        "root": {"handlers": ["error"], "level": "WARNING"},
    }
