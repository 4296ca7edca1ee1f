"""What one territory page shows: the territory's identity from the reference, and the panels every
service registered (`communs.territoires.panels`), asked for that territory and that user.

Used by the page, the comparison, the JSON synthesis and the CSV: all four see the same panels.
"""

import json
import logging
import math
from dataclasses import dataclass, field

from django.db.models import Sum

from communs.core.numbers import machine_number
from communs.territoires import selectors
from communs.territoires.models import Commune, CommuneKind, Contour, Departement, Epci, Region
from communs.territoires.panels import LEVELS, PanelData, TerritoryPanel, TerritoryRef, registered_panels

logger = logging.getLogger(__name__)

LEVEL_LABELS = {"commune": "commune", "epci": "EPCI", "departement": "département", "region": "région"}
MAX_LISTED = 60  # members of an EPCI, départements of a région: beyond, the page says how many
OUTLINE_SIZE = 320  # SVG user units of the outline's square


@dataclass(frozen=True)
class Link:
    level: str
    code: str
    name: str

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


@dataclass
class Identity:
    ref: TerritoryRef
    population: int | None
    parents: list[Link]
    children: list[Link] = field(default_factory=list)
    children_total: int = 0
    neighbours: list[Link] | None = None  # None: no contour imported, so nobody knows
    outline: dict | None = None  # SVG paths of the territory and its neighbours
    kind_label: str = ""

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.ref.level]


@dataclass
class ShownPanel:
    panel: TerritoryPanel
    data: PanelData

    @property
    def anchor(self) -> str:
        return f"panneau-{self.panel.service}"


def identity(level: str, code: str) -> Identity | None:
    """The territory's name, population, parents, members and neighbours; None if unknown."""
    builder = {"commune": _commune, "epci": _epci, "departement": _departement, "region": _region}.get(level)
    found = builder(code) if builder else None
    if found is None:
        return None
    contour = Contour.objects.filter(level=level, code=found.ref.code).first()
    if contour is not None:
        found.neighbours, neighbour_contours = _neighbours(contour)
        found.outline = outline(contour, neighbour_contours)
    return found


def _commune(code: str) -> Identity | None:
    commune = selectors.get_commune(code)
    if commune is None:
        return None
    parents = []
    if commune.parent:
        parents.append(Link("commune", commune.parent_id, commune.parent.nom))
    if commune.epci:
        parents.append(Link("epci", commune.epci_id, commune.epci.nom))
    parents += [
        Link("departement", commune.departement_id, commune.departement.nom),
        Link("region", commune.region_id, commune.region.nom),
    ]
    ref = TerritoryRef(
        "commune",
        commune.code,
        commune.nom,
        departement=commune.departement_id,
        region=commune.region_id,
        epci=commune.epci_id,
        postcodes=tuple(commune.postcode_list),
    )
    children = [Link("commune", c.code, c.nom) for c in commune.arrondissements.order_by("code")]
    kind = "arrondissement municipal" if commune.kind == CommuneKind.ARRONDISSEMENT else ""
    return Identity(ref, commune.population, parents, children, len(children), kind_label=kind)


def _epci(code: str) -> Identity | None:
    epci = selectors.get_epci(code)
    if epci is None:
        return None
    members = selectors.members_of_epci(code).select_related("departement", "region")
    departements = {(c.departement_id, c.departement.nom, c.region_id, c.region.nom) for c in members}
    parents = [Link("departement", d, nom) for d, nom, _, _ in sorted(departements)]
    parents += [Link("region", r, nom) for r, nom in sorted({(r, nom) for _, _, r, nom in departements})]
    single = {d for d, _, _, _ in departements}
    ref = TerritoryRef(
        "epci",
        epci.code,
        epci.nom,
        departement=next(iter(single)) if len(single) == 1 else None,
        region=parents[-1].code if len({r for _, _, r, _ in departements}) == 1 else None,
    )
    children = [Link("commune", c.code, c.nom) for c in members]
    return Identity(ref, epci.population, parents, children[:MAX_LISTED], len(children), kind_label=epci.type)


def _departement(code: str) -> Identity | None:
    departement = Departement.objects.select_related("region").filter(code=(code or "").upper()).first()
    if departement is None:
        return None
    communes = Commune.objects.filter(departement=departement, kind=CommuneKind.COMMUNE)
    population = communes.aggregate(total=Sum("population"))["total"]
    ref = TerritoryRef(
        "departement", departement.code, departement.nom, departement=departement.code, region=departement.region_id
    )
    parents = [Link("region", departement.region_id, departement.region.nom)]
    return Identity(ref, population, parents, [], communes.count())


def _region(code: str) -> Identity | None:
    region = Region.objects.filter(code=code).first()
    if region is None:
        return None
    population = Commune.objects.filter(region=region, kind=CommuneKind.COMMUNE).aggregate(total=Sum("population"))[
        "total"
    ]
    children = [Link("departement", d.code, d.nom) for d in selectors.departements_of_region(code)]
    return Identity(
        TerritoryRef("region", region.code, region.nom, region=region.code), population, [], children, len(children)
    )


def _names(level: str, codes: list[str]) -> dict[str, str]:
    model = {"commune": Commune, "epci": Epci, "departement": Departement, "region": Region}[level]
    return dict(model.objects.filter(pk__in=codes).values_list("pk", "nom"))


def _neighbours(contour: Contour) -> tuple[list[Link], list[Contour]]:
    """Territories of the same level whose imported outline touches this one (within ~10 m, since
    simplified outlines of neighbours seldom share their vertices exactly)."""
    import shapely

    candidates = list(
        Contour.objects.filter(
            level=contour.level,
            min_lon__lte=contour.max_lon,
            max_lon__gte=contour.min_lon,
            min_lat__lte=contour.max_lat,
            max_lat__gte=contour.min_lat,
        ).exclude(pk=contour.pk)
    )
    if not candidates:
        return [], []
    shape = shapely.from_geojson(contour.geometry)
    touching = [c for c in candidates if shapely.dwithin(shape, shapely.from_geojson(c.geometry), 1e-4)]
    names = _names(contour.level, [c.code for c in touching])
    links = sorted((Link(contour.level, c.code, names.get(c.code, c.code)) for c in touching), key=lambda x: x.name)
    return links, touching


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def outline(contour: Contour, neighbours: list[Contour] = ()) -> dict:
    """SVG path data of the territory (and its neighbours, cut by the frame) in a square frame.

    Longitudes are scaled by cos(latitude) so that shapes keep their proportions (a local
    equirectangular projection: enough for a drawing, not for measuring).
    """
    margin = 0.08
    width = contour.max_lon - contour.min_lon
    height = contour.max_lat - contour.min_lat
    cos_lat = math.cos(math.radians((contour.max_lat + contour.min_lat) / 2))
    span = max(width * cos_lat, height, 1e-9) * (1 + 2 * margin)
    centre_x = (contour.min_lon + contour.max_lon) / 2 * cos_lat
    centre_y = (contour.min_lat + contour.max_lat) / 2
    scale = OUTLINE_SIZE / span

    def path(geometry_text: str) -> str:
        parts = []
        for ring in _rings(json.loads(geometry_text)):
            points = [
                (
                    machine_number(OUTLINE_SIZE / 2 + (lon * cos_lat - centre_x) * scale, 1),
                    machine_number(OUTLINE_SIZE / 2 - (lat - centre_y) * scale, 1),
                )
                for lon, lat in ring
            ]
            parts.append("M" + "L".join(f"{x} {y}" for x, y in points) + "Z")
        return "".join(parts)

    return {
        "size": OUTLINE_SIZE,
        "territory": path(contour.geometry),
        "neighbours": [path(c.geometry) for c in neighbours],
        "source": contour.source,
    }


def ref_of(level: str, code: str) -> TerritoryRef | None:
    found = identity_light(level, code)
    return found.ref if found else None


def identity_light(level: str, code: str) -> Identity | None:
    """The identity without contours and neighbours (API and CSV need only the reference)."""
    builder = {"commune": _commune, "epci": _epci, "departement": _departement, "region": _region}.get(level)
    return builder(code) if builder else None


def shown_panels(ref: TerritoryRef, user, *, public_only: bool = False) -> list[ShownPanel]:
    """Every registered panel serving the level that has something for `user`; anonymous visitors
    (or `public_only`) never ask the non-public ones. A panel that fails is logged and left out:
    one service's bug must not take the page of every other service down."""
    anonymous = user is None or not user.is_authenticated
    shown = []
    for panel in registered_panels(ref.level):
        if not panel.public and (anonymous or public_only):
            continue
        try:
            data = panel.figures(ref, user)
        except Exception:
            logger.exception("territory panel %s failed for %s %s", panel.service, ref.level, ref.code)
            continue
        if data is not None and data.figures:
            shown.append(ShownPanel(panel, data))
    return shown


def csv_rows(identity_: Identity, panels: list[ShownPanel]) -> list[list]:
    """One row per figure: territory, service, panel, key, label, value, unit, source, date, link."""
    ref = identity_.ref
    rows = [
        [
            ref.level,
            ref.code,
            ref.name,
            "territoires",
            "Identité",
            "population",
            "Population",
            identity_.population,
            "habitants",
            "INSEE, populations légales (référentiel territorial)",
            "",
            "",
        ]
    ]
    for shown in panels:
        data = shown.data
        for figure in data.figures:
            rows.append(
                [
                    ref.level,
                    ref.code,
                    ref.name,
                    shown.panel.service,
                    shown.panel.title,
                    figure.key,
                    figure.label,
                    figure.value,
                    figure.unit,
                    data.source,
                    data.as_of.isoformat() if data.as_of else "",
                    data.link,
                ]
            )
    return rows


CSV_HEADER = [
    "niveau",
    "code",
    "nom",
    "service",
    "panneau",
    "cle",
    "libelle",
    "valeur",
    "unite",
    "source",
    "date",
    "lien",
]


def parse_level(level: str) -> str | None:
    return level if level in LEVELS else None
