import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safetyportal.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder into RESTORE_DATABASE_URL (default DATABASE_URL; created if "
        "missing) and RESTORE_MEDIA_ROOT (default MEDIA_ROOT), then check every table's row "
        "count and every file's checksum against its manifest. Refuses a non-empty target "
        "unless --force. ADR 0041."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup", help="the backup folder (var/backups/<timestamp>)")
        parser.add_argument(
            "--database-url",
            default=os.environ.get("RESTORE_DATABASE_URL") or os.environ.get("DATABASE_URL", ""),
        )
        parser.add_argument(
            "--media-root",
            default=os.environ.get("RESTORE_MEDIA_ROOT") or str(settings.MEDIA_ROOT),
        )
        parser.add_argument(
            "--force", action="store_true", help="empty a non-empty database and media folder"
        )

    def handle(self, *args, **options) -> None:
        if not options["database_url"]:
            raise CommandError("请设置 RESTORE_DATABASE_URL 或 DATABASE_URL（PostgreSQL）")
        try:
            report = restore(
                folder=Path(options["backup"]),
                database_url=options["database_url"],
                media_root=Path(options["media_root"]),
                force=options["force"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"restored and checked: {report.tables} tables, {report.rows} rows, "
            f"{report.files} files match the manifest"
        )
