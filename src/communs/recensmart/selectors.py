"""Read-side of Recens'smart: what a user may see, and collection follow-up figures."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q

from communs.core.scopes import scope_for
from communs.recensmart.engine.model import FIELD_TYPES
from communs.recensmart.engine.runtime import Evaluator
from communs.recensmart.engines import engine_for
from communs.recensmart.models import (
    ROLE_CONCEPTION,
    ROLE_GESTION,
    SERVICE,
    Campaign,
    Questionnaire,
    RespondentUnit,
)


def questionnaires():
    return Questionnaire.objects.prefetch_related("versions").order_by("title")


def campaigns_for(user):
    scope = scope_for(user, SERVICE, [ROLE_GESTION, ROLE_CONCEPTION])
    queryset = Campaign.objects.select_related("version__questionnaire").annotate(
        n_units=Count("units"),
        n_started=Count("units", filter=Q(units__status=RespondentUnit.Status.STARTED)),
        n_completed=Count("units", filter=Q(units__status=RespondentUnit.Status.COMPLETED)),
    )
    if scope.national:
        return queryset
    if scope.is_empty:
        return queryset.none()
    return scope.filter(queryset, region="region", departement="departement")


def campaign_stats(campaign: Campaign, *, limit: int = 5000) -> dict:
    """Started, completed, partial non-response per question and drop-out per page.

    Partial non-response of a question: among respondents for whom the question was shown
    (its filters true, on a page they passed), the share who left it empty. Drop-out: for
    respondents who started and did not complete, the page they stopped at.
    """
    engine = engine_for(campaign.version)
    counts = Counter(campaign.units.values_list("status", flat=True))
    shown: Counter = Counter()
    empty: Counter = Counter()
    labels: dict[str, str] = {}
    dropout: Counter = Counter()
    units = campaign.units.exclude(status=RespondentUnit.Status.INIT).only("status", "page", "reached", "data")
    for unit in units[:limit]:
        if unit.status == RespondentUnit.Status.STARTED:
            dropout[unit.page] += 1
        ev = Evaluator(engine, unit.data)
        keys = [s.key for s in engine.screens(ev)]
        reached = unit.reached
        limit_index = len(keys) if reached in ("__review__", "") or reached not in keys else keys.index(reached)
        for index, screen in enumerate(engine.screens(ev)):
            if index >= limit_index or not engine.screen_visible(screen, ev):
                continue
            for item in screen.items:
                component = item.component
                if component.type not in FIELD_TYPES or not engine.item_visible(item, ev):
                    continue
                question = component.id
                labels.setdefault(question, str(ev.label(component.label, item.ctx))[:120])
                values = [ev.get(name, item.ctx) for name in component.variables]
                shown[question] += 1
                if component.type == "CheckboxGroup":
                    missing = not any(v is True for v in values)
                else:
                    missing = all(v is None or v == "" for v in values)
                if missing:
                    empty[question] += 1
    questions = [
        {
            "question": question,
            "label": labels[question],
            "shown": shown[question],
            "empty": empty[question],
            "rate": round(100 * empty[question] / shown[question], 1) if shown[question] else 0.0,
        }
        for question in shown
    ]
    questions.sort(key=lambda row: (-row["rate"], row["question"]))
    return {
        "units": sum(counts.values()),
        "init": counts.get(RespondentUnit.Status.INIT, 0),
        "started": counts.get(RespondentUnit.Status.STARTED, 0),
        "completed": counts.get(RespondentUnit.Status.COMPLETED, 0),
        "non_response": questions,
        "dropout": [{"page": page, "count": n} for page, n in dropout.most_common()],
    }
