"""CoSIA use cases: ingest rasters, resolve territories, statistics, exports, tiles, use cases.

Views, API, CLI and jobs call these functions; they load models, call the engine and persist in
a transaction. Files live under `<COMMUNS_DATA_DIR>/cosia/` (COGs, mosaics, tile cache, exports).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import shapely
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from communs.core import files
from communs.core.audit import record_event
from communs.core.jobs import find_shared_job, start_job
from communs.core.models import JobState
from communs.core.ratelimit import hit_rate_limit
from communs.core.scopes import require_scope
from communs.cosia import selectors
from communs.cosia.engine import change, export, ingest, stats, tiles, wmts
from communs.cosia.engine.geometry import geometry_to_geojson, territory_from_geojson
from communs.cosia.engine.nomenclature import DEFAULT_NOMENCLATURE, Nomenclature, load_nomenclature
from communs.cosia.models import Coverage, Download, Export, UseCase, UseCaseStatus, Zone
from communs.territoires import selectors as territoires

SERVICE = "cosia"
# Above this many pixels (≈ 8,000 ha at 0.2 m) statistics run as a background job.
SYNC_PIXEL_LIMIT = 2_000_000_000


class NoCoverage(LookupError):
    """No ingested raster for this vintage (or none over the territory)."""


class TerritoryNotFound(LookupError):
    pass


@dataclass(frozen=True)
class Territory:
    code: str
    label: str
    geometry: object  # shapely, EPSG:2154
    departement: str | None = None
    commune: str | None = None

    @property
    def area_ha(self) -> float:
        return self.geometry.area / 10_000

    @property
    def geojson(self) -> dict:
        return geometry_to_geojson(self.geometry)


def data_root() -> Path:
    return files.data_dir("cosia")


def nomenclature_for(vintage: int | None = None) -> Nomenclature:
    """The default nomenclature, unless `<data>/cosia/nomenclatures/<vintage>.json` maps that vintage."""
    if vintage is not None:
        custom = data_root() / "nomenclatures" / f"{vintage}.json"
        if custom.exists():
            return load_nomenclature(custom)
    return DEFAULT_NOMENCLATURE


# --- Ingestion -------------------------------------------------------------------------------


def mosaic_path(vintage: int) -> Path:
    return data_root() / "mosaics" / f"cosia-{vintage}.vrt"


def rebuild_mosaic(vintage: int) -> Path | None:
    paths = [data_root() / c.path for c in selectors.coverages(vintage)]
    if not paths:
        mosaic_path(vintage).unlink(missing_ok=True)
        return None
    return ingest.build_mosaic(paths, mosaic_path(vintage))


def ingest_rasters(
    paths: list[Path | str],
    *,
    departement: str,
    vintage: int,
    user=None,
    advance: Callable[..., None] | None = None,
) -> dict:
    """Ingest every raster or none: all files are checked and converted before the index is written.

    The index row keeps who ingested what and when (`ingested_by`, `ingested_at`); ingestion is
    not audited: it publishes IGN's product, it changes no official figure nor personal data.
    """
    if territoires.get_departement(departement) is None:
        raise ValidationError(f"Département « {departement} » inconnu du référentiel.")
    if not 2000 <= int(vintage) <= 2100:
        raise ValidationError(f"Millésime « {vintage} » invalide (année attendue).")
    nomenclature = nomenclature_for(vintage)
    if advance:
        advance(0, total=len(paths))
    results = [ingest.ingest_raster(p, data_root() / "cogs", nomenclature, advance=advance) for p in paths]
    created = 0
    with transaction.atomic():
        for result in results:
            _, was_created = Coverage.objects.get_or_create(
                departement=departement,
                vintage=vintage,
                sha256=result.sha256,
                defaults={
                    "source_name": result.source,
                    "path": str(result.path.relative_to(data_root())),
                    "width": result.width,
                    "height": result.height,
                    "min_x": result.bounds[0],
                    "min_y": result.bounds[1],
                    "max_x": result.bounds[2],
                    "max_y": result.bounds[3],
                    "resolution": result.resolution,
                    "nomenclature_version": nomenclature.version,
                    "ingested_by": user if user is not None and user.is_authenticated else None,
                },
            )
            created += was_created
    rebuild_mosaic(int(vintage))
    return {
        "departement": departement,
        "vintage": int(vintage),
        "created": created,
        "unchanged": len(results) - created,
        "files": [
            {"source": r.source, "sha256": r.sha256, "cog": str(r.path), "overviews": list(r.overview_levels)}
            for r in results
        ],
    }


def start_ingest(paths: list[str], *, departement: str, vintage: int, user=None):
    return start_job(
        "cosia.ingest", owner=user, paths=[str(p) for p in paths], departement=departement, vintage=int(vintage)
    )


# --- Territories -----------------------------------------------------------------------------


def resolve_territory(code: str) -> Territory:
    """A territory by code: a CoSIA zone (e.g. `demo`), else an imported official contour."""
    code = (code or "").strip()
    zone = selectors.get_zone(code)
    if zone is not None:
        geometry = territory_from_geojson(zone.geometry, origin=f"zone {code}", strict=False)
        return Territory(code, zone.name, geometry, departement=zone.departement or None)
    contour = selectors.get_contour(code)
    if contour is None:
        raise TerritoryNotFound(
            f"Aucun contour pour le territoire « {code} » : importez les contours "
            "(communs territoires contours) ou envoyez un GeoJSON."
        )
    geometry = territory_from_geojson(contour.geometry, origin=f"contour {code}", strict=False)
    label, departement, commune = code, None, None
    if contour.level == "commune" and (commune_obj := territoires.get_commune(code)):
        label, departement, commune = commune_obj.label, commune_obj.departement_id, code
    elif contour.level == "departement" and (dep := territoires.get_departement(code)):
        label, departement = f"{dep.nom} ({code})", code
    elif contour.level == "epci" and (epci := territoires.get_epci(code)):
        label = epci.nom
    return Territory(code, label, geometry, departement=departement, commune=commune)


def territory_from_upload(document: str | bytes | dict, *, label: str = "Zone envoyée") -> Territory:
    """A posted or uploaded polygon (JSON text in UTF-8/16/32, or already parsed), checked strictly."""
    geometry = territory_from_geojson(document, origin="GeoJSON envoyé")
    return Territory("geojson", label, geometry)


def save_zone(code: str, name: str, geojson_text: str, *, departement: str | None = None, source: str = "") -> Zone:
    geometry = territory_from_geojson(geojson_text, origin=source or code)
    zone, _ = Zone.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "departement": departement or "",
            "geometry": json.dumps(geometry_to_geojson(geometry)),
            "area_ha": round(geometry.area / 10_000, 4),
            "source": source,
        },
    )
    return zone


# --- Statistics ------------------------------------------------------------------------------


def _source_for(vintage: int | None) -> tuple[int, Path]:
    vintage = vintage or selectors.latest_vintage()
    if vintage is None or not selectors.coverages(vintage).exists():
        raise NoCoverage(f"Aucune donnée CoSIA pour le millésime {vintage or '—'}.")
    path = mosaic_path(vintage)
    if not path.exists():
        path = rebuild_mosaic(vintage)
    return vintage, path


def territory_pixels(territory: Territory) -> float:
    return territory.geometry.area / 0.04


def runs_in_background(territory: Territory) -> bool:
    """Above `SYNC_PIXEL_LIMIT` (≈ 8,000 ha) statistics go to the `cosia.stats` job (web and API alike)."""
    return territory_pixels(territory) > SYNC_PIXEL_LIMIT


def statistics(territory: Territory, vintage: int | None = None, *, advance=None) -> dict:
    vintage, path = _source_for(vintage)
    result = stats.raster_statistics(path, nomenclature_for(vintage), territory.geometry, advance=advance)
    body = result.as_dict()
    body.update(
        {
            "territory": {"code": territory.code, "label": territory.label, "area_ha": round(territory.area_ha, 4)},
            "vintage": vintage,
        }
    )
    return body


def compare(territory: Territory, before: int, after: int) -> dict:
    _, path_before = _source_for(before)
    _, path_after = _source_for(after)
    matrix = change.change_matrix(path_before, path_after, nomenclature_for(after), territory.geometry)
    body = matrix.as_dict()
    body.update({"before": before, "after": after, "unchanged_ha": round(matrix.unchanged_ha(), 4)})
    return body


# Identical statistics requests (same territory or polygon, same vintage) share the job that is
# running or finished within this delay; anonymous clients may start a few heavy jobs per hour.
STATS_JOB_REUSE = timedelta(hours=6)
ANONYMOUS_JOBS_PER_HOUR = 3
ANONYMOUS_JOBS_PER_HOUR_ALL = 60


def start_statistics(territory: Territory, vintage: int | None, user=None, *, client_address: str = ""):
    """Start the statistics job of a large territory (coverage checked first: no job bound to fail).

    Statistics are open data: anyone may start the job; it is owned by the user when signed in.
    A territory known by code travels as its code; a posted polygon as GeoJSON in Lambert-93 (with
    the legacy `crs` member), so the job measures exactly the polygon that was checked here.
    """
    vintage, _ = _source_for(vintage)
    owner = user if user is not None and user.is_authenticated else None
    params = {"territory": territory.code, "vintage": vintage}
    if territory.code == "geojson":
        params["geojson"] = json.loads(
            json.dumps(
                {
                    **shapely.geometry.mapping(territory.geometry),
                    "crs": {"type": "name", "properties": {"name": "EPSG:2154"}},
                }
            )
        )  # tuples → lists, as the JSON field stores it, so that identical requests compare equal
        params["territory_label"] = territory.label
    shared = find_shared_job("cosia.stats", params, reuse_for=STATS_JOB_REUSE)
    if shared is not None:
        return shared
    if owner is None and not allow_anonymous_job(client_address):
        raise TooManyRequests(
            f"Trop de demandes de statistiques de grands territoires depuis votre adresse : au plus "
            f"{ANONYMOUS_JOBS_PER_HOUR} par heure sans compte. Réessayez plus tard ou connectez-vous."
        )
    label = f"Statistiques CoSIA {territory.label} ({vintage})"
    return start_job("cosia.stats", owner=owner, label=label, **params)


class TooManyRequests(Exception):
    """An anonymous client asked for more heavy jobs than `ANONYMOUS_JOBS_PER_HOUR`."""


def allow_anonymous_job(client_address: str) -> bool:
    """Count one anonymous heavy job for this address; False beyond `ANONYMOUS_JOBS_PER_HOUR` in the
    hour, or beyond `ANONYMOUS_JOBS_PER_HOUR_ALL` for all anonymous clients together."""
    return hit_rate_limit(f"cosia.stats:{client_address}", ANONYMOUS_JOBS_PER_HOUR, 3600) and hit_rate_limit(
        "cosia.stats:all-anonymous", ANONYMOUS_JOBS_PER_HOUR_ALL, 3600
    )


def statistics_job(territory: str, vintage: int | None, *, geojson: dict | None = None, label: str = "", advance=None):
    """What the `cosia.stats` job runs: the territory by code, or the posted polygon it carries."""
    if geojson is not None:
        geometry = territory_from_geojson(geojson, origin="GeoJSON envoyé", strict=False)  # checked when posted
        place = Territory("geojson", label or "Zone envoyée", geometry)
    else:
        place = resolve_territory(territory)
    return statistics(place, vintage, advance=advance)


# --- Exports ---------------------------------------------------------------------------------


def request_export(user, territory_code: str, vintage: int | None, fmt: str) -> Export:
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Connectez-vous pour télécharger des données découpées.")
    if fmt not in export.FORMATS:
        raise ValidationError(f"Format « {fmt} » inconnu.")
    territory = resolve_territory(territory_code)
    vintage, _ = _source_for(vintage)
    same = (
        Export.objects.filter(
            user=user,
            territory_code=territory.code,
            vintage=vintage,
            format=fmt,
            created_at__gte=timezone.now() - STATS_JOB_REUSE,
        )
        .exclude(job__state=JobState.FAILED)
        .exclude(job__isnull=True)
        .select_related("job")
        .first()
    )
    if same is not None:  # the same export asked again while it runs or after it is ready: the same archive
        return same
    with transaction.atomic():
        record = Export.objects.create(
            user=user, territory_code=territory.code, territory_label=territory.label, vintage=vintage, format=fmt
        )
        job = start_job(
            "cosia.export", owner=user, label=f"Export CoSIA {territory.label} ({fmt})", export_id=record.pk
        )
        record.job = job
        record.save(update_fields=["job"])
    return record


def run_export(export_id: int, *, report=None) -> dict:
    record = Export.objects.get(pk=export_id)
    territory = resolve_territory(record.territory_code)
    vintage, path = _source_for(record.vintage)
    if report:
        report(10, "Découpage du raster")
    destination = data_root() / "exports" / f"{record.pk}-{record.filename}"
    summary = export.export_bundle(
        path,
        territory.geometry,
        destination,
        nomenclature_for(vintage),
        fmt=record.format,
        vintage=vintage,
        territory=territory.label,
        basename=f"cosia-{territory.code}-{vintage}",
    )
    Export.objects.filter(pk=record.pk).update(
        file=str(destination.relative_to(data_root())), size_bytes=summary["size_bytes"]
    )
    return {"export_id": record.pk, "size_bytes": summary["size_bytes"], "features": summary["features"]}


def open_download(export_record: Export, user) -> Path:
    """Check ownership, log the download (who, what, when) and return the file."""
    if export_record.user_id != getattr(user, "pk", None):
        raise PermissionDenied("Cet export ne vous appartient pas.")
    if not export_record.file:
        raise FileNotFoundError("L'export n'est pas encore prêt.")
    Download.objects.create(export=export_record, user=user)
    return data_root() / export_record.file


# --- Tiles -----------------------------------------------------------------------------------


def tile(vintage: int, z: int, x: int, y: int, hidden: frozenset[int] = frozenset()) -> tuple[bytes, bool]:
    if not tiles.MIN_ZOOM <= z <= tiles.MAX_ZOOM:
        return tiles.empty_tile(), False
    try:
        vintage, path = _source_for(vintage)
    except NoCoverage:
        return tiles.empty_tile(), False
    stamp = int(path.stat().st_mtime_ns)  # a rebuilt mosaic gets a fresh cache key
    cache = tiles.TileCache(data_root() / "tiles")
    return cache.get_or_render(path, z, x, y, nomenclature_for(vintage), hidden, source_id=f"{vintage}-{stamp}")


def wgs84_bounds(bounds: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """(west, south, east, north) in WGS 84 of a Lambert-93 extent.

    The box is densified (a vertex every 100 m) before reprojection: a Lambert-93 rectangle is
    curved in longitude/latitude, and its four corners alone can miss the outermost points.
    """
    box = shapely.segmentize(shapely.box(*bounds), 100.0)
    return tuple(shapely.geometry.shape(geometry_to_geojson(box)).bounds)


def wmts_capabilities(*, capabilities_url: str, kvp_url: str, tiles_url: str, url_for: Callable) -> bytes:
    """WMTS 1.0.0 capabilities: one layer per vintage over its coverage, official colours.

    `url_for(kind, vintage)` gives the absolute URL of a vintage's tile template (`"tile"`, with
    `{TileMatrix}`, `{TileCol}`, `{TileRow}`) or legend (`"legend"`): URLs belong to the web layer.
    """
    layers = []
    for summary in selectors.coverage_summary():
        nomenclature = nomenclature_for(summary.vintage)
        legend = "; ".join(f"{c.code} {c.name} ({c.colour})" for c in nomenclature.classes)
        layers.append(
            wmts.Layer(
                identifier=wmts_layer_id(summary.vintage),
                title=f"CoSIA {summary.vintage} — couverture du sol prédite",
                abstract=(
                    f"Prédiction IGN de la couverture du sol, millésime {summary.vintage}, départements "
                    f"{', '.join(summary.departements)} ; 0,2 m, nomenclature {nomenclature.version}. "
                    f"Donnée intermédiaire, non réglementaire. Pas de prédiction : transparent. Légende : {legend}."
                ),
                bounds=wgs84_bounds(summary.bounds),
                tile_template=url_for("tile", summary.vintage),
                legend_url=url_for("legend", summary.vintage),
                legend=tuple(wmts.LegendEntry(c.code, c.name, c.colour) for c in nomenclature.classes),
            )
        )
    service = wmts.Service(
        title="CoSIA — couverture du sol par intelligence artificielle (IGN)",
        abstract="Tuiles PNG (EPSG:3857) de la couverture du sol CoSIA, couleurs officielles, nodata transparent.",
        provider="Communs (données IGN, Licence Ouverte 2.0)",
        provider_url="https://cosia.ign.fr/",
        capabilities_url=capabilities_url,
        kvp_url=kvp_url,
        tiles_url=tiles_url,
    )
    return wmts.capabilities(service, layers, min_zoom=tiles.MIN_ZOOM, max_zoom=tiles.MAX_ZOOM)


def wmts_layer_id(vintage: int) -> str:
    return f"cosia-{vintage}"


def wmts_vintage(layer_id: str) -> int | None:
    """The vintage of a WMTS layer identifier (`cosia-2024`), None if it names no ingested vintage."""
    prefix, _, year = layer_id.partition("-")
    if prefix != "cosia" or not year.isdigit() or int(year) not in selectors.vintages():
        return None
    return int(year)


def wmts_legend(vintage: int) -> bytes:
    nomenclature = nomenclature_for(vintage)
    entries = tuple(wmts.LegendEntry(c.code, c.name, c.colour) for c in nomenclature.classes)
    return wmts.legend_svg(entries, f"CoSIA {vintage}")


def map_extent() -> list[float] | None:
    """[west, south, east, north] in WGS 84 of all coverage (to frame the map)."""
    summary = selectors.coverage_summary()
    if not summary:
        return None
    xs = [s.bounds[0] for s in summary] + [s.bounds[2] for s in summary]
    ys = [s.bounds[1] for s in summary] + [s.bounds[3] for s in summary]
    box = geometry_to_geojson(shapely.box(min(xs), min(ys), max(xs), max(ys)))
    return list(shapely.geometry.shape(box).bounds)


# --- Use cases -------------------------------------------------------------------------------


@transaction.atomic
def submit_use_case(user, *, image=None, **fields) -> UseCase:
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Connectez-vous pour proposer un cas d'usage.")
    commune = fields.get("commune")
    if commune is not None and not isinstance(commune, str):  # a territoires.Commune from CommuneField
        fields["commune"] = commune.code
        fields["departement"] = fields.get("departement") or commune.departement_id
    fields["commune"] = fields.get("commune") or ""
    fields["departement"] = fields.get("departement") or ""
    use_case = UseCase(author=user, status=UseCaseStatus.SUBMITTED, **fields)
    if image:
        use_case.image = image
    use_case.full_clean()
    use_case.save()
    return use_case


@transaction.atomic
def moderate_use_case(moderator, use_case: UseCase, *, publish: bool, note: str = "") -> UseCase:
    require_scope(
        moderator,
        SERVICE,
        record=use_case,
        roles=[selectors.MODERATOR_ROLE],
    )
    if not publish and not note.strip():
        raise ValidationError("Indiquez le motif du refus : l'auteur le recevra.")
    use_case.status = UseCaseStatus.PUBLISHED if publish else UseCaseStatus.REJECTED
    use_case.moderation_note = note.strip()
    use_case.moderated_by = moderator
    use_case.moderated_at = timezone.now()
    use_case.save()
    record_event(
        moderator,
        "cosia.usecase.publish" if publish else "cosia.usecase.reject",
        service=SERVICE,
        obj=use_case,
        departement=use_case.departement,
        reason=note,
    )
    return use_case
