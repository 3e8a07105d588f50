"""The catalogue and the search index now belong to their own apps: the guides forget their models
and point their links at catalogue.Procedure. State only: tables, columns and rows stay as they are.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0001_initial'),
        ('guides', '0002_guides_versions_reviews'),
        ('search', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='guideprocedurereview',
                    name='procedure',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalogue.procedure'),
                ),
                migrations.RemoveField(
                    model_name='submissionchannel',
                    name='procedure',
                ),
                migrations.RemoveField(
                    model_name='searchtoken',
                    name='document',
                ),
                migrations.AlterField(
                    model_name='guide',
                    name='procedures',
                    field=models.ManyToManyField(blank=True, related_name='guides', to='catalogue.procedure', verbose_name='linked procedures'),
                ),
                migrations.DeleteModel(
                    name='Fee',
                ),
                migrations.DeleteModel(
                    name='Procedure',
                ),
                migrations.DeleteModel(
                    name='SubmissionChannel',
                ),
                migrations.DeleteModel(
                    name='SearchDocument',
                ),
                migrations.DeleteModel(
                    name='SearchToken',
                ),
            ],
        ),
    ]
