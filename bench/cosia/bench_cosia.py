"""CoSIA: statistics throughput on a 20,000 × 20,000 raster with a commune-shaped polygon, and tile latency.

Prints figures; asserts nothing. Targets (issue 6): statistics ≥ 200 Mpixel/s with ≤ 1 GB of memory;
tile p95 ≤ 100 ms warm, ≤ 300 ms cold.

- The raster (seeded synthetic town, tiled 512 px, DEFLATE) is generated once into
  $COSIA_BENCH_DIR (default: the system temp dir) and reused by later runs.
- The polygon is a real commune outline (IGN contours under /work/shared, when present) scaled
  to fill most of the raster; otherwise the seeded synthetic commune outline.
- Statistics run in a child process so its peak memory (ru_maxrss) is measured alone.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZE = 20_000
SHARED_CONTOURS = Path("/work/shared/data/contours/communes-35-ille-et-vilaine.geojson")
COMMUNE_CODE = "35238"  # Rennes: an irregular outline with bays and lobes
BENCH_DIR = Path(os.environ.get("COSIA_BENCH_DIR", Path(tempfile.gettempdir()) / "communs-bench-cosia"))


def _raster() -> Path:
    from communs.cosia.engine.synthetic import Town, write_town

    path = BENCH_DIR / f"town-{SIZE}.tif"
    if not path.exists():
        started = time.perf_counter()
        write_town(path.with_suffix(".part.tif"), Town(seed=7, width=SIZE, height=SIZE))
        path.with_suffix(".part.tif").replace(path)
        print(f"raster generated in {time.perf_counter() - started:.1f} s ({path.stat().st_size / 1e6:.0f} MB)")
    return path


def _polygon(bounds):
    import shapely
    from shapely import affinity

    from communs.cosia.engine.geometry import read_territory
    from communs.cosia.engine.synthetic import commune_polygon

    left, bottom, right, top = bounds
    width = right - left
    if SHARED_CONTOURS.exists():
        doc = json.loads(SHARED_CONTOURS.read_text())
        feature = next(f for f in doc["features"] if str(f["properties"].get("code")) == COMMUNE_CODE)
        shape = read_territory_from_feature(feature, read_territory)
        source = f"IGN commune {COMMUNE_CODE} outline, rescaled"
    else:
        shape = commune_polygon(7, (0, 0), 1.0)
        source = "synthetic commune outline"
    minx, miny, maxx, maxy = shape.bounds
    scale = 0.95 * width / max(maxx - minx, maxy - miny)
    shape = affinity.scale(shape, scale, scale, origin=(minx, miny))
    shape = affinity.translate(shape, left + 0.025 * width - minx, bottom + 0.025 * width - miny)
    return shapely.make_valid(shape), source


def read_territory_from_feature(feature, read_territory):
    path = BENCH_DIR / "commune.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return read_territory(path)


def child_stats(raster: str, wkb_hex: str, workers: int, processes: int) -> None:
    """Runs in the child process: one statistics pass, then prints a JSON line.

    With `processes`, windows go to a pool of spawned interpreters through `map_tiles` (the Dask
    path on one machine); the pool's start-up is timed too, and the peak RSS is the largest of
    this process and of any pool process.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import shapely

    from communs.cosia.engine.nomenclature import DEFAULT_NOMENCLATURE
    from communs.cosia.engine.stats import count_raster, summarise

    geometry = shapely.from_wkb(bytes.fromhex(wkb_hex)) if wkb_hex else None
    started = time.perf_counter()
    if processes:
        with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn")) as pool:
            counts, pixel_area = count_raster(raster, geometry, map_tiles=pool.map)
    else:
        counts, pixel_area = count_raster(raster, geometry, workers=workers)
    elapsed = time.perf_counter() - started
    result = summarise(counts, pixel_area, DEFAULT_NOMENCLATURE)
    peak_mb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    )
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb / 1024, "total_ha": result.total_ha}))


def _run_child(raster: Path, wkb_hex: str, workers: int, processes: int = 0) -> dict:
    out = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--child", str(raster), wkb_hex or "-", str(workers), str(processes)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def bench_statistics() -> None:
    import rasterio
    import shapely

    raster = _raster()
    with rasterio.open(raster) as dataset:
        bounds = tuple(dataset.bounds)
    polygon, source = _polygon(bounds)
    pixels = SIZE * SIZE
    print(
        f"raster {SIZE} × {SIZE} = {pixels / 1e6:.0f} Mpixel; polygon: {source}, "
        f"{polygon.area / 10_000:.1f} ha ({polygon.area / 0.04 / pixels:.0%} of the raster), "
        f"{len(shapely.get_coordinates(polygon))} vertices"
    )
    for label, wkb_hex in (("whole raster", ""), ("commune polygon", shapely.to_wkb(polygon, hex=True))):
        for workers, processes in ((1, 0), (2, 0), (1, 2)):
            runs = [_run_child(raster, wkb_hex, workers, processes) for _ in range(2)]
            best = min(runs, key=lambda r: r["seconds"])
            mode = f"processes={processes}" if processes else f"threads={workers}"
            print(
                f"statistics, {label:<15} {mode:<11}: {best['seconds']:.2f} s → "
                f"{pixels / best['seconds'] / 1e6:.0f} Mpixel/s of raster, peak RSS {best['peak_mb']:.0f} MB "
                f"(total {best['total_ha']:.1f} ha)"
            )


def bench_tiles() -> None:
    import morecantile
    from pyproj import Transformer

    from communs.cosia.engine.ingest import ingest_raster
    from communs.cosia.engine.nomenclature import DEFAULT_NOMENCLATURE
    from communs.cosia.engine.synthetic import DEMO_ORIGIN, Town, write_town
    from communs.cosia.engine.tiles import TileCache

    source = BENCH_DIR / "demo-4000.tif"
    if not source.exists():
        write_town(source, Town(seed=2024, width=4000, height=4000))
    cog = ingest_raster(source, BENCH_DIR / "cogs", DEFAULT_NOMENCLATURE).path
    to_wgs84 = Transformer.from_crs(2154, 4326, always_xy=True)
    west, north = to_wgs84.transform(*DEMO_ORIGIN)
    east, south = to_wgs84.transform(DEMO_ORIGIN[0] + 800, DEMO_ORIGIN[1] - 800)
    tms = morecantile.tms.get("WebMercatorQuad")
    tiles = [t for z in range(13, 20) for t in tms.tiles(west, south, east, north, [z])][:300]
    cache = TileCache(Path(tempfile.mkdtemp(prefix="cosia-tiles-", dir=BENCH_DIR)))
    for label in ("cold", "warm"):
        timings = []
        for t in tiles:
            started = time.perf_counter()
            cache.get_or_render(cog, t.z, t.x, t.y, DEFAULT_NOMENCLATURE)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[int(0.95 * (len(timings) - 1))]
        print(
            f"tiles {label}: {len(timings)} tiles z13–z19, p50 {statistics.median(timings):.1f} ms, "
            f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms"
        )


def main() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    bench_statistics()
    bench_tiles()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_stats(sys.argv[2], "" if sys.argv[3] == "-" else sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        main()
