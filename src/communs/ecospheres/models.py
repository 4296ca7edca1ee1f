"""Écosphères persistence: harvest sources and runs, the records each source gave, the merged
datasets with their facets and search tokens, duplicate candidates, and bouquets."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from communs.ecospheres.engine import bouquets as bouquet_rules
from communs.ecospheres.engine.kinds import KINDS
from communs.territoires.mixins import TerritorialMixin


class HarvestSource(models.Model):
    class Schedule(models.TextChoices):
        MANUAL = "manuel", "À la demande"
        DAILY = "quotidien", "Chaque jour"
        WEEKLY = "hebdomadaire", "Chaque semaine"

    name = models.CharField("nom", max_length=100, unique=True)
    kind = models.CharField("type", max_length=10, choices=list(KINDS.items()))
    url = models.CharField("adresse (URL, fichier ou dossier)", max_length=500)
    schedule = models.CharField("calendrier", max_length=20, choices=Schedule.choices, default=Schedule.MANUAL)
    grace_days = models.PositiveIntegerField(
        "délai de grâce (jours)", default=7, help_text="Un enregistrement disparu est archivé après ce délai."
    )
    active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "source moissonnée"
        verbose_name_plural = "sources moissonnées"
        ordering = ["name"]

    def __str__(self):
        return self.name


class HarvestRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "en cours", "En cours"
        SUCCEEDED = "réussi", "Réussi"
        FAILED = "échoué", "Échoué"

    source = models.ForeignKey(HarvestSource, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    job_id = models.CharField(max_length=40, blank=True)
    triggered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = "moissonnage"
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.source} — {self.started_at:%d/%m/%Y %H:%M}"


class Dataset(models.Model):
    """One dataset, whatever the number of catalogues publishing it."""

    slug = models.SlugField(max_length=60, unique=True)
    identifier = models.CharField("identifiant normalisé", max_length=300, db_index=True)
    title = models.CharField("titre", max_length=500)
    description = models.TextField(blank=True)
    publisher = models.CharField("producteur", max_length=300, blank=True)
    license = models.CharField("licence", max_length=300, blank=True)
    modified = models.DateField("modifié le", null=True, blank=True)
    record = models.JSONField(default=dict, help_text="L'enregistrement fusionné (modèle DCAT-AP).")
    field_sources = models.JSONField(default=dict, help_text="Pour chaque champ, la source dont il vient.")
    distributions = models.JSONField(default=list)
    quality_score = models.PositiveSmallIntegerField(default=0)
    quality_max = models.PositiveSmallIntegerField(default=0)
    quality = models.JSONField(default=list)
    search_text = models.TextField(blank=True, help_text="Radicaux français indexés (FTS5 ou tsvector).")
    live = models.BooleanField("publié par au moins une source", default=True)
    content_hash = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "jeu de données"
        verbose_name_plural = "jeux de données"
        ordering = ["title", "pk"]
        # Search counts live datasets and pages them best first: an index covering both keeps the
        # wide rows (JSON record, distributions) out of the scan.
        # (Partial on `live`: SQLite writes the filter as a bare `WHERE live`, which only a partial
        # index with the same condition serves.)
        indexes = [
            models.Index(
                fields=["-quality_score", "title", "id"], condition=Q(live=True), name="ecospheres_dataset_rank"
            )
        ]

    def __str__(self):
        return self.title


class SourceRecord(models.Model):
    """What one source says about one dataset, as last read."""

    source = models.ForeignKey(HarvestSource, on_delete=models.CASCADE, related_name="records")
    remote_id = models.CharField("identifiant distant", max_length=500)
    dataset = models.ForeignKey(Dataset, null=True, blank=True, on_delete=models.SET_NULL, related_name="records")
    fingerprint = models.CharField(max_length=64)
    data = models.JSONField()
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    missing_since = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "enregistrement moissonné"
        verbose_name_plural = "enregistrements moissonnés"
        constraints = [models.UniqueConstraint(fields=["source", "remote_id"], name="ecospheres_record_unique")]

    def __str__(self):
        return f"{self.source}:{self.remote_id}"


class DatasetFacet(models.Model):
    class Facet(models.TextChoices):
        THEME = "theme", "Thème"
        TERRITORY = "territoire", "Territoire"
        PUBLISHER = "producteur", "Producteur"
        FORMAT = "format", "Format"
        LICENSE = "licence", "Licence"
        QUALITY = "qualite", "Qualité"
        SOURCE = "source", "Source"

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="facets")
    facet = models.CharField(max_length=12, choices=Facet.choices)
    value = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["facet", "value", "dataset"], name="ecospheres_facet_value")]

    def __str__(self):
        return f"{self.facet}={self.value}"


class DuplicateCandidate(models.Model):
    """Two datasets that may be one; the decision is keyed by their identifiers, so it survives re-harvests."""

    class Status(models.TextChoices):
        PENDING = "à examiner", "À examiner"
        CONFIRMED = "confirmé", "Confirmé (même jeu)"
        REJECTED = "rejeté", "Rejeté (jeux distincts)"

    identifier_a = models.CharField(max_length=300)
    identifier_b = models.CharField(max_length=300)
    a = models.ForeignKey(Dataset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    b = models.ForeignKey(Dataset, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    score = models.FloatField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "doublon possible"
        verbose_name_plural = "doublons possibles"
        constraints = [
            models.UniqueConstraint(fields=["identifier_a", "identifier_b"], name="ecospheres_candidate_unique")
        ]
        ordering = ["-score", "pk"]

    def __str__(self):
        return f"{self.identifier_a} ~ {self.identifier_b} ({self.score:.2f})"

    @property
    def score_percent(self) -> float:
        return self.score * 100


class Bouquet(TerritorialMixin):
    """A use case on one territory; `region`/`departement` (TerritorialMixin) place it for scopes."""

    class Status(models.TextChoices):
        DRAFT = "brouillon", "Brouillon"
        PUBLISHED = "publié", "Publié"

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField("titre", max_length=200)
    use_case = models.CharField("cas d'usage", max_length=200)
    description = models.TextField(blank=True)
    territory_level = models.CharField(max_length=12)
    territory_ref = models.CharField("code du territoire (INSEE ou SIREN d'EPCI)", max_length=9)
    territory_name = models.CharField(max_length=200)
    themes = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    followers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="ecospheres_followed")
    cloned_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)
    topic_id = models.CharField("sujet data.gouv.fr", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self):
        return f"{self.title} ({self.territory_name})"


class BouquetGroup(models.Model):
    bouquet = models.ForeignKey(Bouquet, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField("nom", max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class BouquetItem(models.Model):
    Availability = models.TextChoices("Availability", [(key, label) for key, label in bouquet_rules.LABELS.items()])

    bouquet = models.ForeignKey(Bouquet, on_delete=models.CASCADE, related_name="items")
    group = models.ForeignKey(BouquetGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    title = models.CharField("titre", max_length=300)
    purpose = models.TextField("à quoi sert cette donnée")
    dataset = models.ForeignKey(Dataset, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    url = models.URLField("lien", blank=True, max_length=500)
    availability = models.CharField(max_length=30, choices=Availability.choices, default=bouquet_rules.MISSING)
    previous_availability = models.CharField(max_length=30, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "élément de bouquet"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class BouquetComment(models.Model):
    bouquet = models.ForeignKey(Bouquet, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    text = models.TextField("commentaire")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:50]


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    bouquet = models.ForeignKey(Bouquet, null=True, on_delete=models.CASCADE, related_name="+")
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.message
