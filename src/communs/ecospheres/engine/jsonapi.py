"""CKAN `package_search` and udata API harvesting (JSON), and their records → `DatasetRecord`.

CKAN (https://docs.ckan.org/en/latest/api/): `package_search?start=&rows=` answers
`{"success": true, "result": {"count", "results": [package…]}}`; pages follow by `start`.
udata (https://doc.data.gouv.fr/api/reference/): `/api/1/datasets/` answers
`{"data": [dataset…], "next_page": url|null}`; organisations come inside each dataset, and
`/api/1/topics/` lists topics whose names become themes of the datasets they hold.
A local file or folder holds such pages (one JSON document per file).
"""

import json
import re
from collections.abc import Iterator
from datetime import date
from urllib.parse import urlencode, urljoin, urlsplit

from communs.ecospheres.engine.fetch import HarvestError, fetch, is_url, local_files
from communs.ecospheres.engine.identifiers import territory_code
from communs.ecospheres.engine.records import (
    Agent,
    DatasetRecord,
    Distribution,
    normalise_format,
    normalise_frequency,
)

CKAN_ROWS = 100


def _json(body: bytes, location: str):
    try:
        return json.loads(body)
    except ValueError as exc:
        raise HarvestError(f"{location} : JSON illisible : {exc}") from exc


def _date(text) -> date | None:
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(text or ""))
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _bbox_from_geojson(text) -> tuple[float, float, float, float] | None:
    try:
        geometry = json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return None
    if not isinstance(geometry, dict):
        return None
    numbers: list[float] = []

    def walk(value):
        if isinstance(value, list | tuple):
            if len(value) >= 2 and all(isinstance(v, int | float) for v in value[:2]):
                numbers.extend(float(v) for v in value[:2])
            else:
                for item in value:
                    walk(item)

    walk(geometry.get("coordinates"))
    if len(numbers) < 4:
        return None
    xs, ys = numbers[0::2], numbers[1::2]
    return (min(xs), min(ys), max(xs), max(ys))


# --- CKAN ---------------------------------------------------------------------------------------


def ckan_record(package: dict) -> DatasetRecord:
    extras = {e.get("key"): e.get("value") for e in package.get("extras") or [] if isinstance(e, dict)}
    identifiers = [package.get("id") or ""]
    for key in ("identifier", "guid", "dct_identifier"):
        if extras.get(key):
            identifiers.append(str(extras[key]))
    organisation = package.get("organization") or {}
    publisher = None
    if organisation.get("title") or organisation.get("name"):
        publisher = Agent(name=organisation.get("title") or organisation.get("name"))
    elif package.get("author"):
        publisher = Agent(name=package["author"], email=package.get("author_email") or "")
    contact = None
    if package.get("maintainer") or package.get("maintainer_email"):
        contact = Agent(name=package.get("maintainer") or "", email=package.get("maintainer_email") or "")
    territories = [code for code in (territory_code(extras.get("spatial_uri")),) if code]
    license_text = package.get("license_url") or package.get("license_title") or package.get("license_id") or ""
    if license_text in ("notspecified", "License not specified"):
        license_text = ""
    return DatasetRecord(
        remote_id=str(package.get("id") or package.get("name") or ""),
        title=(package.get("title") or package.get("name") or "").strip(),
        description=(package.get("notes") or "").strip(),
        identifiers=[i for i in dict.fromkeys(identifiers) if i],
        publisher=publisher,
        contact=contact,
        license=license_text,
        themes=sorted({g.get("title") or g.get("name") for g in package.get("groups") or [] if isinstance(g, dict)}),
        keywords=sorted({t.get("display_name") or t.get("name") for t in package.get("tags") or [] if t}),
        bbox=_bbox_from_geojson(extras.get("spatial")) if extras.get("spatial") else None,
        territories=territories,
        temporal_start=_date(extras.get("temporal_start")),
        temporal_end=_date(extras.get("temporal_end")),
        frequency=normalise_frequency(extras.get("frequency") or extras.get("accrual_periodicity")),
        modified=_date(extras.get("modified") or package.get("metadata_modified")),
        issued=_date(extras.get("issued") or package.get("metadata_created")),
        landing_page=package.get("url") or "",
        distributions=[
            Distribution(
                url=r["url"].strip(),
                title=(r.get("name") or "").strip(),
                description=(r.get("description") or "").strip(),
                format=normalise_format(r.get("format") or r.get("mimetype")),
                media_type=r.get("mimetype") or "",
            )
            for r in package.get("resources") or []
            if r.get("url")
        ],
    )


def _ckan_endpoint(location: str) -> str:
    if "package_search" in location:
        return location.split("?")[0]
    return urljoin(location.rstrip("/") + "/", "api/3/action/package_search")


def ckan_pages(location: str, rows: int = CKAN_ROWS) -> Iterator[list[dict]]:
    files = local_files(location, (".json",))
    if files is not None or not is_url(location):
        for path in files if files is not None else [location]:
            body = _json(fetch(path).body, path)
            yield _ckan_results(body, path)
        return
    endpoint = _ckan_endpoint(location)
    start = 0
    while True:
        url = f"{endpoint}?{urlencode({'start': start, 'rows': rows})}"
        body = _json(fetch(url, {"Accept": "application/json"}).body, url)
        results = _ckan_results(body, url)
        yield results
        start += len(results)
        if not results or start >= int(body["result"].get("count") or 0):
            return


def _ckan_results(body, location: str) -> list[dict]:
    if isinstance(body, dict) and "result" in body:
        if body.get("success") is False:
            raise HarvestError(f"{location} : erreur CKAN : {body.get('error')}")
        result = body["result"]
        return result.get("results", []) if isinstance(result, dict) else [result]
    if isinstance(body, dict) and body.get("title") is not None:
        return [body]  # one package document
    raise HarvestError(f"{location} : ce n'est pas une réponse CKAN package_search")


# --- udata --------------------------------------------------------------------------------------


def udata_record(dataset: dict, topics: dict[str, list[str]] | None = None) -> DatasetRecord:
    harvest = dataset.get("harvest") or {}
    extras = dataset.get("extras") or {}
    identifiers = [dataset.get("id") or ""]
    for value in (harvest.get("remote_id"), harvest.get("uri"), extras.get("dct:identifier")):
        if value:
            identifiers.append(str(value))
    organisation = dataset.get("organization") or {}
    owner = dataset.get("owner") or {}
    publisher = None
    if organisation.get("name"):
        publisher = Agent(name=organisation["name"], uri=organisation.get("uri") or organisation.get("page") or "")
    elif owner:
        publisher = Agent(name=" ".join(filter(None, [owner.get("first_name"), owner.get("last_name")])))
    spatial = dataset.get("spatial") or {}
    zones = [z.get("id") if isinstance(z, dict) else z for z in spatial.get("zones") or []]
    temporal = dataset.get("temporal_coverage") or {}
    license_text = dataset.get("license") or ""
    if license_text in ("notspecified", "other-at"):
        license_text = ""
    contact = None
    for point in dataset.get("contact_points") or []:
        if isinstance(point, dict) and (point.get("name") or point.get("email")):
            contact = Agent(name=point.get("name") or "", email=point.get("email") or "")
            break
    themes = set(topics.get(dataset.get("id") or "", []) if topics else [])
    return DatasetRecord(
        remote_id=str(dataset.get("id") or ""),
        title=(dataset.get("title") or "").strip(),
        description=(dataset.get("description") or "").strip(),
        identifiers=[i for i in dict.fromkeys(identifiers) if i],
        publisher=publisher,
        contact=contact,
        license=license_text,
        themes=sorted(themes),
        keywords=sorted({str(t) for t in dataset.get("tags") or []}),
        bbox=_bbox_from_geojson(spatial.get("geom")) if spatial.get("geom") else None,
        territories=sorted({c for c in (territory_code(z) for z in zones if z) if c}),
        temporal_start=_date(temporal.get("start")),
        temporal_end=_date(temporal.get("end")),
        frequency=normalise_frequency(dataset.get("frequency")),
        modified=_date(dataset.get("last_update") or dataset.get("last_modified")),
        issued=_date(dataset.get("created_at")),
        landing_page=dataset.get("page") or "",
        distributions=[
            Distribution(
                url=r["url"].strip(),
                title=(r.get("title") or "").strip(),
                description=(r.get("description") or "").strip(),
                format=normalise_format(r.get("format") or r.get("mime")),
                media_type=r.get("mime") or "",
            )
            for r in dataset.get("resources") or []
            if r.get("url")
        ],
    )


def _udata_base(location: str) -> str:
    parts = urlsplit(location)
    path = parts.path
    index = path.find("/api/1")
    root = path[: index + len("/api/1")] if index >= 0 else path.rstrip("/") + "/api/1"
    return f"{parts.scheme}://{parts.netloc}{root}/"


def _udata_follow(first: str) -> Iterator[dict]:
    url: str | None = first
    seen: set[str] = set()
    while url and url not in seen:
        seen.add(url)
        body = _json(fetch(url, {"Accept": "application/json"}).body, url)
        if not isinstance(body, dict) or "data" not in body:
            raise HarvestError(f"{url} : ce n'est pas une page de l'API udata (clé « data » absente)")
        yield body
        following = body.get("next_page")
        url = urljoin(url, following) if following else None


def udata_pages(location: str) -> Iterator[list[dict]]:
    files = local_files(location, (".json",))
    if files is not None or not is_url(location):
        pages = [_json(fetch(p).body, p) for p in (files if files is not None else [location])]
        topics = _topics([item for page in pages if _is_topics(page) for item in page["data"]])
        for page in pages:
            if isinstance(page, dict) and "data" in page and not _is_topics(page):
                yield [(item, topics) for item in page["data"]]
            elif isinstance(page, dict) and page.get("title") is not None and "data" not in page:
                yield [(page, topics)]
        return
    base = _udata_base(location)
    topics: dict[str, list[str]] = {}
    try:
        topic_items = [item for page in _udata_follow(urljoin(base, "topics/")) for item in page["data"]]
        topics = _topics(topic_items)
    except HarvestError:
        topics = {}  # a udata without topics is still a udata
    first = location if "/datasets" in location else urljoin(base, "datasets/")
    for page in _udata_follow(first):
        yield [(item, topics) for item in page["data"]]


def _is_topics(page) -> bool:
    data = page.get("data") if isinstance(page, dict) else None
    return bool(data) and all(isinstance(i, dict) and "datasets" in i and "resources" not in i for i in data)


def _topics(items: list[dict]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for topic in items:
        for reference in topic.get("datasets") or []:
            dataset_id = reference.get("id") if isinstance(reference, dict) else reference
            if dataset_id and topic.get("name"):
                table.setdefault(str(dataset_id), []).append(topic["name"])
    return table
