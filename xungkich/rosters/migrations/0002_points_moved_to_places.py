"""The service points and closed days now live in ``places`` (see places 0001).

State only: the rosters' foreign keys re-point to ``places.servicepoint`` (same table, same
columns) and the two models leave the rosters state; their tables and rows stay. It runs after
every other app has re-pointed its own keys, so no state ever refers to a model that is gone.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('helpdesk', '0005_point_in_places'),
        ('places', '0001_initial'),
        ('reports', '0007_point_in_places'),
        ('rosters', '0001_initial'),
        ('tickets', '0002_point_in_places'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='shift',
                    name='point',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='shifts', to='places.servicepoint', verbose_name='service point'),
                ),
                migrations.AlterField(
                    model_name='shiftpattern',
                    name='point',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='patterns', to='places.servicepoint', verbose_name='service point'),
                ),
                migrations.AlterField(
                    model_name='rosterprofile',
                    name='points',
                    field=models.ManyToManyField(blank=True, related_name='+', to='places.servicepoint', verbose_name='service points I can reach'),
                ),
                migrations.DeleteModel(
                    name='ClosedDay',
                ),
                migrations.DeleteModel(
                    name='ServicePoint',
                ),
            ],
        ),
    ]
