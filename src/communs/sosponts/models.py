"""Persistence of SOS Ponts: communal structures, mayors' questions with their triage, experts' answers
and internal notes, follow-ups, resource sheets (versioned) and the first-level advice table (versioned).

Rows are written only by `services.py`. Territory comes from `territoires.mixins.TerritorialMixin`
(INSEE codes, filled from the reference), so `core.scopes` filters questions like every other app's
data. Embeddings of published texts are stored next to them (384 float32, little-endian) so the
similarity index is rebuilt without the model.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from communs.sosponts.engine.ouvrages import OUVRAGE_KINDS, STRUCTURE_TYPES
from communs.territoires.mixins import TerritorialMixin


class Ouvrage(TerritorialMixin):
    """A communal bridge or retaining wall."""

    name = models.CharField("nom", max_length=200)
    kind = models.CharField("nature", max_length=10, choices=list(OUVRAGE_KINDS.items()), default="pont")
    structure = models.CharField("type", max_length=30, choices=list(STRUCTURE_TYPES.items()), blank=True)
    national_id = models.CharField("identifiant du programme national ponts", max_length=40, blank=True)
    span_m = models.FloatField("portée (m)", null=True, blank=True)
    road = models.CharField("voie portée", max_length=200, blank=True)
    iqoa = models.CharField("classe IQOA", max_length=4, default="NE")
    national_level = models.CharField("niveau du programme national", max_length=60, blank=True)

    class Meta:
        verbose_name = "ouvrage"
        ordering = ["commune", "name"]

    def __str__(self):
        return self.name


class Urgency(models.TextChoices):
    URGENT = "urgent", "urgente"
    NORMAL = "normal", "normale"


class Status(models.TextChoices):
    NEW = "nouvelle", "nouvelle"
    ASSIGNED = "attribuee", "attribuée à un expert"
    ANSWERED = "repondue", "répondue"
    DUPLICATE = "doublon", "doublon"


class Question(TerritorialMixin):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="sosponts_questions"
    )
    ouvrage = models.ForeignKey(Ouvrage, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions")
    title = models.CharField("titre", max_length=200)
    body = models.TextField("ce que vous constatez")
    since = models.CharField("depuis quand", max_length=100, blank=True)
    theme = models.CharField("thème", max_length=40, blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.NORMAL, db_index=True)
    reasons = models.JSONField("raisons de l'urgence", default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW, db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="sosponts_assigned"
    )
    duplicate_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True)
    published = models.BooleanField("publiée dans la base de connaissances", default=False)
    public_title = models.CharField("titre publié (anonymisé)", max_length=200, blank=True)
    public_body = models.TextField("question publiée (anonymisée)", blank=True)
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "question"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["published", "status"])]

    def __str__(self):
        return self.title


class Photo(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="sosponts/photos/%Y/%m/")
    caption = models.CharField("légende", max_length=200, blank=True)

    class Meta:
        verbose_name = "photo"

    def __str__(self):
        return self.caption or f"photo {self.pk}"


class Sheet(models.Model):
    """A resource sheet written by experts; each edit makes a new version row, the latest is shown."""

    slug = models.SlugField(max_length=80)
    version = models.PositiveIntegerField(default=1)
    title = models.CharField("titre", max_length=200)
    summary = models.CharField("résumé", max_length=300)
    body = models.TextField("contenu")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    current = models.BooleanField(default=True)
    embedding = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "fiche ressource"
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="sosponts_sheet_version_unique"),
            models.UniqueConstraint(fields=["slug"], condition=Q(current=True), name="sosponts_sheet_one_current"),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"


class Answer(models.Model):
    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="answer")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    quoi = models.TextField("quoi faire")
    quand = models.TextField("quand", blank=True)
    comment = models.TextField("comment", blank=True)
    par_qui = models.TextField("par qui", blank=True)
    sheets = models.ManyToManyField(Sheet, blank=True, related_name="answers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "réponse"

    def __str__(self):
        return f"réponse à {self.question}"


class Note(models.Model):
    """An experts' internal note: never shown to mayors (pages and API)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    text = models.TextField("note interne")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "note interne"
        ordering = ["created_at"]

    def __str__(self):
        return f"note sur {self.question}"


class Outcome(models.TextChoices):
    DONE = "travaux_realises", "travaux réalisés"
    PLANNED = "travaux_prevus", "travaux programmés"
    NOTHING = "rien", "rien n'a été fait"


class FollowUp(models.Model):
    """ "Qu'avez-vous fait ?", asked of the mayor a month after the answer."""

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="follow_up")
    due_on = models.DateField("à demander le")
    asked_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField("suite donnée", max_length=20, choices=Outcome.choices, blank=True)
    comment = models.TextField("précisions", blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "suivi"

    def __str__(self):
        return f"suivi de {self.question}"


class AdviceEntry(models.Model):
    """One version of a row of the first-level advice table."""

    defect = models.SlugField(max_length=40)
    version = models.PositiveIntegerField(default=1)
    title = models.CharField("défaut", max_length=200)
    quoi = models.TextField()
    quand = models.TextField()
    comment = models.TextField()
    par_qui = models.TextField("par qui")
    source = models.CharField(max_length=300)
    keywords = models.CharField("mots des maires", max_length=300, blank=True)
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "conseil de premier niveau"
        verbose_name_plural = "conseils de premier niveau"
        ordering = ["defect", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["defect", "version"], name="sosponts_advice_version_unique"),
            models.UniqueConstraint(fields=["defect"], condition=Q(current=True), name="sosponts_advice_one_current"),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @property
    def to_validate(self) -> bool:
        return self.validated_by_id is None
