"""Persistence of Recens'smart: questionnaires and their versions, campaigns, respondent units
with their answers, and paradata kept apart from answers.

Rows are written only by `services.py`. A respondent unit holds its session state (status, last
page, answers as Lunatic COLLECTED values) in one row, locked while a page is saved, so a page
is either entirely saved or not at all. Access codes are stored hashed: the plain code exists
only in the CSV handed to the survey team when the units are created.
"""

import hashlib

from django.conf import settings
from django.db import models

from communs.territoires.mixins import TerritorialMixin

SERVICE = "recensmart"
ROLE_CONCEPTION = "concepteur"  # uploads, edits and publishes questionnaires
ROLE_GESTION = "gestionnaire"  # runs campaigns in a territory: units, follow-up, exports


def hash_code(code: str) -> str:
    normalized = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(f"recensmart:{normalized}".encode()).hexdigest()


class Questionnaire(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField("titre", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "questionnaire"
        ordering = ["title"]

    def __str__(self):
        return self.title


class QuestionnaireVersion(models.Model):
    class Format(models.TextChoices):
        LUNATIC = "lunatic", "Lunatic JSON"
        XLSFORM = "xlsform", "XLSForm"

    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        PUBLISHED = "published", "Publiée"

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("version")
    source_format = models.CharField(max_length=10, choices=Format.choices)
    file_name = models.CharField(max_length=200)
    source = models.BinaryField("fichier source")
    source_sha256 = models.CharField(max_length=64, editable=False)
    warnings = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "version de questionnaire"
        ordering = ["questionnaire", "-number"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "number"], name="recensmart_version_unique")]

    def __str__(self):
        return f"{self.questionnaire} v{self.number}"


class Campaign(TerritorialMixin):
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="campaigns")
    label = models.CharField("libellé", max_length=200)
    opens_on = models.DateField("ouverture", null=True, blank=True)
    closes_on = models.DateField("clôture", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "campagne"
        ordering = ["-created_at"]

    def __str__(self):
        return self.label


class RespondentUnit(models.Model):
    class Status(models.TextChoices):
        INIT = "INIT", "Non commencé"
        STARTED = "STARTED", "Commencé"
        COMPLETED = "COMPLETED", "Terminé"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="units")
    external_id = models.CharField("identifiant", max_length=60)
    label = models.CharField("libellé (adresse)", max_length=300, blank=True)
    email = models.EmailField("courriel", blank=True)
    code_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INIT, db_index=True)
    page = models.CharField("dernière page", max_length=40, blank=True)
    reached = models.CharField("page la plus avancée", max_length=40, blank=True)
    warned = models.CharField(max_length=40, blank=True)
    data = models.JSONField("réponses", default=dict, blank=True)
    saves = models.PositiveIntegerField("pages enregistrées", default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "unité enquêtée"
        verbose_name_plural = "unités enquêtées"
        ordering = ["campaign", "external_id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "external_id"], name="recensmart_unit_unique"),
        ]

    def __str__(self):
        return f"{self.campaign} — {self.external_id}"

    def state(self) -> dict:
        return {
            "status": self.status,
            "page": self.page or None,
            "reached": self.reached or None,
            "warned": self.warned or None,
            "data": self.data,
        }


class Paradata(models.Model):
    """One page shown and submitted: time spent and device class, never an answer."""

    class Device(models.TextChoices):
        MOBILE = "mobile", "Mobile"
        TABLET = "tablet", "Tablette"
        DESKTOP = "desktop", "Ordinateur"

    unit = models.ForeignKey(RespondentUnit, on_delete=models.CASCADE, related_name="paradata")
    page = models.CharField(max_length=40)
    outcome = models.CharField(max_length=10)  # moved | warned | blocked | refresh | previous (draft)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    device = models.CharField(max_length=10, choices=Device.choices, default=Device.DESKTOP)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "paradonnée"
        ordering = ["unit", "created_at"]
        indexes = [models.Index(fields=["unit", "page"])]

    def __str__(self):
        return f"{self.unit_id} {self.page} {self.outcome}"
