"""Files every service keeps: its data folder, a file's SHA-256, an uploaded file written to disk.

- `data_dir("cosia", "exports")` is `<COMMUNS_DATA_DIR>/cosia/exports` (settings.DATA_DIR; tests point
  it at a temporary folder). Never build `Path(settings.DATA_DIR) / …` in an app.
- `sha256_file(path)` reads in 1 MiB chunks (DSN stores, COGs of several GB); `sha256_bytes(data)`
  for what is already in memory. Engines, which cannot import core, hash with `hashlib` themselves.
- `save_upload(upload, "estimaction")` writes a Django `UploadedFile` (already checked by
  `core.uploads.UploadPolicy`) under a fresh folder of the app's `uploads/`, keeping only the
  file's base name, and returns the path: a view never opens a file for writing itself.

CSV text goes through `core.downloads` (`csv_text`, `csv_stream`, `table_download`), which
neutralises formula cells.
"""

import hashlib
import uuid
from pathlib import Path

from django.conf import settings

CHUNK = 1 << 20


def data_dir(app: str, *parts: str, create: bool = False) -> Path:
    """The folder of `app` (then `parts`) under the data folder; created on request."""
    folder = Path(settings.DATA_DIR).joinpath(app, *parts)
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def sha256_file(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_name(name: str) -> str:
    """The base name of an uploaded file (no folder, no leading dot), never empty."""
    base = Path(name.replace("\\", "/")).name.lstrip(".")
    return base or "fichier"


def save_upload(upload, app: str, folder: str = "uploads") -> Path:
    """Write an uploaded file to `<data>/<app>/<folder>/<random>/<name>` and return that path."""
    target_dir = data_dir(app, folder, uuid.uuid4().hex, create=True)
    target = target_dir / safe_name(upload.name)
    with target.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return target
