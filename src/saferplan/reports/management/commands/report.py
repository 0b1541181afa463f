import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saferplan.plans import selectors as plan_selectors
from saferplan.reports import render
from saferplan.reports.models import Report
from saferplan.reports.narrative import achievements
from saferplan.reports.selectors import ParameterError, build_document, clean_parameters

FILE_FORMATS = list(render.FORMATS)


class Command(BaseCommand):
    help = "Reports from the command line, from today's data, in any format."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True)

        def report(name, help_text, formats=FILE_FORMATS, default="docx"):
            p = sub.add_parser(name, help=help_text)
            p.add_argument("--format", choices=formats, default=default)
            p.add_argument("--output", help="the file to write; required for docx, pdf and xlsx")
            p.add_argument("--plan", help="the plan's slug (the current plan if left out)")
            return p

        ach = report(
            "achievements",
            "The progress and achievements narrative for a year.",
            ["text", "json", *FILE_FORMATS],
            "text",
        )
        ach.add_argument("--year", required=True, help="financial year, e.g. 2015/16")
        board = report("board", "The quarterly performance escalation report to the Board.")
        basket = report("basket", "A basket report for its audience.")
        basket.add_argument("slug", help="the basket's slug, e.g. cabinet")
        for p in (board, basket):
            p.add_argument("--quarter", required=True, help='e.g. "Q4 2015/16"')
            p.add_argument(
                "--threshold",
                help="the change on the same period last year that counts, in %% (points for percentages); 5",
            )
            p.add_argument(
                "--no-benchmarks", action="store_true", help="do not judge against benchmark areas"
            )
        delivery = report("delivery", "The six-monthly delivery plan report.")
        delivery.add_argument("--as-of", required=True, help="e.g. 2017-09-30")
        delivery.add_argument(
            "--since", help="completed since, e.g. 2017-03-31 (six months before if left out)"
        )
        report("plan", "The partnership plan as the partnership publishes it.")

    def handle(self, *args, **options):
        plan = plan_selectors.plan_get(slug=options.get("plan"))
        if plan is None:
            raise CommandError("There is no plan: load one first.")
        kind = options["report"]
        fmt = options["format"]
        raw = {
            "quarter": options.get("quarter"),
            "basket": options.get("slug"),
            "as_of": options.get("as_of"),
            "since": options.get("since"),
            "year": options.get("year"),
            "threshold": options.get("threshold"),
            "benchmarks": "no" if options.get("no_benchmarks") else None,
        }
        try:
            parameters = clean_parameters(plan, Report.Kind(kind), raw)
        except ParameterError as exc:
            raise CommandError(str(exc)) from None
        if fmt in ("text", "json"):
            paragraphs = achievements(plan, parameters["year"])
            if fmt == "json":
                self.stdout.write(json.dumps([p.__dict__ for p in paragraphs], indent=2))
                return
            self.stdout.write(f"Progress and achievements, {parameters['year']}\n")
            for p in paragraphs:
                self.stdout.write(f"{p.heading}\n{p.text}\n")
            return
        if not options.get("output") and fmt != "html":
            raise CommandError(f"--output FILE is needed for {fmt}")
        document = build_document(plan, kind, parameters)
        content = render.render(document, fmt)
        if not options.get("output"):
            self.stdout.write(content.decode())
            return
        Path(options["output"]).write_bytes(content)
        self.stdout.write(f"Wrote {document.title} to {options['output']}.")
