"""API schemas of the territorial reference (French field names: they are official terms)."""

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
