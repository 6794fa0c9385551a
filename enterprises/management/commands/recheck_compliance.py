"""Judge the stored compliance results again: those due today (what the nightly task
does), or with --all every enterprise's (after deploying the table, or after changing a
setting the rules read such as PORTAL_DUTY_DUE_SOON_DAYS)."""

from __future__ import annotations

import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from enterprises.duties.judging import judge_all, recheck_due


class Command(BaseCommand):
    help = "重新判定企业法定职责合规状态（默认只判定到期的；--all 全部重建）。"

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="重建全部企业的合规状态")
        parser.add_argument("--today", help="判定日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today 应为 YYYY-MM-DD") from None
        started = time.perf_counter()
        count = judge_all(today=today) if options["all"] else recheck_due(today=today)
        self.stdout.write(
            f"已重新判定 {count} 家企业的合规状态（{time.perf_counter() - started:.1f} 秒）。"
        )
