"""Demo statutory duties and self-assessments for `manage.py load_demo`.

Enterprises of 小渡口镇 get duty records in every compliance state (all pass, due soon,
expired, missing) and self-assessments in every state (draft, submitted, returned,
accepted); the demo enterprise (华鑫建材) gets a mixed record and no assessment this year,
so its manager can start one. Rows are bulk-created (no audit events, like
load_scale_data). Idempotent: enterprises that already have duty records are skipped.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from enterprises.assessment.models import (
    AssessmentAnswer,
    AssessmentStatus,
    AssessmentTemplate,
    SelfAssessment,
)
from enterprises.assessment.services import ensure_period
from enterprises.duties.compliance import add_months
from enterprises.duties.judging import judge_all, judge_enterprises
from enterprises.duties.models import (
    DocumentKind,
    DutyDocument,
    EmergencyDrill,
    EmergencyPlan,
    InsuranceMandate,
    LiabilityInsurance,
    OperationCategory,
    PlanKind,
    SafetyCost,
    SafetyStaffing,
    SpecialOperationCertificate,
    TraineeRole,
    TrainingRecord,
)
from enterprises.models import Enterprise
from enterprises.reference import (
    ensure_grade_bands,
    ensure_insurance_mandates,
    ensure_safety_cost_reference,
    load_assessment_template,
)

DEMO_TOWN = "430723102"  # 小渡口镇
DEMO_ENTERPRISE_NAME = "澧县小渡口镇华鑫建材有限公司"
PROFILES = ("pass", "due_soon", "expired", "missing")
ASSESSMENT_STATES = (
    AssessmentStatus.DRAFT,
    AssessmentStatus.SUBMITTED,
    AssessmentStatus.RETURNED,
    AssessmentStatus.ACCEPTED,
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _records(enterprise: Enterprise, profile: str, today: datetime.date) -> list:
    """Unsaved duty records putting `enterprise` in the given compliance state."""
    if profile == "missing":
        return [SafetyStaffing(enterprise=enterprise)]  # no manager at all
    days = datetime.timedelta
    if profile == "pass":
        ends, cert, on_site, plan, trained = (
            today + days(200),
            add_months(today, 30),
            today - days(40),
            today - days(300),
            today - days(60),
        )
    elif profile == "due_soon":
        ends, cert, on_site, plan, trained = (
            today + days(12),
            today + days(20),
            add_months(today, -6) + days(10),
            add_months(today, -36) + days(15),
            add_months(today, -12) + days(20),
        )
    else:  # expired
        ends, cert, on_site, plan, trained = (
            today - days(20),
            today - days(5),
            add_months(today, -7),
            add_months(today, -40),
            add_months(today, -14),
        )
    records = [
        SafetyStaffing(
            enterprise=enterprise,
            has_safety_body=enterprise.employee_count > 100,
            body_name="安全环保部" if enterprise.employee_count > 100 else "",
            full_time_staff=2,
            part_time_staff=1,
        ),
        SafetyCost(
            enterprise=enterprise,
            year=today.year if profile != "expired" else today.year - 1,
            base_amount=Decimal("2000"),
            rate_percent=Decimal("1.5"),
            extracted=Decimal("30"),
            used=Decimal("22.5"),
        ),
        LiabilityInsurance(
            enterprise=enterprise,
            policy_number=f"PAZX{enterprise.pk:08d}",
            insurer="中国人民财产保险股份有限公司澧县支公司",
            starts_on=ends - days(364),
            ends_on=ends,
            cover_per_person=Decimal("40"),
        ),
        SpecialOperationCertificate(
            enterprise=enterprise,
            worker_name="刘建军",
            category=OperationCategory.ELECTRICAL,
            number=f"T43072319{enterprise.pk:06d}",
            expires_on=cert,
        ),
        SpecialOperationCertificate(
            enterprise=enterprise,
            worker_name="黄志强",
            category=OperationCategory.WELDING,
            number=f"T43072318{enterprise.pk:06d}",
            expires_on=add_months(today, 40),
        ),
        EmergencyPlan(
            enterprise=enterprise,
            kind=PlanKind.COMPREHENSIVE,
            title="生产安全事故综合应急预案",
            filed_on=plan,
        ),
        EmergencyPlan(
            enterprise=enterprise,
            kind=PlanKind.ON_SITE,
            title="火灾事故现场处置方案",
            filed_on=plan,
        ),
        EmergencyDrill(
            enterprise=enterprise,
            plan_kind=PlanKind.COMPREHENSIVE,
            held_on=today - days(90),
            summary="综合应急预案桌面推演",
        ),
        EmergencyDrill(
            enterprise=enterprise,
            plan_kind=PlanKind.ON_SITE,
            held_on=on_site,
            summary="灭火疏散演练",
        ),
    ]
    for role, name in (
        (TraineeRole.PRINCIPAL, enterprise.principal_name),
        (TraineeRole.SAFETY_MANAGER, "何安全"),
    ):
        records.append(
            TrainingRecord(
                enterprise=enterprise,
                trainee_role=role,
                trainee_name=name,
                trained_on=trained,
                hours=32,
                content="安全生产知识和管理能力年度培训",
                passed=True,
            )
        )
    return records


def _documents(enterprise: Enterprise, kinds) -> None:
    for kind in kinds:
        document = DutyDocument(
            enterprise=enterprise,
            kind=kind,
            title=f"{enterprise.name}{DocumentKind(kind).label}",
            issued_on=datetime.date(timezone.localdate().year, 1, 10),
        )
        document.file.save(f"{kind}.pdf", ContentFile(PDF), save=False)
        document.save()


def _assessment(enterprise, template, period, state, scores_ratio: Decimal) -> None:
    assessment = SelfAssessment.objects.create(
        enterprise=enterprise, period=period, template=template, status=AssessmentStatus.DRAFT
    )
    answers = []
    for index, item in enumerate(template.items.all()):
        filled = state != AssessmentStatus.DRAFT or index < 8
        score = (Decimal(item.points) * scores_ratio * 2).quantize(Decimal("1")) / 2
        answers.append(
            AssessmentAnswer(
                assessment=assessment,
                code=item.code,
                area=item.area,
                requirement=item.requirement,
                legal_basis=item.legal_basis,
                points=item.points,
                evidence_hint=item.evidence_hint,
                sort_order=item.sort_order,
                score=score if filled else None,
                note="已落实，见附件" if filled else "",
            )
        )
    AssessmentAnswer.objects.bulk_create(answers)
    if state == AssessmentStatus.DRAFT:
        return
    now = timezone.now()
    assessment.compute_result(answers)
    assessment.status = state
    assessment.submitted_at = now - datetime.timedelta(days=5)
    if state in (AssessmentStatus.RETURNED, AssessmentStatus.ACCEPTED):
        assessment.reviewed_at = now - datetime.timedelta(days=2)
        assessment.review_note = (
            "佐证材料不全，请补充应急演练记录后重新提交。"
            if state == AssessmentStatus.RETURNED
            else "经核查，自评情况属实。"
        )
    assessment.save()


@transaction.atomic
def load_enterprise_duties_demo(stdout) -> None:
    # load_demo ensures the reference before it registers (and judges) the enterprises;
    # if it was missing here, every enterprise's stored results must be rebuilt
    reference_added = ensure_insurance_mandates() + ensure_grade_bands()
    ensure_safety_cost_reference()
    load_assessment_template()
    today = timezone.localdate()
    period = ensure_period(year=today.year)
    template = AssessmentTemplate.objects.current()
    town = (
        Enterprise.objects.filter(town__code=DEMO_TOWN)
        .exclude(name=DEMO_ENTERPRISE_NAME)
        .order_by("uscc")
    )
    mandated = InsuranceMandate.objects.values("industry_id")
    # four in mandatory-insurance industries first, so insurance shows all four states
    candidates = list(town.filter(industry__in=mandated)[:4]) + list(
        town.exclude(industry__in=mandated)[:8]
    )
    done = set(
        SafetyStaffing.objects.filter(enterprise__in=candidates).values_list(
            "enterprise_id", flat=True
        )
    )
    records, touched = [], 0
    for index, enterprise in enumerate(candidates):
        if enterprise.pk in done:
            continue
        touched += 1
        profile = PROFILES[index % len(PROFILES)]
        records.extend(_records(enterprise, profile, today))
        if profile != "missing":
            kinds = DocumentKind.values if profile == "pass" else DocumentKind.values[:3]
            _documents(enterprise, kinds)
        if index < 8:
            state = ASSESSMENT_STATES[index % len(ASSESSMENT_STATES)]
            ratio = Decimal("0.95") if index % 3 == 0 else Decimal("0.7")
            _assessment(enterprise, template, period, state, ratio)
    demo = Enterprise.objects.filter(name=DEMO_ENTERPRISE_NAME).first()
    if demo is not None and not SafetyStaffing.objects.filter(enterprise=demo).exists():
        touched += 1
        mixed = _records(demo, "pass", today)
        # a mixed picture for the demo login: one certificate about to expire, no insurance
        mixed = [r for r in mixed if not isinstance(r, LiabilityInsurance)]
        mixed.append(
            SpecialOperationCertificate(
                enterprise=demo,
                worker_name="周海波",
                category=OperationCategory.HEIGHT,
                number="T430723199001010011",
                expires_on=today + datetime.timedelta(days=9),
            )
        )
        records.extend(mixed)
        _documents(demo, DocumentKind.values[:4])
    by_model: dict[type, list] = {}
    for record in records:
        by_model.setdefault(type(record), []).append(record)
    for model, rows in by_model.items():
        model.objects.bulk_create(rows)
    # the stored compliance results: of the enterprises given records here, or of every
    # enterprise when the reference was added just now
    if reference_added:
        judge_all(today=today)
    else:
        judge_enterprises([e.pk for e in [*candidates, demo] if e is not None], today=today)
    stdout.write(
        f"法定职责和自评演示数据：新增 {touched} 家企业的记录（{period}，截止 {period.due_on:%Y-%m-%d}）。"
    )
