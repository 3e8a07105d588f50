"""The procedure catalogue moves out of the guides app: same tables (guides_procedure, ...), new owner.

State only: the tables were created by guides 0001 and keep their names (Meta.db_table), so no
row moves. The content types and audit labels are renamed in place (core.model_moves).
"""

import django.db.models.deletion
from django.db import migrations, models

from xungkich.core.model_moves import rename_labels


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0003_cache_table'),
        ('guides', '0002_guides_versions_reviews'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Procedure',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=40, unique=True, verbose_name='procedure code')),
                        ('name', models.CharField(max_length=500, verbose_name='official name')),
                        ('field', models.CharField(blank=True, max_length=200, verbose_name='field')),
                        ('level', models.CharField(choices=[('commune', 'Commune / ward'), ('province', 'Province / city'), ('ministry', 'Ministry / central agency')], default='commune', max_length=20, verbose_name='level')),
                        ('agency', models.CharField(blank=True, max_length=300, verbose_name='agency')),
                        ('online_mode', models.CharField(choices=[('full', 'Fully online (toàn trình)'), ('partial', 'Partly online (một phần)'), ('none', 'Not online')], default='none', max_length=10, verbose_name='online mode')),
                        ('summary', models.TextField(blank=True, verbose_name='summary')),
                        ('documents', models.JSONField(blank=True, default=list, verbose_name='documents required')),
                        ('legal_basis', models.TextField(blank=True, verbose_name='legal basis')),
                        ('official_url', models.URLField(blank=True, max_length=500, verbose_name='official link')),
                        ('source', models.CharField(blank=True, max_length=300, verbose_name='source')),
                        ('verified', models.BooleanField(default=False, verbose_name='verified')),
                        ('aliases', models.JSONField(blank=True, default=list, verbose_name='everyday names')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        'verbose_name': 'procedure',
                        'verbose_name_plural': 'procedures',
                        'db_table': 'guides_procedure',
                        'ordering': ['code'],
                    },
                ),
                migrations.CreateModel(
                    name='SubmissionChannel',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('online', 'Online'), ('post', 'By post'), ('in_person', 'In person')], max_length=20, verbose_name='way to submit')),
                        ('processing_time', models.CharField(blank=True, max_length=300, verbose_name='processing time')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('procedure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='channels', to='catalogue.procedure', verbose_name='procedure')),
                    ],
                    options={
                        'verbose_name': 'way to submit',
                        'verbose_name_plural': 'ways to submit',
                        'db_table': 'guides_submissionchannel',
                        'ordering': ['procedure', 'kind'],
                    },
                ),
                migrations.CreateModel(
                    name='Fee',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('amount', models.PositiveIntegerField(blank=True, null=True, verbose_name='amount (VND)')),
                        ('description', models.CharField(blank=True, max_length=500, verbose_name='description')),
                        ('effective_from', models.DateField(blank=True, null=True, verbose_name='in effect from')),
                        ('channel', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='fees', to='catalogue.submissionchannel', verbose_name='way to submit')),
                    ],
                    options={
                        'verbose_name': 'fee',
                        'verbose_name_plural': 'fees',
                        'db_table': 'guides_fee',
                        'ordering': ['channel', 'effective_from'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='submissionchannel',
                    constraint=models.UniqueConstraint(fields=('procedure', 'kind'), name='channel_unique_kind_per_procedure'),
                ),
                migrations.AddConstraint(
                    model_name='fee',
                    constraint=models.UniqueConstraint(fields=('channel', 'effective_from'), name='fee_unique_date_per_channel'),
                ),
                migrations.AddConstraint(
                    model_name='fee',
                    constraint=models.UniqueConstraint(condition=models.Q(('effective_from__isnull', True)), fields=('channel',), name='fee_unique_undated_per_channel'),
                ),
            ],
        ),
        rename_labels(old='guides', new='catalogue', models=['procedure', 'submissionchannel', 'fee']),
    ]
