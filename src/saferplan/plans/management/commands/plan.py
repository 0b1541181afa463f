import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saferplan.plans import selectors
from saferplan.plans.models import Objective, Outcome, StrategicAction
from saferplan.plans.plan_yaml import export_plan_text, import_plan_text
from saferplan.plans.refresh import RefreshError, diff_json, diff_text, plan_diff, plan_refresh
from saferplan.plans.schema import DocumentError


class Command(BaseCommand):
    help = (
        "Import or export a partnership plan as YAML (format: docs/plan-format.md); start next year's "
        "refresh of a plan; show the differences between two versions of a plan."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Load a plan file; an invalid file changes nothing.")
        imp.add_argument("file", help="path of the YAML file, or - for standard input")
        exp = sub.add_parser("export", help="Write a plan as YAML on standard output.")
        exp.add_argument("--plan", help="slug of the plan (default: the current plan)")
        ref = sub.add_parser(
            "refresh",
            help="Start next year's refresh: a new draft plan copying the objectives, outcomes and actions.",
        )
        ref.add_argument("--from", dest="from_slug", required=True, help="slug of the plan to refresh")
        ref.add_argument(
            "--slug", help="slug of the new plan (default: the years one later, e.g. sdp-2017-20)"
        )
        ref.add_argument("--title", help="title of the new plan (default: the years one later)")
        ref.add_argument("--period", help="period of the new plan as YYYY-YY (default: one year later)")
        diff = sub.add_parser("diff", help="Show what changed from one version of a plan to another.")
        diff.add_argument("old", help="slug of the earlier plan")
        diff.add_argument("new", help="slug of the later plan")
        diff.add_argument("--format", choices=("text", "json"), default="text", help="output format")

    def handle(self, *args, **options):
        if options["action"] == "import":
            self.do_import(options["file"])
        elif options["action"] == "export":
            self.do_export(options["plan"])
        elif options["action"] == "refresh":
            self.do_refresh(options["from_slug"], options["slug"], options["title"], options["period"])
        else:
            self.do_diff(options["old"], options["new"], options["format"])

    def do_import(self, file: str) -> None:
        if file == "-":
            text, name = sys.stdin.read(), "<stdin>"
        else:
            path = Path(file)
            try:
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                raise CommandError(f"{file}: no such file") from None
            except UnicodeDecodeError as exc:
                raise CommandError(
                    f"{path.name}: not UTF-8 text (byte {exc.start}); save the plan file as UTF-8"
                ) from None
            except OSError as exc:
                raise CommandError(f"{path.name}: cannot read the file ({exc.strerror})") from None
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

    def _plan(self, slug: str):
        plan = selectors.plan_get(slug=slug)
        if plan is None:
            raise CommandError(f"No plan with the slug {slug!r}.")
        return plan

    def do_refresh(self, from_slug: str, slug: str | None, title: str | None, period: str | None) -> None:
        previous = self._plan(from_slug)
        try:
            plan = plan_refresh(plan=previous, user=None, slug=slug, title=title, period=period)
        except RefreshError as exc:
            raise CommandError(f"--{exc.field}: {exc.message}") from None
        counts = (
            Objective.objects.filter(plan=plan).count(),
            Outcome.objects.filter(objective__plan=plan).count(),
            StrategicAction.objects.filter(outcome__objective__plan=plan).count(),
        )
        self.stdout.write(
            f"Started {plan.title} ({plan.slug}), period {plan.period}, a draft refreshed from "
            f"{previous.title} ({previous.slug}): {counts[0]} objectives, {counts[1]} outcomes and "
            f"{counts[2]} strategic actions copied, each linked to the one it carries on."
        )

    def do_diff(self, old: str, new: str, fmt: str) -> None:
        diff = plan_diff(self._plan(old), self._plan(new))
        self.stdout.write(diff_json(diff) if fmt == "json" else diff_text(diff), ending="")
