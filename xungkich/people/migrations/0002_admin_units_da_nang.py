from pathlib import Path

from django.db import migrations

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "admin_units_48.csv"


def load_da_nang(apps, schema_editor):
    """Every installation starts with Đà Nẵng's 94 current communes and wards (after 1/7/2025)."""
    from xungkich.people.adminunits import parse_official_list

    AdminUnit = apps.get_model("people", "AdminUnit")
    rows = parse_official_list(SHIPPED, SHIPPED.name)
    provinces = {}
    for row in rows:
        if row.province_code not in provinces:
            provinces[row.province_code], _ = AdminUnit.objects.get_or_create(
                code=row.province_code, defaults={"name": row.province_name, "kind": "province"}
            )
        AdminUnit.objects.get_or_create(
            code=row.code,
            defaults={"name": row.name, "kind": row.kind, "province": provinces[row.province_code]},
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load_da_nang, migrations.RunPython.noop)]
