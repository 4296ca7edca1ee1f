"""`communs cosia ingest | stats | clip | compare | demo-data`: CoSIA from the command line.

Conventions of `communs.core.cli`: `--json` prints one JSON document on stdout, progress and
human output go to stderr, errors exit non-zero naming the file or field at fault. `stats`,
`clip`, `compare` and `demo-data` work on files only (no database); `ingest` fills the index.
"""

import contextlib
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Annotated

import typer
from django.core.exceptions import ValidationError
from django_typer.management import TyperCommand, command

from communs.core.cli import fail, print_json, progress_bar, stderr
from communs.cosia.engine import change, export, stats, synthetic
from communs.cosia.engine.geometry import TerritoryError, read_territory
from communs.cosia.engine.nomenclature import DEFAULT_NOMENCLATURE, NomenclatureError, load_nomenclature

NomenclatureOption = Annotated[
    Path | None, typer.Option("--nomenclature", help="Nomenclature JSON d'un millésime (sinon : celle par défaut).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Affiche le résultat en JSON sur la sortie standard.")]


def _nomenclature(path: Path | None):
    try:
        return load_nomenclature(path) if path else DEFAULT_NOMENCLATURE
    except NomenclatureError as exc:
        fail(str(exc))


@contextlib.contextmanager
def tile_pool(processes: int):
    """A pool of `processes` fresh interpreters for `count_tile` (none when 0).

    Spawned, not forked: the children inherit no database connection nor thread, like Dask
    workers; `numpy.bincount` holds the GIL, so processes scale where threads do not.
    """
    if not processes:
        yield None
        return
    with ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


def _territory(path: Path | None):
    if path is None:
        return None
    try:
        return read_territory(path)
    except TerritoryError as exc:
        fail(str(exc))


class Command(TyperCommand):
    help = "CoSIA : ingestion, statistiques, découpage et données de démonstration."

    @command(help="Ingère des rasters de prédiction (GeoTIFF uint8) en COG, indexés par département et millésime.")
    def ingest(
        self,
        rasters: Annotated[list[Path], typer.Argument(help="Fichiers GeoTIFF.")],
        department: Annotated[str, typer.Option("--department", help="Code du département (ex. 35).")],
        vintage: Annotated[int, typer.Option("--vintage", help="Millésime (année de prise de vue).")],
        json: JsonOption = False,
    ):
        from communs.cosia import services

        missing = [str(p) for p in rasters if not p.exists()]
        if missing:
            fail(f"Fichier(s) introuvable(s) : {', '.join(missing)}")
        try:
            with progress_bar("Ingestion CoSIA", total=len(rasters), enabled=not json) as advance:
                result = services.ingest_rasters(rasters, departement=department, vintage=vintage, advance=advance)
        except (stats.RasterError, ValidationError) as exc:
            fail(exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
        if json:
            print_json(result)
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['created']} dalle(s) ingérée(s), {result['unchanged']} déjà connue(s) "
                f"(département {department}, millésime {vintage})."
            )
        )

    @command(help="Surface (ha) et part de chaque classe, sur tout le raster ou dans un territoire GeoJSON.")
    def stats(
        self,
        raster: Annotated[Path, typer.Argument(help="Raster CoSIA (GeoTIFF, COG ou VRT).")],
        territory: Annotated[Path | None, typer.Option("--territory", help="Polygone GeoJSON.")] = None,
        nomenclature: NomenclatureOption = None,
        workers: Annotated[int, typer.Option("--workers", min=1, max=16, help="Lectures parallèles.")] = 1,
        processes: Annotated[
            int,
            typer.Option("--processes", min=0, max=64, help="Processus de calcul (0 : fils d'exécution seulement)."),
        ] = 0,
        json: JsonOption = False,
    ):
        classes = _nomenclature(nomenclature)
        geometry = _territory(territory)
        try:
            with (
                progress_bar(f"Statistiques {raster.name}", enabled=not json) as advance,
                tile_pool(processes) as pool,
            ):
                result = stats.raster_statistics(
                    raster, classes, geometry, workers=workers, advance=advance, map_tiles=pool.map if pool else None
                )
        except stats.RasterError as exc:
            fail(str(exc))
        body = result.as_dict()
        if json:
            print_json(body)
            return
        for row in body["classes"]:
            self.stdout.write(f"{row['code']:>3}  {row['name']:<18} {row['area_ha']:>12.4f} ha  {row['share']:>7.2%}")
        self.stdout.write(f"     {'Total':<18} {body['total_ha']:>12.4f} ha")
        for group in body["groups"]:
            stderr.print(
                f"{group['label']} : {group['area_ha']:.4f} ha ({', '.join(group['classes'])})", highlight=False
            )

    @command(help="Découpe un raster au territoire : GeoTIFF (COG) et, en option, GeoPackage vectorisé.")
    def clip(
        self,
        raster: Annotated[Path, typer.Argument(help="Raster CoSIA.")],
        territory: Annotated[Path, typer.Option("--territory", help="Polygone GeoJSON.")],
        out: Annotated[Path, typer.Option("--out", help="GeoTIFF à écrire.")],
        vector: Annotated[Path | None, typer.Option("--vector", help="GeoPackage à écrire.")] = None,
        smoothing: Annotated[float, typer.Option("--smoothing", min=0, help="Lissage en mètres.")] = 0.0,
        min_area: Annotated[float, typer.Option("--min-area", min=0, help="Surface minimale (m²).")] = 0.0,
        nomenclature: NomenclatureOption = None,
        json: JsonOption = False,
    ):
        classes = _nomenclature(nomenclature)
        geometry = _territory(territory)
        try:
            result = export.clip_raster(raster, geometry, out, classes)
            features = (
                export.write_vector(out, vector, classes, smoothing_m=smoothing, min_area_m2=min_area)
                if vector
                else None
            )
        except (stats.RasterError, ValueError) as exc:
            fail(str(exc))
        body = {
            "raster": str(result.path),
            "width": result.width,
            "height": result.height,
            "crs": result.crs,
            "resolution": result.resolution,
            "bounds": list(result.bounds),
            "vector": str(vector) if vector else None,
            "features": features,
        }
        if json:
            print_json(body)
            return
        self.stdout.write(self.style.SUCCESS(f"{out} écrit ({result.width} × {result.height} px, {result.crs})."))
        if vector:
            self.stdout.write(self.style.SUCCESS(f"{vector} écrit ({features} polygone(s))."))

    @command(help="Matrice de changement (ha) entre deux millésimes alignés.")
    def compare(
        self,
        before: Annotated[Path, typer.Argument(help="Raster du millésime ancien.")],
        after: Annotated[Path, typer.Argument(help="Raster du millésime récent.")],
        territory: Annotated[Path | None, typer.Option("--territory", help="Polygone GeoJSON.")] = None,
        nomenclature: NomenclatureOption = None,
        json: JsonOption = False,
    ):
        classes = _nomenclature(nomenclature)
        geometry = _territory(territory)
        try:
            matrix = change.change_matrix(before, after, classes, geometry)
        except stats.RasterError as exc:
            fail(str(exc))
        body = matrix.as_dict()
        body["unchanged_ha"] = round(matrix.unchanged_ha(), 4)
        if json:
            print_json(body)
            return
        for row in sorted(body["changes"], key=lambda r: -r["area_ha"]):
            self.stdout.write(f"{row['from']:<18} → {row['to']:<18} {row['area_ha']:>10.4f} ha")
        self.stdout.write(f"Inchangé : {body['unchanged_ha']:.4f} ha")

    @command(name="demo-data", help="Écrit des rasters de prédiction synthétiques (graine fixe) et leur commune.")
    def demo_data(
        self,
        out: Annotated[Path, typer.Option("--out", help="Dossier de sortie.")],
        seed: Annotated[int, typer.Option("--seed")] = 2024,
        size: Annotated[int, typer.Option("--size", min=100, max=40_000, help="Côté en pixels (0,2 m).")] = (
            synthetic.DEMO_SIZE
        ),
        json: JsonOption = False,
    ):
        result = synthetic.demo_dataset(out, seed=seed, size=size)
        if json:
            print_json(result)
            return
        for vintage, path in result["rasters"].items():
            self.stdout.write(f"{vintage} : {path}")
        self.stdout.write(self.style.SUCCESS(f"Commune de démonstration : {result['territory']}"))
