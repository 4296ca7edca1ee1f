"""Inondata forms (DSFR): the scenario editor and the frame choice (works without JavaScript)."""

import math

from django import forms
from django.core.exceptions import ValidationError

from communs.core.forms import DsfrForm
from communs.core.uploads import LAS, SQLITE, TIFF, PolicyFileField, UploadPolicy
from communs.inondata.engine.synthetic import hydrograph_csv
from communs.inondata.models import SeedSource, TerrainSource
from communs.territoires.forms import CommuneField

LAZ_POLICY = UploadPolicy(
    label="nuage de points LiDAR (LAZ ou LAS)",
    extensions=frozenset({".laz", ".las"}),
    max_bytes=500 * 1024 * 1024,
    signatures=LAS,
)
DTM_POLICY = UploadPolicy(
    label="modèle numérique de terrain (GeoTIFF)",
    extensions=frozenset({".tif", ".tiff"}),
    max_bytes=500 * 1024 * 1024,
    signatures=TIFF,
)
BUILDINGS_POLICY = UploadPolicy(
    label="GeoPackage de bâtiments (BD TOPO)",
    extensions=frozenset({".gpkg"}),
    max_bytes=200 * 1024 * 1024,
    signatures=SQLITE,
)


class ScenarioForm(DsfrForm):
    name = forms.CharField(label="Nom du scénario", max_length=200)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    commune = CommuneField(required=False)
    min_x = forms.FloatField(label="X minimal (m, Lambert-93)", required=False)
    min_y = forms.FloatField(label="Y minimal (m, Lambert-93)", required=False)
    max_x = forms.FloatField(label="X maximal (m, Lambert-93)", required=False)
    max_y = forms.FloatField(label="Y maximal (m, Lambert-93)", required=False)
    terrain_source = forms.ChoiceField(
        label="Relief", choices=TerrainSource.choices, initial=TerrainSource.DEMO, widget=forms.RadioSelect
    )
    laz = PolicyFileField(LAZ_POLICY, label="Nuage de points LiDAR HD", required=False)
    dtm = PolicyFileField(DTM_POLICY, label="MNT GeoTIFF (Lambert-93)", required=False)
    resolution = forms.FloatField(
        label="Résolution du MNT construit (m)", min_value=0.5, max_value=2.0, initial=1.0, required=False
    )
    buildings = PolicyFileField(BUILDINGS_POLICY, label="Bâtiments BD TOPO", required=False)
    seed_source = forms.ChoiceField(
        label="Cours d'eau (graines)", choices=SeedSource.choices, initial=SeedSource.DEMO, widget=forms.RadioSelect
    )
    seeds_geojson = forms.CharField(
        label="Tracé du cours d'eau (GeoJSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Points ou lignes ; projection indiquée par le membre « crs », sinon WGS 84.",
    )
    hydrograph = forms.CharField(
        label="Hydrogramme (CSV : t en minutes, level en m NGF)",
        initial=hydrograph_csv(),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    connectivity = forms.TypedChoiceField(
        label="Connectivité",
        choices=[(4, "4 voisins (par défaut)"), (8, "8 voisins (diagonales comprises)")],
        coerce=int,
        initial=4,
    )

    def clean(self):
        data = super().clean()
        corners = [data.get(k) for k in ("min_x", "min_y", "max_x", "max_y")]
        if any(v is not None for v in corners):
            if any(v is None for v in corners):
                raise ValidationError("Donnez les quatre coordonnées du rectangle, ou aucune.")
            if not all(math.isfinite(v) for v in corners):
                raise ValidationError("Coordonnées non finies.")
            if corners[0] >= corners[2] or corners[1] >= corners[3]:
                raise ValidationError("Rectangle vide : le minimum doit être inférieur au maximum.")
            data["bbox"] = tuple(corners)
        source = data.get("terrain_source")
        if source == TerrainSource.LAZ and not data.get("laz"):
            self.add_error("laz", "Envoyez le nuage de points.")
        if source == TerrainSource.DTM and not data.get("dtm"):
            self.add_error("dtm", "Envoyez le MNT.")
        if data.get("seed_source") == SeedSource.GEOJSON and not (data.get("seeds_geojson") or "").strip():
            self.add_error("seeds_geojson", "Tracez ou collez le cours d'eau.")
        if data.get("seed_source") == SeedSource.WATER and source != TerrainSource.LAZ:
            self.add_error("seed_source", "Les points d'eau viennent d'un nuage de points LAZ.")
        if data.get("seed_source") == SeedSource.DEMO and source != TerrainSource.DEMO:
            self.add_error("seed_source", "La rivière de démonstration ne vaut que pour le terrain de démonstration.")
        resolution = data.get("resolution")
        if resolution is not None and not math.isfinite(resolution):
            self.add_error("resolution", "Résolution non finie.")
        return data


class FrameForm(forms.Form):
    frame = forms.TypedChoiceField(label="Instant de l'hydrogramme", coerce=int)

    def __init__(self, *args, frames=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frame"].choices = [
            (k, f"t = {f['t']:g} min — niveau {f['level']:.2f} m".replace(".", ",")) for k, f in enumerate(frames)
        ]
