"""Background jobs of Champollion (registered when the app starts)."""

from communs.core.jobs import job_kind


@job_kind("champollion.recompute", "Recalcul des règles d'établissements Champollion")
def recompute_job(report, *, sirets: list[str]) -> dict:
    """An inspector's edit (poste merge, corrected end, opening days): re-run the rules and the score of
    the establishments it touches, reading only their stored files."""
    done = {"n": 0, "total": 1}

    def advance(n: int = 1, *, total: int | None = None) -> None:
        if total is not None:
            done["total"] = max(total, 1)
        done["n"] += n
        report(100 * done["n"] / done["total"], f"{done['n']} étape(s) sur {done['total']}")

    from communs.champollion import services  # here, not at module level: Django starts without it

    return services.recompute_establishments(sirets, advance=advance)
