"""PILOTE demo: eight priority policies of six ministries, their indicators, twelve months of values for
the 101 départements, météos and comments in several régions. Seeded and idempotent.

Figures are invented (realistic orders of magnitude, not official statistics). Roles go to the core
demo accounts: `agent-national` is a central agent of the Logement and Travail ministries,
`agent-bretagne` contributes for région 53 and `agent-35` for département 35.
"""

import random
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from communs.core.roles import grant_role
from communs.pilote import services, territories
from communs.pilote.models import (
    Chantier,
    Comment,
    ImportBatch,
    Indicator,
    Meteo,
    Ministere,
    Value,
    ValueHistory,
)

SEED = 20260
LATE_DEPARTEMENTS = {"973", "976"}
MINISTERES = {
    "LOG": "Ministère du Logement et de la Rénovation urbaine",
    "TRAV": "Ministère du Travail et de l'Emploi",
    "EDU": "Ministère de l'Éducation nationale",
    "SANTE": "Ministère de la Santé et de l'Accès aux soins",
    "TE": "Ministère de la Transition écologique",
    "AGRI": "Ministère de l'Agriculture et de la Souveraineté alimentaire",
}


@dataclass(frozen=True)
class DemoIndicator:
    code: str
    nom: str
    unite: str
    direction: str
    aggregation: str
    per_100k_start: float  # initial value per 100 000 inhabitants (sums) or the rate itself (means)
    per_100k_target: float
    entry: str = "central"
    cumulative: str = "none"
    weights: tuple[float, float, float] = (50, 50, 50)


@dataclass(frozen=True)
class DemoChantier:
    code: str
    nom: str
    ministere: str
    axe: str
    description: str
    indicators: tuple[DemoIndicator, ...]


CHANTIERS = (
    DemoChantier(
        "renovation-logements",
        "Rénovation énergétique des logements",
        "LOG",
        "Transition écologique",
        "Accélérer les rénovations d'ampleur et sortir les passoires thermiques du parc locatif.",
        (
            DemoIndicator(
                "renovations-ampleur",
                "Rénovations d'ampleur financées",
                "logements",
                "hausse",
                "sum",
                0,
                180,
                cumulative="since_start",
            ),
            DemoIndicator("passoires-louees", "Passoires thermiques louées", "logements", "baisse", "sum", 900, 500),
        ),
    ),
    DemoChantier(
        "logements-sociaux",
        "Production de logements sociaux",
        "LOG",
        "Logement",
        "Agréer et mettre en chantier des logements locatifs sociaux là où la demande est forte.",
        (
            DemoIndicator(
                "agrements-lls",
                "Logements sociaux agréés",
                "logements",
                "hausse",
                "sum",
                0,
                140,
                entry="local",
                cumulative="since_start",
            ),
        ),
    ),
    DemoChantier(
        "plein-emploi",
        "Plein emploi et insertion",
        "TRAV",
        "Travail",
        "Réduire le chômage de longue durée par l'accompagnement renforcé de France Travail.",
        (
            DemoIndicator(
                "demandeurs-longue-duree",
                "Demandeurs d'emploi de longue durée (cat. A, B, C)",
                "personnes",
                "baisse",
                "sum",
                1800,
                1400,
            ),
            DemoIndicator(
                "taux-retour-emploi",
                "Taux de retour à l'emploi à six mois",
                "%",
                "hausse",
                "mean",
                38,
                45,
                weights=(40, 40, 40),
            ),
        ),
    ),
    DemoChantier(
        "apprentissage",
        "Développement de l'apprentissage",
        "TRAV",
        "Travail",
        "Augmenter les entrées en apprentissage, en particulier au niveau CAP et bac professionnel.",
        (
            DemoIndicator(
                "contrats-apprentissage",
                "Contrats d'apprentissage signés",
                "contrats",
                "hausse",
                "sum",
                0,
                1200,
                cumulative="yearly",
            ),
        ),
    ),
    DemoChantier(
        "savoirs-fondamentaux",
        "Savoirs fondamentaux à l'école",
        "EDU",
        "Éducation",
        "Dédoublement des classes de grande section, CP et CE1 en éducation prioritaire et évaluations nationales.",
        (
            DemoIndicator(
                "classes-dedoublees",
                "Classes dédoublées en éducation prioritaire",
                "%",
                "hausse",
                "mean",
                70,
                100,
                entry="local",
            ),
            DemoIndicator("lecteurs-cp", "Élèves lecteurs en fin de CP", "%", "hausse", "mean", 72, 85),
        ),
    ),
    DemoChantier(
        "acces-soins",
        "Accès aux soins dans les territoires",
        "SANTE",
        "Santé",
        "Ouvrir des maisons de santé pluriprofessionnelles et réduire le nombre de patients sans médecin traitant.",
        (
            DemoIndicator(
                "maisons-sante",
                "Maisons de santé pluriprofessionnelles ouvertes",
                "structures",
                "hausse",
                "sum",
                3,
                5,
                entry="local",
            ),
            DemoIndicator(
                "patients-sans-mt", "Patients en ALD sans médecin traitant", "patients", "baisse", "sum", 700, 300
            ),
        ),
    ),
    DemoChantier(
        "bornes-recharge",
        "Déploiement des bornes de recharge",
        "TE",
        "Transition écologique",
        "Installer des points de recharge ouverts au public pour les véhicules électriques.",
        (
            DemoIndicator(
                "points-recharge", "Points de recharge ouverts au public", "points", "hausse", "sum", 120, 600
            ),
        ),
    ),
    DemoChantier(
        "agriculture-bio",
        "Agriculture biologique",
        "AGRI",
        "Souveraineté alimentaire",
        "Porter la part de la surface agricole utile en agriculture biologique vers 18 %.",
        (DemoIndicator("part-sau-bio", "Part de la SAU en agriculture biologique", "%", "hausse", "mean", 10, 18),),
    ),
)


def _months(today: date, count: int = 12) -> list[date]:
    """The last day of each of the `count` months before `today`'s month."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        next_month = date(year + (month == 12), month % 12 + 1, 1)
        months.append(date.fromordinal(next_month.toordinal() - 1))
    return sorted(months)


def _values_for(spec: DemoIndicator, rng: random.Random, months: list[date], today: date) -> list[tuple]:
    """(territory, date, metric, value) rows for every département."""
    rows = []
    start = date(today.year - 1, 1, 1)
    final = date(today.year + 1, 12, 31)
    annual = date(today.year, 12, 31)
    axis = territories.axis()
    for departement in (
        SimpleNamespace(code=code.split("-", 1)[1], population=axis.population[n])
        for n, code in enumerate(axis.codes[axis.dept_slice])
    ):
        territory = f"DEPT-{departement.code}"
        pace = rng.uniform(0.35, 1.15)  # some départements lag, some run ahead
        if spec.aggregation == "sum":
            scale = departement.population / 100_000
            vi = round(spec.per_100k_start * scale)
            vc = round(spec.per_100k_target * scale)
        else:
            vi = round(spec.per_100k_start + rng.uniform(-4, 4), 1)
            vc = spec.per_100k_target
        rows += [(territory, start, "vi", float(vi)), (territory, final, "vc", float(vc))]
        total_months = (final.year - start.year) * 12 + final.month - start.month
        if spec.cumulative == "yearly":
            rows.append((territory, annual, "vc", float(round((vc - vi) / 3))))
        elif spec.cumulative == "since_start":
            rows.append((territory, annual, "vc", float(round(vi + (vc - vi) * 24 / total_months))))
        else:
            rows.append((territory, annual, "vc", float(round(vi + (vc - vi) * 24 / total_months, 1))))
        for when in months:
            elapsed = (when.year - start.year) * 12 + when.month - start.month
            noise = rng.uniform(-0.04, 0.04)
            progress = max(0.0, min(1.2, pace * elapsed / total_months + noise))
            if spec.cumulative == "yearly":
                value = (vc - vi) / 3 * pace * when.month / 12 * (1 + noise)
            else:
                value = vi + (vc - vi) * progress
            if departement.code in LATE_DEPARTEMENTS and when == months[-1] and rng.random() < 0.5:
                continue  # late reporting: the last month is missing, aggregates fall back to the month before
            rows.append((territory, when, "va", float(round(value, 1 if spec.aggregation != "sum" else 0))))
    return rows


@transaction.atomic
def load_demo(today: date | None = None) -> dict:
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    User = get_user_model()
    accounts = {
        u.username: u
        for u in User.objects.filter(username__in=["agent-national", "agent-bretagne", "agent-35", "admin"])
    }
    author = accounts.get("agent-national") or accounts.get("admin")
    if author is None:
        author, _ = User.objects.get_or_create(username="pilote-demo", defaults={"first_name": "Démo"})

    ministeres = {}
    for code, nom in MINISTERES.items():
        ministeres[code], _ = Ministere.objects.update_or_create(code=code, defaults={"nom": nom})
    if "agent-national" in accounts:
        for code in ("LOG", "TRAV"):
            ministeres[code].agents.add(accounts["agent-national"])
    if "agent-bretagne" in accounts:
        grant_role(
            accounts["agent-bretagne"],
            "pilote",
            services.CONTRIBUTOR,
            "region",
            "53",
            reason="Compte de démonstration",
        )
    if "agent-35" in accounts:
        grant_role(
            accounts["agent-35"], "pilote", services.CONTRIBUTOR, "departement", "35", reason="Compte de démonstration"
        )

    months = _months(today)
    created_values = 0
    for spec in CHANTIERS:
        chantier, _ = Chantier.objects.update_or_create(
            code=spec.code,
            defaults={
                "nom": spec.nom,
                "ministere": ministeres[spec.ministere],
                "axe": spec.axe,
                "description": spec.description,
            },
        )
        if "agent-national" in accounts and spec.ministere in ("LOG", "TRAV"):
            chantier.responsables.add(accounts["agent-national"])
        for ind in spec.indicators:
            indicator, _ = Indicator.objects.update_or_create(
                code=ind.code,
                defaults={
                    "chantier": chantier,
                    "nom": ind.nom,
                    "unite": ind.unite,
                    "direction": ind.direction,
                    "aggregation": ind.aggregation,
                    "cumulative": ind.cumulative,
                    "entry": ind.entry,
                    "weight_nat": ind.weights[0],
                    "weight_reg": ind.weights[1],
                    "weight_dept": ind.weights[2],
                    "source": f"Système d'information — {MINISTERES[spec.ministere]}",
                    "methode": f"{ind.nom} ({ind.unite}), valeur mensuelle par département.",
                    "next_update": date(today.year, today.month, 1) if ind.code == "maisons-sante" else None,
                    "published": ind.entry == "central",
                },
            )
            rows = _values_for(ind, rng, months, today)
            if Value.objects.filter(indicator=indicator).exists():
                continue
            batch = ImportBatch.objects.create(
                file_name=f"{ind.code}-reprise.csv",
                mode=ImportBatch.Mode.ALL_OR_NOTHING,
                author=author,
                rows_total=len(rows),
                rows_imported=len(rows),
            )
            origin = f"import « {batch.file_name} » n° {batch.pk} (reprise de l'outil précédent)"
            values = [
                Value(
                    indicator=indicator,
                    date=when,
                    metric=metric,
                    value=value,
                    updated_by=author,
                    origin=origin,
                    batch=batch,
                    **services.territory_fields(territory),
                )
                for territory, when, metric, value in rows
            ]
            Value.objects.bulk_create(values, batch_size=2000)
            saved = Value.objects.filter(indicator=indicator).only("pk", "value")
            ValueHistory.objects.bulk_create(
                [
                    ValueHistory(value=v, previous=None, new=v.value, created=True, author=author, origin=origin)
                    for v in saved
                ],
                batch_size=2000,
            )
            created_values += len(values)

    _discussion(accounts, author, today)
    services.recompute_all(today)
    return {"chantiers": len(CHANTIERS), "values_created": created_values}


COMMENTS = (
    (
        "renovation-logements",
        "DEPT-35",
        "risques",
        "Délais d'instruction des dossiers MaPrimeRénov' allongés à 4 mois faute d'instructeurs.",
    ),
    (
        "renovation-logements",
        "DEPT-35",
        "solutions",
        "Renfort de deux instructeurs ANAH en janvier ; guichet France Rénov' itinérant.",
    ),
    (
        "renovation-logements",
        "DEPT-22",
        "donnees",
        "Le chiffre d'octobre ne compte pas les dossiers déposés en fin de mois ; correction proposée.",
    ),
    ("plein-emploi", "DEPT-31", "autres", "Forte dynamique de l'aéronautique : 600 recrutements annoncés."),
    ("plein-emploi", "DEPT-67", "risques", "Fermeture d'un site industriel à Haguenau : 350 emplois menacés."),
    (
        "savoirs-fondamentaux",
        "DEPT-13",
        "solutions",
        "Ouverture de 40 classes dédoublées supplémentaires à la rentrée.",
    ),
    ("acces-soins", "DEPT-58", "risques", "Départs en retraite de 12 médecins généralistes non remplacés."),
    ("bornes-recharge", "NAT-FR", "autres", "Appel à projets autoroutes clos : 95 % des aires équipées."),
    (
        "agriculture-bio",
        "DEPT-29",
        "donnees",
        "Les surfaces en conversion sont comptées à partir de la deuxième année.",
    ),
)
METEOS = (
    (
        "renovation-logements",
        "NAT-FR",
        "appuis",
        "Rythme des rénovations d'ampleur inférieur à la trajectoire ; renforts d'instruction demandés.",
    ),
    (
        "renovation-logements",
        "DEPT-35",
        "atteignable",
        "Objectif annuel atteignable si les renforts arrivent en janvier.",
    ),
    ("logements-sociaux", "NAT-FR", "compromis", "Hausse des coûts de construction : objectif 2026 hors d'atteinte."),
    ("plein-emploi", "NAT-FR", "atteignable", "Baisse continue du chômage de longue durée."),
    ("apprentissage", "NAT-FR", "securise", "Objectif annuel dépassé dans 11 régions sur 13."),
    ("savoirs-fondamentaux", "NAT-FR", "securise", "Dédoublement achevé en REP+."),
    ("acces-soins", "DEPT-58", "compromis", "Désertification médicale accélérée."),
    ("bornes-recharge", "NAT-FR", "atteignable", "Trajectoire tenue sur les grands axes, retard en zone rurale."),
)


def _discussion(accounts, author, today: date) -> None:
    period = today.replace(day=1)
    chantiers = {c.code: c for c in Chantier.objects.all()}
    commenter = accounts.get("agent-35") or author
    for code, territory, kind, text in COMMENTS:
        fields = services.territory_fields(territory)
        Comment.objects.get_or_create(
            chantier=chantiers[code],
            territory=fields["territory"],
            kind=kind,
            text=text,
            defaults={**fields, "period": period, "author": commenter if territory == "DEPT-35" else author},
        )
    for code, territory, meteo, synthese in METEOS:
        fields = services.territory_fields(territory)
        Meteo.objects.update_or_create(
            chantier=chantiers[code],
            territory=fields["territory"],
            period=period,
            defaults={**fields, "meteo": meteo, "synthese": synthese, "author": author},
        )
