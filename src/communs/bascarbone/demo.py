"""Demo data of État bas carbone: a small State tree (pôles, directions, préfectures of Bretagne and
their DDI reached by two paths), three years of seeded activity data, a target and an action plan;
roles for the demo accounts. Idempotent: a second run creates nothing.

Roles: agent-35 is correspondant of département 35 (préfecture and DDTM), agent-bretagne of région 53,
agent-national is the CGDD (read-only national view).
"""

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction

from communs.bascarbone import services
from communs.bascarbone.models import Action, Activity, Entity, EntityKind, Inventory
from communs.bascarbone.selectors import ROLE_CGDD, ROLE_CORRESPONDANT, SERVICE
from communs.core.models import ScopeLevel
from communs.core.roles import grant_role

SEED = 2026
YEARS = (2023, 2024, 2025)

# code, name, kind, parents, région, département
ENTITIES = (
    ("etat", "État", EntityKind.ETAT, (), "", ""),
    ("pole-interieur", "Pôle ministériel Intérieur", EntityKind.POLE, ("etat",), "", ""),
    ("pole-ecologie", "Pôle ministériel Transition écologique", EntityKind.POLE, ("etat",), "", ""),
    ("dgcl", "Direction générale des collectivités locales", EntityKind.DIRECTION, ("pole-interieur",), "", ""),
    (
        "dgaln",
        "Direction générale de l'aménagement, du logement et de la nature",
        EntityKind.DIRECTION,
        ("pole-ecologie",),
        "",
        "",
    ),
    (
        "prefecture-region-53",
        "Préfecture de la région Bretagne",
        EntityKind.PREFECTURE_REGION,
        ("pole-interieur",),
        "53",
        "",
    ),
    ("prefecture-35", "Préfecture d'Ille-et-Vilaine", EntityKind.PREFECTURE, ("prefecture-region-53",), "53", "35"),
    ("prefecture-29", "Préfecture du Finistère", EntityKind.PREFECTURE, ("prefecture-region-53",), "53", "29"),
    ("prefecture-22", "Préfecture des Côtes-d'Armor", EntityKind.PREFECTURE, ("prefecture-region-53",), "53", "22"),
    ("prefecture-56", "Préfecture du Morbihan", EntityKind.PREFECTURE, ("prefecture-region-53",), "53", "56"),
    # DDI: under their préfecture and in their ministry's network (two paths, counted once).
    ("ddtm-35", "DDTM d'Ille-et-Vilaine", EntityKind.SERVICE, ("prefecture-35", "dgaln"), "53", "35"),
    ("ddtm-29", "DDTM du Finistère", EntityKind.SERVICE, ("prefecture-29", "dgaln"), "53", "29"),
    ("ddets-35", "DDETS d'Ille-et-Vilaine", EntityKind.SERVICE, ("prefecture-35",), "53", "35"),
    (
        "sous-prefecture-fougeres",
        "Sous-préfecture de Fougères-Vitré",
        EntityKind.SERVICE,
        ("prefecture-35",),
        "53",
        "35",
    ),
)

# post, factor, unit, typical yearly quantity for a 100-agent service, activity uncertainty, amortization
PROFILE = (
    ("1.1", "gaz-naturel", "kWh PCS", 350_000, 0.02, None),
    ("1.2", "gazole-routier", "L", 12_000, 0.02, None),
    ("1.2", "essence-e10", "L", 4_000, 0.02, None),
    ("1.4", "r410a", "kg", 3, 0.30, None),
    ("2.1", "electricite-france", "kWh", 420_000, 0.01, None),
    ("2.2", "reseau-chaleur", "kWh", 90_000, 0.05, None),
    ("3.3", "voiture-thermique", "km", 450_000, 0.30, None),
    ("3.5", "train-tgv", "p.km", 180_000, 0.10, None),
    ("3.5", "avion-court", "p.km", 25_000, 0.10, None),
    ("4.1", "repas-moyen", "repas", 14_000, 0.10, None),
    ("4.1", "papier", "kg", 1_800, 0.10, None),
    ("4.2", "ordinateur-portable", "unité", 120, 0.0, 4),
    ("4.2", "batiment-bureaux", "m²", 3_500, 0.05, 50),
    ("4.3", "dechets-menagers", "t", 18, 0.30, None),
    ("4.5", "services-numeriques", "k€", 250, 0.05, None),
)

# Relative size of each entity that carries data (headcount / 100).
SIZES = {
    "dgcl": 3.0,
    "dgaln": 4.0,
    "prefecture-region-53": 2.5,
    "prefecture-35": 2.0,
    "prefecture-29": 1.6,
    "prefecture-22": 1.2,
    "prefecture-56": 1.4,
    "ddtm-35": 1.8,
    "ddtm-29": 1.5,
    "ddets-35": 1.0,
    "sous-prefecture-fougeres": 0.3,
}


def _entities() -> dict[str, Entity]:
    by_code = {}
    for code, name, kind, parents, region, departement in ENTITIES:
        entity, _ = Entity.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "region": region, "departement": departement}
        )
        by_code[code] = entity
        entity.parents.add(*(by_code[parent] for parent in parents))
    return by_code


def _activities(inventory: Inventory, size: float, year_index: int, rng: np.random.Generator) -> list[Activity]:
    rows = []
    for post, factor, unit, quantity, uncertainty, years in PROFILE:
        # Each year 3 % less on average (sobriety plans), with ±10 % noise; some small services skip a post.
        if size < 0.5 and post in {"1.4", "3.5"}:
            continue
        value = quantity * size * (0.97**year_index) * rng.uniform(0.9, 1.1)
        rows.append(
            Activity(
                inventory=inventory,
                post=post,
                factor_id=factor,
                quantity=round(value, 2 if unit in {"kg", "t"} else 0),
                unit=unit,
                activity_uncertainty=uncertainty,
                amortization_years=years,
                label="Donnée de démonstration",
            )
        )
    return rows


@transaction.atomic
def load_demo(stdout=None) -> dict:
    rng = np.random.default_rng(SEED)
    base = services.ensure_starter_base()
    entities = _entities()
    created = 0
    for code, size in SIZES.items():
        for index, year in enumerate(YEARS):
            inventory, _ = Inventory.objects.get_or_create(
                entity=entities[code], year=year, defaults={"factor_base": base}
            )
            lines = _activities(inventory, size, index, rng)  # drawn every run so the sequence stays seeded
            if not inventory.activities.exists():
                Activity.objects.bulk_create(lines)
                created += len(lines)
    etat = entities["etat"]
    if etat.target_year is None:
        etat.target_reference_year, etat.target_year, etat.target_reduction = 2023, 2030, 0.30
        etat.save(update_fields=["target_reference_year", "target_year", "target_reduction"])
    for code, title, post, reduction, due in (
        ("prefecture-35", "Remplacer 10 véhicules thermiques par des véhicules électriques", "1.2", 18.0, 2026),
        ("prefecture-35", "Passer le chauffage de la cité administrative au réseau de chaleur", "1.1", 45.0, 2027),
        ("prefecture-35", "Visioconférence par défaut pour les réunions Rennes–Paris", "3.5", 6.5, 2026),
        ("ddtm-35", "Remplacer la climatisation R410A par une pompe à chaleur au R32", "1.4", 4.2, 2027),
    ):
        Action.objects.get_or_create(
            entity=entities[code], title=title, defaults={"post": post, "reduction_tco2e": reduction, "due_year": due}
        )
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=["agent-35", "agent-bretagne", "agent-national"])
    }
    reason = "Démonstration État bas carbone"
    if "agent-35" in users:
        grant_role(users["agent-35"], SERVICE, ROLE_CORRESPONDANT, ScopeLevel.DEPARTEMENT, "35", reason=reason)
    if "agent-bretagne" in users:
        grant_role(users["agent-bretagne"], SERVICE, ROLE_CORRESPONDANT, ScopeLevel.REGION, "53", reason=reason)
    if "agent-national" in users:
        grant_role(users["agent-national"], SERVICE, ROLE_CGDD, ScopeLevel.NATIONAL, "", reason=reason)
    if stdout is not None:
        stdout.write(f"État bas carbone : {len(entities)} entités, {created} données d'activité créées.")
    return {"entities": len(entities), "activities_created": created}
