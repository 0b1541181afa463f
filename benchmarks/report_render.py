"""Time the full demo Board report, built from the data and rendered, as HTML, Word and PDF (goals: HTML < 1 s,
Word < 3 s, PDF < 5 s on a quiet machine), with the pagination and document properties of issue 17.

Run: SECRET_KEY=x .venv/bin/python benchmarks/report_render.py [--profile]. Fresh SQLite database with the demo;
each figure is the median of 5 runs of reports.selectors.build_document and reports.render.render. With
--profile, the ten functions taking the most cumulative time in one PDF and one Word render (cProfile).
"""

import cProfile
import os
import platform
import pstats
import statistics
import sys
import time

from _common import setup_django

setup_django()

from django.core.management import call_command  # noqa: E402

from saferplan.plans.models import Plan  # noqa: E402
from saferplan.reports import render  # noqa: E402
from saferplan.reports.selectors import build_document  # noqa: E402

BOARD = {"quarter": "2015-16-Q4"}
RUNS = 5
GOALS = {"html": 1.0, "docx": 3.0, "pdf": 5.0}


def median(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0)
    plan = Plan.objects.get(slug="sdp-2016-19")
    document = build_document(plan, "board", BOARD)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, SQLite")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    build = median(lambda: build_document(plan, "board", BOARD))
    print(f"build the Board report from the data: {build:.3f} s (median of {RUNS}, included below)")
    for fmt, goal in GOALS.items():
        took = median(lambda fmt=fmt: render.render(build_document(plan, "board", BOARD), fmt))
        verdict = "met" if took < goal else "MISSED"
        print(f"{fmt}: {took:.3f} s median of {RUNS} (goal < {goal:.0f} s: {verdict})")
    charts = sum(1 for block in document.blocks if block.kind == "chart")
    print(f"{len(document.blocks)} blocks, {charts} charts; load average at end: {os.getloadavg()[0]:.2f}")
    if "--profile" in sys.argv:
        for fmt in ("docx", "pdf"):
            profile = cProfile.Profile()
            profile.runcall(render.render, document, fmt)
            print(f"--- {fmt}")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(10)


if __name__ == "__main__":
    main()
