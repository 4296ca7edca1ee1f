"""Open data on publicly funded research: one row per project, public fields only.

No personal data: the principal investigator's name is not in the files (the public page shows it
only for programmes whose selection lists publish it). The Table Schema (Frictionless Data) below
describes the CSV and the Parquet file; the 360Giving JSON follows the 360Giving Data Standard's
grant fields (id, title, description, currency, amountAwarded, awardDate, recipient and funding
organisations, plannedDates).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

PUBLISHER = "Ministère de la Santé, DGOS, bureau de l'innovation et de la recherche clinique"
FUNDER_ID = "XI-SIRANO-DGOS"  # no org-id.guide list covers French ministries' directorates yet
GRANT_PREFIX = "360G-SIRANO-"

SCHEMA_FIELDS: list[dict] = [
    {
        "name": "identifiant",
        "type": "string",
        "title": "Identifiant normalisé du projet",
        "constraints": {"required": True, "unique": True, "pattern": "[A-Z-]+-20[0-9]{2}-[0-9]{4,6}"},
    },
    {"name": "programme", "type": "string", "title": "Programme (PHRC-N, PREPS…)", "constraints": {"required": True}},
    {
        "name": "annee_campagne",
        "type": "integer",
        "title": "Année de campagne",
        "constraints": {"required": True, "minimum": 2000, "maximum": 2099},
    },
    {"name": "numero", "type": "integer", "title": "Numéro dans la campagne", "constraints": {"minimum": 1}},
    {"name": "acronyme", "type": "string", "title": "Acronyme"},
    {"name": "titre", "type": "string", "title": "Titre"},
    {
        "name": "finess",
        "type": "string",
        "title": "FINESS de l'établissement coordonnateur",
        "constraints": {"pattern": "([0-9]{2}|2A|2B)[0-9]{7}"},
    },
    {"name": "etablissement", "type": "string", "title": "Établissement coordonnateur"},
    {"name": "commune_insee", "type": "string", "title": "Code INSEE de la commune de l'établissement"},
    {
        "name": "montant_attribue",
        "type": "number",
        "title": "Montant attribué (euros)",
        "constraints": {"required": True, "minimum": 0.01},
    },
    {"name": "montant_verse", "type": "number", "title": "Montant versé (euros)", "constraints": {"minimum": 0}},
    {"name": "tranches", "type": "integer", "title": "Nombre de tranches"},
    {"name": "tranches_versees", "type": "integer", "title": "Tranches versées"},
    {"name": "date_notification", "type": "date", "title": "Date de notification"},
    {"name": "registres", "type": "string", "title": "Identifiants de registre (séparés par « ; »)"},
    {"name": "date_resultats", "type": "date", "title": "Résultats publiés dans un registre le"},
    {"name": "dois", "type": "string", "title": "Publications (DOI, séparés par « ; »)"},
]
COLUMNS = [field["name"] for field in SCHEMA_FIELDS]
# Words that would reveal a column about a person; the tests check none of the columns has one.
PERSONAL_DATA_WORDS = ("investigateur", "nom", "prenom", "email", "courriel", "telephone", "naissance")


def table_schema() -> dict:
    return {"fields": SCHEMA_FIELDS, "primaryKey": ["identifiant"], "missingValues": [""]}


@dataclass(frozen=True)
class PublicProject:
    identifier: str
    programme: str
    year: int
    number: int
    acronym: str
    title: str
    finess: str
    establishment: str
    commune: str
    award: Decimal
    released: Decimal
    tranches: int
    tranches_paid: int
    notified_on: date | None
    registry_ids: tuple[str, ...]
    results_posted_on: date | None
    dois: tuple[str, ...]

    def row(self) -> list:
        return [
            self.identifier, self.programme, self.year, self.number, self.acronym, self.title, self.finess,
            self.establishment, self.commune, self.award, self.released, self.tranches, self.tranches_paid,
            self.notified_on, "; ".join(self.registry_ids), self.results_posted_on, "; ".join(self.dois),
        ]  # fmt: skip


def to_360giving(projects: list[PublicProject], programme_labels: dict[str, str]) -> dict:
    grants = []
    for project in projects:
        grant = {
            "id": f"{GRANT_PREFIX}{project.identifier}",
            "title": f"{project.acronym} — {project.title}" if project.acronym else project.title,
            "description": f"{programme_labels.get(project.programme, project.programme)}, campagne {project.year}.",
            "currency": "EUR",
            "amountAwarded": float(project.award),
            "amountDisbursed": float(project.released),
            "awardDate": (project.notified_on or date(project.year, 12, 31)).isoformat(),
            "recipientOrganization": [{"id": f"FR-FINESS-{project.finess}", "name": project.establishment}],
            "fundingOrganization": [{"id": FUNDER_ID, "name": PUBLISHER}],
            "grantProgramme": [{"code": project.programme, "title": programme_labels.get(project.programme, "")}],
        }
        if project.registry_ids:
            grant["relatedActivity"] = list(project.registry_ids)
        grants.append(grant)
    return {"grants": grants}
