"""The main navigation: what each role is offered, and which entry is lit."""

import pytest

from safetyportal.core.navigation import navigation_for


def labels(entries):
    out = []
    for entry in entries:
        if "links" in entry:
            out.append((str(entry["label"]), [str(link["label"]) for link in entry["links"]]))
        else:
            out.append(str(entry["label"]))
    return out


def active_labels(entries):
    links = [link for e in entries for link in e.get("links", [e])]
    return [str(link["label"]) for link in links if link["active"]]


def test_a_town_official_gets_every_group_in_order(town_official):
    assert labels(navigation_for(town_official, "/")) == [
        "工作台",
        "数据看板",
        ("企业", ["企业名录", "法定职责跟进", "安全生产自评"]),
        ("隐患治理", ["隐患台账", "风险管控", "报告与通报"]),
        (
            "执法监管",
            [
                "执法检查",
                "检查计划",
                "包联指导",
                "行政处罚案件",
                "只检查不执法",
                "屡罚不改",
                "安全生产举报",
            ],
        ),
        ("执法依据", ["委托执法事项", "镇街委托授权", "执法人员"]),
        ("生产安全事故", ["事故报告", "事故统计"]),
        (
            "责任体系",
            ["组织机构", "安全提醒", "责任清单", "约谈", "专委会", "监管责任图", "年度考核"],
        ),
    ]


def test_only_the_county_office_manages_the_exposure_board(county_officer, town_official):
    assert "曝光台管理" in str(labels(navigation_for(county_officer, "/")))
    assert "曝光台管理" not in str(labels(navigation_for(town_official, "/")))


def test_an_enterprise_sees_its_cases_and_accidents_but_not_the_legal_frame(enterprise_manager):
    entries = labels(navigation_for(enterprise_manager, "/"))
    assert "行政处罚案件" in entries and "事故报告" in entries
    assert "委托执法事项" not in str(entries)


def test_an_enterprise_manager_is_not_offered_official_pages(enterprise_manager):
    entries = labels(navigation_for(enterprise_manager, "/"))
    assert ("企业", ["本企业档案", "安全生产自评"]) in entries
    flat = str(entries)
    for official_only in ("法定职责跟进", "报告与通报", "组织机构"):
        assert official_only not in flat


def test_a_group_with_one_visible_link_is_shown_as_that_link(expert):
    entries = navigation_for(expert, "/")
    assert "企业名录" in labels(entries)  # the expert's 企业 group holds only the registry
    assert "安全提醒" in labels(entries)


@pytest.mark.parametrize(
    ("path", "lit"),
    [
        ("/", ["工作台"]),
        ("/dashboard/", ["数据看板"]),
        ("/dashboard/briefing/", ["数据看板"]),
        ("/enterprises/", ["企业名录"]),
        ("/enterprises/12/", ["企业名录"]),
        ("/enterprises/assessments/3/", ["安全生产自评"]),
        ("/hazards/risks/", ["风险管控"]),
        ("/notifications/", []),
    ],
)
def test_exactly_the_longest_matching_link_is_lit(town_official, path, lit):
    entries = navigation_for(town_official, path)
    assert active_labels(entries) == lit
    groups_lit = [str(e["label"]) for e in entries if "links" in e and e["active"]]
    assert len(groups_lit) == (1 if lit and lit not in (["工作台"], ["数据看板"]) else 0)


def test_every_official_is_offered_a_dashboard_and_no_one_else(
    county_officer, leader, department_official, town_official, enterprise_manager, expert
):
    for official in (county_officer, leader, department_official, town_official):
        assert "数据看板" in labels(navigation_for(official, "/"))
    for other in (enterprise_manager, expert):
        assert "数据看板" not in str(labels(navigation_for(other, "/")))


def test_one_bulletin_entry_the_numbered_one_with_the_old_ones_linked_from_its_list(
    county_officer, client_for
):
    """The numbered half-monthly bulletin (报告与通报) is the menu's only 通报 entry; the
    old unnumbered bulletins stay readable from its list (ADR 0042)."""
    from django.urls import reverse

    from hazards.models import Bulletin

    flat = str(labels(navigation_for(county_officer, "/")))
    assert "隐患通报" not in flat and "报告与通报" in flat
    client = client_for(county_officer)
    assert (
        'data-testid="legacy-bulletins"' not in client.get(reverse("reports:list")).content.decode()
    )
    old = Bulletin.objects.create(number=1, created_by=county_officer, content={})
    assert 'data-testid="legacy-bulletins"' in client.get(reverse("reports:list")).content.decode()
    archive = client.get(reverse("hazards:bulletins")).content.decode()
    assert reverse("hazards:bulletin", args=[old.pk]) in archive
    assert "生成新一期通报" not in archive
    assert client.get(reverse("hazards:bulletin", args=[old.pk])).status_code == 200
