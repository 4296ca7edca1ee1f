"""Persistence of SIRANo: programmes and their funding schedules, establishments and their members,
projects, milestones with evidence, tranches and their payments. Rows are written only by `services.py`.

The workflow relies on the database, not on checks before writing: a tranche changes state by a
conditional UPDATE (`WHERE state = …`), so of two administrators validating at the same moment only
one row is updated; a payment is a row unique per tranche; amounts are integer cents.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from communs.sirano.engine.milestones import MILESTONE_CHOICES
from communs.territoires.mixins import TerritorialMixin


class Programme(models.Model):
    code = models.CharField(max_length=12, primary_key=True)
    label = models.CharField("libellé", max_length=200)
    publishes_investigator = models.BooleanField("publie le nom de l'investigateur", default=False)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.code


class FundingSchedule(models.Model):
    """The schedule of one programme for one campaign: `[[milestone, percent], …]` in rank order."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="schedules")
    year = models.PositiveSmallIntegerField("campagne")
    tranches = models.JSONField("tranches")

    class Meta:
        verbose_name = "échéancier"
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="sirano_schedule_once")]

    def __str__(self):
        return f"{self.programme_id} {self.year}"


class Establishment(TerritorialMixin):
    finess = models.CharField("FINESS", max_length=9, primary_key=True)
    name = models.CharField("nom", max_length=200)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="sirano_establishments")

    class Meta:
        verbose_name = "établissement"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.finess})"


class Project(models.Model):
    identifier = models.CharField("identifiant", max_length=30, unique=True)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="projects")
    year = models.PositiveSmallIntegerField("campagne")
    number = models.PositiveIntegerField("numéro")
    raw_identifiers = models.JSONField("identifiants d'origine", default=list)
    establishment = models.ForeignKey(Establishment, on_delete=models.PROTECT, related_name="projects")
    investigator = models.CharField("investigateur principal", max_length=200, blank=True)
    acronym = models.CharField("acronyme", max_length=60, blank=True)
    title = models.CharField("titre", max_length=500, blank=True)
    award_cents = models.BigIntegerField("montant attribué (centimes)")
    registry_ids = models.JSONField("identifiants de registre", default=list, blank=True)
    dois = models.JSONField("publications (DOI)", default=list, blank=True)
    notified_on = models.DateField("notifié le", null=True, blank=True)
    results_posted_on = models.DateField("résultats publiés le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "projet"
        ordering = ["-year", "programme", "number"]
        indexes = [models.Index(fields=["programme", "year"])]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year", "number"], name="sirano_project_key"),
            models.CheckConstraint(condition=Q(award_cents__gt=0), name="sirano_award_positive"),
        ]

    def __str__(self):
        return self.identifier


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField("jalon", max_length=30, choices=MILESTONE_CHOICES)
    planned_on = models.DateField("prévu le", null=True, blank=True)
    declared_on = models.DateField("atteint le", null=True, blank=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # declared − planned in days, stored at declaration so dashboards aggregate it in SQL
    delay_days = models.IntegerField("écart (jours)", null=True, blank=True)

    class Meta:
        verbose_name = "jalon"
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="sirano_milestone_once")]
        indexes = [models.Index(fields=["kind", "delay_days"], name="sirano_milestone_delay")]

    def __str__(self):
        return f"{self.project_id} {self.kind}"


class TrancheState(models.TextChoices):
    PLANNED = "prevue", "prévue"
    SUBMITTED = "demandee", "demandée"
    VALIDATED = "validee", "validée"
    REJECTED = "refusee", "refusée"
    PAID = "versee", "versée"


class Tranche(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tranches")
    rank = models.PositiveSmallIntegerField("rang")
    milestone = models.CharField("jalon", max_length=30, choices=MILESTONE_CHOICES)
    percent = models.DecimalField("pourcentage", max_digits=6, decimal_places=3)
    amount_cents = models.BigIntegerField("montant (centimes)")
    state = models.CharField("état", max_length=10, choices=TrancheState.choices, default=TrancheState.PLANNED)
    requested_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField("motif du refus", blank=True)

    class Meta:
        verbose_name = "tranche"
        ordering = ["project", "rank"]
        indexes = [models.Index(fields=["state"])]
        constraints = [
            models.UniqueConstraint(fields=["project", "rank"], name="sirano_tranche_rank"),
            models.CheckConstraint(condition=Q(amount_cents__gte=0), name="sirano_tranche_amount"),
            models.CheckConstraint(condition=~Q(state="refusee") | ~Q(reason=""), name="sirano_rejection_has_reason"),
        ]

    def __str__(self):
        return f"{self.project_id} T{self.rank}"

    @property
    def is_final(self) -> bool:
        return self.milestone == "resultats_publies" or self.rank == self.project.tranches.count()


class Payment(models.Model):
    """One per tranche, enforced by the database: a tranche is never paid twice."""

    tranche = models.OneToOneField(Tranche, on_delete=models.PROTECT, related_name="payment")
    amount_cents = models.BigIntegerField()
    paid_at = models.DateTimeField(auto_now_add=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "versement"

    def __str__(self):
        return f"versement {self.tranche}"


class Evidence(models.Model):
    """A document proving a milestone (checked by `UploadPolicy` before it is stored)."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="evidence")
    document = models.CharField("pièce", max_length=40)
    file = models.FileField(upload_to="sirano/pieces/%Y/")
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "pièce justificative"

    def __str__(self):
        return self.original_name


class ImportRun(models.Model):
    """A legacy import, kept with its report (applied or not)."""

    file_name = models.CharField(max_length=255)
    applied = models.BooleanField(default=False)
    report = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "import historique"
        ordering = ["-created_at"]

    def __str__(self):
        return self.file_name
