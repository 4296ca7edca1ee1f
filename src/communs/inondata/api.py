"""Inondata: the API router, mounted at /api/inondata/ (token or session)."""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from communs.core.api_auth import token_or_session
from communs.inondata import selectors
from communs.inondata.engine.limits import LIMITS_FR

router = Router(tags=["Inondata"])


class ScenarioOut(Schema):
    id: int
    name: str
    commune: str | None
    status: str
    connectivity: int
    limits: str


class ScenarioDetailOut(ScenarioOut):
    frames: list[dict]
    grid: dict | None


def _out(s) -> dict:
    return {
        "id": s.pk,
        "name": s.name,
        "commune": s.commune or None,
        "status": s.status,
        "connectivity": s.connectivity,
        "limits": LIMITS_FR,
    }


@router.get("/scenarios", response=list[ScenarioOut], auth=token_or_session)
def list_scenarios(request):
    """Scenarios the caller may see (public, own, or in their Inondata territory)."""
    return [_out(s) for s in selectors.visible_scenarios(request.user)]


@router.get("/scenarios/{scenario_id}", response=ScenarioDetailOut, auth=token_or_session)
def scenario_detail(request, scenario_id: int):
    """One scenario with its frames (`t`, `level`, `wet_area_m2`, `volume_m3`, `max_depth_m`, `buildings`)."""
    s = get_object_or_404(selectors.visible_scenarios(request.user), pk=scenario_id)
    summary = s.summary or {}
    return {**_out(s), "frames": summary.get("frames", []), "grid": summary.get("grid")}
