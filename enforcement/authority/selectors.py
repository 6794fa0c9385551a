"""Read helpers of the legal frame that other areas' forms use."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from enforcement.authority.models import OfficerCertificate
from safetyportal.accounts.models import User


def valid_certificates(day: datetime.date) -> QuerySet[OfficerCertificate]:
    """Certificates valid on `day`: issued, not past expiry (the expiry day counts), not
    revoked on or before `day` (the same test as `rules.certified_officer_ids`)."""
    return OfficerCertificate.objects.filter(issued_on__lte=day, expires_on__gte=day).exclude(
        revoked_on__lte=day
    )


def _unit_id(unit) -> int | None:
    return getattr(unit, "pk", unit)


def certified_officers(unit_id, day: datetime.date) -> QuerySet[User]:
    """The active users of unit `unit_id` (an id or the Organisation) holding a certificate
    valid on `day`: the only people an inspection or a case of that unit may name (issue
    10 item 3). Ordered by name for a form's choices."""
    unit_id = _unit_id(unit_id)
    if not unit_id:
        return User.objects.none()
    valid = valid_certificates(day).filter(officer_id=OuterRef("pk"))
    return (
        User.objects.filter(Q(organisation_id=unit_id), is_active=True)
        .filter(Exists(valid))
        .order_by("display_name", "username")
    )


def certified_officers_choices(unit, day: datetime.date) -> list[tuple[int, str]]:
    """(id, label) pairs for a form field (unit: an id or the Organisation): the label
    carries the certificate number."""
    unit_id = _unit_id(unit)
    numbers = dict(
        valid_certificates(day)
        .filter(officer__organisation_id=unit_id)
        .order_by("officer_id", "-expires_on")
        .values_list("officer_id", "number")
    )
    return [
        (user.pk, f"{user}（{numbers.get(user.pk, '')}）")
        for user in certified_officers(unit_id, day)
    ]
