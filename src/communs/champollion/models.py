"""Champollion persistence: the consolidated view of the imported DSN, findings and rankings.

Everything here is rebuilt by `services.reanalyse()` from the stored DSN files: the database is
the serving copy of the engine's output, plus what inspectors edit (opening days, poste merges,
corrected end dates), which the next analysis takes into account.
Individuals are stored under their pseudonymous key; names are kept for inspection pages only
(nominative, scoped and audited), the NIR never.
"""

from django.conf import settings
from django.db import models

from communs.territoires.mixins import TerritorialMixin


class EndStatus(models.TextChoices):
    DECLARED = "declared", "déclarée"
    INFERRED = "inferred", "déduite"
    OPEN = "open", "ouvert"


class FindingStatus(models.TextChoices):
    INFRACTION = "infraction", "Infraction"
    A_VERIFIER = "a_verifier", "À vérifier"


class Etablissement(TerritorialMixin):
    siret = models.CharField(max_length=14, unique=True)
    siren = models.CharField(max_length=9, db_index=True)
    name = models.CharField("raison sociale", max_length=200, blank=True)
    naf = models.CharField("code NAF", max_length=5, blank=True)
    postal_code = models.CharField(max_length=5, blank=True)
    idcc = models.CharField("IDCC", max_length=4, blank=True)
    headcount = models.PositiveIntegerField(null=True, blank=True)
    declares = models.BooleanField(default=True, help_text="Faux : connu seulement comme entreprise utilisatrice.")
    first_month = models.DateField(null=True, blank=True)
    last_month = models.DateField(null=True, blank=True)
    # opening days (carence), editable by inspectors
    weekdays = models.CharField("jours d'ouverture", max_length=40, default="mon-fri")
    closed_dates = models.JSONField("jours de fermeture", default=list, blank=True)
    holidays_closed = models.BooleanField("fermé les jours fériés", default=True)

    class Meta:
        ordering = ["siret"]
        verbose_name = "établissement"

    def __str__(self):
        return f"{self.name or 'Établissement'} ({self.siret})"


class Salarie(models.Model):
    pseudonym = models.CharField(max_length=32, unique=True)
    nom = models.CharField(max_length=80, blank=True)
    prenoms = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = "salarié"

    def __str__(self):
        return f"Salarié {self.pseudonym}"


class Contrat(models.Model):
    contract_id = models.CharField(max_length=200, unique=True)
    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="contrats_declares")
    etablissement_analyse = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="contrats")
    salarie = models.ForeignKey(Salarie, on_delete=models.PROTECT, related_name="contrats")
    numero = models.CharField(max_length=20)
    nature = models.CharField(max_length=2)
    motif = models.CharField(max_length=2, blank=True)
    poste = models.CharField(max_length=120)
    libelle = models.CharField(max_length=120, blank=True)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    end_status = models.CharField(max_length=10, choices=EndStatus.choices)
    end_motif = models.CharField(max_length=3, blank=True)
    expected_end = models.DateField(null=True, blank=True)
    renewals = models.PositiveSmallIntegerField(default=0)
    previous_numeros = models.JSONField(default=list, blank=True)
    months = models.PositiveSmallIntegerField(default=0)
    corrected_end = models.DateField("fin corrigée", null=True, blank=True)

    class Meta:
        ordering = ["etablissement_analyse", "poste", "start", "numero"]
        indexes = [models.Index(fields=["etablissement_analyse", "poste", "start"])]

    def __str__(self):
        return f"Contrat {self.numero}"

    @property
    def precarious(self) -> bool:
        return self.nature in ("02", "03")


class Constat(models.Model):
    """A finding of a rule, with its evidence."""

    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="constats")
    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="constats")
    contrat_precedent = models.ForeignKey(
        Contrat, on_delete=models.CASCADE, null=True, blank=True, related_name="constats_suivants"
    )
    rule = models.CharField(max_length=40, db_index=True)
    rule_version = models.CharField(max_length=10)
    status = models.CharField(max_length=12, choices=FindingStatus.choices)
    poste = models.CharField(max_length=120)
    article = models.CharField(max_length=20)
    first_legal_day = models.DateField(null=True, blank=True)
    confidence = models.CharField(max_length=10, choices=EndStatus.choices)
    legislation = models.CharField(max_length=40)
    explanation = models.TextField()
    evidence = models.JSONField(default=dict)

    class Meta:
        ordering = ["etablissement", "poste", "rule", "contrat__start"]
        verbose_name = "constat"

    def __str__(self):
        return f"{self.rule} — {self.contrat.numero}"


class Classement(models.Model):
    """One ranking: algorithm version, weights and data month are stored with it (CRPA L311-3-1)."""

    created_at = models.DateTimeField(auto_now_add=True)
    algorithm_version = models.CharField(max_length=20)
    weights = models.JSONField()
    data_month = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"Classement {self.algorithm_version} ({self.data_month})"


class Score(models.Model):
    classement = models.ForeignKey(Classement, on_delete=models.CASCADE, related_name="scores")
    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="scores")
    rank = models.PositiveIntegerField()
    risk_score = models.FloatField()
    peer_group = models.CharField(max_length=60)
    contracts = models.PositiveIntegerField(default=0)
    precarious_contracts = models.PositiveIntegerField(default=0)
    findings = models.PositiveIntegerField(default=0)
    features = models.JSONField(default=dict)
    reasons = models.JSONField(default=list)

    class Meta:
        ordering = ["classement", "rank"]
        constraints = [models.UniqueConstraint(fields=["classement", "etablissement"], name="champollion_score_once")]

    def __str__(self):
        return f"{self.etablissement.siret}: {self.risk_score}"


class PosteFusion(models.Model):
    """An inspector's decision that two postes of an establishment are the same job."""

    etablissement = models.ForeignKey(Etablissement, on_delete=models.CASCADE, related_name="fusions")
    source = models.CharField(max_length=120)
    target = models.CharField(max_length=120)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["etablissement", "source"], name="champollion_fusion_once")]

    def __str__(self):
        return f"{self.source} → {self.target}"


class DsnFile(models.Model):
    """A DSN file kept for re-analysis (content-addressed: importing it twice changes nothing)."""

    sha256 = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    path = models.CharField(max_length=500)
    size = models.PositiveBigIntegerField()
    sirets = models.JSONField(
        "établissements concernés",
        default=list,
        blank=True,
        help_text="SIRET déclarants et entreprises utilisatrices (intérim) : "
        "un recalcul ciblé ne relit que ces fichiers.",
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "fichier DSN"

    def __str__(self):
        return self.name
