"""The year-end appraisal pages (issue 11 item 5): who sees which results, the county
office's scheme / round / publish POSTs, the result's steps and score adjustments (allowed,
forbidden, wrong method, bad input refused in Chinese with nothing changed), the progress
partials, and constant query counts on the round and result pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from responsibilities import appraisal_services
from responsibilities.appraisal_models import (
    AppraisalIndicator,
    AppraisalResult,
    AppraisalRound,
    AppraisalScheme,
    IndicatorScore,
    ResultStatus,
    RoundStatus,
    ScoreEvidence,
)
from responsibilities.models import OrganisationKind
from safetyportal.audit.models import AuditEvent
from tests.factories import OrganisationFactory
from tests.responsibilities.appraisal_setup import build_scheme, open_and_compute, result_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(county, county_officer):
    return build_scheme(county, county_officer)


@pytest.fixture
def computed(setup, county_officer):
    open_and_compute(setup, county_officer)
    return setup


def _round_url(setup):
    return reverse("responsibilities:appraisal_round", args=[setup.year])


def _result_url(result):
    return reverse("responsibilities:appraisal_result", args=[result.pk])


def _units_on_round_page(client, setup) -> set[str]:
    response = client.get(_round_url(setup))
    assert response.status_code == 200
    return {row.unit.name for row in response.context["page"]}


# --- visibility ----------------------------------------------------------------------------


def test_county_office_and_leader_see_every_result(
    computed, county, client_for, county_officer, leader
):
    everyone = {"小渡口镇", "澧阳街道", "应急管理局", "住建局", "危险化学品专委会"}
    assert _units_on_round_page(client_for(county_officer), computed) == everyone
    assert _units_on_round_page(client_for(leader), computed) == everyone


def test_a_town_sees_only_its_own_result_and_not_while_computing(
    setup, county, county_officer, client_for, town_official
):
    open_and_compute(setup, county_officer, compute=False)
    client = client_for(town_official)
    assert _units_on_round_page(client, setup) == set()
    own = result_of(setup, county.town)
    assert client.get(_result_url(own)).status_code == 404
    appraisal_services.compute_result(own.pk)
    assert _units_on_round_page(client, setup) == {"小渡口镇"}
    assert client.get(_result_url(own)).status_code == 200
    other = result_of(setup, county.other_town)
    assert client.get(_result_url(other)).status_code == 404


def test_a_department_sees_its_own_and_those_its_committee_reviews(
    computed, county, client_for, department_official
):
    # 应急管理局 leads the 危化品专委会, which appraises both departments
    assert _units_on_round_page(client_for(department_official), computed) == {
        "应急管理局",
        "住建局",
    }


def test_enterprises_and_experts_see_no_appraisal_page(
    computed, county, client_for, enterprise_manager, expert
):
    result = result_of(computed, county.town)
    for user in (enterprise_manager, expert):
        client = client_for(user)
        assert client.get(reverse("responsibilities:appraisal_index")).status_code == 403
        assert client.get(_round_url(computed)).status_code == 403
        assert client.get(_result_url(result)).status_code == 403


def test_round_page_filters_by_unit_type_and_status(
    computed, county, client_for, county_officer, town_official
):
    client = client_for(county_officer)
    response = client.get(_round_url(computed), {"unit_type": "town"})
    assert {r.unit.name for r in response.context["page"]} == {"小渡口镇", "澧阳街道"}
    appraisal_services.comment(
        actor=town_official,
        result_id=result_of(computed, county.town).pk,
        self_report="已完成大部分责任事项。",
    )
    response = client.get(_round_url(computed), {"status": "commented"})
    assert [r.unit.name for r in response.context["page"]] == ["小渡口镇"]
    partial = client.get(
        _round_url(computed),
        {"unit_type": "committee"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="result-table",
    )
    assert b"<html" not in partial.content and "危险化学品专委会" in partial.text


def test_index_lists_rounds_schemes_and_the_units_own_result(
    computed, county, client_for, town_official, county_officer
):
    town_page = client_for(town_official).get(reverse("responsibilities:appraisal_index"))
    assert town_page.status_code == 200
    assert f'data-testid="own-result-{computed.year}"' in town_page.text
    assert "新建考核方案" not in town_page.text
    office_page = client_for(county_officer).get(reverse("responsibilities:appraisal_index"))
    assert "新建考核方案" in office_page.text and computed.scheme.title in office_page.text


# --- the scheme ------------------------------------------------------------------------------


def test_county_office_creates_a_scheme(county, client_for, county_officer):
    response = client_for(county_officer).post(
        reverse("responsibilities:appraisal_scheme_create"),
        {
            "year": 2031,
            "title": "2031年度考核方案",
            "excellent_from": "90",
            "pass_from": "70",
            "veto_cap": "60",
        },
    )
    assert response.status_code == 302
    assert AppraisalScheme.objects.filter(year=2031).exists()


def test_a_bad_scheme_is_refused_in_chinese(county, client_for, county_officer):
    response = client_for(county_officer).post(
        reverse("responsibilities:appraisal_scheme_create"),
        {
            "year": 2031,
            "title": "方案",
            "excellent_from": "60",
            "pass_from": "70",
            "veto_cap": "50",
        },
    )
    assert response.status_code == 400
    assert "分数线须满足" in response.text
    assert not AppraisalScheme.objects.exists()


def test_others_may_not_create_schemes_and_get_is_refused(
    county, client_for, leader, town_official, department_official, county_officer
):
    url = reverse("responsibilities:appraisal_scheme_create")
    data = {"year": 2031, "title": "x", "excellent_from": "90", "pass_from": "70", "veto_cap": "60"}
    for user in (leader, town_official, department_official):
        assert client_for(user).post(url, data).status_code == 403
    assert client_for(county_officer).get(url).status_code == 405
    assert not AppraisalScheme.objects.exists()


def test_copying_a_scheme_to_a_new_year(setup, client_for, county_officer, leader):
    url = reverse("responsibilities:appraisal_scheme_copy", args=[setup.year])
    assert client_for(leader).post(url, {"year": setup.year + 1}).status_code == 403
    assert client_for(county_officer).get(url).status_code == 405
    response = client_for(county_officer).post(url, {"year": setup.year + 1})
    assert response.status_code == 302
    copy = AppraisalScheme.objects.get(year=setup.year + 1)
    assert sorted(copy.indicators.values_list("code", flat=True)) == ["C1", "D1", "M1"]
    # the same year again: refused with the reason, nothing added
    again = client_for(county_officer).post(url, {"year": setup.year + 1}, follow=True)
    assert f"{setup.year + 1}年度的考核方案已存在" in again.text
    assert AppraisalScheme.objects.count() == 2


def test_scheme_page_shows_rules_and_totals(setup, client_for, county_officer, town_official):
    response = client_for(town_official).get(
        reverse("responsibilities:appraisal_scheme", args=[setup.year])
    )
    assert response.status_code == 200
    totals = response.context["totals"]
    assert totals == {"town": Decimal(60), "department": Decimal(60), "committee": Decimal(100)}
    assert "责任清单" in response.text and "添加指标" not in response.text
    office = client_for(county_officer).get(
        reverse("responsibilities:appraisal_scheme", args=[setup.year])
    )
    assert "添加指标" in office.text and "启动年度考核" in office.text


def _indicator_form(**overrides):
    data = {
        "code": "D2",
        "name": "责任清单（部门）",
        "kind": "computed",
        "rule": "responsibilities.duty_items_completed",
        "method": "deduct",
        "points": "10",
        "params": '{"per_item": 2}',
        "for_departments": "on",
        "description": "",
        "sort_order": "5",
    }
    return data | overrides


def test_county_office_adds_and_edits_an_indicator(setup, client_for, county_officer):
    client = client_for(county_officer)
    add = reverse("responsibilities:appraisal_indicator_add", args=[setup.year])
    assert client.get(add).status_code == 200
    assert client.post(add, _indicator_form()).status_code == 302
    indicator = AppraisalIndicator.objects.get(scheme=setup.scheme, code="D2")
    assert indicator.params == {"per_item": 2} and not indicator.for_towns
    edit = reverse("responsibilities:appraisal_indicator_edit", args=[setup.year, indicator.pk])
    assert client.post(edit, _indicator_form(points="12")).status_code == 302
    indicator.refresh_from_db()
    assert indicator.points == Decimal(12)


def test_a_bad_indicator_is_refused_in_chinese(setup, client_for, county_officer):
    add = reverse("responsibilities:appraisal_indicator_add", args=[setup.year])
    response = client_for(county_officer).post(add, _indicator_form(kind="manual"))
    assert response.status_code == 400
    assert "评议计分指标由评审人员打分，不能选择计分规则" in response.text
    response = client_for(county_officer).post(add, _indicator_form(code="D1"))
    assert "本方案已有编号为 D1 的指标" in response.text
    assert setup.scheme.indicators.count() == 3


def test_indicators_are_refused_to_others_and_once_the_round_is_open(
    setup, client_for, county_officer, leader, department_official
):
    add = reverse("responsibilities:appraisal_indicator_add", args=[setup.year])
    for user in (leader, department_official):
        assert client_for(user).post(add, _indicator_form()).status_code == 403
    assert client_for(county_officer).put(add).status_code == 405
    open_and_compute(setup, county_officer, compute=False)
    response = client_for(county_officer).post(add, _indicator_form(), follow=True)
    assert "该年度考核已启动，指标不能再修改" in response.text
    assert setup.scheme.indicators.count() == 3


# --- the round -------------------------------------------------------------------------------


def test_county_office_opens_the_round(setup, client_for, county_officer, leader):
    url = reverse("responsibilities:appraisal_open", args=[setup.year])
    assert client_for(leader).post(url, {"snapshot_date": f"{setup.year}-12-31"}).status_code == 403
    assert client_for(county_officer).get(url).status_code == 405
    assert not AppraisalRound.objects.exists()
    response = client_for(county_officer).post(url, {"snapshot_date": f"{setup.year}-12-31"})
    assert response.status_code == 302
    round_ = AppraisalRound.objects.get(year=setup.year)
    assert round_.results.count() == 5
    assert set(round_.results.values_list("status", flat=True)) == {ResultStatus.COMPUTING}


def test_a_snapshot_before_the_year_is_refused(setup, client_for, county_officer):
    url = reverse("responsibilities:appraisal_open", args=[setup.year])
    response = client_for(county_officer).post(url, {"snapshot_date": f"{setup.year - 1}-12-31"})
    assert response.status_code == 400
    assert "数据截止日期不能早于考核年度" in response.text
    assert not AppraisalRound.objects.exists()


def test_round_progress_polls_while_computing_and_refreshes_when_done(
    setup, county_officer, client_for
):
    open_and_compute(setup, county_officer, compute=False)
    client = client_for(county_officer)
    page = client.get(_round_url(setup))
    assert 'hx-trigger="every 2s"' in page.text
    url = reverse("responsibilities:appraisal_round_progress", args=[setup.year])
    partial = client.get(url, HTTP_HX_REQUEST="true")
    assert partial.context["progress"]["computing"] == 5 and "HX-Refresh" not in partial
    for result in AppraisalResult.objects.all():
        appraisal_services.compute_result(result.pk)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true" and "every 2s" not in done.text
    assert "every 2s" not in client.get(_round_url(setup)).text


def test_recompute_all_drafts(computed, county, client_for, county_officer, leader):
    url = reverse("responsibilities:appraisal_round_recompute", args=[computed.year])
    assert client_for(leader).post(url).status_code == 403
    assert client_for(county_officer).get(url).status_code == 405
    assert client_for(county_officer).post(url).status_code == 302
    assert set(AppraisalResult.objects.values_list("status", flat=True)) == {ResultStatus.COMPUTING}
    for result in AppraisalResult.objects.all():
        appraisal_services.compute_result(result.pk)
    assert result_of(computed, county.town).total == Decimal(30)


def _approve_all(setup, officer, leader):
    for result in AppraisalResult.objects.filter(round=setup.round):
        for score in IndicatorScore.objects.filter(result=result, indicator__code="M1"):
            appraisal_services.adjust_score(
                actor=officer, score=score, points=15, reason="述职良好"
            )
        appraisal_services.submit_review(actor=officer, result_id=result.pk)
        appraisal_services.approve(actor=leader, result_id=result.pk)


def test_publish_is_refused_until_every_result_is_approved(
    computed, county, client_for, county_officer, leader, town_official
):
    url = reverse("responsibilities:appraisal_round_publish", args=[computed.year])
    response = client_for(county_officer).post(url, follow=True)
    assert "还有 5 个单位的考核结果未审定，全部审定后才能公布" in response.text
    assert AppraisalRound.objects.get().status == RoundStatus.OPEN
    assert client_for(leader).post(url).status_code == 403
    assert client_for(county_officer).get(url).status_code == 405
    _approve_all(computed, county_officer, leader)
    assert client_for(county_officer).post(url).status_code == 302
    assert AppraisalRound.objects.get().status == RoundStatus.PUBLISHED
    own = client_for(town_official).get(_result_url(result_of(computed, county.town)))
    assert "已公布" in own.text


# --- a result --------------------------------------------------------------------------------


def test_result_page_shows_scores_evidence_and_pending_manual_indicators(
    computed, county, client_for, county_officer
):
    result = result_of(computed, county.town)
    response = client_for(county_officer).get(_result_url(result))
    assert response.status_code == 200
    text = response.text
    assert "应完成 4 项，已完成 3 项" in text and "30.00" in text
    assert "第4项 第4项责任" in text  # the one deduction, inline
    assert "查看统计的记录" in text
    assert reverse("responsibilities:duty_list", args=[computed.duty_list.pk]) in text
    assert "待评议" in text  # M1 not scored yet
    assert 'data-testid="adjust-M1"' in text
    assert 'data-testid="step-submit"' in text and 'data-testid="step-comment"' not in text


def test_the_town_comments_on_its_draft(
    computed, county, client_for, town_official, other_town_official, county_officer
):
    result = result_of(computed, county.town)
    url = reverse("responsibilities:appraisal_result_step", args=[result.pk, "comment"])
    page = client_for(town_official).get(_result_url(result))
    assert 'data-testid="step-comment"' in page.text and "adjust-M1" not in page.text
    assert (
        client_for(other_town_official).post(url, {"comment-self_report": "x"}).status_code == 404
    )
    assert client_for(county_officer).post(url, {"comment-self_report": "x"}).status_code == 403
    assert client_for(town_official).get(url).status_code == 405
    refused = client_for(town_official).post(url, {"comment-self_report": " "})
    assert refused.status_code == 400
    result.refresh_from_db()
    assert result.status == ResultStatus.DRAFT
    response = client_for(town_official).post(url, {"comment-self_report": "第4项因汛期推迟。"})
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.status == ResultStatus.COMMENTED and result.self_report == "第4项因汛期推迟。"


def _adjust_url(result, code):
    score = IndicatorScore.objects.get(result=result, indicator__code=code)
    return score, reverse("responsibilities:appraisal_score_adjust", args=[result.pk, score.pk])


def test_reviewer_scores_a_manual_indicator(computed, county, client_for, county_officer):
    result = result_of(computed, county.town)
    score, url = _adjust_url(result, "M1")
    prefix = f"s{score.pk}"
    response = client_for(county_officer).post(
        url, {f"{prefix}-points": "18", f"{prefix}-reason": "述职材料完整"}
    )
    assert response.status_code == 302
    score.refresh_from_db()
    result.refresh_from_db()
    assert score.adjusted_points == Decimal(18) and result.total == Decimal(48)
    page = client_for(county_officer).get(_result_url(result))
    assert "述职材料完整" in page.text and "待评议" not in page.text


def test_adjust_refuses_bad_input_in_chinese_and_changes_nothing(
    computed, county, client_for, county_officer
):
    result = result_of(computed, county.town)
    score, url = _adjust_url(result, "D1")
    prefix = f"s{score.pk}"
    client = client_for(county_officer)
    above = client.post(url, {f"{prefix}-points": "41", f"{prefix}-reason": "多给"})
    assert above.status_code == 400 and "得分须在 0 到 40.00 分之间" in above.text
    no_reason = client.post(url, {f"{prefix}-points": "35", f"{prefix}-reason": ""})
    assert no_reason.status_code == 400 and "请填写调整理由" in no_reason.text
    score.refresh_from_db()
    result.refresh_from_db()
    assert score.adjusted_points is None and result.total == Decimal(30)
    assert not AuditEvent.objects.filter(verb="appraisal_score.adjusted").exists()


def test_adjust_is_for_the_reviewer_only_and_post_only(
    computed, county, client_for, county_officer, leader, town_official, department_official
):
    result = result_of(computed, county.town)
    score, url = _adjust_url(result, "M1")
    data = {f"s{score.pk}-points": "10", f"s{score.pk}-reason": "x"}
    assert client_for(leader).post(url, data).status_code == 403
    assert client_for(town_official).post(url, data).status_code == 403
    assert client_for(department_official).post(url, data).status_code == 404
    assert client_for(county_officer).get(url).status_code == 405
    score.refresh_from_db()
    assert score.adjusted_points is None


def test_a_department_leading_the_committee_reviews_its_members(
    computed, county, client_for, department_official
):
    result = result_of(computed, county.other_department)
    score, url = _adjust_url(result, "M1")
    data = {f"s{score.pk}-points": "16", f"s{score.pk}-reason": "牵头单位评议"}
    assert client_for(department_official).post(url, data).status_code == 302


def test_submit_with_an_unscored_manual_indicator_is_refused(
    computed, county, client_for, county_officer
):
    result = result_of(computed, county.town)
    url = reverse("responsibilities:appraisal_result_step", args=[result.pk, "submit"])
    response = client_for(county_officer).post(url, {"submit-review_note": "同意"})
    assert response.status_code == 400
    assert "以下评议计分指标尚未打分：述职评议" in response.text
    result.refresh_from_db()
    assert result.status == ResultStatus.DRAFT and result.review_note == ""


def test_submit_then_approve(computed, county, client_for, county_officer, leader):
    result = result_of(computed, county.town)
    score = IndicatorScore.objects.get(result=result, indicator__code="M1")
    appraisal_services.adjust_score(actor=county_officer, score=score, points=20, reason="好")
    submit = reverse("responsibilities:appraisal_result_step", args=[result.pk, "submit"])
    approve = reverse("responsibilities:appraisal_result_step", args=[result.pk, "approve"])
    assert client_for(leader).post(submit, {}).status_code == 403
    assert client_for(county_officer).post(submit, {}).status_code == 302
    assert client_for(county_officer).post(approve, {}).status_code == 403
    assert client_for(leader).get(approve).status_code == 405
    assert client_for(leader).post(approve, {"approve-note": "同意"}).status_code == 302
    result.refresh_from_db()
    assert result.status == ResultStatus.APPROVED and result.total == Decimal(50)


def test_result_progress_partial(setup, county, county_officer, client_for):
    open_and_compute(setup, county_officer, compute=False)
    result = result_of(setup, county.town)
    client = client_for(county_officer)
    page = client.get(_result_url(result))
    assert 'hx-trigger="every 2s"' in page.text and 'data-testid="score-D1"' not in page.text
    url = reverse("responsibilities:appraisal_result_progress", args=[result.pk])
    assert "HX-Refresh" not in client.get(url, HTTP_HX_REQUEST="true")
    appraisal_services.compute_result(result.pk)
    assert client.get(url, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"


def test_veto_banner_names_the_vetoing_record(computed, county, client_for, county_officer):
    result = result_of(computed, county.town)
    veto = AppraisalIndicator.objects.create(
        scheme=computed.scheme, code="V1", name="较大事故", kind="veto", rule="x", points=0
    )
    score = IndicatorScore.objects.create(result=result, indicator=veto, vetoes=True)
    ScoreEvidence.objects.create(score=score, position=1, label="某化工厂爆炸事故", url="/x/")
    AppraisalResult.objects.filter(pk=result.pk).update(vetoed=True)
    response = client_for(county_officer).get(_result_url(result))
    assert 'data-testid="veto-banner"' in response.text
    assert "“较大事故”触发一票否决" in response.text and "某化工厂爆炸事故" in response.text


def test_evidence_page_is_paginated(computed, county, client_for, county_officer, town_official):
    result = result_of(computed, county.town)
    score = IndicatorScore.objects.get(result=result, indicator__code="D1")
    ScoreEvidence.objects.bulk_create(
        ScoreEvidence(score=score, position=n, label=f"记录{n}") for n in range(2, 80)
    )
    url = reverse("responsibilities:appraisal_score_evidence", args=[result.pk, score.pk])
    response = client_for(town_official).get(url)
    assert response.status_code == 200 and len(response.context["page"]) == 50
    assert client_for(town_official).get(url, {"page": 2}).context["page"].number == 2
    page = client_for(county_officer).get(_result_url(result))
    assert "查看全部 79 条扣分依据" in page.text
    assert page.text.count("记录") < 40  # only the first 20 inline


# --- query counts ----------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_round_page_queries_do_not_grow_with_results(computed, county, client_for, county_officer):
    client = client_for(county_officer)
    few = _queries(client, _round_url(computed))
    for n in range(12):
        unit = OrganisationFactory(code=f"T{n:03}", name=f"镇{n}", kind=OrganisationKind.TOWN)
        AppraisalResult.objects.create(
            round=computed.round,
            unit=unit,
            appraiser=computed.safety_committee,
            status=ResultStatus.DRAFT,
            total=Decimal(80),
            grade="pass",
        )
    assert _queries(client, _round_url(computed)) == few


def test_result_page_queries_do_not_grow_with_scores_or_evidence(
    computed, county, client_for, county_officer
):
    client = client_for(county_officer)
    result = result_of(computed, county.town)
    few = _queries(client, _result_url(result))
    score = IndicatorScore.objects.get(result=result, indicator__code="D1")
    ScoreEvidence.objects.bulk_create(
        ScoreEvidence(score=score, position=n, label=f"记录{n}", url="/r/") for n in range(2, 60)
    )
    for n in range(5):
        indicator = AppraisalIndicator.objects.create(
            scheme=computed.scheme, code=f"X{n}", name=f"附加{n}", kind="manual", points=1
        )
        IndicatorScore.objects.create(result=result, indicator=indicator)
    assert _queries(client, _result_url(result)) == few
