"""Recens'smart: the API router, mounted at /api/recensmart/."""

from ninja import Router

router = Router(tags=["Recens'smart"])
