"""What the dashboard, the printable report, the exports and the API show for one territory.

Pure assembly of the stored exposure and the engine's diagnosis into rows, bars and map cells;
views only pick the parameters from the request and render.
"""

from dataclasses import dataclass

from django.utils.safestring import mark_safe

from communs.core.charts import BarChart, Series
from communs.core.numbers import format_percent
from communs.estimaction.engine.diagnosis import diagnose, noise_sources
from communs.estimaction.engine.parameters import (
    AIR_PARAMETER_SETS,
    BANDS,
    INDICATORS,
    NATIONAL_REFERENCES,
    POLLUTANT_LABELS,
    SOURCE_LABELS,
    THRESHOLD_LABELS,
    THRESHOLDS,
    band_labels,
)
from communs.estimaction.models import DatasetKind, TerritoryLevel, TerritoryResult

INDICATOR_LABELS = {"lden": "Lden (jour-soir-nuit)", "lnight": "Lnight (nuit)"}
DATASET_LABELS = dict(DatasetKind.choices)
# Map colours per band (ColorBrewer YlOrRd, 5 classes), "no band" in light grey.
BAND_COLOURS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
NO_BAND_COLOUR = "#d9d9d9"


@dataclass(frozen=True)
class Options:
    parameters: str = "spf2021"
    thresholds: str = "who"
    ihd_incidence: float | None = None
    monte_carlo: int = 0

    @classmethod
    def parse(cls, query) -> "Options":
        parameters = query.get("parametres", "spf2021")
        thresholds = query.get("seuils", "who")
        try:
            incidence = float(query.get("incidence")) if query.get("incidence") else None
        except ValueError:
            incidence = None
        return cls(
            parameters if parameters in AIR_PARAMETER_SETS else "spf2021",
            thresholds if thresholds in THRESHOLDS else "who",
            incidence if incidence is None or 0 <= incidence <= 100_000 else None,
            2000 if query.get("monte_carlo") in {"1", "on", "true"} else 0,
        )

    def as_query(self) -> dict:
        query = {"parametres": self.parameters, "seuils": self.thresholds}
        if self.ihd_incidence is not None:
            query["incidence"] = f"{self.ihd_incidence:g}"
        if self.monte_carlo:
            query["monte_carlo"] = "1"
        return query


def _band_table(indicator: str, exposure: dict, total: float, id_prefix: str, source_label: str = "") -> dict:
    rows = []
    bands = exposure.get(indicator, {})
    for index, label in enumerate(band_labels(indicator)):
        population = float(bands.get(label, 0.0))
        rows.append(
            {
                "label": label.replace(">=", "≥ ").replace("<", "< ") + " dB",
                "population": population,
                "share": population / total,
                "colour": NO_BAND_COLOUR if index == 0 else BAND_COLOURS[index - 1],
            }
        )
    title = f"{source_label[:1].upper()}{source_label[1:]} : population par bande, {INDICATOR_LABELS[indicator]}"
    chart = BarChart(
        title=title,
        categories=[row["label"] for row in rows],
        series=[
            Series(
                "Habitants",
                [row["population"] for row in rows],
                value_colours=[row["colour"] for row in rows],
            )
        ],
        x_label="Bande de bruit",
        y_label="Habitants",
        horizontal=True,
        table_extra=[("Part", [format_percent(row["share"] * 100) for row in rows])],
        caption="Couleurs des bandes comme sur la carte de bruit.",
        table_caption=f"Population exposée au bruit ({source_label}) par bande {INDICATOR_LABELS[indicator]}",
        chart_id=f"chart-{id_prefix}-{indicator}",
    )
    return {
        "indicator": indicator,
        "id": f"{id_prefix}-{indicator}",
        "label": INDICATOR_LABELS[indicator],
        "rows": rows,
        "chart": chart,
        "exceedance": float(exposure.get("exceedance", {}).get(indicator, 0.0)),
    }


def noise_stamp(result: TerritoryResult, source: str) -> dict:
    """The noise map a source's figures come from (results stored before the split keep one "bruit")."""
    return result.datasets.get(f"{DatasetKind.NOISE}:{source}") or result.datasets.get(DatasetKind.NOISE) or {}


def noise_blocks(result: TerritoryResult, figures: dict) -> list[dict]:
    """One block per noise source type: its map, its band tables, its impacts and thresholds."""
    total = result.total_population or 1
    blocks = []
    for source, exposure in noise_sources(result.exposure).items():
        blocks.append(
            {
                "source": source,
                "label": SOURCE_LABELS[source],
                "stamp": noise_stamp(result, source),
                "tables": [
                    _band_table(indicator, exposure, total, source, SOURCE_LABELS[source]) for indicator in INDICATORS
                ],
                "impacts": figures["noise"][source],
                "above": figures["above"][source],
            }
        )
    return blocks


def all_sources_exposed(result: TerritoryResult) -> dict | None:
    """With several source types: the population ≥ 55 dB Lden and ≥ 50 dB Lnight from at least one source
    (each place at its highest band, no energetic summation)."""
    if len(noise_sources(result.exposure)) < 2:
        return None
    total = result.total_population or 1
    figures = {}
    for indicator in INDICATORS:
        exposed = sum(v for k, v in result.exposure.get(indicator, {}).items() if not k.startswith("<"))
        figures[indicator] = {"population": exposed, "share": exposed / total}
    return figures


def map_cells(result: TerritoryResult, indicator: str = "lden", size: int = 560) -> dict:
    """Cells scaled into an SVG viewBox (north up), coloured by the highest band reached."""
    cells = result.cells
    if not cells:
        return {"cells": [], "size": size}
    column = 3 if indicator == "lden" else 4
    xs = [c[0] for c in cells]
    ys = [c[1] for c in cells]
    west, south = min(xs), min(ys)
    span = max(max(xs) - west, max(ys) - south) + 200
    scale = (size - 20) / span
    shapes = []
    for cell in cells:
        band = cell[column]
        shapes.append(
            {
                "x": round(10 + (cell[0] - west) * scale, 2),
                "y": round(10 + (south + span - 200 - cell[1]) * scale, 2),
                "w": round(max(200 * scale, 1), 2),
                "colour": BAND_COLOURS[band] if band >= 0 else NO_BAND_COLOUR,
                "band": BANDS[indicator][band].label if band >= 0 else "",
            }
        )
    legend = [{"label": f"< {BANDS[indicator][0].lower:g} dB", "colour": NO_BAND_COLOUR}] + [
        {"label": band.label.replace(">=", "≥ ") + " dB", "colour": BAND_COLOURS[i]}
        for i, band in enumerate(BANDS[indicator])
    ]
    exposed = sorted((c for c in cells if c[column] >= 0), key=lambda c: (-c[column], -c[2]))[:30]
    table = [
        {
            "id": f"N{int(c[1])} E{int(c[0])}",
            "population": c[2],
            "band": BANDS[indicator][c[column]].label,
            "pm25": c[5],
            "no2": c[6],
        }
        for c in exposed
    ]
    # One string rather than a template loop: thousands of <rect> render ten times faster this way.
    # Every value is a number or one of our colour constants, so nothing needs escaping.
    rects = "".join(
        f'<rect x="{s["x"]}" y="{s["y"]}" width="{s["w"]}" height="{s["w"]}" fill="{s["colour"]}"></rect>'
        for s in shapes
    )
    return {
        "cells": shapes,
        "rects": mark_safe(rects),  # noqa: S308 - numbers and constant colours only, see above
        "size": size,
        "legend": legend,
        "table": table,
        "truncated": result.cells_truncated,
    }


def dataset_label(key: str) -> str:
    """ "bruit:rail" → "Cartes de bruit stratégiques (CNIG), voie ferrée"."""
    kind, _, source = key.partition(":")
    label = DATASET_LABELS.get(kind, kind)
    return f"{label}, {SOURCE_LABELS.get(source, source)}" if source else label


def sources(result: TerritoryResult) -> list[dict]:
    return [{**stamp, "kind": key, "label": dataset_label(key)} for key, stamp in sorted(result.datasets.items())]


def comparison(result: TerritoryResult, figures: dict, departement: TerritoryResult | None, options: Options) -> list:
    """Rows territory / département / national for the shares the three share."""
    departement_figures = None
    if departement is not None and departement.pk != result.pk:
        departement_figures = diagnose(departement.exposure, departement.air, parameters=options.parameters)
    rows = []
    # The national reference is about road noise: compare road exposure only.
    road = noise_sources(result.exposure).get("road")
    for key, label in (("lden", "Population exposée au bruit routier ≥ 55 dB Lden"),):
        if road is None:
            break
        total = figures["total_population"] or 1
        exposed = sum(v for k, v in road.get(key, {}).items() if not k.startswith("<"))
        dep_share = None
        dep_road = noise_sources(departement.exposure).get("road") if departement_figures is not None else None
        if dep_road is not None:
            dep_total = departement.total_population or 1
            dep_exposed = sum(v for k, v in dep_road.get(key, {}).items() if not k.startswith("<"))
            dep_share = dep_exposed / dep_total
        rows.append(
            {
                "label": label,
                "territory": exposed / total,
                "departement": dep_share,
                "national": NATIONAL_REFERENCES[key],
            }
        )
    for pollutant in ("pm25", "no2"):
        if pollutant not in figures["air"]:
            continue
        dep_share = None
        if departement_figures is not None and pollutant in departement_figures["air"]:
            dep_share = departement_figures["air"][pollutant]["attributable_share"]
        rows.append(
            {
                "label": f"Part de la mortalité attribuable ({POLLUTANT_LABELS[pollutant]})",
                "territory": figures["air"][pollutant]["attributable_share"],
                "departement": dep_share,
                "national": NATIONAL_REFERENCES[pollutant],
            }
        )
    return rows


def build(result: TerritoryResult, options: Options, departement: TerritoryResult | None = None) -> dict:
    figures = diagnose(
        result.exposure,
        result.air,
        parameters=options.parameters,
        thresholds=options.thresholds,
        ihd_incidence_per_100k=options.ihd_incidence,
        monte_carlo=options.monte_carlo,
    )
    air_rows = [
        {"pollutant": pollutant, "label": POLLUTANT_LABELS[pollutant], **values}
        for pollutant, values in figures["air"].items()
    ]
    return {
        "result": result,
        "level_label": TerritoryLevel(result.level).label,
        "options": options,
        "figures": figures,
        "noise_blocks": noise_blocks(result, figures),
        "all_sources": all_sources_exposed(result),
        "air_rows": air_rows,
        "map": map_cells(result),
        "sources": sources(result),
        "comparison": comparison(result, figures, departement, options),
        "threshold_label": THRESHOLD_LABELS[options.thresholds],
        "parameter_sets": [(key, value.label) for key, value in AIR_PARAMETER_SETS.items()],
        "threshold_choices": list(THRESHOLD_LABELS.items()),
        "dataset_changes": [
            (dataset_label(key), change) for key, change in sorted(result.changes.get("datasets", {}).items())
        ],
        "last_checked": max((s["last_checked_at"] for s in sources(result)), default=None),
    }


def export_rows(context: dict) -> list[list]:
    """Flat rows for CSV and XLSX: section, indicator, label, value, unit, source."""
    result, figures = context["result"], context["figures"]
    rows = [["territoire", result.level, result.name, result.code, "", ""]]
    rows.append(["population", "", "population totale", round(result.total_population, 1), "habitants", ""])
    population_source = result.datasets.get("population", {})
    noise_rows = []
    impact_rows = []
    for block in context["noise_blocks"]:
        stamp = block["stamp"]
        noise_label = f"{stamp.get('producer', '')} {stamp.get('vintage', '')}".strip()
        for table in block["tables"]:
            for row in table["rows"]:
                noise_rows.append(
                    [
                        "exposition bruit",
                        f"{block['source']} {table['indicator']}",
                        row["label"],
                        round(row["population"], 1),
                        "habitants",
                        noise_label,
                    ]
                )
        impacts = block["impacts"]
        if "not_applicable" in impacts:
            impact_rows.append(["impacts bruit", block["source"], impacts["not_applicable"], None, "", noise_label])
            continue
        for key, label in (
            ("highly_annoyed", "personnes fortement gênées"),
            ("highly_sleep_disturbed", "personnes fortement perturbées dans leur sommeil"),
            ("ihd_attributable_cases", "cas de cardiopathie ischémique attribuables par an"),
            ("ihd_ci_low", "cas de cardiopathie ischémique, borne basse"),
            ("ihd_ci_high", "cas de cardiopathie ischémique, borne haute"),
            ("daly", "années de vie en bonne santé perdues (DALY)"),
        ):
            if key.startswith("ihd") and block["source"] != "road":
                continue  # Directive 2020/367 gives the IHD function for road traffic noise only
            impact_rows.append(
                [
                    "impacts bruit",
                    block["source"],
                    label,
                    round(impacts[key], 3),
                    "",
                    f"{figures['noise_version']} ; {noise_label}",
                ]
            )
    rows += noise_rows + impact_rows
    for air in context["air_rows"]:
        for key, label in (
            ("population_weighted_concentration", "concentration moyenne pondérée par la population"),
            ("attributable_deaths", "décès attribuables par an"),
            ("ci_low", "décès attribuables, borne basse"),
            ("ci_high", "décès attribuables, borne haute"),
            ("years_of_life_lost", "années de vie perdues"),
        ):
            value = air.get(key)
            rows.append(
                [
                    "impacts air",
                    air["pollutant"],
                    label,
                    None if value is None else round(value, 3),
                    "µg/m³" if key.startswith("population_weighted") else "",
                    figures["parameters"]["version"],
                ]
            )
    for kind, stamp in sorted(result.datasets.items()):
        rows.append(
            [
                "source",
                kind,
                stamp.get("name", ""),
                stamp.get("vintage", ""),
                stamp.get("producer", ""),
                f"vérifié le {stamp.get('last_checked_at', '')[:10]}",
            ]
        )
    rows.append(["calcul", "", "calculé le", result.computed_at.isoformat(), "", population_source.get("file", "")])
    return rows
