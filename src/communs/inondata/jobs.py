"""Background jobs of Inondata (registered when the app starts)."""

from communs.core.jobs import job_kind


@job_kind("inondata.flood", "Calcul d'un scénario d'inondation")
def flood_job(report, *, scenario_id: int) -> dict:
    from communs.inondata import services  # here, not at module level: Django starts without it

    return services.run_scenario(scenario_id, report=report)
