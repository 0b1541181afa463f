from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saferplan.areas.lookups import import_lookup, set_lsoas
from saferplan.areas.models import Area
from saferplan.areas.populations import import_populations
from saferplan.core.commands import read_input
from saferplan.core.importing import DocumentError


class Command(BaseCommand):
    help = "Areas and populations."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        pop = sub.add_parser(
            "import-population", help="Load mid-year populations (area code, area name, year, population)."
        )
        pop.add_argument("file")
        pop.add_argument("--source", default="ONS mid-year estimates")
        lookup = sub.add_parser(
            "import-lookup",
            help="Give areas whose code is a local authority their LSOAs, from "
            "an ONS LSOA-to-local-authority lookup CSV.",
        )
        lookup.add_argument("file")
        lookup.add_argument("--area", action="append", help="only this area code (repeat for several)")
        lsoas = sub.add_parser(
            "set-lsoas", help="Define an area by a list of LSOA codes (arguments or a file)."
        )
        lsoas.add_argument("area", help="area code")
        lsoas.add_argument("codes", nargs="*", help="LSOA codes")
        lsoas.add_argument("--file", help="a text file with one LSOA code a line")
        prefix = sub.add_parser(
            "set-prefix", help='Define an area by the start of police.uk LSOA names, e.g. "County Durham ".'
        )
        prefix.add_argument("area")
        prefix.add_argument("prefix")

    def handle(self, *args, **options):
        if options["action"] == "import-lookup":
            return self.do_lookup(options)
        if options["action"] in ("set-lsoas", "set-prefix"):
            area = Area.objects.filter(code=options["area"]).first()
            if area is None:
                raise CommandError(f"No area with the code {options['area']!r}.")
            if options["action"] == "set-prefix":
                area.lsoa_name_prefix = options["prefix"]
                area.save()
                self.stdout.write(f"{area.name}: LSOAs whose name starts with {options['prefix']!r}.")
                return None
            codes = list(options["codes"])
            if options.get("file"):
                codes += [
                    line.strip() for line in Path(options["file"]).read_text().splitlines() if line.strip()
                ]
            try:
                set_lsoas(area, codes)
            except DocumentError as exc:
                raise CommandError(exc.report()) from None
            self.stdout.write(f"{area.name}: {len(area.lsoa_codes)} LSOAs.")
            return None
        path, content = read_input(options["file"])
        try:
            count = import_populations(str(path), content, source=options["source"])
        except DocumentError as exc:
            raise CommandError(f"{exc.summary()}\n{exc.report()}") from None
        self.stdout.write(f"Loaded {count} populations.")
        return None

    def do_lookup(self, options):
        path, content = read_input(options["file"])
        try:
            done = import_lookup(
                str(path), content, only=set(options["area"]) if options.get("area") else None
            )
        except DocumentError as exc:
            raise CommandError(f"{exc.summary()}\n{exc.report()}") from None
        if not done:
            self.stdout.write("No area's code is a local authority in the lookup: nothing changed.")
        for code, count in sorted(done.items()):
            self.stdout.write(f"{code}: {count} LSOAs.")
