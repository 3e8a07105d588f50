"""The figures point at the service point in its new app, ``places``.

State only: the model kept its table (``rosters_servicepoint``), so the foreign key columns and
their constraints are already right; see places 0001.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('places', '0001_initial'),
        ('reports', '0006_rollup_index_by_day'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='dailyfigure',
                    name='point',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='places.servicepoint'),
                ),
                migrations.AlterField(
                    model_name='rollupfigure',
                    name='point',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='places.servicepoint'),
                ),
            ],
        ),
    ]
