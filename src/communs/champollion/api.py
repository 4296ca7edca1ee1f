"""Champollion: the API router, mounted at /api/champollion/."""

from ninja import Router

router = Router(tags=["Champollion"])
