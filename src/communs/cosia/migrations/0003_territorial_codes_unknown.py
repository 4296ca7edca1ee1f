"""NULL territory codes (no département, no commune) become "", the mixin's "unknown"."""

from django.db import migrations


def null_to_blank(apps, schema_editor):
    for model_name, fields in (("Zone", ["departement"]), ("UseCase", ["departement", "commune"])):
        model = apps.get_model("cosia", model_name)
        for field in fields:
            model.objects.filter(**{f"{field}__isnull": True}).update(**{field: ""})


def blank_to_null(apps, schema_editor):
    for model_name, fields in (("Zone", ["departement"]), ("UseCase", ["departement", "commune"])):
        model = apps.get_model("cosia", model_name)
        for field in fields:
            model.objects.filter(**{field: ""}).update(**{field: None})


class Migration(migrations.Migration):
    dependencies = [("cosia", "0002_territorial_codes")]

    operations = [migrations.RunPython(null_to_blank, blank_to_null)]
