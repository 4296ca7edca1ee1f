"""The territory page's Inondata panel: buildings reached by the latest computed scenario of a commune."""

from communs.territoires.panels import Figure, PanelData, TerritoryPanel, register_panel

LABELS = {"0-0.2": "0 à 0,2 m", "0.2-0.5": "0,2 à 0,5 m", "0.5-1": "0,5 à 1 m", "1-2": "1 à 2 m", ">2": "plus de 2 m"}


def panel_figures(territory, user) -> PanelData | None:
    from django.urls import reverse

    from communs.inondata import selectors

    scenario = selectors.latest_for_commune(territory.code, user)
    if scenario is None or not scenario.summary:
        return None
    frames = scenario.summary["frames"]
    peak = max(frames, key=lambda f: f["level"])
    figures = [Figure("Niveau maximal", peak["level"], "m NGF", 2, "max_level")]
    figures += [
        Figure(f"Bâtiments, eau {LABELS[k]}", v, "", 0, f"buildings_{k}") for k, v in peak["buildings"].items()
    ]
    figures.append(Figure("Logements touchés", peak.get("dwellings_affected", 0), "", 0, "dwellings"))
    return PanelData(
        figures=figures,
        source=f"Inondata, scénario « {scenario.name} » (modèle statique : ni conservation des volumes, ni "
        "frottement, ni pluie)",
        as_of=scenario.computed_at.date() if scenario.computed_at else None,
        link=reverse("inondata:scenario", args=[scenario.pk]),
    )


def register() -> None:
    register_panel(
        TerritoryPanel(service="inondata", title="Inondation (scénario)", levels=("commune",), figures=panel_figures)
    )
