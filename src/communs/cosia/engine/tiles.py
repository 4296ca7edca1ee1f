"""XYZ tiles (Web Mercator, 256 px PNG) of a CoSIA COG or mosaic, with the official colours.

Rendering goes through rio-tiler with **nearest** reprojection and **mode** reads from the
overviews, so every pixel of a tile is a real class code: no blending between classes. Nodata is
transparent (alpha 0); classes hidden by the legend toggles are transparent too. Tiles are cached
on disk (`TileCache`), keyed by source, nomenclature version and hidden classes.
"""

import hashlib
import os
from pathlib import Path

from rio_tiler.errors import TileOutsideBounds
from rio_tiler.io import Reader

from communs.cosia.engine.nomenclature import Nomenclature

TILE_SIZE = 256
MIN_ZOOM = 8
MAX_ZOOM = 22


def empty_tile() -> bytes:
    """A fully transparent 256 × 256 PNG (a tile outside the coverage)."""
    import struct
    import zlib

    raw = b"".join(b"\x00" + b"\x00\x00\x00\x00" * TILE_SIZE for _ in range(TILE_SIZE))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", TILE_SIZE, TILE_SIZE, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def render_tile(
    path: Path | str, z: int, x: int, y: int, nomenclature: Nomenclature, hidden: frozenset[int] = frozenset()
) -> bytes:
    """PNG bytes of tile z/x/y; a transparent tile when it lies outside the raster."""
    with Reader(str(path)) as reader:
        if not reader.tile_exists(x, y, z):
            return empty_tile()
        try:
            image = reader.tile(x, y, z, tilesize=TILE_SIZE, resampling_method="mode", reproject_method="nearest")
        except TileOutsideBounds:
            return empty_tile()
    return image.render(img_format="PNG", colormap=nomenclature.colormap(hidden), add_mask=True)


class TileCache:
    """PNG tiles on disk: `<root>/<key>/<z>/<x>/<y>.png`, written atomically."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    @staticmethod
    def key(source: str, nomenclature: Nomenclature, hidden: frozenset[int]) -> str:
        text = f"{source}|{nomenclature.version}|{','.join(map(str, sorted(hidden)))}"
        return hashlib.sha256(text.encode()).hexdigest()[:20]

    def get_or_render(
        self,
        path: Path | str,
        z: int,
        x: int,
        y: int,
        nomenclature: Nomenclature,
        hidden: frozenset[int] = frozenset(),
        *,
        source_id: str | None = None,
    ) -> tuple[bytes, bool]:
        """(png, hit) — `hit` tells whether the tile came from the cache."""
        key = self.key(source_id or str(path), nomenclature, hidden)
        tile_path = self.root / key / str(z) / str(x) / f"{y}.png"
        if tile_path.exists():
            return tile_path.read_bytes(), True
        png = render_tile(path, z, x, y, nomenclature, hidden)
        tile_path.parent.mkdir(parents=True, exist_ok=True)
        partial = tile_path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(png)
        partial.replace(tile_path)
        return png, False
