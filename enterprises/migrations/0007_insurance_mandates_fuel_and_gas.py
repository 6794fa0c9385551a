"""Add 加油站 and 城镇燃气 to the industries where 安责险 is mandatory.

Both are 危险化学品经营 units (petrol, diesel and LPG are listed hazardous chemicals) and the
2025 《安全生产责任保险实施办法》 makes insurance mandatory for 危险化学品 units, not only for
producers (domain-notes §7.4: 矿山、危险化学品、烟花爆竹、交通运输、建筑施工、民用爆炸物品、金属冶炼、
渔业生产). Migration 0003 missed them. 民用爆炸物品 and 渔业生产 have no industry in the county's
list (fixtures/industries.json); the county office adds them in the admin if they appear.
Industries not present yet are skipped (enterprises.reference.ensure_insurance_mandates adds
them after the reference data is loaded)."""

from django.db import migrations

ADDED_CODES = ("jyz", "czrq")
BASIS = "安全生产法第51条；安全生产责任保险实施办法（2025）：危险化学品经营单位"


def seed(apps, schema_editor):
    Industry = apps.get_model("responsibilities", "Industry")
    InsuranceMandate = apps.get_model("enterprises", "InsuranceMandate")
    for industry in Industry.objects.filter(code__in=ADDED_CODES):
        InsuranceMandate.objects.get_or_create(industry=industry, defaults={"legal_basis": BASIS})


def unseed(apps, schema_editor):
    InsuranceMandate = apps.get_model("enterprises", "InsuranceMandate")
    InsuranceMandate.objects.filter(industry__code__in=ADDED_CODES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0006_seed_grade_bands"),
        ("responsibilities", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
