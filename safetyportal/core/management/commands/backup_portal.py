import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safetyportal.core.backup import BackupError, backup, default_destination


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump -Fc of DATABASE_URL), MEDIA_ROOT and a manifest of row "
        "counts and file checksums into BACKUP_DIR/<timestamp> (default var/backups/). ADR 0041."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dest", help="the backup folder to create (must not exist)")
        parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
        parser.add_argument("--media-root", default=str(settings.MEDIA_ROOT))

    def handle(self, *args, **options) -> None:
        if not options["database_url"]:
            raise CommandError("请设置 DATABASE_URL（PostgreSQL）：备份基于 pg_dump")
        destination = Path(options["dest"]) if options["dest"] else default_destination()
        try:
            manifest = backup(
                database_url=options["database_url"],
                media_root=Path(options["media_root"]),
                destination=destination,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{destination}: {len(manifest['tables'])} tables, "
            f"{sum(manifest['tables'].values())} rows, {len(manifest['media'])} files"
        )
