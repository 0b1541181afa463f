"""Delivery plan page and XLSX export for the demo (goals: page under 200 ms, export under 1 s).

Run: `make benchmark` (or SECRET_KEY=x .venv/bin/python benchmarks/delivery.py). Fresh SQLite database with the
demo; 20 requests each after a warm-up, through Django's test client, signed in as a Board member. Baseline in the
same run: the sign-in page.
"""

import os
import platform
import statistics
import sys
import time

from _common import setup_django

setup_django()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from saferplan.accounts.models import User  # noqa: E402
from saferplan.delivery.models import DetailedAction  # noqa: E402

RUNS = 20


def median_ms(client: Client, url: str) -> float:
    client.get(url)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, url
    return statistics.median(times) * 1000


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0)
    client = Client()
    baseline = median_ms(client, "/sign-in/")
    client.force_login(User.objects.create_user("bench", role=User.Role.BOARD_MEMBER))
    page = median_ms(client, "/delivery/")
    export = median_ms(client, "/delivery/export.xlsx")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, SQLite")
    print(f"demo delivery plan: {DetailedAction.objects.count()} detailed actions; {RUNS} runs each")
    print(f"sign-in page (baseline): median {baseline:.1f} ms")
    print(
        f"delivery plan page:      median {page:.1f} ms ({page / baseline:.1f}× baseline) goal < 200 ms:",
        "met" if page < 200 else "NOT met",
    )
    print(
        f"XLSX export:             median {export:.1f} ms ({export / baseline:.1f}× baseline) goal < 1,000 ms:",
        "met" if export < 1000 else "NOT met",
    )


if __name__ == "__main__":
    main()
