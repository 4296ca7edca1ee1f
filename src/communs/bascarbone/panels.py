"""État bas carbone's panel on the territory pages: the State services located in a département
or a région that the user may see, and their consolidated emissions of the latest year.

Never shown to anonymous visitors (`public=False`); for a signed-in user, only the entities
`selectors.visible_codes` gives them (correspondents of an entity or of a territory, CGDD,
superusers), exactly as the service's own pages.
"""

from django.db.models import Max, Q
from django.urls import reverse

from communs.bascarbone.models import Entity, Inventory
from communs.territoires.panels import Figure, PanelChart, PanelData, TerritoryPanel, TerritoryRef, register_panel


def territory_figures(territory: TerritoryRef, user) -> PanelData | None:
    if user is None or not user.is_authenticated:
        return None
    # Imported here: the selectors bring the inventory engine (numpy), which start-up does not need.
    from communs.bascarbone import selectors

    located = Entity.objects.filter(
        Q(region=territory.code) if territory.level == "region" else Q(departement=territory.code)
    )
    codes = selectors.visible_codes(user)
    if codes is not None:
        located = located.filter(code__in=codes)
    entities = {e.code: e for e in located.order_by("name")}
    if not entities:
        return None
    tree = selectors.organisation()
    # Entities whose parent is also listed are counted inside their parent's consolidated total.
    tops = [e for code, e in entities.items() if not (tree.parents.get(code, set()) & set(entities))]
    inventories = Inventory.objects.filter(entity__code__in=entities)
    year = inventories.aggregate(latest=Max("year"))["latest"]
    figures = [Figure("Services de l'État situés ici, visibles pour vous", len(entities), "", 0, "entites")]
    chart = None
    if year is not None:
        totals = []
        for entity in tops:
            result = selectors.consolidate(entity, year, nodes=[entity.code])
            totals.append((entity, result.nodes[entity.code].total_kg / 1000 if result else None))
        figures.append(
            Figure(
                f"Émissions consolidées {year}", sum(t for _, t in totals if t is not None), "tCO2e", 1, "emissions"
            )
        )
        chart = PanelChart(
            f"Émissions consolidées {year} par service",
            tuple(e.name for e, _ in totals),
            tuple(None if t is None else round(t, 1) for _, t in totals),
            x_label="Service",
            y_label="Émissions (tCO2e)",
            unit="tCO2e",
            decimals=1,
        )
    updated = inventories.aggregate(latest=Max("updated_at"))["latest"]
    link = (
        reverse("bascarbone:dashboard", kwargs={"code": tops[0].code, "year": year})
        if len(tops) == 1 and year is not None
        else reverse("bascarbone:home")
    )
    return PanelData(
        figures=figures,
        source="État bas carbone : bilans d'émissions de gaz à effet de serre des services (méthode BEGES)",
        as_of=updated.date() if updated else None,
        link=link,
        chart=chart,
        note="Chaque service est compté une fois, avec les services qui en dépendent.",
    )


register_panel(
    TerritoryPanel(
        service="bascarbone",
        title="État bas carbone : émissions des services de l'État",
        levels=("departement", "region"),
        figures=territory_figures,
        public=False,
    )
)
