"""Every figure on a home page opens the list it counts: follow each figure's link and the
list's total equals the figure (issue 8 item 14)."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.utils import timezone

from hazards.models import DeadlineExtension, ExtensionStatus, HazardClass, HazardStatus
from tests.factories import EnterpriseFactory, IndustryFactory
from tests.hazards.factories import HazardFactory

FIGURE = re.compile(r'<a[^>]*href="([^"]+)"[^>]*data-figure="(\d+)"')


@pytest.fixture
def ledger(county, county_officer):
    """Hazards in every status, closed major ones among them, a pending extension, and an
    enterprise whose industry no department supervises (监管空白)."""
    today = timezone.localdate()
    for key in ("xdk_chem", "xdk_build", "ly_chem", "ly_build"):
        enterprise = getattr(county, key)
        for status in HazardStatus.values:
            HazardFactory(enterprise=enterprise, status=status)
            HazardFactory(enterprise=enterprise, status=status, hazard_class=HazardClass.MAJOR)
        HazardFactory(
            enterprise=enterprise,
            status=HazardStatus.RECTIFYING,
            deadline=today - datetime.timedelta(days=3),
        )
    pending = HazardFactory(enterprise=county.xdk_build, status=HazardStatus.RECTIFYING)
    DeadlineExtension.objects.create(
        hazard=pending,
        old_deadline=pending.deadline,
        requested_deadline=pending.deadline + datetime.timedelta(days=10),
        reason="设备到货延迟",
        status=ExtensionStatus.PENDING,
        requested_by=county_officer,
    )
    EnterpriseFactory(
        name="无人监管的新业态公司", town=county.town, industry=IndustryFactory(name="新业态")
    )


def figures_on_home(client) -> list[tuple[str, int]]:
    page = client.get("/").content.decode()
    return [(unescape(href), int(n)) for href, n in FIGURE.findall(page)]


@pytest.mark.parametrize(
    ("persona", "at_least"),
    [
        ("county_officer", 9),
        ("leader", 7),
        ("department_official", 5),
        ("town_official", 5),
        ("enterprise_manager", 3),
    ],
)
def test_every_home_figure_opens_a_list_of_that_many_rows(
    persona, at_least, request, ledger, client_for
):
    client = client_for(request.getfixturevalue(persona))
    figures = figures_on_home(client)
    assert len(figures) >= at_least, figures
    for href, figure in figures:
        response = client.get(href)
        assert response.status_code == 200, href
        assert response.context["page"].paginator.count == figure, (persona, href)


def test_county_figures_include_the_unsupervised_list(ledger, county_officer, client_for):
    client = client_for(county_officer)
    links = dict(figures_on_home(client))
    assert links["/enterprises/?unsupervised=true"] == 1
    page = client.get("/enterprises/?unsupervised=true").content.decode()
    assert "无人监管的新业态公司" in page and "小渡口化工有限公司" not in page
    assert links["/hazards/?hazard_class=major&stage=open"] == 16
