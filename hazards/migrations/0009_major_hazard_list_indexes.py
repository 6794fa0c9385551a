"""The major-hazard list in its order with its hazard, and the class index with the
scope's columns (docs/decisions/0014): a department's major hazards read no heap."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0014_registry_town_index_and_name_trigrams"),
        ("hazards", "0008_ledger_indexes_in_list_order"),
        ("responsibilities", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="hazard",
            name="hazard_class_found_id_idx",
        ),
        migrations.AddIndex(
            model_name="hazard",
            index=models.Index(
                fields=["hazard_class", "-found_on", "-id"],
                include=("enterprise", "status"),
                name="hazard_class_found_incl_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="majorhazardlisting",
            index=models.Index(
                fields=["-determined_on", "-id"],
                include=("hazard",),
                name="listing_determined_id_idx",
            ),
        ),
    ]
