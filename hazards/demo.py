"""Demo hazards for `manage.py load_demo`: the county report's figures come out of the ledger.

195 major hazards listed (171 closed, 87.7%), about 5,500 general hazards rectified, all
found this year (the dashboards' default period; ADR 0032), and a
few hazards of the demo enterprise (华鑫建材, 小渡口镇) in every state, walked through the
services so their timelines are real. Historical rows are bulk-created (no audit events,
like load_scale_data). Idempotent: a second run finds the marker listing and stops.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from enterprises.models import Enterprise
from hazards import services
from hazards.history import history_problems, with_history
from hazards.models import (
    CONSEQUENCE_CHOICES,
    EXPOSURE_CHOICES,
    LIKELIHOOD_CHOICES,
    AssignmentSlip,
    AttachmentKind,
    CheckFrequency,
    Hazard,
    HazardAttachment,
    HazardClass,
    HazardSource,
    HazardStatus,
    MajorHazardListing,
    ProgressEntry,
    RiskPoint,
    Verification,
)
from responsibilities.models import Organisation
from safetyportal.accounts.models import Role, User

MAJOR_TOTAL = 195
MAJOR_CLOSED = 171
GENERAL_CLOSED = 5500
# open general hazards in the bulk data: status -> count
GENERAL_OPEN = {
    HazardStatus.REPORTED: 40,
    HazardStatus.RECTIFYING: 90,
    HazardStatus.SUBMITTED: 30,
    HazardStatus.VOIDED: 6,
}
# open major hazards in the bulk data (with the showcase's 3 open ones: 24 open)
MAJOR_OPEN = {HazardStatus.DETERMINED: 4, HazardStatus.RECTIFYING: 13, HazardStatus.SUBMITTED: 4}
MARKER = "澧安隐〔演示〕"

GENERAL_TEXTS = (
    ("配电箱", "配电箱未可靠接地，电缆绝缘层破损"),
    ("仓库", "灭火器压力不足，消防通道堆放杂物"),
    ("车间", "砂轮机防护罩缺失"),
    ("施工现场", "临边防护栏杆高度不足"),
    ("厨房", "燃气管道无泄漏报警装置"),
    ("宿舍", "私拉乱接电线，违规使用大功率电器"),
    ("作业区", "特种作业人员未持证上岗"),
    ("安全出口", "应急照明和疏散指示标志损坏"),
)
MAJOR_TEXTS = (
    ("危化品储罐区", "储罐区未设置可燃气体检测报警装置，防火堤破损"),
    ("粉尘车间", "粉尘涉爆车间未按规定设置泄爆装置"),
    ("有限空间", "污水池有限空间作业未落实审批和通风检测"),
    ("高层住宅工地", "深基坑支护无专项方案，监测缺失"),
    ("烟花爆竹仓库", "仓库超量储存，防雷设施失效"),
)


def load_hazard_demo(stdout) -> None:
    """Load the demo hazards and risk points once (called at the end of load_demo)."""
    if MajorHazardListing.objects.filter(list_number__startswith=MARKER).exists():
        stdout.write("隐患演示数据已存在，跳过。")
        return
    enterprises = list(Enterprise.objects.order_by("uscc"))
    county = User.objects.filter(role=Role.COUNTY_OFFICE, organisation__isnull=False).first()
    departments = list(Organisation.objects.departments())
    if not enterprises or county is None or not departments:
        stdout.write("缺少企业、县安委办账号或部门，未加载隐患演示数据。")
        return
    rng = random.Random(2026)
    today = timezone.localdate()
    with transaction.atomic():
        showcase = _showcase(county, today)
        bulk = _bulk(rng, enterprises, departments, county, today, showcase)
        points = _risk_points(rng, enterprises)
        broken = _check_histories(today)
        if broken:  # roll the demo hazards back rather than show a ledger that breaks rules
            raise RuntimeError(f"演示隐患数据违反办理规则：{broken[:5]}")
    majors = Hazard.objects.major().exclude(status=HazardStatus.VOIDED)
    stdout.write(
        f"隐患演示数据：重大隐患 {majors.count()} 项（已销号 "
        f"{majors.filter(status=HazardStatus.CLOSED).count()} 项），一般隐患已整改 "
        f"{Hazard.objects.filter(hazard_class=HazardClass.GENERAL, status=HazardStatus.CLOSED).count()}"
        f" 项；批量 {bulk} 条，演示企业 {len(showcase)} 条，风险点 {points} 个。"
    )


def _check_histories(today: datetime.date) -> list[tuple[str, list[str]]]:
    """Every demo hazard's history against the workflow's rules (hazards/history.py)."""
    found = []
    for hazard in with_history(Hazard.objects.all()).iterator(chunk_size=2000):
        problems = history_problems(hazard, today)
        if problems:
            found.append((hazard.code, problems))
    return found


def _showcase(county: User, today: datetime.date) -> list[Hazard]:
    """The demo enterprise's hazards in every state, through the services (real timelines)."""
    company = User.objects.filter(role=Role.ENTERPRISE, enterprise__isnull=False).first()
    if company is None:
        return []
    town = User.objects.filter(
        role=Role.TOWN, organisation_id=company.enterprise.town_id, is_active=True
    ).first()
    if town is None:
        return []
    enterprise = company.enterprise
    department = Organisation.objects.departments().first()
    day = datetime.timedelta(days=1)

    def report(location, description, deadline_days, actor=town):
        return services.report_hazard(
            actor=actor,
            enterprise=enterprise,
            source=HazardSource.INSPECTION if actor == town else HazardSource.SELF_CHECK,
            description=description,
            location=location,
            deadline=today + deadline_days * day,
            responsible_person=enterprise.principal_name,
        )

    made = [report("原料堆场", "堆场照明线路老化，未穿管保护", 15)]
    h = report("破碎车间", "皮带机防护罩缺失", 10, actor=company)
    services.start_rectification(actor=company, hazard_id=h.pk)
    made.append(h)
    h = report("成品仓库", "消防通道被成品占用", 7)
    services.start_rectification(actor=company, hazard_id=h.pk)
    services.submit_rectification(
        actor=company, hazard_id=h.pk, note="已清理通道并划线", files=[_evidence()]
    )
    made.append(h)
    h = report("配电房", "配电房无挡鼠板，门未上锁", 5)
    services.start_rectification(actor=company, hazard_id=h.pk)
    services.submit_rectification(
        actor=company, hazard_id=h.pk, note="已加装挡鼠板", files=[_evidence()]
    )
    services.verify_rectification(actor=town, hazard_id=h.pk, passed=True, opinion="现场核查合格")
    made.append(h)
    h = report("办公楼", "重复录入的隐患", 5)
    services.void_hazard(actor=county, hazard_id=h.pk, reason="与上一条重复录入")
    made.append(h)

    def major(n, location, description):
        h = report(location, description, 30)
        services.determine_major_hazard(
            actor=county,
            hazard_id=h.pk,
            list_number=f"{MARKER}{n}号",
            determination_basis="县安委会2026年第2次重大事故隐患认定专题会议纪要",
            determined_on=today,
            is_supervised=n == 1,
        )
        return h

    def assign(h, n):
        services.assign_major_hazard(
            actor=county,
            hazard_id=h.pk,
            slip_number=f"澧安交〔演示〕{n}号",
            responsible_unit=enterprise.name,
            supervising_unit=department,
            deadline=today + 45 * day,
            responsible_person=enterprise.principal_name,
            measures="停用隐患设备，委托有资质单位设计改造方案并实施",
            funds_amount=Decimal("18.00"),
            funds_source="企业自筹",
            contingency_measures="隐患区域停止作业，设置警戒线，每日专人巡查",
        )

    made.append(major(1, "石灰窑", "窑体耐火层脱落，局部超温，无温度在线监测"))
    h = major(2, "粉磨车间", "粉尘涉爆区域电气设备不防爆")
    assign(h, 2)
    services.record_progress(
        actor=company, hazard_id=h.pk, entry_date=today, percent=40, note="防爆电机已到货"
    )
    made.append(h)
    h = major(3, "装卸平台", "装卸平台无防坠落设施，叉车与人员混行")
    assign(h, 3)
    services.record_progress(
        actor=company, hazard_id=h.pk, entry_date=today, percent=100, note="防护栏和人车分流完成"
    )
    services.submit_rectification(
        actor=company, hazard_id=h.pk, note="已完成改造，申请销号", files=[_evidence()]
    )
    made.append(h)
    h = major(4, "料仓", "料仓清仓作业未落实有限空间作业审批")
    assign(h, 4)
    services.record_progress(
        actor=company, hazard_id=h.pk, entry_date=today, percent=100, note="审批制度和检测设备到位"
    )
    services.submit_rectification(
        actor=company, hazard_id=h.pk, note="申请销号", files=[_evidence()]
    )
    services.verify_rectification(
        actor=town, hazard_id=h.pk, passed=False, opinion="通风检测记录不全，继续整改"
    )
    services.submit_rectification(
        actor=company, hazard_id=h.pk, note="补齐记录，再次申请销号", files=[_evidence()]
    )
    services.verify_rectification(
        actor=county, hazard_id=h.pk, passed=True, opinion="现场核查合格，同意销号"
    )
    made.append(h)
    return list(Hazard.objects.filter(pk__in=[h.pk for h in made]))


def _evidence():
    """A small generated photo standing in for the evidence of an application to close."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 180, 170)).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="整改完成现场照片.png")


def _bulk(rng, enterprises, departments, county, today, showcase) -> int:
    day = datetime.timedelta(days=1)
    shown_major = [h for h in showcase if h.hazard_class == HazardClass.MAJOR]
    shown_major_closed = sum(1 for h in shown_major if h.status == HazardStatus.CLOSED)
    shown_general_closed = sum(
        1
        for h in showcase
        if h.hazard_class == HazardClass.GENERAL and h.status == HazardStatus.CLOSED
    )
    plan: list[tuple[str, str]] = []
    plan += [(HazardClass.MAJOR, HazardStatus.CLOSED)] * (MAJOR_CLOSED - shown_major_closed)
    for status, count in MAJOR_OPEN.items():
        plan += [(HazardClass.MAJOR, status)] * count
    plan += [(HazardClass.GENERAL, HazardStatus.CLOSED)] * (GENERAL_CLOSED - shown_general_closed)
    for status, count in GENERAL_OPEN.items():
        plan += [(HazardClass.GENERAL, status)] * count
    assert sum(1 for c, _ in plan if c == HazardClass.MAJOR) + len(shown_major) == MAJOR_TOTAL

    sources = list(HazardSource.values)
    hazards = []
    # found this year (the dashboard's default period, this year to date, then counts
    # the report's 195 major hazards): at least 5 days ago, so a major hazard's slip
    # (found + 2) is in the past; in the first days of January that reaches last year
    since_new_year = (today - today.replace(month=1, day=1)).days
    for hazard_class, status in plan:
        enterprise = rng.choice(enterprises)
        found = today - rng.randint(5, max(5, since_new_year)) * day
        span = rng.randint(15, 90) if hazard_class == HazardClass.MAJOR else rng.randint(3, 30)
        deadline = found + span * day
        location, description = rng.choice(
            MAJOR_TEXTS if hazard_class == HazardClass.MAJOR else GENERAL_TEXTS
        )
        closed_on = None
        if status == HazardStatus.CLOSED:
            # a major hazard closes after its slip (found + 2) and a 台账 entry: 3 days on
            first = 3 if hazard_class == HazardClass.MAJOR else 1
            closed_on = min(today, found + rng.randint(first, span + 10) * day)
        hazards.append(
            Hazard(
                enterprise_id=enterprise.pk,
                town_id=enterprise.town_id,
                industry_id=enterprise.industry_id,
                source=rng.choice(sources),
                description=description,
                location=location,
                hazard_class=hazard_class,
                status=status,
                found_on=found,
                deadline=deadline,
                original_deadline=deadline,
                responsible_person=enterprise.principal_name,
                rectification_note="已按要求整改" if status != HazardStatus.REPORTED else "",
                closed_on=closed_on,
                void_reason="误录" if status == HazardStatus.VOIDED else "",
            )
        )
    Hazard.objects.bulk_create(hazards, batch_size=1000)
    if hazards[0].pk is None:  # databases without RETURNING: read the ids back
        hazards = list(Hazard.objects.filter(reported_by__isnull=True).order_by("pk"))

    names = {e.pk: e.name for e in enterprises}
    listings, slips, progress, verifications, evidence = [], [], [], [], []
    archive = _archive_account()
    evidence_file = default_storage.save("hazards/demo/整改完成现场照片.png", _evidence())
    evidence_size = default_storage.size(evidence_file)
    year = today.year
    number = 0
    for hazard in hazards:
        if hazard.hazard_class == HazardClass.MAJOR:
            number += 1
            listings.append(
                MajorHazardListing(
                    hazard_id=hazard.pk,
                    list_number=f"{MARKER}{year}-{number:03d}",
                    determined_on=hazard.found_on + day,
                    # historical entries: made on their determination day, not at load time
                    created_at=timezone.make_aware(
                        datetime.datetime.combine(hazard.found_on + day, datetime.time.min)
                    ),
                    determination_basis=f"县安委会{year}年重大事故隐患认定会议",
                    is_supervised=number % 5 == 0,
                    determined_by=county,
                    closing_opinion="现场核查合格，同意销号"
                    if hazard.status == HazardStatus.CLOSED
                    else "",
                )
            )
            if hazard.status != HazardStatus.DETERMINED:
                slips.append(
                    AssignmentSlip(
                        hazard_id=hazard.pk,
                        slip_number=f"澧安交〔演示〕{year}-{number:03d}",
                        responsible_unit=names[hazard.enterprise_id],
                        assigning_unit_id=county.organisation_id,
                        supervising_unit_id=rng.choice(departments).pk,
                        deadline=hazard.deadline,
                        responsible_person=hazard.responsible_person,
                        measures="制定治理方案，落实专项资金，按期完成整改",
                        funds_amount=Decimal(rng.randint(2, 80)),
                        funds_source="企业自筹",
                        contingency_measures="隐患区域停止作业，落实临时管控措施",
                        issued_on=hazard.found_on + 2 * day,
                        issued_by=county,
                    )
                )
                # 台账 entries between the slip and the closure (or today), in order
                issued = hazard.found_on + 2 * day
                end = hazard.closed_on or today
                count = rng.randint(1, 3)
                for step in range(count):
                    progress.append(
                        ProgressEntry(
                            hazard_id=hazard.pk,
                            entry_date=issued + ((end - issued) * (step + 1)) // count,
                            percent=100 * (step + 1) // count,
                            note="按治理方案推进" if step + 1 < count else "治理完成",
                            # historical entries carry no author, so no demo account is
                            # barred from verifying them as the one who recorded progress
                            recorded_by=None,
                        )
                    )
                if hazard.status in (HazardStatus.SUBMITTED, HazardStatus.CLOSED):
                    # an application to close carries evidence, uploaded on its last day
                    evidence.append(
                        HazardAttachment(
                            hazard_id=hazard.pk,
                            kind=AttachmentKind.EVIDENCE,
                            file=evidence_file,
                            original_name="整改完成现场照片.png",
                            content_type="image/png",
                            size=evidence_size,
                            uploaded_by=archive,
                            uploaded_at=timezone.make_aware(
                                datetime.datetime.combine(end, datetime.time(9))
                            ),
                        )
                    )
        if hazard.status == HazardStatus.CLOSED:
            verifications.append(
                Verification(
                    hazard_id=hazard.pk,
                    passed=True,
                    opinion="现场核查合格",
                    verified_on=hazard.closed_on,
                    verified_by=county,
                )
            )
    MajorHazardListing.objects.bulk_create(listings, batch_size=1000)
    AssignmentSlip.objects.bulk_create(slips, batch_size=1000)
    ProgressEntry.objects.bulk_create(progress, batch_size=1000)
    Verification.objects.bulk_create(verifications, batch_size=1000)
    HazardAttachment.objects.bulk_create(evidence, batch_size=1000)
    return len(hazards)


def _archive_account() -> User:
    """The (inactive, password-less) account the historical rows' evidence is filed under:
    the paper ledger transcribed, so no demo user is barred from verifying as its uploader."""
    user, created = User.objects.get_or_create(
        username="demo_archive",
        defaults={"display_name": "历史台账转录", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _risk_points(rng, enterprises) -> int:
    names = (
        ("危化品仓库", "泄漏、火灾、爆炸"),
        ("配电室", "触电、电气火灾"),
        ("有限空间", "中毒窒息"),
        ("高处作业平台", "高处坠落"),
        ("机加工车间", "机械伤害"),
    )
    points = []
    for enterprise in enterprises:
        if RiskPoint.objects.filter(enterprise_id=enterprise.pk).exists():
            continue
        for name, factors in rng.sample(names, k=2 if enterprise.is_high_risk else 1):
            point = RiskPoint(
                enterprise_id=enterprise.pk,
                name=name,
                hazard_factors=factors,
                likelihood=rng.choice(LIKELIHOOD_CHOICES[:5])[0],
                exposure=rng.choice(EXPOSURE_CHOICES[:4])[0],
                consequence=rng.choice(CONSEQUENCE_CHOICES[1:])[0],
                control_measures="落实岗位责任制，定期检查，配备防护设施",
                responsible_person=enterprise.principal_name,
                check_frequency=rng.choice(CheckFrequency.values),
            )
            point.compute_score()
            points.append(point)
    RiskPoint.objects.bulk_create(points, batch_size=1000)
    return len(points)
