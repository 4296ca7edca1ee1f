"""PILOTE's panel on the territory pages: the département's (or région's) chantiers, their progress
rate (TA) and alerts, as stored by the last recomputation.

Same rights as the service: signed-in agents read every chantier's progress (the page
`pilote:territoire`); anonymous visitors read only the published indicators (open data).
A commune or an EPCI within one département shows its département's figures, and says so.
"""

from django.db.models import Max
from django.urls import reverse

from communs.pilote.models import ChantierResult, IndicatorResult
from communs.territoires.panels import Figure, PanelChart, PanelData, TerritoryPanel, TerritoryRef, register_panel

SOURCE = "PILOTE : saisies et imports des administrations centrales et services déconcentrés"


def pilote_code(territory: TerritoryRef) -> str | None:
    if territory.level == "region":
        return f"REG-{territory.code}"
    if territory.departement:
        return f"DEPT-{territory.departement}"
    return None


def _as_of(code: str):
    latest = ChantierResult.objects.filter(territory=code).aggregate(latest=Max("computed_at"))["latest"]
    return latest.date() if latest else None


def _note(territory: TerritoryRef) -> str:
    if territory.level in ("commune", "epci"):
        return f"Chiffres du département {territory.departement} : PILOTE suit les politiques par département."
    return ""


def _agent_panel(territory: TerritoryRef, code: str) -> PanelData | None:
    from communs.pilote import selectors  # here: its engine imports are not needed at start-up

    rows = selectors.territory_rows(code)
    if not rows:
        return None
    alerts = sum(len(row.alerts) for row in rows)
    figures = [
        Figure("Chantiers suivis", len(rows), "", 0, "chantiers"),
        Figure("Alertes en cours", alerts, "", 0, "alertes"),
    ]
    figures += [
        Figure(f"Avancement : {row.chantier.nom}", row.ta, "%", 1, f"avancement_{row.chantier.code}")
        for row in rows
        if row.ta is not None
    ]
    chart = PanelChart(
        "Taux d'avancement des chantiers",
        tuple(row.chantier.nom for row in rows),
        tuple(None if row.ta is None else round(row.ta, 1) for row in rows),
        x_label="Chantier",
        y_label="Taux d'avancement (%)",
        unit="%",
        decimals=1,
    )
    return PanelData(
        figures=figures,
        source=SOURCE,
        as_of=_as_of(code),
        link=reverse("pilote:territoire", kwargs={"code": code}),
        chart=chart,
        note=_note(territory),
    )


def _open_data_panel(territory: TerritoryRef, code: str) -> PanelData | None:
    results = list(
        IndicatorResult.objects.filter(indicator__published=True, territory=code)
        .select_related("indicator")
        .order_by("indicator__chantier__nom", "indicator__code")
    )
    if not results:
        return None
    figures = [
        Figure(f"Avancement : {r.indicator.nom}", r.ta, "%", 1, f"avancement_{r.indicator.code}")
        for r in results
        if r.ta is not None
    ]
    if not figures:
        return None
    chart = PanelChart(
        "Taux d'avancement des indicateurs publiés",
        tuple(r.indicator.nom for r in results),
        tuple(None if r.ta is None else round(r.ta, 1) for r in results),
        x_label="Indicateur",
        y_label="Taux d'avancement (%)",
        unit="%",
        decimals=1,
    )
    note = _note(territory)
    return PanelData(
        figures=figures,
        source=SOURCE + " (indicateurs publiés en données ouvertes)",
        as_of=_as_of(code),
        link=reverse("pilote:open_data"),
        chart=chart,
        note=(note + " " if note else "") + "Connectez-vous pour voir tous les chantiers et leurs alertes.",
    )


def territory_figures(territory: TerritoryRef, user) -> PanelData | None:
    code = pilote_code(territory)
    if code is None:
        return None
    if user is not None and user.is_authenticated and user.is_active:
        return _agent_panel(territory, code)
    return _open_data_panel(territory, code)


register_panel(
    TerritoryPanel(
        service="pilote",
        title="PILOTE : avancement des politiques prioritaires",
        levels=("commune", "epci", "departement", "region"),
        figures=territory_figures,
    )
)
