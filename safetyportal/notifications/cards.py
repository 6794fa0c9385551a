"""The notifications app's home-page card (see safetyportal/core/cards.py)."""

from __future__ import annotations

from safetyportal.accounts.models import Role
from safetyportal.core.cards import Card, register
from safetyportal.notifications.models import Notification


def unread(user) -> dict:
    return {"unread": list(Notification.objects.for_user(user).unread()[:5])}


register(
    Card(
        key="notifications.unread",
        roles=Role.values,
        order=50,
        slot="half",
        template="notifications/cards/unread.html",
        context=unread,
    )
)
