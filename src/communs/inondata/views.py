"""Inondata pages: scenarios, the scenario page (3D viewer, 2D map, tables), editor, share link, files."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communs.core.charts import LineChart, Series
from communs.core.numbers import format_number
from communs.inondata import selectors, services
from communs.inondata.engine.classes import DEPTH_CLASSES, depth_class
from communs.inondata.engine.limits import LIMITS_FR
from communs.inondata.forms import FrameForm, ScenarioForm
from communs.inondata.models import ScenarioStatus

CLASS_LABELS = {row[0]: row[3] for row in DEPTH_CLASSES}
THREE = "inondata/vendor/three-0.187.0/three.module.js"


@require_GET
def home(request):
    return render(
        request,
        "inondata/home.html",
        {
            "title": "Inondata",
            "scenarios": selectors.visible_scenarios(request.user),
            "can_create": selectors.can_create(request.user),
            "limits": LIMITS_FR,
        },
    )


def _buildings_at(scene: dict, frame: int) -> list[dict]:
    rows = []
    for b in scene.get("buildings", []):
        depth = b["depths"][frame] if frame < len(b["depths"]) else 0.0
        rows.append(
            {
                "id": b["id"],
                "floor": b["floor"],
                "height": b["height"],
                "depth": depth,
                "class": depth_class(depth),
                "class_label": {row[0]: row[3] for row in DEPTH_CLASSES}.get(depth_class(depth), ""),
                "max": max(b["depths"], default=0.0),
            }
        )
    return sorted(rows, key=lambda r: (-r["depth"], r["id"]))


def _panel(scenario, frame_param, file_url) -> dict:
    """Everything the page shows of one computed scenario at one frame."""
    summary = scenario.summary or {}
    frames = summary.get("frames", [])
    frame = min(max(int(frame_param), 0), len(frames) - 1) if frames else 0
    scene = {}
    found = services.output_file(scenario, "scene.json")
    if found:
        scene = json.loads(found[0].read_text(encoding="utf-8"))
    layers = summary.get("map_layers", {})
    buildings = _buildings_at(scene, frame) if frames else []
    grid = summary.get("grid", {})
    size = layers.get("size", [1, 1])
    scale = size[0] / (grid["width"] * grid["resolution"]) if grid else 1.0
    colours = {row[0]: row[4] for row in DEPTH_CLASSES}
    depth_of = {b["id"]: b for b in buildings}
    map_buildings = [
        {
            "id": b["id"],
            "points": [(x * scale, y * scale) for x, y in b["ring"]],
            "colour": colours.get(depth_of[b["id"]]["class"], "#ffffff"),
            "depth": depth_of[b["id"]]["depth"],
        }
        for b in scene.get("buildings", [])
    ]
    frame_urls = [file_url(name) for name in layers.get("frames", [])]
    return {
        "scenario": scenario,
        "frames": frames,
        "frame": frame,
        "current": frames[frame] if frames else None,
        "buildings": buildings,
        "buildings_wet": [b for b in buildings if b["depth"] > 0],
        "map_size": size,
        "map_buildings": map_buildings,
        "depth_url": frame_urls[frame] if frame_urls else "",
        "relief_url": file_url(layers["relief"]) if layers else "",
        "frame_urls": frame_urls,
        "max_url": file_url(layers["max"]) if layers else "",
        "viewer": {
            "scene": file_url("scene.json"),
            "frame": frame,
            "layers": frame_urls,
            "scenario": scenario.pk,
        },
        "downloads": [
            (name, label, file_url(name))
            for name, label in (
                ("profondeurs.tif", "Profondeurs, une bande par instant (COG)"),
                ("arrivee.tif", "Temps d'arrivée de l'eau (COG, minutes)"),
                ("profondeur_max.tif", "Profondeur maximale (COG)"),
                ("duree.tif", "Durée de submersion (COG, minutes)"),
                ("batiments.gpkg", "Bâtiments et hauteurs d'eau (GeoPackage)"),
                ("batiments.csv", "Bâtiments et hauteurs d'eau (CSV)"),
                ("resume.json", "Résumé du scénario (JSON)"),
            )
            if services.output_file(scenario, name)
        ],
    }


def hydrograph_chart(scenario, other=None) -> LineChart:
    """The river level over time (both scenarios when compared): the hydrograph the frames follow."""
    frames = scenario.summary["frames"]
    series = [Series(scenario.name, [f["level"] for f in frames])]
    if other is not None and [f["t"] for f in other.summary["frames"]] == [f["t"] for f in frames]:
        series.append(Series(other.name, [f["level"] for f in other.summary["frames"]]))
    return LineChart(
        title="Hydrogramme : niveau de la rivière",
        categories=[format_number(f["t"]) for f in frames],
        series=series,
        x_label="Temps (min)",
        y_label="Niveau (m NGF-IGN69)",
        unit="m",
        decimals=2,
        caption="Entre deux instants, le niveau est supposé varier linéairement (temps d'arrivée et durées).",
    )


def _render_scenario(request, scenario, *, file_url, shared=False, compare=None):
    frame_param = request.GET.get("frame", "0")
    if not frame_param.lstrip("-").isdigit():
        frame_param = "0"
    panel = _panel(scenario, frame_param, file_url) if scenario.status == ScenarioStatus.DONE else None
    other = None
    if compare is not None and compare.status == ScenarioStatus.DONE:
        other = _panel(compare, frame_param, lambda name: reverse("inondata:file", args=[compare.pk, name]))
    frame_form = FrameForm({"frame": panel["frame"]} if panel else None, frames=panel["frames"] if panel else ())
    context = {
        "title": scenario.name,
        "scenario": scenario,
        "panel": panel,
        "other": other,
        "shared": shared,
        "frame_form": frame_form,
        "classes": DEPTH_CLASSES,
        "limits": LIMITS_FR,
        "job": scenario.job,
        "comparable": []
        if shared
        else selectors.visible_scenarios(request.user).filter(status=ScenarioStatus.DONE).exclude(pk=scenario.pk),
        "viewers": [p["viewer"] for p in (panel, other) if p],
        "three_url": static(THREE),
        "chart": hydrograph_chart(scenario, other["scenario"] if other else None) if panel else None,
    }
    if request.htmx and scenario.status == ScenarioStatus.RUNNING:
        return render(request, "inondata/_status.html", context)
    return render(request, "inondata/scenario.html", context)


@require_GET
def scenario(request, pk: int):
    record = get_object_or_404(selectors.visible_scenarios(request.user), pk=pk)
    compare = None
    if request.GET.get("comparer", "").isdigit():
        compare = selectors.visible_scenarios(request.user).filter(pk=int(request.GET["comparer"])).first()
    return _render_scenario(
        request, record, file_url=lambda name: reverse("inondata:file", args=[record.pk, name]), compare=compare
    )


@require_GET
def shared(request, token: str):
    record = services.scenario_from_token(token)
    if record is None:
        raise Http404("Lien de partage invalide ou expiré.")
    return _render_scenario(
        request, record, file_url=lambda name: reverse("inondata:shared_file", args=[token, name]), shared=True
    )


def _file_response(record, name: str):
    found = services.output_file(record, name)
    if found is None:
        raise Http404("Fichier inconnu.")
    path, kind = found
    attachment = not name.endswith((".png", ".json")) or name == "resume.json"
    response = FileResponse(
        open(path, "rb"),
        content_type=kind,
        as_attachment=attachment,  # noqa: SIM115
        filename=f"inondata-{record.pk}-{name}",
    )
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
def file(request, pk: int, name: str):
    return _file_response(get_object_or_404(selectors.visible_scenarios(request.user), pk=pk), name)


@require_GET
def shared_file(request, token: str, name: str):
    record = services.scenario_from_token(token)
    if record is None:
        raise Http404("Lien de partage invalide ou expiré.")
    return _file_response(record, name)


@require_POST
@login_required
def share(request, pk: int):
    record = get_object_or_404(selectors.visible_scenarios(request.user), pk=pk)
    token = services.share_token(record, request.user)
    messages.success(
        request,
        "Lien de lecture seule créé (valable 90 jours) : "
        + request.build_absolute_uri(reverse("inondata:shared", args=[token])),
    )
    return redirect("inondata:scenario", pk=record.pk)


@require_http_methods(["GET", "POST"])
@login_required
def create(request):
    if not selectors.can_create(request.user):
        raise PermissionDenied("Il faut un rôle Inondata pour créer un scénario.")
    form = ScenarioForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        for field, key in (("laz", "terrain_file"), ("dtm", "terrain_file"), ("buildings", "buildings_file")):
            if data.get(field) and (field == "buildings" or data["terrain_source"] == field):
                data[key] = services.store_upload(data[field])
        try:
            record = services.create_scenario(request.user, data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("inondata:scenario", pk=record.pk)
    return render(request, "inondata/create.html", {"title": "Nouveau scénario", "form": form, "limits": LIMITS_FR})
