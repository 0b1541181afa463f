"""`saferplan restore FILE [--force]`: put a backup back into an empty instance (docs/deploy.md,
saferplan.core.backup)."""

from django.core.management.base import BaseCommand, CommandError

from saferplan.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup written by `saferplan backup` into this instance (its DATABASE_URL and "
        "SAFERPLAN_DATA_DIR). The whole archive is checked first; a damaged, foreign or newer backup changes "
        "nothing. Stop the web and worker processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore even though this instance already holds data: its database and data files are replaced",
        )

    def handle(self, *args, **options):
        try:
            manifest = backup_restore(options["file"], force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["tables"].values())
        files = sum(1 for name in manifest["members"] if name.startswith("data/"))
        self.stdout.write(
            f"Restored {options['file']} (made {manifest['created_at']} by SaferPlan "
            f"{manifest['saferplan_version']}): {rows} rows, {files} data files"
        )
