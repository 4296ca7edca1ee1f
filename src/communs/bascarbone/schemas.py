"""API schemas of État bas carbone (mirror the engine's results, in tonnes CO2e)."""

from ninja import Schema


class EntityOut(Schema):
    code: str
    nom: str
    type: str
    parents: list[str]
    region: str
    departement: str


class PostOut(Schema):
    total_t: float
    co2_t: float
    ch4_t: float
    n2o_t: float
    other_t: float
    co2b_t: float
    uncertainty_t: float


class CompletenessOut(Schema):
    filled: list[str]
    missing: list[str]
    ratio: float


class ChildOut(Schema):
    code: str
    nom: str
    total_tco2e: float
    uncertainty_tco2e: float


class InventorySummaryOut(Schema):
    entite: str
    annee: int
    total_tco2e: float
    uncertainty_tco2e: float
    co2b_t: float
    gwp_set: str
    factor_version: str
    entities_counted: int
    posts: dict[str, PostOut]
    categories: dict[str, float]
    completeness: CompletenessOut
    children: list[ChildOut]
