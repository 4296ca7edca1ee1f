"""Small real-format inputs written by code: a Filosofi-style CSV and GeoPackage grid, a CNIG-style
noise GeoPackage (Lambert-93) and a tiny GeoTIFF (EPSG:3035). Shared by engine, CLI and service tests.

The layout: three 200 m cells in a row at N 2,890,000, E 3,762,000 / 3,762,200 / 3,762,400 with
100, 50 and 30 people. One Lden 65-70 zone covers the west half of the first cell; an Lnight 55-60
zone covers the whole second cell.
"""

from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer

from communs.estimaction.engine.air import write_geotiff
from communs.estimaction.engine.noise_zones import write_noise_gpkg

N0, E0 = 2_890_000, 3_762_000
CELLS = [
    (f"CRS3035RES200mN{N0}E{E0}", "35238", 100),
    (f"CRS3035RES200mN{N0}E{E0 + 200}", "35238", 50),
    (f"CRS3035RES200mN{N0}E{E0 + 400}", "3523835281", 30),
]
TO_L93 = Transformer.from_crs("EPSG:3035", "EPSG:2154", always_xy=True)


def write_grid_csv(path: Path, cells=CELLS, *, ages: bool = False) -> Path:
    header = "idcar_200m,lcog_geo,ind"
    if ages:
        header += ",ind_25_39,ind_40_54,ind_55_64,ind_65_79,ind_80p"
    lines = [header]
    for cell_id, lcog, ind in cells:
        line = f"{cell_id},{lcog},{ind}"
        if ages:
            # 60 % of the cell is 25+, split 20/15/10/10/5 %
            line += "," + ",".join(f"{ind * share:.1f}" for share in (0.20, 0.15, 0.10, 0.10, 0.05))
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_grid_gpkg(path: Path, cells=CELLS) -> Path:
    import pyogrio.raw

    polygons = [shapely.box(E0 + 200 * i, N0, E0 + 200 * (i + 1), N0 + 200) for i in range(len(cells))]
    fields = ["Idcar_200m", "lcog_geo", "Ind"]
    data = [
        np.array([c[0] for c in cells], dtype=object),
        np.array([c[1] for c in cells], dtype=object),
        np.array([float(c[2]) for c in cells]),
    ]
    pyogrio.raw.write(
        str(path),
        shapely.to_wkb(np.array(polygons)),
        data,
        fields,
        driver="GPKG",
        geometry_type="Polygon",
        crs="EPSG:3035",
    )
    return path


def to_lambert93(geometry):
    return shapely.transform(geometry, lambda xy: np.column_stack(TO_L93.transform(xy[:, 0], xy[:, 1])))


def write_noise_file(path: Path) -> Path:
    """Two zones in Lambert-93, as a CNIG GeoPackage: Lden 65-70 on the west half of cell 1 and
    Ln 55-60 on the whole of cell 2 (densified so reprojection keeps them straight to < 1 cm)."""
    zones = [
        shapely.segmentize(shapely.box(E0, N0, E0 + 100, N0 + 200), 5),
        shapely.segmentize(shapely.box(E0 + 200, N0, E0 + 400, N0 + 200), 5),
    ]
    rows = [
        {"TYPEZONE": "A", "INDICETYPE": "LD", "LEGZONE": "Lden65", "TYPESOURCE": "R", "CODINFRA": "D137"},
        {"TYPEZONE": "A", "INDICETYPE": "LN", "LEGZONE": "LN55", "TYPESOURCE": "R", "CODINFRA": "D137"},
    ]
    write_noise_gpkg(path, [to_lambert93(z) for z in zones], rows, crs="EPSG:2154")
    return path


def write_rail_file(path: Path, *, typesource: str = "F") -> Path:
    """A rail map (CNIG TYPESOURCE F) in Lambert-93: Lden 65-70 on the whole of cell 1 (100 people) and
    Ln 60-65 on the whole of cell 2 (50 people)."""
    zones = [
        shapely.segmentize(shapely.box(E0, N0, E0 + 200, N0 + 200), 5),
        shapely.segmentize(shapely.box(E0 + 200, N0, E0 + 400, N0 + 200), 5),
    ]
    rows = [
        {
            "TYPEZONE": "A",
            "INDICETYPE": "LD",
            "LEGZONE": "Lden65",
            "TYPESOURCE": typesource,
            "CODINFRA": "RENNES-ST-MALO",
        },
        {
            "TYPEZONE": "A",
            "INDICETYPE": "LN",
            "LEGZONE": "LN60",
            "TYPESOURCE": typesource,
            "CODINFRA": "RENNES-ST-MALO",
        },
    ]
    write_noise_gpkg(path, [to_lambert93(z) for z in zones], rows, crs="EPSG:2154")
    return path


def write_air_tiff(path: Path, value_west: float = 12.0, value_east: float = 4.0) -> Path:
    """A 2 × 2 raster of 300 m pixels in EPSG:3035 whose west column holds `value_west` and east
    column `value_east`, covering the three cells (pixel edges at E 3,762,000 / 3,762,300)."""
    values = np.array([[value_west, value_east], [value_west, value_east]], dtype=float)
    write_geotiff(path, values, west=E0, north=N0 + 300, resolution=300, crs="EPSG:3035")
    return path


def densified_cell_ring(column: int) -> list[tuple[float, float]]:
    """The outline of cell `column` (EPSG:3035), densified every 5 m so reprojection keeps it straight."""
    box = shapely.segmentize(shapely.box(E0 + 200 * column, N0, E0 + 200 * (column + 1), N0 + 200), 5)
    return [tuple(xy) for xy in shapely.get_coordinates(box.exterior)]


def import_and_compute_rennes(folder: Path):
    """Import the small real-format inputs written into `folder`, then compute Rennes (35238):
    165 people, 50 in Lden 65-70. Needs the database and the territorial reference."""
    from communs.estimaction import services

    for path, kind in (
        (write_grid_csv(folder / "grid.csv", ages=True), "population"),
        (write_noise_file(folder / "cbs.gpkg"), "bruit"),
        (write_air_tiff(folder / "pm25.tif", 12.0, 4.0), "pm25"),
    ):
        services.import_dataset(
            path, kind=kind, name=path.name, producer="Producteur test", vintage=2021, coverage="35"
        )
    return services.compute_territory("commune", "35238")


def add_rail_map_and_recompute_rennes(folder: Path):
    """Import SNCF Réseau's rail map (`write_rail_file`) beside the road map, then recompute Rennes:
    the dashboard then has a road and a rail block. Needs `import_and_compute_rennes` first."""
    from communs.estimaction import services

    services.import_dataset(
        write_rail_file(folder / "cbs_fer.gpkg"),
        kind="bruit",
        name="CBS voies ferrées",
        producer="SNCF Réseau",
        vintage=2022,
        coverage="35",
    )
    return services.compute_territory("commune", "35238")
