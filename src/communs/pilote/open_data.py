"""PILOTE open data: the published progress figures as CSV, Parquet and DCAT metadata."""

import io
import json

from django.utils import timezone

from communs.core.downloads import csv_text
from communs.pilote.models import IndicatorResult
from communs.pilote.territories import territory_name

OPEN_DATA_COLUMNS = (
    "chantier",
    "chantier_nom",
    "ministere",
    "indicateur",
    "indicateur_nom",
    "unite",
    "sens",
    "niveau",
    "territoire",
    "territoire_nom",
    "valeur_initiale",
    "valeur_actuelle",
    "periode_valeur_actuelle",
    "valeur_cible",
    "taux_avancement",
    "taux_avancement_annuel",
    "source",
)


def open_data_metadata() -> dict:
    """DCAT-style description of the export (title, description, licence, date, source)."""
    return {
        "title": "PILOTE — indicateurs publiés des politiques prioritaires",
        "description": (
            "Valeurs initiales, actuelles et cibles et taux d'avancement des indicateurs publiés, par "
            "territoire (national, régional, départemental). Taux d'avancement = 100·(VA−VI)/(VC−VI), borné à "
            "[0, 100] ; les valeurs régionales et nationales non saisies sont agrégées des départements."
        ),
        "license": "Licence Ouverte / Open Licence 2.0 (Etalab)",
        "license_url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        "issued": timezone.now().isoformat(timespec="seconds"),
        "publisher": "Communs — PILOTE",
        "source": "Saisies et imports des administrations centrales et services déconcentrés (PILOTE)",
        "columns": list(OPEN_DATA_COLUMNS),
    }


def open_data_rows() -> list[dict]:
    rows = []
    results = IndicatorResult.objects.filter(indicator__published=True).select_related(
        "indicator__chantier__ministere"
    )
    for r in results.order_by("indicator__chantier__code", "indicator__code", "territory"):
        indicator = r.indicator
        rows.append(
            {
                "chantier": indicator.chantier.code,
                "chantier_nom": indicator.chantier.nom,
                "ministere": indicator.chantier.ministere.nom,
                "indicateur": indicator.code,
                "indicateur_nom": indicator.nom,
                "unite": indicator.unite,
                "sens": indicator.direction,
                "niveau": r.level,
                "territoire": r.territory,
                "territoire_nom": territory_name(r.territory),
                "valeur_initiale": r.vi,
                "valeur_actuelle": r.va,
                "periode_valeur_actuelle": r.period,
                "valeur_cible": r.vc,
                "taux_avancement": r.ta,
                "taux_avancement_annuel": r.ta_annual,
                "source": indicator.source,
            }
        )
    return rows


def open_data_csv() -> bytes:
    rows = ([row.get(column, "") for column in OPEN_DATA_COLUMNS] for row in open_data_rows())
    return csv_text(OPEN_DATA_COLUMNS, rows).encode("utf-8")


def open_data_parquet() -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = open_data_rows()
    numeric = {"valeur_initiale", "valeur_actuelle", "valeur_cible", "taux_avancement", "taux_avancement_annuel"}
    schema = pa.schema([(name, pa.float64() if name in numeric else pa.string()) for name in OPEN_DATA_COLUMNS])
    table = pa.Table.from_pylist(rows, schema=schema)
    table = table.replace_schema_metadata({"dcat": json.dumps(open_data_metadata(), ensure_ascii=False)})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()
