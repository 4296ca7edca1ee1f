"""Background jobs of Écosphères (registered when the app starts)."""

from communs.core.jobs import job_kind
from communs.ecospheres.models import HarvestSource


@job_kind("ecospheres.harvest", "Moissonnage d'une source Écosphères")
def harvest_job(report, source_id: int, user_id: int | None = None, job_id: str = "") -> dict:
    from django.contrib.auth import get_user_model

    from communs.ecospheres import services  # here, not at module level: Django starts without it

    source = HarvestSource.objects.get(pk=source_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return services.run_harvest(source, user=user, progress=report, job_id=job_id)
