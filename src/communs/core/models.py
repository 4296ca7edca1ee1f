"""Persistence for the platform: role grants with territorial scope, audit events, API tokens, jobs."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class ScopeLevel(models.TextChoices):
    NATIONAL = "national", "National"
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Département"
    COMMUNE = "commune", "Commune"


SCOPE_CODE_LENGTHS = {
    ScopeLevel.NATIONAL: {0},
    ScopeLevel.REGION: {2, 3},  # 53; 3 digits for the collectivités d'outre-mer of the reference
    ScopeLevel.DEPARTEMENT: {2, 3},  # 35, 2A, 971
    ScopeLevel.COMMUNE: {5},
}


def validate_scope(level: str, code: str) -> None:
    """A scope code must have the shape of an INSEE code of its level (empty when national)."""
    if level not in ScopeLevel.values:
        raise ValidationError(f"Niveau territorial inconnu : {level!r}.")
    if len(code) not in SCOPE_CODE_LENGTHS[ScopeLevel(level)]:
        raise ValidationError(f"Code {code!r} invalide pour le niveau {ScopeLevel(level).label.lower()}.")


class RoleGrant(models.Model):
    """A user holds `role` in `service` over one territory.

    A user may hold several grants (an inspector covering two départements has two rows).
    The scope code is the official INSEE code of the territory (région "53", département
    "35", commune "35238"); it is empty for a national grant.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    service = models.CharField("service", max_length=40)
    role = models.CharField("rôle", max_length=40)
    scope_level = models.CharField("niveau territorial", max_length=12, choices=ScopeLevel.choices)
    scope_code = models.CharField("code du territoire", max_length=5, blank=True)
    reason = models.CharField("motif", max_length=255, blank=True)
    granted_at = models.DateTimeField("accordé le", auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "habilitation"
        verbose_name_plural = "habilitations"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "service", "role", "scope_level", "scope_code"], name="unique_role_grant"
            ),
            models.CheckConstraint(
                condition=(models.Q(scope_level="national", scope_code="") | ~models.Q(scope_level="national"))
                & (~models.Q(scope_code="") | models.Q(scope_level="national")),
                name="role_grant_code_matches_level",
            ),
        ]
        indexes = [models.Index(fields=["user", "service"])]

    def __str__(self):
        where = self.get_scope_level_display() + (f" {self.scope_code}" if self.scope_code else "")
        return f"{self.user} — {self.service}:{self.role} ({where})"

    def clean(self):
        validate_scope(self.scope_level, self.scope_code)


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk updates and deletes would rewrite history: refuse them."""

    def update(self, **kwargs):
        raise PermissionError("Le journal d'audit est en ajout seul : modification refusée.")

    def delete(self):
        raise PermissionError("Le journal d'audit est en ajout seul : suppression refusée.")


class AuditEvent(models.Model):
    """One access to sensitive data or one change to an official figure.

    Append-only: the ORM refuses updates and deletes, and a database trigger refuses UPDATE
    statements (see migration 0002). Written only by `communs.core.audit.record_event`.
    """

    at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField("auteur", max_length=150, help_text="Identifiant au moment de l'action")
    service = models.CharField("service", max_length=40, db_index=True)
    action = models.CharField("action", max_length=80, db_index=True)
    object_type = models.CharField("type d'objet", max_length=80, blank=True)
    object_id = models.CharField("identifiant de l'objet", max_length=64, blank=True)
    object_repr = models.CharField("objet", max_length=255, blank=True)
    # The territory the object belongs to, at each level known (INSEE codes), so that the
    # scope helper can filter the log like any territorial data.
    region = models.CharField("région", max_length=3, blank=True, db_index=True)  # 3 for the COM (975…)
    departement = models.CharField("département", max_length=3, blank=True, db_index=True)
    commune = models.CharField("commune", max_length=5, blank=True, db_index=True)
    reason = models.TextField("motif", blank=True)
    metadata = models.JSONField("détails", default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "événement d'audit"
        verbose_name_plural = "journal d'audit"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Le journal d'audit est en ajout seul : modification refusée.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Le journal d'audit est en ajout seul : suppression refusée.")

    @property
    def territory(self) -> str:
        """Finest known territory, for display: `commune 35238`, `département 35`…"""
        for label, code in (("commune", self.commune), ("département", self.departement), ("région", self.region)):
            if code:
                return f"{label} {code}"
        return ""


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest of the secret is stored.

    The token acts as its owner: same role grants, same territorial scopes.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("nom", max_length=100)
    key_prefix = models.CharField("préfixe", max_length=12, unique=True)
    key_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    expires_at = models.DateTimeField("expire le", null=True, blank=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"


class JobState(models.TextChoices):
    PENDING = "pending", "En attente"
    RUNNING = "running", "En cours"
    SUCCEEDED = "succeeded", "Terminé"
    FAILED = "failed", "Échec"


class Job(models.Model):
    """Progress of one background job, read by the HTMX progress component and the CLI."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("type", max_length=80)
    label = models.CharField("libellé", max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    params = models.JSONField("paramètres", default=dict, blank=True)
    state = models.CharField("état", max_length=10, choices=JobState.choices, default=JobState.PENDING)
    percent = models.FloatField("avancement (%)", default=0)
    message = models.CharField("message", max_length=255, blank=True)
    result = models.JSONField("résultat", null=True, blank=True)
    error = models.TextField("erreur", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    started_at = models.DateTimeField("démarré le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "tâche de fond"
        verbose_name_plural = "tâches de fond"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.label} — {self.get_state_display()}"

    @property
    def is_finished(self) -> bool:
        return self.state in {JobState.SUCCEEDED, JobState.FAILED}
