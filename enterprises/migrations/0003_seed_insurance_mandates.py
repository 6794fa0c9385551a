"""Seed the industries where 安责险 is mandatory (《安全生产责任保险实施办法》 2025: 矿山、危险化学品、
烟花爆竹、交通运输、建筑施工、民用爆炸物品、金属冶炼、渔业生产), matched by the codes of
fixtures/industries.json. Industries not present yet are skipped; the county office
maintains the list in the admin afterwards."""

from django.db import migrations

MANDATORY_INDUSTRY_CODES = {
    "fmks": "非煤矿山",
    "yhlk": "矿山（盐卤开采）",
    "whp": "危险化学品",
    "yhbz": "烟花爆竹",
    "yjgm": "金属冶炼",
    "jzsg": "建筑施工",
    "dlys": "交通运输",
    "sslys": "交通运输",
}
BASIS = "安全生产法第51条；安全生产责任保险实施办法（2025）"


def seed(apps, schema_editor):
    Industry = apps.get_model("responsibilities", "Industry")
    InsuranceMandate = apps.get_model("enterprises", "InsuranceMandate")
    for industry in Industry.objects.filter(code__in=MANDATORY_INDUSTRY_CODES):
        InsuranceMandate.objects.get_or_create(industry=industry, defaults={"legal_basis": BASIS})


def unseed(apps, schema_editor):
    InsuranceMandate = apps.get_model("enterprises", "InsuranceMandate")
    InsuranceMandate.objects.filter(industry__code__in=MANDATORY_INDUSTRY_CODES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0002_duties_self_assessment_import_jobs"),
        ("responsibilities", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
