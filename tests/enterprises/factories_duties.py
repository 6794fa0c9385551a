"""Factories for statutory-duty records and self-assessments (the enterprises issue)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises.assessment.models import (
    Area,
    AssessmentPeriod,
    AssessmentTemplate,
    TemplateItem,
)
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
from tests.factories import EnterpriseFactory, IndustryFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def pdf_upload(name: str = "制度.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def fake_pdf_upload(name: str = "制度.pdf") -> SimpleUploadedFile:
    """A file named .pdf whose content is a Windows executable."""
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")


class InsuranceMandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsuranceMandate
        django_get_or_create = ("industry",)

    industry = factory.SubFactory(IndustryFactory)


class DutyFactory(factory.django.DjangoModelFactory):
    enterprise = factory.SubFactory(EnterpriseFactory)


class StaffingFactory(DutyFactory):
    class Meta:
        model = SafetyStaffing

    has_safety_body = False
    full_time_staff = 1
    part_time_staff = 0


class DocumentFactory(DutyFactory):
    class Meta:
        model = DutyDocument

    kind = DocumentKind.RESPONSIBILITY_SYSTEM
    title = factory.LazyAttribute(lambda d: str(DocumentKind(d.kind).label))
    issued_on = datetime.date(2026, 1, 5)
    file = factory.LazyFunction(pdf_upload)


class SafetyCostFactory(DutyFactory):
    class Meta:
        model = SafetyCost

    year = 2026
    base_amount = Decimal("1000")
    rate_percent = Decimal("2")
    extracted = Decimal("20")
    used = Decimal("15")


class InsuranceFactory(DutyFactory):
    class Meta:
        model = LiabilityInsurance

    policy_number = factory.Sequence(lambda n: f"AZX{n:08d}")
    insurer = "中国人保财险澧县支公司"
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2026, 12, 31)
    cover_per_person = Decimal("40")


class CertificateFactory(DutyFactory):
    class Meta:
        model = SpecialOperationCertificate

    worker_name = factory.Sequence(lambda n: f"工人{n}")
    category = OperationCategory.ELECTRICAL
    number = factory.Sequence(lambda n: f"T4307{n:010d}")
    expires_on = datetime.date(2029, 1, 1)


class PlanFactory(DutyFactory):
    class Meta:
        model = EmergencyPlan

    kind = PlanKind.COMPREHENSIVE
    title = "生产安全事故综合应急预案"
    filed_on = datetime.date(2025, 3, 1)


class DrillFactory(DutyFactory):
    class Meta:
        model = EmergencyDrill

    plan_kind = PlanKind.ON_SITE
    held_on = datetime.date(2026, 6, 1)
    summary = "火灾现场处置演练"


class TrainingFactory(DutyFactory):
    class Meta:
        model = TrainingRecord

    trainee_role = TraineeRole.PRINCIPAL
    trainee_name = "李四"
    trained_on = datetime.date(2026, 3, 1)
    hours = 48
    content = "主要负责人安全生产知识和管理能力培训"
    passed = True


class TemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentTemplate
        django_get_or_create = ("version",)

    version = factory.Sequence(lambda n: 100 + n)
    title = "测试自评表"


class TemplateItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateItem

    template = factory.SubFactory(TemplateFactory)
    code = factory.Sequence(lambda n: f"T{n}")
    area = Area.RESPONSIBILITY
    requirement = factory.Sequence(lambda n: f"要求{n}")
    legal_basis = "安全生产法第21条"
    points = 10
    sort_order = factory.Sequence(lambda n: n)


def small_template(version: int = 50) -> AssessmentTemplate:
    """A four-item template (40 points) spanning three areas."""
    template = TemplateFactory(version=version, title=f"测试自评表{version}")
    if template.items.exists():
        return template
    for code, area, points in (
        ("A1", Area.RESPONSIBILITY, 10),
        ("B1", Area.ORGANISATION, 10),
        ("G1", Area.EMERGENCY, 10),
        ("G2", Area.EMERGENCY, 10),
    ):
        TemplateItemFactory(template=template, code=code, area=area, points=points)
    return template


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentPeriod
        django_get_or_create = ("year",)

    year = 2026
    due_on = datetime.date(2026, 11, 30)
