"""The world of the role matrix (issue 14 item 1): a small county built once per module.

    小渡口镇 T  (430723102)   xdk_chem (industry A)   xdk_build (industry B)
    澧阳街道 T2 (430723002)   ly_chem  (industry A)   ly_build  (industry B)
    published map (this year): A -> 应急管理局 D, B -> 住建局 D2

Every ledger record that a URL names by id exists once per enterprise (records of an
enterprise) or once per unit T, T2, D, D2 (records of a unit), so each persona has rows
inside and outside its jurisdiction. Records are written directly (ORM and the suite's
factories): the matrix tests who may read and change them, not how they came about.
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from enforcement.authority.models import Procedure
from enforcement.cases.models import Case
from enforcement.exposure.models import ExposedCase
from enforcement.inspections.models import Finding, FindingPhoto, Inspection, InspectionStatus
from enforcement.plans.models import GuidanceVisit, InspectionPlan, PlanTarget, TownPairing
from enforcement.reports.models import Report as WhistleblowerReport
from enforcement.reports.models import ReportAttachment
from enterprises.assessment.models import AnswerEvidence, AssessmentAnswer, SelfAssessment
from enterprises.duties.models import DutyDocument, SafetyStaffing
from enterprises.importing.models import ImportJob
from enterprises.registry.services import grant_expert_access
from hazards.models import (
    AssignmentSlip,
    Bulletin,
    Hazard,
    HazardAttachment,
    HazardClass,
    HazardStatus,
    MajorHazardListing,
    ProgressEntry,
)
from responsibilities.appraisal_models import (
    AppraisalIndicator,
    AppraisalResult,
    AppraisalRound,
    AppraisalScheme,
    IndicatorScore,
    ResultStatus,
)
from responsibilities.duty_models import DutyItem, DutyList
from responsibilities.interview_models import Interview
from responsibilities.models import CommitteeMeeting, CommitteeMembership, OrganisationKind
from safetyportal.dashboard.models import Report as StoredReport
from safetyportal.dashboard.models import ReportStatus
from safetyportal.notifications.models import Notification
from tests.enforcement.factories import (
    AccidentFactory,
    ChecklistTemplateFactory,
    DelegatedItemFactory,
    OfficerCertificateFactory,
    TownAuthorisationFactory,
)
from tests.enterprises.factories_duties import PDF_BYTES, PeriodFactory, small_template
from tests.factories import (
    AssignmentFactory,
    CountyOfficerFactory,
    DepartmentFactory,
    DepartmentUserFactory,
    EnterpriseFactory,
    EnterpriseUserFactory,
    ExpertFactory,
    IndustryFactory,
    LeaderFactory,
    OfficeFactory,
    OrganisationFactory,
    SupervisionMapFactory,
    TownUserFactory,
)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
_serial = itertools.count(1)


def _n() -> int:
    return next(_serial)


def build_world() -> SimpleNamespace:
    today = timezone.localdate()
    w = SimpleNamespace(today=today, year=today.year)
    # --- organisations, map, enterprises --------------------------------------------------
    w.office = OfficeFactory()
    w.town = OrganisationFactory(code="430723102", name="小渡口镇", kind=OrganisationKind.TOWN)
    w.other_town = OrganisationFactory(
        code="430723002", name="澧阳街道", kind=OrganisationKind.SUBDISTRICT
    )
    w.department = DepartmentFactory(code="YJJ", name="应急管理局")
    w.other_department = DepartmentFactory(code="ZJJ", name="住建局")
    w.committee = OrganisationFactory(
        code="WHZW", name="危化专委会", kind=OrganisationKind.COMMITTEE
    )
    CommitteeMembership.objects.create(committee=w.committee, member=w.department, is_lead=True)
    CommitteeMembership.objects.create(committee=w.committee, member=w.other_department)
    w.industry_a = IndustryFactory(code="CHEM", name="危险化学品", is_high_risk=True)
    w.industry_b = IndustryFactory(code="BUILD", name="建筑施工")
    w.supervision_map = SupervisionMapFactory()
    AssignmentFactory(
        supervision_map=w.supervision_map, industry=w.industry_a, department=w.department
    )
    AssignmentFactory(
        supervision_map=w.supervision_map, industry=w.industry_b, department=w.other_department
    )
    w.xdk_chem = EnterpriseFactory(
        name="小渡口化工有限公司", town=w.town, industry=w.industry_a, is_high_risk=True
    )
    w.xdk_build = EnterpriseFactory(name="小渡口建筑工程公司", town=w.town, industry=w.industry_b)
    w.ly_chem = EnterpriseFactory(name="澧阳化工有限公司", town=w.other_town, industry=w.industry_a)
    w.ly_build = EnterpriseFactory(name="澧阳建设集团", town=w.other_town, industry=w.industry_b)
    w.enterprises = [w.xdk_chem, w.xdk_build, w.ly_chem, w.ly_build]
    w.units = [w.town, w.other_town, w.department, w.other_department]
    w.supervisor_of = {w.industry_a.pk: w.department, w.industry_b.pk: w.other_department}

    # --- personas -------------------------------------------------------------------------
    w.county_officer = CountyOfficerFactory(username="m_county", organisation=w.office)
    w.leader = LeaderFactory(username="m_leader")
    w.town_official = TownUserFactory(username="m_town", organisation=w.town)
    w.other_town_official = TownUserFactory(username="m_town2", organisation=w.other_town)
    w.department_official = DepartmentUserFactory(username="m_dept", organisation=w.department)
    w.other_department_official = DepartmentUserFactory(
        username="m_dept2", organisation=w.other_department
    )
    w.enterprise_manager = EnterpriseUserFactory(username="m_ent", enterprise=w.xdk_build)
    w.expert = ExpertFactory(username="m_expert")
    w.ungranted_expert = ExpertFactory(username="m_expert2")
    grant_expert_access(actor=w.county_officer, expert=w.expert, enterprise=w.ly_build)
    for officer in (
        w.town_official,
        w.other_town_official,
        w.department_official,
        w.other_department_official,
    ):
        OfficerCertificateFactory(officer=officer)
    w.official_of = {
        w.town.pk: w.town_official,
        w.other_town.pk: w.other_town_official,
        w.department.pk: w.department_official,
        w.other_department.pk: w.other_department_official,
    }

    # --- enforcement powers ---------------------------------------------------------------
    w.item_of = {
        w.department.pk: DelegatedItemFactory(code="WT-001", delegating_department=w.department),
        w.other_department.pk: DelegatedItemFactory(
            code="WT-002", delegating_department=w.other_department
        ),
    }
    items = list(w.item_of.values())
    w.authorisations = [
        TownAuthorisationFactory(town=w.town, procedure_level=Procedure.GENERAL, items=items),
        TownAuthorisationFactory(town=w.other_town, procedure_level=Procedure.SIMPLE, items=items),
    ]
    checklist = ChecklistTemplateFactory()
    template = small_template()
    period = PeriodFactory(year=w.year, due_on=today + datetime.timedelta(days=60))

    # --- records of each enterprise -------------------------------------------------------
    for e in w.enterprises:
        supervisor = w.supervisor_of[e.industry_id]
        town_official = w.official_of[e.town_id]
        general = Hazard.objects.create(
            enterprise=e,
            town=e.town,
            industry=e.industry,
            source="inspection",
            description=f"配电箱未接地（{e.name}）",
            location="一号车间",
            found_on=today,
            deadline=today + datetime.timedelta(days=30),
            original_deadline=today + datetime.timedelta(days=30),
            responsible_person="周经理",
            reported_by=town_official,
        )
        HazardAttachment.objects.create(
            hazard=general,
            kind="photo",
            file=ContentFile(PNG, name="现场.png"),
            original_name="现场.png",
            content_type="image/png",
            size=len(PNG),
            uploaded_by=town_official,
        )
        major = Hazard.objects.create(
            enterprise=e,
            town=e.town,
            industry=e.industry,
            source="inspection",
            hazard_class=HazardClass.MAJOR,
            status=HazardStatus.RECTIFYING,
            description=f"重大隐患：储罐区防火堤破损（{e.name}）",
            location="储罐区",
            found_on=today,
            deadline=today + datetime.timedelta(days=60),
            original_deadline=today + datetime.timedelta(days=60),
            responsible_person="周经理",
            reported_by=town_official,
        )
        MajorHazardListing.objects.create(
            hazard=major,
            list_number=f"LX-{_n()}",
            determined_on=today,
            determination_basis="认定会议",
            criterion="c1",
        )
        AssignmentSlip.objects.create(
            hazard=major,
            slip_number=f"JB-{_n()}",
            responsible_unit=e.name,
            assigning_unit=w.office,
            supervising_unit=supervisor,
            deadline=today + datetime.timedelta(days=60),
            responsible_person="周经理",
            measures="更换防火堤",
            funds_amount=Decimal("1000"),
            funds_source="自筹",
            contingency_measures="停用储罐",
            issued_on=today,
        )
        ProgressEntry.objects.create(hazard=major, entry_date=today, percent=30, note="已采购材料")
        from tests.hazards.factories import RiskPointFactory

        RiskPointFactory(enterprise=e)
        SafetyStaffing.objects.create(enterprise=e, body_name="安全部", safety_director="李四")
        DutyDocument.objects.create(
            enterprise=e,
            kind="responsibility_system",
            title="全员安全生产责任制",
            issued_on=today,
            file=ContentFile(PDF_BYTES, name="制度.pdf"),
        )
        assessment = SelfAssessment.objects.create(
            enterprise=e, period=period, template=template, status="submitted"
        )
        for item in template.items.all():
            answer = AssessmentAnswer.objects.create(
                assessment=assessment,
                code=item.code,
                area=item.area,
                requirement=item.requirement,
                legal_basis=item.legal_basis,
                points=item.points,
                score=Decimal("0"),
            )
        AnswerEvidence.objects.create(
            answer=answer, file=ContentFile(PDF_BYTES, name="证据.pdf"), original_name="证据.pdf"
        )
        inspection = Inspection.objects.create(
            unit=e.town,
            enterprise=e,
            town=e.town,
            checklist=checklist,
            inspected_on=today,
            summary="检查发现问题",
            acknowledged_by="周经理",
            created_by=town_official,
            status=InspectionStatus.SUBMITTED,
        )
        inspection.officers.add(town_official)
        finding = Finding.objects.create(
            inspection=inspection, description="安全出口堵塞", location="一楼"
        )
        FindingPhoto.objects.create(
            finding=finding,
            file=ContentFile(PNG, name="p.png"),
            original_name="p.png",
            content_type="image/png",
            size=len(PNG),
        )
        case = Case.objects.create(
            unit=e.town,
            town=e.town,
            procedure=Procedure.GENERAL,
            item=w.item_of[supervisor.pk],
            enterprise=e,
            party_kind="organisation",
            party_name=e.name,
            facts="未设置安全警示标志",
            status="closed",
            penalty_kind="fine",
            fine=Decimal("500"),
            decided_on=today - datetime.timedelta(days=5),
            filed_on=today - datetime.timedelta(days=10),
            closed_on=today - datetime.timedelta(days=1),
            decision_number=f"澧罚〔{w.year}〕{_n()}号",
            created_by=town_official,
        )
        ExposedCase.objects.create(
            case=case,
            party_name=e.name,
            town=e.town,
            town_name=e.town.name,
            item_name=case.item.name,
            facts_summary="未设置安全警示标志",
            penalty_kind="fine",
            fine=Decimal("500"),
            decision_number=case.decision_number,
            decided_on=case.decided_on,
            authority=e.town.name,
            published_at=timezone.now(),
            published_by=w.county_officer,
        )
        AccidentFactory(unit=e.town, town=e.town, enterprise=e, industry=e.industry)
        report = WhistleblowerReport.objects.create(
            receipt_code=f"RC{_n():014d}",
            kind="hazard",
            enterprise=e,
            enterprise_name=e.name,
            town=e.town,
            industry=e.industry,
            unit=e.town,
            location="厂区",
            description="夜间违规生产",
            received_on=today,
            accept_due=today + datetime.timedelta(days=5),
            status="assigned",
        )
        ReportAttachment.objects.create(
            report=report, file=ContentFile(PNG, name="a.png"), extension="png", size=len(PNG)
        )

    # --- records of each unit -------------------------------------------------------------
    scheme = AppraisalScheme.objects.create(
        year=w.year, title="考核方案", document_number="澧安〔1〕"
    )
    appraisal_round = AppraisalRound.objects.create(scheme=scheme, year=w.year, snapshot_date=today)
    indicator = AppraisalIndicator.objects.create(
        scheme=scheme, code="M1", name="工作评议", kind="manual", points=Decimal("10")
    )
    for unit in w.units:
        official = w.official_of[unit.pk]
        duty_list = DutyList.objects.create(
            year=w.year, owner=unit, owner_person="负责人", created_by=w.county_officer
        )
        DutyItem.objects.create(duty_list=duty_list, content="每月检查", legal_basis="安全生产法")
        Interview.objects.create(
            summoning_unit=w.office,
            summoned_unit=unit,
            summoned_name=unit.name,
            reason_kind="other",
            reason_text="隐患整改不力",
            date=today,
            feedback_due=today + datetime.timedelta(days=15),
        )
        plan = InspectionPlan.objects.create(
            unit=unit, year=w.year, title=f"{unit.name}检查计划", created_by=w.county_officer
        )
        in_scope = [
            e
            for e in w.enterprises
            if e.town_id == unit.pk or w.supervisor_of[e.industry_id].pk == unit.pk
        ]
        PlanTarget.objects.create(
            plan=plan, enterprise=in_scope[0], month=1, kind="key", assigned_to=official
        )
        result = AppraisalResult.objects.create(
            round=appraisal_round,
            unit=unit,
            appraiser=w.committee if unit.kind == OrganisationKind.DEPARTMENT else w.office,
            status=ResultStatus.DRAFT,
        )
        IndicatorScore.objects.create(result=result, indicator=indicator, computed_points=0)
        StoredReport.objects.create(
            kind="appraisal_unit",
            period_start=datetime.date(w.year, 1, 1),
            period_end=today,
            period_label=str(w.year),
            unit=unit,
            title=f"{unit.name}考核报告",
            file_name="r.pdf",
            status=ReportStatus.READY,
            file=ContentFile(PDF_BYTES, name="r.pdf"),
        )
    CommitteeMeeting.objects.create(
        committee=w.committee,
        held_on=today,
        kind="regular",
        topic="季度例会",
        recorded_by=w.department_official,
    )
    for town, unit_chief in ((w.town, w.department_official), (w.other_town, None)):
        pairing = TownPairing.objects.create(
            year=w.year, chief=unit_chief or w.other_department_official, town=town
        )
        GuidanceVisit.objects.create(
            pairing=pairing, visited_on=today, content="督导", recorded_by=pairing.chief
        )
    Bulletin.objects.create(number=1)
    ImportJob.objects.create(
        file=ContentFile(b"x", name="i.xlsx"), original_name="i.xlsx", created_by=w.town_official
    )
    w.personas = persona_users(w)
    for user in w.personas.values():
        if user is not None:
            Notification.objects.create(
                recipient=user, title="提醒", body="请处理", url="/", dedupe_key=f"m-{user.pk}"
            )
    return w


def persona_users(w) -> dict:
    return {
        "county_office": w.county_officer,
        "leader": w.leader,
        "town": w.town_official,
        "other_town": w.other_town_official,
        "department": w.department_official,
        "other_department": w.other_department_official,
        "enterprise": w.enterprise_manager,
        "expert": w.expert,
        "ungranted_expert": w.ungranted_expert,
        "anonymous": None,
    }
