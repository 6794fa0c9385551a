"""The Excel exports of this app's lists (责任清单, 约谈, 专委会会议): each the rows its
page shows, in the user's scope and with the page's filters
(safetyportal/core/exports.xlsx_download), GET only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from responsibilities.committee_models import CommitteeMeeting
from responsibilities.duty_models import DutyItem
from responsibilities.duty_views import overview_rows, year_of
from responsibilities.interview_models import Interview
from responsibilities.interview_views import InterviewFilter
from responsibilities.permissions import (
    committee_refusal,
    duty_refusal,
    get_committee_for_user,
    get_duty_list_for_user,
    may_list_interviews,
)
from safetyportal.core.exports import xlsx_download


@require_GET
def duty_overview_export(request):
    reason = duty_refusal(request.user, None, "view")
    if reason:
        raise PermissionDenied(reason)
    year = year_of(request)
    columns = [
        "year",
        ("owner__name", _("责任单位")),
        "owner_person",
        ("item_count", _("事项数"), 10),
        ("done_count", _("已完成"), 10),
    ]
    return xlsx_download(
        overview_rows(request.user, year),
        columns,
        sheet=_("责任清单完成情况"),
        filename=_("%(year)s年度责任清单完成情况") % {"year": year},
    )


@require_GET
def duty_list_export(request, pk: int):
    duty_list = get_duty_list_for_user(request.user, pk)
    items = DutyItem.objects.filter(duty_list=duty_list).order_by("order", "id")
    columns = [
        "order",
        "content",
        "legal_basis",
        "frequency",
        "deadline",
        "status",
        "done_on",
        "evidence_note",
    ]
    name = _("%(year)s年度%(owner)s责任清单") % {
        "year": duty_list.year,
        "owner": duty_list.owner.name,
    }
    return xlsx_download(items, columns, sheet=_("责任清单"), filename=name)


@require_GET
def interview_export(request):
    if not may_list_interviews(request.user):
        raise PermissionDenied(_("约谈记录仅对机关用户开放。"))
    base = Interview.objects.visible_to(request.user)
    rows = InterviewFilter(request.GET, queryset=base).qs.order_by("-date", "-id")
    columns = [
        "date",
        ("summoning_unit__name", _("约谈单位")),
        ("summoned_unit__name", _("被约谈单位")),
        "summoned_name",
        "reason_kind",
        "reason_text",
        "status",
        "feedback_due",
        "feedback_on",
        "commitments",
        "feedback",
    ]
    return xlsx_download(rows, columns, sheet=_("约谈记录"), filename=_("约谈记录"))


@require_GET
def committee_meeting_export(request):
    """The meetings of every committee, or of the one the `committee` filter names."""
    reason = committee_refusal(request.user, None, "view")
    if reason:
        raise PermissionDenied(reason)
    rows = CommitteeMeeting.objects.all()
    name = _("专委会会议")
    committee_id = request.GET.get("committee", "")
    if committee_id.isdigit():
        committee = get_committee_for_user(request.user, int(committee_id))
        rows = rows.filter(committee=committee)
        name = _("%(committee)s会议") % {"committee": committee.name}
    columns = [
        ("committee__name", _("专委会")),
        "held_on",
        "kind",
        "topic",
        "minutes",
        "decisions",
        ("recorded_by__display_name", _("记录人")),
    ]
    rows = rows.order_by("committee__sort_order", "committee__code", "-held_on", "-id")
    return xlsx_download(rows, columns, sheet=_("专委会会议"), filename=name)
