"""Champollion API schemas (map to the engine's findings, scores and consolidated contracts)."""

from datetime import date

from ninja import Schema


class EtablissementOut(Schema):
    siret: str
    name: str
    naf: str
    postal_code: str
    departement: str
    region: str
    idcc: str
    declares: bool
    first_month: date | None
    last_month: date | None


class ConstatOut(Schema):
    rule: str
    rule_version: str
    status: str
    siret: str
    poste: str
    contract: str
    previous_contract: str | None
    article: str
    first_legal_day: date | None
    confidence: str
    legislation: str
    explanation: str
    evidence: dict


class ScoreOut(Schema):
    siret: str
    name: str
    departement: str
    rank: int
    risk_score: float
    findings: int
    peer_group: str
    reasons: list[dict]


class EtablissementDetailOut(EtablissementOut):
    findings: list[ConstatOut]
    score: ScoreOut | None


class ClassementOut(Schema):
    algorithm_version: str
    weights: dict
    data_month: date | None
    scores: list[ScoreOut]


class ContratOut(Schema):
    contract: str
    salarie: str
    nom: str
    prenoms: str
    siret_declarant: str
    nature: str
    motif: str
    poste: str
    start: date
    end: date | None
    end_status: str
    expected_end: date | None
    corrected_end: date | None
    renewals: int
    previous_numeros: list[str]
