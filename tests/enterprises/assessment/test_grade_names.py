"""Issue 8 item 6: the self-assessment grades are not named like the official 安全生产标准化
levels (一级/二级/三级), their names are reference data, and the failed-item line is a
field of the template version, not a constant."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps as global_apps

from enterprises.assessment import services
from enterprises.assessment.models import Grade, GradeBand, SelfAssessment
from tests.enterprises.assessment.inputs import save_answers
from tests.enterprises.factories_duties import PeriodFactory, small_template


@pytest.fixture
def assessment(county, enterprise_manager):
    small_template()
    return services.start_assessment(
        actor=enterprise_manager, enterprise=county.xdk_build, period=PeriodFactory(year=2026)
    )


def _fill(assessment, scores: dict[str, str]) -> dict[int, dict]:
    ids = dict(assessment.answers.values_list("code", "pk"))
    return {
        ids[code]: {"score": score, "note": "", "not_applicable": False}
        for code, score in scores.items()
    }


def test_no_grade_is_named_like_an_official_standardisation_level(db):
    official = {"一级", "二级", "三级"}
    assert not official & {str(label) for label in Grade.labels}
    assert dict(GradeBand.objects.values_list("grade", "name")) == {
        "first": "优",
        "second": "良",
        "third": "合格",
    }
    assert str(Grade.FAIL.label) == "不合格"


def test_the_band_name_is_kept_on_the_assessment_as_decided(
    assessment, enterprise_manager, client_for
):
    GradeBand.objects.filter(grade="second").update(name="良好")
    result = save_answers(
        actor=enterprise_manager,
        assessment=assessment,
        answers=_fill(assessment, {"A1": "10", "B1": "9", "G1": "8", "G2": "4"}),
        submit=True,
    )
    assert (result.grade, result.grade_name) == (Grade.SECOND, "良好")
    GradeBand.objects.filter(grade="second").update(name="良")  # a later rename...
    result.refresh_from_db()
    assert result.grade_display == "良好"  # ... leaves the decided grade alone
    page = client_for(enterprise_manager).get(f"/enterprises/assessments/{result.pk}/")
    assert "良好" in page.content.decode() and "二级" not in page.content.decode()


def test_migration_names_existing_bands_and_grades(assessment):
    GradeBand.objects.update(name="")
    SelfAssessment.objects.filter(pk=assessment.pk).update(grade=Grade.FIRST, grade_name="")
    migration = importlib.import_module(
        "enterprises.migrations.0008_grade_names_and_failed_item_line"
    )
    migration.name_grades(global_apps, None)
    assert GradeBand.objects.get(grade="first").name == "优"
    assert SelfAssessment.objects.get(pk=assessment.pk).grade_name == "优"


@pytest.mark.parametrize(
    ("line", "score", "failed"),
    [
        ("60", "5.5", True),  # 55 % of 10 points
        ("60", "6", False),  # exactly on the line
        ("55", "5.5", False),  # the county office lowered the line
        ("55", "5", True),
    ],
)
def test_the_failed_item_line_is_the_template_versions(
    assessment, enterprise_manager, line, score, failed
):
    assessment.template.failed_item_percent = Decimal(line)
    assessment.template.save()
    save_answers(
        actor=enterprise_manager, assessment=assessment, answers=_fill(assessment, {"B1": score})
    )
    answer = SelfAssessment.objects.get(pk=assessment.pk).answers.get(code="B1")
    assert answer.is_failed is failed
