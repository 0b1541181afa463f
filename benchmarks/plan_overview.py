"""Plan overview render time for the demo plan (goal: under 200 ms).

Run: `make benchmark` (or SECRET_KEY=x .venv/bin/python benchmarks/plan_overview.py).
Builds a fresh SQLite database in a temporary SAFERPLAN_DATA_DIR, loads the demo, signs in as a Board member
and times full requests through Django's test client (middleware, sessions, templates, queries), against a
baseline in the same run: the sign-in page, which renders the same layout with no plan data.
"""

import os
import platform
import statistics
import sys
import time

from _common import setup_django

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from saferplan.accounts.models import User  # noqa: E402

RUNS = 30


def timed(client: Client, url: str) -> list[float]:
    client.get(url)  # warm caches (templates, first query plans)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return times


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0)
    client = Client()
    baseline = timed(client, "/sign-in/")
    client.force_login(User.objects.create_user("bench", role=User.Role.BOARD_MEMBER))
    overview = timed(client, "/plans/sdp-2016-19/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/plans/sdp-2016-19/")
    median_overview = statistics.median(overview) * 1000
    median_baseline = statistics.median(baseline) * 1000
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, SQLite")
    print(f"runs: {RUNS} each, after one warm-up request")
    print(f"sign-in page (baseline): median {median_baseline:.1f} ms")
    print(
        f"plan overview (demo):    median {median_overview:.1f} ms, p90 "
        f"{sorted(overview)[int(RUNS * 0.9) - 1] * 1000:.1f} ms, {len(ctx.captured_queries)} queries"
    )
    print(f"ratio overview/baseline: {median_overview / median_baseline:.1f}x")
    print("goal: overview under 200 ms:", "met" if median_overview < 200 else "NOT met")


if __name__ == "__main__":
    main()
