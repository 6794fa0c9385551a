"""Writes on 专委会 meetings: keyword-only, atomic, one audit event. Who may act:
responsibilities.permissions.committee_refusal."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from responsibilities.committee_models import CommitteeMeeting, CommitteeMeetingKind
from responsibilities.models import CommitteeMembership, Organisation
from responsibilities.permissions import committee_refusal
from safetyportal.audit.services import record_event


def record_committee_meeting(
    *,
    actor,
    committee_id: int,
    held_on: datetime.date,
    kind: str,
    topic: str,
    minutes: str,
    attendees=(),
    decisions: str = "",
) -> CommitteeMeeting:
    """Record a meeting the committee held; attendees must be its member units."""
    committee = Organisation.objects.committees().get(pk=committee_id)
    reason = committee_refusal(actor, committee, "record_meeting")
    if reason:
        raise PermissionDenied(reason)
    errors = {}
    if held_on is None or held_on > timezone.localdate():
        errors["held_on"] = _("会议日期不能晚于今天。")
    if kind not in CommitteeMeetingKind.values:
        errors["kind"] = _("请选择会议类型。")
    if not (topic or "").strip():
        errors["topic"] = _("请填写议题。")
    if not (minutes or "").strip():
        errors["minutes"] = _("请填写会议纪要。")
    attendee_ids = {getattr(a, "pk", a) for a in attendees}
    members = set(
        CommitteeMembership.objects.filter(
            committee_id=committee.pk, member_id__in=attendee_ids
        ).values_list("member_id", flat=True)
    )
    if attendee_ids - members:
        errors["attendees"] = _("参会单位必须是本专委会的成员单位。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = CommitteeMeeting.objects.create(
            committee=committee,
            held_on=held_on,
            kind=kind,
            topic=topic.strip(),
            minutes=minutes.strip(),
            decisions=(decisions or "").strip(),
            recorded_by=actor,
        )
        meeting.attendees.set(sorted(attendee_ids))
        record_event(
            actor=actor,
            verb="committee_meeting.recorded",
            target=meeting,
            payload={"committee": committee.pk, "attendees": len(attendee_ids)},
        )
    return meeting
