"""Persistence of État bas carbone: factor bases (versions), the organisation tree, inventories
with their activity lines, imports with their row-level reports, and action plans."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from communs.bascarbone.engine.beges import POSTS
from communs.bascarbone.engine.gwp import DEFAULT_GWP_SET, GWP_SETS
from communs.territoires.mixins import TerritorialMixin

POST_CHOICES = [(post.code, f"{post.code} – {post.label}") for post in POSTS]
GWP_CHOICES = [(name, name) for name in GWP_SETS]


class FactorBase(models.Model):
    """One version of a factor base (an import of Base Empreinte, or the shipped starter set)."""

    version = models.CharField("version", max_length=80, unique=True)
    source = models.CharField("source", max_length=200)
    is_starter = models.BooleanField("jeu de départ", default=False)
    created_at = models.DateTimeField("importée le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "base de facteurs"
        verbose_name_plural = "bases de facteurs"
        ordering = ["-created_at"]

    def __str__(self):
        return self.version


class Factor(models.Model):
    base = models.ForeignKey(FactorBase, on_delete=models.CASCADE, related_name="factors")
    factor_id = models.CharField("identifiant", max_length=40)
    name = models.CharField("nom", max_length=400)
    unit = models.CharField("unité", max_length=60)
    total = models.FloatField("total (kgCO2e/unité)")
    co2 = models.FloatField(default=0)
    ch4 = models.FloatField(default=0)
    n2o = models.FloatField(default=0)
    other = models.FloatField("autres gaz", default=0)
    co2b = models.FloatField("CO2 biogénique", default=0)
    uncertainty = models.FloatField("incertitude (part, 95 %)", default=0)
    gas = models.CharField("fluide (PRG)", max_length=20, blank=True)
    pcs_pci_ratio = models.FloatField("rapport PCI/PCS", null=True, blank=True)
    post = models.CharField("poste usuel", max_length=4, blank=True)
    source = models.CharField("source", max_length=300, blank=True)
    year = models.PositiveIntegerField("année", null=True, blank=True)
    status = models.CharField("statut", max_length=60, blank=True)

    class Meta:
        verbose_name = "facteur d'émission"
        verbose_name_plural = "facteurs d'émission"
        constraints = [models.UniqueConstraint(fields=["base", "factor_id"], name="bascarbone_unique_factor")]
        ordering = ["post", "name"]

    def __str__(self):
        return f"{self.name} ({self.total} {self.unit})"


class EntityKind(models.TextChoices):
    ETAT = "etat", "État"
    POLE = "pole", "Pôle ministériel"
    DIRECTION = "direction", "Direction"
    PREFECTURE_REGION = "prefecture_region", "Préfecture de région"
    PREFECTURE = "prefecture", "Préfecture de département"
    SERVICE = "service", "Service"


class Entity(TerritorialMixin):
    """A node of the organisation tree. Several parents are allowed (a DDI is under its préfecture
    and its ministry): totals count each entity once whatever the number of paths."""

    code = models.SlugField("code", max_length=60, unique=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=20, choices=EntityKind.choices, default=EntityKind.SERVICE)
    parents = models.ManyToManyField("self", symmetrical=False, related_name="children", blank=True)
    target_reference_year = models.PositiveIntegerField("année de référence de l'objectif", null=True, blank=True)
    target_year = models.PositiveIntegerField("année cible", null=True, blank=True)
    target_reduction = models.FloatField("réduction visée (part)", null=True, blank=True)

    class Meta:
        verbose_name = "entité"
        verbose_name_plural = "entités"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Correspondent(models.Model):
    """A correspondant (SPE) of an entity: sees and edits it and everything below it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bascarbone_entities")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="correspondents")

    class Meta:
        verbose_name = "correspondant"
        verbose_name_plural = "correspondants"
        constraints = [models.UniqueConstraint(fields=["user", "entity"], name="bascarbone_unique_correspondent")]

    def __str__(self):
        return f"{self.user} → {self.entity}"


class Inventory(models.Model):
    """The BEGES of one entity for one year; pins its factor base version and GWP set."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="inventories")
    year = models.PositiveIntegerField("année")
    factor_base = models.ForeignKey(FactorBase, on_delete=models.PROTECT, related_name="inventories")
    gwp_set = models.CharField("jeu de PRG", max_length=8, choices=GWP_CHOICES, default=DEFAULT_GWP_SET)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "bilan"
        verbose_name_plural = "bilans"
        constraints = [models.UniqueConstraint(fields=["entity", "year"], name="bascarbone_unique_inventory")]
        ordering = ["entity__name", "-year"]

    def __str__(self):
        return f"{self.entity} – {self.year}"


class ActivityImport(models.Model):
    """One uploaded file and its row-level report. A rejected file writes its report and no line."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Importé"
        REJECTED = "rejected", "Refusé"

    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField("fichier", max_length=255)
    format = models.CharField("format", max_length=20)
    status = models.CharField("état", max_length=10, choices=Status.choices)
    rows = models.PositiveIntegerField("lignes lues", default=0)
    imported = models.PositiveIntegerField("lignes importées", default=0)
    errors = models.JSONField("erreurs", default=list, blank=True)
    created_at = models.DateTimeField("importé le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "import d'activités"
        verbose_name_plural = "imports d'activités"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"


class Activity(models.Model):
    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="activities")
    post = models.CharField("poste", max_length=4, choices=POST_CHOICES)
    factor_id = models.CharField("facteur", max_length=40)
    quantity = models.FloatField("quantité", validators=[MinValueValidator(0)])
    unit = models.CharField("unité", max_length=30)
    activity_uncertainty = models.FloatField("incertitude sur l'activité (part, 95 %)", default=0)
    amortization_years = models.FloatField("durée d'amortissement (ans)", null=True, blank=True)
    label = models.CharField("libellé", max_length=255, blank=True)
    source_import = models.ForeignKey(
        ActivityImport, on_delete=models.CASCADE, null=True, blank=True, related_name="activities"
    )
    source_line = models.PositiveIntegerField("ligne du fichier", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "donnée d'activité"
        verbose_name_plural = "données d'activité"
        ordering = ["post", "id"]
        indexes = [models.Index(fields=["inventory", "post"])]

    def __str__(self):
        return f"{self.post} {self.factor_id} {self.quantity} {self.unit}"


class Action(models.Model):
    """An action of the entity's transition plan, with its estimated yearly reduction."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Prévue"
        ONGOING = "ongoing", "En cours"
        DONE = "done", "Réalisée"

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField("intitulé", max_length=200)
    post = models.CharField("poste concerné", max_length=4, choices=POST_CHOICES)
    reduction_tco2e = models.FloatField("réduction estimée (tCO2e/an)", validators=[MinValueValidator(0)])
    due_year = models.PositiveIntegerField("échéance (année)")
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "action"
        verbose_name_plural = "plan d'action"
        ordering = ["due_year", "title"]

    def __str__(self):
        return self.title
