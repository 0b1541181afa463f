"""What every benchmark starts with: a fresh data folder and SQLite database, and Django set up; and the best
of several timed runs."""

import os
import tempfile
import time


def setup_django() -> None:
    os.environ["SAFERPLAN_DATA_DIR"] = tempfile.mkdtemp(prefix="saferplan-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "saferplan.config.settings"
    import django

    django.setup()


def best(fn, runs: int = 3) -> float:
    """The shortest of `runs` timed calls of fn, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)
