from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from safetyportal.accounts.models import Role, User, validate_placement
from safetyportal.accounts.roles import group_name
from safetyportal.audit.services import record_event


@transaction.atomic
def create_portal_user(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    role: str,
    display_name: str = "",
    email: str = "",
    phone: str = "",
    organisation=None,
    enterprise=None,
) -> User:
    """Create a user with a role and placement, put them in the role's group, audit it."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    validate_placement(role, organisation, enterprise)
    user = User(
        username=username,
        role=role,
        display_name=display_name,
        email=email,
        phone=phone,
        organisation=organisation,
        enterprise=enterprise,
        # county office staff maintain reference data in the admin
        is_staff=role == Role.COUNTY_OFFICE,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    group, _ = Group.objects.get_or_create(name=group_name(role))
    user.groups.add(group)
    record_event(
        actor=actor,
        verb="user.created",
        target=user,
        payload={
            "role": role,
            "organisation": str(organisation or ""),
            "enterprise": str(enterprise or ""),
        },
    )
    return user


@transaction.atomic
def update_email_preference(*, user: User, email_frequency: str, email: str) -> User:
    before = {"email_frequency": user.email_frequency, "email": user.email}
    user.email_frequency = email_frequency
    user.email = email
    user.save(update_fields=["email_frequency", "email"])
    record_event(
        actor=user,
        verb="user.preferences_changed",
        target=user,
        payload={"before": before, "after": {"email_frequency": email_frequency, "email": email}},
    )
    return user
