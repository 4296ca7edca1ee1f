"""Persistence of the territorial reference. Rows are written only by `services.load_reference`
and `services.import_contours`; codes are the primary keys because every other app stores and
exchanges INSEE codes, never database ids."""

from django.db import models


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    search_name = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        verbose_name = "région"
        ordering = ["code"]

    def __str__(self):
        return f"{self.nom} ({self.code})"


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")
    search_name = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.nom} ({self.code})"


class Epci(models.Model):
    """Établissement public de coopération intercommunale à fiscalité propre, identified by its SIREN."""

    code = models.CharField("SIREN", max_length=9, primary_key=True)
    nom = models.CharField(max_length=200)
    type = models.CharField(max_length=10, help_text="CC, CA, CU, METRO ou MET69")
    population = models.PositiveIntegerField(null=True, blank=True)
    search_name = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["code"]

    def __str__(self):
        return f"{self.nom} ({self.code})"


class CommuneKind(models.TextChoices):
    COMMUNE = "commune-actuelle", "commune"
    ARRONDISSEMENT = "arrondissement-municipal", "arrondissement municipal"


class Commune(models.Model):
    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    nom = models.CharField(max_length=100)
    kind = models.CharField("type", max_length=30, choices=CommuneKind.choices, default=CommuneKind.COMMUNE)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(Epci, on_delete=models.SET_NULL, null=True, blank=True, related_name="membres")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="arrondissements",
        help_text="La commune (Paris, Lyon, Marseille) d'un arrondissement municipal.",
    )
    population = models.PositiveIntegerField(null=True, blank=True)
    siren = models.CharField(max_length=9, blank=True)
    # " 42000 42100 " : the spaces let `postcodes__contains=" 42000 "` match whole postcodes only.
    postcodes = models.CharField("codes postaux", max_length=400, blank=True)
    search_name = models.CharField(max_length=100, db_index=True, editable=False)

    class Meta:
        verbose_name = "commune"
        ordering = ["code"]

    def __str__(self):
        return f"{self.nom} ({self.code})"

    @property
    def postcode_list(self) -> list[str]:
        return self.postcodes.split()

    @property
    def label(self) -> str:
        """What the autocomplete shows and accepts back: "Saint-Étienne (42218)"."""
        return f"{self.nom} ({self.code})"


class ContourLevel(models.TextChoices):
    COMMUNE = "commune", "commune"
    EPCI = "epci", "EPCI"
    DEPARTEMENT = "departement", "département"
    REGION = "region", "région"


class Contour(models.Model):
    """An outline in EPSG:4326, stored as GeoJSON text so that SQLite and PostgreSQL behave the same
    (no GIS extension needed); the bbox columns allow cheap "what is near here" filters."""

    level = models.CharField("niveau", max_length=20, choices=ContourLevel.choices)
    code = models.CharField(max_length=9)
    geometry = models.TextField("géométrie (GeoJSON, EPSG:4326)")
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    source = models.CharField(max_length=255, help_text="Fichier importé")
    tolerance_m = models.FloatField("tolérance de simplification (m)", default=0)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "contour"
        ordering = ["level", "code"]
        constraints = [models.UniqueConstraint(fields=["level", "code"], name="territoires_contour_level_code")]

    def __str__(self):
        return f"{self.get_level_display()} {self.code}"
