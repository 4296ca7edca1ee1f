"""SOS Ponts on the territory page: structures known and questions asked, for those allowed to see them.

Condition classes of communal bridges and mayors' questions are not public: experts covering the
territory and the commune's own staff see the panel, nobody else (anonymous visitors included).
"""

from django.db.models import Count, Q
from django.urls import reverse

from communs.territoires.panels import Figure, PanelData, TerritoryPanel, TerritoryRef, register_panel

FIELD_BY_LEVEL = {"commune": "commune", "departement": "departement", "region": "region"}


def figures(territory: TerritoryRef, user) -> PanelData | None:
    from communs.sosponts.models import Ouvrage, Question, Status
    from communs.sosponts.permissions import expert_scope, mayor_scope

    field = FIELD_BY_LEVEL.get(territory.level)
    if field is None or user is None or not user.is_authenticated:
        return None
    where = {territory.level: territory.code}
    allowed = expert_scope(user).covers(**where) or (
        territory.level == "commune" and mayor_scope(user).covers(**where)
    )
    if not allowed:
        return None
    ouvrages = Ouvrage.objects.filter(**{field: territory.code}).aggregate(
        total=Count("pk"), bad=Count("pk", filter=Q(iqoa__in=["3", "3U", "3S", "3US", "2ES", "2S", "1S"]))
    )
    questions = Question.objects.filter(**{field: territory.code}).aggregate(
        total=Count("pk"),
        urgent=Count("pk", filter=Q(urgency="urgent")),
        answered=Count("pk", filter=Q(status=Status.ANSWERED)),
        last=Count("pk", filter=Q(answered_at__isnull=False)),
    )
    if not ouvrages["total"] and not questions["total"]:
        return None
    latest = (
        Question.objects.filter(**{field: territory.code})
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return PanelData(
        figures=[
            Figure("Ouvrages recensés", ouvrages["total"], key="ouvrages"),
            Figure("Ouvrages en classe 3, 3U ou avec suffixe S", ouvrages["bad"], key="ouvrages_classe_3_ou_s"),
            Figure("Questions posées", questions["total"], key="questions"),
            Figure("dont urgentes", questions["urgent"], key="questions_urgentes"),
            Figure("Questions répondues", questions["answered"], key="questions_repondues"),
        ],
        source="SOS Ponts (questions des communes, classes IQOA des ouvrages)",
        as_of=latest.date() if latest else None,
        link=reverse("sosponts:home"),
    )


def register() -> None:
    register_panel(
        TerritoryPanel(
            service="sosponts",
            title="Ponts et murs communaux",
            levels=("commune", "departement", "region"),
            figures=figures,
            public=False,
        )
    )
