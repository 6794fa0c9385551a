import pytest

from hazards import services
from hazards.models import HazardSource
from tests.hazards.conftest import days


@pytest.fixture
def hazard(county, town_official):
    """A general hazard at the enterprise_manager's enterprise, found by the town."""
    return services.report_hazard(
        actor=town_official,
        enterprise=county.xdk_build,
        source=HazardSource.INSPECTION,
        description="消防通道堵塞",
        location="仓库",
        deadline=days(20),
        responsible_person="周经理",
    )
