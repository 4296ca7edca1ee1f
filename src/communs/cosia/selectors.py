"""Read queries of CoSIA used by views, the API and the CLI (scope filtering included)."""

from dataclasses import dataclass

from django.db.models import Count, Max, Min, QuerySet

from communs.core.models import Job
from communs.core.scopes import scope_for
from communs.cosia.models import Coverage, Export, UseCase, UseCaseStatus, Zone
from communs.territoires.models import Contour

MODERATOR_ROLE = "moderateur"
SERVICE = "cosia"


@dataclass(frozen=True)
class VintageSummary:
    vintage: int
    departements: list[str]
    tiles: int
    area_ha: float
    bounds: tuple[float, float, float, float]


def vintages() -> list[int]:
    return sorted(Coverage.objects.values_list("vintage", flat=True).distinct(), reverse=True)


def latest_vintage() -> int | None:
    return Coverage.objects.aggregate(latest=Max("vintage"))["latest"]


def coverage_summary() -> list[VintageSummary]:
    """Per vintage: départements covered, number of tiles, covered area, Lambert-93 extent."""
    rows = []
    for vintage in vintages():
        qs = Coverage.objects.filter(vintage=vintage)
        extent = qs.aggregate(Min("min_x"), Min("min_y"), Max("max_x"), Max("max_y"))
        rows.append(
            VintageSummary(
                vintage=vintage,
                departements=sorted(set(qs.values_list("departement", flat=True))),
                tiles=qs.count(),
                area_ha=round(sum(c.area_ha for c in qs), 2),
                bounds=(extent["min_x__min"], extent["min_y__min"], extent["max_x__max"], extent["max_y__max"]),
            )
        )
    return rows


def coverages(vintage: int) -> QuerySet[Coverage]:
    return Coverage.objects.filter(vintage=vintage).order_by("pk")


def coverage_by_departement() -> list[dict]:
    return list(
        Coverage.objects.values("departement", "vintage")
        .annotate(tiles=Count("pk"))
        .order_by("departement", "-vintage")
    )


def get_zone(code: str) -> Zone | None:
    return Zone.objects.filter(code=code).first()


def list_zones() -> QuerySet[Zone]:
    return Zone.objects.all()


def get_contour(code: str) -> Contour | None:
    """The imported official contour of a commune (5), département (2–3) or EPCI (9 digits)."""
    level = {5: "commune", 9: "epci"}.get(len(code), "departement")
    return Contour.objects.filter(level=level, code=code).first()


def exports_of(user) -> QuerySet[Export]:
    return Export.objects.filter(user=user).select_related("job")


def published_use_cases(*, theme: str = "", departement: str = "") -> QuerySet[UseCase]:
    qs = UseCase.objects.filter(status=UseCaseStatus.PUBLISHED)
    if theme:
        qs = qs.filter(theme=theme)
    if departement:
        qs = qs.filter(departement=departement)
    return qs


def use_cases_to_moderate(user) -> QuerySet[UseCase]:
    """Submitted use cases in the moderator's scope (national, région, département or commune)."""
    scope = scope_for(user, SERVICE, [MODERATOR_ROLE])
    queryset = UseCase.objects.filter(status=UseCaseStatus.SUBMITTED)
    return scope.filter(queryset)


def use_cases_of(user) -> QuerySet[UseCase]:
    return UseCase.objects.filter(author=user)


def is_moderator(user) -> bool:
    return not scope_for(user, SERVICE, [MODERATOR_ROLE]).is_empty


def stats_jobs() -> QuerySet[Job]:
    """Statistics jobs of large territories (open data: readable by whoever holds the job's UUID)."""
    return Job.objects.filter(kind="cosia.stats")
