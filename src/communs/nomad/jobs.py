"""Background jobs of Nomad (registered when the app starts)."""

from communs.core.jobs import job_kind


@job_kind("nomad.release", "Libération des réservations non validées")
def release_job(report) -> dict:
    """Release today's bookings not checked in after each organisation's release hour (run every 15 min)."""
    from communs.nomad import services  # here, not at module level: Django starts without it

    released = services.release_unchecked()
    report(100, f"{released} réservation(s) libérée(s)")
    return {"released": released}
