"""The home page card for duties and self-assessment: what each role has to do."""

import datetime

from django.utils import timezone

from enterprises.assessment import services as assessment_services
from tests.enterprises.factories_duties import PeriodFactory, small_template


def card(response) -> str:
    page = response.content.decode()
    start = page.find('data-testid="enterprise-todo"')
    assert start != -1, "the card is missing"
    return page[start : page.find("</section>", start)]


def test_an_enterprise_manager_sees_its_missing_duties_and_an_unstarted_assessment(
    county, enterprise_manager, client_for
):
    PeriodFactory(year=timezone.localdate().year)
    text = card(client_for(enterprise_manager).get("/"))
    assert "缺失" in text  # a new enterprise has no duty records at all
    assert "安全管理机构和人员" in text
    assert "尚未开始" in text


def test_an_enterprise_manager_sees_where_its_assessment_stands(
    county, enterprise_manager, client_for
):
    small_template()
    period = PeriodFactory(year=timezone.localdate().year)
    assessment = assessment_services.start_assessment(
        actor=enterprise_manager, enterprise=enterprise_manager.enterprise, period=period
    )
    text = card(client_for(enterprise_manager).get("/"))
    assert f"/enterprises/assessments/{assessment.pk}/" in text
    assert "填报中" in text


def test_a_town_official_sees_what_awaits_review_and_who_has_not_submitted(
    county, town_official, client_for
):
    PeriodFactory(year=timezone.localdate().year)
    text = card(client_for(town_official).get("/"))
    assert "待审核的自评" in text
    assert "尚未提交自评的企业" in text


def test_an_expert_gets_no_card(county, expert, client_for):
    page = client_for(expert).get("/").content.decode()
    assert 'data-testid="enterprise-todo"' not in page


def test_the_enterprise_home_costs_the_same_queries_with_more_records(
    county, enterprise_manager, client_for, django_assert_max_num_queries
):
    PeriodFactory(year=timezone.localdate().year)
    client = client_for(enterprise_manager)
    client.get("/")  # warm caches (content types, sessions)
    with django_assert_max_num_queries(40) as few:
        client.get("/")
    from tests.enterprises.factories_duties import CertificateFactory

    CertificateFactory.create_batch(30, enterprise=enterprise_manager.enterprise)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/")


def test_an_unstarted_assessment_past_its_due_date_reads_as_overdue(
    county, enterprise_manager, client_for
):
    """Issue 8 item 19: the day after the deadline the card says overdue, not pending."""
    today = timezone.localdate()
    period = PeriodFactory(year=today.year)
    period.due_on = today - datetime.timedelta(days=1)
    period.save()
    text = card(client_for(enterprise_manager).get("/"))
    assert "已逾期1天" in text
    assert 'data-due="overdue"' in text
    period.due_on = today
    period.save()
    text = card(client_for(enterprise_manager).get("/"))
    assert "逾期" not in text
    assert "尚未开始，截止" in text
