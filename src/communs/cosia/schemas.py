"""API schemas of CoSIA (they mirror the engine's `Statistics` and `ChangeMatrix` dataclasses)."""

from ninja import Field, Schema


class ClassOut(Schema):
    code: int
    name: str
    colour: str
    group: str
    definition: str = ""
    reliability: str = ""


class NomenclatureOut(Schema):
    version: str
    source: str
    nodata: int
    classes: list[ClassOut]


class VintageOut(Schema):
    vintage: int
    departements: list[str]
    tiles: int
    area_ha: float


class ClassAreaOut(Schema):
    code: int
    name: str
    colour: str
    group: str
    area_ha: float
    share: float


class GroupAreaOut(Schema):
    group: str
    label: str
    classes: list[str]
    area_ha: float
    share: float


class TerritoryOut(Schema):
    code: str
    label: str
    area_ha: float


class StatisticsOut(Schema):
    territory: TerritoryOut
    vintage: int
    classes: list[ClassAreaOut]
    total_ha: float
    nodata_ha: float
    territory_ha: float | None
    pixel_size_m: float
    groups: list[GroupAreaOut]
    nomenclature_version: str


class StatsJobOut(Schema):
    """A statistics job of a large territory: progress, then the same body as a synchronous answer."""

    id: str
    state: str
    percent: float
    message: str
    status_url: str
    page_url: str
    error: str | None = None
    result: StatisticsOut | None = None


class ChangeOut(Schema):
    from_: str = Field(..., alias="from")
    from_code: int
    to: str
    to_code: int
    area_ha: float


class ComparisonOut(Schema):
    before: int
    after: int
    codes: list[int]
    names: list[str]
    matrix_ha: list[list[float]]
    changes: list[ChangeOut]
    unchanged_ha: float


class GeoJsonIn(Schema):
    """A GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection (WGS 84, or a `crs` member)."""

    type: str
    model_config = {"extra": "allow"}


class ExportIn(Schema):
    territory: str
    vintage: int | None = None
    format: str = "geotiff"


class ExportOut(Schema):
    id: int
    territory: str
    vintage: int
    format: str
    state: str
    percent: float
    download_url: str | None
