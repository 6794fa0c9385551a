"""Load the county's reference data from fixtures/ (organisations, industries, the
supervision map, reminder topics); the apps above add theirs on `reference_data_loaded`
(enterprises: duty reference rows; enforcement: the delegated items and checklists).

Idempotent: organisations and industries are matched by their natural key (`code`), the
other rows carry explicit primary keys, so a second run updates rows in place and adds
nothing. Rows that exist only in the database (added in the admin) are left alone, but a
row that came from these fixtures and was edited since is reset to the fixture's values.

Memberships, the supervision map and its assignments have no natural key, so before
loading we check that a row already holding one of their primary keys is the same thing
(same year, same committee and member, same industry and department); otherwise loading
would silently overwrite, say, a 2025 map created in the admin with the 2026 one.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from responsibilities.models import CommitteeMembership, SupervisionAssignment, SupervisionMap
from responsibilities.signals import reference_data_loaded

# Order matters: each fixture refers only to rows of the fixtures before it.
REFERENCE_FIXTURES = (
    "organisations.json",
    "committee_memberships.json",
    "industries.json",
    "supervision_map_2026.json",
    "reminder_topics.json",
)


def fixtures_dir() -> Path:
    return Path(settings.BASE_DIR) / "fixtures"


def _code(key) -> str:
    """A natural-key reference in a fixture (["dept-yjj"]) as the code."""
    return key[0] if isinstance(key, list) else str(key)


def _rows_in_db() -> dict[str, dict[int, tuple]]:
    """pk -> identity of the rows without a natural key (small reference tables)."""
    return {
        "responsibilities.supervisionmap": {m.pk: (m.year,) for m in SupervisionMap.objects.all()},
        "responsibilities.committeemembership": {
            m.pk: (m.committee.code, m.member.code)
            for m in CommitteeMembership.objects.select_related("committee", "member")
        },
        "responsibilities.supervisionassignment": {
            a.pk: (a.supervision_map.year, a.industry.code, a.department.code)
            for a in SupervisionAssignment.objects.select_related(
                "supervision_map", "industry", "department"
            )
        },
    }


def identity_conflicts(paths: list[Path]) -> list[str]:
    """Explicit-pk rows of the fixtures that would overwrite another row (pk taken by a
    different thing) or collide with the same thing stored under another pk."""
    map_years: dict[int, int] = {}
    wanted: dict[str, dict[int, tuple]] = {label: {} for label in _rows_in_db()}
    rows = [row for path in paths for row in json.loads(path.read_text(encoding="utf-8"))]
    for row in rows:
        if row["model"].lower() == "responsibilities.supervisionmap":
            map_years[row["pk"]] = row["fields"]["year"]
    for row in rows:
        label, fields = row["model"].lower(), row["fields"]
        if label == "responsibilities.supervisionmap":
            wanted[label][row["pk"]] = (fields["year"],)
        elif label == "responsibilities.committeemembership":
            wanted[label][row["pk"]] = (_code(fields["committee"]), _code(fields["member"]))
        elif label == "responsibilities.supervisionassignment":
            wanted[label][row["pk"]] = (
                map_years[fields["supervision_map"]],
                _code(fields["industry"]),
                _code(fields["department"]),
            )
    conflicts = []
    for label, existing in _rows_in_db().items():
        pk_of = {identity: pk for pk, identity in existing.items()}
        for pk, identity in wanted[label].items():
            if pk in existing and existing[pk] != identity:
                conflicts.append(f"{label} pk={pk}: 数据库中为 {existing[pk]}，文件中为 {identity}")
            elif pk_of.get(identity, pk) != pk:
                conflicts.append(
                    f"{label} {identity}: 数据库中 pk={pk_of[identity]}，文件中 pk={pk}"
                )
    return conflicts


class Command(BaseCommand):
    help = "加载澧县参考数据（单位、专委会、行业、行业监管责任划分、安全提醒主题）。可重复执行。"

    def handle(self, *args, **options):
        paths = [fixtures_dir() / name for name in REFERENCE_FIXTURES]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError(f"找不到参考数据文件 / missing fixture files: {', '.join(missing)}")
        conflicts = identity_conflicts(paths)
        if conflicts:
            raise CommandError(
                "参考数据的主键已被其他记录占用，未加载任何数据 / fixture primary keys are"
                " taken by other rows, nothing loaded:\n  " + "\n  ".join(conflicts)
            )
        # one loaddata call: one transaction, natural keys resolved in file order
        call_command(
            "loaddata",
            *[str(p) for p in paths],
            verbosity=options["verbosity"],
            stdout=self.stdout,
            stderr=self.stderr,
        )
        reference_data_loaded.send(sender=self.__class__)
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS("参考数据已加载 / reference data loaded."))
