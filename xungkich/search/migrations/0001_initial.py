"""The search index moves out of the guides app: same tables (guides_searchdocument, ...), new owner.

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
                    name='SearchDocument',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('procedure', 'Procedure'), ('guide', 'Guide')], max_length=20, verbose_name='kind')),
                        ('code', models.CharField(max_length=100, verbose_name='code')),
                        ('title', models.CharField(max_length=500, verbose_name='title')),
                        ('url', models.CharField(max_length=500, verbose_name='address')),
                        ('body', models.TextField(blank=True, verbose_name='text')),
                        ('aliases', models.JSONField(blank=True, default=list, verbose_name='everyday names')),
                        ('title_toned', models.TextField(blank=True)),
                        ('title_folded', models.TextField(blank=True)),
                        ('aliases_toned', models.TextField(blank=True)),
                        ('aliases_folded', models.TextField(blank=True)),
                        ('body_folded', models.TextField(blank=True)),
                        ('weight', models.FloatField(default=1.0, verbose_name='weight')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        'verbose_name': 'search document',
                        'verbose_name_plural': 'search documents',
                        'db_table': 'guides_searchdocument',
                        'ordering': ['kind', 'code'],
                        'constraints': [models.UniqueConstraint(fields=('kind', 'code'), name='searchdocument_unique_kind_code')],
                    },
                ),
                migrations.CreateModel(
                    name='SearchToken',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.CharField(max_length=64)),
                        ('document', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tokens', to='search.searchdocument')),
                    ],
                    options={
                        'db_table': 'guides_searchtoken',
                        'indexes': [models.Index(fields=['token'], name='searchtoken_token_idx')],
                        'constraints': [models.UniqueConstraint(fields=('document', 'token'), name='searchtoken_unique_per_document')],
                    },
                ),
            ],
        ),
        rename_labels(old='guides', new='search', models=['searchdocument', 'searchtoken']),
    ]
