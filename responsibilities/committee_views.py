"""专委会 pages: the index (member count, last meeting, one aggregate query) and a
committee's page (members lead first, meetings newest first, its duty list for the year,
the record-a-meeting form), and the meeting POST."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from responsibilities import committee_services
from responsibilities.committee_forms import CommitteeMeetingForm
from responsibilities.committee_models import CommitteeMeeting
from responsibilities.models import CommitteeMembership, Organisation
from responsibilities.permissions import (
    committee_refusal,
    duty_lists_visible_to,
    get_committee_for_user,
)
from safetyportal.core.pagination import paginate
from safetyportal.workflow.html import add_errors


@require_GET
def committee_index(request):
    reason = committee_refusal(request.user, None, "view")
    if reason:
        raise PermissionDenied(reason)
    committees = (
        Organisation.objects.committees()
        .active()
        .annotate(
            member_count=Count("memberships", distinct=True),
            last_meeting=Max("committee_meetings__held_on"),
        )
        .order_by("sort_order", "code")
    )
    return render(
        request, "responsibilities/committee_index.html", {"page": paginate(request, committees)}
    )


def _detail(request, committee, form=None, status=200):
    members = CommitteeMembership.objects.filter(committee=committee).select_related("member")
    members = members.order_by("-is_lead", "member__sort_order", "member__code")
    meetings = (
        CommitteeMeeting.objects.filter(committee=committee)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("attendees", queryset=Organisation.objects.order_by("sort_order", "code"))
        )
    )
    year = timezone.localdate().year
    duty_list = (
        duty_lists_visible_to(request.user)
        .filter(owner=committee, year=year)
        .order_by("id")
        .first()
    )
    can_record = committee_refusal(request.user, committee, "record_meeting") is None
    if can_record and form is None:
        form = CommitteeMeetingForm(committee=committee)
    context = {
        "committee": committee,
        "members": members,
        "page": paginate(request, meetings),
        "duty_list": duty_list,
        "year": year,
        "form": form if can_record else None,
        "export_query": f"committee={committee.pk}",
    }
    return render(request, "responsibilities/committee_detail.html", context, status=status)


@require_GET
def committee_detail(request, pk: int):
    return _detail(request, get_committee_for_user(request.user, pk))


@require_POST
def committee_meeting_record(request, pk: int):
    committee = get_committee_for_user(request.user, pk)
    reason = committee_refusal(request.user, committee, "record_meeting")
    if reason:
        raise PermissionDenied(reason)
    form = CommitteeMeetingForm(request.POST, committee=committee)
    if form.is_valid():
        try:
            committee_services.record_committee_meeting(
                actor=request.user, committee_id=committee.pk, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("已记录专委会会议。"))
            return redirect("responsibilities:committee_detail", pk=committee.pk)
    return _detail(request, committee, form=form, status=400)
