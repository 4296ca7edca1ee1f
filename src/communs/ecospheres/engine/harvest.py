"""One harvest run: read a source completely, then say what changed against what was stored.

A run reads every page first (`collect`); only then does the caller write, so a source failing
half-way (unreachable page, CSW ExceptionReport) leaves the stored catalogue as it was. `plan`
compares the records read with the stored fingerprints: created, updated, unchanged; records
missing from the source are marked missing, then archived once `grace` has passed since they were
first missed — never deleted.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from communs.ecospheres.engine.fetch import HarvestError
from communs.ecospheres.engine.kinds import KINDS
from communs.ecospheres.engine.records import DatasetRecord


@dataclass
class RecordError:
    record: str
    reason: str

    def as_dict(self) -> dict:
        return {"record": self.record, "reason": self.reason}


@dataclass
class Collected:
    records: dict[str, DatasetRecord] = field(default_factory=dict)
    errors: list[RecordError] = field(default_factory=list)
    requests: int = 0


def _keep(collected: Collected, record: DatasetRecord | None, error: str | None, label: str) -> None:
    if error or record is None:
        collected.errors.append(RecordError(label, error or "enregistrement illisible"))
        return
    if not record.remote_id:
        collected.errors.append(RecordError(label, "identifiant distant absent"))
    elif not record.title:
        collected.errors.append(RecordError(record.remote_id, "titre absent"))
    elif record.remote_id in collected.records:
        collected.errors.append(RecordError(record.remote_id, "identifiant distant en double dans la source"))
    else:
        collected.records[record.remote_id] = record


def _safe(convert, item, label: str) -> tuple[DatasetRecord | None, str | None, str]:
    try:
        return convert(item), None, label
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return None, f"champ inattendu : {type(exc).__name__} {exc}", label


def collect(kind: str, location: str, *, page_size: int | None = None) -> Collected:
    """Read the whole source; raise HarvestError when the run itself fails."""
    # Imported here: rdflib and OWSLib are heavy and only a harvest needs them.
    from communs.ecospheres.engine import csw, dcat, jsonapi

    collected = Collected()
    if kind == "dcat":
        for _, graph in dcat.read_pages(location):
            collected.requests += 1
            for subject in sorted(set(graph.subjects(dcat.RDF.type, dcat.DCAT.Dataset)), key=str):
                record, error, label = _safe(lambda s, g=graph: dcat.dataset_from_graph(g, s), subject, str(subject))
                _keep(collected, record, error, label)
    elif kind == "csw":
        stats = csw.CswStats()
        for record, error, label in csw.read_records(location, page_size or csw.PAGE_SIZE, stats):
            _keep(collected, record, error, label)
        collected.requests = stats.requests
    elif kind == "ckan":
        for page in jsonapi.ckan_pages(location, page_size or jsonapi.CKAN_ROWS):
            collected.requests += 1
            for package in page:
                label = str(package.get("id") or package.get("name") or "?") if isinstance(package, dict) else "?"
                _keep(collected, *_safe(jsonapi.ckan_record, package, label))
    elif kind == "udata":
        for page in jsonapi.udata_pages(location):
            collected.requests += 1
            for item, topics in page:
                label = str(item.get("id") or "?") if isinstance(item, dict) else "?"
                _keep(collected, *_safe(lambda d, t=topics: jsonapi.udata_record(d, t), item, label))
    else:
        raise HarvestError(f"type de source inconnu : {kind} (attendu : {', '.join(KINDS)})")
    return collected


@dataclass
class Stored:
    """What the database holds for one remote record of the source."""

    fingerprint: str
    missing_since: datetime | None
    archived: bool


@dataclass
class Plan:
    create: list[str] = field(default_factory=list)
    update: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    newly_missing: list[str] = field(default_factory=list)
    archive: list[str] = field(default_factory=list)

    def report(self, errors: Iterable[RecordError], seen: int) -> dict:
        return {
            "seen": seen,
            "created": len(self.create),
            "updated": len(self.update),
            "unchanged": len(self.unchanged),
            "archived": len(self.archive),
            "errors": [e.as_dict() for e in errors],
        }


def plan(stored: dict[str, Stored], records: dict[str, DatasetRecord], now: datetime, grace: timedelta) -> Plan:
    result = Plan()
    for remote_id, record in records.items():
        previous = stored.get(remote_id)
        if previous is None:
            result.create.append(remote_id)
        elif previous.fingerprint != record.fingerprint() or previous.archived or previous.missing_since:
            result.update.append(remote_id)  # a record coming back counts as updated
        else:
            result.unchanged.append(remote_id)
    for remote_id, previous in stored.items():
        if remote_id in records or previous.archived:
            continue
        since = previous.missing_since or now
        if now - since >= grace:
            result.archive.append(remote_id)
        elif previous.missing_since is None:
            result.newly_missing.append(remote_id)
    return result
