"""`saferplan backup --output FILE`: a consistent copy of the database and the data folder, while the
application runs (docs/deploy.md, saferplan.core.backup)."""

from django.core.management.base import BaseCommand, CommandError

from saferplan.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write one archive holding a consistent copy of the database (SQLite online backup, or pg_dump) and of "
        "the data folder (police store, evidence files). Safe while the application runs. The archive holds "
        "everything, password hashes included: keep it as securely as the server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="the backup file to write, e.g. saferplan.tar.gz")

    def handle(self, *args, **options):
        try:
            manifest = backup_write(options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["tables"].values())
        files = sum(1 for name in manifest["members"] if name.startswith("data/"))
        self.stdout.write(
            f"Wrote {options['output']}: {manifest['engine']} database, {len(manifest['tables'])} tables, "
            f"{rows} rows, {files} data files"
        )
