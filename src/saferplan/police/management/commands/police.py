import json
import sys

from django.core.management.base import BaseCommand, CommandError

from saferplan.areas.models import Area
from saferplan.core.exports import csv_write
from saferplan.core.importing import DocumentError
from saferplan.plans import selectors
from saferplan.police import ingest, services, summary

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


def month_arg(value: str) -> str:
    import re

    if not re.match(MONTH, value or ""):
        raise CommandError(f"{value!r} is not a month: expected YYYY-MM, e.g. 2016-03")
    return value


class Command(BaseCommand):
    help = "Police open data (data.police.uk): import archives, summarise counts, find top locations."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import archive zips, folders or CSV files.")
        imp.add_argument("paths", nargs="+")
        imp.add_argument("--force", action="append", help="only this force (repeat for several)")
        imp.add_argument("--from", dest="start", help="first month, YYYY-MM")
        imp.add_argument("--to", dest="end", help="last month, YYYY-MM")
        imp.add_argument("--no-progress", action="store_true")
        summ = sub.add_parser("summary", help="Counts by crime type, ASB included, with the total of crimes.")
        summ.add_argument("--month", required=True)
        summ.add_argument("--to")
        summ.add_argument("--area", help="area name or code (default: every row)")
        summ.add_argument("--format", choices=["table", "json", "csv"], default="table")
        top = sub.add_parser("top", help="Top locations and LSOAs for a crime type and period.")
        top.add_argument("--month", required=True)
        top.add_argument("--to")
        top.add_argument("--area")
        top.add_argument("--crime-type")
        top.add_argument("--limit", type=int, default=10)

    def handle(self, *args, **options):
        getattr(self, f"do_{options['action']}")(options)

    def _area(self, name):
        if not name:
            return None
        area = Area.objects.filter(code=name).first() or Area.objects.filter(name__iexact=name).first()
        if area is None:
            raise CommandError(f"No area called {name!r}.")
        if not area.has_lsoas:
            raise CommandError(f"{area.name} has no LSOAs defined (codes, a lookup or a name prefix).")
        return area

    def do_import(self, options):
        start = month_arg(options["start"]) if options.get("start") else None
        end = month_arg(options["end"]) if options.get("end") else None
        show = not options["no_progress"]

        def progress(result, total):
            if show:
                rate = result.rows / result.seconds if result.seconds else 0
                sys.stderr.write(
                    f"\rfiles {result.files}/{total} · rows {result.rows:,} · {rate:,.0f} rows/s   "
                )
                sys.stderr.flush()

        try:
            files = ingest.select(
                ingest.discover(options["paths"]), forces=options.get("force"), start=start, end=end
            )
            if not files:
                raise CommandError("No data.police.uk files match.")
            plan = selectors.plan_get()
            result, derived = services.police_import(
                files, partnership=plan.partnership if plan else None, progress=progress
            )
        except DocumentError as exc:
            if show:
                sys.stderr.write("\n")
            raise CommandError(
                f"{len(exc.problems)} problem(s); nothing was changed.\n{exc.report()}"
            ) from None
        if show:
            sys.stderr.write("\n")
        self.stdout.write(
            f"Imported {result.files} files, {result.rows:,} street rows ({', '.join(sorted(result.forces))}; "
            f"{min(result.months)} to {max(result.months)}) in {result.seconds:.1f} s."
        )
        if derived is not None:
            self.stdout.write(
                f"Police open data observations: {derived['created']} new, {derived['revised']} "
                f"revised, {derived['unchanged']} unchanged."
            )

    def do_summary(self, options):
        months = (month_arg(options["month"]), month_arg(options.get("to") or options["month"]))
        area = self._area(options.get("area"))
        counts = summary.counts_by_crime_type(months, area)
        fmt = options["format"]
        if fmt == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "from": months[0],
                        "to": months[1],
                        "area": area.name if area else None,
                        "counts": dict(counts["rows"]),
                        "crimes_excluding_asb": counts["crimes"],
                        "anti_social_behaviour": counts["asb"],
                        "all_rows": counts["all"],
                    },
                    indent=2,
                )
            )
        elif fmt == "csv":
            csv_write(
                self.stdout,
                [
                    ["crime type", "count"],
                    *counts["rows"],
                    ["Total crimes (excluding anti-social behaviour)", counts["crimes"]],
                ],
            )
        else:
            width = max(len(c) for c, _ in counts["rows"]) + 2
            title = f"{area.name if area else 'All areas'}, {months[0]}" + (
                f" to {months[1]}" if months[1] != months[0] else ""
            )
            self.stdout.write(title)
            for crime_type, n in counts["rows"]:
                self.stdout.write(f"{crime_type:<{width}}{n:>9,}")
            self.stdout.write(f"{'Total crimes (excluding ASB)':<{width}}{counts['crimes']:>9,}")

    def do_top(self, options):
        months = (month_arg(options["month"]), month_arg(options.get("to") or options["month"]))
        area = self._area(options.get("area"))
        for by, title in (("Location", "Top locations"), ("LSOA name", "Top LSOAs")):
            self.stdout.write(f"{title} ({options.get('crime_type') or 'all types'}):")
            for name, n in summary.top(
                months, by=by, crime_type=options.get("crime_type"), area=area, limit=options["limit"]
            ):
                self.stdout.write(f"  {n:>6,}  {name}")
