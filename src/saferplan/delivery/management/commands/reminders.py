from django.core.management.base import BaseCommand, CommandError

from saferplan.delivery import reminders
from saferplan.plans import selectors


class Command(BaseCommand):
    help = "Email reminders: one digest per person; safe to run twice (cron-friendly)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help="Send the reminders due today.")
        send.add_argument(
            "--dry-run", action="store_true", help="say what would be sent; send and record nothing"
        )
        sub.add_parser(
            "schedule",
            help="Queue the next scheduled run if none is queued (the server does this when it starts).",
        )

    def handle(self, *args, **options):
        if options["action"] == "schedule":
            schedule = reminders.schedule_ensure()
            when = f"next run {schedule.next_run_at:%d %b %Y %H:%M}" if schedule.enabled else "off"
            self.stdout.write(f"Reminders schedule: {when}.")
            return
        plan = selectors.plan_get()
        if plan is None:
            raise CommandError("There is no plan: load one first.")
        emails, items = reminders.send(plan, dry_run=options["dry_run"])
        verb = "Would send" if options["dry_run"] else "Sent"
        self.stdout.write(
            f"{verb} {emails} email{'s' if emails != 1 else ''} ({items} reminder"
            f"{'s' if items != 1 else ''}) to {emails} {'person' if emails == 1 else 'people'}."
        )
