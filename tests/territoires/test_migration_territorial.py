"""The move to `territoires.mixins.TerritorialMixin` keeps every row and every row's territory.

Rolls the six apps back to their migration before the mixin, writes rows through the historical
models (known codes, unknown codes, no territory, CoSIA's NULL foreign keys), migrates forward to
the newest migrations and compares: same rows, same codes (CoSIA's NULL becomes "", the mixin's
"unknown"), the new levels blank.
"""

import datetime

import pytest
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor

BEFORE = {
    "cosia": "0001_initial",
    "champollion": "0001_initial",
    "bascarbone": "0001_initial",
    "recensmart": "0001_initial",
    "estimaction": "0002_dataset_source_types",
    "pilote": "0001_initial",
    "nomad": "0001_initial",
    "sirano": "0001_initial",
}

# app, model, territory fields before → rows to write (values of those fields)
ROWS = {
    ("champollion", "Etablissement"): [{"departement": "35", "region": "53"}, {"departement": "", "region": ""}],
    ("bascarbone", "Entity"): [{"region": "53", "departement": "35"}, {"region": "11", "departement": ""}],
    ("recensmart", "Campaign"): [{"region": "84", "departement": "69"}, {"region": "", "departement": ""}],
    ("estimaction", "TerritoryResult"): [{"departement": "35"}, {"departement": ""}],
    ("pilote", "Value"): [
        {"territory": "DEPT-2A", "region": "94", "departement": "2A"},
        {"territory": "NAT-FR", "region": "", "departement": ""},
    ],
    ("pilote", "Meteo"): [{"territory": "REG-53", "region": "53", "departement": ""}],
    ("nomad", "Site"): [
        {"commune": "35238", "departement": "35", "region": "53"},
        {"commune": "", "departement": "", "region": "11"},
    ],
    ("sirano", "Establishment"): [{"commune": "35238", "departement": "35", "region": "53"}],
    ("cosia", "Coverage"): [{"departement_id": "35"}],
    ("cosia", "Zone"): [{"departement_id": "35"}, {"departement_id": None}],
    ("cosia", "UseCase"): [
        {"departement_id": "35", "commune_id": "35238"},
        {"departement_id": None, "commune_id": None},
    ],
}


def _value_for(field, apps, serial):
    if isinstance(field, models.ForeignKey):
        return _make(apps, field.related_model, serial)
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.BinaryField):
        return b"x"
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, (models.IntegerField, models.FloatField)):
        return 1
    if isinstance(field, models.DateTimeField):
        return datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    if isinstance(field, models.DateField):
        return datetime.date(2026, 1, 1)
    if isinstance(field, models.CharField) and field.choices:
        return field.choices[0][0]
    if isinstance(field, models.CharField):
        return f"x{serial}"[: field.max_length]
    return f"x{serial}"


def _make(apps, model, serial, **values):
    """A row of a historical model with every required field filled (foreign keys created too)."""
    if model._meta.label == "territoires.Region":
        return model.objects.get_or_create(code="53", defaults={"nom": "Bretagne"})[0]
    for field in model._meta.concrete_fields:
        if field.primary_key and field.auto_created:
            continue
        attname = field.attname if isinstance(field, models.ForeignKey) else field.name
        if attname in values or field.name in values:
            continue
        if (
            field.null
            or field.has_default()
            or getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
        ):
            continue
        if model._meta.app_label == "auth" and field.name in ("password",):
            values[field.name] = "!"
            continue
        values[field.name] = _value_for(field, apps, serial)
    return model.objects.create(**values)


def _reference(apps):
    Region = apps.get_model("territoires", "Region")
    Departement = apps.get_model("territoires", "Departement")
    Commune = apps.get_model("territoires", "Commune")
    region, _ = Region.objects.get_or_create(code="53", defaults={"nom": "Bretagne"})
    dep, _ = Departement.objects.get_or_create(code="35", defaults={"nom": "Ille-et-Vilaine", "region": region})
    Commune.objects.get_or_create(code="35238", defaults={"nom": "Rennes", "departement": dep, "region": region})


@pytest.mark.django_db(transaction=True)
def test_territorial_migrations_keep_every_row_and_its_territory():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    targets = list(BEFORE.items())
    executor.migrate(targets)
    executor.loader.build_graph()
    apps = executor.loader.project_state(targets).apps
    _reference(apps)

    written = {}
    serial = 0
    for (app, name), rows in ROWS.items():
        model = apps.get_model(app, name)
        for row in rows:
            serial += 1
            written[(app, name, _make(apps, model, serial, **row).pk)] = row

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
    apps = executor.loader.project_state(leaves).apps

    for (app, name), rows in ROWS.items():
        model = apps.get_model(app, name)
        assert model.objects.count() == len(rows), (app, name)
    for (app, name, pk), row in written.items():
        after = apps.get_model(app, name).objects.get(pk=pk)
        for field, value in row.items():
            field = field.removesuffix("_id")
            assert getattr(after, field) == (value or ""), (app, name, field)
        for level in ("region", "departement", "commune"):
            if level not in {f.removesuffix("_id") for f in row}:
                assert getattr(after, level) == "", (app, name, level)
