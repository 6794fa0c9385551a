from __future__ import annotations

from django import template
from django.utils import timezone

from enterprises.assessment.models import AssessmentPeriod, AssessmentStatus, SelfAssessment
from enterprises.assessment.selectors import enterprises_not_submitted
from enterprises.duties.selectors import compliance_of
from enterprises.permissions import Action, may
from enterprises.registry.models import Enterprise

register = template.Library()


@register.inclusion_tag("enterprises/_todo_card.html", takes_context=True)
def enterprise_todo(context):
    """The home page's duties and self-assessment card: for an enterprise, what its own
    records lack and where its assessment stands; for officials, what awaits them."""
    user = context["request"].user
    today = timezone.localdate()
    period = AssessmentPeriod.objects.filter(year=today.year).first()
    own = may(user, Action.START_ASSESSMENT)  # an enterprise's own manager
    card = {"period": period, "own_enterprise": own}
    if own:
        enterprise = Enterprise.objects.with_duty_records().get(pk=user.enterprise_id)
        card["enterprise"] = enterprise
        card["problems"] = [r for r in compliance_of(enterprise, today=today) if not r.ok]
        card["assessment"] = (
            SelfAssessment.objects.filter(enterprise=enterprise, period=period).first()
            if period
            else None
        )
    elif may(user, Action.FOLLOW_UP):
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
