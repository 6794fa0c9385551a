"""Scale data for every ledger: seeded, reproducible, written with PostgreSQL COPY.

`manage.py generate_scale --scale county|city|province` runs the generators registered
here, in order. Each generator is a small function taking the `ScaleContext` (scale,
seeded random streams, today, the ids made by earlier generators) and returning the rows
it wrote per table. A later ledger adds itself in a few lines:

    @generator("inspections")
    def inspections(ctx: ScaleContext) -> None:
        rng = ctx.rng("inspections")
        ctx.copy("enforcement.Inspection", ["id", "enterprise_id", ...], rows)

Models are reached with `apps.get_model`, never imported, so the module depends on no
domain app and survives modules moving. Ids are assigned here (max(id) + 1 onwards, the
sequences moved past them at the end), so the same seed on the same database state gives
the same rows, ids included.

The rows respect the models' constraints and the workflows' invariants: a closed hazard
was found, (for a major one) listed and assigned, progressed and verified, in that order,
and closed on or after it was found; extensions precede the deadline they moved; at most
one pending extension per hazard; audit events follow the life of each record.
"""

from __future__ import annotations

import datetime
import functools
import io
import json
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone


@dataclass(frozen=True)
class Scale:
    name: str
    enterprises: int
    hazards: int  # over `years`
    years: int = 10


SCALES = {
    "test": Scale("test", 60, 600),
    "county": Scale("county", 5_000, 60_000),
    "city": Scale("city", 50_000, 600_000),
    "province": Scale("province", 500_000, 6_000_000),
}

USCC_PREFIX = "91430723"  # registration authority 9, type 1, division 430723
USCC_BODY_LETTER = "Q"  # organisation-code bodies Q0000000..: no demo or import code uses Q
SHARED_FILE = "scale/placeholder.pdf"
CHUNK = 20_000

# --- the registry of generators -------------------------------------------------------

GENERATORS: list[tuple[str, Callable[[ScaleContext], None]]] = []


def generator(name: str):
    """Register a ledger's generator; generators run in registration order."""

    def register(function):
        GENERATORS.append((name, function))
        return function

    return register


@dataclass
class ScaleContext:
    scale: Scale
    seed: int
    today: datetime.date
    # facts earlier generators leave for later ones (enterprise rows, user ids by role...)
    data: dict = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)
    _next_ids: dict[str, int] = field(default_factory=dict)

    @property
    def factor(self) -> float:
        """The scale relative to a county of 5,000 enterprises."""
        return self.scale.enterprises / 5_000

    def rng(self, name: str) -> random.Random:
        """An independent random stream per ledger: adding a ledger changes no other."""
        return random.Random(f"{self.seed}:{name}")

    def reserve(self, label: str, count: int) -> int:
        """The first of `count` new ids for the model `label`. The table's id sequence is
        moved past them at once, so a generator's ORM insert (a get_or_create of a
        reference row) between two COPYs cannot take a reserved id, and the next
        reservation starts past any id the ORM took."""
        table = apps.get_model(label)._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
            first = max(self._next_ids.get(label, 1), cursor.fetchone()[0] + 1)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), %s)",
                [first + count - 1 if count else max(first - 1, 1)],
            )
        self._next_ids[label] = first + count
        return first

    def copy(self, label: str, columns: list[str], rows: Iterable[tuple]) -> int:
        """COPY `rows` (tuples in the order of `columns`, model field names) into the
        model's table; returns the number of rows."""
        model = apps.get_model(label)
        table = model._meta.db_table
        # a NOT NULL column the generator does not name (a field added after it was
        # written) takes the model field's default, as an ORM insert would: COPY applies
        # no Django defaults, and the database has none
        named = {"id" if name == "id" else model._meta.get_field(name).attname for name in columns}
        filled = [
            field
            for field in model._meta.concrete_fields
            if field.attname not in named and not field.primary_key and not field.null
        ]
        extra = tuple(_cell(field.get_default()) for field in filled)
        names = ", ".join(
            [
                *(
                    f'"{model._meta.get_field(name).column}"' if name != "id" else '"id"'
                    for name in columns
                ),
                *(f'"{field.column}"' for field in filled),
            ]
        )
        buffer = io.StringIO()
        count = 0
        for row in rows:
            buffer.write("\t".join((*map(_cell, row), *extra)))
            buffer.write("\n")
            count += 1
        if count:
            buffer.seek(0)
            connection.ensure_connection()
            with connection.connection.cursor() as cursor:
                cursor.copy_expert(f'COPY "{table}" ({names}) FROM STDIN', buffer)
        self.written[label] = self.written.get(label, 0) + count
        return count

    def finish(self) -> None:
        """Move each touched table's id sequence past the ids written here."""
        with connection.cursor() as cursor:
            for label in self._next_ids:
                table = apps.get_model(label)._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                    f' GREATEST((SELECT MAX(id) FROM "{table}"), 1))'
                )


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _cell(value) -> str:
    kind = type(value)
    if kind is str:
        return value.translate(_ESCAPES)
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is int or kind is Decimal:
        return str(value)
    if kind is dict or kind is list:
        return json.dumps(value, ensure_ascii=False).translate(_ESCAPES)
    if kind is datetime.date or kind is datetime.datetime:
        return value.isoformat()
    return str(value)


def run(*, scale: Scale, seed: int, today: datetime.date | None = None, log=None) -> dict:
    """Run every generator in one transaction; returns seconds per ledger and rows per
    table. The caller holds the transaction (the command wraps this in atomic)."""
    ctx = ScaleContext(scale=scale, seed=seed, today=today or timezone.localdate())
    seconds: dict[str, float] = {}
    for name, function in GENERATORS:
        started = time.perf_counter()
        before = dict(ctx.written)
        function(ctx)
        seconds[name] = time.perf_counter() - started
        if log:
            rows = {k: v - before.get(k, 0) for k, v in ctx.written.items() if v != before.get(k)}
            log(name, seconds[name], rows)
    ctx.finish()
    return {"seconds": seconds, "rows": dict(ctx.written), "notes": ctx.data.get("notes", [])}


def chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@functools.cache
def aware(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def content_type_id(label: str) -> int:
    ContentType = apps.get_model("contenttypes", "ContentType")
    model = apps.get_model(label)
    return ContentType.objects.get_for_model(model, for_concrete_model=False).pk


# --- USCC (GB 32100) and organisation code (GB 11714) check characters ------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def _org_check(body: str) -> str:
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, weights, strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def scale_uscc(index: int) -> str:
    body = f"{USCC_BODY_LETTER}{index:07d}"
    first_17 = USCC_PREFIX + body + _org_check(body)
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first_17, USCC_WEIGHTS, strict=True))
    return first_17 + USCC_ALPHABET[(31 - total % 31) % 31]


# --- words (a compact copy of the demo's, so no domain module is imported) --------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


TRADE_NAMES = _words(
    "兴盛 华鑫 恒达 宏远 金利 鑫源 富强 永安 顺发 利民 鼎盛 澧兴 兰江 九澧 湘北 新澧 盛源 天成 "
    "众鑫 昌隆 鸿运 瑞丰 汇通 金穗 丰源 德茂 嘉禾 长顺 福临 益丰 安达 佳和 万隆 聚源 宏发 盛达 "
    "国泰 鑫达 荣昌 和顺 金桥 康达 永兴 同心 广源 祥和 润丰 新宇 博源 涔阳 澧州 洞庭 鑫旺"
)
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
GIVEN_NAMES = _words(
    "建国 建华 国华 志强 志勇 海军 红梅 秀英 桂兰 德明 卫东 小平 新华 春生 军 勇 伟 敏 静 丽 强 "
    "磊 洋 涛 斌 华 平 刚 辉 鹏 超 芳 燕 霞 红 明 杰 文 波 宇 浩 凯 俊 立新 建军 国庆 爱华"
)
STREETS = _words("澧州大道 兰江路 澧阳路 荣家河路 解放路 车站路 北正街 南门路 翠湖路 新建路")
VILLAGES = _words("新民 红星 胜利 和平 双龙 长岭 团结 新华 青龙 金星 杨家 彭家 三星 友谊")
MOBILE_PREFIXES = ("139", "138", "137", "135", "150", "151", "158", "159", "173", "180")
# industry code -> name templates; industries missing from the database are skipped
NAME_TEMPLATES = {
    "fmks": ("{t}石料有限公司", "{t}砂石开采有限公司"),
    "yhlk": ("{t}盐化有限公司", "{t}盐化工有限公司"),
    "whp": ("{t}化工有限公司", "{t}气体有限公司", "{t}农资化工经营部"),
    "yhbz": ("{t}烟花爆竹经营部", "{t}烟花爆竹零售店"),
    "yjgm": ("{t}铸造有限公司", "{t}铝业有限公司"),
    "jcts": ("{t}陶瓷有限公司", "{t}建材有限公司", "{t}商品混凝土有限公司"),
    "jxzz": ("{t}机械制造有限公司", "{t}农机有限公司"),
    "qgfz": ("{t}纺织有限公司", "{t}服饰有限公司", "{t}木业有限公司"),
    "lyjg": ("{t}米业有限公司", "{t}粮油有限公司", "{t}食品有限公司"),
    "jzsg": ("{t}建筑工程有限公司", "{t}建设有限公司"),
    "dlys": ("{t}运输有限公司", "{t}物流有限公司"),
    "czrq": ("{t}燃气有限公司", "{t}液化气站"),
    "jyz": ("{t}加油站",),
    "ryjj": ("{t}超市", "{t}商贸有限公司", "{t}购物广场"),
    "cyzs": ("{t}大酒店", "{t}餐饮管理有限公司", "{t}宾馆"),
    "sslys": ("{t}航运有限公司",),
    "tzsb": ("{t}物业服务有限公司",),
    "zjfjy": ("{t}家庭旅馆", "{t}便民商店"),
    "xx-ddzxc": ("{t}电动车行",),
    "xx-kdwl": ("{t}快递有限公司",),
    "xx-ms": ("{t}民宿",),
    "xx-njl": ("{t}农家乐",),
    "xx-llcc": ("{t}冷链物流有限公司",),
}
# how common each industry is in the registry (ordinary trades first)
INDUSTRY_WEIGHTS = {
    "ryjj": 14, "cyzs": 12, "lyjg": 9, "jcts": 9, "jzsg": 6, "dlys": 6, "jxzz": 5,
    "qgfz": 5, "zjfjy": 5, "jyz": 3, "yhbz": 3, "whp": 3, "fmks": 3, "yhlk": 2,
    "yjgm": 2, "tzsb": 2, "czrq": 1, "sslys": 1, "xx-ddzxc": 2, "xx-kdwl": 2,
    "xx-ms": 2, "xx-njl": 2, "xx-llcc": 1,
}  # fmt: skip
# industry code -> (min, max, most likely) employees
SIZE_PROFILES = {
    "fmks": (10, 120, 30), "yhlk": (20, 600, 120), "whp": (5, 300, 30), "yhbz": (3, 12, 4),
    "yjgm": (20, 500, 80), "jcts": (10, 600, 60), "jxzz": (10, 450, 50),
    "qgfz": (10, 600, 60), "lyjg": (5, 400, 30), "jzsg": (20, 350, 60),
    "dlys": (10, 260, 40), "czrq": (8, 60, 15), "jyz": (5, 20, 8), "ryjj": (3, 180, 12),
    "cyzs": (3, 120, 15), "sslys": (5, 50, 10), "tzsb": (5, 100, 20), "zjfjy": (3, 12, 4),
}  # fmt: skip

GENERAL_TEXTS = (
    ("配电箱", "配电箱未可靠接地，电缆绝缘层破损"),
    ("仓库", "灭火器压力不足，消防通道堆放杂物"),
    ("车间", "砂轮机防护罩缺失"),
    ("施工现场", "临边防护栏杆高度不足"),
    ("厨房", "燃气管道无泄漏报警装置"),
    ("宿舍", "私拉乱接电线，违规使用大功率电器"),
    ("作业区", "特种作业人员未持证上岗"),
    ("安全出口", "应急照明和疏散指示标志损坏"),
    ("叉车通道", "叉车通道与人行通道未分隔，无限速标识"),
    ("空压机房", "储气罐安全阀未按期校验"),
)
MAJOR_TEXTS = (
    ("危化品储罐区", "储罐区未设置可燃气体检测报警装置，防火堤破损"),
    ("粉尘车间", "粉尘涉爆车间未按规定设置泄爆装置"),
    ("有限空间", "污水池有限空间作业未落实审批和通风检测"),
    ("高层住宅工地", "深基坑支护无专项方案，监测缺失"),
    ("烟花爆竹仓库", "仓库超量储存，防雷设施失效"),
)
RISK_POINTS = (
    ("危化品仓库", "泄漏、火灾、爆炸"),
    ("配电室", "触电、电气火灾"),
    ("有限空间", "中毒窒息"),
    ("高处作业平台", "高处坠落"),
    ("机加工车间", "机械伤害"),
)


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def employees_for(rng: random.Random, industry_code: str) -> int:
    low, high, mode = SIZE_PROFILES.get(industry_code, (3, 60, 8))
    upper = high if rng.random() < 0.3 else min(high, mode * 2)
    return max(3, min(600, round(rng.triangular(low, upper, mode))))


def scale_for(employees: int) -> str:
    if employees >= 1000:
        return "large"
    if employees >= 300:
        return "medium"
    if employees >= 20:
        return "small"
    return "micro"


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


# --- generators -----------------------------------------------------------------------


@generator("registry")
def registry(ctx: ScaleContext) -> None:
    """Enterprises over the towns, weighted by the towns' sizes in the demo."""
    rng = ctx.rng("registry")
    Organisation = apps.get_model("responsibilities", "Organisation")
    Industry = apps.get_model("responsibilities", "Industry")
    towns = list(
        Organisation.objects.filter(kind__in=["town", "subdistrict"])
        .order_by("code")
        .values_list("pk", "name", "kind")
    )
    industries = {
        code: (pk, high)
        for code, pk, high in Industry.objects.values_list("code", "pk", "is_high_risk")
    }
    codes = [c for c in INDUSTRY_WEIGHTS if c in industries]
    weights = [INDUSTRY_WEIGHTS[c] for c in codes]
    if not towns or not codes:
        raise RuntimeError("reference data missing: run load_reference_data first")
    # the four 街道 are the busiest; towns differ
    town_weights = [3.0 if kind == "subdistrict" else rng.uniform(0.6, 1.6) for *_x, kind in towns]
    count = ctx.scale.enterprises
    first = ctx.reserve("enterprises.Enterprise", count)
    start_day = ctx.today - datetime.timedelta(days=365 * ctx.scale.years)
    town_picks = rng.choices(range(len(towns)), weights=town_weights, k=count)
    industry_picks = rng.choices(codes, weights=weights, k=count)
    rows, facts = [], []
    for index in range(count):
        pk = first + index
        town_pk, town_name, kind = towns[town_picks[index]]
        code = industry_picks[index]
        industry_pk, high_risk = industries[code]
        place = "" if kind == "subdistrict" and rng.random() < 0.7 else town_name
        name = "澧县" + place + rng.choice(NAME_TEMPLATES[code]).format(t=rng.choice(TRADE_NAMES))
        employees = employees_for(rng, code)
        legal = person(rng)
        roll = rng.random()
        status = "closed" if roll < 0.01 else "suspended" if roll < 0.04 else "operating"
        if kind == "subdistrict":
            address = f"湖南省常德市澧县{town_name}{rng.choice(STREETS)}{rng.randint(1, 399)}号"
        else:
            address = f"湖南省常德市澧县{town_name}{rng.choice(VILLAGES)}村{rng.randint(1, 16)}组"
        created = aware(start_day + datetime.timedelta(days=int(index * 365 * 3 / count)))
        principal = legal if rng.random() < 0.7 else person(rng)
        rows.append(
            (pk, name, scale_uscc(pk), town_pk, industry_pk, address, employees,
             scale_for(employees), high_risk, status, legal, principal, mobile(rng),
             created, created)
        )  # fmt: skip
        facts.append((pk, town_pk, industry_pk, code, high_risk, employees, principal, name))
    for chunk in chunks(rows):
        ctx.copy(
            "enterprises.Enterprise",
            ["id", "name", "uscc", "town", "industry", "address", "employee_count", "scale",
             "is_high_risk", "status", "legal_representative", "principal_name",
             "principal_phone", "created_at", "updated_at"],
            chunk,
        )  # fmt: skip
    ctx.data["enterprises"] = facts
    ctx.data["towns"] = [pk for pk, *_x in towns]


@generator("users")
def users(ctx: ScaleContext) -> None:
    """Officials of every role and one account for about a third of the enterprises."""
    rng = ctx.rng("users")
    Organisation = apps.get_model("responsibilities", "Organisation")
    offices = list(Organisation.objects.filter(kind="office").order_by("code").values_list("pk"))
    departments = list(
        Organisation.objects.filter(kind="department").order_by("code").values_list("pk", flat=True)
    )
    per_place = min(20, max(2, round(2 * ctx.factor**0.5)))
    wanted: list[tuple[str, str, int | None, int | None]] = []  # username, role, org, ent
    office = offices[0][0] if offices else None
    for i in range(per_place * 2):
        wanted.append((f"scale_county_{i}", "county_office", office, None))
    for i in range(per_place + 3):
        wanted.append((f"scale_leader_{i}", "leader", None, None))
    for dept in departments:
        for i in range(per_place):
            wanted.append((f"scale_dept_{dept}_{i}", "department", dept, None))
    for town in ctx.data["towns"]:
        for i in range(per_place + 1):
            wanted.append((f"scale_town_{town}_{i}", "town", town, None))
    for pk, *_rest in ctx.data["enterprises"]:
        if rng.random() < 0.35:
            wanted.append((f"scale_ent_{pk}", "enterprise", None, pk))
    for i in range(max(5, round(20 * ctx.factor**0.5))):
        wanted.append((f"scale_expert_{i}", "expert", None, None))
    first = ctx.reserve("accounts.User", len(wanted))
    joined = aware(ctx.today - datetime.timedelta(days=365 * 3))
    rows: list[tuple] = []
    by_role: dict[str, list[int]] = {}
    by_town: dict[int, list[int]] = {}
    by_dept: dict[int, list[int]] = {}
    by_enterprise: dict[int, int] = {}
    for offset, (username, role, org, ent) in enumerate(wanted):
        pk = first + offset
        rows.append(
            (pk, "!scale-data-no-login", None, False, username, "", "", "", False, True,
             joined, role, person(rng), mobile(rng), org, ent, "daily")
        )  # fmt: skip
        by_role.setdefault(role, []).append(pk)
        if role == "town":
            by_town.setdefault(int(org or 0), []).append(pk)
        elif role == "department":
            by_dept.setdefault(int(org or 0), []).append(pk)
        elif role == "enterprise":
            by_enterprise[int(ent or 0)] = pk
    ctx.copy(
        "accounts.User",
        ["id", "password", "last_login", "is_superuser", "username", "first_name", "last_name",
         "email", "is_staff", "is_active", "date_joined", "role", "display_name", "phone",
         "organisation", "enterprise", "email_frequency"],
        rows,
    )  # fmt: skip
    ctx.data.update(
        users=by_role,
        town_users=by_town,
        dept_users=by_dept,
        enterprise_users=by_enterprise,
        departments=departments,
        office=office,
    )
    # experts see a handful of enterprises each (explicit grants)
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.filter(
        codename="view_enterprise", content_type__app_label="enterprises"
    ).first()
    if view is not None:
        enterprises = [e[0] for e in ctx.data["enterprises"] if e[4]] or [
            e[0] for e in ctx.data["enterprises"]
        ]
        grants = []
        for expert in by_role.get("expert", []):
            for ent in rng.sample(enterprises, k=min(10, len(enterprises))):
                grants.append((view.pk, expert, ent))
        first = ctx.reserve("enterprises.EnterpriseUserObjectPermission", len(grants))
        ctx.copy(
            "enterprises.EnterpriseUserObjectPermission",
            ["id", "permission", "user", "content_object"],
            [(first + i, *g) for i, g in enumerate(grants)],
        )


@generator("duties")
def duties(ctx: ScaleContext) -> None:
    """Statutory-duty records: most enterprises keep them, some late, some missing."""
    rng = ctx.rng("duties")
    today = ctx.today
    days = datetime.timedelta
    InsuranceMandate = apps.get_model("enterprises", "InsuranceMandate")
    mandated = set(InsuranceMandate.objects.values_list("industry_id", flat=True))
    tables: dict[str, tuple[list[str], list[tuple]]] = {
        "SafetyStaffing": (["enterprise", "created_at", "has_safety_body", "body_name",
                            "full_time_staff", "part_time_staff", "safety_director"], []),
        "DutyDocument": (["enterprise", "created_at", "kind", "title", "issued_on", "file"], []),
        "SafetyCost": (["enterprise", "created_at", "year", "base_amount", "rate_percent",
                        "extracted", "used"], []),
        "LiabilityInsurance": (["enterprise", "created_at", "policy_number", "insurer",
                                "starts_on", "ends_on", "cover_per_person"], []),
        "SpecialOperationCertificate": (["enterprise", "created_at", "worker_name", "category",
                                         "number", "expires_on"], []),
        "EmergencyPlan": (["enterprise", "created_at", "kind", "title", "filed_on",
                           "reviewed_on"], []),
        "EmergencyDrill": (["enterprise", "created_at", "plan_kind", "held_on", "summary"], []),
        "TrainingRecord": (["enterprise", "created_at", "trainee_role", "trainee_name",
                            "trained_on", "hours", "content", "passed"], []),
    }  # fmt: skip
    document_kinds = (
        ("responsibility_system", "全员安全生产责任制"),
        ("meetings_checks", "例会例检制度"),
        ("training_rules", "安全教育培训制度"),
        ("responsibility_assessment", "责任制考核制度"),
        ("commitment", "安全生产承诺制度"),
    )
    categories = ("electrical", "welding", "height", "refrigeration", "hazchem")

    def add(model: str, *values) -> None:
        tables[model][1].append(values)

    for pk, _town, industry, _code, high, employees, principal, name in ctx.data["enterprises"]:
        roll = rng.random()
        profile = (
            "missing" if roll < 0.1 else "expired" if roll < 0.3 else "soon" if roll < 0.4 else "ok"
        )
        created = aware(today - days(rng.randint(30, 900)))
        big = employees > 100
        add("SafetyStaffing", pk, created, big, "安全环保部" if big else "",
            (2 if big else 1) if profile != "missing" else 0, 1, "")  # fmt: skip
        if profile == "missing":
            continue
        shift = {"ok": 0, "soon": -300, "expired": -420}[profile]
        for kind, label in document_kinds[: 5 if profile == "ok" else 3]:
            add("DutyDocument", pk, created, kind, f"{name}{label}",
                datetime.date(today.year - rng.randint(0, 2), 1, 10), SHARED_FILE)  # fmt: skip
        for year in range(today.year - 2, today.year + (0 if profile == "expired" else 1)):
            base = Decimal(rng.randint(200, 20_000))
            extracted = (base * Decimal("0.015")).quantize(Decimal("0.01"))
            used = (extracted * Decimal(rng.randint(50, 100)) / 100).quantize(Decimal("0.01"))
            add("SafetyCost", pk, created, year, base, Decimal("1.50"), extracted, used)
        if industry in mandated or high:
            ends = today + days(rng.randint(20, 360) + shift)
            add("LiabilityInsurance", pk, created, f"PAZX{pk:09d}",
                "中国人民财产保险股份有限公司澧县支公司", ends - days(364), ends,
                Decimal("40.00"))  # fmt: skip
        for n in range(rng.randint(0, 4 if high else 2)):
            expires = add_months(today, rng.randint(-6, 60)) if profile != "ok" else (
                add_months(today, rng.randint(2, 60)))  # fmt: skip
            add("SpecialOperationCertificate", pk, created, person(rng),
                categories[n % len(categories)], f"T430723{pk:08d}{n:02d}", expires)  # fmt: skip
        filed = today + days(rng.randint(-900, -30) + shift)
        add("EmergencyPlan", pk, created, "comprehensive", "生产安全事故综合应急预案", filed, None)
        add("EmergencyPlan", pk, created, "on_site", "火灾事故现场处置方案", filed, None)
        add("EmergencyDrill", pk, created, "comprehensive",
            today + days(rng.randint(-300, -10) + shift), "综合应急预案桌面推演")  # fmt: skip
        add("EmergencyDrill", pk, created, "on_site",
            today + days(rng.randint(-170, -5) + shift), "灭火疏散演练")  # fmt: skip
        trained = today + days(rng.randint(-330, -20) + shift)
        add("TrainingRecord", pk, created, "principal", principal, trained, 32,
            "安全生产知识和管理能力年度培训", True)  # fmt: skip
        add("TrainingRecord", pk, created, "safety_manager", person(rng), trained, 32,
            "安全生产知识和管理能力年度培训", True)  # fmt: skip
    for model, (columns, rows) in tables.items():
        label = f"enterprises.{model}"
        first = ctx.reserve(label, len(rows))
        for offset, chunk in enumerate(chunks(rows)):
            start = first + offset * CHUNK
            ctx.copy(label, ["id", *columns], [(start + i, *r) for i, r in enumerate(chunk)])


@generator("compliance")
def compliance(ctx: ScaleContext) -> None:
    """The stored compliance results of every enterprise (enterprises.ComplianceStatus),
    judged on `ctx.today` by the rules' own code: the command behind the nightly recheck,
    in batches (it upserts, so re-running over existing rows is fine)."""
    label = "enterprises.ComplianceStatus"
    model = apps.get_model(label)
    before = model.objects.count()
    call_command("recheck_compliance", all=True, today=ctx.today.isoformat(), stdout=io.StringIO())
    ctx.written[label] = ctx.written.get(label, 0) + model.objects.count() - before


@generator("assessments")
def assessments(ctx: ScaleContext) -> None:
    """Self-assessments of the last three years with their answers (copied items)."""
    rng = ctx.rng("assessments")
    Template = apps.get_model("enterprises", "AssessmentTemplate")
    Period = apps.get_model("enterprises", "AssessmentPeriod")
    template = Template.objects.filter(is_active=True).order_by("-version").first()
    if template is None:
        fixture = Path(settings.BASE_DIR) / "fixtures" / "self_assessment_template_v1.json"
        if fixture.exists():
            call_command("loaddata", str(fixture), verbosity=0)
        template = Template.objects.filter(is_active=True).order_by("-version").first()
    if template is None:
        return
    items = list(
        template.items.order_by("sort_order", "code").values_list(
            "code", "area", "requirement", "legal_basis", "points", "evidence_hint", "sort_order"
        )
    )
    bands = sorted(
        apps.get_model("enterprises", "GradeBand").objects.values_list("min_score", "grade"),
        reverse=True,
    ) or [(Decimal(90), "first"), (Decimal(75), "second"), (Decimal(60), "third")]
    reviewers = ctx.data["users"].get("county_office", []) + ctx.data["users"].get("town", [])
    periods = []
    for year in range(ctx.today.year - 2, ctx.today.year + 1):
        period = Period.objects.filter(year=year).first()
        if period is None:
            period = Period.objects.create(year=year, due_on=datetime.date(year, 11, 30))
        periods.append(period)
    assessment_rows, answer_rows = [], []
    first = ctx.reserve("enterprises.SelfAssessment", len(ctx.data["enterprises"]) * 3)
    next_pk = first
    for pk, *_rest in ctx.data["enterprises"]:
        for period in periods:
            current = period.year == ctx.today.year
            if rng.random() > (0.55 if current else 0.8):
                continue
            if current:
                status = rng.choices(
                    ["draft", "submitted", "returned", "accepted"], weights=[3, 3, 1, 3]
                )[0]
            else:
                status = "accepted"
            ratio = rng.uniform(0.55, 1.0)
            earned = possible = Decimal(0)
            answers = []
            for code, area, requirement, basis, points, hint, order in items:
                filled = status != "draft" or rng.random() < 0.4
                score = (Decimal(points) * Decimal(str(round(ratio, 2))) * 2).quantize(
                    Decimal("1")
                ) / 2
                if filled:
                    earned += score
                    possible += points
                answers.append(
                    (code, area, requirement, basis, points, hint, order,
                     score if filled else None, False, "已落实，见附件" if filled else "", "")
                )  # fmt: skip
            total = grade = None
            submitted = reviewed = reviewer = None
            note = ""
            started = aware(min(ctx.today, datetime.date(period.year, 9, 1)))
            if status != "draft":
                total = (earned / possible * 100).quantize(Decimal("0.1")) if possible else 0
                grade = next((g for m, g in bands if total >= m), "fail")
                submitted = started + datetime.timedelta(days=rng.randint(1, 20))
                if status in ("returned", "accepted"):
                    reviewed = submitted + datetime.timedelta(days=rng.randint(1, 10))
                    reviewer = rng.choice(reviewers) if reviewers else None
                    note = "经核查，自评情况属实。" if status == "accepted" else "佐证材料不全。"
            assessment_rows.append(
                (next_pk, pk, period.pk, template.pk, status, total, grade or "", submitted,
                 reviewer, reviewed, note, started)
            )  # fmt: skip
            for answer in answers:
                answer_rows.append((next_pk, *answer))
            next_pk += 1
    ctx.copy(
        "enterprises.SelfAssessment",
        ["id", "enterprise", "period", "template", "status", "total", "grade", "submitted_at",
         "reviewed_by", "reviewed_at", "review_note", "created_at"],
        assessment_rows,
    )  # fmt: skip
    first_answer = ctx.reserve("enterprises.AssessmentAnswer", len(answer_rows))
    for offset, chunk in enumerate(chunks(answer_rows)):
        base = first_answer + offset * CHUNK
        ctx.copy(
            "enterprises.AssessmentAnswer",
            ["id", "assessment", "code", "area", "requirement", "legal_basis", "points",
             "evidence_hint", "sort_order", "score", "not_applicable", "note", "adjust_reason"],
            [(base + i, *r) for i, r in enumerate(chunk)],
        )  # fmt: skip


HAZARD_COLUMNS = [
    "id", "enterprise", "town", "industry", "source", "description", "location",
    "hazard_class", "status", "found_on", "deadline", "original_deadline",
    "responsible_person", "responsible_phone", "rectification_note", "reported_by",
    "submitted_by", "closed_on", "void_reason", "escalation_level", "created_at", "updated_at",
]  # fmt: skip
SOURCES = ("self_check", "mutual_check", "expert_check", "inspection", "public_report",
           "media", "referral", "assigned", "lower_report")  # fmt: skip
SOURCE_WEIGHTS = (30, 8, 8, 40, 5, 1, 3, 2, 3)


@generator("hazards")
def hazards(ctx: ScaleContext) -> None:
    """The ledger over ten years with each hazard's history: listings and slips of major
    hazards, progress entries, verifications (a few failed first), extensions,
    attachments' metadata, accountability and the audit events of each step."""
    rng = ctx.rng("hazards")
    today = ctx.today
    day = datetime.timedelta(days=1)
    enterprises = ctx.data["enterprises"]
    weights = [3 if e[4] else 1 for e in enterprises]
    town_users = ctx.data["town_users"]
    enterprise_users = ctx.data["enterprise_users"]
    county_users = ctx.data["users"].get("county_office", [])
    departments = ctx.data["departments"]
    office = ctx.data["office"]
    hazard_type = content_type_id("hazards.Hazard")
    total = ctx.scale.hazards
    span_days = 365 * ctx.scale.years
    reminder = 3  # days before the deadline (HAZARD_REMINDER_DAYS_BEFORE's default)
    picks = rng.choices(range(len(enterprises)), weights=weights, k=total)
    # found dates: uniform over the years, a little more in recent ones, sorted
    found_days = sorted(
        (today - day * int(span_days * (1 - rng.random() ** 0.9)) for _ in range(total)),
    )
    first = ctx.reserve("hazards.Hazard", total)
    major_number = 0
    for chunk_start in range(0, total, CHUNK):
        out: dict[str, list] = {k: [] for k in (
            "hazard", "listing", "slip", "progress", "verification", "extension",
            "attachment", "accountability", "audit")}  # fmt: skip
        for index in range(chunk_start, min(total, chunk_start + CHUNK)):
            pk = first + index
            ent, town, industry, _code, _high, _emp, principal, name = enterprises[picks[index]]
            found = found_days[index]
            age = (today - found).days
            major = rng.random() < 0.034
            span = rng.randint(15, 90) if major else rng.randint(3, 30)
            deadline = found + span * day
            original = deadline
            # how far along: old hazards are almost all closed
            open_share = 0.45 if age < 60 else 0.12 if age < 365 else 0.02
            roll = rng.random()
            if roll < 0.01:
                status = "voided"
            elif roll < 0.01 + open_share:
                if major:
                    status = rng.choices(["determined", "rectifying", "submitted"], [2, 6, 2])[0]
                else:
                    status = rng.choices(["reported", "rectifying", "submitted"], [3, 6, 2])[0]
            else:
                status = "closed"
            town_actor = rng.choice(town_users.get(town) or county_users or [None])
            company = enterprise_users.get(ent)
            source = rng.choices(SOURCES, SOURCE_WEIGHTS)[0]
            reporter = company if source == "self_check" and company else town_actor
            location, description = rng.choice(MAJOR_TEXTS if major else GENERAL_TEXTS)
            doer = company or town_actor
            events = [(reporter, "hazard.reported", aware(found, 9))]
            # extension: about one in twelve, approved before the original deadline
            if status not in ("reported", "voided") and rng.random() < 0.08:
                asked = max(found, deadline - rng.randint(1, 3) * day)
                new_deadline = deadline + rng.randint(7, 30) * day
                approved = rng.random() < 0.7 or status == "closed"
                pending = status in ("rectifying", "submitted") and rng.random() < 0.15
                decision = "pending" if pending else "approved" if approved else "refused"
                decider = rng.choice(county_users) if county_users else None
                out["extension"].append(
                    (pk, deadline, new_deadline, "原材料到货延迟，需延长整改期限", decision,
                     doer or reporter, aware(asked, 10),
                     None if pending else decider, None if pending else aware(asked, 16),
                     "" if pending else "同意延期" if approved else "理由不充分")
                )  # fmt: skip
                events.append((doer, "hazard.extension_requested", aware(asked, 10)))
                if decision == "approved":
                    deadline = new_deadline
                    events.append((decider, "hazard.extension_approved", aware(asked, 16)))
                elif decision == "refused":
                    events.append((decider, "hazard.extension_refused", aware(asked, 16)))
            closed_on = None
            submitted_by = None
            note = ""
            if major:
                major_number += 1
                determined = min(today, found + day)
                out["listing"].append(
                    (pk, f"澧安隐〔规模〕{found.year}-{major_number:06d}", "county", determined,
                     f"县安委会{found.year}年重大事故隐患认定会议", "", major_number % 5 == 0,
                     rng.choice(county_users) if county_users else None,
                     "现场核查合格，同意销号" if status == "closed" else "", aware(determined, 15))
                )  # fmt: skip
                events.append((None, "hazard.determined_major", aware(determined, 15)))
            assigned = status not in ("reported", "determined", "voided")
            if major and assigned:
                issued = min(today, found + 2 * day)
                out["slip"].append(
                    (pk, f"澧安交〔规模〕{found.year}-{major_number:06d}", name, office,
                     rng.choice(departments), deadline, principal,
                     "制定治理方案，落实专项资金，按期完成整改", Decimal(rng.randint(2, 80)),
                     "企业自筹", "隐患区域停止作业，落实临时管控措施", issued,
                     rng.choice(county_users) if county_users else None)
                )  # fmt: skip
                events.append((None, "hazard.assigned", aware(issued, 16)))
            end = today
            if status == "closed":
                closed_on = min(today, found + rng.randint(1, span + 10) * day)
                end = closed_on
            if status in ("rectifying", "submitted", "closed"):
                steps = rng.randint(1, 3) if major else rng.randint(0, 2)
                start = found + (2 * day if major else day)
                for step in range(steps):
                    entry = min(end, start + (step * 7 + 1) * day)
                    out["progress"].append(
                        (pk, entry, min(90, 30 * (step + 1)), "按治理方案推进", doer,
                         aware(entry, 11))
                    )  # fmt: skip
                    events.append((doer, "hazard.progress_recorded", aware(entry, 11)))
            if status in ("submitted", "closed"):
                submitted_by = doer
                note = "已按要求整改"
                submitted_on = closed_on or min(today, deadline)
                submitted_on = max(found, submitted_on)
                verifier = rng.choice(county_users if major else [town_actor] + county_users[:1])
                if verifier == submitted_by and county_users:
                    verifier = county_users[0]
                if (
                    status == "closed"
                    and closed_on is not None
                    and rng.random() < 0.1
                    and (closed_on - found).days >= 2
                ):
                    # a first submission refused, then accepted on the closing day
                    failed_on = found + day
                    out["verification"].append(
                        (pk, False, "整改不到位，继续整改", failed_on, verifier, submitted_by)
                    )
                    events.append((submitted_by, "hazard.rectification_submitted",
                                   aware(failed_on, 8)))  # fmt: skip
                    events.append((verifier, "hazard.verification_failed", aware(failed_on, 15)))
                events.append((submitted_by, "hazard.rectification_submitted",
                               aware(submitted_on, 8)))  # fmt: skip
                if status == "closed":
                    out["verification"].append(
                        (pk, True, "现场核查合格", closed_on, verifier, submitted_by)
                    )
                    events.append((verifier, "hazard.verified", aware(closed_on, 15)))
                if major or rng.random() < 0.3:
                    out["attachment"].append(
                        (pk, None, "evidence", SHARED_FILE, "整改完成现场照片.pdf",
                         "application/pdf", 1024, submitted_by or reporter, aware(submitted_on, 8))
                    )  # fmt: skip
            if rng.random() < 0.3 and reporter is not None:
                out["attachment"].append(
                    (pk, None, "photo", SHARED_FILE, "隐患现场照片.pdf", "application/pdf", 1024,
                     reporter, aware(found, 9))
                )  # fmt: skip
            if major and status != "voided" and rng.random() < 0.1 and county_users:
                out["accountability"].append(
                    (pk, "interview", name, min(today, found + 5 * day), "逾期未整改，约谈主要负责人",
                     county_users[0])
                )  # fmt: skip
            void_reason = ""
            if status == "voided":
                void_reason = "误录"
                events.append((county_users[0] if county_users else None, "hazard.voided",
                               aware(min(today, found + day), 17)))  # fmt: skip
            # the sweep has fallen one level behind on overdue hazards (as if it missed a day)
            level = 0
            if status in ("reported", "determined", "rectifying"):
                overdue = (today - deadline).days
                due = 4 if overdue >= 15 else 3 if overdue >= 7 else 2 if overdue >= 1 else (
                    1 if -overdue <= reminder else 0)  # fmt: skip
                level = max(0, due - 1)
            created = aware(found, 9)
            out["hazard"].append(
                (pk, ent, town, industry, source, description, location,
                 "major" if major else "general", status, found, deadline, original, principal,
                 "", note, reporter, submitted_by, closed_on, void_reason, level, created,
                 max(when for _a, _v, when in events))
            )  # fmt: skip
            code = f"YH{found:%Y}-{pk:06d}"
            for actor, verb, when in events:
                out["audit"].append((actor, verb, hazard_type, pk, code, {}, when))
        ctx.copy("hazards.Hazard", HAZARD_COLUMNS, out["hazard"])
        _copy_numbered(ctx, "hazards.MajorHazardListing",
                       ["hazard", "list_number", "level", "determined_on", "determination_basis",
                        "criterion", "is_supervised", "determined_by", "closing_opinion",
                        "created_at"], out["listing"])  # fmt: skip
        _copy_numbered(ctx, "hazards.AssignmentSlip",
                       ["hazard", "slip_number", "responsible_unit", "assigning_unit",
                        "supervising_unit", "deadline", "responsible_person", "measures",
                        "funds_amount", "funds_source", "contingency_measures", "issued_on",
                        "issued_by"], out["slip"])  # fmt: skip
        _copy_numbered(ctx, "hazards.ProgressEntry",
                       ["hazard", "entry_date", "percent", "note", "recorded_by", "created_at"],
                       out["progress"])  # fmt: skip
        _copy_numbered(ctx, "hazards.Verification",
                       ["hazard", "passed", "opinion", "verified_on", "verified_by",
                        "submitted_by"], out["verification"])  # fmt: skip
        _copy_numbered(ctx, "hazards.DeadlineExtension",
                       ["hazard", "old_deadline", "requested_deadline", "reason", "status",
                        "requested_by", "requested_at", "decided_by", "decided_at",
                        "decision_note"], out["extension"])  # fmt: skip
        _copy_numbered(ctx, "hazards.HazardAttachment",
                       ["hazard", "progress_entry", "kind", "file", "original_name",
                        "content_type", "size", "uploaded_by", "uploaded_at"],
                       out["attachment"])  # fmt: skip
        _copy_numbered(ctx, "hazards.AccountabilityRecord",
                       ["hazard", "kind", "unit", "decided_on", "note", "recorded_by"],
                       out["accountability"])  # fmt: skip
        _copy_numbered(ctx, "audit.AuditEvent",
                       ["actor", "verb", "target_type", "target_id", "target_repr", "payload",
                        "created_at"], out["audit"])  # fmt: skip


def _copy_numbered(ctx: ScaleContext, label: str, columns: list[str], rows: list) -> None:
    if not rows:
        return
    first = ctx.reserve(label, len(rows))
    ctx.copy(label, ["id", *columns], [(first + i, *r) for i, r in enumerate(rows)])


@generator("risk_points")
def risk_points(ctx: ScaleContext) -> None:
    """One or two LEC-scored risk points per enterprise (two for the high-risk ones)."""
    rng = ctx.rng("risk_points")
    likelihood = ("10", "6", "3", "1", "0.5")
    exposure = ("10", "6", "3", "2")
    consequence = ("40", "15", "7", "3", "1")
    frequencies = ("shift", "daily", "weekly", "monthly", "quarterly")
    now = aware(ctx.today, 8)
    rows = []
    for ent, *_x, high, _emp, principal, _name in ctx.data["enterprises"]:
        for name, factors in rng.sample(RISK_POINTS, k=2 if high else 1):
            lv, ev, cv = (
                Decimal(rng.choice(likelihood)),
                Decimal(rng.choice(exposure)),
                Decimal(rng.choice(consequence)),
            )
            rows.append(
                (ent, name, factors, lv, ev, cv, (lv * ev * cv).quantize(Decimal("0.01")),
                 "落实岗位责任制，定期检查，配备防护设施", principal, rng.choice(frequencies), now)
            )  # fmt: skip
    _copy_numbered(
        ctx,
        "hazards.RiskPoint",
        ["enterprise", "name", "hazard_factors", "likelihood", "exposure", "consequence",
         "score", "control_measures", "responsible_person", "check_frequency", "updated_at"],
        rows,
    )  # fmt: skip


@generator("notifications")
def notifications(ctx: ScaleContext) -> None:
    """A history of notifications for every user: older ones read, recent ones not."""
    rng = ctx.rng("notifications")
    rows = []
    for role, pks in sorted(ctx.data["users"].items()):
        per_user = 40 if role in ("town", "county_office", "department") else 8
        for user in pks:
            for n in range(per_user):
                when = aware(ctx.today - datetime.timedelta(days=rng.randint(0, 365)), 6)
                read = when + datetime.timedelta(hours=3) if rng.random() < 0.8 else None
                rows.append(
                    (user, "隐患整改期限提醒" if n % 2 else "本周安全生产提醒",
                     "请及时处理。", "/hazards/", "", when, read, when, False)
                )  # fmt: skip
    _copy_numbered(
        ctx,
        "notifications.Notification",
        ["recipient", "title", "body", "url", "dedupe_key", "created_at", "read_at",
         "emailed_at", "email_skipped"],
        rows,
    )  # fmt: skip


@generator("audit_registry")
def audit_registry(ctx: ScaleContext) -> None:
    """The registration of each enterprise and the creation of each account."""
    enterprise_type = content_type_id("enterprises.Enterprise")
    user_type = content_type_id("accounts.User")
    rows: list[tuple] = [
        (None, "enterprise.registered", enterprise_type, pk, name, {}, aware(ctx.today, 7))
        for pk, *_x, name in ctx.data["enterprises"]
    ]
    for pks in ctx.data["users"].values():
        rows.extend(
            (None, "user.created", user_type, pk, str(pk), {}, aware(ctx.today, 7)) for pk in pks
        )
    for chunk in chunks(rows):
        _copy_numbered(
            ctx,
            "audit.AuditEvent",
            ["actor", "verb", "target_type", "target_id", "target_repr", "payload", "created_at"],
            chunk,
        )
