"""SIRANo: the API router, mounted at /api/sirano/ (token or session).

Establishment users see only their establishment's projects; DGOS administrators see all and the queue.
"""

from django.http import Http404
from ninja import Router, Schema

from communs.core.api_auth import token_or_session
from communs.sirano import selectors, services
from communs.sirano.engine.money import format_cents
from communs.sirano.models import TrancheState

router = Router(tags=["SIRANo"], auth=token_or_session)


class TrancheOut(Schema):
    rank: int
    milestone: str
    percent: str
    amount: str
    state: str


class ProjectOut(Schema):
    identifier: str
    programme: str
    year: int
    acronym: str
    title: str
    finess: str
    establishment: str
    award: str
    registry_ids: list[str]
    results_posted_on: str | None
    tranches: list[TrancheOut]


class QueueItemOut(Schema):
    id: int
    project: str
    finess: str
    rank: int
    milestone: str
    amount: str
    requested_at: str | None


def _project(project) -> dict:
    return {
        "identifier": project.identifier,
        "programme": project.programme_id,
        "year": project.year,
        "acronym": project.acronym,
        "title": project.title,
        "finess": project.establishment_id,
        "establishment": project.establishment.name,
        "award": format_cents(project.award_cents),
        "registry_ids": project.registry_ids,
        "results_posted_on": project.results_posted_on.isoformat() if project.results_posted_on else None,
        "tranches": [
            {
                "rank": t.rank,
                "milestone": t.milestone,
                "percent": f"{t.percent.normalize():f}",
                "amount": format_cents(t.amount_cents),
                "state": t.state,
            }
            for t in project.tranches.all()
        ],
    }


@router.get(
    "/projets", response=list[ProjectOut], summary="Projets visibles (son établissement, ou tous pour la DGOS)"
)
def projets(request, programme: str = "", annee: int | None = None, limit: int = 100, offset: int = 0):
    projects = selectors.visible_projects(request.user).prefetch_related("tranches")
    if programme:
        projects = projects.filter(programme_id=programme)
    if annee:
        projects = projects.filter(year=annee)
    limit = max(1, min(limit, 500))
    offset = max(0, offset)  # a negative offset is not a page (and the ORM refuses negative slices)
    return [_project(p) for p in projects.order_by("identifier")[offset : offset + limit]]


@router.get("/projets/{identifier}", response=ProjectOut, summary="Un projet visible")
def projet(request, identifier: str):
    project = selectors.visible_projects(request.user).filter(identifier=identifier).first()
    if project is None:
        raise Http404("Projet inconnu ou hors de votre périmètre.")
    return _project(project)


@router.get("/demandes", response=list[QueueItemOut], summary="File des demandes de tranches (DGOS)")
def demandes(request, etat: str = TrancheState.SUBMITTED):
    services.require_admin(request.user)
    return [
        {
            "id": t.pk,
            "project": t.project.identifier,
            "finess": t.project.establishment_id,
            "rank": t.rank,
            "milestone": t.milestone,
            "amount": format_cents(t.amount_cents),
            "requested_at": t.requested_at.isoformat() if t.requested_at else None,
        }
        for t in selectors.queue(etat)[:500]
    ]
