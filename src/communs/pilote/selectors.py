"""Read queries of PILOTE for pages, the API and the CLI.

Progress figures are not nominative: every signed-in agent reads them at every level (the
steering is inter-ministerial). Writes are scoped in `services.py`.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, QuerySet, Subquery

from communs.core.charts import LineChart, Series
from communs.pilote import territories
from communs.pilote.engine.compute import ALERT_KINDS
from communs.pilote.engine.territories import NATION
from communs.pilote.models import (
    AlertRecord,
    Chantier,
    ChantierResult,
    ChantierStatus,
    Comment,
    ConsistencyIssue,
    ImportBatch,
    Indicator,
    IndicatorResult,
    Meteo,
    Ministere,
    Notification,
    Proposal,
    Value,
    ValueHistory,
)


@dataclass
class DashboardRow:
    chantier: Chantier
    territory: str
    ta: float | None
    trend: float | None
    median: float | None
    meteo: Meteo | None
    alerts: Counter = field(default_factory=Counter)

    @property
    def alert_total(self) -> int:
        return sum(self.alerts.values())

    @property
    def alert_list(self) -> list[tuple[str, int]]:
        """(label, count) pairs; templates cannot iterate a Counter (`.items` is looked up as a key)."""
        return [(ALERT_KINDS.get(kind, kind), count) for kind, count in sorted(self.alerts.items())]


def ministeres() -> QuerySet[Ministere]:
    return Ministere.objects.order_by("nom")


def axes() -> list[str]:
    return list(Chantier.objects.order_by("axe").values_list("axe", flat=True).distinct())


def territory_choices() -> list[tuple[str, str]]:
    return territories.choices()


def dashboard(
    *,
    ministere: str = "",
    axe: str = "",
    statut: str = "",
    territory: str = NATION,
    level: str = "",
    q: str = "",
) -> list[DashboardRow]:
    """One row per chantier at `territory`: TA, trend, météo and alert counts (alerts of `level`, or of
    the territory itself)."""
    chantiers = Chantier.objects.select_related("ministere").order_by("nom")
    if ministere:
        chantiers = chantiers.filter(ministere_id=ministere)
    if axe:
        chantiers = chantiers.filter(axe=axe)
    if statut:
        chantiers = chantiers.filter(statut=statut)
    if q:
        chantiers = chantiers.filter(
            Q(nom__icontains=q) | Q(code__icontains=q) | Q(indicators__nom__icontains=q) | Q(description__icontains=q)
        ).distinct()
    chantiers = list(chantiers)
    ids = [c.pk for c in chantiers]
    results = {r.chantier_id: r for r in ChantierResult.objects.filter(chantier_id__in=ids, territory=territory)}
    meteos = {}
    for meteo in Meteo.objects.filter(chantier_id__in=ids, territory=territory).order_by("period"):
        meteos[meteo.chantier_id] = meteo  # the latest period wins
    alerts = AlertRecord.objects.filter(chantier_id__in=ids)
    alerts = alerts.filter(level=level) if level else alerts.filter(territory=territory)
    counts: dict[int, Counter] = defaultdict(Counter)
    for chantier_id, kind in alerts.values_list("chantier_id", "kind"):
        counts[chantier_id][kind] += 1
    rows = []
    for chantier in chantiers:
        result = results.get(chantier.pk)
        rows.append(
            DashboardRow(
                chantier=chantier,
                territory=territory,
                ta=result.ta if result else None,
                trend=result.trend if result else None,
                median=result.median if result else None,
                meteo=meteos.get(chantier.pk),
                alerts=counts[chantier.pk],
            )
        )
    return rows


def get_chantier(code: str) -> Chantier | None:
    return Chantier.objects.select_related("ministere").filter(code=code).first()


@dataclass
class IndicatorPanel:
    indicator: Indicator
    result: IndicatorResult | None
    last_value: Value | None
    last_batch: ImportBatch | None
    target_date: object = None

    @property
    def series(self) -> list:
        return self.result.series if self.result else []

    @property
    def chart(self) -> LineChart | None:
        """The monthly series as a line chart with its axes and table (None under two values)."""
        series = self.series
        if sum(1 for _, v in series if v is not None) < 2:
            return None
        unit = self.indicator.unite
        return LineChart(
            title=f"Évolution mensuelle de « {self.indicator.nom} »",
            categories=[_month_text(month) for month, _ in series],
            series=[Series("Valeur actuelle", [v for _, v in series])],
            x_label="Mois",
            y_label=f"Valeur ({unit})" if unit else "Valeur",
            unit=unit,
            decimals=_decimals_of([v for _, v in series]),
            caption="Valeur actuelle à la fin de chaque mois ; pas de point pour un mois sans valeur.",
            table_caption=f"Valeurs actuelles par mois de « {self.indicator.nom} »",
            table_collapsed=True,
            chart_id=f"serie-{self.indicator.code}",
        )


def _month_text(month) -> str:
    """ "2024-03" → "03/2024" (other labels unchanged)."""
    text = str(month)
    if len(text) == 7 and text[4] == "-":
        return f"{text[5:]}/{text[:4]}"
    return text


def _decimals_of(values) -> int:
    """Whole numbers stay whole; otherwise one decimal."""
    return 0 if all(v is None or float(v).is_integer() for v in values) else 1


def indicator_panels(chantier: Chantier, territory: str) -> list[IndicatorPanel]:
    """One panel per indicator of the chantier, in four queries whatever their number (the latest
    value, the latest import and the final target date are subqueries, not a query per indicator)."""
    latest_value = Value.objects.filter(indicator=OuterRef("pk")).order_by("-updated_at", "-pk").values("pk")[:1]
    latest_batch = (
        ImportBatch.objects.filter(values__indicator=OuterRef("pk")).order_by("-created_at", "-pk").values("pk")[:1]
    )
    target = Value.objects.filter(indicator=OuterRef("pk"), metric="vc").order_by("-date").values("date")[:1]
    indicators = list(
        chantier.indicators.annotate(
            last_value_id=Subquery(latest_value), last_batch_id=Subquery(latest_batch), target_date=Subquery(target)
        ).order_by("code")
    )
    results = {
        r.indicator_id: r for r in IndicatorResult.objects.filter(indicator__in=indicators, territory=territory)
    }
    values = Value.objects.select_related("updated_by", "batch").in_bulk(
        [i.last_value_id for i in indicators if i.last_value_id]
    )
    batches = ImportBatch.objects.select_related("author").in_bulk(
        [i.last_batch_id for i in indicators if i.last_batch_id]
    )
    return [
        IndicatorPanel(
            indicator,
            results.get(indicator.pk),
            values.get(indicator.last_value_id),
            batches.get(indicator.last_batch_id),
            indicator.target_date,
        )
        for indicator in indicators
    ]


@dataclass
class Tile:
    code: str
    nom: str
    x: int
    y: int
    ta: float | None
    klass: str

    @property
    def territory(self) -> str:
        return f"DEPT-{self.code}"


# Progress classes of the map legend: the thresholds PILOTE colours its maps with.
TA_CLASSES = (
    (0, 25, "ta-1", "moins de 25 %"),
    (25, 50, "ta-2", "de 25 à 50 %"),
    (50, 75, "ta-3", "de 50 à 75 %"),
    (75, 100.0001, "ta-4", "75 % et plus"),
)


def ta_class(ta: float | None) -> str:
    if ta is None:
        return "ta-none"
    for low, high, klass, _ in TA_CLASSES:
        if low <= ta < high:
            return klass
    return "ta-4"


def departement_tiles(chantier: Chantier) -> list[Tile]:
    results = dict(ChantierResult.objects.filter(chantier=chantier, level="DEPT").values_list("territory", "ta"))
    tiles = []
    for code, nom, col, row in territories.cartogram():
        ta = results.get(f"DEPT-{code}")
        tiles.append(Tile(code, nom, col, row, ta, ta_class(ta)))
    return tiles


def grid_size() -> tuple[int, int]:
    return territories.grid_size()


def chantier_results(chantier: Chantier, level: str) -> list[ChantierResult]:
    return list(ChantierResult.objects.filter(chantier=chantier, level=level).order_by("territory"))


def alerts_for(*, chantier: Chantier | None = None, territory: str | None = None) -> QuerySet[AlertRecord]:
    alerts = AlertRecord.objects.select_related("chantier", "indicator")
    if chantier is not None:
        alerts = alerts.filter(chantier=chantier)
    if territory is not None:
        alerts = alerts.filter(territory=territory)
    return alerts.order_by("chantier__nom", "territory", "kind")


def alert_label(kind: str) -> str:
    return ALERT_KINDS.get(kind, kind)


def meteo_of(chantier: Chantier, territory: str) -> Meteo | None:
    return (
        Meteo.objects.filter(chantier=chantier, territory=territory)
        .select_related("author")
        .order_by("-period")
        .first()
    )


def comments_of(chantier: Chantier, territory: str | None = None) -> QuerySet[Comment]:
    comments = Comment.objects.filter(chantier=chantier).select_related("author")
    if territory:
        comments = comments.filter(territory=territory)
    return comments.order_by("-created_at")[:50]


@dataclass
class TerritoryRow:
    chantier: Chantier
    ta: float | None
    median: float | None
    alerts: list

    @property
    def gap(self) -> float | None:
        if self.ta is None or self.median is None:
            return None
        return self.ta - self.median


def territory_rows(territory: str) -> list[TerritoryRow]:
    results = {r.chantier_id: r for r in ChantierResult.objects.filter(territory=territory)}
    alerts = defaultdict(list)
    for alert in alerts_for(territory=territory):
        alerts[alert.chantier_id].append(alert)
    rows = []
    for chantier in Chantier.objects.select_related("ministere").order_by("nom"):
        result = results.get(chantier.pk)
        if result is None and not alerts[chantier.pk]:
            continue
        rows.append(
            TerritoryRow(
                chantier, result.ta if result else None, result.median if result else None, alerts[chantier.pk]
            )
        )
    return rows


def value_history(indicator: Indicator, territory: str) -> QuerySet[ValueHistory]:
    return (
        ValueHistory.objects.filter(value__indicator=indicator, value__territory=territory)
        .select_related("author", "value")
        .order_by("-changed_at", "-pk")
    )


def values_of(indicator: Indicator, territory: str) -> QuerySet[Value]:
    return (
        Value.objects.filter(indicator=indicator, territory=territory)
        .select_related("updated_by")
        .order_by("date", "metric")
    )


def series_of(indicator: Indicator, territory: str) -> list:
    result = IndicatorResult.objects.filter(indicator=indicator, territory=territory).first()
    return result.series if result else []


def pending_proposals(user) -> QuerySet[Proposal]:
    proposals = Proposal.objects.select_related("indicator__chantier", "author").order_by("-created_at")
    if not user.is_superuser:
        proposals = proposals.filter(Q(indicator__chantier__ministere__agents=user) | Q(author=user)).distinct()
    return proposals


def notifications_of(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at")[:100]


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def statut_choices():
    return ChantierStatus.choices


def consistency_issues(chantier: Chantier) -> QuerySet[ConsistencyIssue]:
    return ConsistencyIssue.objects.filter(indicator__chantier=chantier).select_related("indicator")
