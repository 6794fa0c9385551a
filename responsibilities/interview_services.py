"""Writes on 约谈 records: keyword-only, atomic, one audit event each. `draft_interview` is
also the entry point for higher apps (a hazard escalation, an accident): they pass their
record as `reason_object` (and an enterprise as `summoned_object`); this app never imports
them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from responsibilities.interview_models import Interview, InterviewReason, feedback_due_for
from responsibilities.permissions import interview_refusal
from safetyportal.audit.services import record_event, record_events
from safetyportal.workflow.errors import StepForbidden


def _require(user, interview: Interview | None, action: str) -> None:
    reason = interview_refusal(user, interview, action)
    if reason:
        raise StepForbidden(reason)


def _lock(interview_id: int) -> Interview:
    return Interview.objects.select_for_update().get(pk=interview_id)


def _link(obj) -> tuple[ContentType | None, int | None]:
    if obj is None:
        return None, None
    return ContentType.objects.get_for_model(obj), obj.pk


def _draft_errors(
    *, reason_kind: str, reason_text: str, summoned_unit, summoned_object, summoned_name: str
) -> dict[str, str]:
    errors = {}
    if summoned_unit is None and summoned_object is None and not summoned_name.strip():
        errors["summoned_name"] = _("请选择被约谈单位，或填写被约谈企业名称。")
    if reason_kind not in InterviewReason.values:
        errors["reason_kind"] = _("约谈事由无效。")
    if not reason_text.strip():
        errors["reason_text"] = _("请填写事由说明。")
    return errors


def draft_interview(
    *,
    actor,
    reason_kind: str,
    reason_text: str,
    date: datetime.date,
    summoned_unit=None,
    summoned_name: str = "",
    summoned_object=None,
    reason_object=None,
    participants: str = "",
) -> Interview:
    """Draft an interview in the actor's unit's name (the county office). The summoned
    party is a unit, or an enterprise named (`summoned_object` links to it)."""
    _require(actor, None, "create")
    errors = _draft_errors(
        reason_kind=reason_kind,
        reason_text=reason_text,
        summoned_unit=summoned_unit,
        summoned_object=summoned_object,
        summoned_name=summoned_name,
    )
    if errors:
        raise ValidationError(errors)
    name = summoned_name.strip() or str(summoned_unit or summoned_object)
    summoned_type, summoned_id = _link(summoned_object)
    reason_type, reason_id = _link(reason_object)
    with transaction.atomic():
        interview = Interview.objects.create(
            summoning_unit_id=actor.organisation_id,
            summoned_unit=summoned_unit,
            summoned_name=name,
            summoned_type=summoned_type,
            summoned_id=summoned_id,
            reason_kind=reason_kind,
            reason_text=reason_text.strip(),
            reason_type=reason_type,
            reason_id=reason_id,
            date=date,
            participants=participants,
            feedback_due=feedback_due_for(date),
            created_by=actor,
        )
        record_event(
            actor=actor,
            verb="interview.drafted",
            target=interview,
            payload={"summoned": name, "reason": reason_kind, "date": date},
        )
    return interview


@dataclass(frozen=True)
class Draft:
    """One interview for `draft_interviews` (the arguments of `draft_interview`), with the
    key of what drafted it: a second draft with the same key is not made."""

    source_key: str
    reason_kind: str
    reason_text: str
    date: datetime.date
    summoned_name: str = ""
    summoned_unit: Any = None
    summoned_object: Any = None
    reason_object: Any = None
    participants: str = ""


def draft_interviews(*, summoning_unit, drafts: list[Draft], actor=None) -> list[Interview]:
    """`draft_interview` for a sweep (a hazard escalation): many drafts in the name of
    `summoning_unit` (the county office) in a constant number of queries, one audit event
    each (actor None: the system). Idempotent: a draft whose `source_key` exists already
    (drafted before, or twice in `drafts`) is skipped; the unique key also stops a
    concurrent run. Call it inside the caller's transaction. Returns the new interviews."""
    if actor is not None:
        _require(actor, None, "create")
    wanted: dict[str, Draft] = {}
    for draft in drafts:
        if not draft.source_key:
            raise ValueError("a swept draft needs a source_key")
        errors = _draft_errors(
            reason_kind=draft.reason_kind,
            reason_text=draft.reason_text,
            summoned_unit=draft.summoned_unit,
            summoned_object=draft.summoned_object,
            summoned_name=draft.summoned_name,
        )
        if errors:
            raise ValidationError(errors)
        wanted.setdefault(draft.source_key, draft)
    if not wanted:
        return []
    known = set(
        Interview.objects.filter(source_key__in=list(wanted)).values_list("source_key", flat=True)
    )
    fresh = [draft for key, draft in wanted.items() if key not in known]
    if not fresh:
        return []
    rows = []
    for draft in fresh:
        summoned_type, summoned_id = _link(draft.summoned_object)
        reason_type, reason_id = _link(draft.reason_object)
        rows.append(
            Interview(
                summoning_unit=summoning_unit,
                summoned_unit=draft.summoned_unit,
                summoned_name=(
                    draft.summoned_name.strip() or str(draft.summoned_unit or draft.summoned_object)
                )[:200],
                summoned_type=summoned_type,
                summoned_id=summoned_id,
                reason_kind=draft.reason_kind,
                reason_text=draft.reason_text.strip(),
                reason_type=reason_type,
                reason_id=reason_id,
                date=draft.date,
                participants=draft.participants,
                feedback_due=feedback_due_for(draft.date),
                created_by=actor,
                source_key=draft.source_key,
            )
        )
    with transaction.atomic():
        Interview.objects.bulk_create(rows, ignore_conflicts=True)
        created = list(
            Interview.objects.filter(source_key__in=[draft.source_key for draft in fresh]).order_by(
                "pk"
            )
        )
        record_events(
            actor=actor,
            verb="interview.drafted",
            events=[
                (
                    interview,
                    {
                        "summoned": interview.summoned_name,
                        "reason": interview.reason_kind,
                        "date": interview.date,
                        "source": interview.source_key,
                    },
                )
                for interview in created
            ],
        )
    return created


def record_held(
    *,
    actor,
    interview_id: int,
    held_on: datetime.date,
    participants: str,
    minutes: str,
    commitments: str,
) -> Interview:
    """The meeting took place: its date, who attended, the minutes and the commitments;
    the feedback is due 7 days (5 working days) after it."""
    if not minutes.strip():
        raise ValidationError({"minutes": _("请填写约谈纪要。")})
    with transaction.atomic():
        interview = _lock(interview_id)
        _require(actor, interview, "hold")
        interview._move("hold")
        interview.date = held_on
        interview.participants = participants
        interview.minutes = minutes.strip()
        interview.commitments = commitments
        interview.feedback_due = feedback_due_for(held_on)
        interview.save(
            update_fields=[
                "status",
                "date",
                "participants",
                "minutes",
                "commitments",
                "feedback_due",
                "updated_at",
            ]
        )
        record_event(
            actor=actor,
            verb="interview.held",
            target=interview,
            payload={"on": held_on, "feedback_due": interview.feedback_due},
        )
    return interview


def record_feedback(
    *, actor, interview_id: int, feedback_on: datetime.date, feedback: str
) -> Interview:
    """The summoned party's feedback on its commitments; the interview is closed."""
    if not feedback.strip():
        raise ValidationError({"feedback": _("请填写整改反馈情况。")})
    with transaction.atomic():
        interview = _lock(interview_id)
        _require(actor, interview, "close")
        if feedback_on < interview.date:
            raise ValidationError({"feedback_on": _("反馈日期不能早于约谈日期。")})
        interview._move("close")
        interview.feedback = feedback.strip()
        interview.feedback_on = feedback_on
        interview.save(update_fields=["status", "feedback", "feedback_on", "updated_at"])
        record_event(
            actor=actor,
            verb="interview.closed",
            target=interview,
            payload={"on": feedback_on, "late": feedback_on > interview.feedback_due},
        )
    return interview
