"""Background jobs of CoSIA (registered when the app starts)."""

from communs.core.jobs import job_kind


def _reporter(report, label: str):
    counts = {"done": 0, "total": 0}

    def advance(count: int = 1, *, total: int | None = None) -> None:
        counts["total"] = total or counts["total"]
        counts["done"] += count
        if counts["total"]:
            report(100 * counts["done"] / counts["total"], f"{label} : {counts['done']} sur {counts['total']}")

    return advance


@job_kind("cosia.ingest", "Ingestion de rasters CoSIA")
def ingest_job(report, *, paths: list[str], departement: str, vintage: int) -> dict:
    from communs.cosia import services  # here, not at module level: Django starts without it

    return services.ingest_rasters(
        paths, departement=departement, vintage=vintage, advance=_reporter(report, "fichiers")
    )


@job_kind("cosia.stats", "Statistiques CoSIA d'un territoire")
def stats_job(
    report, *, territory: str, vintage: int | None = None, geojson: dict | None = None, territory_label: str = ""
) -> dict:
    from communs.cosia import services  # here, not at module level: Django starts without it

    return services.statistics_job(
        territory, vintage, geojson=geojson, label=territory_label, advance=_reporter(report, "dalles")
    )


@job_kind("cosia.export", "Export CoSIA découpé")
def export_job(report, *, export_id: int) -> dict:
    from communs.cosia import services  # here, not at module level: Django starts without it

    return services.run_export(export_id, report=report)
