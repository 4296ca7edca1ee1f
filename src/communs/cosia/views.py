"""CoSIA pages: the map with its statistics panel, exports, product page, use cases and moderation."""

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communs.core.charts import BarChart, Series
from communs.core.models import JobState
from communs.cosia import permissions, selectors, services
from communs.cosia.engine import wmts
from communs.cosia.engine.geometry import TerritoryError
from communs.cosia.engine.stats import RasterError
from communs.cosia.engine.tiles import MAX_ZOOM, MIN_ZOOM
from communs.cosia.forms import ExportForm, GalleryFilterForm, ModerationForm, TerritoryForm, UseCaseForm
from communs.cosia.models import UseCase, UseCaseStatus, UseCaseTheme

MAPLIBRE = "cosia/vendor/maplibre-gl-5.24.1"
# The IGN Géoplateforme base map (online only; the CoSIA overlay is served by this site).
GEOPLATEFORME = "https://data.geopf.fr"
BASEMAP_URL = (
    f"{GEOPLATEFORME}/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2"
    "&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
)


def _parse_hidden(value: str) -> frozenset[int]:
    return frozenset(int(part) for part in value.split(",") if part.strip().isdigit() and 0 < int(part) < 256)


@require_GET
@csp_update({"img-src": [GEOPLATEFORME], "connect-src": [GEOPLATEFORME]})
def home(request):
    """The map, the legend and — for a chosen territory — the statistics table, chart and exports."""
    vintages = selectors.vintages()
    form = TerritoryForm(request.GET or None, vintages=vintages)
    territory = statistics = comparison = error = stats_job = None
    vintage = vintages[0] if vintages else None
    if form.is_bound and form.is_valid():
        vintage = form.cleaned_data.get("millesime") or vintage
        try:
            territory = services.resolve_territory(form.cleaned_data["territoire"])
            if services.runs_in_background(territory):
                # A département is ≈ 10¹¹ pixels: computed by a background job, shown on its own page.
                stats_job = services.start_statistics(
                    territory, vintage, request.user, client_address=request.META.get("REMOTE_ADDR", "")
                )
                return redirect("cosia:stats_job", job_id=stats_job.pk)
            statistics = _with_percentages(services.statistics(territory, vintage))
            if len(vintages) > 1:
                before = min(v for v in vintages if v != vintage) if vintage == max(vintages) else vintage
                after = max(vintages) if before == vintage else vintage
                comparison = services.compare(territory, before, after)
                comparison["top"] = sorted(comparison["changes"], key=lambda r: -r["area_ha"])[:10]
        except (
            services.TerritoryNotFound,
            services.NoCoverage,
            services.TooManyRequests,
            TerritoryError,
            RasterError,
        ) as exc:
            error = str(exc)
    nomenclature = services.nomenclature_for(vintage)
    map_config = {
        "tiles": request.build_absolute_uri(reverse("cosia:tile", args=[vintage or 0, 0, 0, 0])).replace(
            "/0/0/0.png", "/{z}/{x}/{y}.png"
        ),
        "minzoom": MIN_ZOOM,
        "maxzoom": MAX_ZOOM,
        "basemap": BASEMAP_URL,
        "extent": services.map_extent(),
        "territory": territory.geojson if territory else None,
        "worker": static(f"{MAPLIBRE}/maplibre-gl-csp-worker.js"),
    }
    context = {
        "title": "Carte CoSIA",
        "form": form,
        "vintages": vintages,
        "vintage": vintage,
        "territory": territory,
        "statistics": statistics,
        "comparison": comparison,
        "error": error,
        "legend": nomenclature.classes,
        "map_config": map_config,
        "export_form": ExportForm(initial={"territoire": territory.code, "millesime": vintage}) if territory else None,
        "exports": selectors.exports_of(request.user)[:5] if request.user.is_authenticated else [],
    }
    return render(request, "cosia/home.html", context)


def _with_percentages(statistics: dict) -> dict:
    for row in statistics["classes"]:
        row["pct"] = round(100 * row["share"], 2)
    drawn = [row for row in statistics["classes"] if row["area_ha"]]
    statistics["chart"] = (
        BarChart(
            title=f"Part de chaque classe, {statistics['territory']['label']}, millésime {statistics['vintage']}",
            categories=[row["name"] for row in drawn],
            series=[Series("Part", [row["pct"] for row in drawn], value_colours=[row["colour"] for row in drawn])],
            x_label="Classe",
            y_label="Part de la surface classée (%)",
            unit="%",
            decimals=1,
            horizontal=True,
            caption="Couleurs des classes comme sur la carte ; surfaces dans le tableau qui précède.",
            table_collapsed=True,
            chart_id="cosia-repartition",
        )
        if drawn
        else None
    )
    return statistics


@require_GET
def stats_job(request, job_id):
    """Progress, then the statistics table, of a large territory computed in the background."""
    job = get_object_or_404(selectors.stats_jobs(), pk=job_id)
    statistics = _with_percentages(job.result) if job.state == JobState.SUCCEEDED and job.result else None
    template = "cosia/stats_job_status.html" if request.htmx else "cosia/stats_job.html"
    return render(request, template, {"title": "Statistiques CoSIA", "job": job, "statistics": statistics})


@require_GET
def tile(request, vintage: int, z: int, x: int, y: int):
    return _tile_response(*services.tile(vintage, z, x, y, _parse_hidden(request.GET.get("masquer", ""))))


def _tile_response(png: bytes, hit: bool) -> HttpResponse:
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Tile-Cache"] = "hit" if hit else "miss"
    return response


def _capabilities_response(request) -> HttpResponse:
    def url_for(kind: str, vintage: int) -> str:
        if kind == "legend":
            return request.build_absolute_uri(reverse("cosia:wmts_legend", args=[vintage]))
        # MapLibre's {z}/{x}/{y} are WMTS' {TileMatrix}/{TileCol}/{TileRow} on this tile matrix set.
        return request.build_absolute_uri(reverse("cosia:tile", args=[vintage, 0, 0, 0])).replace(
            "/0/0/0.png", "/{TileMatrix}/{TileCol}/{TileRow}.png"
        )

    document = services.wmts_capabilities(
        capabilities_url=request.build_absolute_uri(reverse("cosia:wmts_capabilities")),
        kvp_url=request.build_absolute_uri(reverse("cosia:wmts")) + "?",
        tiles_url=request.build_absolute_uri(reverse("cosia:tile", args=[0, 0, 0, 0])).split("/0/0/0/0.png")[0] + "/",
        url_for=url_for,
    )
    response = HttpResponse(document, content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"  # a new vintage shows within the hour
    return response


@require_GET
def wmts_capabilities(request):
    """WMTS 1.0.0 capabilities, RESTful binding: the URL to paste in QGIS or ArcGIS."""
    return _capabilities_response(request)


@require_GET
def wmts_kvp(request):
    """WMTS 1.0.0, KVP binding: GetCapabilities and GetTile; errors as OWS exception reports."""
    try:
        if wmts.kvp_request(request.GET.dict()) == "GetCapabilities":
            return _capabilities_response(request)
        wanted = wmts.parse_get_tile(request.GET.dict(), max_zoom=MAX_ZOOM)
        vintage = services.wmts_vintage(wanted.layer)
        if vintage is None:
            raise wmts.WmtsError("InvalidParameterValue", "LAYER", f"Couche « {wanted.layer} » inconnue.")
    except wmts.WmtsError as exc:
        return HttpResponse(exc.report(), status=exc.status, content_type="application/xml; charset=utf-8")
    return _tile_response(*services.tile(vintage, wanted.zoom, wanted.col, wanted.row))


@require_GET
def wmts_legend(request, vintage: int):
    response = HttpResponse(services.wmts_legend(vintage), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_POST
@login_required
def export_create(request):
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Demande d'export invalide.")
        return redirect("cosia:home")
    try:
        record = services.request_export(
            request.user, form.cleaned_data["territoire"], form.cleaned_data["millesime"], form.cleaned_data["format"]
        )
    except (services.TerritoryNotFound, services.NoCoverage, ValidationError) as exc:
        messages.error(request, str(exc.messages[0] if isinstance(exc, ValidationError) else exc))
        return redirect("cosia:home")
    return redirect("cosia:export_detail", export_id=record.pk)


@require_GET
@login_required
def exports(request):
    return render(
        request, "cosia/exports.html", {"title": "Mes exports CoSIA", "exports": selectors.exports_of(request.user)}
    )


@require_GET
@login_required
def export_detail(request, export_id: int):
    record = get_object_or_404(selectors.exports_of(request.user), pk=export_id)
    template = "cosia/export_status.html" if request.htmx else "cosia/export_detail.html"
    return render(request, template, {"title": "Export CoSIA", "export": record, "job": record.job})


@require_GET
@login_required
def export_download(request, export_id: int):
    record = get_object_or_404(selectors.exports_of(request.user), pk=export_id)
    try:
        path = services.open_download(record, request.user)
    except FileNotFoundError as exc:
        raise Http404(str(exc)) from exc
    return FileResponse(path.open("rb"), as_attachment=True, filename=record.filename)


@require_GET
def product(request):
    vintage = selectors.latest_vintage()
    return render(
        request,
        "cosia/product.html",
        {
            "title": "Le produit CoSIA",
            "nomenclature": services.nomenclature_for(vintage),
            "coverage": selectors.coverage_summary(),
            "by_departement": selectors.coverage_by_departement(),
            "wmts_url": request.build_absolute_uri(reverse("cosia:wmts_capabilities")),
            "wmts_layers": [services.wmts_layer_id(v) for v in selectors.vintages()],
            "wmts_min_zoom": MIN_ZOOM,
            "wmts_max_zoom": MAX_ZOOM,
        },
    )


@require_GET
def use_cases(request):
    form = GalleryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    items = selectors.published_use_cases(
        theme=filters.get("theme", ""), departement=(filters.get("departement") or "").upper()
    )
    return render(request, "cosia/use_cases.html", {"title": "Cas d'usage CoSIA", "form": form, "use_cases": items})


def _visible_use_case(request, pk: int) -> UseCase:
    use_case = get_object_or_404(UseCase.objects.all(), pk=pk)
    if use_case.status == UseCaseStatus.PUBLISHED:
        return use_case
    user = request.user
    if user.is_authenticated and (use_case.author_id == user.pk or use_case in selectors.use_cases_to_moderate(user)):
        return use_case
    raise Http404("Cas d'usage introuvable.")


@require_GET
def use_case_detail(request, pk: int):
    use_case = _visible_use_case(request, pk)
    return render(
        request,
        "cosia/use_case_detail.html",
        {"title": use_case.title, "use_case": use_case, "theme_label": UseCaseTheme(use_case.theme).label},
    )


@require_GET
def use_case_image(request, pk: int):
    use_case = _visible_use_case(request, pk)
    if not use_case.image:
        raise Http404("Pas d'image.")
    response = FileResponse(use_case.image.open("rb"))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def use_case_new(request):
    form = UseCaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        departement = data.pop("departement") or ""
        image = data.pop("image")
        try:
            use_case = services.submit_use_case(request.user, image=image, departement=departement, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Merci : votre cas d'usage sera publié après modération.")
            return redirect("cosia:use_case_detail", pk=use_case.pk)
    return render(
        request,
        "cosia/use_case_form.html",
        {"title": "Proposer un cas d'usage", "form": form, "mine": selectors.use_cases_of(request.user)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def moderation(request):
    if not permissions.abilities(request.user)["moderate"]:
        raise PermissionDenied("Réservé aux modérateurs CoSIA.")
    if request.method == "POST":
        use_case = get_object_or_404(selectors.use_cases_to_moderate(request.user), pk=request.POST.get("use_case"))
        form = ModerationForm(request.POST)
        if form.is_valid():
            try:
                services.moderate_use_case(
                    request.user,
                    use_case,
                    publish=form.cleaned_data["decision"] == "publish",
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            else:
                messages.success(request, f"« {use_case.title} » : décision enregistrée.")
            return redirect("cosia:moderation")
    pending = selectors.use_cases_to_moderate(request.user)
    return render(
        request,
        "cosia/moderation.html",
        {"title": "Modération des cas d'usage", "pending": [(u, None) for u in pending]},
    )
