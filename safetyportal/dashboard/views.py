from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from safetyportal.accounts.models import Role
from safetyportal.core.cards import cards_for, rows

HOME_TEMPLATES = {
    Role.COUNTY_OFFICE: "dashboard/home_county.html",
    Role.LEADER: "dashboard/home_leader.html",
    Role.DEPARTMENT: "dashboard/home_department.html",
    Role.TOWN: "dashboard/home_town.html",
    Role.ENTERPRISE: "dashboard/home_enterprise.html",
    Role.EXPERT: "dashboard/home_expert.html",
}


@require_GET
def home(request):
    """Each role's landing page: what this person has to look at or do today, composed of
    the cards the apps register for the role (safetyportal/core/cards.py)."""
    user = request.user
    if not user.role and not user.is_superuser:
        # an account without a role sees nothing; say so instead of an empty county page
        return render(request, "dashboard/home_no_role.html")
    role = Role.COUNTY_OFFICE if user.is_superuser and not user.role else user.role
    return render(
        request,
        HOME_TEMPLATES.get(role, "dashboard/home_county.html"),
        {"rows": rows(cards_for(user, role))},
    )
