"""The ticket counters and tickets point at the service point in its new app, ``places``.

State only: the model kept its table (``rosters_servicepoint``), so the foreign key columns and
their constraints are already right; see places 0001.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('places', '0001_initial'),
        ('tickets', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='ticket',
                    name='point',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='tickets', to='places.servicepoint', verbose_name='service point'),
                ),
                migrations.AlterField(
                    model_name='ticketcounter',
                    name='point',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='places.servicepoint'),
                ),
            ],
        ),
    ]
