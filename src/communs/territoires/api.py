"""API router for the territorial reference (filled in by the territoires work)."""

from ninja import Router

router = Router(tags=["territoires"])
