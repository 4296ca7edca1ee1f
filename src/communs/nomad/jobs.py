"""Background jobs of Nomad (registered when the app starts)."""

from communs.core.jobs import job_kind
from communs.nomad import services


@job_kind("nomad.release", "Libération des réservations non validées")
def release_job(report) -> dict:
    """Release today's bookings not checked in after each organisation's release hour (run every 15 min)."""
    released = services.release_unchecked()
    report(100, f"{released} réservation(s) libérée(s)")
    return {"released": released}
