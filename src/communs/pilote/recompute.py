"""PILOTE recomputation: run the engine on a chantier's values and store its results and alerts.

Called after every change of a figure (services) and by the `pilote.recompute` job.
"""

from datetime import date

import numpy as np
from django.db import transaction
from django.utils import timezone

from communs.pilote import territories
from communs.pilote.engine.compute import IndicatorSpec, Observations, compute
from communs.pilote.engine.series import month_label
from communs.pilote.models import (
    AlertRecord,
    Chantier,
    ChantierResult,
    ConsistencyIssue,
    Indicator,
    IndicatorResult,
    Meteo,
    Value,
)
from communs.pilote.territories import territory_fields


def month_start(when: date) -> date:
    return when.replace(day=1)


def indicator_spec(indicator: Indicator) -> IndicatorSpec:
    return IndicatorSpec(
        id=indicator.code,
        chantier=indicator.chantier.code,
        direction=indicator.direction,
        weight_nat=indicator.weight_nat,
        weight_reg=indicator.weight_reg,
        weight_dept=indicator.weight_dept,
        aggregation=indicator.aggregation,
        cumulative=indicator.cumulative,
        next_update=indicator.next_update,
    )


def _observations(indicators: list[Indicator], axis) -> tuple[list[IndicatorSpec], Observations]:
    specs = [indicator_spec(i) for i in indicators]
    position = {i.pk: n for n, i in enumerate(indicators)}
    rows = [
        row
        for row in Value.objects.filter(indicator__in=indicators).values_list(
            "indicator_id", "territory", "date", "metric", "value"
        )
        if row[1] in axis.index  # a territory the reference no longer steers is left out
    ]
    metric_index = {"vi": 0, "va": 1, "vc": 2, "den": 3}
    observations = Observations(
        indicator=np.array([position[r[0]] for r in rows], dtype=np.int64),
        territory=np.array([axis.index[r[1]] for r in rows], dtype=np.int64),
        date=np.array([r[2] for r in rows], dtype="datetime64[D]"),
        metric=np.array([metric_index[r[3]] for r in rows], dtype=np.int8),
        value=np.array([np.nan if r[4] is None else r[4] for r in rows], dtype=float),
    )
    return specs, observations


def _none(value) -> float | None:
    number = float(value)
    return None if np.isnan(number) else round(number, 4)


@transaction.atomic
def recompute_chantier(chantier: Chantier, as_of: date | None = None) -> None:
    """Run the engine on one chantier and replace its stored results and alerts."""
    as_of = as_of or timezone.localdate()
    indicators = list(chantier.indicators.select_related("chantier").order_by("code"))
    IndicatorResult.objects.filter(indicator__chantier=chantier).delete()
    ChantierResult.objects.filter(chantier=chantier).delete()
    AlertRecord.objects.filter(chantier=chantier).delete()
    ConsistencyIssue.objects.filter(indicator__chantier=chantier).delete()
    if not indicators:
        return
    axis = territories.axis()
    specs, observations = _observations(indicators, axis)
    declared = set(
        Meteo.objects.filter(chantier=chantier, period=month_start(as_of)).values_list("territory", flat=True)
    )
    result = compute(specs, observations, as_of, axis=axis, meteo={(chantier.code, t) for t in declared})
    store_results(result, [chantier], indicators)


def store_results(result, chantiers: list[Chantier], indicators: list[Indicator]) -> None:
    """Write an engine Result (indicators in `result.specs` order) as the stored results of `chantiers`,
    whose previous results must already be deleted."""
    labels = [month_label(int(p)) for p in result.periods]
    fields = [territory_fields(code) for code in result.axis.codes]
    indicator_rows = []
    for i, t in zip(*np.nonzero(result.expected), strict=True):
        series = [[labels[p], _none(v)] for p, v in enumerate(result.va[i, t]) if not np.isnan(v)]
        indicator_rows.append(
            IndicatorResult(
                indicator=indicators[i],
                vi=_none(result.vi[i, t]),
                va=_none(result.va_last[i, t]),
                vc=_none(result.vc[i, t]),
                ta=_none(result.ta[i, t]),
                ta_unbounded=_none(result.ta_unbounded[i, t]),
                ta_annual=_none(result.ta_annual[i, t]),
                median=_none(result.medians[i, t]),
                period=month_label(int(result.last_period[i, t])) if result.last_period[i, t] >= 0 else "",
                computed=bool(result.computed[i, t]),
                series=series,
                **fields[t],
            )
        )
    IndicatorResult.objects.bulk_create(indicator_rows, batch_size=2000)
    by_chantier = {c.code: c for c in chantiers}
    chantier_rows = []
    for c, t in zip(*np.nonzero(result.chantier_expected), strict=True):
        chantier_rows.append(
            ChantierResult(
                chantier=by_chantier[result.chantiers[c]],
                ta=_none(result.chantier_ta[c, t]),
                ta_previous=_none(result.chantier_ta_prev[c, t]),
                median=_none(result.chantier_medians[c, t]),
                **fields[t],
            )
        )
    ChantierResult.objects.bulk_create(chantier_rows, batch_size=2000)
    by_code = {i.code: i for i in indicators}
    AlertRecord.objects.bulk_create(
        [
            AlertRecord(
                chantier=by_chantier[alert.chantier],
                indicator=by_code.get(alert.indicator) if alert.indicator else None,
                kind=alert.kind,
                value=alert.value,
                reference=alert.reference,
                **fields[result.axis.index[alert.territory]],
            )
            for alert in result.alerts
        ],
        batch_size=2000,
    )
    ConsistencyIssue.objects.bulk_create(
        [
            ConsistencyIssue(
                indicator=by_code[issue["indicator"]],
                metric=issue["metric"],
                period=issue["period"] or "",
                entered=issue["entered"],
                computed=issue["computed"],
                **fields[result.axis.index[issue["territory"]]],
            )
            for issue in result.inconsistencies
        ],
        batch_size=2000,
    )


def recompute_all(as_of: date | None = None) -> int:
    chantiers = list(Chantier.objects.select_related("ministere"))
    for chantier in chantiers:
        recompute_chantier(chantier, as_of)
    return len(chantiers)
