"""One dataset read from one file, for `communs ecospheres quality FILE`: a udata dataset JSON, a CKAN
package JSON (bare or inside a `package_show` answer) or a DCAT file holding one dataset."""

import json
from pathlib import Path

from communs.ecospheres.engine import dcat, jsonapi
from communs.ecospheres.engine.fetch import HarvestError
from communs.ecospheres.engine.records import DatasetRecord


def read_one(path: Path) -> DatasetRecord:
    body = path.read_bytes()
    if path.suffix.lower() == ".json" and not body.lstrip().startswith(b"[") and b'"@context"' not in body[:2000]:
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise HarvestError(f"{path} : JSON illisible : {exc}") from exc
        if isinstance(data, dict) and isinstance(data.get("result"), dict):
            data = data["result"]
        if not isinstance(data, dict):
            raise HarvestError(f"{path} : un objet JSON était attendu")
        if "notes" in data or "resources" in data and "license_id" in data or "extras" in data and "name" in data:
            return jsonapi.ckan_record(data)
        return jsonapi.udata_record(data)
    graph = dcat.parse_graph(body, dcat.guess_format(str(path), "", body), str(path))
    records = list(dcat.records_from_graph(graph))
    if len(records) != 1:
        raise HarvestError(f"{path} : un seul dcat:Dataset était attendu, {len(records)} trouvé(s)")
    return records[0]
