"""Persistence of PILOTE: ministries, chantiers, indicators, values with their history, proposals,
imports, météo, comments, notifications, and the computed results the dashboards read.

Rows are written only by `services.py`. Territories are stored as PILOTE codes (`NAT-FR`,
`REG-53`, `DEPT-35`) plus the INSEE région and département codes, so scopes filter them like
every other app.
"""

from django.conf import settings
from django.db import models

from communs.pilote.engine.rule_names import DECREASING, INCREASING, MEAN, NONE, RATIO, SUM
from communs.territoires.mixins import TerritorialMixin


class Level(models.TextChoices):
    NAT = "NAT", "national"
    REG = "REG", "régional"
    DEPT = "DEPT", "départemental"


class Ministere(models.Model):
    code = models.CharField(max_length=20, primary_key=True)
    nom = models.CharField(max_length=200)
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="pilote_ministeres",
        help_text="Agents d'administration centrale",
    )

    class Meta:
        verbose_name = "ministère"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class ChantierStatus(models.TextChoices):
    ACTIVE = "actif", "en cours"
    PREPARATION = "preparation", "en préparation"
    CLOSED = "termine", "terminé"


class Chantier(models.Model):
    """A priority public policy (chantier) owned by a ministry."""

    code = models.SlugField(max_length=60, unique=True)
    nom = models.CharField(max_length=200)
    ministere = models.ForeignKey(Ministere, on_delete=models.PROTECT, related_name="chantiers")
    axe = models.CharField(max_length=120, help_text="Axe de la feuille de route gouvernementale")
    statut = models.CharField(max_length=20, choices=ChantierStatus.choices, default=ChantierStatus.ACTIVE)
    description = models.TextField(blank=True)
    responsables = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="pilote_chantiers", help_text="Notifiés des commentaires"
    )

    class Meta:
        verbose_name = "chantier"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Cumulative(models.TextChoices):
    NONE = "none", "valeur à date (stock)"
    SINCE_START = "since_start", "cumul depuis le début"
    YEARLY = "yearly", "cumul annuel (repart en janvier)"


class Indicator(models.Model):
    class Direction(models.TextChoices):
        UP = INCREASING, "à la hausse"
        DOWN = DECREASING, "à la baisse"

    class Aggregation(models.TextChoices):
        SUM = SUM, "somme"
        MEAN = MEAN, "moyenne pondérée par la population"
        RATIO = RATIO, "moyenne pondérée par le dénominateur"
        NONE = NONE, "non agrégeable"

    class Entry(models.TextChoices):
        CENTRAL = "central", "national (administration centrale)"
        LOCAL = "local", "territorial (services déconcentrés)"

    code = models.SlugField(max_length=60, unique=True)
    chantier = models.ForeignKey(Chantier, on_delete=models.CASCADE, related_name="indicators")
    nom = models.CharField(max_length=200)
    unite = models.CharField("unité", max_length=40)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=INCREASING)
    weight_nat = models.FloatField("pondération nationale", default=0)
    weight_reg = models.FloatField("pondération régionale", default=0)
    weight_dept = models.FloatField("pondération départementale", default=0)
    aggregation = models.CharField(max_length=10, choices=Aggregation.choices, default=SUM)
    cumulative = models.CharField(max_length=20, choices=Cumulative.choices, default=Cumulative.NONE)
    entry = models.CharField("saisie", max_length=10, choices=Entry.choices, default=Entry.CENTRAL)
    source = models.CharField(max_length=255)
    methode = models.TextField("méthode de calcul")
    next_update = models.DateField("prochaine mise à jour", null=True, blank=True)
    published = models.BooleanField("publié en open data", default=False)

    class Meta:
        verbose_name = "indicateur"
        ordering = ["chantier", "code"]

    def __str__(self):
        return self.nom


class Metric(models.TextChoices):
    VI = "vi", "valeur initiale"
    VA = "va", "valeur actuelle"
    VC = "vc", "valeur cible"
    DEN = "den", "dénominateur"


class Territorial(TerritorialMixin):
    territory = models.CharField("territoire", max_length=10, db_index=True)
    level = models.CharField("niveau", max_length=4, choices=Level.choices)

    class Meta:
        abstract = True


class ImportBatch(models.Model):
    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "tout", "tout ou rien"
        PARTIAL = "partiel", "lignes valides seulement"

    file_name = models.CharField("fichier", max_length=255)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "import"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"


class Value(Territorial):
    """One official figure: an indicator's VI, VA, VC or denominator at a territory and date."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    date = models.DateField()
    metric = models.CharField(max_length=3, choices=Metric.choices)
    value = models.FloatField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    origin = models.CharField("provenance", max_length=255, blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="values")

    class Meta:
        verbose_name = "valeur"
        ordering = ["indicator", "territory", "date", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "territory", "date", "metric"], name="pilote_value_unique")
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.territory} {self.date} {self.metric}={self.value}"


class ValueHistory(models.Model):
    """Append-only: every change of a Value, with its author and the previous figure."""

    value = models.ForeignKey(Value, on_delete=models.CASCADE, related_name="history")
    previous = models.FloatField("valeur précédente", null=True, blank=True)
    new = models.FloatField("nouvelle valeur", null=True, blank=True)
    created = models.BooleanField("création", default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    origin = models.CharField("provenance", max_length=255, blank=True)
    reason = models.TextField("motif", blank=True)

    class Meta:
        verbose_name = "historique de valeur"
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.value_id}: {self.previous} → {self.new}"


class Proposal(Territorial):
    class Status(models.TextChoices):
        PENDING = "attente", "en attente"
        ACCEPTED = "acceptee", "acceptée"
        REFUSED = "refusee", "refusée"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="proposals")
    date = models.DateField()
    metric = models.CharField(max_length=3, choices=Metric.choices, default=Metric.VA)
    current = models.FloatField("valeur officielle", null=True, blank=True)
    proposed = models.FloatField("valeur proposée")
    reason = models.TextField("motif et source")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField("réponse", blank=True)

    class Meta:
        verbose_name = "proposition de correction"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Proposition {self.indicator_id} {self.territory} {self.proposed}"


class MeteoKind(models.TextChoices):
    SECURED = "securise", "Objectifs sécurisés"
    REACHABLE = "atteignable", "Objectifs atteignables"
    SUPPORT = "appuis", "Appuis nécessaires"
    COMPROMISED = "compromis", "Objectifs compromis"


class Meteo(Territorial):
    chantier = models.ForeignKey(Chantier, on_delete=models.CASCADE, related_name="meteos")
    period = models.DateField("période (1er du mois)")
    meteo = models.CharField("météo", max_length=20, choices=MeteoKind.choices)
    synthese = models.TextField("synthèse des résultats")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "météo"
        ordering = ["-period"]
        constraints = [models.UniqueConstraint(fields=["chantier", "territory", "period"], name="pilote_meteo_unique")]

    def __str__(self):
        return f"{self.chantier_id} {self.territory} {self.period:%Y-%m} {self.meteo}"


class CommentKind(models.TextChoices):
    RISKS = "risques", "Risques et freins"
    SOLUTIONS = "solutions", "Solutions et prochaines étapes"
    DATA = "donnees", "Commentaires sur les données"
    OTHER = "autres", "Autres résultats"


class Comment(Territorial):
    chantier = models.ForeignKey(Chantier, on_delete=models.CASCADE, related_name="comments")
    period = models.DateField("période (1er du mois)")
    kind = models.CharField("type", max_length=20, choices=CommentKind.choices)
    text = models.TextField("commentaire")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "commentaire"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.territory}"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pilote_notifications"
    )
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "notification"
        ordering = ["-created_at"]

    def __str__(self):
        return self.message


class IndicatorResult(Territorial):
    """Computed by `services.recompute_chantier`; what pages read, never edited by hand."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="results")
    vi = models.FloatField(null=True)
    va = models.FloatField(null=True)
    vc = models.FloatField(null=True)
    ta = models.FloatField(null=True)
    ta_unbounded = models.FloatField(null=True)
    ta_annual = models.FloatField(null=True)
    median = models.FloatField(null=True)
    period = models.CharField(max_length=7, blank=True)
    computed = models.BooleanField("agrégé", default=False)
    series = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "territory"], name="pilote_indicatorresult_unique")
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.territory} TA {self.ta}"


class ChantierResult(Territorial):
    chantier = models.ForeignKey(Chantier, on_delete=models.CASCADE, related_name="results")
    ta = models.FloatField(null=True)
    ta_previous = models.FloatField(null=True)
    median = models.FloatField(null=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chantier", "territory"], name="pilote_chantierresult_unique")]

    def __str__(self):
        return f"{self.chantier_id} {self.territory} TA {self.ta}"

    @property
    def trend(self) -> float | None:
        if self.ta is None or self.ta_previous is None:
            return None
        return self.ta - self.ta_previous


class AlertRecord(Territorial):
    chantier = models.ForeignKey(Chantier, on_delete=models.CASCADE, related_name="alerts")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, null=True, related_name="alerts")
    kind = models.CharField(max_length=30)
    value = models.FloatField(null=True)
    reference = models.FloatField(null=True)

    class Meta:
        ordering = ["chantier", "territory", "kind"]

    def __str__(self):
        return f"{self.kind} {self.territory}"

    def get_label(self) -> str:
        from communs.pilote.engine.compute import ALERT_KINDS

        return ALERT_KINDS.get(self.kind, self.kind)


class ConsistencyIssue(Territorial):
    """A regional or national value entered directly that differs from the aggregate of its départements."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="consistency_issues")
    metric = models.CharField(max_length=10)
    period = models.CharField(max_length=7, blank=True)
    entered = models.FloatField("valeur saisie")
    computed = models.FloatField("agrégat des départements")

    class Meta:
        verbose_name = "écart de cohérence"
        ordering = ["indicator", "territory", "period"]

    def __str__(self):
        return f"{self.indicator_id} {self.territory} {self.metric} {self.period}: {self.entered} ≠ {self.computed}"
