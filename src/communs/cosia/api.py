"""CoSIA: the API router, mounted at /api/cosia/."""

from ninja import Router

router = Router(tags=["CoSIA"])
