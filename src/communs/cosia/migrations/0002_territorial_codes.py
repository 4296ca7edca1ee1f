"""CoSIA's territories move from foreign keys on the reference to `TerritorialMixin`'s code columns.

Three migrations, each in its own transaction (PostgreSQL refuses to alter a table with pending
trigger events): 0002 turns each foreign key into a nullable code column (the column keeps its
values, `departement_id` is renamed `departement`) and adds the missing levels; 0003 turns NULL
into "" (the mixin's "unknown"); 0004 makes the columns NOT NULL. No row is dropped or changes
its territory (tests/cosia/test_migration_territorial.py).
"""

from django.db import migrations, models


def code(max_length, name, *, null):
    return models.CharField(name, max_length=max_length, blank=True, db_index=True, null=null)


class Migration(migrations.Migration):
    dependencies = [("cosia", "0001_initial")]

    operations = [
        migrations.AlterField("coverage", "departement", code(3, "département (code INSEE)", null=False)),
        migrations.RenameIndex(
            model_name="coverage", new_name="cosia_cover_vintage_201ff1_idx", old_name="cosia_cover_vintage_ed08af_idx"
        ),
        migrations.AlterField("zone", "departement", code(3, "département (code INSEE)", null=True)),
        migrations.AlterField("usecase", "departement", code(3, "département (code INSEE)", null=True)),
        migrations.AlterField("usecase", "commune", code(5, "commune (code INSEE)", null=True)),
        migrations.AddField("coverage", "region", code(3, "région (code INSEE)", null=False)),
        migrations.AddField("coverage", "commune", code(5, "commune (code INSEE)", null=False)),
        migrations.AddField("zone", "region", code(3, "région (code INSEE)", null=False)),
        migrations.AddField("zone", "commune", code(5, "commune (code INSEE)", null=False)),
        migrations.AddField("usecase", "region", code(3, "région (code INSEE)", null=False)),
    ]
