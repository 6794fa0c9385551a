"""The self-assessment's input forms: one form per answer, named after the answer."""

from __future__ import annotations

from decimal import Decimal

import pytest

from enterprises.assessment import services
from enterprises.assessment.forms import AnswerFormSet, ReviewFormSet
from tests.enterprises.factories_duties import PeriodFactory, small_template


@pytest.fixture
def answers(county, enterprise_manager):
    small_template()
    assessment = services.start_assessment(
        actor=enterprise_manager, enterprise=county.xdk_build, period=PeriodFactory(year=2026)
    )
    return list(assessment.answers.all())


def test_one_form_per_answer_with_fields_named_after_the_answer(answers):
    formset = AnswerFormSet(answers=answers)
    assert len(formset.forms) == len(answers)
    html = str(formset.forms[0])
    pk = answers[0].pk
    for name in (f"score_{pk}", f"na_{pk}", f"note_{pk}", f"evidence_{pk}"):
        assert f'name="{name}"' in html


def test_a_posted_page_needs_no_management_form_and_cleans_scores(answers):
    a1, b1 = answers[0], answers[1]
    data = {f"score_{a1.pk}": "7.5", f"na_{b1.pk}": "on", f"note_{b1.pk}": "  无此设施 "}
    formset = AnswerFormSet(data, {}, answers=answers)
    assert formset.is_valid(), formset.messages()
    changes = formset.changes()
    assert changes[a1.pk] == {"score": Decimal("7.5"), "not_applicable": False, "note": ""}
    assert changes[b1.pk] == {"score": None, "not_applicable": True, "note": "无此设施"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("11", "应在0到10分之间"),
        ("-1", "应在0到10分之间"),
        ("abc", "不是数字"),
        ("3.3", "请以0.5分为单位"),
        ("NaN", "应在0到10分之间"),
    ],
)
def test_bad_scores_are_refused_naming_the_item(answers, raw, message):
    a1 = answers[0]
    formset = AnswerFormSet({f"score_{a1.pk}": raw}, {}, answers=answers)
    assert not formset.is_valid()
    [error] = formset.messages()
    assert a1.code in error and message in error


def test_a_review_adjustment_without_a_reason_is_refused(answers):
    a1 = answers[0]
    formset = ReviewFormSet({f"reviewed_{a1.pk}": "5"}, answers=answers)
    assert not formset.is_valid()
    assert "调整理由" in formset.messages()[0]
    with_reason = ReviewFormSet(
        {f"reviewed_{a1.pk}": "5", f"reason_{a1.pk}": "未签订责任书"}, answers=answers
    )
    assert with_reason.is_valid()
    assert with_reason.adjustments()[a1.pk]["score"] == Decimal("5")
