"""Reads of the self-assessments: who has not submitted. (Whose high score does not match
the hazards found there is read above both apps, in hazards/assessment_selectors.py.)"""

from __future__ import annotations

from enterprises.assessment.models import AssessmentPeriod, SelfAssessment
from enterprises.registry.models import EnterpriseStatus


def enterprises_not_submitted(queryset, *, period: AssessmentPeriod):
    """Operating enterprises of `queryset` with no submitted or accepted assessment
    (`period` may be unsaved: nobody has started one yet)."""
    operating = queryset.filter(status=EnterpriseStatus.OPERATING)
    if period.pk is None:
        return operating
    done = SelfAssessment.objects.filter(period=period).submitted().values("enterprise_id")
    return operating.exclude(pk__in=done)
