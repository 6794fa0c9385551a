"""The demo's duty lists: every department and 镇街 has last year's list (almost all done)
and this year's, copied from it by the county office, with a share done. Lists and items
are written through the services as the county office; the done marks are demo history
written directly (the demo has no account in most units to mark them)."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from responsibilities import duty_services
from responsibilities.duty_models import DutyItem, DutyItemStatus, DutyList
from responsibilities.models import TOWN_LEVEL_KINDS, Organisation, OrganisationKind

LAW = "《安全生产法》"
RULES = "《地方党政领导干部安全生产责任制规定》"
HUNAN = "《湖南省安全生产条例》"

# (content, legal basis, frequency, deadline month/day or None)
TOWN_ITEMS = (
    (
        "党政主要负责人组织研究部署安全生产工作，党委会、政府常务会研究安全生产",
        RULES,
        "每季度",
        None,
    ),
    ("落实党政同责、一岗双责，班子成员按分工抓好分管领域安全生产", RULES, "全年", (12, 31)),
    ("组织开展辖区生产经营单位安全生产检查，建立隐患排查治理台账", LAW + "第九条", "每月", None),
    ("督促重大事故隐患整改销号，逾期未整改的报县安委办", HUNAN, "每月", None),
    ("开展“安全生产月”宣传教育活动", LAW + "第十三条", "每年", (6, 30)),
    ("组织防汛、森林防火、地质灾害等应急演练", LAW + "第八十一条", "每半年", (9, 30)),
    ("落实小微企业、新兴行业安全监管，明确监管责任人", LAW + "第四条", "全年", (12, 31)),
    ("配合县级部门开展“四不两直”暗查暗访和联合执法", HUNAN, "每季度", None),
    ("按时报送生产安全事故和安全生产工作情况", LAW + "第八十三条", "每季度", None),
)
DEPARTMENT_ITEMS = (
    ("按照“三管三必须”履行本行业领域安全生产监管职责", LAW + "第三条", "全年", (12, 31)),
    ("制定年度监督检查计划并组织实施", LAW + "第六十二条", "每年", (3, 31)),
    ("开展行业领域安全生产专项整治，建立问题隐患和制度措施清单", LAW + "第九条", "每季度", None),
    ("对新兴行业按“业务相近”原则落实监管责任", LAW + "第十条", "全年", (12, 31)),
    ("组织本行业重大事故隐患排查，督促挂牌督办隐患整改", HUNAN, "每月", None),
    ("参加县安委会全体会议和联络员会议，按季度报送工作情况", RULES, "每季度", None),
    ("开展行业安全生产执法，依法查处违法违规行为", LAW + "第六十五条", "全年", (12, 31)),
    ("组织行业从业人员安全培训和应急演练", LAW + "第二十八条", "每半年", (11, 30)),
    ("半年及年终向县安委办报送责任落实情况述职报告", RULES, "每半年", (12, 20)),
)


def _owners():
    return Organisation.objects.active().filter(
        Q(kind=OrganisationKind.DEPARTMENT) | Q(kind__in=TOWN_LEVEL_KINDS)
    )


def _mark_done(items, share: float, rng: random.Random, last_day: datetime.date) -> None:
    chosen = [item for item in items if rng.random() < share]
    for item in chosen:
        item.status = DutyItemStatus.DONE
        item.done_on = max(
            last_day - datetime.timedelta(days=rng.randint(0, 150)),
            datetime.date(last_day.year, 1, 1),
        )
        item.evidence_note = rng.choice(
            ("已按要求完成，会议纪要存档。", "已完成，检查台账附后。", "已完成并报县安委办备案。")
        )
    DutyItem.objects.bulk_update(chosen, ["status", "done_on", "evidence_note"])


def load_duty_demo(stdout, *, year: int | None = None) -> None:
    if DutyList.objects.exists():
        stdout.write("责任清单演示数据已存在，跳过。")
        return
    actor = get_user_model().objects.get(username="county")
    today = timezone.localdate()
    year = year or today.year
    lists = 0
    for owner in _owners().order_by("sort_order", "code"):
        rng = random.Random(f"duty-{owner.code}")
        pool = TOWN_ITEMS if owner.kind in TOWN_LEVEL_KINDS else DEPARTMENT_ITEMS
        last = duty_services.create_duty_list(actor=actor, year=year - 1, owner=owner)
        for content, basis, frequency, due in rng.sample(pool, rng.randint(5, 8)):
            duty_services.add_duty_item(
                actor=actor,
                duty_list_id=last.pk,
                content=content,
                legal_basis=basis,
                frequency=frequency,
                deadline=datetime.date(year - 1, *due) if due else None,
            )
        _mark_done(list(last.items.all()), 0.9, rng, datetime.date(year - 1, 12, 31))
        current = duty_services.copy_duty_list(actor=actor, duty_list_id=last.pk, year=year)
        _mark_done(list(current.items.all()), rng.uniform(0.2, 0.7), rng, today)
        lists += 2
    stdout.write(f"责任清单：{lists} 份（{year - 1}、{year} 年度）。")
