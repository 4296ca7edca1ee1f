"""Read queries of État bas carbone: who sees which entities, the tree, consolidated results.

Access rules (the issue's « Scope »):
- a `correspondant` sees and edits the entities they are correspondent of (`Correspondent`) and
  everything below them; a correspondant role granted on a territory (core role grant, région or
  département) covers the entities located there (préfectures, DDI) and their subtrees;
- the `cgdd` role sees every entity, read-only (the consolidated State view);
- superusers see and edit everything.
"""

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from communs.bascarbone.engine.factors import EmissionFactor, FactorSet
from communs.bascarbone.engine.inventory import Activities, InventoryResult, compute_inventory
from communs.bascarbone.engine.organisation import Organisation
from communs.bascarbone.models import (
    Action,
    Activity,
    ActivityImport,
    Correspondent,
    Entity,
    Factor,
    FactorBase,
    Inventory,
)
from communs.core.models import RoleGrant
from communs.core.scopes import scope_for

SERVICE = "bascarbone"
ROLE_CORRESPONDANT = "correspondant"
ROLE_CGDD = "cgdd"


def organisation() -> Organisation:
    """The whole tree (two queries)."""
    tree = Organisation()
    for code, name in Entity.objects.values_list("code", "name"):
        tree.add(code, name)
    for child, parent in Entity.parents.through.objects.values_list("from_entity__code", "to_entity__code"):
        tree.add(child, "", parent)
    return tree


def _subtrees(tree: Organisation, roots) -> set[str]:
    descendants = tree.descendants()
    result: set[str] = set()
    for root in roots:
        result |= descendants.get(root, frozenset())
    return result


def editable_codes(user) -> set[str] | None:
    """Entity codes `user` may edit; None means all."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    roots = set(Correspondent.objects.filter(user=user).values_list("entity__code", flat=True))
    scope = scope_for(user, SERVICE, [ROLE_CORRESPONDANT])
    if scope.national:
        return None
    if scope.regions or scope.departements:
        roots |= set(
            Entity.objects.filter(Q(region__in=scope.regions) | Q(departement__in=scope.departements)).values_list(
                "code", flat=True
            )
        )
    if not roots:
        return set()
    return _subtrees(organisation(), roots)


def is_cgdd(user) -> bool:
    return user.is_authenticated and RoleGrant.objects.filter(user=user, service=SERVICE, role=ROLE_CGDD).exists()


def visible_codes(user) -> set[str] | None:
    """Entity codes `user` may read; None means all."""
    if user.is_authenticated and (user.is_superuser or is_cgdd(user)):
        return None
    return editable_codes(user)


def can_view(user, entity: Entity) -> bool:
    codes = visible_codes(user)
    return codes is None or entity.code in codes


def can_edit(user, entity: Entity) -> bool:
    codes = editable_codes(user)
    return codes is None or entity.code in codes


def require_view(user, entity: Entity) -> None:
    if not can_view(user, entity):
        raise PermissionDenied(f"L'entité « {entity.name} » n'est pas dans votre périmètre.")


def require_edit(user, entity: Entity) -> None:
    if not can_edit(user, entity):
        raise PermissionDenied(f"Vous ne pouvez pas modifier le bilan de « {entity.name} » (lecture seule).")


def visible_entities(user):
    codes = visible_codes(user)
    entities = Entity.objects.all()
    return entities if codes is None else entities.filter(code__in=codes)


def top_entities(user) -> list[Entity]:
    """The highest visible entities (whose parents are all invisible), for the home page."""
    codes = visible_codes(user)
    tree = organisation()
    visible = set(tree.parents) if codes is None else codes
    tops = sorted(code for code in visible if not (tree.parents.get(code, set()) & visible))
    return list(Entity.objects.filter(code__in=tops).order_by("name"))


def children_of(entity: Entity) -> list[Entity]:
    return list(entity.children.order_by("name"))


def years_with_data(codes) -> list[int]:
    return sorted(set(Inventory.objects.filter(entity__code__in=codes).values_list("year", flat=True)))


def factor_set_for(bases: set[int]) -> FactorSet:
    """The factors of the given bases plus the starter set, keyed `<base id>:<factor id>`.

    Starter factors are reachable from every inventory, so the file formats that map to the
    curated factors (fuel cards, building energy, travel) work whatever base an inventory pins.
    """
    factors: dict[str, EmissionFactor] = {}
    starter = FactorBase.objects.filter(is_starter=True).first()
    wanted = set(bases) | ({starter.pk} if starter else set())
    for row in Factor.objects.filter(base_id__in=wanted).values():
        factors[f"{row['base_id']}:{row['factor_id']}"] = _factor(row)
    if starter:
        for base in bases:
            for key, factor in list(factors.items()):
                if key.startswith(f"{starter.pk}:"):
                    factors.setdefault(f"{base}:{factor.id}", factor)
    return FactorSet(
        version="+".join(sorted(FactorBase.objects.filter(pk__in=wanted).values_list("version", flat=True))),
        source="",
        factors=factors,
    )


def _factor(row: dict) -> EmissionFactor:
    return EmissionFactor(
        id=row["factor_id"],
        name=row["name"],
        unit=row["unit"],
        total=row["total"],
        co2=row["co2"],
        ch4=row["ch4"],
        n2o=row["n2o"],
        other=row["other"],
        co2b=row["co2b"],
        uncertainty=row["uncertainty"],
        gas=row["gas"],
        pcs_pci_ratio=row["pcs_pci_ratio"],
        post=row["post"],
        source=row["source"],
        year=row["year"],
        status=row["status"],
    )


def inventory_factors(inventory: Inventory) -> list[Factor]:
    """Factors offered by the entry form: the pinned base, then the starter set."""
    bases = [inventory.factor_base_id]
    starter = FactorBase.objects.filter(is_starter=True).values_list("pk", flat=True).first()
    if starter and starter != inventory.factor_base_id:
        bases.append(starter)
    return list(Factor.objects.filter(base_id__in=bases).order_by("post", "name"))


def consolidate(
    entity: Entity, year: int, *, monte_carlo: int = 0, nodes: list[str] | None = None
) -> InventoryResult | None:
    """Results of `entity`'s subtree for `year` (each entity counted once), or None without data."""
    tree = organisation()
    below = tree.descendants()[entity.code]
    inventories = dict(Inventory.objects.filter(entity__code__in=below, year=year).values_list("pk", "entity__code"))
    if not inventories:
        return None
    gwp_sets = set(Inventory.objects.filter(pk__in=inventories).values_list("gwp_set", flat=True))
    rows = list(
        Activity.objects.filter(inventory_id__in=inventories).values_list(
            "pk",
            "inventory_id",
            "inventory__factor_base_id",
            "post",
            "factor_id",
            "quantity",
            "unit",
            "activity_uncertainty",
            "amortization_years",
        )
    )
    bases = {row[2] for row in rows} or set(
        Inventory.objects.filter(pk__in=inventories).values_list("factor_base_id", flat=True)
    )
    activities = Activities(
        post=[row[3] for row in rows],
        factor_id=[f"{row[2]}:{row[4]}" for row in rows],
        quantity=np.array([row[5] for row in rows], dtype=float),
        unit=[row[6] for row in rows],
        entity=[inventories[row[1]] for row in rows],
        activity_uncertainty=np.array([row[7] for row in rows], dtype=float),
        amortization_years=np.array([row[8] or 1.0 for row in rows], dtype=float),
        line=np.array([row[0] for row in rows], dtype=np.int64),
    )
    # Inventories of a subtree share one GWP set in practice; if they differ, the most recent report wins
    # and the page says so (`gwp_set` of the result).
    gwp_set = sorted(gwp_sets)[-1]
    wanted = nodes if nodes is not None else [entity.code, *(child.code for child in children_of(entity))]
    return compute_inventory(
        activities,
        factor_set_for(bases),
        organisation=tree,
        gwp_set=gwp_set,
        monte_carlo_draws=monte_carlo,
        nodes=wanted,
    )


def trend(entity: Entity) -> dict[int, float]:
    """Total kgCO2e of the subtree per year with data."""
    below = organisation().descendants()[entity.code]
    result = {}
    for year in years_with_data(below):
        consolidated = consolidate(entity, year, nodes=[entity.code])
        if consolidated is not None:
            result[year] = consolidated.nodes[entity.code].total_kg
    return result


def activities_of(inventory: Inventory, post: str | None = None):
    rows = inventory.activities.all()
    return rows.filter(post=post) if post else rows


def imports_of(inventory: Inventory):
    return ActivityImport.objects.filter(inventory=inventory)


def actions_of(entity: Entity):
    return Action.objects.filter(entity=entity)
