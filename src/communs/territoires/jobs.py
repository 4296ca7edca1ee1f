"""Background jobs of the territorial reference (registered when the app starts)."""

from communs.core.jobs import job_kind


@job_kind("territoires.load", "Mise à jour du référentiel territorial")
def load_reference_job(report) -> dict:
    """Reload the vendored reference; progress is the share of records processed."""
    from communs.territoires import services  # here, not at module level: Django starts without it

    counts = {"done": 0, "total": 0}

    def advance(count: int, *, total: int | None = None) -> None:
        counts["total"] = total or counts["total"]
        counts["done"] += count
        if counts["total"]:
            report(100 * counts["done"] / counts["total"], f"{counts['done']} enregistrements sur {counts['total']}")

    result = services.load_reference(advance=advance)
    return {level: result[level] for level in ("regions", "departements", "epci", "communes")}
