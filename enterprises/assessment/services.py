"""Writes of the self-assessment workflow: start, fill, submit, review; due reminders."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from enterprises.assessment.models import (
    AnswerEvidence,
    AssessmentAnswer,
    AssessmentPeriod,
    AssessmentTemplate,
    SelfAssessment,
)
from enterprises.assessment.selectors import enterprises_not_submitted
from enterprises.permissions import (
    Action,
    manager_accounts,
    require,
    reviewer_accounts,
)
from enterprises.registry.models import Enterprise
from safetyportal.accounts.models import User
from safetyportal.audit.services import record_event
from safetyportal.notifications.services import Notice, notify_bulk, notify_many
from safetyportal.workflow.errors import StepNotAllowed


def ensure_period(*, year: int) -> AssessmentPeriod:
    """The assessment period of `year`, created with the default due date when missing."""
    period, _created = AssessmentPeriod.objects.get_or_create(
        year=year, defaults={"due_on": AssessmentPeriod.default_due_on(year)}
    )
    return period


@transaction.atomic
def start_assessment(*, actor, enterprise: Enterprise, period: AssessmentPeriod) -> SelfAssessment:
    """Open the enterprise's assessment of `period` from the current template (or return
    the one already open). Each answer copies its item, so a later template version never
    changes it."""
    require(actor, Action.START_ASSESSMENT, enterprise)
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
    existing = SelfAssessment.objects.filter(enterprise=enterprise, period=period).first()
    if existing:
        return existing
    template = AssessmentTemplate.objects.current()
    if template is None:
        raise ValidationError(_("县安委办尚未发布自评模板，请稍后再试。"))
    assessment = SelfAssessment.objects.create(
        enterprise=enterprise, period=period, template=template
    )
    AssessmentAnswer.objects.bulk_create(
        AssessmentAnswer(
            assessment=assessment,
            code=item.code,
            area=item.area,
            requirement=item.requirement,
            legal_basis=item.legal_basis,
            points=item.points,
            evidence_hint=item.evidence_hint,
            sort_order=item.sort_order,
        )
        for item in template.items.all()
    )
    record_event(
        actor=actor,
        verb="assessment.started",
        target=assessment,
        payload={"template": str(template), "period": str(period)},
    )
    return assessment


@transaction.atomic
def save_answers(
    *,
    actor,
    assessment: SelfAssessment,
    answers: dict[int, dict],
    evidence: dict[int, list] | None = None,
    submit: bool = False,
) -> SelfAssessment:
    """Save the enterprise's scores, notes and evidence; with `submit`, also submit.

    `answers` maps answer id -> the cleaned values of its AnswerForm ({"score": Decimal or
    None, "not_applicable": bool, "note": str}); only the keys present are changed.
    `evidence` maps answer id -> uploads its AnswerForm checked. Saving an item clears the
    reviewer's adjustment of it, so a resubmission after a return is scored on the
    enterprise's corrected answers. A submit with unanswered items raises ValidationError
    before anything is written (no row, no file).
    """
    locked = (
        SelfAssessment.objects.select_for_update(of=("self",))
        .select_related("enterprise")
        .get(pk=assessment.pk)
    )
    require(actor, Action.FILL_ASSESSMENT, locked)
    step = "submit" if submit else "save"
    if reason := locked.state_refusal(step):
        raise StepNotAllowed(str(reason))
    rows = {answer.pk: answer for answer in locked.answers.all()}
    changed = []
    for answer_id, values in answers.items():
        answer = rows.get(answer_id)
        if answer is None:
            continue
        for key in ("score", "not_applicable", "note"):
            if key in values:
                setattr(answer, key, values[key])
        answer.reviewed_score, answer.adjust_reason = None, ""
        changed.append(answer)
    files = [
        (rows[answer_id], upload)
        for answer_id, uploads in (evidence or {}).items()
        if answer_id in rows
        for upload in uploads
    ]
    if submit:
        # checked before anything is written: a refused submit leaves the saved draft as
        # it was and stores no evidence file
        unanswered = [a.code for a in rows.values() if a.score is None and not a.not_applicable]
        if unanswered:
            raise ValidationError(
                _("还有%(count)s项未打分（%(codes)s），请打分或勾选“不适用”后再提交。")
                % {
                    "count": len(unanswered),
                    "codes": pgettext("enumeration comma", "、").join(unanswered[:10]),
                }
            )
    AssessmentAnswer.objects.bulk_update(
        changed, ["score", "not_applicable", "note", "reviewed_score", "adjust_reason"]
    )
    for answer, upload in files:
        AnswerEvidence.objects.create(answer=answer, file=upload, original_name=upload.name[:200])
    if submit:
        locked.compute_result(rows.values())
        locked.take_step("submit")
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "total", "grade", "grade_name", "submitted_at"])
        record_event(
            actor=actor,
            verb="assessment.submitted",
            target=locked,
            payload={"total": locked.total, "grade": locked.grade_display},
        )
        _notify_reviewers(locked)
    else:
        record_event(
            actor=actor,
            verb="assessment.saved",
            target=locked,
            payload={"answers": len(changed), "evidence": [u.name for _, u in files]},
        )
    return locked


def _notify_reviewers(assessment: SelfAssessment) -> None:
    notify_many(
        recipients=reviewer_accounts(assessment.enterprise),
        title=f"{assessment.enterprise}提交了{assessment.period}，请审核",
        url=reverse("enterprises:assessment_detail", args=[assessment.pk]),
        dedupe_key=f"assessment-submitted:{assessment.pk}:{assessment.submitted_at:%Y%m%d%H%M%S}",
        kind="self_assessment",
    )


@transaction.atomic
def review_assessment(
    *,
    actor,
    assessment: SelfAssessment,
    adjustments: dict[int, dict],
    accept: bool,
    note: str = "",
) -> SelfAssessment:
    """Accept or return a submitted assessment, adjusting item scores with reasons.

    `adjustments` maps answer id -> the cleaned values of its ReviewAnswerForm ({"score":
    Decimal or None, "reason": str, "clear_na": bool}; the form has checked that a changed
    score or an overruled "not applicable" has a reason). A blank score keeps the
    enterprise's own. `clear_na` overrules an item the enterprise marked not applicable (it
    then counts, with the reviewer's score or none) and is recorded in the audit event.
    Returning needs a note saying what to correct.
    """
    locked = (
        SelfAssessment.objects.select_for_update(of=("self",))
        .select_related("enterprise")
        .get(pk=assessment.pk)
    )
    require(actor, Action.REVIEW_ASSESSMENT, locked)
    step = "accept" if accept else "return"
    if reason := locked.state_refusal(step):
        raise StepNotAllowed(str(reason))
    note = note.strip()
    if not accept and not note:
        raise ValidationError(_("退回时请填写审核意见，说明需要企业更正的内容。"))
    rows = {answer.pk: answer for answer in locked.answers.all()}
    changed, log = [], []
    for answer_id, values in adjustments.items():
        answer = rows.get(answer_id)
        if answer is None:
            continue
        score = values.get("score")
        reason = (values.get("reason") or "").strip()
        if values.get("clear_na") and answer.not_applicable:
            reviewed = score if score is not None else Decimal(0)
            answer.not_applicable = False
            answer.reviewed_score, answer.adjust_reason = reviewed, reason[:200]
            log.append(
                {
                    "item": answer.code,
                    "cleared_not_applicable": True,
                    "from": answer.score,
                    "to": reviewed,
                    "reason": reason,
                }
            )
        elif score is not None and score != answer.score:
            answer.reviewed_score, answer.adjust_reason = score, reason[:200]
            log.append({"item": answer.code, "from": answer.score, "to": score, "reason": reason})
        else:
            answer.reviewed_score, answer.adjust_reason = None, ""
        changed.append(answer)
    AssessmentAnswer.objects.bulk_update(
        changed, ["reviewed_score", "adjust_reason", "not_applicable"]
    )
    locked.compute_result(rows.values())
    locked.take_step(step)
    locked.reviewed_by, locked.reviewed_at, locked.review_note = actor, timezone.now(), note
    locked.save(
        update_fields=[
            "status",
            "total",
            "grade",
            "grade_name",
            "reviewed_by",
            "reviewed_at",
            "review_note",
        ]
    )
    record_event(
        actor=actor,
        verb="assessment.accepted" if accept else "assessment.returned",
        target=locked,
        payload={
            "total": locked.total,
            "grade": locked.grade_display,
            "adjustments": log,
            "note": note,
        },
    )
    verb = "已通过审核" if accept else "被退回，请按审核意见修改后重新提交"
    notify_many(
        recipients=User.objects.filter(is_active=True, enterprise_id=locked.enterprise_id),
        title=f"您的{locked.period}{verb}",
        body=note,
        url=reverse("enterprises:assessment_detail", args=[locked.pk]),
        dedupe_key=f"assessment-reviewed:{locked.pk}:{locked.reviewed_at:%Y%m%d%H%M%S}",
        kind="self_assessment",
    )
    return locked


def send_due_reminders(*, today: datetime.date) -> int:
    """Remind enterprise users whose assessment is due within the reminder window, and
    again once it is overdue. Each reminder goes once (dedupe_key), however often this runs."""
    # the county need not create the year's period first: its due date is the default
    period = ensure_period(year=today.year)
    if today < period.due_on - datetime.timedelta(days=settings.SELF_ASSESSMENT_REMIND_DAYS):
        return 0
    stage = "due" if today <= period.due_on else "overdue"
    title = (
        f"{period}将于{period.due_on:%Y-%m-%d}截止，请按时提交"
        if stage == "due"
        else f"{period}已于{period.due_on:%Y-%m-%d}截止，请尽快提交"
    )
    pending = enterprises_not_submitted(Enterprise.objects.all(), period=period).values("pk")
    url = reverse("enterprises:assessment_list")
    # in bulk (a city's tens of thousands of accounts): a constant number of queries
    return notify_bulk(
        Notice(
            recipient=user,
            title=title,
            url=url,
            dedupe_key=f"self-assessment:{period.year}:{stage}:{user.enterprise_id}",
            kind="self_assessment",
        )
        for user in manager_accounts(pending)
    )


# --- the workflow's steps (enterprises/assessment/workflow.py): the kit's convention,
# service(actor=, assessment_id=, **the step form's cleaned data) -------------------------


def save_draft(*, actor, assessment_id: int, answers: dict, evidence=None) -> SelfAssessment:
    return save_answers(
        actor=actor, assessment=SelfAssessment(pk=assessment_id), answers=answers, evidence=evidence
    )


def submit_assessment(*, actor, assessment_id: int, answers: dict, evidence=None) -> SelfAssessment:
    return save_answers(
        actor=actor,
        assessment=SelfAssessment(pk=assessment_id),
        answers=answers,
        evidence=evidence,
        submit=True,
    )


def accept_assessment(
    *, actor, assessment_id: int, adjustments: dict, note: str = ""
) -> SelfAssessment:
    return review_assessment(
        actor=actor,
        assessment=SelfAssessment(pk=assessment_id),
        adjustments=adjustments,
        accept=True,
        note=note,
    )


def return_assessment(
    *, actor, assessment_id: int, adjustments: dict, note: str = ""
) -> SelfAssessment:
    return review_assessment(
        actor=actor,
        assessment=SelfAssessment(pk=assessment_id),
        adjustments=adjustments,
        accept=False,
        note=note,
    )
