"""factory_boy factories for the foundation: organisations, industries, the supervision
map, enterprises (with valid USCCs) and one user factory per role."""

from __future__ import annotations

import factory
from django.utils import timezone

from enterprises.models import Enterprise
from enterprises.registry.uscc import check_character
from responsibilities.models import (
    Industry,
    Organisation,
    OrganisationKind,
    ReminderTopic,
    SupervisionAssignment,
    SupervisionMap,
)
from safetyportal.accounts.models import Role, User

PASSWORD = "pw-Secret-2026"


def valid_uscc(n: int, division: str = "430723") -> str:
    """A valid 统一社会信用代码 built from a sequence number (check character computed)."""
    first_17 = f"91{division}{n:09d}"
    return first_17 + check_character(first_17)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A town (镇) by default, with a unique 9-digit administrative code."""

    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{430799000 + n}")
    name = factory.Sequence(lambda n: f"测试{n}镇")
    kind = OrganisationKind.TOWN
    sort_order = factory.Sequence(lambda n: 100 + n)


class DepartmentFactory(OrganisationFactory):
    code = factory.Sequence(lambda n: f"DEPT{n:03d}")
    name = factory.Sequence(lambda n: f"测试局{n}")
    kind = OrganisationKind.DEPARTMENT


class OfficeFactory(OrganisationFactory):
    code = "AWB"
    name = "县安委会办公室"
    kind = OrganisationKind.OFFICE


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"IND{n:03d}")
    name = factory.Sequence(lambda n: f"行业{n}")


class SupervisionMapFactory(factory.django.DjangoModelFactory):
    """This year's map, published."""

    class Meta:
        model = SupervisionMap

    year = factory.LazyFunction(lambda: timezone.localdate().year)
    title = factory.LazyAttribute(lambda m: f"{m.year}年行业领域安全监管责任划分")
    published_at = factory.LazyFunction(timezone.now)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionAssignment

    supervision_map = factory.SubFactory(SupervisionMapFactory)
    industry = factory.SubFactory(IndustryFactory)
    department = factory.SubFactory(DepartmentFactory)
    is_lead = True


SupervisionAssignmentFactory = AssignmentFactory


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n:05d}有限公司")
    uscc = factory.Sequence(valid_uscc)
    town = factory.SubFactory(OrganisationFactory)
    industry = factory.SubFactory(IndustryFactory)
    address = factory.Sequence(lambda n: f"澧县测试路{n}号")
    employee_count = 20
    legal_representative = "张三"
    principal_name = "李四"
    principal_phone = "13800000000"


class ReminderTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReminderTopic

    title = factory.Sequence(lambda n: f"防汛安全提醒{n}")
    body = "汛期将至，请各镇街加强巡查。"
    months = ""


class UserFactory(factory.django.DjangoModelFactory):
    """An active user with no role (an outsider); the role factories below add one."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.django.Password(PASSWORD)
    role = ""


class CountyOfficerFactory(UserFactory):
    role = Role.COUNTY_OFFICE
    organisation = factory.SubFactory(OfficeFactory)
    is_staff = True


class LeaderFactory(UserFactory):
    role = Role.LEADER


class DepartmentUserFactory(UserFactory):
    role = Role.DEPARTMENT
    organisation = factory.SubFactory(DepartmentFactory)


class TownUserFactory(UserFactory):
    role = Role.TOWN
    organisation = factory.SubFactory(OrganisationFactory)


class EnterpriseUserFactory(UserFactory):
    role = Role.ENTERPRISE
    enterprise = factory.SubFactory(EnterpriseFactory)


class ExpertFactory(UserFactory):
    role = Role.EXPERT


def evidence_photo(name: str = "整改后.png"):
    """A small valid PNG as an uploaded file: the photo a rectification is submitted with."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
