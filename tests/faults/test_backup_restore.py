"""Backup and restore (issue 14 item 6, ADR 0041): records in several apps and uploaded
files are backed up, restored into a fresh database (on the test's own PostgreSQL cluster)
and a fresh media folder, and every table's row count and every file's checksum match the
manifest and the original."""

from __future__ import annotations

import datetime
import io
import json

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from hazards.models import Hazard
from safetyportal.core.backup import count_rows, media_checksums
from tests.faults.conftest import database_url

pytestmark = pytest.mark.django_db(transaction=True)


def png(colour: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("现场.png", buffer.getvalue(), content_type="image/png")


def rows_in(url: str) -> dict[str, int]:
    connection = psycopg2.connect(url.replace("postgres://", "postgresql://"))
    try:
        with connection.cursor() as cursor:
            return count_rows(cursor)
    finally:
        connection.close()


def test_a_backup_restores_every_record_and_file_into_a_fresh_database(
    postgres_server, settings, tmp_path, county, town_official, enterprise_manager, client_for
):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    client = client_for(town_official)
    for n, colour in enumerate(["red", "blue", "green"]):
        response = client.post(
            reverse("hazards:create"),
            {
                "enterprise": county.xdk_build.pk,
                "source": "inspection",
                "location": f"{n}号仓库",
                "description": "灭火器过期",
                "found_on": today.isoformat(),
                "deadline": (today + datetime.timedelta(days=7)).isoformat(),
                "responsible_person": "周经理",
                "photos": [png(colour)],
            },
        )
        assert response.status_code == 302
    assert Hazard.objects.count() == 3

    source = rows_in(database_url())
    files = media_checksums(settings.MEDIA_ROOT)
    assert len(files) == 3
    # records in several apps: organisations, enterprises, users, hazards, audit, notices
    for table in [
        "responsibilities_organisation",
        "enterprises_enterprise",
        "accounts_user",
        "hazards_hazard",
        "audit_auditevent",
        "notifications_notification",
    ]:
        assert source.get(table, 0) > 0, table

    backup_dir = tmp_path / "backup"
    out = io.StringIO()
    call_command(
        "backup_portal",
        dest=str(backup_dir),
        database_url=database_url(),
        media_root=str(settings.MEDIA_ROOT),
        stdout=out,
    )
    manifest = json.loads((backup_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"] == source
    assert manifest["media"] == files

    restored_url = postgres_server.url("restored")  # does not exist yet: created
    restored_media = tmp_path / "restored-media"
    out = io.StringIO()
    call_command(
        "restore_portal",
        str(backup_dir),
        database_url=restored_url,
        media_root=str(restored_media),
        stdout=out,
    )
    assert "match the manifest" in out.getvalue()
    assert rows_in(restored_url) == source
    assert media_checksums(restored_media) == files
    connection = psycopg2.connect(restored_url.replace("postgres://", "postgresql://"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT location FROM hazards_hazard ORDER BY location")
        assert [row[0] for row in cursor.fetchall()] == ["0号仓库", "1号仓库", "2号仓库"]
    connection.close()

    # a second restore into the now non-empty database is refused, data unchanged...
    with pytest.raises(CommandError, match="FORCE=1"):
        call_command(
            "restore_portal",
            str(backup_dir),
            database_url=restored_url,
            media_root=str(tmp_path / "other-media"),
        )
    assert rows_in(restored_url) == source
    # ...unless forced
    call_command(
        "restore_portal",
        str(backup_dir),
        database_url=restored_url,
        media_root=str(restored_media),
        force=True,
        stdout=io.StringIO(),
    )
    assert rows_in(restored_url) == source


def test_a_damaged_backup_is_refused(postgres_server, settings, tmp_path, county):
    settings.MEDIA_ROOT = tmp_path / "media"
    backup_dir = tmp_path / "backup"
    call_command(
        "backup_portal",
        dest=str(backup_dir),
        database_url=database_url(),
        media_root=str(settings.MEDIA_ROOT),
        stdout=io.StringIO(),
    )
    with (backup_dir / "database.dump").open("ab") as dump:
        dump.write(b"x")
    with pytest.raises(CommandError, match="database.dump"):
        call_command(
            "restore_portal",
            str(backup_dir),
            database_url=postgres_server.url("restored"),
            media_root=str(tmp_path / "restored-media"),
        )
