"""The content types and audit entries of the moved models follow them from rosters to places.

Renaming the content type rows (instead of letting Django make new ones) keeps their ids, so the
permissions granted on service points and closed days stay granted. The audit log names an
object's model by its label (``rosters.servicepoint``); renaming those labels keeps the old
entries' field names readable on the log page. Both directions are safe to run on a database
where the rows do not exist yet (a new database gets its content types after migrating).
"""

from django.db import migrations

from xungkich.core.model_moves import rename_labels

class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0003_cache_table'),
        ('places', '0001_initial'),
        ('rosters', '0002_points_moved_to_places'),
    ]

    operations = [
        rename_labels(old='rosters', new='places', models=['servicepoint', 'closedday']),
    ]
