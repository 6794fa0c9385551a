from __future__ import annotations

from django.db.models import Count, Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_GET

from responsibilities.models import (
    CommitteeMembership,
    Organisation,
    OrganisationKind,
    SafetyReminder,
)
from responsibilities.permissions import Action, require
from safetyportal.core.pagination import paginate


@require_GET
def organisation_tree(request):
    """The county's organisation: 安委会, its office, committees with members, departments,
    and the 镇街 with their codes. Public-sector structure, not shown to enterprises."""
    require(request.user, Action.VIEW_ORGANISATIONS)
    organisations = Organisation.objects.active()
    committees = organisations.committees().prefetch_related(
        Prefetch(
            "memberships",
            queryset=CommitteeMembership.objects.select_related("member").order_by(
                "-is_lead", "member__sort_order"
            ),
        )
    )
    return render(
        request,
        "responsibilities/organisation_tree.html",
        {
            "county_units": organisations.filter(
                kind__in=[
                    OrganisationKind.COUNTY,
                    OrganisationKind.SAFETY_COMMITTEE,
                    OrganisationKind.OFFICE,
                ]
            ),
            "committees": committees,
            "departments": organisations.departments(),
            "towns": organisations.towns().annotate(enterprise_count=Count("enterprises")),
        },
    )


@require_GET
def reminder_list(request):
    page = paginate(request, SafetyReminder.objects.all(), per_page=10)
    return render(request, "responsibilities/reminder_list.html", {"page": page})
