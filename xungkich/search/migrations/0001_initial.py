"""The search index moves out of the guides app: same tables (guides_searchdocument, ...), new owner.

State only: the tables were created by guides 0001 and keep their names (Meta.db_table), so no
row moves. The content types are renamed in place.
"""

import django.db.models.deletion
from django.db import migrations, models


def move_content_types(old_label, new_label, models):
    """Content types of the moved models follow them, so permissions stay attached (no new rows).

    The old row carries the history (its permissions, their grants, admin log entries). A row
    already at the new name can only be an empty one that post_migrate made between two partial
    migrate runs (e.g. while rolling back app by app): it gives way to the old one.
    """

    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        types = ContentType.objects.using(schema_editor.connection.alias)
        for model in models:
            if not types.filter(app_label=old_label, model=model).exists():
                continue  # a new database: post_migrate creates the row under the new name
            types.filter(app_label=new_label, model=model).delete()
            types.filter(app_label=old_label, model=model).update(app_label=new_label)
        ContentType.objects.clear_cache()

    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
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
        migrations.RunPython(
            move_content_types('guides', 'search', ['searchdocument', 'searchtoken']),
            move_content_types('search', 'guides', ['searchdocument', 'searchtoken']),
        ),
    ]
