"""Inondata persistence: flood scenarios (inputs, job, summary and where their outputs are)."""

from django.conf import settings
from django.db import models

from communs.territoires.mixins import TerritorialMixin


class TerrainSource(models.TextChoices):
    DEMO = "demo", "Terrain de démonstration (vallée synthétique)"
    LAZ = "laz", "Nuage de points LiDAR HD (LAZ)"
    DTM = "dtm", "Modèle numérique de terrain (GeoTIFF)"


class SeedSource(models.TextChoices):
    DEMO = "demo", "Rivière de la démonstration"
    WATER = "water", "Points d'eau du LiDAR (classe 9)"
    GEOJSON = "geojson", "Tracé ou couche des cours d'eau (GeoJSON)"


class ScenarioStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    RUNNING = "running", "En cours de calcul"
    DONE = "done", "Calculé"
    FAILED = "failed", "Échec du calcul"


class Scenario(TerritorialMixin):
    """A flood scenario: area, terrain, river seeds and hydrograph; results live in `output_dir`."""

    name = models.CharField("nom", max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="inondata_scenarios"
    )
    area_label = models.CharField("zone", max_length=200, blank=True, help_text="Nom de la commune, s'il y en a une")
    min_x = models.FloatField(null=True, blank=True)
    min_y = models.FloatField(null=True, blank=True)
    max_x = models.FloatField(null=True, blank=True)
    max_y = models.FloatField(null=True, blank=True)
    terrain_source = models.CharField("relief", max_length=10, choices=TerrainSource.choices)
    terrain_file = models.CharField("fichier de relief", max_length=500, blank=True)
    buildings_file = models.CharField("fichier des bâtiments", max_length=500, blank=True)
    resolution = models.FloatField("résolution (m)", default=1.0)
    seed_source = models.CharField("graines", max_length=10, choices=SeedSource.choices)
    seeds_geojson = models.TextField("graines (GeoJSON)", blank=True)
    hydrograph = models.TextField("hydrogramme (CSV t,level)")
    connectivity = models.PositiveSmallIntegerField("connectivité", default=4)
    status = models.CharField(max_length=10, choices=ScenarioStatus.choices, default=ScenarioStatus.DRAFT)
    job = models.OneToOneField("core.Job", on_delete=models.SET_NULL, null=True, blank=True)
    summary = models.JSONField("résumé", null=True, blank=True)
    output_dir = models.CharField("dossier des résultats", max_length=500, blank=True)
    error = models.TextField(blank=True)
    is_public = models.BooleanField("public", default=False, help_text="Visible de tous (scénarios de démonstration)")
    created_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "scénario d'inondation"
        verbose_name_plural = "scénarios d'inondation"
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        values = (self.min_x, self.min_y, self.max_x, self.max_y)
        return None if any(v is None for v in values) else values
