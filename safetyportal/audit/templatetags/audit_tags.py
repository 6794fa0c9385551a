from __future__ import annotations

from django import template
from django.core.exceptions import FieldDoesNotExist

from safetyportal.audit.models import AuditEvent

register = template.Library()


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


@register.inclusion_tag("audit/_history.html")
def object_history(obj, limit: int = 50):
    """Render `obj`'s audit trail, newest first, in plain Chinese.

    Costs one query (events with their actors and the actors' units).
    """
    events = list(
        AuditEvent.objects.for_object(obj).select_related(
            "actor", "actor__organisation", "actor__enterprise"
        )[:limit]
    )
    model = type(obj)
    rows = []
    for event in events:
        changes = event.payload.get("changes") or {}
        rows.append(
            {
                "event": event,
                "changes": [
                    {"label": _field_label(model, name), "old": pair[0], "new": pair[1]}
                    for name, pair in changes.items()
                ],
                "note": event.payload.get("note") or event.payload.get("reason") or "",
            }
        )
    return {"rows": rows}
