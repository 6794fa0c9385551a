"""Hazards on the county of tests/conftest.py: a general hazard at 小渡口建筑工程公司
(xdk_build, the enterprise_manager's enterprise), and helpers that walk a hazard to a
given step through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from hazards import services
from hazards.models import HazardSource


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def report(county, town_official):
    def make(enterprise=None, actor=None, **overrides):
        values = {
            "actor": actor or town_official,
            "enterprise": enterprise or county.xdk_build,
            "source": HazardSource.INSPECTION,
            "description": "脚手架连墙件缺失，立杆基础沉降",
            "location": "3号楼施工现场",
            "deadline": days(20),
            "responsible_person": "周经理",
        }
        values.update(overrides)
        return services.report_hazard(**values)

    return make


@pytest.fixture
def hazard(report):
    return report()


DETERMINATION = {
    "list_number": "LX-2026-001",
    "determination_basis": "县安委会2026年第3次专题会议纪要",
    "determined_on": None,
    "is_supervised": True,
}


@pytest.fixture
def determine(county_officer):
    def run(hazard, **overrides):
        values = {**DETERMINATION, "determined_on": timezone.localdate(), **overrides}
        return services.determine_major_hazard(actor=county_officer, hazard_id=hazard.pk, **values)

    return run


@pytest.fixture
def assign(county, county_officer):
    def run(hazard, **overrides):
        values = {
            "slip_number": "LX-JB-2026-001",
            "responsible_unit": county.xdk_build.name,
            "supervising_unit": county.other_department,
            "deadline": days(60),
            "responsible_person": "周经理",
            "measures": "加设连墙件，基础加固",
            "funds_amount": Decimal("12.50"),
            "funds_source": "企业自筹",
            "contingency_measures": "停止该区域作业，设置警戒区",
            **overrides,
        }
        return services.assign_major_hazard(actor=county_officer, hazard_id=hazard.pk, **values)

    return run


@pytest.fixture
def major(hazard, determine, assign):
    """A major hazard, determined and assigned (整改中)."""
    determine(hazard)
    return assign(hazard)


def png_bytes() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def png_upload():
    """A small valid PNG, as an uploaded file (evidence for applications to close)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(name: str = "证据.png"):
        return SimpleUploadedFile(name, png_bytes(), content_type="image/png")

    return make


@pytest.fixture
def progressed(major, enterprise_manager):
    """A major hazard with one 台账 entry by the enterprise: ready to apply to close."""
    services.record_progress(
        actor=enterprise_manager, hazard_id=major.pk, entry_date=days(0), percent=100, note="完成"
    )
    return major
