"""The territory page's Écosphères panel: bouquets made for the territory and datasets covering it."""

from django.urls import reverse

from communs.territoires.panels import Figure, PanelData, TerritoryPanel, TerritoryRef, register_panel


def panel_figures(territory: TerritoryRef, user) -> PanelData | None:
    from communs.ecospheres.models import Bouquet, Dataset, DatasetFacet
    from communs.ecospheres.services import can_see_bouquet

    codes = [f"{territory.level}:{territory.code}"]
    if territory.departement and territory.level != "departement":
        codes.append(f"departement:{territory.departement}")
    if territory.region and territory.level != "region":
        codes.append(f"region:{territory.region}")
    datasets = Dataset.objects.filter(
        live=True, pk__in=DatasetFacet.objects.filter(facet="territoire", value__in=codes).values("dataset_id")
    )
    bouquets = [
        b
        for b in Bouquet.objects.filter(territory_level=territory.level, territory_ref=territory.code)
        if can_see_bouquet(user, b)
    ]
    count = datasets.count()
    if not bouquets and not count:
        return None
    latest = datasets.order_by("-modified").values_list("modified", flat=True).first()
    return PanelData(
        figures=[
            Figure("Bouquets de données", len(bouquets), key="bouquets"),
            Figure("Jeux de données couvrant le territoire", count, key="jeux"),
        ],
        source="Écosphères, catalogues moissonnés",
        as_of=latest,
        link=reverse("ecospheres:home") + "?" + "&".join(f"territoire={c}" for c in codes),
        extra={
            "bouquets": [{"title": b.title, "url": reverse("ecospheres:bouquet", args=[b.slug])} for b in bouquets],
            "datasets": [
                {"title": d.title, "url": reverse("ecospheres:dataset", args=[d.slug])}
                for d in datasets.order_by("-quality_score", "title")[:5]
            ],
        },
    )


def register() -> None:
    register_panel(
        TerritoryPanel(
            service="ecospheres",
            title="Données pour les politiques publiques (Écosphères)",
            levels=("commune", "epci", "departement", "region"),
            figures=panel_figures,
            template="ecospheres/_territory_panel.html",
        )
    )
