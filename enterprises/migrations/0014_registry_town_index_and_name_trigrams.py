"""The enterprises' town and industry by id (index-only, for counts that join them), and a
trigram index on the name for the lists' `?q=` search (`name ILIKE '%…%'`), docs/decisions/0012.

The trigram index is PostgreSQL's (pg_trgm, GIN); the SQLite demo (`make run`) migrates
without it: both operations do nothing on another database."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

# Django's icontains is `UPPER(col) LIKE UPPER('%…%')`: the indexes are on UPPER(col).
# The credit code is searched with the name (`name OR uscc`): both indexed, or the OR scans.
TRIGRAM_INDEXES = {"enterprise_name_trgm_idx": "name", "enterprise_uscc_trgm_idx": "uscc"}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON enterprises_enterprise "
            f"USING gin ((UPPER({column})) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0013_registry_indexes_in_list_order"),
        ("responsibilities", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="enterprise",
            index=models.Index(
                fields=["id"], include=("town", "industry"), name="enterprise_id_town_ind_idx"
            ),
        ),
        # a no-op on databases other than PostgreSQL (Django's CreateExtension checks)
        TrigramExtension(),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
