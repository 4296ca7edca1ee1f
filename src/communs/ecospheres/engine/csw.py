"""CSW 2.0.2 harvesting with OWSLib: `GetRecords` in ISO 19139 (`outputSchema` gmd), paged by
`nextRecord` until it is 0 or past `numberOfRecordsMatched`. An `ExceptionReport` stops the run with
its message (the caller then keeps what the previous run stored)."""

import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from communs.ecospheres.engine.fetch import HarvestError, fetch, local_files
from communs.ecospheres.engine.iso import GMD, parse_document, record_from_element
from communs.ecospheres.engine.records import DatasetRecord

PAGE_SIZE = 25


@dataclass
class CswStats:
    requests: int = 0
    matched: int = 0


def read_records(location: str, page_size: int = PAGE_SIZE, stats: CswStats | None = None) -> Iterator:
    """Yield `(record or None, error or None, label)` for every record of a CSW endpoint or of local ISO files."""
    files = local_files(location, (".xml",))
    if files is None and not location.startswith(("http://", "https://")):
        files = [location]
    if files is not None:
        for path in files:
            for element in parse_document(fetch(path).body, path):
                yield _convert(element, path)
        return
    from owslib.catalogue.csw2 import CatalogueServiceWeb
    from owslib.ows import ExceptionReport

    stats = stats or CswStats()
    try:
        csw = CatalogueServiceWeb(location, version="2.0.2", skip_caps=True, timeout=60)
    except Exception as exc:  # OWSLib wraps network errors in many types
        raise HarvestError(f"{location} : {exc}") from exc
    position = 1
    while True:
        stats.requests += 1
        try:
            with warnings.catch_warnings():
                # OWSLib warns, on every parse, that `.identification` will become a list.
                warnings.simplefilter("ignore", FutureWarning)
                csw.getrecords2(
                    typenames="gmd:MD_Metadata",
                    outputschema=GMD,
                    esn="full",
                    startposition=position,
                    maxrecords=page_size,
                )
        except ExceptionReport as exc:
            raise HarvestError(f"ExceptionReport du serveur CSW : {exc}") from exc
        except Exception as exc:
            raise HarvestError(f"{location} : {exc}") from exc
        stats.matched = csw.results.get("matches") or 0
        for element in parse_document(csw.response, location):
            yield _convert(element, location)
        following = csw.results.get("nextrecord") or 0
        if following <= position or following > stats.matched or not csw.results.get("returned"):
            return
        position = following


def _convert(element, label: str) -> tuple[DatasetRecord | None, str | None, str]:
    try:
        record = record_from_element(element)
    except Exception as exc:  # one broken record is an error of the report, not of the run
        return None, f"enregistrement ISO illisible : {exc}", label
    if not record.remote_id:
        return None, "enregistrement ISO sans fileIdentifier", label
    if not record.title:
        return None, "enregistrement ISO sans titre", record.remote_id
    return record, None, record.remote_id
