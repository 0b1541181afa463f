"""`saferplan boundaries FILE.geojson`: load the partnership's area boundaries for the police map."""

from django.core.management.base import BaseCommand, CommandError

from saferplan.core.commands import read_input
from saferplan.core.importing import DocumentError
from saferplan.plans import selectors


class Command(BaseCommand):
    help = (
        "Load area boundaries for the police map from a GeoJSON FeatureCollection of named Polygon or "
        "MultiPolygon features (longitude and latitude); replaces the boundaries loaded before."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        from saferplan.police import geo

        path, content = read_input(options["file"])
        plan = selectors.plan_get()
        if plan is None:
            raise CommandError("There is no plan yet, so no partnership to load boundaries for.")
        try:
            count = geo.import_boundaries(str(path), content, partnership=plan.partnership)
        except DocumentError as exc:
            raise CommandError(f"{exc.summary()}\n{exc.report()}") from None
        self.stdout.write(f"Loaded {count} area boundar{'y' if count == 1 else 'ies'} from {path}.")
