"""Inondata demo: the seeded synthetic valley (river, levee, basin, village) and two scenarios.

Idempotent: the demo files are regenerated only when missing (seeded: identical bytes), the two
scenarios are looked up by name and computed only when not yet computed. Both are public and
labelled synthetic. The agents of the demo get the Inondata role on their territory.
"""

from django.contrib.auth import get_user_model

from communs.core.models import ScopeLevel
from communs.core.roles import grant_role
from communs.inondata import services
from communs.inondata.engine.synthetic import HYDROGRAPH, hydrograph_csv
from communs.inondata.models import Scenario, ScenarioStatus, SeedSource, TerrainSource

AGENTS = [("agent-national", ScopeLevel.NATIONAL, ""), ("agent-35", ScopeLevel.DEPARTEMENT, "35")]
SCENARIOS = [
    ("Vallée de démonstration — crue moyenne (synthétique)", HYDROGRAPH, 4),
    (
        "Vallée de démonstration — crue forte (synthétique)",
        tuple((t, round(level + 0.6, 2)) for t, level in HYDROGRAPH),
        4,
    ),
]


def load_demo(stdout=None) -> dict:
    users = get_user_model().objects
    for username, level, code in AGENTS:
        user = users.filter(username=username).first()
        if user is not None:
            grant_role(user, "inondata", "agent", level, code, reason="Compte de démonstration")
    computed = 0
    for name, rows, connectivity in SCENARIOS:
        scenario, _ = Scenario.objects.get_or_create(
            name=name,
            defaults={
                "description": "Vallée synthétique générée par un code à graine fixe : rivière, digue, "
                "cuvette derrière la digue et village. Ce ne sont pas des données réelles.",
                "terrain_source": TerrainSource.DEMO,
                "seed_source": SeedSource.DEMO,
                "hydrograph": hydrograph_csv(rows),
                "connectivity": connectivity,
                "is_public": True,
            },
        )
        if scenario.status != ScenarioStatus.DONE or services.output_file(scenario, "resume.json") is None:
            services.run_scenario(scenario.pk)
            computed += 1
    if stdout is not None:
        stdout.write(f"Inondata : {len(SCENARIOS)} scénario(s) de démonstration, {computed} calculé(s).")
    return {"computed": computed}
