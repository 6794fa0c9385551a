"""Demo data for 澧县: reference data, about 5,070 believable enterprises over the 19 镇街
(the county's registry holds about 5,000: the report's "over 5,000 enterprises inspected"
needs them all), and one login per role, all with the password DEMO_PASSWORD.

Refuses to run unless settings.DEBUG or settings.DEMO_MODE is on: the demo accounts'
password is published in the README and must never reach a production database.

Deterministic (random.Random(2026)) and idempotent: enterprises are matched by their
USCC, users by username, expert grants and the weekly reminder are checked first, so a
second run adds nothing. The registry is written in bulk, as the registry import does
(ADR 0018): validated rows, one COPY-like insert, one audit event per enterprise
(`record_events`), the compliance results of new enterprises (`judge_new_enterprises`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from enforcement.accidents.demo import load_accidents_demo
from enforcement.authority.demo import load_authority_demo
from enforcement.cases.demo import load_cases_demo
from enforcement.exposure.demo import load_exposure_demo
from enforcement.inspections.demo import load_inspections_demo
from enforcement.plans.demo import load_plans_demo
from enforcement.reports.demo import load_reports_demo as load_whistleblower_demo
from enterprises.demo import load_enterprise_duties_demo
from enterprises.duties.judging import judge_new_enterprises
from enterprises.models import (
    Enterprise,
    EnterpriseScale,
    EnterpriseStatus,
    EnterpriseUserObjectPermission,
)
from enterprises.reference import (
    ensure_grade_bands,
    ensure_insurance_mandates,
    ensure_safety_cost_reference,
)
from enterprises.registry.services import REGISTRY_FIELDS, grant_expert_access
from enterprises.registry.uscc import ALPHABET, check_character
from hazards.demo import load_hazard_demo
from responsibilities.duty_demo import load_duty_demo
from responsibilities.models import Industry, Organisation
from responsibilities.services import publish_weekly_safety_reminder
from safetyportal.accounts.models import Role, User
from safetyportal.accounts.services import create_portal_user
from safetyportal.audit.services import record_events, snapshot
from safetyportal.core.figures import touch, touch_all
from safetyportal.dashboard.demo_appraisal import load_appraisal_demo
from safetyportal.dashboard.reports.demo import load_reports_demo as load_stored_reports_demo

DEMO_PASSWORD = "Demo@2026"
DEMO_SEED = 2026
# registration authority 9 (工商), type 1 (企业), division 430723 (澧县)
DEMO_USCC_PREFIX = "91430723"

DEMO_ENTERPRISE_NAME = "澧县小渡口镇华鑫建材有限公司"
DEMO_ENTERPRISE_TOWN = "430723102"

# username, role, organisation code, display name
DEMO_USERS: tuple[tuple[str, str, str | None, str], ...] = (
    ("county", Role.COUNTY_OFFICE, "aqwb", "王主任"),
    ("leader", Role.LEADER, None, "刘副县长"),
    ("dept_yjj", Role.DEPARTMENT, "dept-yjj", "张科长"),
    ("town_xdk", Role.TOWN, "430723102", "陈站长"),
    ("town_lyj", Role.TOWN, "430723002", "周站长"),
    ("enterprise", Role.ENTERPRISE, None, "赵经理"),
    ("expert", Role.EXPERT, None, "孙高工"),
)
EXPERT_GRANTS = 5

# --- names ---------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


TRADE_NAMES = _words(
    "兴盛 华鑫 恒达 宏远 金利 鑫源 富强 永安 顺发 利民 鼎盛 澧兴 兰江 九澧 湘北 新澧 盛源 天成 "
    "众鑫 昌隆 鸿运 瑞丰 汇通 金穗 丰源 德茂 嘉禾 长顺 福临 益丰 安达 佳和 万隆 聚源 宏发 盛达 "
    "国泰 鑫达 荣昌 和顺 金桥 康达 永兴 同心 广源 祥和 润丰 新宇 博源 涔阳 澧州 洞庭 鑫旺 "
    "泰和 宏图 隆昌 华盛 锦程 晟达 亿丰 海川 金鼎 创新 腾飞 远航 良友 惠民 兴旺 旺达 明珠"
)
SURNAMES = (
    "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
    "贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷"
    "钱汤尹黎易常武乔贺赖龚文"
)
GIVEN_NAMES = _words(
    "建国 建华 国华 志强 志勇 海军 红梅 秀英 桂兰 德明 卫东 小平 新华 春生 军 勇 伟 敏 静 丽 强 "
    "磊 洋 涛 斌 华 平 刚 辉 鹏 超 芳 燕 霞 红 明 杰 文 波 宇 浩 凯 俊 立新 建军 国庆 爱华 家富 "
    "光明 长青 振华 世明 永红 金山 学文 运来 兴旺 玉兰 冬梅 秋菊"
)
MOBILE_PREFIXES = ("139", "138", "137", "135", "150", "151", "152", "158", "159", "173", "180")
STREETS = _words(
    "澧州大道 兰江路 澧阳路 荣家河路 解放路 车站路 北正街 南门路 翠湖路 新建路 育才路 "
    "城东大道 护城路 工业大道 涔阳路"
)
VILLAGES = _words(
    "新民 红星 胜利 和平 双龙 长岭 团结 新华 青龙 金星 杨家 彭家 三星 友谊 东岳 "
    "白鹤 桃花 荷花 鸡叫城 永丰 花园 七里 九旺 兴隆"
)

# industry code -> name templates ({t} = trade name); the legal form is part of the template
NAME_TEMPLATES: dict[str, tuple[str, ...]] = {
    "fmks": ("{t}石料有限公司", "{t}砂石开采有限公司", "{t}石膏矿业有限公司", "{t}膨润土有限公司"),
    "yhlk": ("{t}盐化有限公司", "{t}卤业有限责任公司", "{t}盐化工有限公司"),
    "whp": ("{t}化工有限公司", "{t}化工贸易有限公司", "{t}气体有限公司", "{t}农资化工经营部"),
    "yhbz": ("{t}烟花爆竹经营部", "{t}烟花爆竹零售店", "{t}花炮批发有限公司"),
    "yjgm": ("{t}铸造有限公司", "{t}铝业有限公司", "{t}金属制品有限公司"),
    "jcts": (
        "{t}陶瓷有限公司",
        "{t}建材有限公司",
        "{t}新型墙体材料有限公司",
        "{t}水泥制品有限公司",
        "{t}商品混凝土有限公司",
        "{t}页岩砖厂",
    ),
    "jxzz": ("{t}机械制造有限公司", "{t}农机有限公司", "{t}机电设备有限公司"),
    "qgfz": ("{t}纺织有限公司", "{t}服饰有限公司", "{t}纸业有限公司", "{t}木业有限公司"),
    "lyjg": (
        "{t}米业有限公司",
        "{t}粮油有限公司",
        "{t}食品有限公司",
        "{t}棉业有限公司",
        "{t}饲料有限公司",
        "{t}油脂有限公司",
    ),
    "jzsg": ("{t}建筑工程有限公司", "{t}建设有限公司", "{t}路桥工程有限公司"),
    "dlys": ("{t}运输有限公司", "{t}物流有限公司", "{t}客运有限公司"),
    "czrq": ("{t}燃气有限公司", "{t}液化气站"),
    "jyz": ("{t}加油站", "{t}石油经营有限公司加油站"),
    "ryjj": ("{t}超市", "{t}商贸有限公司", "{t}购物广场", "{t}百货商行"),
    "cyzs": ("{t}大酒店", "{t}餐饮管理有限公司", "{t}宾馆", "{t}酒楼"),
    "sslys": ("{t}航运有限公司", "{t}渡运有限公司"),
    "tzsb": ("{t}物业服务有限公司", "{t}热力有限公司"),
    "zjfjy": ("{t}家庭旅馆", "{t}便民商店", "{t}出租公寓"),
    "xx-ddzxc": ("{t}电动车行", "{t}电动车销售维修部"),
    "xx-cdhd": ("{t}新能源科技有限公司", "{t}充电站"),
    "xx-gffd": ("{t}光伏电力有限公司",),
    "xx-cndz": ("{t}储能科技有限公司",),
    "xx-wmps": ("{t}配送服务有限公司",),
    "xx-kdwl": ("{t}快递有限公司", "{t}速递服务部"),
    "xx-wyc": ("{t}出行科技有限公司",),
    "xx-gxdc": ("{t}共享出行服务有限公司",),
    "xx-jbs": ("{t}剧本杀体验馆", "{t}密室逃脱"),
    "xx-djjd": ("{t}电竞酒店",),
    "xx-ms": ("{t}民宿",),
    "xx-snyl": ("{t}蹦床乐园", "{t}儿童游乐园"),
    "xx-bxcg": ("{t}冰雪世界",),
    "xx-ym": ("{t}医疗美容诊所",),
    "xx-zbds": ("{t}文化传媒有限公司", "{t}直播电商有限公司"),
    "xx-wrj": ("{t}植保无人机服务有限公司", "{t}飞防专业合作社"),
    "xx-llcc": ("{t}冷链物流有限公司", "{t}冷库"),
    "xx-yzc": ("{t}预制菜食品有限公司", "{t}食品科技有限公司"),
    "xx-cwfw": ("{t}宠物店", "{t}宠物医院"),
    "xx-zzxc": ("{t}自助洗车店",),
    "xx-ddqcwx": ("{t}新能源汽车维修服务有限公司",),
    "xx-ncds": ("{t}农村电子商务服务站", "{t}电子商务有限公司"),
    "xx-njl": ("{t}农家乐", "{t}生态山庄"),
}

# --- where and how many -------------------------------------------------------------

URBAN_MIX: dict[str, float] = {
    "ryjj": 14, "cyzs": 14, "jzsg": 6, "dlys": 5, "zjfjy": 6, "tzsb": 4, "qgfz": 3,
    "jxzz": 2, "lyjg": 2, "jyz": 2, "yhbz": 2, "whp": 1, "czrq": 1,
    "xx-ddzxc": 3, "xx-cdhd": 2, "xx-wmps": 2, "xx-kdwl": 3, "xx-wyc": 2, "xx-gxdc": 1,
    "xx-jbs": 2, "xx-djjd": 1, "xx-ms": 1, "xx-snyl": 2, "xx-bxcg": 0.5, "xx-ym": 2,
    "xx-zbds": 2, "xx-llcc": 1, "xx-yzc": 1, "xx-cwfw": 2, "xx-zzxc": 2, "xx-ddqcwx": 2,
    "xx-ncds": 0.5, "xx-gffd": 0.5, "xx-cndz": 0.5,
}  # fmt: skip
SALT_MIX: dict[str, float] = {
    "yhlk": 9, "jcts": 13, "fmks": 4, "whp": 2, "dlys": 3, "jyz": 1, "lyjg": 2, "jzsg": 2,
    "ryjj": 2, "cyzs": 2, "yhbz": 1, "jxzz": 1, "zjfjy": 1, "xx-gffd": 1,
}  # fmt: skip
INDUSTRIAL_MIX: dict[str, float] = {
    "jcts": 8, "jxzz": 7, "whp": 3, "qgfz": 5, "lyjg": 5, "yjgm": 3, "dlys": 3, "jzsg": 3,
    "jyz": 2, "ryjj": 3, "cyzs": 3, "tzsb": 2, "zjfjy": 1, "yhbz": 1, "xx-llcc": 1,
    "xx-yzc": 1, "xx-cdhd": 1, "xx-kdwl": 1, "xx-cndz": 1,
}  # fmt: skip
HERITAGE_MIX: dict[str, float] = {
    "xx-njl": 5, "xx-ms": 4, "cyzs": 3, "ryjj": 2, "lyjg": 4, "jzsg": 1, "jyz": 1,
    "yhbz": 1, "xx-wrj": 1, "xx-ncds": 1, "zjfjy": 1,
}  # fmt: skip
HILL_MIX: dict[str, float] = {
    "fmks": 4, "jcts": 3, "lyjg": 3, "xx-njl": 3, "xx-ms": 1, "jyz": 1, "yhbz": 1,
    "cyzs": 1, "ryjj": 1, "dlys": 1, "xx-wrj": 1, "xx-gffd": 1, "whp": 0.5,
}  # fmt: skip
PLAIN_MIX = {
    "lyjg": 7, "jcts": 2, "jxzz": 2, "qgfz": 2, "jzsg": 2, "dlys": 2, "jyz": 2, "yhbz": 2,
    "ryjj": 3, "cyzs": 2, "zjfjy": 2, "xx-wrj": 2, "xx-ncds": 1, "xx-njl": 1, "xx-llcc": 1,
    "xx-yzc": 1, "xx-ddzxc": 1, "xx-kdwl": 1, "xx-cwfw": 0.5, "sslys": 0.5, "xx-gffd": 0.5,
    "whp": 0.5, "czrq": 0.5,
}  # fmt: skip

# each town's count below is multiplied by REGISTRY_SCALE: 390 x 13 = 5,070 with the demo
# enterprise (and any industry's straggler), a little over the county's 5,000
REGISTRY_SCALE = 13

# town code -> (number of enterprises / REGISTRY_SCALE, industry mix)
TOWN_PLAN: dict[str, tuple[int, dict[str, float]]] = {
    "430723001": (38, URBAN_MIX),  # 澧西街道
    "430723002": (42, URBAN_MIX),  # 澧阳街道
    "430723003": (40, URBAN_MIX),  # 澧浦街道
    "430723004": (35, URBAN_MIX),  # 澧澹街道
    "430723102": (36, INDUSTRIAL_MIX),  # 小渡口镇
    "430723103": (14, PLAIN_MIX),  # 梦溪镇
    "430723104": (13, PLAIN_MIX),  # 复兴镇
    "430723105": (34, SALT_MIX),  # 盐井镇: 盐卤、陶瓷、建材
    "430723107": (14, PLAIN_MIX),  # 大堰垱镇
    "430723108": (12, {**HILL_MIX, "sslys": 1}),  # 王家厂镇 (水库)
    "430723109": (12, PLAIN_MIX),  # 金罗镇
    "430723110": (13, PLAIN_MIX),  # 码头铺镇
    "430723112": (11, HILL_MIX),  # 甘溪滩镇
    "430723113": (12, HILL_MIX),  # 火连坡镇
    "430723114": (12, {**PLAIN_MIX, "sslys": 1}),  # 澧南镇
    "430723115": (12, PLAIN_MIX),  # 如东镇
    "430723116": (13, PLAIN_MIX),  # 涔南镇
    "430723117": (11, {**PLAIN_MIX, "sslys": 1}),  # 官垸镇
    "430723118": (16, HERITAGE_MIX),  # 城头山镇
}

# industry code -> (min, max, most likely) employees; industrial ones sometimes ~100
SIZE_PROFILES: dict[str, tuple[int, int, int]] = {
    "fmks": (10, 120, 30), "yhlk": (20, 600, 120), "whp": (5, 300, 30),
    "yhbz": (3, 12, 4), "yjgm": (20, 500, 80), "jcts": (10, 600, 60),
    "jxzz": (10, 450, 50), "qgfz": (10, 600, 60), "lyjg": (5, 400, 30),
    "jzsg": (20, 350, 60), "dlys": (10, 260, 40), "czrq": (8, 60, 15),
    "jyz": (5, 20, 8), "ryjj": (3, 180, 12), "cyzs": (3, 120, 15),
    "sslys": (5, 50, 10), "tzsb": (5, 100, 20), "zjfjy": (3, 12, 4),
}  # fmt: skip
EMERGING_PROFILE = (3, 60, 8)
AROUND_100_INDUSTRIES = {"yhlk", "yjgm", "jcts", "jxzz", "qgfz", "lyjg", "jzsg", "dlys", "whp"}


def scale_for(employees: int) -> str:
    """Scale by headcount only, with the industrial thresholds of 统计上大中小微型企业划分办法
    (large >= 1000, medium >= 300, small >= 20, micro below); revenue is not in the registry."""
    if employees >= 1000:
        return EnterpriseScale.LARGE
    if employees >= 300:
        return EnterpriseScale.MEDIUM
    if employees >= 20:
        return EnterpriseScale.SMALL
    return EnterpriseScale.MICRO


def organisation_code_check(body: str) -> str:
    """GB 11714 check character for the 8-character body of an organisation code."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, weights, strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(prefix: str, org_body: str) -> str:
    """An 18-character USCC: prefix (8) + organisation code (9, with its check) + check."""
    first_17 = prefix + org_body + organisation_code_check(org_body)
    return first_17 + check_character(first_17)


def random_org_body(rng: random.Random) -> str:
    if rng.random() < 0.65:  # codes assigned since 2015 start with MA
        letters = [c for c in ALPHABET if c not in "X"]
        return "MA4" + "".join(rng.choice(letters) for _ in range(5))
    return "".join(rng.choice("0123456789") for _ in range(8))


def random_person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def random_employees(rng: random.Random, industry_code: str) -> int:
    if industry_code in AROUND_100_INDUSTRIES and rng.random() < 0.1:
        return rng.randint(95, 105)  # around the 100-employee safety-staff threshold
    low, high, mode = SIZE_PROFILES.get(industry_code, EMERGING_PROFILE)
    # skewed to the small end, as a county's registry is: most near the mode, a few large
    upper = high if rng.random() < 0.3 else min(high, mode * 2)
    return max(3, min(600, round(rng.triangular(low, upper, mode))))


def random_address(rng: random.Random, town_name: str) -> str:
    if town_name.endswith("街道"):
        return f"湖南省常德市澧县{town_name}{rng.choice(STREETS)}{rng.randint(1, 399)}号"
    return f"湖南省常德市澧县{town_name}{rng.choice(VILLAGES)}村{rng.randint(1, 16)}组"


@dataclass(frozen=True)
class EnterpriseSpec:
    name: str
    uscc: str
    town_code: str
    industry_code: str
    address: str
    employee_count: int
    status: str
    legal_representative: str
    principal_name: str
    principal_phone: str


def industry_quota(rng: random.Random, count: int, mix: dict[str, float]) -> list[str]:
    """`count` industry codes in the proportions of `mix` (whole shares first, the rest
    drawn by the fractional shares), shuffled."""
    total = sum(mix.values())
    shares = {code: count * weight / total for code, weight in mix.items()}
    codes = [code for code, share in shares.items() for _ in range(int(share))]
    fractions = {code: share - int(share) for code, share in shares.items()}
    while len(codes) < count:
        pick = rng.choices(list(fractions), weights=list(fractions.values()), k=1)[0]
        codes.append(pick)
        fractions[pick] = 0.0  # each industry gets at most one extra
        if not any(fractions.values()):
            fractions = dict(mix)
    rng.shuffle(codes)
    return codes


def demo_enterprise_specs(town_names: dict[str, str]) -> list[EnterpriseSpec]:
    """The demo registry, the same on every run (seeded); `town_names` maps code -> name."""
    rng = random.Random(DEMO_SEED)
    used_names: set[str] = set()
    used_usccs: set[str] = set()
    specs: list[EnterpriseSpec] = []

    def new_uscc() -> str:
        while True:
            uscc = make_uscc(DEMO_USCC_PREFIX, random_org_body(rng))
            if uscc not in used_usccs:
                used_usccs.add(uscc)
                return uscc

    def add(town_code: str, industry_code: str, name: str | None = None) -> None:
        town_name = town_names[town_code]
        if name is None:
            for attempt in range(400):
                template = rng.choice(NAME_TEMPLATES[industry_code])
                trade = rng.choice(TRADE_NAMES)
                # 街道 enterprises usually carry only the county in their name
                place = "" if town_name.endswith("街道") and rng.random() < 0.7 else town_name
                name = "澧县" + place + template.format(t=trade)
                if attempt >= 200:  # a crowded industry in a big 街道: 分店 as registered
                    name = (
                        "澧县"
                        + town_name
                        + template.format(t=trade + rng.choice("一二三四五六七八九") + "分店")
                    )
                if name not in used_names:
                    break
            else:  # pragma: no cover - 70 trade names are plenty
                raise RuntimeError("could not find a free enterprise name")
        used_names.add(name)
        employees = random_employees(rng, industry_code)
        legal = random_person(rng)
        principal = legal if rng.random() < 0.7 else random_person(rng)
        roll = rng.random()
        status = (
            EnterpriseStatus.CLOSED
            if roll < 0.01
            else EnterpriseStatus.SUSPENDED
            if roll < 0.04
            else EnterpriseStatus.OPERATING
        )
        specs.append(
            EnterpriseSpec(
                name=name,
                uscc=new_uscc(),
                town_code=town_code,
                industry_code=industry_code,
                address=random_address(rng, town_name),
                employee_count=employees,
                status=status,
                legal_representative=legal,
                principal_name=principal,
                principal_phone=rng.choice(MOBILE_PREFIXES)
                + "".join(rng.choice("0123456789") for _ in range(8)),
            )
        )

    # the demo enterprise account's own enterprise comes first, with a fixed name
    add(DEMO_ENTERPRISE_TOWN, "jcts", DEMO_ENTERPRISE_NAME)
    for town_code, (count, mix) in TOWN_PLAN.items():
        count *= REGISTRY_SCALE
        for industry_code in industry_quota(
            rng, count - (1 if town_code == DEMO_ENTERPRISE_TOWN else 0), mix
        ):
            add(town_code, industry_code)
    # every industry has at least one enterprise, so every list and the 监管空白 view
    # have something to show
    present = {s.industry_code for s in specs}
    for industry_code in NAME_TEMPLATES:
        if industry_code not in present:
            town_code = next(
                (c for c, (_n, mix) in TOWN_PLAN.items() if industry_code in mix), "430723002"
            )
            add(town_code, industry_code)
    return specs


class Command(BaseCommand):
    help = "加载演示数据（仅限 DEBUG 或 DEMO_MODE）：参考数据、约5000家企业、各角色演示账号。"

    def handle(self, *args, **options):
        if not (settings.DEBUG or getattr(settings, "DEMO_MODE", False)):
            raise CommandError(
                "演示数据只能在 DEBUG 或 DEMO_MODE（PORTAL_DEMO=1）下加载：演示账号的密码是公开的。"
                " / load_demo refuses to run unless DEBUG or DEMO_MODE is on: the demo"
                " accounts' password is public."
            )
        verbosity = options["verbosity"]
        call_command("load_reference_data", verbosity=verbosity, stdout=self.stdout)

        with transaction.atomic():
            # the duties' reference first: the new enterprises are judged against it
            ensure_insurance_mandates()
            ensure_safety_cost_reference()
            ensure_grade_bands()
            created = self._enterprises()
            users = self._users()
            granted = self._expert_grants(users["county"], users["expert"])
        reminder = publish_weekly_safety_reminder(day=timezone.localdate())

        self.stdout.write(
            f"新增企业 {created} 家（共 {Enterprise.objects.count()} 家），新增专家授权 {granted} 项"
            + (f"，发布本周安全提醒“{reminder.title}”。" if reminder else "。")
        )
        self._print_logins(users)
        load_hazard_demo(self.stdout)
        load_enterprise_duties_demo(self.stdout)
        load_authority_demo(self.stdout, password=DEMO_PASSWORD)
        load_plans_demo(self.stdout)
        load_inspections_demo(self.stdout)
        load_cases_demo(self.stdout)
        load_exposure_demo(self.stdout)
        load_accidents_demo(self.stdout)
        load_whistleblower_demo(self.stdout)
        load_duty_demo(self.stdout)
        load_stored_reports_demo(self.stdout)
        load_appraisal_demo(self.stdout)  # last: the appraisal reads every ledger above
        touch_all()  # the demo's hazards are bulk-created: the kept home figures start afresh

    def _enterprises(self) -> int:
        towns = {t.code: t for t in Organisation.objects.towns()}
        industries = {i.code: i for i in Industry.objects.all()}
        specs = demo_enterprise_specs({code: t.name for code, t in towns.items()})
        existing = set(
            Enterprise.objects.filter(uscc__in=[s.uscc for s in specs]).values_list(
                "uscc", flat=True
            )
        )
        new = []
        for spec in specs:
            if spec.uscc in existing:
                continue
            industry = industries[spec.industry_code]
            enterprise = Enterprise(
                name=spec.name,
                uscc=spec.uscc,
                town=towns[spec.town_code],
                industry=industry,
                address=spec.address,
                employee_count=spec.employee_count,
                scale=scale_for(spec.employee_count),
                is_high_risk=industry.is_high_risk,
                status=spec.status,
                legal_representative=spec.legal_representative,
                principal_name=spec.principal_name,
                principal_phone=spec.principal_phone,
            )
            # register_enterprise's checks without a query per row: the town and the
            # industry come from the database, the codes are unique by construction
            enterprise.full_clean(exclude=["town", "industry"], validate_unique=False)
            new.append(enterprise)
        Enterprise.objects.bulk_create(new, batch_size=2000)
        touch("enterprises")  # bulk_create sends no signals; the home figures count these
        record_events(
            actor=None,
            verb="enterprise.registered",
            events=((e, {"values": snapshot(e, REGISTRY_FIELDS)}) for e in new),
        )
        judge_new_enterprises(new)
        return len(new)

    def _users(self) -> dict[str, User]:
        demo_enterprise = Enterprise.objects.get(
            name=DEMO_ENTERPRISE_NAME, town__code=DEMO_ENTERPRISE_TOWN
        )
        users: dict[str, User] = {}
        hashed = make_password(DEMO_PASSWORD)  # once: hashing is slow on purpose
        for username, role, org_code, display_name in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = create_portal_user(
                    actor=None,
                    username=username,
                    password=None,
                    role=role,
                    display_name=display_name,
                    organisation=Organisation.objects.get(code=org_code) if org_code else None,
                    enterprise=demo_enterprise if role == Role.ENTERPRISE else None,
                )
                user.password = hashed
                user.save(update_fields=["password"])
            users[username] = user
        return users

    def _expert_grants(self, county: User, expert: User) -> int:
        """View access for the expert on the first high-risk enterprises of 小渡口镇 and 盐井镇."""
        chosen = Enterprise.objects.filter(
            town__code__in=["430723102", "430723105"], is_high_risk=True
        ).order_by("uscc")[:EXPERT_GRANTS]
        already = set(
            EnterpriseUserObjectPermission.objects.filter(
                user=expert, permission__codename="view_enterprise"
            ).values_list("content_object_id", flat=True)
        )
        granted = 0
        for enterprise in chosen:
            if enterprise.pk not in already:
                grant_expert_access(actor=county, expert=expert, enterprise=enterprise)
                granted += 1
        return granted

    def _print_logins(self, users: dict[str, User]) -> None:
        rows = [("登录名", "密码", "角色", "单位/企业", "姓名")]
        for username, *_rest in DEMO_USERS:
            user = users[username]
            rows.append(
                (
                    user.username,
                    DEMO_PASSWORD,
                    str(user.get_role_display()),
                    user.place_label or "-",
                    user.display_name,
                )
            )
        widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
        self.stdout.write("")
        self.stdout.write("演示账号 / demo logins:")
        for index, row in enumerate(rows):
            self.stdout.write(
                "  ".join(
                    cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)
                ).rstrip()
            )
            if index == 0:
                self.stdout.write("  ".join("-" * w for w in widths))


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)
