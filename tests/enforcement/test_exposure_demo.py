"""The exposure demo publishes exactly 88 of this year's closed cases, deterministically,
and says so when the cases are missing."""

from __future__ import annotations

import io

from django.test import Client
from django.utils import timezone

from enforcement.exposure.demo import load_exposure_demo
from enforcement.exposure.models import ExposedCase
from tests.enforcement.factories import ClosedCaseFactory


def test_the_demo_publishes_88_cases_once(
    county, powers, county_officer, town_official, client_for
):
    today = timezone.localdate()
    cases = [
        ClosedCaseFactory(
            enterprise=county.xdk_build,
            item=powers.fine_item,
            created_by=town_official,
            decided_on=today,
        )
        for _ in range(95)
    ]
    out = io.StringIO()
    load_exposure_demo(out)
    assert "88" in out.getvalue()
    assert ExposedCase.objects.public().count() == 88
    # the earliest 88 by (decided_on, id)
    assert set(ExposedCase.objects.values_list("case_id", flat=True)) == {c.pk for c in cases[:88]}
    load_exposure_demo(out)
    assert ExposedCase.objects.count() == 88
    assert "已曝光典型案件 88 起" in Client().get("/enforcement/exposure/").content.decode()
    manage = client_for(county_officer).get("/enforcement/exposure/manage/").content.decode()
    assert "本年度已曝光典型案件 88 起" in manage


def test_the_demo_says_when_the_cases_are_missing(county, county_officer):
    out = io.StringIO()
    load_exposure_demo(out)
    assert "不足 88 起" in out.getvalue()
    assert not ExposedCase.objects.exists()
