from __future__ import annotations

from django import template
from django.utils import timezone

from enterprises.assessment import AssessmentPeriod, AssessmentStatus, SelfAssessment
from enterprises.assessment_services import enterprises_not_submitted
from enterprises.models import Enterprise
from enterprises.permissions import can_follow_up
from enterprises.selectors import compliance_of
from safetyportal.accounts.models import Role

register = template.Library()


@register.inclusion_tag("enterprises/_todo_card.html", takes_context=True)
def enterprise_todo(context):
    """The home page's duties and self-assessment card: for an enterprise, what its own
    records lack and where its assessment stands; for officials, what awaits them."""
    user = context["request"].user
    today = timezone.localdate()
    period = AssessmentPeriod.objects.filter(year=today.year).first()
    card = {"period": period, "role": user.role, "Role": Role}
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        enterprise = Enterprise.objects.with_duty_records().get(pk=user.enterprise_id)
        card["enterprise"] = enterprise
        card["problems"] = [r for r in compliance_of(enterprise, today=today) if not r.ok]
        card["assessment"] = (
            SelfAssessment.objects.filter(enterprise=enterprise, period=period).first()
            if period
            else None
        )
    elif can_follow_up(user):
        visible = SelfAssessment.objects.visible_to(user)
        card["awaiting_review"] = visible.filter(status=AssessmentStatus.SUBMITTED).count()
        card["not_submitted"] = (
            enterprises_not_submitted(Enterprise.objects.visible_to(user), period=period).count()
            if period
            else None
        )
    else:
        return {"hidden": True}
    return card
