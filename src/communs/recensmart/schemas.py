"""API schemas of Recens'smart (they mirror the engine's simulate output and the selectors)."""

from typing import Any

from ninja import Schema


class ValidateIn(Schema):
    questionnaire: dict[str, Any]


class ValidateOut(Schema):
    valid: bool
    id: str | None = None
    variables: int = 0
    errors: list[str]
    warnings: list[str]


class SimulateIn(Schema):
    questionnaire: dict[str, Any]
    answers: dict[str, Any]


class BlockedOut(Schema):
    page: str
    control: str | None
    message: str


class WarningOut(Schema):
    page: str
    control: str | None
    message: str


class SimulateOut(Schema):
    pages: list[str]
    data: dict[str, Any]
    warnings: list[WarningOut]
    blocked: BlockedOut | None


class CampaignOut(Schema):
    id: int
    label: str
    questionnaire: str
    version: int
    region: str
    departement: str
    units: int
    started: int
    completed: int


class NonResponseOut(Schema):
    question: str
    label: str
    shown: int
    empty: int
    rate: float


class DropoutOut(Schema):
    page: str
    count: int


class StatsOut(Schema):
    units: int
    init: int
    started: int
    completed: int
    non_response: list[NonResponseOut]
    dropout: list[DropoutOut]


class ResponseOut(Schema):
    id: str
    status: str
    data: dict[str, Any]
