import json

from django.core.management.base import BaseCommand, CommandError

from saferplan.indicators import periods
from saferplan.plans import selectors
from saferplan.reports.narrative import achievements


class Command(BaseCommand):
    help = "Reports from the command line."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True)
        ach = sub.add_parser("achievements", help="The progress and achievements narrative for a year.")
        ach.add_argument("--year", required=True, help="financial year, e.g. 2015/16")
        ach.add_argument("--format", choices=["text", "json"], default="text")
        ach.add_argument("--plan")
        board = sub.add_parser("board", help="The quarterly performance escalation report to the Board.")
        board.add_argument("--quarter", required=True, help='e.g. "Q4 2015/16"')
        board.add_argument("--format", choices=["docx", "pdf", "xlsx"], default="docx")
        board.add_argument("--output", required=True)
        board.add_argument("--plan")
        basket = sub.add_parser("basket", help="A basket report for its audience.")
        basket.add_argument("slug")
        basket.add_argument("--quarter", required=True)
        basket.add_argument("--format", choices=["docx", "pdf", "xlsx"], default="docx")
        basket.add_argument("--output", required=True)
        basket.add_argument("--plan")

    def handle(self, *args, **options):
        plan = selectors.plan_get(slug=options.get("plan"))
        if plan is None:
            raise CommandError("There is no plan: load one first.")
        if options["report"] in ("board", "basket"):
            return self.write_report(plan, options)
        try:
            year = periods.parse(options["year"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if year.kind != periods.Kind.FINANCIAL_YEAR:
            raise CommandError(f"{options['year']!r} is not a financial year: write it as 2015/16")
        paragraphs = achievements(plan, year.label)
        if options["format"] == "json":
            self.stdout.write(json.dumps([p.__dict__ for p in paragraphs], indent=2))
            return
        self.stdout.write(f"Progress and achievements, {year.label}\n")
        for p in paragraphs:
            self.stdout.write(f"{p.heading}\n{p.text}\n")

    def write_report(self, plan, options):
        from pathlib import Path

        from saferplan.plans.models import Basket
        from saferplan.reports import render
        from saferplan.reports.board import basket_report, board_report

        try:
            quarter = periods.parse(options["quarter"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if quarter.kind != periods.Kind.QUARTER:
            raise CommandError(f"{options['quarter']!r} is not a quarter: write it as Q4 2015/16")
        if options["report"] == "board":
            report = board_report(plan, quarter)
        else:
            basket = Basket.objects.filter(partnership=plan.partnership, slug=options["slug"]).first()
            if basket is None:
                raise CommandError(f"No basket {options['slug']!r}.")
            report = basket_report(basket, plan, quarter)
        content = {"docx": render.to_docx, "xlsx": render.to_xlsx, "pdf": render.to_pdf}[options["format"]](
            report
        )
        Path(options["output"]).write_bytes(content)
        self.stdout.write(f"Wrote {report.title} to {options['output']}.")
