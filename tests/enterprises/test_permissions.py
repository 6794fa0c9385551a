"""The doors and the one rules function of the enterprises app (enterprises/permissions.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from enterprises.assessment import services
from enterprises.assessment.models import AnswerEvidence
from enterprises.duties.models import DUTY_MODELS, SpecialOperationCertificate
from enterprises.importing.models import ImportJob
from enterprises.permissions import (
    Action,
    get_answer_evidence_for_user,
    get_assessment_answer_for_user,
    get_assessment_for_user,
    get_duty_document_for_user,
    get_duty_record_for_user,
    get_enterprise_for_user,
    get_import_job_for_user,
    may,
    refusal,
    require,
)
from tests.enterprises.factories_duties import (
    CertificateFactory,
    DocumentFactory,
    PeriodFactory,
    pdf_upload,
    small_template,
)


@pytest.fixture
def assessment(county, enterprise_manager):
    small_template()
    return services.start_assessment(
        actor=enterprise_manager, enterprise=county.xdk_build, period=PeriodFactory(year=2026)
    )


# --- rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "reason"),
    [
        ("enterprise_manager", None),
        ("town_official", "只有本企业的管理人员可以填报法定职责记录。"),
        ("county_officer", "只有本企业的管理人员可以填报法定职责记录。"),
    ],
)
def test_adding_a_duty_record_is_for_the_enterprises_own_manager(persona, reason, request, county):
    user = request.getfixturevalue(persona)
    assert refusal(user, Action.ADD_DUTY, county.xdk_build) == reason
    assert may(user, Action.ADD_DUTY, county.xdk_build) is (reason is None)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("county_officer", True),
        ("town_official", True),  # the enterprise's town
        ("other_town_official", False),
        ("department_official", False),  # supervises CHEM, the enterprise is BUILD
        ("enterprise_manager", False),
        ("leader", False),
        ("expert", False),
    ],
)
def test_who_reviews_an_assessment(persona, allowed, request, assessment):
    user = request.getfixturevalue(persona)
    reason = refusal(user, Action.REVIEW_ASSESSMENT, assessment)
    assert (reason is None) is allowed
    if not allowed:
        assert reason == "您不是该企业的审核单位。"


def test_a_town_official_registers_only_in_their_town(county, town_official):
    from enterprises.registry.models import Enterprise

    assert refusal(town_official, Action.REGISTER) is None
    assert refusal(town_official, Action.REGISTER, Enterprise(town=county.town)) is None
    assert (
        refusal(town_official, Action.REGISTER, Enterprise(town=county.other_town))
        == "镇街只能登记本镇街的企业。"
    )
    assert refusal(town_official, Action.MOVE_TO_TOWN, county.other_town) == (
        "镇街不能把企业划到其他镇街，请联系县安委办。"
    )


def test_an_inactive_user_may_do_nothing(county, county_officer):
    county_officer.is_active = False
    for action in Action:
        assert refusal(county_officer, action, county.xdk_build) is not None


def test_require_raises_the_reason(county, town_official):
    with pytest.raises(PermissionDenied, match="只有本企业的管理人员可以作废法定职责记录"):
        require(town_official, Action.VOID_DUTY, county.xdk_build)


def test_the_page_shows_the_flag_computed_by_the_rules(
    county, assessment, enterprise_manager, town_official, client_for
):
    """The home card asks the rules (no role comparison in the template)."""
    own = client_for(enterprise_manager).get("/")
    official = client_for(town_official).get("/")
    assert "法定职责与安全生产自评" in own.content.decode()
    assert "企业自评待办" in official.content.decode()


# --- doors ------------------------------------------------------------------------------


def test_enterprise_door_is_404_outside_scope_and_loads_town_and_industry(
    county, town_official, django_assert_num_queries
):
    with django_assert_num_queries(1):
        enterprise = get_enterprise_for_user(town_official, county.xdk_chem.pk)
        assert (enterprise.town.name, enterprise.industry.name) == ("小渡口镇", "危险化学品")
    with pytest.raises(Http404):
        get_enterprise_for_user(town_official, county.ly_chem.pk)
    with pytest.raises(Http404):
        get_enterprise_for_user(town_official, "not a number")


@pytest.mark.parametrize("slug", sorted(DUTY_MODELS))
def test_every_duty_record_type_has_a_door(slug, county, town_official, other_town_official):
    from tests.enterprises import factories_duties as f

    factory = {
        "staffing": f.StaffingFactory,
        "documents": f.DocumentFactory,
        "costs": f.SafetyCostFactory,
        "insurance": f.InsuranceFactory,
        "certificates": f.CertificateFactory,
        "plans": f.PlanFactory,
        "drills": f.DrillFactory,
        "training": f.TrainingFactory,
    }[slug]
    record = factory(enterprise=county.xdk_build)
    model = DUTY_MODELS[slug]
    assert get_duty_record_for_user(town_official, model, record.pk) == record
    assert model.objects.visible_to(town_official).count() == 1
    assert model.objects.visible_to(other_town_official).count() == 0
    with pytest.raises(Http404):
        get_duty_record_for_user(other_town_official, model, record.pk)


def test_duty_record_door_loads_its_enterprise_and_checks_the_parent(
    county, town_official, django_assert_num_queries
):
    record = CertificateFactory(enterprise=county.xdk_build)
    with django_assert_num_queries(1):
        found = get_duty_record_for_user(town_official, SpecialOperationCertificate, record.pk)
        assert found.enterprise.town.name == "小渡口镇"
    with pytest.raises(Http404):  # right record, wrong enterprise in the URL
        get_duty_record_for_user(
            town_official, SpecialOperationCertificate, record.pk, enterprise_id=county.xdk_chem.pk
        )


def test_duty_document_door(county, enterprise_manager, other_town_official):
    document = DocumentFactory(enterprise=county.xdk_build)
    assert get_duty_document_for_user(enterprise_manager, document.pk) == document
    with pytest.raises(Http404):
        get_duty_document_for_user(other_town_official, document.pk)


def test_assessment_answer_and_evidence_doors(
    assessment, town_official, other_town_official, django_assert_num_queries
):
    answer = assessment.answers.first()
    evidence = AnswerEvidence.objects.create(
        answer=answer, file=pdf_upload(), original_name="制度.pdf"
    )
    with django_assert_num_queries(1):
        found = get_assessment_for_user(town_official, assessment.pk)
        assert (found.enterprise.town.name, found.period.year) == ("小渡口镇", 2026)
    with django_assert_num_queries(1):
        found = get_assessment_answer_for_user(town_official, answer.pk)
        assert found.assessment.enterprise.name == assessment.enterprise.name
    with django_assert_num_queries(1):
        found = get_answer_evidence_for_user(
            town_official, evidence.pk, assessment_id=assessment.pk
        )
        assert found.answer.assessment.enterprise_id == assessment.enterprise_id
    for door, pk in (
        (get_assessment_for_user, assessment.pk),
        (get_assessment_answer_for_user, answer.pk),
        (get_answer_evidence_for_user, evidence.pk),
    ):
        with pytest.raises(Http404):
            door(other_town_official, pk)
    with pytest.raises(Http404):  # evidence named under another assessment's URL
        get_answer_evidence_for_user(town_official, evidence.pk, assessment_id=assessment.pk + 1)


def test_import_job_door_shows_a_job_to_its_uploader_only(county_officer, town_official):
    job = ImportJob.objects.create(
        file="enterprises/imports/x.xlsx", original_name="x.xlsx", created_by=county_officer
    )
    assert get_import_job_for_user(county_officer, job.pk) == job
    assert list(ImportJob.objects.visible_to(town_official)) == []
    with pytest.raises(Http404):
        get_import_job_for_user(town_official, job.pk)
