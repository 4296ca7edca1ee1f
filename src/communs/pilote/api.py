"""PILOTE: the API router, mounted at /api/pilote/."""

from ninja import Router

router = Router(tags=["PILOTE"])
