"""Factories for the hazards app. Workflow states beyond "reported" are reached through
the services (tests/hazards/conftest.py), so the audit trail is always real."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from hazards.models import Hazard, HazardSource, RiskPoint
from tests.factories import EnterpriseFactory


class HazardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hazard

    enterprise = factory.SubFactory(EnterpriseFactory)
    town = factory.LazyAttribute(lambda h: h.enterprise.town)
    industry = factory.LazyAttribute(lambda h: h.enterprise.industry)
    source = HazardSource.INSPECTION
    description = factory.Sequence(lambda n: f"配电箱未接地，电缆老化破损（{n}）")
    location = factory.Sequence(lambda n: f"{n}号车间")
    found_on = factory.LazyFunction(timezone.localdate)
    deadline = factory.LazyAttribute(lambda h: h.found_on + datetime.timedelta(days=30))
    original_deadline = factory.LazyAttribute(lambda h: h.deadline)
    responsible_person = "周经理"


class RiskPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskPoint

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"危化品仓库{n}")
    hazard_factors = "泄漏、火灾、爆炸"
    likelihood = Decimal("3")
    exposure = Decimal("6")
    consequence = Decimal("15")
    control_measures = "每日巡查，配置可燃气体报警器"
    responsible_person = "李四"
    check_frequency = "daily"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.compute_score()
        obj.save()
        return obj
