"""État bas carbone: the API router, mounted at /api/bascarbone/."""

from ninja import Router

router = Router(tags=["État bas carbone"])
