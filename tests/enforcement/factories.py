"""Factories for the enforcement app. Records beyond their first state are reached through
the services (tests/enforcement/conftest.py), so the audit trail is always real. Each area
keeps its factories in its own section."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from enforcement.authority.models import (
    DelegatedItem,
    OfficerCertificate,
    Procedure,
    TownAuthorisation,
)
from tests.factories import DepartmentFactory, OrganisationFactory, UserFactory


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


# --- authority ---------------------------------------------------------------------------


class DelegatedItemFactory(factory.django.DjangoModelFactory):
    """A fine-and-warning item of 安全生产法 Art. 99 (fine up to 50,000 yuan), both
    procedures allowed."""

    class Meta:
        model = DelegatedItem
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"WT-{n:03d}")
    name = factory.Sequence(lambda n: f"未在有较大危险因素的场所设置安全警示标志（{n}）")
    delegating_department = factory.SubFactory(DepartmentFactory)
    legal_basis = "《中华人民共和国安全生产法》第三十五条"
    penalty_basis = "《中华人民共和国安全生产法》第九十九条第一项"
    allows_warning = True
    min_fine = Decimal("0.01")
    max_fine = Decimal("50000")
    allows_simple = True
    allows_general = True


class TownAuthorisationFactory(factory.django.DjangoModelFactory):
    """A simple-only delegation valid from a year ago to a year ahead."""

    class Meta:
        model = TownAuthorisation
        skip_postgeneration_save = True

    town = factory.SubFactory(OrganisationFactory)
    document_number = factory.Sequence(lambda n: f"澧政委〔2025〕{n + 1}号")
    procedure_level = Procedure.SIMPLE
    valid_from = factory.LazyFunction(lambda: days(-365))
    valid_until = factory.LazyFunction(lambda: days(365))

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if create and extracted:
            self.items.set(extracted)


class OfficerCertificateFactory(factory.django.DjangoModelFactory):
    """A certificate valid from two years ago to two years ahead."""

    class Meta:
        model = OfficerCertificate

    officer = factory.SubFactory(UserFactory)
    number = factory.Sequence(lambda n: f"43070{n:07d}")
    issued_on = factory.LazyFunction(lambda: days(-730))
    expires_on = factory.LazyFunction(lambda: days(730))


# --- plans -------------------------------------------------------------------------------


class InspectionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "enforcement.InspectionPlan"

    year = factory.LazyFunction(lambda: timezone.localdate().year)
    title = factory.LazyAttribute(lambda o: f"{o.unit.name}{o.year}年度执法检查计划")
    created_by = factory.SubFactory("tests.factories.CountyOfficerFactory")


class PlanTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "enforcement.PlanTarget"

    month = 1
    kind = "area"


class TownPairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "enforcement.TownPairing"

    year = factory.LazyFunction(lambda: timezone.localdate().year)


class GuidanceVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "enforcement.GuidanceVisit"

    visited_on = factory.LazyFunction(timezone.localdate)
    content = "检查督导镇街执法检查计划落实情况"
    recorded_by = factory.LazyAttribute(lambda o: o.pairing.chief)


# --- inspections -------------------------------------------------------------------------


class ChecklistTemplateFactory(factory.django.DjangoModelFactory):
    """A current general checklist (industry None) with three items."""

    class Meta:
        model = "enforcement.ChecklistTemplate"
        skip_postgeneration_save = True

    industry = None
    title = factory.Sequence(lambda n: f"通用安全生产检查表（{n}）")
    version = 1
    is_current = True

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        from enforcement.inspections.models import ChecklistItem

        if not create:
            return
        texts = extracted or [
            "疏散通道、安全出口畅通",
            "特种作业人员持证上岗",
            "设置明显的安全警示标志",
        ]
        ChecklistItem.objects.bulk_create(
            ChecklistItem(template=self, order=n, text=text) for n, text in enumerate(texts, 1)
        )


# --- cases -------------------------------------------------------------------------------

# --- accidents and exposure --------------------------------------------------------------


class AccidentFactory(factory.django.DjangoModelFactory):
    """An accident reported 30 minutes after it happened (grade and lateness computed on
    save)."""

    class Meta:
        model = "enforcement.Accident"

    unit = factory.SubFactory(OrganisationFactory)
    town = factory.SelfAttribute("unit")
    party_name = "某事故单位"
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))
    reported_at = factory.LazyAttribute(lambda o: o.occurred_at + datetime.timedelta(minutes=30))
    place = "厂区"
    course = "作业中发生物体打击"
    deaths = 1
    reported_by = "负责人"
    recorded_by = factory.SubFactory(UserFactory)
    direct_loss = Decimal("100000")


class ClosedCaseFactory(factory.django.DjangoModelFactory):
    """A closed simple-procedure case (a fine of 500 yuan on an organisation), created
    directly: the exposure and repeat-offender tests need closed cases, not the case
    workflow. Pass `unit`, `item` and `enterprise` (e.g. from the `powers` fixture); the
    factory refuses a case rules.py would refuse."""

    class Meta:
        model = "enforcement.Case"
        skip_postgeneration_save = True

    unit = factory.LazyAttribute(lambda o: o.enterprise.town)
    town = factory.LazyAttribute(lambda o: o.enterprise.town)
    procedure = Procedure.SIMPLE
    party_kind = "organisation"
    party_name = factory.LazyAttribute(lambda o: o.enterprise.name)
    facts = "现场检查发现有较大危险因素的生产场所未设置明显的安全警示标志。"
    status = "closed"
    penalty_kind = "fine"
    fine = Decimal("500")
    decided_on = factory.LazyFunction(lambda: days(-10))
    filed_on = factory.LazyAttribute(lambda o: o.decided_on)
    closed_on = factory.LazyAttribute(lambda o: o.decided_on)
    decision_number = factory.Sequence(lambda n: f"澧应急简罚〔2026〕{n + 1}号")
    created_by = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from enforcement import rules

        reason = rules.authority_refusal(
            unit=kwargs["unit"],
            item=kwargs["item"],
            procedure=kwargs["procedure"],
            day=kwargs["decided_on"] or days(0),
        ) or rules.fine_refusal(
            item=kwargs["item"],
            procedure=kwargs["procedure"],
            party_kind=kwargs["party_kind"],
            fine=kwargs["fine"] if kwargs["penalty_kind"] == "fine" else None,
        )
        if reason:
            raise ValueError(reason)
        return super()._create(model_class, *args, **kwargs)
