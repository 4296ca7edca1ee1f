"""Background jobs of PILOTE (registered when the app starts)."""

from communs.core.jobs import job_kind


@job_kind("pilote.recompute", "Recalcul des taux d'avancement et des alertes PILOTE")
def recompute_job(report) -> dict:
    """Recompute every chantier at today's date (alerts such as out-of-date data depend on it)."""
    from communs.pilote import services  # here, not at module level: Django starts without it
    from communs.pilote.models import Chantier

    chantiers = list(Chantier.objects.select_related("ministere").order_by("code"))
    for position, chantier in enumerate(chantiers, start=1):
        services.recompute_chantier(chantier)
        report(100 * position / len(chantiers), f"{position} chantier(s) sur {len(chantiers)}")
    return {"chantiers": len(chantiers)}
