# IdempotencyKey now lives in the api app (api.0002): only Django's state changes, the table and
# its rows stay.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_idempotencykey_from_helpdesk"),
        ("helpdesk", "0002_help_session_activity"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="IdempotencyKey")],
            database_operations=[],
        ),
    ]
