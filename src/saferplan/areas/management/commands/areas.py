from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saferplan.areas.populations import import_populations
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

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot read the file ({exc.strerror})") from None
        try:
            count = import_populations(str(path), content, source=options["source"])
        except DocumentError as exc:
            raise CommandError(f"{exc.summary()}\n{exc.report()}") from None
        self.stdout.write(f"Loaded {count} populations.")
