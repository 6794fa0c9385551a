"""Named personas (one per role) on a small county: two towns, two departments, two
industries, this year's published supervision map and two enterprises in each town.

    小渡口镇 (430723102)   xdk_chem (industry A, high risk)   xdk_build (industry B)
    澧阳街道 (430723002)   ly_chem  (industry A)              ly_build  (industry B)

    map (this year, published): industry A -> 应急管理局, industry B -> 住建局
"""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from enterprises.registry.services import grant_expert_access
from responsibilities.models import OrganisationKind
from tests.factories import (
    AssignmentFactory,
    CountyOfficerFactory,
    DepartmentFactory,
    DepartmentUserFactory,
    EnterpriseFactory,
    EnterpriseUserFactory,
    ExpertFactory,
    IndustryFactory,
    LeaderFactory,
    OfficeFactory,
    OrganisationFactory,
    SupervisionMapFactory,
    TownUserFactory,
    UserFactory,
)

# Playwright's sync API (tests/browser) keeps an event loop running in the main thread, and
# Django then refuses ORM calls from every later test; `make test` sets this too.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def county(db):
    office = OfficeFactory()
    town = OrganisationFactory(code="430723102", name="小渡口镇", kind=OrganisationKind.TOWN)
    other_town = OrganisationFactory(
        code="430723002", name="澧阳街道", kind=OrganisationKind.SUBDISTRICT
    )
    department = DepartmentFactory(code="YJJ", name="应急管理局")
    other_department = DepartmentFactory(code="ZJJ", name="住建局")
    industry_a = IndustryFactory(code="CHEM", name="危险化学品", is_high_risk=True)
    industry_b = IndustryFactory(code="BUILD", name="建筑施工")
    supervision_map = SupervisionMapFactory()
    AssignmentFactory(supervision_map=supervision_map, industry=industry_a, department=department)
    AssignmentFactory(
        supervision_map=supervision_map, industry=industry_b, department=other_department
    )
    return SimpleNamespace(
        office=office,
        town=town,
        other_town=other_town,
        department=department,
        other_department=other_department,
        industry_a=industry_a,
        industry_b=industry_b,
        supervision_map=supervision_map,
        xdk_chem=EnterpriseFactory(
            name="小渡口化工有限公司", town=town, industry=industry_a, is_high_risk=True
        ),
        xdk_build=EnterpriseFactory(name="小渡口建筑工程公司", town=town, industry=industry_b),
        ly_chem=EnterpriseFactory(name="澧阳化工有限公司", town=other_town, industry=industry_a),
        ly_build=EnterpriseFactory(name="澧阳建设集团", town=other_town, industry=industry_b),
    )


@pytest.fixture
def county_officer(county):
    return CountyOfficerFactory(
        username="county_officer", display_name="王安委", organisation=county.office
    )


@pytest.fixture
def leader(county):
    return LeaderFactory(username="leader", display_name="赵县长")


@pytest.fixture
def department_official(county):
    return DepartmentUserFactory(
        username="department_official", display_name="钱应急", organisation=county.department
    )


@pytest.fixture
def town_official(county):
    return TownUserFactory(
        username="town_official", display_name="孙镇长", organisation=county.town
    )


@pytest.fixture
def other_town_official(county):
    return TownUserFactory(
        username="other_town_official", display_name="李街道", organisation=county.other_town
    )


@pytest.fixture
def enterprise_manager(county):
    return EnterpriseUserFactory(
        username="enterprise_manager", display_name="周经理", enterprise=county.xdk_build
    )


@pytest.fixture
def expert(county, county_officer):
    user = ExpertFactory(username="expert", display_name="吴专家")
    grant_expert_access(actor=county_officer, expert=user, enterprise=county.ly_build)
    return user


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider", display_name="郑路人")


@pytest.fixture
def client_for(db):
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api_client_for(db):
    def make(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The local-memory cache holds throttle counters (the token endpoint allows 20 a
    minute); clear it so one test's requests never count against another's."""
    from django.core.cache import caches

    yield
    for cache in caches.all():  # the throttle counters and the kept home figures
        cache.clear()


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """Each test starts in the portal's default language. A request made in English (the
    language switch) leaves English active in the thread, which would leak into the
    next test's labels."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
