"""Estim'Action: the API router, mounted at /api/estimaction/."""

from ninja import Router

router = Router(tags=["Estim'Action"])
