"""`saferplan casework_retention [--dry-run] [--today YYYY-MM-DD]`: delete or anonymise the casework records
whose retention period has passed, by each partnership's retention rules (saferplan.casework.services.retention).
Safe to run twice: the second run changes nothing and says so. Run it daily (cron or the task queue)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from saferplan.casework.services import retention


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today: expected a date as YYYY-MM-DD, got {text!r}") from None


class Command(BaseCommand):
    help = (
        "Delete or anonymise casework records (incidents, cases, case reviews, referrals, access-log entries) "
        "whose retention period has passed, as the retention rules say. Each is logged in the access log."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be done, and write nothing"
        )
        parser.add_argument("--today", help="run as if on this date (YYYY-MM-DD); default today")

    def handle(self, *args, **options):
        today = _day(options["today"]) if options.get("today") else date.today()
        report = retention.run(today=today, dry_run=options["dry_run"])
        head = "Dry run, nothing written" if report.dry_run else "Retention"
        self.stdout.write(f"{head}: as on {today:%-d %B %Y}, {len(report.outcomes)} rules")
        for line in report.lines():
            self.stdout.write(f"  {line}")
