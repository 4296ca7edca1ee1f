"""Background jobs of Estim'Action (registered when the app starts)."""

from communs.core.jobs import job_kind


@job_kind("estimaction.import", "Import d'un jeu de données Estim'Action et recalcul des territoires")
def import_and_recompute_job(
    report,
    *,
    path: str,
    dataset_kind: str,
    name: str,
    producer: str,
    vintage: int,
    coverage: str,
    source_url: str = "",
    source_type: str | None = None,
    user_id: int | None = None,
) -> dict:
    """Import a new vintage, then recompute every territory already computed; the result lists what changed."""
    from django.contrib.auth import get_user_model

    from communs.estimaction import services  # here, not at module level: Django starts without it

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    report(5, "Lecture et validation du fichier")
    dataset = services.import_dataset(
        path,
        kind=dataset_kind,
        name=name,
        producer=producer,
        vintage=vintage,
        coverage=coverage,
        source_url=source_url,
        source_type=source_type,
        user=user,
    )
    counts = {"done": 0, "total": 0}

    def advance(n: int = 1, *, total: int | None = None) -> None:
        counts["total"] = total if total is not None else counts["total"]
        counts["done"] += n
        if counts["total"]:
            report(
                10 + 90 * counts["done"] / counts["total"],
                f"{counts['done']} territoire(s) recalculé(s) sur {counts['total']}",
            )

    summary = services.recompute_all(advance=advance)
    return {"dataset": dataset.pk, "vintage": dataset.vintage, **summary}
