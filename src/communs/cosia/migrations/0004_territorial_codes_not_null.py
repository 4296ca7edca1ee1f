from django.db import migrations, models


def code(max_length, name):
    return models.CharField(name, max_length=max_length, blank=True, db_index=True)


class Migration(migrations.Migration):
    dependencies = [("cosia", "0003_territorial_codes_unknown")]

    operations = [
        migrations.AlterField("zone", "departement", code(3, "département (code INSEE)")),
        migrations.AlterField("usecase", "departement", code(3, "département (code INSEE)")),
        migrations.AlterField("usecase", "commune", code(5, "commune (code INSEE)")),
    ]
