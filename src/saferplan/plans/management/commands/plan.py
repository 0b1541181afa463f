import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saferplan.plans import selectors
from saferplan.plans.plan_yaml import export_plan_text, import_plan_text
from saferplan.plans.schema import DocumentError


class Command(BaseCommand):
    help = "Import or export a partnership plan as YAML (format: docs/plan-format.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Load a plan file; an invalid file changes nothing.")
        imp.add_argument("file", help="path of the YAML file, or - for standard input")
        exp = sub.add_parser("export", help="Write a plan as YAML on standard output.")
        exp.add_argument("--plan", help="slug of the plan (default: the current plan)")

    def handle(self, *args, **options):
        if options["action"] == "import":
            self.do_import(options["file"])
        else:
            self.do_export(options["plan"])

    def do_import(self, file: str) -> None:
        if file == "-":
            text, name = sys.stdin.read(), "<stdin>"
        else:
            path = Path(file)
            try:
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                raise CommandError(f"{file}: no such file") from None
            except (UnicodeDecodeError, OSError) as exc:
                raise CommandError(f"{file}: cannot read the file: {exc}") from None
            name = file
        try:
            plan = import_plan_text(text, filename=name)
        except DocumentError as exc:
            raise CommandError(f"{exc.summary()}\n{exc.report()}") from None
        self.stdout.write(f"Imported {plan.title} ({plan.slug}).")

    def do_export(self, slug: str | None) -> None:
        plan = selectors.plan_get(slug=slug)
        if plan is None:
            raise CommandError(f"No plan with the slug {slug!r}." if slug else "There is no plan to export.")
        self.stdout.write(export_plan_text(plan), ending="")
