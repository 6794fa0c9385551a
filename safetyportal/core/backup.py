"""Backup and restore of the portal's data (ADR 0041): `make backup` / `make restore`.

A backup is one folder holding
  database.dump   pg_dump's custom format of the whole database,
  media.tar       every file under MEDIA_ROOT (uploads, generated PDFs),
  manifest.json   the row count of every table and the sha256 of every media file and
                  of the two archives, to check a restore against.
The row counts are taken in the same snapshot pg_dump exports (a REPEATABLE READ
transaction's exported snapshot), so they match the dump even while the portal writes.
A restore goes into an empty database (created if missing) and an empty media folder
unless forced, then counts the rows and hashes the files again and compares them with
the manifest; any difference is an error.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media.tar"
FORMAT = 1

# every base table of the public schema with its exact row count, in one statement
COUNT_ROWS = """
SELECT c.relname,
       (xpath('/row/n/text()', query_to_xml(
           format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, ''
       )))[1]::text::bigint
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
ORDER BY c.relname
"""


class BackupError(Exception):
    pass


@dataclass
class RestoreReport:
    tables: int
    rows: int
    files: int


def libpq_url(url: str) -> str:
    """dj-database-url's schemes (postgres://, postgresql://, pgsql://) as libpq reads them."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise BackupError(
            f"需要 PostgreSQL 数据库地址（postgres://...），收到的是 {parts.scheme}://"
        )
    return urlunsplit(("postgresql", *parts[1:]))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_checksums(root: Path) -> dict[str, str]:
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): sha256_of(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def count_rows(cursor) -> dict[str, int]:
    cursor.execute(COUNT_ROWS)
    return {name: count for name, count in cursor.fetchall()}


def backup(*, database_url: str, media_root: Path, destination: Path) -> dict:
    """Write a backup folder at `destination` (must not exist); returns the manifest."""
    url = libpq_url(database_url)
    destination.mkdir(parents=True, exist_ok=False)
    connection = psycopg2.connect(url)
    try:
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_database()")
            row = cursor.fetchone()
            assert row is not None  # one row, always
            snapshot, database = row
            tables = count_rows(cursor)
            # pg_dump reads the very snapshot the counts were taken in (the transaction
            # stays open until it is done)
            result = subprocess.run(
                ["pg_dump", "-Fc", f"--snapshot={snapshot}", "-f", str(destination / DUMP), url],
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise BackupError(f"pg_dump 失败：{result.stderr.strip()}")
        connection.rollback()
    finally:
        connection.close()
    files = media_checksums(media_root)
    with tarfile.open(destination / MEDIA, "w") as archive:
        for name in files:
            archive.add(media_root / name, arcname=name, recursive=False)
    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": database,
        "tables": tables,
        "media": files,
        "archives": {DUMP: sha256_of(destination / DUMP), MEDIA: sha256_of(destination / MEDIA)},
    }
    (destination / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
    )
    return manifest


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} 不是有效的备份目录：{error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不认识的备份格式：{manifest.get('format')}")
    for name, digest in manifest["archives"].items():
        if not (folder / name).is_file() or sha256_of(folder / name) != digest:
            raise BackupError(f"备份文件 {name} 缺失或已损坏（校验和不符）")
    return manifest


def _ensure_database(url: str) -> None:
    """Create the target database if it does not exist yet (connecting to `postgres`)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    try:
        psycopg2.connect(url).close()
        return
    except psycopg2.OperationalError as error:
        if "does not exist" not in str(error):
            raise BackupError(f"无法连接目标数据库：{error}") from error
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    try:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        admin.close()


def _public_tables(url: str) -> dict[str, int]:
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            return count_rows(cursor)
    finally:
        connection.close()


def restore(
    *, folder: Path, database_url: str, media_root: Path, force: bool = False
) -> RestoreReport:
    """Restore `folder` into the database and media folder given, then check both against
    the manifest. Refuses a database with tables, or a media folder with files, unless
    `force` (which empties them first)."""
    manifest = read_manifest(folder)
    url = libpq_url(database_url)
    _ensure_database(url)
    existing = _public_tables(url)
    if existing and not force:
        raise BackupError(
            f"目标数据库已有 {len(existing)} 张表：请指定一个新的空数据库"
            "（RESTORE_DATABASE_URL），或确认覆盖后加 FORCE=1"
        )
    if media_root.is_dir() and any(media_root.iterdir()) and not force:
        raise BackupError(f"目标文件目录 {media_root} 不为空：请指定空目录，或确认覆盖后加 FORCE=1")
    if existing:
        connection = psycopg2.connect(url)
        try:
            with connection, connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        finally:
            connection.close()
    result = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={url}",
            str(folder / DUMP),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BackupError(f"pg_restore 失败：{result.stderr.strip()}")
    if media_root.is_dir() and force:
        shutil.rmtree(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA) as archive:
        archive.extractall(media_root, filter="data")
    return verify(manifest=manifest, database_url=url, media_root=media_root)


def verify(*, manifest: dict, database_url: str, media_root: Path) -> RestoreReport:
    counts = _public_tables(libpq_url(database_url))
    wrong = {
        table: (expected, counts.get(table))
        for table, expected in manifest["tables"].items()
        if counts.get(table) != expected
    }
    if wrong:
        raise BackupError(f"恢复后的行数与备份清单不符（表: (清单, 实际)）：{wrong}")
    files = media_checksums(media_root)
    damaged = sorted(
        name for name, digest in manifest["media"].items() if files.get(name) != digest
    )
    if damaged:
        raise BackupError(f"恢复后的文件缺失或校验和不符：{damaged[:20]}")
    return RestoreReport(
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        files=len(manifest["media"]),
    )


def default_destination() -> Path:
    from django.conf import settings

    root = Path(os.environ.get("BACKUP_DIR") or settings.DATA_DIR / "backups")
    return root / datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
