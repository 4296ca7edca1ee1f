"""API schemas of SOS Ponts."""

from datetime import datetime

from ninja import Schema


class TriageIn(Schema):
    text: str
    iqoa_class: str = ""


class TriageOut(Schema):
    urgency: str
    reasons: list[str]


class SimilarOut(Schema):
    id: str
    title: str
    score: float


class QuestionOut(Schema):
    id: int
    title: str
    commune: str
    departement: str
    urgency: str
    reasons: list[str]
    status: str
    created_at: datetime
    answered_at: datetime | None


class NoteOut(Schema):
    id: int
    text: str
    author: str
    created_at: datetime
