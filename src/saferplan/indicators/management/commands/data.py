from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saferplan.accounts.models import Organisation, User
from saferplan.areas.models import Area
from saferplan.core.commands import read_input
from saferplan.core.importing import DocumentError
from saferplan.indicators import data_returns
from saferplan.plans import selectors


class Command(BaseCommand):
    help = "Data returns: import a completed return, or write the template of figures due."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Check a return (CSV or XLSX) whole, then record its figures.")
        imp.add_argument("file")
        imp.add_argument("--organisation", required=True, help="slug of the organisation sending the return")
        imp.add_argument("--user", help="username recorded as having sent it")
        imp.add_argument("--plan", help="plan slug (default: the current plan)")
        imp.add_argument(
            "--confirm-unusual",
            action="store_true",
            help="confirm the figures far outside their series (refused without it)",
        )
        tpl = sub.add_parser("template", help="Write the return template listing the figures due.")
        tpl.add_argument("--organisation", required=True)
        tpl.add_argument("--output", required=True, help="FILE.csv or FILE.xlsx")
        tpl.add_argument("--plan")

    def _context(self, options):
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with the slug {options['organisation']!r}.")
        plan = selectors.plan_get(slug=options.get("plan"))
        if plan is None:
            raise CommandError("There is no plan: load one first (saferplan plan import, or saferplan demo).")
        return organisation, plan

    def handle(self, *args, **options):
        organisation, plan = self._context(options)
        if options["action"] == "template":
            area = Area.objects.filter(partnership=plan.partnership, kind=Area.Kind.PARTNERSHIP).first()
            if area is None:
                raise CommandError(f"{plan.partnership} has no partnership area defined.")
            rows = data_returns.template_rows(organisation=organisation, plan=plan, area=area)
            output = Path(options["output"])
            if output.suffix.lower() == ".xlsx":
                output.write_bytes(data_returns.template_xlsx(rows, organisation=organisation))
            elif output.suffix.lower() == ".csv":
                output.write_bytes(data_returns.template_csv(rows))
            else:
                raise CommandError("--output must end in .csv or .xlsx")
            self.stdout.write(f"Wrote {len(rows) - 1} figures due to {output}.")
            return
        path, content = read_input(options["file"])
        user = None
        if options.get("user"):
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']!r}.")
        try:
            accepted = data_returns.import_data_return(
                str(path),
                content,
                organisation=organisation,
                partnership=plan.partnership,
                user=user,
                confirm_unusual=options["confirm_unusual"],
            )
        except DocumentError as exc:
            raise CommandError(f"{exc.summary()}\n{exc.report()}") from None
        self.stdout.write(f"Return accepted from {organisation}: {accepted.summary}.")
