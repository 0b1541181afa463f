"""Build and render the full demo Board report in each format (goals: HTML < 1 s, Word < 3 s, PDF < 5 s).

Run: `make benchmark` (or SECRET_KEY=x .venv/bin/python benchmarks/reports.py). Fresh SQLite database with the demo;
each figure is the best of 5 runs of building the report from the data (reports.selectors.build_document)
and rendering it (reports.render), charts included.
"""

import os
import platform
import sys

from _common import best, setup_django

setup_django()

from django.core.management import call_command  # noqa: E402

from saferplan.plans.models import Plan  # noqa: E402
from saferplan.reports import render  # noqa: E402
from saferplan.reports.document import Document, Paragraph  # noqa: E402
from saferplan.reports.selectors import build_document  # noqa: E402

BOARD = {"quarter": "2015-16-Q4"}
RUNS = 5


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0)
    plan = Plan.objects.get(slug="sdp-2016-19")
    build = best(lambda: build_document(plan, "board", BOARD), RUNS)

    def made(fmt: str) -> float:
        return best(lambda: render.render(build_document(plan, "board", BOARD), fmt), RUNS)

    html, word, pdf, xlsx = made("html"), made("docx"), made("pdf"), made("xlsx")
    # Baseline in the same run: a one-paragraph document in each format (each renderer's fixed cost).
    minimal = Document("Baseline", blocks=[Paragraph("One paragraph.")])
    base = {
        fmt: best(lambda fmt=fmt: render.render(minimal, fmt), RUNS)
        for fmt in ("html", "docx", "pdf", "xlsx")
    }
    charts = sum(1 for b in build_document(plan, "board", BOARD).blocks if b.kind == "chart")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, SQLite")
    print(f"build the report from the data: {build:.3f} s (included in each figure below); {charts} charts")
    print(
        f"HTML: {html:.3f} s (goal < 1 s)  Word: {word:.3f} s (goal < 3 s)  PDF: {pdf:.3f} s (goal < 5 s)  "
        f"XLSX: {xlsx:.3f} s"
    )
    print(
        "baseline (one paragraph): "
        + "  ".join(f"{fmt}: {t:.3f} s" for fmt, t in base.items())
        + f"; ratios: HTML {html / base['html']:.0f}×, Word {word / base['docx']:.0f}×, "
        f"PDF {pdf / base['pdf']:.0f}×, XLSX {xlsx / base['xlsx']:.0f}×"
    )


if __name__ == "__main__":
    main()
