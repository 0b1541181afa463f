from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from saferplan.accounts.models import User
from saferplan.core.formatting import long_date
from saferplan.plans import selectors as plan_selectors
from saferplan.reports import render
from saferplan.reports.models import Report
from saferplan.reports.partnership_update import DEFAULT_COMMITTEE
from saferplan.reports.selectors import build_document


class Command(BaseCommand):
    help = (
        "Draft the scrutiny committee's Partnership update from the Board's meetings, as a report to review "
        "and publish on the report pages; optionally write it to a file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--meeting-date", required=True, help="the committee's meeting, e.g. 2016-02-15: the paper's date"
        )
        parser.add_argument("--committee", help=f'the committee; "{DEFAULT_COMMITTEE}" if left out')
        parser.add_argument(
            "--from",
            dest="date_from",
            help="the first day of the Board meetings covered, e.g. 2015-11-01 (the day after the previous "
            "published update's meeting if left out, else six months before)",
        )
        parser.add_argument(
            "--to",
            dest="date_to",
            help="the last day of the Board meetings covered (the day before the meeting)",
        )
        parser.add_argument(
            "--user", required=True, help="the username of the analyst or administrator drafting it"
        )
        parser.add_argument("--plan", help="the plan's slug (the current plan if left out)")
        parser.add_argument("--output", help="also write the draft to this file")
        parser.add_argument("--format", choices=list(render.FORMATS), default="docx")

    def handle(self, *args, **options):
        from saferplan.reports import services  # with the police task helpers (Polars): not at start-up

        plan = plan_selectors.plan_get(slug=options.get("plan"))
        if plan is None:
            raise CommandError("There is no plan: load one first.")
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}.")
        raw = {k: options.get(k) for k in ("committee", "meeting_date", "date_from", "date_to")}
        try:
            report = services.draft_report(user, plan, Report.Kind.PARTNERSHIP_UPDATE, raw)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        except PermissionDenied:
            raise CommandError(
                f"{user.username} may not draft reports (analysts and administrators may)."
            ) from None
        p = report.parameters
        self.stdout.write(
            f"Drafted report {report.pk}: {report.title} for the {p['committee']}, "
            f"{long_date(date.fromisoformat(p['meeting_date']))} (Board meetings from "
            f"{long_date(date.fromisoformat(p['date_from']))} to {long_date(date.fromisoformat(p['date_to']))})."
        )
        if options.get("output"):
            document = build_document(plan, report.kind, report.parameters)
            Path(options["output"]).write_bytes(render.render(document, options["format"]))
            self.stdout.write(f"Wrote it to {options['output']}.")
