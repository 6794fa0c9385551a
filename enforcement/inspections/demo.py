"""Demo inspections for `manage.py load_demo`: this year's inspections of every demo
enterprise (two each, by its town, or by the department supervising its industry jointly
with the town), two or three certified officers each, checklists answered, some findings;
findings that became hazards are linked to the ledger, the rest are 只检查不执法.

Bulk-created (no audit events, like the hazards' history) but within the rules: officers
hold a certificate valid on the day and belong to the inspecting unit, dates are not after
today, the enterprise lies in the town. Idempotent: a second run finds inspections and
stops. Units without two certified officers get demo officers with certificates (the
authority area's demo may already have made them: they are reused).
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from enforcement.authority.models import OfficerCertificate
from enforcement.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    Finding,
    Inspection,
    InspectionAnswer,
    InspectionStatus,
)
from enforcement.rules import certified_officer_ids
from enterprises.models import Enterprise
from hazards.models import Hazard, HazardSource
from responsibilities.models import Organisation, SupervisionAssignment, SupervisionMap
from safetyportal.accounts.models import Role, User

PER_ENTERPRISE = 2
DEPARTMENT_SHARE = 0.2  # of inspections made by a department (jointly with the town)
FINDING_SHARE = 0.45  # of inspections that found something
FINDING_TEXTS = (
    ("一楼仓库", "安全出口被货物堵塞"),
    ("配电房", "配电箱未可靠接地，电缆绝缘层破损"),
    ("车间", "砂轮机防护罩缺失"),
    ("厨房", "可燃气体报警装置未安装"),
    ("储罐区", "重大危险源监测监控数据未接入"),
    ("宿舍楼", "电动自行车在楼道内充电"),
    ("施工现场", "临边防护栏杆高度不足"),
    ("办公楼", "灭火器过期未更换"),
)


def _officers(units: list[Organisation], today: datetime.date) -> dict[int, list[int]]:
    """Certified officers per unit (at least two; demo officers made where missing)."""
    certified = set(certified_officer_ids(None, today))
    people: dict[int, list[int]] = {u.pk: [] for u in units}
    for pk, unit_id in User.objects.filter(
        organisation_id__in=people, is_active=True, role__in=[Role.TOWN, Role.DEPARTMENT]
    ).values_list("pk", "organisation_id"):
        people[unit_id].append(pk)
    password = make_password(None)
    certificates = []
    for unit in units:
        have = [pk for pk in people[unit.pk] if pk in certified]
        # the demo accounts of the unit inspect too: they need a certificate
        for pk in people[unit.pk]:
            if pk not in certified:
                certificates.append(pk)
                have.append(pk)
        n = 0
        while len(have) < 3:
            n += 1
            user, _ = User.objects.get_or_create(
                username=f"officer-{unit.code}-{n}",
                defaults={
                    "display_name": f"{unit.name[:6]}执法队员{n}",
                    "role": Role.DEPARTMENT if unit.kind == "department" else Role.TOWN,
                    "organisation": unit,
                    "password": password,
                },
            )
            if user.pk not in certified:
                certificates.append(user.pk)
            have.append(user.pk)
        people[unit.pk] = have
    start = today.replace(year=today.year - 2, month=1, day=1)
    OfficerCertificate.objects.bulk_create(
        OfficerCertificate(
            officer_id=pk,
            number=f"演示430723{pk:07d}",
            issued_on=start,
            expires_on=start.replace(year=start.year + 6),
        )
        for pk in certificates
    )
    return people


def load_inspections_demo(stdout) -> None:
    if Inspection.objects.exists():
        stdout.write("执法检查演示数据已存在，跳过。")
        return
    with transaction.atomic():
        _load(stdout)


def _load(stdout) -> None:
    rng = random.Random(20261)
    today = timezone.localdate()
    year_start = today.replace(month=1, day=1)
    span = (today - year_start).days
    towns = list(Organisation.objects.towns())
    current = SupervisionMap.objects.current()
    supervisor = dict(
        SupervisionAssignment.objects.filter(supervision_map=current).values_list(
            "industry_id", "department_id"
        )
        if current
        else []
    )
    departments = list(Organisation.objects.filter(pk__in=set(supervisor.values())))
    officers = _officers(towns + departments, today)
    creator = {unit: ids[0] for unit, ids in officers.items()}
    templates = {t.industry_id: t for t in ChecklistTemplate.objects.filter(is_current=True)}
    items: dict[int, list[int]] = {}
    for template_id, item_id in ChecklistItem.objects.values_list("template_id", "pk"):
        items.setdefault(template_id, []).append(item_id)
    # the ledger's inspection hazards, per enterprise, to link findings to
    hazards: dict[int, list[Hazard]] = {}
    for hazard in Hazard.objects.filter(
        source=HazardSource.INSPECTION, found_on__gte=year_start, inspection_finding__isnull=True
    ).only("pk", "enterprise_id", "found_on", "description", "location"):
        hazards.setdefault(hazard.enterprise_id, []).append(hazard)

    rows, plans = [], []
    for enterprise in Enterprise.objects.only("pk", "town_id", "industry_id").order_by("pk"):
        days = sorted(rng.sample(range(span + 1), min(PER_ENTERPRISE, span + 1)))
        for offset in days:
            day = year_start + datetime.timedelta(days=offset)
            department = supervisor.get(enterprise.industry_id)
            by_department = department is not None and rng.random() < DEPARTMENT_SHARE
            unit = department if by_department else enterprise.town_id
            team = rng.sample(officers[unit], 3 if rng.random() < 0.2 else 2)
            template = templates.get(enterprise.industry_id) or templates.get(None)
            found = rng.random() < FINDING_SHARE
            rows.append(
                Inspection(
                    unit_id=unit,
                    enterprise_id=enterprise.pk,
                    town_id=enterprise.town_id,
                    inspected_on=day,
                    checklist=template,
                    status=InspectionStatus.SUBMITTED if day < today else InspectionStatus.DRAFT,
                    summary="现场检查，查阅台账，询问相关人员。",
                    acknowledged_by="" if rng.random() < 0.03 else "企业负责人",
                    refused_to_sign=False,
                    created_by_id=creator[unit],
                )
            )
            rows[-1].refused_to_sign = not rows[-1].acknowledged_by
            plans.append((team, [enterprise.town_id] if by_department else [], found))
    Inspection.objects.bulk_create(rows, batch_size=2000)

    officer_links, joint_links, answers, findings = [], [], [], []
    Officers = Inspection.officers.through
    Joint = Inspection.joint_units.through
    for inspection, (team, joint, found) in zip(rows, plans, strict=True):
        officer_links.extend(Officers(inspection_id=inspection.pk, user_id=pk) for pk in team)
        joint_links.extend(Joint(inspection_id=inspection.pk, organisation_id=j) for j in joint)
        template_items = items.get(inspection.checklist_id, [])
        bad = (
            set(rng.sample(template_items, min(len(template_items), rng.randint(1, 2))))
            if found
            else set()
        )
        answers.extend(
            InspectionAnswer(
                inspection_id=inspection.pk,
                item_id=item,
                answer="no" if item in bad else ("na" if rng.random() < 0.05 else "yes"),
            )
            for item in template_items
        )
        if found:
            for item in sorted(bad) or [None]:
                location, text = rng.choice(FINDING_TEXTS)
                findings.append(
                    Finding(
                        inspection_id=inspection.pk,
                        checklist_item_id=item,
                        description=text,
                        location=location,
                    )
                )
    Officers.objects.bulk_create(officer_links, batch_size=5000)
    Joint.objects.bulk_create(joint_links, batch_size=5000)
    InspectionAnswer.objects.bulk_create(answers, batch_size=5000)
    Finding.objects.bulk_create(findings, batch_size=5000)

    # link findings of submitted inspections to the ledger's inspection hazards of the same
    # enterprise found on or after the day; the rest stay 只检查不执法
    by_pk = {i.pk: i for i in rows}
    counts: dict[int, int] = {}
    linked_findings, followed = [], set()
    for finding in findings:
        inspection = by_pk[finding.inspection_id]
        counts[inspection.pk] = counts.get(inspection.pk, 0) + 1
        if inspection.status != InspectionStatus.SUBMITTED:
            continue
        pool = hazards.get(inspection.enterprise_id, [])
        match = next((h for h in pool if h.found_on >= inspection.inspected_on), None)
        if match is None:
            continue
        pool.remove(match)
        finding.hazard_id = match.pk
        linked_findings.append(finding)
        followed.add(inspection.pk)
    Finding.objects.bulk_update(linked_findings, ["hazard"], batch_size=2000)
    for inspection in rows:
        inspection.finding_count = counts.get(inspection.pk, 0)
        inspection.followed_up = inspection.pk in followed
    Inspection.objects.bulk_update(rows, ["finding_count", "followed_up"], batch_size=2000)

    with_findings = sum(1 for i in rows if i.finding_count)
    unfollowed = sum(
        1
        for i in rows
        if i.finding_count and not i.followed_up and i.status == InspectionStatus.SUBMITTED
    )
    stdout.write(
        f"执法检查 {len(rows)} 次，覆盖企业 {len({i.enterprise_id for i in rows})} 家，"
        f"检查人次 {len(officer_links)}；发现问题的 {with_findings} 次，"
        f"转为隐患 {len(followed)} 次，只检查不执法 {unfollowed} 次。"
    )
