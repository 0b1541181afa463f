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

    def handle(self, *args, **options):
        plan = selectors.plan_get(slug=options.get("plan"))
        if plan is None:
            raise CommandError("There is no plan: load one first.")
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
