"""Seed which of the county's industries must extract 安全生产费用 and the rate tables that
are known (domain-notes §7.3; 《企业安全生产费用提取和使用管理办法》 财资〔2022〕136号).

- Obligations: the industries the 2022 办法 lists that the county has (fixtures/
  industries.json): 矿山 (非煤矿山, 盐卤开采), 危险品生产与储存 (危险化学品; 加油站 and 城镇燃气
  as storers, unconfirmed), 烟花爆竹, 冶金, 建设工程施工, 交通运输 (道路, 水路), 机械制造
  (unconfirmed). Hotels, shops and the other industries are not asked for a record.
- Rates: 建设工程施工 by project type and 烟花爆竹生产 by revenue band, in force from the
  办法's issue (2022-11-21). The other industries' 2022 rates were not confirmed, so they
  have no table (the amount is not checked); the county office adds lines in the admin.

The figures are copied here, not imported, so this migration keeps its meaning whatever
the code says later (enterprises.reference keeps the same lists for a fresh database).
Industries not present yet are skipped."""

from decimal import Decimal

from django.db import migrations

BASIS_2022 = "财资〔2022〕136号"
OBLIGATIONS = {
    # code: (basis, confirmed)
    "fmks": ("财资〔2022〕136号：非煤矿山开采", True),
    "yhlk": ("财资〔2022〕136号：非煤矿山开采（盐卤）", False),
    "whp": ("财资〔2022〕136号：危险品生产与储存", True),
    "jyz": ("财资〔2022〕136号：危险品生产与储存（加油站储存，待核实）", False),
    "czrq": ("财资〔2022〕136号：危险品生产与储存（燃气储存，待核实）", False),
    "yhbz": ("财资〔2022〕136号：烟花爆竹生产", True),
    "yjgm": ("财资〔2022〕136号：冶金", True),
    "jzsg": ("财资〔2022〕136号：建设工程施工", True),
    "dlys": ("财资〔2022〕136号：交通运输", True),
    "sslys": ("财资〔2022〕136号：交通运输", True),
    "jxzz": ("财资〔2022〕136号：机械制造（待核实）", False),
}
VALID_FROM = "2022-11-21"
CONSTRUCTION = {  # project type: rate % on 建筑安装工程造价
    "mining": Decimal("3.5"),
    "building": Decimal("3"),
    "hydro_power": Decimal("2.5"),
    "installation": Decimal("2"),
    "municipal": Decimal("1.5"),
}
FIREWORKS = (  # (from, to 万元, rate %) on last year's revenue, 超额累退
    (Decimal("0"), Decimal("1000"), Decimal("4")),
    (Decimal("1000"), Decimal("2000"), Decimal("3")),
    (Decimal("2000"), None, Decimal("2.5")),
)


def seed(apps, schema_editor):
    Industry = apps.get_model("responsibilities", "Industry")
    Obligation = apps.get_model("enterprises", "SafetyCostObligation")
    Rate = apps.get_model("enterprises", "SafetyCostRate")
    industries = {i.code: i for i in Industry.objects.filter(code__in=OBLIGATIONS)}
    for code, (basis, confirmed) in OBLIGATIONS.items():
        if code in industries:
            Obligation.objects.get_or_create(
                industry=industries[code],
                defaults={"legal_basis": basis, "confirmed": confirmed},
            )
    if "jzsg" in industries and not Rate.objects.filter(industry=industries["jzsg"]).exists():
        for project_type, rate in CONSTRUCTION.items():
            Rate.objects.create(
                industry=industries["jzsg"],
                project_type=project_type,
                rate_percent=rate,
                valid_from=VALID_FROM,
                legal_basis=f"{BASIS_2022}（建设工程施工）",
                confirmed=True,
            )
    if "yhbz" in industries and not Rate.objects.filter(industry=industries["yhbz"]).exists():
        for band_from, band_to, rate in FIREWORKS:
            Rate.objects.create(
                industry=industries["yhbz"],
                band_from=band_from,
                band_to=band_to,
                rate_percent=rate,
                valid_from=VALID_FROM,
                legal_basis=f"{BASIS_2022}（烟花爆竹生产，上年度营业收入超额累退）",
                confirmed=True,
            )


def unseed(apps, schema_editor):
    apps.get_model("enterprises", "SafetyCostRate").objects.filter(
        industry__code__in=("jzsg", "yhbz"), legal_basis__startswith=BASIS_2022
    ).delete()
    apps.get_model("enterprises", "SafetyCostObligation").objects.filter(
        industry__code__in=OBLIGATIONS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0011_safety_cost_obligations_and_rates"),
        ("responsibilities", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
