"""Seed the self-assessment grade bands of the county's scheme (domain-notes §5.2): 一级 from
90 points, 二级 from 75, 三级 from 60; below 60 is 不达标. The county office edits them in
the admin afterwards. The figures are copied here, not imported, so this migration keeps
its meaning whatever the code says later (enterprises.reference.GRADE_BANDS)."""

from decimal import Decimal

from django.db import migrations

BANDS = {"first": Decimal("90"), "second": Decimal("75"), "third": Decimal("60")}


def seed(apps, schema_editor):
    GradeBand = apps.get_model("enterprises", "GradeBand")
    for grade, min_score in BANDS.items():
        GradeBand.objects.get_or_create(grade=grade, defaults={"min_score": min_score})


def unseed(apps, schema_editor):
    apps.get_model("enterprises", "GradeBand").objects.filter(grade__in=BANDS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0005_grade_bands"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
