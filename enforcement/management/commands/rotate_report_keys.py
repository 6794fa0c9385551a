"""Re-encrypt every reporter identity under the first key of PORTAL_REPORT_IDENTITY_KEYS
(MultiFernet.rotate; ADR 0029). Put the new key first, keep the old ones after it, run
this, then drop the old keys. In batches, one UPDATE per batch, safe to run twice."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from enforcement.reports import crypto
from enforcement.reports.models import ReporterIdentity
from safetyportal.audit.services import record_event


class Command(BaseCommand):
    help = "用第一把密钥重新加密全部举报人身份信息（密钥轮换）。"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size: int, **options):
        fields = ReporterIdentity.TOKEN_FIELDS
        done = 0
        last = 0
        while True:
            with transaction.atomic():
                batch = list(
                    ReporterIdentity.objects.select_for_update()
                    .filter(pk__gt=last)
                    .order_by("pk")
                    .only("pk", "report_id", *fields)[:batch_size]
                )
                if not batch:
                    break
                for identity in batch:
                    for name in fields:
                        setattr(identity, name, crypto.rotate(getattr(identity, name)))
                ReporterIdentity.objects.bulk_update(batch, list(fields))
                last = batch[-1].pk
                done += len(batch)
        if done:
            with transaction.atomic():
                first = ReporterIdentity.objects.select_related("report").order_by("pk").first()
                record_event(
                    actor=None,
                    verb="report.keys_rotated",
                    target=first.report,
                    payload={"rows": done},
                )
        self.stdout.write(f"已用新密钥重新加密 {done} 条举报人身份信息。")
