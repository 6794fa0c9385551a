from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safetyportal.core"
    label = "core"
    verbose_name = "门户核心"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from safetyportal.core.schedules import ensure_periodic_tasks

        post_migrate.connect(ensure_periodic_tasks, sender=self)

        from safetyportal.core.ledger import guard_ledger

        guard_ledger()  # ledger records are voided, never deleted (ADR 0046)
