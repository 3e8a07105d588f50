"""ServicePoint and ClosedDay move from the rosters app to places, without touching the data.

The models keep their tables (``Meta.db_table``), so this migration only tells Django's migration
state where they live now: rosters 0002 removes them from the rosters state, and the apps whose
foreign keys point at them re-point theirs (tickets 0002, helpdesk 0005, reports 0007). On a new
database rosters 0001 still creates the tables; on a database migrated before the move they are
already there with their rows.
"""

import django.db.models.deletion
import secrets
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('people', '0005_free_text_limits'),
        ('rosters', '0001_initial'),  # creates the tables these models keep
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ServicePoint',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=150, verbose_name='name')),
                        ('kind', models.CharField(choices=[('centre', 'Public administration service centre'), ('ward_point', 'Ward / commune help point'), ('mobile', 'Mobile help desk')], default='centre', max_length=20, verbose_name='kind')),
                        ('address', models.CharField(blank=True, max_length=255, verbose_name='address')),
                        ('opening_hours', models.CharField(blank=True, max_length=255, verbose_name='opening hours')),
                        ('checkin_token', models.CharField(default=secrets.token_urlsafe, editable=False, max_length=43, unique=True)),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                        ('admin_unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='people.adminunit', verbose_name='administrative unit')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='service_points', to='people.orgunit', verbose_name='unit')),
                    ],
                    options={
                        'verbose_name': 'service point',
                        'verbose_name_plural': 'service points',
                        'db_table': 'rosters_servicepoint',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='ClosedDay',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('reason', models.CharField(blank=True, max_length=150, verbose_name='reason')),
                        ('point', models.ForeignKey(blank=True, help_text='Empty: every service point is closed.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='closed_days', to='places.servicepoint', verbose_name='service point')),
                    ],
                    options={
                        'verbose_name': 'closed day',
                        'verbose_name_plural': 'closed days',
                        'db_table': 'rosters_closedday',
                        'ordering': ['date'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='servicepoint',
                    constraint=models.UniqueConstraint(fields=('unit', 'name'), name='servicepoint_unique_name_per_unit'),
                ),
                migrations.AddConstraint(
                    model_name='closedday',
                    constraint=models.UniqueConstraint(fields=('date', 'point'), name='closedday_unique'),
                ),
            ],
        ),
    ]
