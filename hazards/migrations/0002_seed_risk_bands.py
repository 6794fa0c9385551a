"""Seed the four LEC colour bands (domain-notes §0.7); editable later in the admin."""

from decimal import Decimal

from django.db import migrations

BANDS = [
    # code, name, colour, min_score, min_exclusive
    ("red", "重大风险", "红", Decimal("320"), True),
    ("orange", "较大风险", "橙", Decimal("160"), False),
    ("yellow", "一般风险", "黄", Decimal("70"), False),
    ("blue", "低风险", "蓝", Decimal("0"), False),
]


def seed(apps, schema_editor):
    RiskBand = apps.get_model("hazards", "RiskBand")
    for code, name, colour, min_score, exclusive in BANDS:
        RiskBand.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "colour": colour,
                "min_score": min_score,
                "min_exclusive": exclusive,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("hazards", "0001_ledger_major_hazards_risk_register")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
