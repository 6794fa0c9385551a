"""The hazards ledger's side of the self-assessment: a failed item raised as a hazard.

The self-assessment lives below hazards (enterprises/assessment/); what joins the two
lives here, above both (ADR 0008). Keyword-only, atomic, locked, audited, like
hazards/services.py.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from enterprises.assessment.models import AssessmentAnswer, AssessmentStatus, SelfAssessment
from enterprises.permissions import Action, Forbidden, require
from hazards.models import Hazard, HazardSource
from hazards.services import report_hazard
from safetyportal.audit.services import record_event
from safetyportal.workflow import StepNotAllowed


@transaction.atomic
def raise_hazard_from_assessment_answer(
    *, actor, answer_id: int, deadline: datetime.date
) -> Hazard:
    """Turn a failed item of a submitted or accepted self-assessment into a hazard in the
    ledger (through report_hazard; a self-check, since the enterprise's own assessment
    found it), linked both ways: the answer points at the hazard and the hazard's
    `assessment_answers` lead back. Who may: the assessment's reviewers and the
    enterprise itself (enterprises' rule RAISE_HAZARD)."""
    assessment_id = (
        AssessmentAnswer.objects.filter(pk=answer_id)
        .values_list("assessment_id", flat=True)
        .first()
    )
    if assessment_id is None:
        raise ValidationError(_("该自评项目不存在。"))
    assessment = (
        SelfAssessment.objects.select_for_update(of=("self",))
        .select_related("enterprise")
        .get(pk=assessment_id)
    )
    enterprise = assessment.enterprise
    require(actor, Action.RAISE_HAZARD, assessment)
    if assessment.status not in (AssessmentStatus.SUBMITTED, AssessmentStatus.ACCEPTED):
        raise ValidationError(_("自评提交后才能把未达标项目转为隐患。"))
    answer = assessment.answers.select_for_update().get(pk=answer_id)
    if answer.hazard_id:
        raise ValidationError(_("第%(code)s项已转为隐患，请勿重复登记。") % {"code": answer.code})
    if not answer.is_failed:
        raise ValidationError(
            _("第%(code)s项得分未低于标准分的%(percent)s%%，不是未达标项目。")
            % {
                "code": answer.code,
                "percent": f"{assessment.template.failed_item_percent.normalize():f}",
            }
        )
    try:
        hazard = report_hazard(
            actor=actor,
            enterprise=enterprise,
            source=HazardSource.SELF_CHECK,
            description=(
                f"安全生产自评第{answer.code}项未达标（{answer.effective_score}/{answer.points}分）："
                f"{answer.requirement}"
            )[:1000],
            location=enterprise.address,
            deadline=deadline,
            responsible_person=enterprise.principal_name,
            responsible_phone=enterprise.principal_phone,
        )
    except StepNotAllowed as error:  # the ledger's own rule refused: a refusal (403) here too
        raise Forbidden(str(error)) from None
    answer.hazard = hazard
    answer.save(update_fields=["hazard"])
    record_event(
        actor=actor,
        verb="assessment.hazard_raised",
        target=assessment,
        payload={"item": answer.code, "hazard_id": hazard.pk, "hazard": str(hazard)},
    )
    return hazard
