"""CoSIA persistence: ingested rasters (index), stored zones, exports and their downloads, use cases."""

from django.conf import settings
from django.db import models

from communs.territoires.mixins import TerritorialMixin


class Coverage(TerritorialMixin):
    """One ingested Cloud-Optimised GeoTIFF, indexed by département and vintage."""

    vintage = models.PositiveSmallIntegerField("millésime")
    source_name = models.CharField("fichier source", max_length=255)
    sha256 = models.CharField(max_length=64)
    path = models.CharField("COG", max_length=500, help_text="Relatif au dossier de données CoSIA")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    min_x = models.FloatField()
    min_y = models.FloatField()
    max_x = models.FloatField()
    max_y = models.FloatField()
    resolution = models.FloatField("résolution (m)")
    nomenclature_version = models.CharField(max_length=50)
    ingested_at = models.DateTimeField("ingéré le", auto_now_add=True)
    ingested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = "dalle CoSIA"
        verbose_name_plural = "dalles CoSIA"
        ordering = ["departement", "-vintage", "source_name"]
        constraints = [
            models.UniqueConstraint(fields=["departement", "vintage", "sha256"], name="cosia_coverage_unique_source")
        ]
        indexes = [models.Index(fields=["vintage", "departement"])]

    def __str__(self):
        return f"{self.source_name} ({self.departement}, {self.vintage})"

    @property
    def area_ha(self) -> float:
        return (self.max_x - self.min_x) * (self.max_y - self.min_y) / 10_000


class Zone(TerritorialMixin):
    """A polygon CoSIA keeps itself (the demo commune's outline; zones without an official contour)."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField("nom", max_length=200)
    geometry = models.TextField("géométrie (GeoJSON, EPSG:4326)")
    area_ha = models.FloatField("surface (ha)")
    source = models.CharField(max_length=255)

    class Meta:
        verbose_name = "zone"
        ordering = ["name"]

    def __str__(self):
        return self.name


class ExportFormat(models.TextChoices):
    GEOTIFF = "geotiff", "GeoTIFF (COG)"
    GPKG = "gpkg", "GeoPackage"
    SHP = "shp", "Shapefile (zip)"


class Export(models.Model):
    """A clipped download prepared by a background job, and who asked for it (nothing more)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cosia_exports")
    job = models.OneToOneField("core.Job", on_delete=models.SET_NULL, null=True, blank=True)
    territory_code = models.CharField("territoire", max_length=50)
    territory_label = models.CharField("libellé du territoire", max_length=200)
    vintage = models.PositiveSmallIntegerField("millésime")
    format = models.CharField(max_length=10, choices=ExportFormat.choices)
    file = models.CharField("archive", max_length=500, blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField("demandé le", auto_now_add=True)

    class Meta:
        verbose_name = "export"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.territory_label} {self.vintage} ({self.get_format_display()})"

    @property
    def filename(self) -> str:
        return f"cosia-{self.territory_code}-{self.vintage}-{self.format}.zip"


class Download(models.Model):
    """One download of an export: who, what, when. No IP address or user agent is kept."""

    export = models.ForeignKey(Export, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cosia_downloads")
    at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "téléchargement"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.export} — {self.at:%Y-%m-%d %H:%M}"


class UseCaseTheme(models.TextChoices):
    ARTIFICIALISATION = "artificialisation", "Artificialisation des sols (ZAN)"
    NATURE_EN_VILLE = "nature_en_ville", "Nature en ville, îlots de fraîcheur"
    TRAME_VERTE = "trame_verte", "Trame verte et bleue, biodiversité"
    AGRICULTURE = "agriculture", "Agriculture"
    RISQUES = "risques", "Risques et imperméabilisation"
    AUTRE = "autre", "Autre"


class UseCaseStatus(models.TextChoices):
    SUBMITTED = "submitted", "En attente de modération"
    PUBLISHED = "published", "Publié"
    REJECTED = "rejected", "Refusé"


class UseCase(TerritorialMixin):
    """A use case told by a territory; published only after moderation."""

    title = models.CharField("titre", max_length=200)
    territory_label = models.CharField("territoire", max_length=200)
    theme = models.CharField("thème", max_length=40, choices=UseCaseTheme.choices)
    description = models.TextField()
    links = models.TextField("liens", blank=True, help_text="Une adresse par ligne")
    data_used = models.TextField("données utilisées", blank=True)
    image = models.FileField("image", upload_to="cosia/cas-usage/", blank=True)
    image_alt = models.CharField("texte alternatif de l'image", max_length=250, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=12, choices=UseCaseStatus.choices, default=UseCaseStatus.SUBMITTED)
    moderation_note = models.TextField("motif de modération", blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "cas d'usage"
        verbose_name_plural = "cas d'usage"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]
