"""The Excel exports of 法定职责跟进, the self-assessments, the enterprises that have not
submitted one and 监管空白: the user's scope, the page's filter, GET only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from enterprises.assessment.models import AssessmentStatus, SelfAssessment
from enterprises.duties.judging import judge_all
from enterprises.duties.models import ComplianceStatus
from enterprises.models import EnterpriseStatus
from tests.enterprises.factories_duties import PeriodFactory, small_template
from tests.exports_helpers import column, xlsx_rows
from tests.factories import EnterpriseFactory, IndustryFactory

pytestmark = pytest.mark.django_db


def test_compliance_export_keeps_scope_check_and_town(
    county, county_officer, town_official, client_for
):
    judge_all()
    failing = ComplianceStatus.objects.failing()
    mine = set(failing.filter(enterprise=county.xdk_build).values_list("duty", flat=True))
    theirs = set(failing.filter(enterprise=county.ly_build).values_list("duty", flat=True))
    check = sorted(mine & theirs)[0]  # a check both building firms fail
    url = reverse("enterprises:compliance_export")
    rows = xlsx_rows(client_for(town_official).get(url, {"check": check}))
    names = column(rows, "企业名称")
    assert "小渡口建筑工程公司" in names and "澧阳建设集团" not in names
    everyone = column(xlsx_rows(client_for(county_officer).get(url, {"check": check})), "企业名称")
    assert {"小渡口建筑工程公司", "澧阳建设集团"} <= set(everyone)
    one_town = xlsx_rows(
        client_for(county_officer).get(url, {"check": check, "town": county.other_town.pk})
    )
    assert set(column(one_town, "镇街")) == {"澧阳街道"}
    assert set(column(one_town, "检查项")) == {
        dict(ComplianceStatus._meta.get_field("duty").flatchoices)[check]
    }


def test_assessment_export_keeps_scope_and_status(
    county, county_officer, town_official, client_for
):
    period = PeriodFactory(year=2026)
    template = small_template()
    for enterprise, status in (
        (county.xdk_build, AssessmentStatus.ACCEPTED),
        (county.xdk_chem, AssessmentStatus.DRAFT),
        (county.ly_build, AssessmentStatus.ACCEPTED),
    ):
        SelfAssessment.objects.create(
            enterprise=enterprise,
            period=period,
            template=template,
            status=status,
            total=Decimal("88"),
        )
    url = reverse("enterprises:assessment_export")
    mine = xlsx_rows(client_for(town_official).get(url))
    assert sorted(column(mine, "企业名称")) == ["小渡口化工有限公司", "小渡口建筑工程公司"]
    accepted = xlsx_rows(client_for(county_officer).get(url, {"status": AssessmentStatus.ACCEPTED}))
    assert sorted(column(accepted, "企业名称")) == ["小渡口建筑工程公司", "澧阳建设集团"]
    assert set(column(accepted, "状态")) == {AssessmentStatus.ACCEPTED.label}


def test_missing_assessment_export_keeps_scope_and_town(
    county, county_officer, town_official, client_for
):
    url = reverse("enterprises:assessment_missing_export")
    mine = column(xlsx_rows(client_for(town_official).get(url)), "企业名称")
    assert sorted(mine) == ["小渡口化工有限公司", "小渡口建筑工程公司"]
    other = xlsx_rows(client_for(county_officer).get(url, {"town": county.other_town.pk}))
    assert sorted(column(other, "企业名称")) == ["澧阳化工有限公司", "澧阳建设集团"]


def test_supervision_gap_export_keeps_scope(county, county_officer, town_official, client_for):
    unmapped = IndustryFactory(code="MINE", name="非煤矿山")
    EnterpriseFactory(name="小渡口采石场", town=county.town, industry=unmapped)
    EnterpriseFactory(name="澧阳采石场", town=county.other_town, industry=unmapped)
    EnterpriseFactory(
        name="小渡口停业矿", town=county.town, industry=unmapped, status=EnterpriseStatus.CLOSED
    )
    url = reverse("enterprises:supervision_gaps_export")
    assert column(xlsx_rows(client_for(town_official).get(url)), "企业名称") == ["小渡口采石场"]
    everyone = column(xlsx_rows(client_for(county_officer).get(url)), "企业名称")
    assert sorted(everyone) == ["小渡口采石场", "澧阳采石场"]


@pytest.mark.parametrize(
    "name",
    [
        "enterprises:compliance_export",
        "enterprises:assessment_export",
        "enterprises:assessment_missing_export",
        "enterprises:supervision_gaps_export",
    ],
)
def test_exports_are_get_only(name, county_officer, client_for):
    assert client_for(county_officer).post(reverse(name)).status_code == 405
