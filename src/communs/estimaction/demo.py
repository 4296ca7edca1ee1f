"""Demo data of Estim'Action: a seeded synthetic grid, noise map and air rasters around Rennes and
its neighbours, written in the real formats (Filosofi CSV, CNIG GeoPackage in Lambert-93, GeoTIFF),
imported through the normal service, then computed for six communes, Rennes Métropole and
Ille-et-Vilaine. Idempotent: a second run imports nothing and recomputes nothing.

Every figure is synthetic and labelled so in the dataset names.
"""

import tempfile
from pathlib import Path

import numpy as np
import shapely
from django.contrib.auth import get_user_model
from django.utils import timezone
from pyproj import Transformer

from communs.core.roles import grant_role
from communs.estimaction import selectors, services
from communs.estimaction.engine.air import write_geotiff
from communs.estimaction.engine.grid import write_population_csv
from communs.estimaction.engine.noise_zones import write_noise_gpkg
from communs.estimaction.models import Dataset, DatasetKind, DatasetStatus, TerritoryResult
from communs.estimaction.synthetic import Centre, noise_rings, synthetic_air_field, synthetic_grid, synthetic_roads

SEED = 35238
ROAD_SECTIONS = 120  # scattered road sections besides the ring road
COMMUNES = {  # code: (longitude, latitude, relative density)
    "35238": (-1.6800, 48.1113, 1.6),  # Rennes
    "35051": (-1.6031, 48.1211, 0.7),  # Cesson-Sévigné
    "35281": (-1.7186, 48.0858, 0.7),  # Saint-Jacques-de-la-Lande
    "35278": (-1.6858, 48.1508, 0.6),  # Saint-Grégoire
    "35055": (-1.6161, 48.0883, 0.6),  # Chantepie
    "35047": (-1.7456, 48.0247, 0.6),  # Bruz
}
RAIL_END = (-1.7456, 48.0247)  # Bruz: the demo railway runs from the centre of Rennes to it
TERRITORIES = [("commune", code) for code in COMMUNES] + [("epci", "243500139"), ("departement", "35")]
ROLES = [
    ("admin", "gestionnaire", "national", ""),
    ("agent-national", "gestionnaire", "national", ""),
    ("agent-bretagne", "agent", "region", "53"),
    ("agent-35", "agent", "departement", "35"),
    ("agent-rennes", "agent", "commune", "35238"),
]
# (key in force, kind, noise source type, name, producer, vintage); keys as selectors.datasets_in_force.
DATASETS = [
    (
        "population",
        DatasetKind.POPULATION,
        None,
        "Filosofi 200 m — démonstration synthétique",
        "INSEE (données synthétiques)",
        2019,
    ),
    (
        "bruit:road",
        DatasetKind.NOISE,
        "road",
        "Cartes de bruit stratégiques, routes — démonstration synthétique",
        "Cerema (données synthétiques)",
        2022,
    ),
    (
        "bruit:rail",
        DatasetKind.NOISE,
        "rail",
        "Cartes de bruit stratégiques, voies ferrées — démonstration synthétique",
        "SNCF Réseau (données synthétiques)",
        2022,
    ),
    (
        "pm25",
        DatasetKind.PM25,
        None,
        "PM2,5 moyenne annuelle — démonstration synthétique",
        "Atmo Bretagne (données synthétiques)",
        2023,
    ),
    (
        "no2",
        DatasetKind.NO2,
        None,
        "NO₂ moyenne annuelle — démonstration synthétique",
        "Atmo Bretagne (données synthétiques)",
        2023,
    ),
]


def _centres() -> list[Centre]:
    to_laea = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)
    centres = []
    for code, (lon, lat, weight) in COMMUNES.items():
        east, north = to_laea.transform(lon, lat)
        centres.append(Centre(code, east, north, weight))
    return centres


def write_demo_files(folder: Path) -> dict[str, Path]:
    """The five demo inputs in their real formats, from the seed (keys as `DATASETS`)."""
    centres = _centres()
    rennes = (centres[0].east, centres[0].north)
    grid = synthetic_grid(centres, radius_m=3500, seed=SEED, people_per_cell=110)
    population = folder / "filosofi_200m_demo.csv"
    write_population_csv(population, grid)
    # A ring road (rocade) 4 km around the centre, plus radial and scattered roads.
    angles = np.linspace(0, 2 * np.pi, 41)
    ring = np.column_stack([rennes[0] + 4000 * np.cos(angles), rennes[1] + 4000 * np.sin(angles)])
    sections = [shapely.linestrings(ring[i : i + 2]) for i in range(len(ring) - 1)]
    roads = np.concatenate(
        [np.array(sections), synthetic_roads(rennes, count=ROAD_SECTIONS, extent_m=8000, seed=SEED)]
    )
    geometries, indicators, legends = noise_rings(roads)
    to_l93 = Transformer.from_crs("EPSG:3035", "EPSG:2154", always_xy=True)
    geometries = shapely.transform(geometries, lambda xy: np.column_stack(to_l93.transform(xy[:, 0], xy[:, 1])))
    rows = [
        {"TYPEZONE": "A", "INDICETYPE": indicator, "LEGZONE": legend, "TYPESOURCE": "R", "CODINFRA": "DEMO"}
        for indicator, legend in zip(indicators, legends, strict=True)
    ]
    # Type C: above the road limit values (Lden 68) near the ring road.
    ring_c = shapely.transform(
        shapely.buffer(shapely.linestrings(ring), 60), lambda xy: np.column_stack(to_l93.transform(xy[:, 0], xy[:, 1]))
    )
    noise = folder / "cbs_route_demo.gpkg"
    write_noise_gpkg(
        noise,
        [*geometries, ring_c],
        [*rows, {"TYPEZONE": "C", "INDICETYPE": "LD", "LEGZONE": "", "TYPESOURCE": "R", "CODINFRA": "ROCADE"}],
    )
    # A railway from the centre of Rennes south-west to Bruz (the line to Redon runs so): its own map,
    # TYPESOURCE F, as CNIG maps are published per source type.
    bruz = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True).transform(*RAIL_END)
    stops = np.linspace(0.0, 1.0, 13)
    track = np.column_stack([rennes[0] + stops * (bruz[0] - rennes[0]), rennes[1] + stops * (bruz[1] - rennes[1])])
    rail_sections = shapely.linestrings(np.stack([track[:-1], track[1:]], axis=1))
    rail_geometries, rail_indicators, rail_legends = noise_rings(rail_sections)
    rail_geometries = shapely.transform(
        rail_geometries, lambda xy: np.column_stack(to_l93.transform(xy[:, 0], xy[:, 1]))
    )
    rail = folder / "cbs_fer_demo.gpkg"
    write_noise_gpkg(
        rail,
        rail_geometries,
        [
            {
                "TYPEZONE": "A",
                "INDICETYPE": indicator,
                "LEGZONE": legend,
                "TYPESOURCE": "F",
                "CODINFRA": "RENNES-REDON",
            }
            for indicator, legend in zip(rail_indicators, rail_legends, strict=True)
        ],
    )
    west = float(grid.east.min()) - 1000
    north = float(grid.north.max()) + 1200
    width = int((grid.east.max() + 1200 - west) // 100)
    height = int((north - grid.north.min() + 1000) // 100)
    air = {}
    for kind, background, peak, scale in (("pm25", 7.5, 5.0, 3500), ("no2", 11.0, 16.0, 2500)):
        values = synthetic_air_field(
            west=west,
            north=north,
            width_px=width,
            height_px=height,
            resolution=100,
            centre=rennes,
            background=background,
            peak=peak,
            scale_m=scale,
        )
        path = folder / f"{kind}_demo.tif"
        write_geotiff(path, values, west=west, north=north, resolution=100, crs="EPSG:3035")
        air[kind] = path
    return {"population": population, "bruit:road": noise, "bruit:rail": rail, **air}


def _grant_roles() -> None:
    users = get_user_model().objects.in_bulk([username for username, *_ in ROLES], field_name="username")
    for username, role, level, code in ROLES:
        if username in users:
            grant_role(users[username], services.SERVICE, role, level, code, reason="Démonstration Estim'Action")


def load_demo(stdout=None) -> dict:
    _grant_roles()
    in_force = selectors.datasets_in_force()
    present = {
        key
        for key, _, _, name, _, vintage in DATASETS
        if key in in_force and (in_force[key].name, in_force[key].vintage) == (name, vintage)
    }
    imported = 0
    if len(present) < len(DATASETS):
        with tempfile.TemporaryDirectory(prefix="estimaction-demo-") as folder:
            paths = write_demo_files(Path(folder))
            for key, kind, source_type, name, producer, vintage in DATASETS:
                if key in present:
                    continue
                services.import_dataset(
                    paths[key],
                    kind=kind,
                    name=name,
                    producer=producer,
                    vintage=vintage,
                    coverage="Rennes et cinq communes voisines (35)",
                    source_url="https://www.insee.fr/fr/statistiques/6215138"
                    if kind == DatasetKind.POPULATION
                    else "",
                    checked_at=timezone.now(),
                    audited=False,
                    source_type=source_type,
                )
                imported += 1
    active_ids = {d.pk for d in selectors.datasets_in_force().values()}
    computed = 0
    inputs = None
    for level, code in TERRITORIES:
        stored = TerritoryResult.objects.filter(level=level, code=code).first()
        if stored and {stamp["id"] for stamp in stored.datasets.values()} == active_ids:
            continue
        if selectors.territory_name(level, code) is None:
            continue
        inputs = inputs or services.load_inputs()
        services.compute_territory(level, code, inputs=inputs, audited=False)
        computed += 1
    superseded = Dataset.objects.filter(status=DatasetStatus.SUPERSEDED).count()
    if stdout is not None:
        stdout.write(f"Estim'Action : {imported} jeu(x) importé(s), {computed} territoire(s) calculé(s).")
    return {"imported": imported, "computed": computed, "superseded": superseded}
