"""`communs inondata dtm | flood`: terrain and flood scenarios from files, without the database.

Conventions of `communs.core.cli`: `--json` prints one JSON document on stdout (the keys named by
issue 17 are a contract), progress and messages go to stderr, errors exit non-zero naming the file.
"""

from pathlib import Path
from typing import Annotated

import typer
from django_typer.management import TyperCommand, command

from communs.core.cli import fail, print_json, stderr
from communs.inondata.engine import buildings as bati
from communs.inondata.engine import hydrograph as hydro
from communs.inondata.engine import seeds as seeding
from communs.inondata.engine import terrain
from communs.inondata.engine.limits import LIMITS_FR

JsonOption = Annotated[bool, typer.Option("--json", help="Affiche le résultat en JSON sur la sortie standard.")]


class Command(TyperCommand):
    help = "Inondata : MNT depuis le LiDAR HD et scénarios d'inondation."

    @command(help="Construit un MNT (GeoTIFF COG) depuis des nuages de points LiDAR HD (classes 2 et 9).")
    def dtm(
        self,
        sources: Annotated[list[Path], typer.Argument(help="Fichiers LAZ/LAS ou dossiers.")],
        out: Annotated[Path, typer.Option("--out", help="GeoTIFF à écrire.")],
        resolution: Annotated[float, typer.Option("--resolution", help="Taille des cellules (0,5 à 2 m).")] = 1.0,
        json: JsonOption = False,
    ):
        try:
            grid = terrain.dtm_from_laz(sources, resolution)
            terrain.write_dtm(grid, out)
        except terrain.TerrainError as exc:
            fail(str(exc))
        result = {
            "width": grid.shape[1],
            "height": grid.shape[0],
            "resolution": grid.resolution,
            "points": grid.points,
            "classes": grid.classes,
            "filled_cells": int(grid.filled.sum()),
        }
        if json:
            print_json(result)
        else:
            stderr.print(
                f"MNT {result['width']} × {result['height']} écrit dans {out} "
                f"({result['filled_cells']} cellules comblées)."
            )

    @command(help="Calcule un scénario d'inondation (niveaux de débordement, instants, bâtiments).")
    def flood(
        self,
        dem: Annotated[Path, typer.Option("--dem", help="MNT GeoTIFF en Lambert-93.")],
        seeds: Annotated[Path, typer.Option("--seeds", help="Cours d'eau : points ou lignes GeoJSON.")],
        levels: Annotated[Path, typer.Option("--levels", help="CSV t,level (minutes, m NGF).")],
        out: Annotated[Path, typer.Option("--out", help="Dossier des résultats.")],
        buildings: Annotated[Path | None, typer.Option("--buildings", help="GeoPackage BD TOPO.")] = None,
        connectivity: Annotated[int, typer.Option("--connectivity", help="4 ou 8.")] = 4,
        json: JsonOption = False,
    ):
        from communs.inondata.engine.scenario import run_flood

        if connectivity not in (4, 8):
            fail(f"--connectivity {connectivity} : 4 ou 8 attendu")
        for path in (dem, seeds, levels, *([buildings] if buildings else [])):
            if not path.exists():
                fail(f"{path} : fichier introuvable")
        try:
            grid = terrain.read_dtm(dem)
            mask = seeding.rasterize_seeds(seeding.read_seed_geometries(seeds, origin=str(seeds)), grid)
            hydrograph = hydro.parse_hydrograph(levels.read_text(encoding="utf-8"), source=str(levels))
            items = bati.read_buildings(buildings) if buildings else []
            summary = run_flood(grid, mask, hydrograph, out, buildings=items, connectivity=connectivity)
        except (terrain.TerrainError, seeding.SeedError, hydro.HydrographError, bati.BuildingError) as exc:
            fail(str(exc))
        result = {
            "frames": [
                {k: f[k] for k in ("t", "level", "wet_area_m2", "volume_m3", "max_depth_m", "buildings")}
                for f in summary["frames"]
            ],
            "outputs": summary["outputs"],
            "limits": LIMITS_FR,
        }
        if json:
            print_json(result)
        else:
            stderr.print(f"{len(result['frames'])} instants calculés dans {out}. {LIMITS_FR}")
