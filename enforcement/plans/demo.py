"""Demo inspection plans and 一对一包联 for `manage.py load_demo`.

For the current year: a plan for each of the 19 towns and the 应急管理局; about two
thirds of each unit's enterprises get one target in a month spread over the year (重点包保
for high-risk ones), assigned to the unit's officials (one demo official is created for a
town that has none). Targets of past months are done on a realistic share (done_on within
the month and never after today), the rest are overdue. The 应急管理局's section chiefs
(created if missing) are paired with the towns and have recorded a few guidance visits.
Rows are bulk-created (no audit events, like the other demo loaders). Idempotent: a unit
that already has a plan for the year is skipped.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from enforcement.permissions import unit_enterprise_scope, unit_officials
from enforcement.plans.models import (
    GuidanceVisit,
    InspectionPlan,
    PlanTarget,
    TargetKind,
    TownPairing,
)
from enterprises.models import Enterprise
from responsibilities.models import Organisation
from safetyportal.accounts.models import Role, User
from safetyportal.accounts.services import create_portal_user

BUREAU_CODE = "dept-yjj"
CHIEFS = (
    ("yjj_chief_wh", "黄科长"),
    ("yjj_chief_jc", "罗科长"),
    ("yjj_chief_fg", "谢科长"),
    ("yjj_chief_yj", "韩科长"),
    ("yjj_chief_wx", "唐科长"),
)
SHARE_PLANNED = 0.65
SHARE_DONE = 0.8
VISITS = (
    (
        "督导镇街年度执法检查计划落实，抽查包保台账。",
        "部分企业检查记录不完整。",
        "已要求一周内补齐台账。",
    ),
    (
        "指导开展汛期前安全隐患排查，查看重点企业。",
        "个别企业应急物资不足。",
        "镇安监站跟踪整改，下月复查。",
    ),
    ("参加镇安委会会议，讲解执法程序和文书制作。", "", ""),
)


def _official(unit: Organisation) -> User:
    existing = unit_officials(unit.pk).order_by("pk").first()
    if existing is not None:
        return existing
    username = f"officer_{unit.code}".replace("-", "_")
    user = User.objects.filter(username=username).first()
    return user or create_portal_user(
        actor=None,
        username=username,
        password=None,
        role=Role.DEPARTMENT if unit.kind == "department" else Role.TOWN,
        display_name=f"{(unit.short_name or unit.name)[:4]}执法员",
        organisation=unit,
    )


def _chiefs(bureau: Organisation) -> list[User]:
    chiefs = list(User.objects.filter(username="dept_yjj"))
    for username, name in CHIEFS:
        user = User.objects.filter(username=username).first() or create_portal_user(
            actor=None,
            username=username,
            password=None,
            role=Role.DEPARTMENT,
            display_name=name,
            organisation=bureau,
        )
        chiefs.append(user)
    return chiefs


def _done_on(rng: random.Random, year: int, month: int, today: datetime.date):
    start = datetime.date(year, month, 1)
    last = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
    day = start + datetime.timedelta(days=rng.randrange((last - start).days + 1))
    return min(day, today)


@transaction.atomic
def load_plans_demo(stdout) -> None:
    today = timezone.localdate()
    year = today.year
    rng = random.Random(f"plans-{year}")
    bureau = Organisation.objects.filter(code=BUREAU_CODE).first()
    units = list(Organisation.objects.towns())
    if bureau is not None:
        units.append(bureau)
    plans = targets = 0
    for unit in units:
        if InspectionPlan.objects.filter(unit=unit, year=year).exists():
            continue
        official = _official(unit)
        officials = list(unit_officials(unit.pk).order_by("pk")) or [official]
        plan = InspectionPlan.objects.create(
            unit=unit,
            year=year,
            title=f"{unit.short_name or unit.name}{year}年度执法检查计划",
            created_by=official,
        )
        plans += 1
        enterprises = list(
            Enterprise.objects.filter(unit_enterprise_scope(unit))
            .order_by("pk")
            .values_list("pk", "is_high_risk")
        )
        rows = []
        for index, (pk, high_risk) in enumerate(enterprises):
            if rng.random() > SHARE_PLANNED:
                continue
            month = 1 + (index * 7 + rng.randrange(3)) % 12
            past = (year, month) < (today.year, today.month)
            done = past and rng.random() < SHARE_DONE
            rows.append(
                PlanTarget(
                    plan=plan,
                    enterprise_id=pk,
                    month=month,
                    kind=TargetKind.KEY if high_risk else TargetKind.AREA,
                    assigned_to=officials[index % len(officials)],
                    done_on=_done_on(rng, year, month, today) if done else None,
                )
            )
        PlanTarget.objects.bulk_create(rows)
        targets += len(rows)
    pairings = visits = 0
    if bureau is not None:
        chiefs = _chiefs(bureau)
        for index, town in enumerate(Organisation.objects.towns()):
            if TownPairing.objects.filter(year=year, town=town).exists():
                continue
            chief = chiefs[index % len(chiefs)]
            pairing = TownPairing.objects.create(
                year=year, chief=chief, town=town, note=f"{chief.display_name}包联{town.name}"
            )
            pairings += 1
            for n, (content, issues, follow) in enumerate(VISITS[: 1 + index % 3]):
                month = max(1, today.month - 1 - 3 * n) if today.year == year else 6
                GuidanceVisit.objects.create(
                    pairing=pairing,
                    visited_on=min(datetime.date(year, month, 10 + index % 15), today),
                    content=content,
                    issues_found=issues,
                    follow_up=follow,
                    recorded_by=chief,
                )
                visits += 1
    stdout.write(
        f"检查计划：新增 {plans} 个年度计划、{targets} 个检查对象；"
        f"一对一包联 {pairings} 个、指导记录 {visits} 条。"
    )
