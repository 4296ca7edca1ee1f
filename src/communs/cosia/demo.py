"""CoSIA demo: a seeded synthetic town near Rennes in two vintages, its outline, roles and use cases.

Idempotent: the rasters are deterministic (same seed → same bytes → same SHA-256), so a second
run regenerates nothing and ingests nothing; zones, roles and use cases are looked up before
being created. The rasters are synthetic and are labelled as such everywhere.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from communs.core.models import Job, JobState, ScopeLevel
from communs.core.roles import grant_role
from communs.cosia import selectors, services
from communs.cosia.engine.synthetic import demo_dataset
from communs.cosia.models import UseCase, UseCaseStatus

DEMO_SEED = 2024
DEMO_DEPARTEMENT = "35"
DEMO_COMMUNE = "35238"  # Rennes: the demo rasters lie inside it
MODERATORS = [("agent-national", ScopeLevel.NATIONAL, ""), ("agent-35", ScopeLevel.DEPARTEMENT, "35")]
USE_CASES = [
    {
        "title": "Mesurer l'imperméabilisation des cours d'école",
        "territory_label": "Commune de démonstration",
        "theme": "nature_en_ville",
        "description": (
            "La commune compare chaque millésime la part de zones imperméables et de pelouse dans les cours "
            "d'école, pour prioriser les projets de désimperméabilisation et de cours « oasis »."
        ),
        "data_used": "CoSIA 2021 et 2024 ; contours des parcelles scolaires",
        "links": "https://cosia.ign.fr/",
        "status": UseCaseStatus.PUBLISHED,
    },
    {
        "title": "Suivre la consommation d'espaces agricoles autour du bourg",
        "territory_label": "Ille-et-Vilaine",
        "theme": "artificialisation",
        "description": (
            "La matrice de changement entre deux millésimes repère les parcelles de culture devenues bâties, "
            "en complément de l'OCS GE pour le suivi de la trajectoire « zéro artificialisation nette »."
        ),
        "data_used": "CoSIA (matrice de changement), OCS GE",
        "links": "",
        "status": UseCaseStatus.PUBLISHED,
    },
    {
        "title": "Cartographier les haies bocagères",
        "territory_label": "Ille-et-Vilaine",
        "theme": "trame_verte",
        "description": "Extraction de la classe Feuillu en GeoPackage pour repérer les haies et leurs ruptures.",
        "data_used": "CoSIA, export GeoPackage avec surface minimale de 20 m²",
        "links": "",
        "status": UseCaseStatus.SUBMITTED,
    },
]


def load_demo(stdout=None) -> dict:
    source_dir = services.data_root() / "demo-source"
    rasters = {vintage: source_dir / f"cosia-demo-{vintage}.tif" for vintage in (2021, 2024)}
    outline = source_dir / "commune-demo.geojson"
    if not all(p.exists() for p in [*rasters.values(), outline]):
        demo_dataset(source_dir, seed=DEMO_SEED)
    created = 0
    for vintage, path in rasters.items():
        created += services.ingest_rasters([path], departement=DEMO_DEPARTEMENT, vintage=vintage)["created"]
    services.save_zone(
        "demo",
        "Commune de démonstration (synthétique)",
        Path(outline).read_text(encoding="utf-8"),
        departement=DEMO_DEPARTEMENT,
        source="communs cosia demo-data (graine 2024)",
    )
    users = get_user_model().objects
    with transaction.atomic():
        for username, level, code in MODERATORS:
            user = users.filter(username=username).first()
            if user is not None:
                grant_role(user, "cosia", "moderateur", level, code, reason="Compte de démonstration")
        author = users.filter(username="agent-rennes").first()
        for case in USE_CASES:
            UseCase.objects.get_or_create(
                title=case["title"], defaults={**case, "author": author, "departement": DEMO_DEPARTEMENT}
            )
    _demo_commune_statistics()
    if stdout is not None:
        stdout.write(f"CoSIA : {created} dalle(s) ingérée(s), zone « demo », {len(USE_CASES)} cas d'usage.")
    return {"created": created}


def _demo_commune_statistics() -> int:
    """Rennes' statistics for its territory page, once its contour is imported (`communs territoires
    contours`): one `cosia.stats` job per vintage, queued once (the page reads their stored result)."""
    if selectors.get_contour(DEMO_COMMUNE) is None:
        return 0
    done = {
        job.params.get("vintage")
        for job in Job.objects.filter(kind="cosia.stats", params__territory=DEMO_COMMUNE).exclude(
            state=JobState.FAILED
        )
    }
    territory = services.resolve_territory(DEMO_COMMUNE)
    missing = [vintage for vintage in selectors.vintages() if vintage not in done]
    for vintage in missing:
        services.start_statistics(territory, vintage)
    return len(missing)
