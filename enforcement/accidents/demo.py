"""The demo's accidents: 7 with 8 deaths this year to date against 24 with 24 deaths last
year to the same date (下降 70.8 % and 66.7 %), entered through the services (grade and
lateness computed by the rules), a few with the investigation at various steps."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from enforcement.accidents import services
from enforcement.accidents.models import Accident
from enterprises.models import Enterprise
from responsibilities.models import Industry, Organisation

# (town code, industry code, kind, place, course, deaths, serious injuries, loss in yuan)
THIS_YEAR = [
    (
        "430723105",
        "yhlk",
        "production",
        "盐井镇盐卤开采井场",
        "检修卤水输送泵时管道爆裂，2 名作业人员被高温卤水烫伤致死",
        2,
        1,
        "1850000",
    ),
    (
        "430723102",
        "jzsg",
        "production",
        "小渡口镇安置小区 3 号楼工地",
        "作业人员在 5 层外脚手架拆除时未系安全带坠落",
        1,
        0,
        "1260000",
    ),
    (
        "430723002",
        "dlys",
        "road",
        "澧阳街道 G353 澧阳大道路口",
        "货车右转时与电动自行车碰撞",
        1,
        1,
        "320000",
    ),
    (
        "430723116",
        "lyjg",
        "production",
        "涔南镇粮油加工厂提升机房",
        "清理斗式提升机时设备误启动，致 1 人被卷入",
        1,
        0,
        "980000",
    ),
    (
        "430723107",
        "jcts",
        "production",
        "大堰垱镇页岩砖厂窑车轨道",
        "窑车出窑时倾覆，砸中推车工",
        1,
        2,
        "760000",
    ),
    (
        "430723118",
        "ryjj",
        "fire",
        "城头山镇商贸门店",
        "夜间电动车违规充电起火，1 人逃生不及",
        1,
        0,
        "1430000",
    ),
    (
        "430723110",
        "tzsb",
        "production",
        "码头铺镇某物流仓库",
        "叉车倒车时挤压装卸工",
        1,
        0,
        "540000",
    ),
]
LAST_YEAR_PLACES = [
    ("430723001", "jzsg", "production", "澧西街道在建商住楼", "高处坠落"),
    ("430723003", "dlys", "road", "澧浦街道 S302 线", "车辆碰撞"),
    ("430723004", "ryjj", "fire", "澧澹街道沿街门面", "电气线路起火"),
    ("430723102", "whp", "production", "小渡口镇化工园区储罐区", "检修作业中毒窒息"),
    ("430723103", "lyjg", "production", "梦溪镇米厂", "机械伤害"),
    ("430723104", "jcts", "production", "复兴镇砖厂", "物体打击"),
    ("430723105", "yhlk", "production", "盐井镇盐化厂", "灼烫"),
    ("430723107", "fmks", "production", "大堰垱镇采石场", "坍塌"),
    ("430723108", "jzsg", "production", "王家厂镇水库除险加固工地", "起重伤害"),
    ("430723109", "dlys", "road", "金罗镇 X010 县道", "车辆侧翻"),
    ("430723110", "jxzz", "production", "码头铺镇机械加工厂", "机械伤害"),
    ("430723112", "sslys", "production", "甘溪滩镇澧水渡口", "淹溺"),
]


def _spread(start: datetime.datetime, end: datetime.datetime, count: int) -> list:
    step = (end - start) / (count + 1)
    return [start + step * (i + 1) for i in range(count)]


def _dates(occurred: datetime.datetime, days: int) -> datetime.date:
    return timezone.localtime(occurred).date() + datetime.timedelta(days=days)


def load_accidents_demo(stdout) -> None:
    from django.contrib.auth import get_user_model

    if Accident.objects.exists():
        stdout.write("事故演示数据已存在，跳过。")
        return
    actor = get_user_model().objects.get(username="county")
    towns = {t.code: t for t in Organisation.objects.towns()}
    industries = {i.code: i for i in Industry.objects.all()}
    lead = Organisation.objects.get(code="dept-yjj")
    now = timezone.localtime()
    tz = now.tzinfo
    this_start = datetime.datetime(now.year, 1, 1, tzinfo=tz)
    last_start = datetime.datetime(now.year - 1, 1, 1, tzinfo=tz)
    try:
        last_same = now.replace(year=now.year - 1)
    except ValueError:
        last_same = now.replace(year=now.year - 1, day=28)
    today = now.date()

    def report(when, town_code, industry_code, kind, place, course, deaths, injuries, loss, late):
        town = towns[town_code]
        industry = industries.get(industry_code)
        enterprise = Enterprise.objects.filter(town=town, industry=industry).order_by("pk").first()
        delay = datetime.timedelta(minutes=95 if late else 40)
        return services.report_accident(
            actor=actor,
            occurred_at=when,
            reported_at=min(when + delay, timezone.now()),
            town=town,
            place=place,
            course=course,
            reported_by="事故单位负责人（电话报告）",
            enterprise=enterprise,
            party_name="" if enterprise else f"{town.name}个体经营户",
            industry=industry,
            kind=kind,
            deaths=deaths,
            serious_injuries=injuries,
            missing=0,
            direct_loss=Decimal(loss),
            measures="救治伤员，现场警戒，停产整顿",
        )

    def investigate(accident, up_to: str) -> None:
        occurred = accident.occurred_at
        plan = [
            ("investigate", 2),
            ("submit_report", 50),
            ("decide", 60),
            ("close", 70),
        ]
        for step, days in plan:
            day = _dates(occurred, days)
            if day > today:
                return
            if step == "investigate":
                services.start_investigation(
                    actor=actor,
                    accident_id=accident.pk,
                    started_on=day,
                    lead_unit=lead,
                    team="县应急管理局牵头，县公安局、县总工会、属地镇街和行业主管部门参加",
                )
            elif step == "submit_report":
                services.submit_report(
                    actor=actor,
                    accident_id=accident.pk,
                    submitted_on=day,
                    summary="事故直接原因为违章作业，间接原因为安全管理不到位；建议对事故单位依法处罚",
                )
            elif step == "decide":
                services.decide(
                    actor=actor,
                    accident_id=accident.pk,
                    decided_on=day,
                    decision="同意调查报告，对事故单位依法处罚，责任人员移交处理",
                )
            else:
                services.close(actor=actor, accident_id=accident.pk, closed_on=day)
            if step == up_to:
                return

    created = []
    for i, (when, spec) in enumerate(zip(_spread(this_start, now, 7), THIS_YEAR, strict=True)):
        created.append(report(when, *spec, late=(i == 2)))
    for accident, up_to in zip(
        created[:4], ("close", "decide", "submit_report", "investigate"), strict=False
    ):
        investigate(accident, up_to)
    for i, when in enumerate(_spread(last_start, last_same, 24)):
        town, industry, kind, place, course = LAST_YEAR_PLACES[i % len(LAST_YEAR_PLACES)]
        accident = report(
            when,
            town,
            industry,
            kind,
            place,
            f"{course}事故，死亡 1 人",
            1,
            i % 3,
            str(300000 + 45000 * i),
            late=(i % 5 == 0),
        )
        investigate(accident, "close")
    stdout.write(f"事故：今年 7 起 {sum(a.deaths for a in created)} 人，上年同期 24 起 24 人。")
