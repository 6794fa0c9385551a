"""Demo inspections for `manage.py load_demo`: this year's inspections of every demo
enterprise (two each, by its town, or by the department supervising its industry jointly
with the town), two or three certified officers each, checklists answered, some findings;
findings that became hazards are linked to the ledger, the rest are 只检查不执法.

The report's figures: every enterprise of the registry (over 5,000) is inspected this
year; those where something was found get a 复查, then high-risk ones a second visit, then
the others, until the officer visits (inspection x officers) pass 10,200. Only the certified
officers of the authority demo (22) inspect: a town's own (one, two in a general-procedure
town); a department's jointly with the town. A few drafts of today show the unfinished
state; they are not counted as inspections made.

Bulk-created (no audit events, like the hazards' history) but within the rules: officers
hold a certificate valid on the day and belong to the inspecting or a joint unit, dates
are not after today, the enterprise lies in the town. Idempotent: a second run finds
inspections and stops. Without certified officers (the authority demo not loaded) it
says so and writes nothing.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

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
from safetyportal.accounts.models import User

VISITS = 10_200  # officer visits this year: the report's "10,000+ 人次"
DRAFTS = 6  # today's unfinished inspections (the demo town's first enterprises)
DEMO_TOWN = "430723102"  # 小渡口镇
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


def _officers(units: list[Organisation], year_start, today) -> dict[int, list[int]]:
    """The certified officers of each unit: holding a certificate valid on the first day
    of the year and today (so on every day between; the authority demo's 22). Nobody
    else inspects, and no certificate is made here."""
    certified = set(certified_officer_ids(None, year_start)) & set(
        certified_officer_ids(None, today)
    )
    people: dict[int, list[int]] = {u.pk: [] for u in units}
    for pk, unit_id in (
        User.objects.filter(pk__in=certified, organisation_id__in=people, is_active=True)
        .order_by("pk")
        .values_list("pk", "organisation_id")
    ):
        people[unit_id].append(pk)
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
    officers = _officers(towns + departments, year_start, today)
    if not all(officers[t.pk] for t in towns):
        stdout.write("执法检查演示数据需要各镇街的持证执法人员（委托执法演示数据），未加载。")
        return
    # a department inspects only where it has certified officers of its own
    supervisor = {k: v for k, v in supervisor.items() if officers.get(v)}
    creator = {unit: ids[0] for unit, ids in officers.items() if ids}
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

    def add(enterprise, day, unit, team, joint, found, status) -> None:
        template = templates.get(enterprise.industry_id) or templates.get(None)
        acknowledged = "" if rng.random() < 0.03 else "企业负责人"
        rows.append(
            Inspection(
                unit_id=unit,
                enterprise_id=enterprise.pk,
                town_id=enterprise.town_id,
                inspected_on=day,
                checklist=template,
                status=status,
                summary="现场检查，查阅台账，询问相关人员。",
                acknowledged_by=acknowledged,
                refused_to_sign=not acknowledged,
                created_by_id=creator[unit],
            )
        )
        plans.append((team, joint, found))

    def inspect(enterprise, day) -> int:
        """One inspection of `enterprise` on `day`; returns its number of officers."""
        town_team = officers[enterprise.town_id]
        department = supervisor.get(enterprise.industry_id)
        if department is not None and rng.random() < DEPARTMENT_SHARE:
            # the department's officers with one of the town's (a joint inspection)
            team = [*officers[department], rng.choice(town_team)]
            add(enterprise, day, department, team, [enterprise.town_id], *_found(rng))
        else:
            team = town_team
            add(enterprise, day, enterprise.town_id, team, [], *_found(rng))
        return len(team)

    enterprises = list(
        Enterprise.objects.only("pk", "town_id", "industry_id", "is_high_risk").order_by("pk")
    )
    # every enterprise once, in the first three quarters of the year so far
    first_day, visits = {}, 0
    for enterprise in enterprises:
        first_day[enterprise.pk] = rng.randrange(span * 3 // 4 + 1)
        visits += inspect(enterprise, year_start + datetime.timedelta(first_day[enterprise.pk]))
    # then 复查 where the first found something, high-risk enterprises a second time, then
    # the others, until the officer visits pass the report's figure
    found_first = {i.enterprise_id for i, (_t, _j, found) in zip(rows, plans, strict=True) if found}
    again = sorted(enterprises, key=lambda e: (e.pk not in found_first, not e.is_high_risk))
    for enterprise in again:
        if visits > VISITS:
            break
        offset = rng.randint(min(first_day[enterprise.pk] + 1, span), span)
        visits += inspect(enterprise, year_start + datetime.timedelta(offset))
    for enterprise in [e for e in enterprises if e.town_id == _demo_town(towns)][:DRAFTS]:
        add(
            enterprise,
            today,
            enterprise.town_id,
            officers[enterprise.town_id][:1],
            [],
            False,
            InspectionStatus.DRAFT,
        )
    # what each inspection found, decided before the rows are written (no update after):
    # the answers marked "no", a finding for each (or one outside the checklist), linked to
    # the ledger's inspection hazard of the same enterprise found on or after the day when
    # the inspection is submitted; the rest stay 只检查不执法
    found_items: list[tuple[list[int], set[int], list[tuple]]] = []
    for inspection, (_team, _joint, found) in zip(rows, plans, strict=True):
        template_items = items.get(inspection.checklist_id, [])
        bad = (
            set(rng.sample(template_items, min(len(template_items), rng.randint(1, 2))))
            if found
            else set()
        )
        pending = []
        for item in (sorted(bad) or [None]) if found else []:
            location, text = rng.choice(FINDING_TEXTS)
            hazard_id = None
            if inspection.status == InspectionStatus.SUBMITTED:
                pool = hazards.get(inspection.enterprise_id, [])
                match = next((h for h in pool if h.found_on >= inspection.inspected_on), None)
                if match is not None:
                    pool.remove(match)
                    hazard_id = match.pk
            pending.append((item, location, text, hazard_id))
        inspection.finding_count = len(pending)
        inspection.followed_up = any(p[3] for p in pending)
        found_items.append((template_items, bad, pending))
    Inspection.objects.bulk_create(rows, batch_size=2000)

    officer_links, joint_links, answers, findings = [], [], [], []
    Officers = Inspection.officers.through
    Joint = Inspection.joint_units.through
    for inspection, (team, joint, _f), (template_items, bad, pending) in zip(
        rows, plans, found_items, strict=True
    ):
        officer_links.extend(Officers(inspection_id=inspection.pk, user_id=pk) for pk in team)
        joint_links.extend(Joint(inspection_id=inspection.pk, organisation_id=j) for j in joint)
        answers.extend(
            InspectionAnswer(
                inspection_id=inspection.pk,
                item_id=item,
                answer="no" if item in bad else ("na" if rng.random() < 0.05 else "yes"),
            )
            for item in template_items
        )
        findings.extend(
            Finding(
                inspection_id=inspection.pk,
                checklist_item_id=item,
                description=text,
                location=location,
                hazard_id=hazard_id,
            )
            for item, location, text, hazard_id in pending
        )
    Officers.objects.bulk_create(officer_links, batch_size=5000)
    Joint.objects.bulk_create(joint_links, batch_size=5000)
    InspectionAnswer.objects.bulk_create(answers, batch_size=5000)
    Finding.objects.bulk_create(findings, batch_size=5000)
    followed = {i.pk for i in rows if i.followed_up}

    submitted = [i for i in rows if i.status == InspectionStatus.SUBMITTED]
    visits = sum(
        len(team)
        for (team, _j, _f), i in zip(plans, rows, strict=True)
        if i.status == InspectionStatus.SUBMITTED
    )
    with_findings = sum(1 for i in rows if i.finding_count)
    unfollowed = sum(
        1
        for i in rows
        if i.finding_count and not i.followed_up and i.status == InspectionStatus.SUBMITTED
    )
    stdout.write(
        f"执法检查 {len(submitted)} 次（另有草稿 {len(rows) - len(submitted)} 份），"
        f"覆盖企业 {len({i.enterprise_id for i in submitted})} 家，检查人次 {visits}；发现问题的 {with_findings} 次，"
        f"转为隐患 {len(followed)} 次，只检查不执法 {unfollowed} 次。"
    )


def _found(rng: random.Random) -> tuple[bool, str]:
    """Did the inspection find something; it is submitted (dated today at the latest)."""
    return rng.random() < FINDING_SHARE, InspectionStatus.SUBMITTED


def _demo_town(towns: list[Organisation]) -> int:
    """小渡口镇 (the demo town official's), else the first town."""
    return next((t.pk for t in towns if t.code == DEMO_TOWN), towns[0].pk)
