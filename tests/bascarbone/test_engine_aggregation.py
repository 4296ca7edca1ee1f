"""Aggregation on the organisation tree: each entity counted once, correlation kept at every node."""

import pytest

from communs.bascarbone.engine.factors import load_starter_set
from communs.bascarbone.engine.inventory import ActivityLine, InventoryError, compute_inventory
from communs.bascarbone.engine.organisation import Organisation, OrganisationError, read_tree
from tests.bascarbone.paths import DATA

STARTER = load_starter_set()


def _tree() -> Organisation:
    return read_tree((DATA / "arborescence.csv").read_bytes())


def test_tree_reads_several_parents():
    tree = _tree()
    assert tree.parents["prefecture-35"] == {"region-53", "pole-interieur"}
    assert tree.roots == ["etat"]
    assert tree.names["ddtm-35"] == "DDTM d'Ille-et-Vilaine"


def test_entity_reached_by_two_paths_counts_once():
    lines = [
        ActivityLine("1.2", "gazole-routier", 1000, "L", entity="ddtm-35"),
        ActivityLine("2.1", "electricite-france", 10000, "kWh", entity="prefecture-35"),
    ]
    result = compute_inventory(lines, STARTER, organisation=_tree())
    # DDTM 35 is under prefecture-35 and directly under region-53, and prefecture-35 is under region-53
    # and pole-interieur: region-53 and etat reach DDTM twice but count it once: 3160 + 520 = 3680 kg
    # (adding up children would give 3160 + 3680 = 6840 kg at region-53).
    assert result.nodes["region-53"].total_kg == pytest.approx(3680.0)
    assert result.nodes["etat"].total_kg == pytest.approx(3680.0)
    assert result.nodes["pole-interieur"].total_kg == pytest.approx(3680.0)
    assert result.nodes["ddtm-35"].total_kg == pytest.approx(3160.0)
    assert result.nodes["etat"].entities == 2


def test_node_uncertainty_keeps_the_shared_factor_correlation():
    lines = [
        ActivityLine("1.2", "gazole-routier", 1000, "L", entity="ddtm-35"),
        ActivityLine("1.2", "gazole-routier", 1000, "L", entity="prefecture-35"),
    ]
    result = compute_inventory(lines, STARTER, organisation=_tree())
    # Two entities, same diesel factor: 158 + 158 = 316 kg at the région (not sqrt(2) × 158 = 223 kg).
    assert result.nodes["region-53"].uncertainty_kg == pytest.approx(316.0)


def test_completeness_lists_mandatory_posts_with_data():
    lines = [
        ActivityLine("1.2", "gazole-routier", 1000, "L", entity="ddtm-35"),
        ActivityLine("2.1", "electricite-france", 10000, "kWh", entity="prefecture-35"),
    ]
    result = compute_inventory(lines, STARTER, organisation=_tree())
    completeness = result.nodes["etat"].completeness()
    # Mandatory posts: 1.1, 1.2, 1.4, 2.1, 2.2 → 2 of 5 filled.
    assert completeness["filled"] == ["1.2", "2.1"]
    assert completeness["missing"] == ["1.1", "1.4", "2.2"]
    assert completeness["ratio"] == pytest.approx(0.4)
    assert result.nodes["ddtm-35"].completeness()["filled"] == ["1.2"]


def test_entity_missing_from_the_tree_names_its_line():
    with pytest.raises(InventoryError) as error:
        compute_inventory(
            [ActivityLine("1.2", "gazole-routier", 1, "L", entity="inconnue", line=4)], STARTER, organisation=_tree()
        )
    assert (error.value.line, error.value.field) == (4, "entity")


def test_cycle_is_refused():
    with pytest.raises(OrganisationError, match="cycle"):
        read_tree(b"id,parent_id,name\na,b,A\nb,a,B\n")


def test_flat_entities_without_tree():
    lines = [
        ActivityLine("1.2", "gazole-routier", 1000, "L", entity="a"),
        ActivityLine("1.2", "gazole-routier", 500, "L", entity="b"),
    ]
    result = compute_inventory(lines, STARTER)
    assert sorted(result.nodes) == ["a", "b"]
    # 1500 L × 3.16 = 4740 kg; same factor: 4740 × 0.05 = 237 kg.
    assert result.total.total_kg == pytest.approx(4740.0)
    assert result.total.uncertainty_kg == pytest.approx(237.0)


def test_tree_without_any_line_gives_zeros():
    result = compute_inventory([], STARTER, organisation=_tree(), monte_carlo_draws=10)
    assert result.nodes["etat"].total_kg == 0
    assert result.nodes["etat"].uncertainty_kg == 0
    assert result.nodes["etat"].completeness()["filled"] == []
