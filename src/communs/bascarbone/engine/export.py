"""The regulatory BEGES table of one node, as rows, CSV and XLSX (for upload to bilans-ges).

One row per post of method v5 (all 22, empty posts at zero, as the regulatory table lists every
post), then one subtotal per category and the total: CO2, CH4, N2O, other gases, total (tCO2e),
biogenic CO2 apart (tCO2), and the approach-1 uncertainty (± tCO2e, 95 % half-width). The GWP set
and the factor base version are written in every CSV row and on the XLSX metadata sheet, so the
file says which values it was computed with.
"""

import csv
import io

from communs.bascarbone.engine.beges import CATEGORIES, POST_BY_CODE
from communs.bascarbone.engine.inventory import NodeResult
from communs.guards.cells import safe_row

COLUMNS = (
    ("niveau", "Niveau"),
    ("code", "Poste"),
    ("libelle", "Libellé"),
    ("co2_t", "CO2 (t)"),
    ("ch4_tco2e", "CH4 (tCO2e)"),
    ("n2o_tco2e", "N2O (tCO2e)"),
    ("autres_gaz_tco2e", "Autres gaz (tCO2e)"),
    ("total_tco2e", "Total (tCO2e)"),
    ("co2b_t", "CO2 biogénique (t)"),
    ("incertitude_tco2e", "Incertitude ± (tCO2e, 95 %)"),
)


def _t(kg: float) -> float:
    return round(kg / 1000, 6)


def beges_rows(node: NodeResult) -> list[dict]:
    posts = node.posts(with_empty=True)
    rows = []
    for category in CATEGORIES:
        subtotal = {"co2": 0.0, "ch4": 0.0, "n2o": 0.0, "other": 0.0, "total": 0.0, "co2b": 0.0, "var": 0.0}
        for code, post in posts.items():
            if POST_BY_CODE[code].category != category.code:
                continue
            rows.append(
                {
                    "niveau": "poste",
                    "code": code,
                    "libelle": POST_BY_CODE[code].label,
                    "co2_t": _t(post["co2_kg"]),
                    "ch4_tco2e": _t(post["ch4_kg"]),
                    "n2o_tco2e": _t(post["n2o_kg"]),
                    "autres_gaz_tco2e": _t(post["other_kg"]),
                    "total_tco2e": _t(post["total_kg"]),
                    "co2b_t": _t(post["co2b_kg"]),
                    "incertitude_tco2e": _t(post["uncertainty_kg"]),
                }
            )
            for key in ("co2", "ch4", "n2o", "other", "total", "co2b"):
                subtotal[key] += post[f"{key}_kg"]
        rows.append(
            {
                "niveau": "catégorie",
                "code": category.code,
                "libelle": category.label,
                "co2_t": _t(subtotal["co2"]),
                "ch4_tco2e": _t(subtotal["ch4"]),
                "n2o_tco2e": _t(subtotal["n2o"]),
                "autres_gaz_tco2e": _t(subtotal["other"]),
                "total_tco2e": _t(subtotal["total"]),
                "co2b_t": _t(subtotal["co2b"]),
                # Category uncertainty is not the quadratic sum of its posts (shared factors): left empty.
                "incertitude_tco2e": None,
            }
        )
    gases = node.post_gases.sum(axis=0)
    rows.append(
        {
            "niveau": "total",
            "code": "",
            "libelle": "Total des émissions",
            "co2_t": _t(gases[0]),
            "ch4_tco2e": _t(gases[1]),
            "n2o_tco2e": _t(gases[2]),
            "autres_gaz_tco2e": _t(gases[3]),
            "total_tco2e": _t(node.total_kg),
            "co2b_t": _t(node.co2b_kg),
            "incertitude_tco2e": _t(node.uncertainty_kg),
        }
    )
    return rows


def to_csv(node: NodeResult, *, entity: str, year: int | str, gwp_set: str, factor_version: str) -> bytes:
    """`;`-separated UTF-8 (with BOM, so Excel opens accents right), decimal point."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["entite", "annee", "jeu_prg", "version_facteurs", *(key for key, _ in COLUMNS)])
    for row in beges_rows(node):
        writer.writerow(
            safe_row(
                [entity, year, gwp_set, factor_version, *("" if row[key] is None else row[key] for key, _ in COLUMNS)]
            )
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(node: NodeResult, *, entity: str, year: int | str, gwp_set: str, factor_version: str) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "BEGES"
    sheet.append(safe_row([f"Bilan des émissions de gaz à effet de serre – {entity} – {year}"]))
    sheet["A1"].font = Font(bold=True)
    sheet.append(safe_row([f"Jeu de PRG : {gwp_set}", f"Facteurs : {factor_version}"]))
    sheet.append([])
    sheet.append([label for _, label in COLUMNS])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in beges_rows(node):
        sheet.append(safe_row(row[key] for key, _ in COLUMNS))
    meta = workbook.create_sheet("Métadonnées")
    for key, value in (
        ("Entité", entity),
        ("Année", year),
        ("Méthode", "BEGES v5 (2022)"),
        ("Jeu de PRG", gwp_set),
        ("Version des facteurs", factor_version),
        (
            "Incertitude",
            "Demi-largeur de l'intervalle de confiance à 95 % (GIEC approche 1, facteurs partagés corrélés)",
        ),
        ("CO2 biogénique", "Déclaré à part, exclu du total"),
    ):
        meta.append(safe_row([key, value]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _node_summary(node: NodeResult) -> dict:
    summary = {
        "name": node.name,
        "total_tco2e": _t(node.total_kg),
        "uncertainty_tco2e": _t(node.uncertainty_kg),
        "co2b_t": _t(node.co2b_kg),
        "completeness": node.completeness(),
    }
    if node.monte_carlo is not None:
        summary["monte_carlo_uncertainty_tco2e"] = _t(node.monte_carlo.uncertainty_kg)
    return summary


def summary(result) -> dict:
    """The JSON document of `communs bascarbone compute` (tonnes CO2e, uncertainties as 95 % half-widths)."""
    total = result.total
    document = {
        "total_tco2e": _t(total.total_kg),
        "uncertainty_tco2e": _t(total.uncertainty_kg),
        "co2b_t": _t(total.co2b_kg),
        "gwp_set": result.gwp_set,
        "factor_version": result.factor_version,
        "posts": {code: _t(post["total_kg"]) for code, post in total.posts().items()},
        "posts_detail": {
            code: {key.replace("_kg", "_t"): _t(value) for key, value in post.items()}
            for code, post in total.posts().items()
        },
        "categories": {code: _t(value) for code, value in total.categories().items()},
        "completeness": total.completeness(),
        "entities": {node_id: _node_summary(node) for node_id, node in result.nodes.items()},
    }
    if total.monte_carlo is not None:
        mc = total.monte_carlo
        document["monte_carlo"] = {
            "draws": mc.draws,
            "mean_tco2e": _t(mc.mean_kg),
            "p2_5_tco2e": _t(mc.p025_kg),
            "p97_5_tco2e": _t(mc.p975_kg),
            "uncertainty_tco2e": _t(mc.uncertainty_kg),
        }
    return document
