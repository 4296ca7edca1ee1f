"""CoSIA: the API router, mounted at /api/cosia/.

Statistics, nomenclature and tiles are open data (`auth=None`); export jobs need a token or a
session, since downloads are logged per user. Statistics of a territory above the web's job
threshold (`services.SYNC_PIXEL_LIMIT`, ≈ 8,000 ha) answer 202 with a job to poll, as the map does.
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Status
from ninja.errors import HttpError

from communs.core.api_auth import token_or_session
from communs.core.models import Job, JobState
from communs.cosia import selectors, services
from communs.cosia.engine.geometry import TerritoryError
from communs.cosia.engine.stats import RasterError
from communs.cosia.schemas import (
    ComparisonOut,
    ExportIn,
    ExportOut,
    GeoJsonIn,
    NomenclatureOut,
    StatisticsOut,
    StatsJobOut,
    VintageOut,
)

router = Router(tags=["CoSIA"])
# A posted polygon may be as large as the largest metropolitan département (Gironde, 997,600 ha);
# beyond, split it: an anonymous request should not queue a region-sized job.
MAX_POSTED_HA = 1_000_000
STATS_RESPONSES = {200: StatisticsOut, 202: StatsJobOut}


def _job_out(request, job: Job) -> dict:
    return {
        "id": str(job.pk),
        "state": job.state,
        "percent": job.percent,
        "message": job.message,
        "status_url": request.build_absolute_uri(reverse("api:cosia_stats_job", args=[job.pk])),
        "page_url": request.build_absolute_uri(reverse("cosia:stats_job", args=[job.pk])),
        "error": job.error or None,
        "result": job.result if job.state == JobState.SUCCEEDED else None,
    }


def _statistics(request, territory, vintage):
    try:
        if services.runs_in_background(territory):
            job = services.start_statistics(
                territory, vintage, request.user, client_address=request.META.get("REMOTE_ADDR", "")
            )
            return Status(202, _job_out(request, job))
        return Status(200, services.statistics(territory, vintage))
    except services.TooManyRequests as exc:
        raise HttpError(429, str(exc)) from exc
    except services.NoCoverage as exc:
        raise Http404(str(exc)) from exc
    except RasterError as exc:
        raise HttpError(422, str(exc)) from exc


def _territory(code: str):
    try:
        return services.resolve_territory(code)
    except services.TerritoryNotFound as exc:
        raise Http404(str(exc)) from exc


@router.get("/nomenclature", response=NomenclatureOut, auth=None, summary="Nomenclature CoSIA")
def nomenclature(request, vintage: int | None = None):
    return services.nomenclature_for(vintage).as_dict()


@router.get("/vintages", response=list[VintageOut], auth=None, summary="Millésimes et couverture")
def vintages(request):
    return [
        {"vintage": s.vintage, "departements": s.departements, "tiles": s.tiles, "area_ha": s.area_ha}
        for s in selectors.coverage_summary()
    ]


@router.get("/stats", response=STATS_RESPONSES, auth=None, summary="Statistiques d'un territoire (par code)")
def stats_by_code(request, territory: str, vintage: int | None = None):
    """Surface (ha) et part de chaque classe dans le territoire : code de zone CoSIA, code INSEE de commune
    ou de département, SIREN d'EPCI (contours importés). Au-delà d'environ 8 000 ha (2 × 10⁹ pixels) :
    réponse 202 avec une tâche de fond à suivre sur `status_url`."""
    return _statistics(request, _territory(territory), vintage)


@router.post("/stats", response=STATS_RESPONSES, auth=None, summary="Statistiques d'un polygone GeoJSON envoyé")
def stats_by_geojson(request, payload: GeoJsonIn, vintage: int | None = None):
    """Même réponse que par code ; au-delà d'environ 8 000 ha, réponse 202 et tâche de fond."""
    try:
        # The schema documents the body; the raw body keeps every GeoJSON member as sent (UTF-8, 16 or 32).
        territory = services.territory_from_upload(request.body)
    except TerritoryError as exc:
        raise HttpError(422, str(exc)) from exc
    if territory.area_ha > MAX_POSTED_HA:
        raise HttpError(
            422, f"Polygone de {territory.area_ha:.0f} ha : au-delà de {MAX_POSTED_HA} ha, découpez la zone."
        )
    return _statistics(request, territory, vintage)


@router.get(
    "/stats/jobs/{job_id}",
    response=StatsJobOut,
    auth=None,
    url_name="cosia_stats_job",
    summary="État et résultat d'une tâche de statistiques",
)
def stats_job(request, job_id: UUID):
    """`state` : pending, running, succeeded (le résultat est dans `result`) ou failed (`error`)."""
    return _job_out(request, get_object_or_404(selectors.stats_jobs(), pk=job_id))


@router.get("/compare", response=ComparisonOut, auth=None, summary="Matrice de changement entre deux millésimes")
def compare(request, territory: str, before: int, after: int):
    try:
        return services.compare(_territory(territory), before, after)
    except services.NoCoverage as exc:
        raise Http404(str(exc)) from exc


@router.get("/tiles/{vintage}/{z}/{x}/{y}.png", auth=None, summary="Tuile XYZ (PNG, Web Mercator)")
def tile(request, vintage: int, z: int, x: int, y: int, hidden: str = ""):
    """Couleurs officielles, nodata transparent ; `hidden` : codes de classes à masquer, séparés par des virgules."""
    codes = frozenset(int(p) for p in hidden.split(",") if p.strip().isdigit() and 0 < int(p) < 256)
    png, hit = services.tile(vintage, z, x, y, codes)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Tile-Cache"] = "hit" if hit else "miss"
    return response


def _export_out(record) -> dict:
    return {
        "id": record.pk,
        "territory": record.territory_code,
        "vintage": record.vintage,
        "format": record.format,
        "state": record.job.state if record.job else "pending",
        "percent": record.job.percent if record.job else 0.0,
        "download_url": reverse("api:cosia_export_download", args=[record.pk]) if record.file else None,
    }


@router.post("/exports", response={202: ExportOut}, auth=token_or_session, summary="Demander un export découpé")
def create_export(request, payload: ExportIn):
    try:
        record = services.request_export(request.user, payload.territory, payload.vintage, payload.format)
    except services.TerritoryNotFound as exc:
        raise Http404(str(exc)) from exc
    except services.NoCoverage as exc:
        raise Http404(str(exc)) from exc
    except ValidationError as exc:
        raise HttpError(422, exc.messages[0]) from exc
    return Status(202, _export_out(record))


@router.get("/exports/{export_id}", response=ExportOut, auth=token_or_session, summary="État d'un export")
def export_status(request, export_id: int):
    return _export_out(get_object_or_404(selectors.exports_of(request.user), pk=export_id))


@router.get(
    "/exports/{export_id}/download",
    auth=token_or_session,
    url_name="cosia_export_download",
    summary="Télécharger un export (journalisé)",
)
def export_download(request, export_id: int):
    record = get_object_or_404(selectors.exports_of(request.user), pk=export_id)
    try:
        path = services.open_download(record, request.user)
    except FileNotFoundError as exc:
        raise Http404(str(exc)) from exc
    return FileResponse(path.open("rb"), as_attachment=True, filename=record.filename)
