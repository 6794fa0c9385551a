"""The demo loader puts enterprises in every compliance state and assessments in every
state, and a second run adds nothing."""

from __future__ import annotations

import io
from collections import defaultdict

from django.utils import timezone

from enterprises.assessment.models import AssessmentStatus, SelfAssessment
from enterprises.demo import load_enterprise_duties_demo
from enterprises.duties.compliance import Check, Status
from enterprises.duties.models import SafetyStaffing
from enterprises.duties.selectors import compliance_of
from enterprises.models import Enterprise
from tests.enterprises.factories_duties import InsuranceMandateFactory
from tests.factories import EnterpriseFactory, IndustryFactory


def test_demo_covers_every_state_and_is_idempotent(county):
    mandatory = IndustryFactory(code="whp", name="危险化学品（演示）", is_high_risk=True)
    InsuranceMandateFactory(industry=mandatory)
    EnterpriseFactory.create_batch(4, town=county.town, industry=mandatory)
    EnterpriseFactory.create_batch(8, town=county.town, industry=county.industry_b)

    load_enterprise_duties_demo(io.StringIO())
    states = defaultdict(set)
    today = timezone.localdate()
    for enterprise in Enterprise.objects.filter(town=county.town).with_duty_records():
        for result in compliance_of(enterprise, today=today):
            states[result.check].add(result.status)
    every = {Status.PASS, Status.DUE_SOON, Status.EXPIRED, Status.MISSING}
    for check in (Check.INSURANCE, Check.CERTIFICATES, Check.DRILLS, Check.PLANS, Check.TRAINING):
        assert states[check] >= every - (
            {Status.MISSING} if check == Check.CERTIFICATES else set()
        ), check
    assert states[Check.STAFFING] == {Status.PASS, Status.MISSING}
    assert set(SelfAssessment.objects.values_list("status", flat=True)) == set(
        AssessmentStatus.values
    )

    counts = (SafetyStaffing.objects.count(), SelfAssessment.objects.count())
    out = io.StringIO()
    load_enterprise_duties_demo(out)
    assert (SafetyStaffing.objects.count(), SelfAssessment.objects.count()) == counts
    assert "新增 0 家" in out.getvalue()
