"""Écosphères demo: a harvested catalogue from the files of `demo_data/` (a DCAT catalogue of a DREAL,
the national udata portal's datasets and topics), and two bouquets: ZAN on Rennes Métropole, plan
climat on Ille-et-Vilaine. Idempotent: harvesting again changes nothing, bouquets are kept."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from communs.core.models import ScopeLevel
from communs.core.roles import grant_role
from communs.ecospheres import services
from communs.ecospheres.engine import bouquets as rules
from communs.ecospheres.models import Bouquet, Dataset, HarvestRun, HarvestSource

DATA = Path(__file__).resolve().parent / "demo_data"

BOUQUETS = [
    {
        "title": "Zéro artificialisation nette",
        "use_case": "Suivre la trajectoire ZAN et la sobriété foncière",
        "level": "epci",
        "code": "243500139",
        "themes": ["Urbanisme et aménagement"],
        "groups": {
            "Mesurer la consommation d'espaces": [
                (
                    "Consommation d'espaces naturels, agricoles et forestiers",
                    "Flux annuels NAF depuis 2011",
                    rules.AVAILABLE,
                ),
                (
                    "Occupation du sol à grande échelle (OCS GE)",
                    "Artificialisation au sens de la loi Climat et résilience",
                    rules.AVAILABLE,
                ),
                ("Fichiers fonciers (agrégats communaux)", "Surfaces bâties et vacance", rules.LINK_ONLY),
            ],
            "Identifier le foncier mobilisable": [
                ("Friches (Cartofriches)", "Repérer les friches à reconvertir", rules.AVAILABLE),
                ("Dents creuses et gisements fonciers", "Densifier sans étendre la ville", rules.MISSING),
            ],
            "Documents d'urbanisme": [
                (
                    "Plan local d'urbanisme intercommunal de Rennes Métropole",
                    "Zonage et prescriptions",
                    rules.AVAILABLE,
                ),
                (
                    "Schéma de cohérence territoriale du Pays de Rennes",
                    "Objectifs chiffrés de sobriété",
                    rules.NOT_AVAILABLE,
                ),
            ],
        },
    },
    {
        "title": "Plan climat-air-énergie",
        "use_case": "Élaborer et suivre le PCAET",
        "level": "departement",
        "code": "35",
        "themes": ["Climat et énergie"],
        "groups": {
            "Diagnostic": [
                ("Émissions de gaz à effet de serre par commune", "Bilan des émissions par secteur", rules.AVAILABLE),
                ("Consommations d'énergie par secteur", "Bilan énergétique", rules.AVAILABLE),
                ("Qualité de l'air : concentrations annuelles", "Volet air du PCAET", rules.AVAILABLE),
                ("Séquestration carbone des sols et forêts", "Estimer les puits de carbone", rules.MISSING),
            ],
            "Adaptation": [
                ("Projections climatiques DRIAS", "Anticiper les effets du changement climatique", rules.LINK_ONLY),
                ("Îlots de chaleur urbains", "Adapter la ville aux fortes chaleurs", rules.AVAILABLE),
                ("Zones inondables (atlas des zones inondables)", "Risque d'inondation", rules.AVAILABLE),
            ],
        },
    },
]


def _user():
    user = get_user_model().objects.filter(username="agent-35").first()
    if user is None:
        user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    return user


def load_demo(stdout=None) -> dict:
    with services.seeding():
        return _load(stdout)


def _load(stdout=None) -> dict:
    reports = []
    for name, kind, url in (
        ("DREAL Bretagne (DCAT)", "dcat", DATA / "dreal-bretagne.ttl"),
        ("data.gouv.fr (udata)", "udata", DATA),
    ):
        source = HarvestSource.objects.filter(name=name).first() or services.add_source(
            None, name=name, kind=kind, url=str(url)
        )
        if source.runs.filter(status=HarvestRun.Status.SUCCEEDED).exists():
            continue  # idempotent: a second `communs demo` writes nothing
        reports.append(services.run_harvest(source))
    editor = _user()
    created = 0
    if editor is not None:
        grant_role(editor, services.SERVICE, services.EDITOR, ScopeLevel.DEPARTEMENT, "35")
        admin = get_user_model().objects.filter(username="admin").first()
        if admin is not None:
            grant_role(admin, services.SERVICE, services.ADMIN, ScopeLevel.NATIONAL)
        for spec in BOUQUETS:
            if Bouquet.objects.filter(title=spec["title"], territory_ref=spec["code"]).exists():
                continue
            with transaction.atomic():
                bouquet = services.create_bouquet(
                    editor,
                    title=spec["title"],
                    use_case=spec["use_case"],
                    level=spec["level"],
                    code=spec["code"],
                    themes=spec["themes"],
                )
                for name, items in spec["groups"].items():
                    group = services.add_group(editor, bouquet, name)
                    for title, purpose, availability in items:
                        dataset = Dataset.objects.filter(title=title, live=True).order_by("pk").first()
                        services.add_item(
                            editor,
                            bouquet,
                            title=title,
                            purpose=purpose,
                            availability=availability,
                            dataset=dataset if availability != rules.MISSING else None,
                            group=group,
                        )
                services.set_status(editor, bouquet, Bouquet.Status.PUBLISHED)
                created += 1
    if stdout is not None:
        stdout.write(f"Écosphères : {Dataset.objects.filter(live=True).count()} jeux, {created} bouquet(s) créé(s).")
    return {"reports": reports, "bouquets": created}
