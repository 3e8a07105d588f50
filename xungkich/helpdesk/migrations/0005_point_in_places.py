"""Help sessions point at the service point in its new app, ``places``.

State only: the model kept its table (``rosters_servicepoint``), so the foreign key columns and
their constraints are already right; see places 0001.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('helpdesk', '0004_free_text_limits'),
        ('places', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='helpsession',
                    name='point',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='help_sessions', to='places.servicepoint', verbose_name='service point'),
                ),
            ],
        ),
    ]
