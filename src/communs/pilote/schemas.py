"""Django Ninja schemas of the PILOTE API (they mirror the engine's records)."""

from datetime import date

from ninja import Schema

from communs.core.validation import FiniteFloat


class ChantierOut(Schema):
    code: str
    nom: str
    ministere: str
    axe: str
    statut: str
    territoire: str
    ta: float | None
    tendance: float | None
    mediane: float | None
    meteo: str | None
    alertes: int


class IndicatorResultOut(Schema):
    indicateur: str
    territoire: str
    vi: float | None
    va: float | None
    vc: float | None
    ta: float | None
    ta_non_borne: float | None
    ta_annuel: float | None
    periode: str
    agrege: bool


class AlertOut(Schema):
    kind: str
    libelle: str
    chantier: str
    indicateur: str | None
    territoire: str
    valeur: float | None
    reference: float | None


class ValueIn(Schema):
    indicateur: str
    territoire: str
    date: date
    metrique: str = "va"
    valeur: FiniteFloat | None
    motif: str = ""


class ValueOut(Schema):
    indicateur: str
    territoire: str
    date: date
    metrique: str
    valeur: float | None
    modifie_par: str
