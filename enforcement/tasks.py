"""The app's Celery tasks, one module per area; imported here so autodiscovery finds them."""

from enforcement.authority.tasks import sync_town_procedure_flags

__all__ = ["sync_town_procedure_flags"]
