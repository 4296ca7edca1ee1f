"""Services and selectors: starter base, entry, imports that never half-write, scopes, consolidation."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communs.bascarbone import selectors, services
from communs.bascarbone.engine.inventory import ActivityLine
from communs.bascarbone.models import Activity, ActivityImport, Factor, FactorBase
from communs.core.models import AuditEvent
from tests.bascarbone.factories import CorrespondentFactory, build_tree
from tests.bascarbone.paths import DATA

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return build_tree()


@pytest.fixture
def admin(make_user):
    return make_user("admin-bc", is_superuser=True)


def test_starter_base_is_idempotent():
    first = services.ensure_starter_base()
    second = services.ensure_starter_base()
    assert first.pk == second.pk
    assert Factor.objects.filter(base=first).count() == 44


def test_import_factor_base_is_a_version(admin):
    data = (DATA / "base_empreinte_extrait_pointvirgule_latin1.csv").read_bytes()
    base = services.import_factor_base(data, filename="be.csv", version="v23.4", user=admin)
    assert base.factors.count() == 5
    with pytest.raises(ValidationError):
        services.import_factor_base(data, filename="be.csv", version="v23.4", user=admin)
    assert AuditEvent.objects.filter(action="bascarbone.factors.import").count() == 1


def test_entry_and_consolidation_count_a_shared_entity_once(admin, tree):
    inv_ddtm = services.get_or_create_inventory(admin, tree["ddtm-35"], 2025)
    inv_p35 = services.get_or_create_inventory(admin, tree["prefecture-35"], 2025)
    services.add_activity(admin, inv_ddtm, ActivityLine("1.2", "gazole-routier", 1000, "L"))
    services.add_activity(admin, inv_p35, ActivityLine("2.1", "electricite-france", 10000, "kWh"))
    result = selectors.consolidate(tree["region-53"], 2025)
    # DDTM is under prefecture-35 and directly under region-53: counted once → 3160 + 520 = 3680 kg.
    assert result.nodes["region-53"].total_kg == pytest.approx(3680.0)
    assert result.nodes["region-53"].uncertainty_kg == pytest.approx(166.34, abs=0.01)
    assert result.nodes["prefecture-35"].total_kg == pytest.approx(3680.0)
    assert result.nodes["prefecture-29"].total_kg == 0
    assert AuditEvent.objects.filter(action="bascarbone.activity.create").count() == 2


def test_entry_with_incompatible_unit_is_refused(admin, tree):
    inventory = services.get_or_create_inventory(admin, tree["ddtm-35"], 2025)
    with pytest.raises(ValidationError) as error:
        services.add_activity(admin, inventory, ActivityLine("1.2", "gazole-routier", 10, "kWh"))
    assert "unit" in error.value.message_dict
    assert not Activity.objects.exists()


def test_import_with_a_bad_row_writes_only_the_report(admin, tree):
    inventory = services.get_or_create_inventory(admin, tree["prefecture-35"], 2025)
    data = (DATA / "cartes_carburant.csv").read_bytes()
    report = services.import_activities(admin, inventory, data, filename="cartes_carburant.csv")
    assert report.status == ActivityImport.Status.REJECTED
    assert [(e["line"], e["column"]) for e in report.errors] == [(4, "Carburant"), (5, "Litres")]
    assert not Activity.objects.exists()


def test_good_import_writes_every_line(admin, tree):
    inventory = services.get_or_create_inventory(admin, tree["prefecture-35"], 2025)
    data = (DATA / "energie_batiments.csv").read_bytes()
    report = services.import_activities(admin, inventory, data, filename="energie_batiments.csv")
    assert report.status == ActivityImport.Status.ACCEPTED
    assert report.imported == 4
    assert Activity.objects.filter(inventory=inventory, source_import=report).count() == 4
    result = selectors.consolidate(tree["prefecture-35"], 2025)
    # 120 000 kWh × 0.052 = 6240 ; 80 000 kWh PCS × 0.901 × 0.227 = 16 362.16 ; 2000 L × 3.25 = 6500 ;
    # 15 000 MWh × 1000 × 0.118 = 1 770 000 → 1 799 102.16 kg.
    assert result.nodes["prefecture-35"].total_kg == pytest.approx(1_799_102.16)


def test_import_lines_of_other_entities_go_to_their_inventories(admin, tree):
    inventory = services.get_or_create_inventory(admin, tree["prefecture-35"], 2025)
    data = (
        b"entity,post,factor_id,quantity,unit\n"
        b"ddtm-35,1.2,gazole-routier,100,L\n"
        b"prefecture-35,1.2,gazole-routier,50,L\n"
    )
    report = services.import_activities(admin, inventory, data, filename="a.csv")
    assert report.status == ActivityImport.Status.ACCEPTED
    assert Activity.objects.filter(inventory__entity__code="ddtm-35").count() == 1


def test_correspondent_sees_and_edits_their_subtree_only(make_user, tree):
    user = make_user("spe-35")
    CorrespondentFactory(user=user, entity=tree["prefecture-35"])
    assert selectors.visible_codes(user) == {"prefecture-35", "ddtm-35"}
    assert selectors.can_edit(user, tree["ddtm-35"])
    assert not selectors.can_view(user, tree["region-53"])
    with pytest.raises(PermissionDenied):
        services.get_or_create_inventory(user, tree["prefecture-29"], 2025)


def test_correspondent_file_naming_an_entity_outside_the_subtree_is_rejected(make_user, tree):
    user = make_user("spe-35")
    CorrespondentFactory(user=user, entity=tree["prefecture-35"])
    inventory = services.get_or_create_inventory(user, tree["prefecture-35"], 2025)
    data = b"entity,post,factor_id,quantity,unit\nprefecture-29,1.2,gazole-routier,100,L\n"
    report = services.import_activities(user, inventory, data, filename="a.csv")
    assert report.status == ActivityImport.Status.REJECTED
    assert report.errors[0]["column"] == "entity"
    assert not Activity.objects.exists()


def test_territorial_correspondant_grant_covers_entities_located_there(make_user, tree):
    user = make_user("agent-35-bc", grants=[("bascarbone", "correspondant", "departement", "35")])
    assert selectors.visible_codes(user) == {"prefecture-35", "ddtm-35"}


def test_cgdd_reads_everything_and_edits_nothing(make_user, tree):
    user = make_user("cgdd", grants=[("bascarbone", "cgdd", "national", "")])
    assert selectors.visible_codes(user) is None
    assert selectors.can_view(user, tree["etat"])
    assert not selectors.can_edit(user, tree["etat"])
    with pytest.raises(PermissionDenied):
        services.get_or_create_inventory(user, tree["etat"], 2025)


def test_user_without_role_sees_nothing(make_user, tree):
    assert selectors.visible_codes(make_user("nobody")) == set()


def test_set_target_and_actions(admin, tree):
    services.set_target(admin, tree["etat"], reference_year=2019, target_year=2030, reduction=0.55)
    tree["etat"].refresh_from_db()
    assert tree["etat"].target_reduction == 0.55
    services.add_action(
        admin, tree["etat"], title="Flotte électrique", post="1.2", reduction_tco2e=12.5, due_year=2027
    )
    assert selectors.actions_of(tree["etat"]).count() == 1
    assert FactorBase.objects.count() == 0


def test_inventory_pins_a_base_and_a_gwp_set(admin, tree):
    imported = services.import_factor_base(
        (DATA / "base_empreinte_extrait_virgule_utf8.csv").read_bytes(), filename="be.csv", version="v23.4", user=admin
    )
    inventory = services.get_or_create_inventory(admin, tree["prefecture-35"], 2025)
    assert inventory.factor_base.is_starter
    services.configure_inventory(admin, inventory, factor_base=imported, gwp_set="AR5")
    services.add_activity(admin, inventory, ActivityLine("1.2", "14015", 1000, "L"))  # Base Empreinte id
    services.add_activity(admin, inventory, ActivityLine("1.4", "r410a", 2, "kg"))  # starter factor, still reachable
    result = selectors.consolidate(tree["prefecture-35"], 2025)
    # 1000 L × 3.16 + 2 kg × 1924 = 3160 + 3848 = 7008 kg.
    assert result.nodes["prefecture-35"].total_kg == pytest.approx(7008.0)
    services.configure_inventory(admin, inventory, factor_base=imported, gwp_set="AR4")
    # AR4: 3160 + 2 × 2088 = 7336 kg, and the result says which set it used.
    result = selectors.consolidate(tree["prefecture-35"], 2025)
    assert result.nodes["prefecture-35"].total_kg == pytest.approx(7336.0)
    assert result.gwp_set == "AR4"
    # Back to the starter base: factor 14015 does not exist there, so the change is refused.
    with pytest.raises(ValidationError, match="14015"):
        services.configure_inventory(admin, inventory, factor_base=services.ensure_starter_base(), gwp_set="AR5")
    inventory.refresh_from_db()
    assert inventory.factor_base == imported
    assert AuditEvent.objects.filter(action="bascarbone.inventory.configure").count() == 2
