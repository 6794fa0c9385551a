"""The rules of the responsibilities app: who may see the county's organisation, and who
sees each of the app's home-page cards. Role names are compared here and nowhere else in
the app (its lists and reminders are open to every signed-in user)."""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from safetyportal.accounts.models import Role

_OFFICIALS = (Role.COUNTY_OFFICE, Role.LEADER, Role.DEPARTMENT, Role.TOWN)


class Action(StrEnum):
    VIEW_ORGANISATIONS = "view_organisations"  # the organisation tree (public-sector only)


def refusal(user, action: Action | str) -> str | None:
    """None when `user` may do `action`, else why not (translated)."""
    action = Action(action)
    if action == Action.VIEW_ORGANISATIONS:
        if user.is_superuser or user.role in _OFFICIALS:
            return None
        return _("该页面仅对机关用户开放。")
    raise ValueError(f"unknown action {action!r}")  # a programming error, not a refusal


def require(user, action: Action | str) -> None:
    """Raise PermissionDenied with the reason when `user` may not do `action`."""
    reason = refusal(user, action)
    if reason is not None:
        raise PermissionDenied(reason)


# Who sees each of the app's home-page cards (responsibilities/cards.py): the card
# registry's audience is a rule like any other, so it is declared here with the roles.
CARD_AUDIENCES: dict[str, tuple[str, ...]] = {
    "enforcement_powers": (Role.TOWN,),
    "latest_reminder": tuple(Role.values),
    "department_assignments": (Role.DEPARTMENT,),
}
