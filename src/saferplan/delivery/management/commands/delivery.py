import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from openpyxl import load_workbook

from saferplan.core.commands import read_input
from saferplan.core.importing import DocumentError
from saferplan.delivery import spreadsheet
from saferplan.plans import selectors


class Command(BaseCommand):
    help = "The delivery plan as an XLSX workbook (layout: saferplan.delivery.spreadsheet)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        exp = sub.add_parser("export", help="Write the delivery plan to an XLSX file.")
        exp.add_argument("--output", required=True)
        exp.add_argument("--plan")
        imp = sub.add_parser("import", help="Check a delivery plan workbook whole, then apply it.")
        imp.add_argument("file")
        imp.add_argument("--plan")

    def handle(self, *args, **options):
        plan = selectors.plan_get(slug=options.get("plan"))
        if plan is None:
            raise CommandError("There is no plan: load one first.")
        if options["action"] == "export":
            content = spreadsheet.export_workbook(plan)
            Path(options["output"]).write_bytes(content)
            rows = load_workbook(io.BytesIO(content), read_only=True)[spreadsheet.SHEET].max_row - 1
            self.stdout.write(f"Wrote {rows} detailed actions to {options['output']}.")
            return
        path, content = read_input(options["file"])
        try:
            counts = spreadsheet.import_workbook(str(path), content, plan=plan)
        except DocumentError as exc:
            raise CommandError(f"{exc.summary()}\n{exc.report()}") from None
        self.stdout.write(
            f"{counts['created']} created, {counts['updated']} updated, "
            f"{counts['status changes']} status changes."
        )
