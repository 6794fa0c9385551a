"""STAND-IN for the authority area (branch `insp`): `certified_officers(unit_id, day)` as
agreed in the brief. The authority branch provides the real module; on merge, take the
authority branch's file."""

from __future__ import annotations

import datetime

from enforcement.rules import certified_officer_ids
from safetyportal.accounts.models import User


def certified_officers(unit_id: int, day: datetime.date):
    """The active users of unit `unit_id` holding a certificate valid on `day`."""
    return User.objects.filter(
        organisation_id=unit_id, is_active=True, pk__in=certified_officer_ids(None, day)
    ).order_by("display_name", "pk")
