"""Bad values never reach a consolidated view (issue 24, rows 1 and 7): an import holding `inf`, `1e308`
or an oversized field is refused with its row named, nothing is stored, and every view still answers."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from communs.bascarbone import services
from communs.bascarbone.engine.inventory import ActivityLine
from communs.bascarbone.models import Activity, ActivityImport
from tests.bascarbone.factories import CorrespondentFactory, build_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(make_user):
    tree = build_tree()
    correspondent = make_user("spe-35")
    CorrespondentFactory(user=correspondent, entity=tree["prefecture-35"])
    inventory = services.get_or_create_inventory(correspondent, tree["prefecture-35"], 2025)
    services.add_activity(correspondent, inventory, ActivityLine("1.2", "gazole-routier", 1000, "L"))
    admin = make_user("admin-bc", is_superuser=True)
    return tree, correspondent, admin, inventory


def _views_answer(client, admin):
    client.force_login(admin)
    for code in ("etat", "region-53", "prefecture-35"):
        for url in (
            f"/api/bascarbone/entites/{code}/2025",
            reverse("bascarbone:dashboard", args=[code, 2025]),
            reverse("bascarbone:report", args=[code, 2025]),
            reverse("bascarbone:export_csv", args=[code, 2025]),
            reverse("bascarbone:export_xlsx", args=[code, 2025]),
        ):
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("quantity", ["inf", "Infinity", "-inf", "nan", "1e308", "1e16"])
def test_non_finite_or_absurd_quantity_is_a_located_row_error(client, setup, quantity):
    tree, correspondent, admin, inventory = setup
    data = (
        "entity,post,factor_id,quantity,unit\n"
        "prefecture-35,1.2,gazole-routier,50,L\n"
        f"prefecture-35,1.2,gazole-routier,{quantity},L\n"
    ).encode()
    report = services.import_activities(correspondent, inventory, data, filename="a.csv")
    assert report.status == ActivityImport.Status.REJECTED
    assert [(e["line"], e["column"]) for e in report.errors] == [(3, "quantity")]
    assert Activity.objects.count() == 1
    _views_answer(client, admin)


def test_entered_infinite_quantity_is_refused_by_the_engine_check(setup):
    _, correspondent, _, inventory = setup
    with pytest.raises(ValidationError) as error:
        services.add_activity(correspondent, inventory, ActivityLine("1.2", "gazole-routier", float("inf"), "L"))
    assert "quantity" in error.value.message_dict
    assert Activity.objects.count() == 1


def test_csv_field_over_the_limit_is_a_located_error(client, setup):
    _, correspondent, admin, inventory = setup
    data = (
        "entity,post,factor_id,quantity,unit,label\nprefecture-35,1.2,gazole-routier,5,L," + "x" * 140_000
    ).encode()
    report = services.import_activities(correspondent, inventory, data, filename="a.csv")
    assert report.status == ActivityImport.Status.REJECTED
    message = report.errors[0]["message"]
    assert "a.csv, ligne 2" in message and "champ de plus de 131" in message
    assert Activity.objects.count() == 1
    _views_answer(client, admin)


def test_audit_metadata_never_holds_infinity(setup):
    """A row stored before these checks can still be deleted: the audit metadata is valid JSON."""
    from communs.core.models import AuditEvent

    _, correspondent, _, inventory = setup
    Activity.objects.filter(inventory=inventory).update(quantity=float("1e308"))
    activity = Activity.objects.get()
    activity.quantity = float("inf")
    services.delete_activity(correspondent, activity)
    assert not Activity.objects.exists()
    event = AuditEvent.objects.filter(action="bascarbone.activity.delete").get()
    assert event.metadata["quantity"] == "inf"
