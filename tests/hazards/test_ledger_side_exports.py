"""The Excel exports of the risk register and of the enterprises whose self-assessment
scores high while hazards keep being found: the user's scope, the page's filter, GET only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.assessment.models import AssessmentStatus, SelfAssessment
from hazards.risk_models import RiskBand, band_for
from tests.enterprises.factories_duties import PeriodFactory, small_template
from tests.exports_helpers import column, xlsx_rows
from tests.hazards.factories import HazardFactory, RiskPointFactory

pytestmark = pytest.mark.django_db


def test_risk_export_keeps_scope_filter_and_band(county, county_officer, town_official, client_for):
    RiskPointFactory(enterprise=county.xdk_chem, name="液氨罐区")  # 3 x 6 x 15 = 270
    RiskPointFactory(enterprise=county.xdk_build, name="塔吊作业", consequence=Decimal("40"))
    RiskPointFactory(enterprise=county.ly_chem, name="澧阳罐区")
    url = reverse("hazards:risk_export")
    mine = xlsx_rows(client_for(town_official).get(url))
    assert sorted(column(mine, "场所或作业活动")) == ["塔吊作业", "液氨罐区"]
    bands = dict(zip(column(mine, "场所或作业活动"), column(mine, "风险等级"), strict=True))
    # the reference bands (LEC): 720 is 重大风险, 270 较大风险, as band_for says
    ordered = list(RiskBand.objects.order_by("-min_score"))
    expected = {
        "塔吊作业": str(band_for(Decimal("720"), ordered)),
        "液氨罐区": str(band_for(Decimal("270"), ordered)),
    }
    assert bands == expected == {"塔吊作业": "红（重大风险）", "液氨罐区": "橙（较大风险）"}
    one = xlsx_rows(client_for(county_officer).get(url, {"enterprise": county.ly_chem.pk}))
    assert column(one, "场所或作业活动") == ["澧阳罐区"]


def test_assessment_flag_export_keeps_scope(
    county, county_officer, town_official, enterprise_manager, client_for, settings
):
    settings.SELF_ASSESSMENT_FLAG_MIN_TOTAL = 90
    settings.SELF_ASSESSMENT_FLAG_MIN_HAZARDS = 3
    period = PeriodFactory(year=timezone.localdate().year)
    for enterprise in (county.xdk_build, county.ly_build):
        SelfAssessment.objects.create(
            enterprise=enterprise,
            period=period,
            template=small_template(),
            status=AssessmentStatus.ACCEPTED,
            total=Decimal("95"),
        )
        for _ in range(3):
            HazardFactory(enterprise=enterprise, found_on=timezone.localdate())
    url = reverse("hazards:assessment_flags_export")
    mine = xlsx_rows(client_for(town_official).get(url))
    assert column(mine, "企业名称") == ["小渡口建筑工程公司"]
    assert column(mine, "他人发现的隐患数") == [3]
    everyone = column(xlsx_rows(client_for(county_officer).get(url)), "企业名称")
    assert sorted(everyone) == ["小渡口建筑工程公司", "澧阳建设集团"]
    assert client_for(enterprise_manager).get(url).status_code == 403


@pytest.mark.parametrize("name", ["hazards:risk_export", "hazards:assessment_flags_export"])
def test_exports_are_get_only(name, county_officer, client_for):
    assert client_for(county_officer).post(reverse(name)).status_code == 405
