"""Major hazards with fixed dates around the half month that ended last (the bulletin's
period), on the county of tests/conftest.py, and a private media folder for the files."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from hazards.models import Hazard, HazardClass, HazardSource, HazardStatus, MajorHazardListing
from safetyportal.core.reports import last_half_month


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_hazard(
    enterprise,
    *,
    number,
    status,
    found_on,
    deadline,
    determined_on=None,
    closed_on=None,
    major=True,
    description="储罐区可燃气体报警器失效",
):
    hazard = Hazard.objects.create(
        enterprise=enterprise,
        town=enterprise.town,
        industry=enterprise.industry,
        source=HazardSource.INSPECTION,
        description=description,
        location="储罐区",
        hazard_class=HazardClass.MAJOR if major else HazardClass.GENERAL,
        status=status,
        found_on=found_on,
        deadline=deadline,
        original_deadline=deadline,
        responsible_person="周经理",
        closed_on=closed_on,
    )
    if major:
        MajorHazardListing.objects.create(
            hazard=hazard,
            list_number=number,
            determined_on=determined_on or found_on,
            determination_basis="县安委会专题会议纪要",
        )
    return hazard


@pytest.fixture
def make_major():
    def make(enterprise, **values):
        return make_hazard(
            enterprise, status=values.pop("status", HazardStatus.RECTIFYING), **values
        )

    return make


@pytest.fixture
def period():
    start, end, label = last_half_month(timezone.localdate())
    return SimpleNamespace(start=start, end=end, label=label)


@pytest.fixture
def majors(county, period):
    """Five major hazards: two overdue at the period's end (one 30 days, one 3 days), one
    listed in the period and open within its deadline, one closed in the period, one closed
    long before; and a general hazard (never in the bulletin)."""
    day = datetime.timedelta(days=1)
    before = period.start - 60 * day
    return SimpleNamespace(
        long_overdue=make_hazard(
            county.xdk_chem,
            number="LX-001",
            status=HazardStatus.RECTIFYING,
            found_on=before,
            deadline=period.end - 29 * day,
            description="液氨储罐安全阀超期未检",
        ),
        overdue=make_hazard(
            county.ly_chem,
            number="LX-002",
            status=HazardStatus.RECTIFYING,
            found_on=before,
            deadline=period.end - 2 * day,
            description="反应釜紧急切断装置失效",
        ),
        new=make_hazard(
            county.xdk_build,
            number="LX-003",
            status=HazardStatus.RECTIFYING,
            found_on=period.start,
            deadline=period.end + 90 * day,
            description="深基坑支护未按方案施工",
        ),
        closed=make_hazard(
            county.ly_build,
            number="LX-004",
            status=HazardStatus.CLOSED,
            found_on=before,
            deadline=period.end,
            closed_on=period.start + day,
            description="塔吊基础沉降超标",
        ),
        closed_before=make_hazard(
            county.ly_build,
            number="LX-005",
            status=HazardStatus.CLOSED,
            found_on=before,
            deadline=before + 10 * day,
            closed_on=before + 5 * day,
            description="外脚手架未设连墙件",
        ),
        general=make_hazard(
            county.xdk_build,
            number="",
            status=HazardStatus.RECTIFYING,
            major=False,
            found_on=period.start,
            deadline=period.start - day,
            description="消防通道堆放杂物",
        ),
    )
