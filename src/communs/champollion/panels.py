"""Champollion's panel on the territory pages: for authorised inspectors only, how many
establishments of the territory were analysed and how many findings each rule produced.

Counts only, never a name or a SIRET (the synthesis is also exported as JSON and CSV). Nothing for
anonymous visitors (`public=False`) nor for a territory outside the user's Champollion scope;
every display is written to the audit log with the territory it concerns.
"""

from django.db.models import Count, Max
from django.urls import reverse

from communs.champollion.models import Constat, Etablissement
from communs.champollion.selectors import champollion_scope
from communs.core.audit import record_event
from communs.territoires.panels import Figure, PanelChart, PanelData, TerritoryPanel, TerritoryRef, register_panel

SERVICE = "champollion"


def _establishments(territory: TerritoryRef):
    """Establishments located in the territory: a commune by its postcodes (DSN gives no INSEE code)."""
    if territory.level == "region":
        return Etablissement.objects.filter(region=territory.code)
    if territory.level == "departement":
        return Etablissement.objects.filter(departement=territory.code)
    if territory.level == "commune" and territory.postcodes:
        return Etablissement.objects.filter(departement=territory.departement, postal_code__in=territory.postcodes)
    return None


def _covered(user, territory: TerritoryRef) -> bool:
    scope = champollion_scope(user)
    if scope.is_empty:
        return False
    if territory.level == "region":
        return scope.covers(region=territory.code) and (scope.national or territory.code in scope.regions)
    return scope.covers(departement=territory.departement, region=territory.region)


def territory_figures(territory: TerritoryRef, user) -> PanelData | None:
    if user is None or not user.is_authenticated or not _covered(user, territory):
        return None
    establishments = _establishments(territory)
    if establishments is None:
        return None
    from communs.champollion.engine.rules import RULES_BY_ID  # here: the panel is registered when Django starts

    analysed = establishments.filter(declares=True)
    count = analysed.count()
    if not count:
        return None
    by_rule = dict(
        Constat.objects.filter(etablissement__in=analysed).values_list("rule").annotate(n=Count("pk")).order_by()
    )
    rules = sorted(RULES_BY_ID)
    figures = [
        Figure("Établissements analysés", count, "", 0, "etablissements"),
        Figure("Constats, toutes règles", sum(by_rule.values()), "", 0, "constats"),
    ]
    figures += [Figure(f"Constats : {RULES_BY_ID[r].title}", by_rule.get(r, 0), "", 0, f"constats_{r}") for r in rules]
    last_month = analysed.aggregate(last=Max("last_month"))["last"]
    record_event(
        user,
        "champollion.territoire.view",
        service=SERVICE,
        object_type="territoire",
        object_id=f"{territory.level}:{territory.code}",
        object_repr=territory.name,
        region=territory.region or "",
        departement=territory.departement or "",
        commune=territory.code if territory.level == "commune" else "",
        metadata={"etablissements": count},
    )
    return PanelData(
        figures=figures,
        source="Champollion : déclarations sociales nominatives (DSN) importées, règles du Code du travail",
        as_of=last_month,
        link=reverse("champollion:ciblage"),
        chart=PanelChart(
            "Constats par règle",
            tuple(RULES_BY_ID[r].title for r in rules),
            tuple(by_rule.get(r, 0) for r in rules),
            x_label="Règle",
            y_label="Nombre de constats",
        ),
        note="Comptes seulement : les établissements et les contrats se consultent dans Champollion (accès tracé).",
    )


register_panel(
    TerritoryPanel(
        service="champollion",
        title="Champollion : contrôle des contrats courts",
        levels=("commune", "departement", "region"),
        figures=territory_figures,
        public=False,
    )
)
