"""CoSIA's panel on the territory pages: land-cover shares of the territory and their change
between the two latest vintages, read from the stored results of the `cosia.stats` jobs (a
territory's statistics are computed once by that job, never again by the page).

Statistics are open data, like the CoSIA map: no permission to check.
"""

from django.urls import reverse
from django.utils.http import urlencode

from communs.core.models import Job, JobState
from communs.territoires.panels import Figure, PanelChart, PanelData, TerritoryPanel, TerritoryRef, register_panel


def stored_statistics(code: str) -> dict[int, Job]:
    """The latest succeeded statistics job of `code` per vintage, newest vintage first."""
    jobs = Job.objects.filter(kind="cosia.stats", state=JobState.SUCCEEDED, params__territory=code).order_by(
        "-finished_at"
    )
    latest: dict[int, Job] = {}
    for job in jobs.only("params", "result", "finished_at"):
        vintage = (job.result or {}).get("vintage")
        if vintage is not None and (job.result or {}).get("classes"):
            latest.setdefault(int(vintage), job)
    return dict(sorted(latest.items(), reverse=True))


def territory_figures(territory: TerritoryRef, user) -> PanelData | None:
    stored = stored_statistics(territory.code)
    if not stored:
        return None
    vintages = list(stored)
    job = stored[vintages[0]]
    stats = job.result
    figures = [Figure("Surface classée", stats["total_ha"], "ha", 1, "surface_classee")]
    before = stored[vintages[1]].result if len(vintages) > 1 else None
    before_groups = {g["group"]: g["share"] for g in before["groups"]} if before else {}
    for group in stats["groups"]:
        if not group["share"] and not before_groups.get(group["group"]):
            continue  # a group absent from both vintages ("non classé", mostly) says nothing
        figures.append(Figure(f"{group['label']} (part)", 100 * group["share"], "%", 1, f"part_{group['group']}"))
        if group["group"] in before_groups:
            figures.append(
                Figure(
                    f"{group['label']} : évolution {vintages[1]}–{vintages[0]}",
                    100 * (group["share"] - before_groups[group["group"]]),
                    "points",
                    2,
                    f"evolution_{group['group']}",
                )
            )
    classes = [c for c in stats["classes"] if c["area_ha"]]
    chart = PanelChart(
        f"Part de chaque classe, millésime {vintages[0]}",
        tuple(c["name"] for c in classes),
        tuple(round(100 * c["share"], 2) for c in classes),
        x_label="Classe",
        y_label="Part de la surface classée (%)",
        unit="%",
        decimals=2,
    )
    query = urlencode({"territoire": territory.code, "millesime": vintages[0]})
    return PanelData(
        figures=figures,
        source=f"CoSIA (IGN), millésime{'s' if before else ''} {', '.join(str(v) for v in reversed(vintages[:2]))}",
        as_of=job.finished_at.date() if job.finished_at else None,
        link=f"{reverse('cosia:home')}?{query}",
        chart=chart,
        note="Surfaces mesurées sur les pixels de 20 cm couverts par CoSIA à l'intérieur du contour.",
    )


register_panel(
    TerritoryPanel(
        service="cosia",
        title="CoSIA : couverture du sol",
        levels=("commune", "epci", "departement"),
        figures=territory_figures,
    )
)
