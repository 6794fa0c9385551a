# The NOT NULL change is its own migration (own transaction): 0004 fills the column first.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('hazards', '0004_listing_created_at'),
    ]

    operations = [
        migrations.AlterField(
            model_name='majorhazardlisting',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='列入清单时间'),
        ),
    ]
