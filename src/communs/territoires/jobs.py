"""Background jobs of the territorial reference (registered when the app starts)."""

from communs.core.jobs import job_kind
from communs.territoires import services


@job_kind("territoires.load", "Mise à jour du référentiel territorial")
def load_reference_job(report) -> dict:
    """Reload the vendored reference; progress is the share of records processed."""
    total = services.reference_total()
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        report(100 * done / total, f"{done} enregistrements sur {total}")

    result = services.load_reference(advance=advance)
    return {level: result[level] for level in ("regions", "departements", "epci", "communes")}
