from __future__ import annotations

from safetyportal.core.navigation import navigation_for


def portal(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from safetyportal.notifications.models import Notification

    return {
        "nav_items": navigation_for(user, request.path),
        # evaluated lazily, only on pages that render the header: one COUNT query
        "unread_notifications": lambda: Notification.objects.for_user(user).unread().count(),
    }
