"""`communs estimaction exposure | impacts | import | compute | recompute`.

`exposure` and `impacts` run on files only (no database needed unless `--territory CODE`);
`import`, `compute` and `recompute` work on the datasets and results stored by the service.
Conventions of `communs.core.cli`: `--json` prints one JSON document on stdout.
"""

import json as jsonlib
from pathlib import Path
from typing import Annotated

import numpy as np
import shapely
import typer
from django_typer.management import TyperCommand, command
from pyproj import Transformer

from communs.core.cli import EXIT_NOT_FOUND, fail, print_json, progress_bar, stderr
from communs.estimaction import selectors, services
from communs.estimaction.engine.air import AirFileError, read_air_csv
from communs.estimaction.engine.exposure import compute_exposure, select_communes
from communs.estimaction.engine.exposure_table import ExposureFileError, read_exposure_csv
from communs.estimaction.engine.grid import GridFileError, read_population_grid
from communs.estimaction.engine.impacts import AirRows, air_impact, noise_impacts
from communs.estimaction.engine.noise_zones import NoiseFileError, NoiseZones, read_noise_zones
from communs.estimaction.engine.parameters import (
    AIR_PARAMETER_SETS,
    NO_ERF_REASON,
    PARAMETER_ALIASES,
    POLLUTANTS,
    SOURCE_LABELS,
    SOURCE_TYPES,
    SOURCES_WITH_ERF,
)
from communs.estimaction.models import DatasetKind


def _territory_polygon(path: Path) -> shapely.Geometry:
    """A GeoJSON file (Feature, FeatureCollection or geometry) in EPSG:4326 → one polygon in EPSG:3035."""
    try:
        document = jsonlib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        fail(f"{path.name} : GeoJSON illisible ({exc})")
    features = document.get("features") or [document]
    shapes = [shapely.from_geojson(jsonlib.dumps(f.get("geometry", f))) for f in features]
    union = shapely.union_all(shapes)
    to_laea = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)
    return shapely.transform(union, lambda xy: np.column_stack(to_laea.transform(xy[:, 0], xy[:, 1])))


class Command(TyperCommand):
    help = "Estim'Action : exposition au bruit et à l'air, impacts sanitaires."

    @command(help="Population par bande de bruit (Lden, Lnight) à partir d'une grille et de zones de bruit.")
    def exposure(
        self,
        population: Annotated[Path, typer.Option("--population", help="Grille Filosofi (CSV ou GeoPackage).")],
        noise: Annotated[
            list[Path],
            typer.Option(
                "--noise",
                help="Zones de bruit CNIG (GeoPackage ou Shapefile) ; répétable, une carte par type de source.",
            ),
        ],
        territory: Annotated[
            str | None, typer.Option("--territory", help="Code INSEE/SIREN du territoire ou fichier GeoJSON.")
        ] = None,
        json: Annotated[bool, typer.Option("--json", help="Affiche le résultat en JSON.")] = False,
    ):
        try:
            grid = read_population_grid(population)
            zones = NoiseZones.concatenate([read_noise_zones(path) for path in noise])
        except (GridFileError, NoiseFileError) as exc:
            fail(str(exc))
        shape = None
        if territory:
            if territory.lower().endswith((".geojson", ".json")):
                shape = _territory_polygon(Path(territory))
            else:
                level = selectors.level_of_code(territory)
                communes = {c for c, _ in selectors.territory_communes(level, territory.upper())} if level else set()
                if not communes:
                    fail(f"Territoire « {territory} » inconnu du référentiel.", EXIT_NOT_FOUND)
                try:
                    grid = select_communes(grid, communes)
                except ValueError as exc:
                    fail(f"{population.name} : {exc}")
        result = compute_exposure(grid, zones, shape)
        payload = result.as_dict()
        if json:
            print_json(payload)
            return
        for source, figures in payload["sources"].items():
            for indicator in ("lden", "lnight"):
                bands = "  ".join(f"{label} {value:,.0f}" for label, value in figures[indicator].items())
                self.stdout.write(f"{SOURCE_LABELS[source]:<12} {indicator:<7} {bands}")
        self.stdout.write(f"population totale {payload['total_population']:,.0f}")

    @command(help="Impacts sanitaires à partir d'une exposition par bande (et d'une exposition à l'air).")
    def impacts(
        self,
        exposure: Annotated[
            Path,
            typer.Option(
                "--exposure", help="EXPOSURE.csv : indicator,band,population[,source] (source : road par défaut)."
            ),
        ],
        air: Annotated[
            Path | None,
            typer.Option("--air", help="AIR.csv : pollutant,concentration,population,baseline_death_rate."),
        ] = None,
        parameters: Annotated[
            str, typer.Option("--parameters", help="Jeu de paramètres air : spf2021, who2021 (alias who2018).")
        ] = "spf2021",
        ihd_incidence: Annotated[
            float | None, typer.Option("--ihd-incidence", min=0, help="Incidence des cardiopathies pour 100 000.")
        ] = None,
        monte_carlo: Annotated[int, typer.Option("--monte-carlo", min=0, help="Nombre de tirages (0 : aucun).")] = 0,
        json: Annotated[bool, typer.Option("--json", help="Affiche le résultat en JSON.")] = False,
    ):
        key = PARAMETER_ALIASES.get(parameters.lower())
        if key is None:
            fail(f"--parameters « {parameters} » inconnu (attendu : {', '.join(PARAMETER_ALIASES)}).")
        try:
            bands = read_exposure_csv(exposure)
            table = read_air_csv(air) if air else None
        except (ExposureFileError, AirFileError) as exc:
            fail(str(exc))
        by_source = {}
        for source, indicators in bands.items():
            if source not in SOURCES_WITH_ERF:
                by_source[source] = {"source_type": source, "not_applicable": NO_ERF_REASON[source]}
                continue
            lden, lnight = indicators.get("lden"), indicators.get("lnight")
            # Each source's rows cover the whole population ("below the first band" included).
            total = sum((lden or lnight or {}).values())
            noise = noise_impacts(
                lden, lnight, total_population=total, ihd_incidence_per_100k=ihd_incidence, source_type=source
            )
            by_source[source] = {
                "source_type": source,
                "highly_annoyed": noise.highly_annoyed,
                "highly_sleep_disturbed": noise.highly_sleep_disturbed,
                "ihd_attributable_cases": noise.ihd_attributable_cases,
                "ihd_paf": noise.ihd_paf,
                "daly": noise.daly,
                "out_of_validity": noise.out_of_validity,
            }
        # `noise` keeps the documented shape: the road figures (the file's first source with a curve when
        # it has no road rows); every source is in `noise_by_source`, never summed.
        first = next((by_source[s] for s in SOURCES_WITH_ERF if s in by_source), None)
        payload = {
            "noise": first or {},
            "noise_by_source": by_source,
            "air": {},
            "parameters": AIR_PARAMETER_SETS[key].version,
        }
        if table is not None:
            for pollutant in POLLUTANTS:
                mask = table.pollutant == pollutant
                if not mask.any():
                    continue
                rows = AirRows.of(table.concentration[mask], table.population[mask], table.baseline_death_rate[mask])
                impact = air_impact(rows, AIR_PARAMETER_SETS[key].crfs[pollutant], monte_carlo=monte_carlo)
                payload["air"][pollutant] = {
                    "attributable_deaths": impact.attributable_deaths,
                    "ci_low": impact.ci_low,
                    "ci_high": impact.ci_high,
                    **({"monte_carlo": impact.monte_carlo} if impact.monte_carlo else {}),
                }
        if json:
            print_json(payload)
            return
        for source, figures in payload["noise_by_source"].items():
            if "not_applicable" in figures:
                self.stdout.write(f"Bruit {SOURCE_LABELS[source]} : {figures['not_applicable']}")
                continue
            self.stdout.write(
                f"Bruit {SOURCE_LABELS[source]} : {figures['highly_annoyed']:,.1f} fortement gênés, "
                f"{figures['highly_sleep_disturbed']:,.1f} fortement perturbés dans leur sommeil, "
                f"{figures['ihd_attributable_cases']:,.2f} cas de cardiopathie/an, DALY {figures['daly']:,.2f}"
            )
        for pollutant, values in payload["air"].items():
            self.stdout.write(
                f"{pollutant} : {values['attributable_deaths']:,.2f} décès/an "
                f"[{values['ci_low']:,.2f} – {values['ci_high']:,.2f}]"
            )

    @command(name="import", help="Importe un jeu de données (nouveau millésime) ; le précédent est marqué remplacé.")
    def import_dataset(
        self,
        file: Annotated[Path, typer.Argument(help="Fichier (CSV/GeoPackage, GeoPackage/Shapefile, GeoTIFF/NetCDF).")],
        kind: Annotated[str, typer.Option("--kind", help="population, bruit, pm25 ou no2.")],
        producer: Annotated[str, typer.Option("--producer", help="Producteur (INSEE, Cerema, Atmo…).")],
        vintage: Annotated[int, typer.Option("--vintage", help="Millésime (année).")],
        coverage: Annotated[str, typer.Option("--coverage", help="Couverture, par exemple « Ille-et-Vilaine (35) ».")],
        name: Annotated[str | None, typer.Option("--name", help="Nom affiché.")] = None,
        source: Annotated[
            str | None,
            typer.Option(
                "--source",
                help="Bruit : type de source de la carte (road, rail, aircraft, industry) si TYPESOURCE est absent.",
            ),
        ] = None,
        recompute: Annotated[bool, typer.Option("--recompute", help="Recalcule ensuite les territoires.")] = False,
        json: Annotated[bool, typer.Option("--json", help="Affiche le bilan en JSON.")] = False,
    ):
        if kind not in DatasetKind.values:
            fail(f"--kind « {kind} » inconnu (attendu : {', '.join(DatasetKind.values)}).")
        if source is not None and source not in SOURCE_TYPES:
            fail(f"--source « {source} » inconnu (attendu : {', '.join(SOURCE_TYPES)}).")
        try:
            dataset = services.import_dataset(
                file,
                kind=kind,
                name=name or file.stem,
                producer=producer,
                vintage=vintage,
                coverage=coverage,
                source_type=source,
            )
            summary = {
                "dataset": dataset.pk,
                "kind": kind,
                "vintage": vintage,
                "features": dataset.features,
                "source_types": dataset.source_types,
            }
            if recompute:
                with progress_bar("Recalcul des territoires", enabled=not json) as advance:
                    summary.update(services.recompute_all(advance=advance))
        except services.DatasetError as exc:
            fail(str(exc))
        if json:
            print_json(summary)
            return
        self.stdout.write(self.style.SUCCESS(f"{dataset} importé ({dataset.features} entités)."))

    @command(help="Calcule l'exposition d'un territoire (commune, EPCI, département) avec les données en vigueur.")
    def compute(
        self,
        code: Annotated[str, typer.Argument(help="Code INSEE (commune, département) ou SIREN (EPCI).")],
        json: Annotated[bool, typer.Option("--json", help="Affiche l'exposition en JSON.")] = False,
    ):
        level = selectors.level_of_code(code)
        if level is None or selectors.territory_name(level, code.upper()) is None:
            fail(f"Territoire « {code} » inconnu du référentiel.", EXIT_NOT_FOUND)
        try:
            result = services.compute_territory(level, code.upper())
        except services.DatasetError as exc:
            fail(str(exc))
        if json:
            print_json({"level": level, "code": result.code, "name": result.name, **result.exposure})
            return
        stderr.print(f"{result.name} : {result.total_population:,.0f} habitants, calculé en {result.duration_ms} ms.")

    @command(help="Recalcule tous les territoires déjà calculés avec les données en vigueur.")
    def recompute(self, json: Annotated[bool, typer.Option("--json", help="Affiche le bilan en JSON.")] = False):
        try:
            with progress_bar("Recalcul des territoires", enabled=not json) as advance:
                summary = services.recompute_all(advance=advance)
        except services.DatasetError as exc:
            fail(str(exc))
        if json:
            print_json(summary)
            return
        self.stdout.write(self.style.SUCCESS(f"{summary['recomputed']} territoire(s) recalculé(s)."))
