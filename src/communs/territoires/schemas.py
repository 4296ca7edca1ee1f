"""API schemas of the territorial reference (French field names: they are official terms)."""

from datetime import date

from ninja import Schema


class Ref(Schema):
    code: str
    nom: str


class RegionOut(Schema):
    code: str
    nom: str


class RegionDetailOut(RegionOut):
    departements: list[Ref]


class DepartementOut(Schema):
    code: str
    nom: str
    region: str


class DepartementDetailOut(Schema):
    code: str
    nom: str
    region: Ref
    communes_count: int


class CommuneOut(Schema):
    code: str
    nom: str
    type: str
    departement: str
    region: str
    epci: str | None
    commune_parente: str | None
    population: int | None
    codes_postaux: list[str]


class CommuneDetailOut(Schema):
    code: str
    nom: str
    type: str
    siren: str
    population: int | None
    codes_postaux: list[str]
    departement: Ref
    region: Ref
    epci: Ref | None
    commune_parente: Ref | None


class EpciOut(Schema):
    code: str
    nom: str
    type: str
    population: int | None
    membres: list[Ref]


class TerritoryHitOut(Schema):
    niveau: str
    code: str
    nom: str
    population: int | None
    parent: str


class SynthesisLinkOut(Schema):
    niveau: str
    code: str
    nom: str


class SynthesisFigureOut(Schema):
    cle: str
    libelle: str
    valeur: int | float | str | None
    unite: str
    decimales: int


class SynthesisChartOut(Schema):
    titre: str
    categories: list[str]
    valeurs: list[int | float | None]
    axe_categories: str
    axe_valeurs: str
    unite: str


class SynthesisPanelOut(Schema):
    service: str
    titre: str
    source: str
    date: date | None
    lien: str
    note: str
    chiffres: list[SynthesisFigureOut]
    graphique: SynthesisChartOut | None


class SynthesisOut(Schema):
    niveau: str
    code: str
    nom: str
    population: int | None
    parents: list[SynthesisLinkOut]
    page: str
    panneaux: list[SynthesisPanelOut]
