from django.core.management.base import BaseCommand

from safetyportal.core import outbox
from safetyportal.core.models import OutboxTask


class Command(BaseCommand):
    help = "Send the tasks kept in the outbox while the task broker was unreachable (ADR 0040)."

    def handle(self, *args, **options) -> None:
        sent = outbox.relay()
        left = OutboxTask.objects.filter(sent_at__isnull=True).count()
        self.stdout.write(f"sent {sent}, unsent {left}")
        if left:
            self.stderr.write("the broker refused some tasks; run again once it is reachable")
