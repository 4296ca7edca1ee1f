"""Inondata use cases: create a scenario, run it (as a job), share it read-only, read its outputs.

Files live under `<COMMUNS_DATA_DIR>/inondata/`: `uploads/<uuid>/` (terrain and building files as
sent, already checked by `core.uploads`), `demo/` (the synthetic valley) and `scenarios/<id>/`
(outputs of the engine's `run_flood`).
"""

import json
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from communs.core.audit import record_event
from communs.core.jobs import start_job
from communs.core.scopes import require_scope
from communs.inondata import selectors
from communs.inondata.engine import buildings as bati
from communs.inondata.engine import hydrograph as hydro
from communs.inondata.engine import seeds as seeding
from communs.inondata.engine import synthetic, terrain
from communs.inondata.engine.scenario import run_flood
from communs.inondata.models import Scenario, ScenarioStatus, SeedSource, TerrainSource

SERVICE = "inondata"
SHARE_SALT = "communs.inondata.share"
SHARE_MAX_AGE = 90 * 24 * 3600  # a share link lasts 90 days
OUTPUT_FILES = {
    "profondeurs.tif": "image/tiff",
    "arrivee.tif": "image/tiff",
    "profondeur_max.tif": "image/tiff",
    "duree.tif": "image/tiff",
    "batiments.gpkg": "application/geopackage+sqlite3",
    "batiments.csv": "text/csv; charset=utf-8",
    "resume.json": "application/json",
}
WEB_FILES_SUFFIXES = (".png", ".json")


def data_root() -> Path:
    return Path(settings.DATA_DIR) / "inondata"


def demo_dir() -> Path:
    return data_root() / "demo"


def demo_paths() -> dict[str, Path]:
    directory = demo_dir()
    names = {
        "dem": "vallee-demo.tif",
        "seeds": "riviere-demo.geojson",
        "levels": "crue-demo.csv",
        "buildings": "bati-demo.gpkg",
    }
    paths = {key: directory / name for key, name in names.items()}
    if not all(p.exists() for p in paths.values()):
        synthetic.demo_files(directory)
    return paths


def store_upload(upload) -> str:
    """Save an upload (already validated by its UploadPolicy) under uploads/; return its relative path."""
    folder = data_root() / "uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(upload.name).name
    with open(folder / name, "wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return str((folder / name).relative_to(data_root()))


def create_scenario(user, data: dict, *, start: bool = True) -> Scenario:
    """Validate, record and (by default) start computing a scenario. `data` comes from the editor form."""
    if not selectors.can_create(user):
        raise PermissionDenied("Il faut un rôle Inondata pour créer un scénario.")
    commune = data.get("commune")
    if commune is not None:
        require_scope(user, SERVICE, commune=commune.code)
    try:
        hydro.parse_hydrograph(data["hydrograph"])
    except hydro.HydrographError as exc:
        raise ValidationError({"hydrograph": str(exc)}) from exc
    if data["seed_source"] == SeedSource.GEOJSON:
        try:
            seeding.read_seed_geometries(data.get("seeds_geojson") or "", origin="graines")
        except seeding.SeedError as exc:
            raise ValidationError({"seeds_geojson": str(exc)}) from exc
    bbox = data.get("bbox")
    with transaction.atomic():
        scenario = Scenario.objects.create(
            name=data["name"],
            description=data.get("description", ""),
            owner=user,
            commune=commune.code if commune is not None else "",
            area_label=commune.label if commune is not None else "",
            min_x=bbox[0] if bbox else None,
            min_y=bbox[1] if bbox else None,
            max_x=bbox[2] if bbox else None,
            max_y=bbox[3] if bbox else None,
            terrain_source=data["terrain_source"],
            terrain_file=data.get("terrain_file", ""),
            buildings_file=data.get("buildings_file", ""),
            resolution=data.get("resolution") or 1.0,
            seed_source=data["seed_source"],
            seeds_geojson=data.get("seeds_geojson", ""),
            hydrograph=data["hydrograph"],
            connectivity=int(data.get("connectivity") or 4),
        )
        record_event(
            user,
            "inondata.scenario.create",
            service=SERVICE,
            obj=scenario,
            departement=scenario.departement,
        )
        if start:
            start_scenario(scenario, user)
    return scenario


def start_scenario(scenario: Scenario, user=None):
    job = start_job(
        "inondata.flood", owner=user if user is not None and user.is_authenticated else None, scenario_id=scenario.pk
    )
    Scenario.objects.filter(pk=scenario.pk).update(job=job, status=ScenarioStatus.RUNNING, error="")
    scenario.refresh_from_db()
    return job


def _terrain_of(scenario: Scenario):
    if scenario.terrain_source == TerrainSource.DEMO:
        grid = terrain.read_dtm(demo_paths()["dem"])
    elif scenario.terrain_source == TerrainSource.LAZ:
        grid = terrain.dtm_from_laz([data_root() / scenario.terrain_file], scenario.resolution, bounds=scenario.bbox)
    else:
        grid = terrain.read_dtm(data_root() / scenario.terrain_file)
    if scenario.bbox and scenario.terrain_source != TerrainSource.LAZ:
        grid = crop(grid, scenario.bbox)
    return grid


def crop(grid, bbox):
    x0, y1 = grid.origin
    r = grid.resolution
    col0 = max(0, int((bbox[0] - x0) // r))
    col1 = min(grid.shape[1], int(-((x0 - bbox[2]) // r)))
    row0 = max(0, int((y1 - bbox[3]) // r))
    row1 = min(grid.shape[0], int(-((bbox[1] - y1) // r)))
    if col1 <= col0 or row1 <= row0:
        raise terrain.TerrainError("le rectangle choisi ne recoupe pas le relief")
    return grid.window(row0, row1, col0, col1)


def _seeds_of(scenario: Scenario, grid):
    if scenario.seed_source == SeedSource.DEMO:
        return seeding.rasterize_seeds(seeding.read_seed_geometries(demo_paths()["seeds"]), grid)
    if scenario.seed_source == SeedSource.WATER:
        return seeding.seeds_from_water(grid)
    return seeding.rasterize_seeds(seeding.read_seed_geometries(scenario.seeds_geojson), grid)


def _buildings_of(scenario: Scenario):
    if scenario.buildings_file:
        return bati.read_buildings(data_root() / scenario.buildings_file)
    if scenario.terrain_source == TerrainSource.DEMO:
        return bati.read_buildings(demo_paths()["buildings"])
    return []


def output_dir(scenario: Scenario) -> Path:
    return data_root() / "scenarios" / str(scenario.pk)


def run_scenario(scenario_id: int, *, report=None, mapper=None) -> dict:
    """Compute a scenario (the job's body); the outputs replace earlier ones only once complete."""
    scenario = Scenario.objects.get(pk=scenario_id)
    say = report or (lambda percent, message: None)
    try:
        say(1, "Lecture du relief")
        grid = _terrain_of(scenario)
        seeds = _seeds_of(scenario, grid)
        levels = hydro.parse_hydrograph(scenario.hydrograph)
        buildings = _buildings_of(scenario)
        final = output_dir(scenario)
        staging = final.with_name(f"{final.name}.tmp")
        shutil.rmtree(staging, ignore_errors=True)
        summary = run_flood(
            grid,
            seeds,
            levels,
            staging,
            buildings=buildings,
            connectivity=scenario.connectivity,
            mapper=mapper,
            report=say,
        )
    except (terrain.TerrainError, seeding.SeedError, hydro.HydrographError, bati.BuildingError) as exc:
        Scenario.objects.filter(pk=scenario.pk).update(status=ScenarioStatus.FAILED, error=str(exc))
        raise
    shutil.rmtree(final, ignore_errors=True)
    staging.rename(final)
    summary["outputs"] = {key: value.replace(str(staging), str(final)) for key, value in summary["outputs"].items()}
    (final / "resume.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    Scenario.objects.filter(pk=scenario.pk).update(
        status=ScenarioStatus.DONE,
        summary=summary,
        output_dir=str(final.relative_to(data_root())),
        computed_at=timezone.now(),
        error="",
    )
    return {"scenario": scenario.pk, "frames": len(summary["frames"])}


# --- Sharing and files -----------------------------------------------------------------------


def share_token(scenario: Scenario, user) -> str:
    """A signed, read-only link to one scenario (for a meeting with elected officials); audited."""
    record_event(user, "inondata.scenario.share", service=SERVICE, obj=scenario, departement=scenario.departement)
    return signing.dumps({"s": scenario.pk}, salt=SHARE_SALT, compress=False)


def scenario_from_token(token: str) -> Scenario | None:
    try:
        payload = signing.loads(token, salt=SHARE_SALT, max_age=SHARE_MAX_AGE)
    except signing.BadSignature:
        return None
    return Scenario.objects.filter(pk=payload.get("s")).first()


def output_file(scenario: Scenario, name: str) -> tuple[Path, str] | None:
    """The path and content type of one output file, or None (unknown name, not computed)."""
    if scenario.status != ScenarioStatus.DONE or not scenario.output_dir:
        return None
    base = data_root() / scenario.output_dir
    if name in OUTPUT_FILES:
        path = base / name
        kind = OUTPUT_FILES[name]
    elif "/" not in name and name.endswith(WEB_FILES_SUFFIXES):
        path = base / "web" / name
        kind = "image/png" if name.endswith(".png") else "application/json"
    else:
        return None
    return (path, kind) if path.is_file() else None
