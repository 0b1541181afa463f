"""Build and render the full demo Board report in each format (goals: HTML < 1 s, Word < 3 s, PDF < 5 s).

Run: `make benchmark` (or SECRET_KEY=x .venv/bin/python benchmarks/reports.py). Fresh SQLite database with the demo;
each figure is the best of 3 runs of building the report from the data and rendering it.
"""

import os
import platform
import sys
import tempfile
import time

os.environ["SAFERPLAN_DATA_DIR"] = tempfile.mkdtemp(prefix="saferplan-bench-")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ["DJANGO_SETTINGS_MODULE"] = "saferplan.config.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402

from saferplan.indicators.periods import parse  # noqa: E402
from saferplan.plans.models import Plan  # noqa: E402
from saferplan.reports import render  # noqa: E402
from saferplan.reports.board import board_report  # noqa: E402


def best(fn, runs=3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0)
    plan = Plan.objects.get(slug="sdp-2016-19")
    quarter = parse("Q4 2015/16")
    build = best(lambda: board_report(plan, quarter))
    html = best(lambda: render_to_string("web/report_print.html", {"report": board_report(plan, quarter)}))
    word = best(lambda: render.to_docx(board_report(plan, quarter)))
    pdf = best(lambda: render.to_pdf(board_report(plan, quarter)))
    xlsx = best(lambda: render.to_xlsx(board_report(plan, quarter)))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, SQLite")
    print(f"build the report from the data: {build:.3f} s (included in each figure below)")
    print(
        f"HTML: {html:.3f} s (goal < 1 s)  Word: {word:.3f} s (goal < 3 s)  PDF: {pdf:.3f} s (goal < 5 s)  "
        f"XLSX: {xlsx:.3f} s"
    )


if __name__ == "__main__":
    main()
