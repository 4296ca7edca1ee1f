"""Read one page of a source: an http(s) URL, or a local file (a folder is read file by file elsewhere)."""

import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 60


class HarvestError(Exception):
    """The run cannot go on (unreachable source, CSW ExceptionReport, unreadable page): nothing is stored."""


@dataclass
class Page:
    location: str
    body: bytes
    content_type: str = ""


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def fetch(location: str, headers: dict | None = None) -> Page:
    if is_url(location):
        request = urllib.request.Request(location, headers={"Accept": "*/*", **(headers or {})})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - http(s) only
                return Page(location, response.read(), response.headers.get("Content-Type", ""))
        except OSError as exc:
            raise HarvestError(f"{location} : {exc}") from exc
    path = Path(location)
    if not path.is_file():
        raise HarvestError(f"{location} : fichier introuvable")
    return Page(str(path), path.read_bytes())


def local_files(location: str, suffixes: tuple[str, ...]) -> list[str] | None:
    """The files of a local folder with one of `suffixes`, sorted; None when `location` is not a folder."""
    if is_url(location):
        return None
    path = Path(location)
    if not path.is_dir():
        return None
    return [str(p) for p in sorted(path.iterdir()) if p.is_file() and p.name.lower().endswith(suffixes)]


def check_url(url: str, timeout: float = 10) -> tuple[bool, int | None, str]:
    """(available, HTTP status, message) for one distribution URL: HEAD, then GET when HEAD is refused."""
    if not is_url(url):
        return False, None, "adresse non http(s)"
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
                return 200 <= response.status < 400, response.status, "OK"
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (403, 405, 501):
                continue
            return False, exc.code, str(exc.reason)
        except OSError as exc:
            return False, None, str(exc)
    return False, None, "aucune réponse"
