"""Persistence of Estim'Action: the datasets (with producer, vintage, coverage and status) and the
computed exposure of each territory, stamped with the dataset versions it was computed from.

Files of a dataset are kept under `DATA_DIR/estimaction/datasets/<id>/`; the database keeps what
the pages show. Impacts are not stored: they are recomputed from the stored exposure with the
parameter set the user picks, so a new parameter version never needs a recomputation.
"""

from django.conf import settings
from django.db import models

from communs.estimaction.engine.parameters import SOURCE_LABELS
from communs.territoires.mixins import TerritorialMixin


class DatasetKind(models.TextChoices):
    POPULATION = "population", "Population carroyée (INSEE Filosofi, 200 m)"
    NOISE = "bruit", "Cartes de bruit stratégiques (CNIG)"
    PM25 = "pm25", "Concentration moyenne annuelle de PM2,5"
    NO2 = "no2", "Concentration moyenne annuelle de NO₂"


class DatasetStatus(models.TextChoices):
    ACTIVE = "en-vigueur", "en vigueur"
    SUPERSEDED = "remplace", "remplacé par un millésime plus récent"


class Dataset(models.Model):
    kind = models.CharField("type", max_length=20, choices=DatasetKind.choices)
    name = models.CharField("nom", max_length=200)
    producer = models.CharField("producteur", max_length=200)
    vintage = models.PositiveIntegerField("millésime")
    coverage = models.CharField("couverture", max_length=200)
    status = models.CharField("statut", max_length=20, choices=DatasetStatus.choices, default=DatasetStatus.ACTIVE)
    source_url = models.URLField("source", blank=True)
    licence = models.CharField(max_length=100, default="Licence Ouverte 2.0")
    file_name = models.CharField("fichier", max_length=255)
    features = models.PositiveIntegerField("entités lues", default=0)
    # Noise maps only: the source types the file holds (road, rail, aircraft, industry). One noise map is in
    # force per source type, so a rail map never replaces a road map.
    source_types = models.JSONField("types de source", default=list, blank=True)
    imported_at = models.DateTimeField("importé le", auto_now_add=True)
    last_checked_at = models.DateTimeField("vérifié le")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = "jeu de données"
        verbose_name_plural = "jeux de données"
        ordering = ["kind", "-vintage", "-imported_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.vintage} ({self.producer})"

    @property
    def version_label(self) -> str:
        return f"{self.producer}, millésime {self.vintage}"

    @property
    def source_types_label(self) -> str:
        return ", ".join(SOURCE_LABELS.get(source, source) for source in self.source_types)

    def stamp(self) -> dict:
        """What a computed result keeps about this dataset."""
        return {
            "id": self.pk,
            "kind": self.kind,
            "source_types": list(self.source_types),
            "name": self.name,
            "producer": self.producer,
            "vintage": self.vintage,
            "coverage": self.coverage,
            "file": self.file_name,
            "imported_at": self.imported_at.isoformat(),
            "last_checked_at": self.last_checked_at.isoformat(),
        }


class TerritoryLevel(models.TextChoices):
    COMMUNE = "commune", "commune"
    EPCI = "epci", "EPCI"
    DEPARTEMENT = "departement", "département"


class TerritoryResult(TerritorialMixin):
    """The exposure of one territory, as last computed."""

    level = models.CharField("niveau", max_length=20, choices=TerritoryLevel.choices)
    code = models.CharField(max_length=9)
    name = models.CharField("nom", max_length=200)
    total_population = models.FloatField("population")
    exposure = models.JSONField("exposition au bruit par bande")
    # Per pollutant, population binned by concentration: [[c, population, baseline deaths, yll weight], …]
    air = models.JSONField("exposition à l'air", default=dict)
    cells = models.JSONField("carreaux exposés (carte)", default=list)
    cells_truncated = models.BooleanField(default=False)
    datasets = models.JSONField("versions des données")
    changes = models.JSONField("évolution depuis le calcul précédent", default=dict)
    method = models.CharField("méthode de sélection", max_length=100)
    computed_at = models.DateTimeField("calculé le", auto_now=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "résultat territorial"
        verbose_name_plural = "résultats territoriaux"
        ordering = ["level", "code"]
        constraints = [models.UniqueConstraint(fields=["level", "code"], name="estimaction_result_level_code")]

    def __str__(self):
        return f"{self.name} ({self.get_level_display()} {self.code})"
