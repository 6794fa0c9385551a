"""Demo whistleblower reports, built through the services (so every deadline and audit event
is real): some in each stage, one merged duplicate, one substantiated report turned into a
hazard with its reward computed, approved and paid. Idempotent: a second run adds none."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from enforcement.reports import rewards, services
from enforcement.reports.models import Report
from enterprises.models import Enterprise
from responsibilities.models import Organisation, OrganisationKind
from safetyportal.accounts.models import Role, User

MATTERS = [
    ("hazard", "仓库堆放大量易燃物品，消防通道被堵塞", "厂区东侧仓库"),
    ("violation", "夜间组织工人在未停电的情况下检修设备，没有作业票", "二号车间"),
    ("hazard", "液氨储罐区的气体报警器长期损坏未修", "储罐区"),
    ("violation", "新招的电焊工没有特种作业操作证就上岗", "钢结构车间"),
    ("concealed_accident", "上月有工人受伤送医，企业没有上报", "装卸平台"),
    ("hazard", "脚手架没有设置安全网，工人未系安全带", "在建工地 3 号楼"),
    ("violation", "应急预案从未演练，员工不知道逃生路线", "办公楼"),
    ("hazard", "配电箱门损坏，电线裸露", "生产车间"),
]


def load_reports_demo(stdout) -> None:
    if Report.objects.exists():
        stdout.write("举报演示数据已存在，跳过。")
        return
    rewards.ensure_reward_rules()
    county = User.objects.filter(role=Role.COUNTY_OFFICE, is_active=True).order_by("pk").first()
    enterprises = list(
        Enterprise.objects.filter(industry__isnull=False).select_related("town").order_by("pk")[:8]
    )
    if county is None or len(enterprises) < len(MATTERS):
        stdout.write("没有县安委办用户或企业，跳过举报演示数据。")
        return
    with transaction.atomic():
        made = []
        for index, ((kind, text, place), enterprise) in enumerate(
            zip(MATTERS, enterprises, strict=False)
        ):
            named = index % 2 == 0
            made.append(
                services.submit_report(
                    kind=kind,
                    enterprise_name=enterprise.name,
                    location=place,
                    description=text,
                    happened_on=timezone.localdate() - datetime.timedelta(days=3 + index),
                    name="张某某" if named else "",
                    phone=f"1380000{index:04d}" if named else "",
                    is_whistleblower=index == 4,
                )
            )
        # 0, 1: 待受理; 2: 已受理; 3, 4: 核查中; 5: 已核查; 6: 已反馈 (不属实);
        # 7: merged into 3; 4 (concealed accident, 吹哨人) is followed through to a paid reward
        for report in made[2:]:
            services.accept_report(actor=county, report_id=report.pk)
        for report in made[3:7]:
            unit = (
                services.suggest_unit(report)
                or Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT)
                .order_by("pk")
                .first()
            )
            services.assign_report(actor=county, report_id=report.pk, unit=unit)
        services.merge_report(actor=county, report_id=made[7].pk, into=made[3])
        services.extend_verification(
            actor=county, report_id=made[3].pk, days=30, reason="涉及多个部门，需联合核查"
        )
        for report, outcome in (
            (made[4], "substantiated"),
            (made[5], "partly"),
            (made[6], "unsubstantiated"),
        ):
            services.verify_report(
                actor=county, report_id=report.pk, outcome=outcome, findings="现场核查记录（内部）"
            )
        services.give_feedback(
            actor=county,
            report_id=made[6].pk,
            feedback="经核查，未发现举报所述问题。感谢您的监督。",
        )
        services.give_feedback(
            actor=county,
            report_id=made[4].pk,
            feedback="经核查，举报情况属实，已依法处理，奖励发放事宜将另行联系。",
        )
        services.compute_reward(
            actor=county,
            report_id=made[4].pk,
            basis="concealed_death",
            deaths=1,
            accident_grade="general",
        )
        services.approve_reward(actor=county, report_id=made[4].pk)
        services.pay_reward(
            actor=county,
            report_id=made[4].pk,
            paid_on=timezone.localdate(),
            payment_reference="JL-0001",
        )
    stdout.write(f"新增举报 {len(made)} 条（其中一条奖励已发放）。")
