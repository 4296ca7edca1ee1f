"""ISO 19139 (gmd) and ISO 19115-3 (mdb) metadata records → `DatasetRecord`, with OWSLib's readers.

OWSLib reads titles, abstracts, keywords, contacts, extents and online resources; the maintenance
frequency (MD_MaintenanceFrequencyCode), which OWSLib does not expose, is read from the XML.
"""

import re
import warnings
from datetime import date

from lxml import etree

from communs.ecospheres.engine.identifiers import territory_code
from communs.ecospheres.engine.records import Agent, DatasetRecord, Distribution, normalise_format, normalise_frequency

GMD = "http://www.isotc211.org/2005/gmd"
MDB = "http://standards.iso.org/iso/19115/-3/mdb/2.0"
_INSEE_IN_KEYWORD = re.compile(r"^(?:INSEE|COG)\s*[: ]\s*(\d[0-9AB]\d{0,3})$", re.IGNORECASE)


def _date(value) -> date | None:
    if not value:
        return None
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(value))
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _frequency(element) -> str:
    for node in element.iter("{*}MD_MaintenanceFrequencyCode"):
        return normalise_frequency(node.get("codeListValue") or (node.text or ""))
    return ""


def _party(parties) -> Agent | None:
    for party in parties or []:
        name = getattr(party, "organization", None) or getattr(party, "name", None) or ""
        email = getattr(party, "email", None) or ""
        if name or email:
            return Agent(name=name.strip(), email=email.strip())
    return None


def record_from_element(element) -> DatasetRecord:
    """One MD_Metadata element (gmd or mdb) → a record."""
    if element.tag == f"{{{MDB}}}MD_Metadata":
        from owslib.iso3 import MD_Metadata
    else:
        from owslib.iso import MD_Metadata

    with warnings.catch_warnings():
        # OWSLib warns, on every read of `.identification`, that it will become a list.
        warnings.simplefilter("ignore", FutureWarning)
        return _convert(MD_Metadata(element), element)


def _convert(md, element) -> DatasetRecord:
    ident = md.identification[0] if isinstance(md.identification, list) and md.identification else md.identification
    identifiers = [md.identifier] if md.identifier else []
    identifiers += [code for code in (getattr(ident, "uricode", None) or []) if code]
    keywords: list[str] = []
    themes: list[str] = list(getattr(ident, "topiccategory", None) or [])
    territories: list[str] = []
    # OWSLib < 0.29 gives dicts of strings, later versions MD_Keywords of Keyword objects.
    for group in getattr(ident, "keywords", None) or []:
        members = group.get("keywords") if isinstance(group, dict) else getattr(group, "keywords", None)
        for keyword in members or []:
            name = (keyword if isinstance(keyword, str) else getattr(keyword, "name", None) or "").strip()
            if not name:
                continue
            match = _INSEE_IN_KEYWORD.match(name)
            code = territory_code(getattr(keyword, "url", None) or "") or (
                f"{'commune' if len(match.group(1)) == 5 else 'departement'}:{match.group(1)}" if match else ""
            )
            if code:
                territories.append(code)
            else:
                keywords.append(name)
    bbox = None
    box = getattr(ident, "bbox", None)
    if box is not None and None not in (box.minx, box.miny, box.maxx, box.maxy):
        try:
            bbox = (float(box.minx), float(box.miny), float(box.maxx), float(box.maxy))
        except ValueError:
            bbox = None
    constraints = [
        text
        for text in (getattr(ident, "otherconstraints", None) or []) + (getattr(ident, "uselimitation", None) or [])
        if text
    ]
    modified = None
    for item in getattr(ident, "date", None) or []:
        if getattr(item, "type", "") in ("revision", "publication", "creation"):
            candidate = _date(item.date)
            if candidate and (modified is None or candidate > modified):
                modified = candidate
    modified = modified or _date(md.datestamp)
    distributions = []
    formats = [getattr(f, "name", "") for f in (getattr(md.distribution, "distributor", None) or [])]
    dist_format = getattr(md.distribution, "format", None) or (formats[0] if formats else "")
    for online in getattr(md.distribution, "online", None) or []:
        if not online.url:
            continue
        fmt = normalise_format(online.protocol) if (online.protocol or "").upper().startswith("OGC:") else ""
        distributions.append(
            Distribution(
                url=online.url.strip(),
                title=(online.name or "").strip(),
                description=(online.description or "").strip(),
                format=fmt or normalise_format(dist_format) or normalise_format(online.url.rsplit(".", 1)[-1]),
            )
        )
    return DatasetRecord(
        remote_id=md.identifier or "",
        title=(getattr(ident, "title", None) or "").strip(),
        description=(getattr(ident, "abstract", None) or "").strip(),
        identifiers=list(dict.fromkeys(identifiers)),
        publisher=_party(getattr(ident, "contact", None)) or _party(md.contact),
        contact=_party(md.contact),
        license=constraints[0] if constraints else "",
        themes=sorted(set(themes)),
        keywords=sorted(set(keywords)),
        bbox=bbox,
        territories=sorted(set(territories)),
        temporal_start=_date(getattr(ident, "temporalextent_start", None)),
        temporal_end=_date(getattr(ident, "temporalextent_end", None)),
        frequency=_frequency(element),
        modified=modified,
        distributions=distributions,
    )


def metadata_elements(root) -> list:
    """MD_Metadata elements of a document (a GetRecords response, one record, or a collection)."""
    if root.tag in (f"{{{GMD}}}MD_Metadata", f"{{{MDB}}}MD_Metadata"):
        return [root]
    return list(root.iter(f"{{{GMD}}}MD_Metadata", f"{{{MDB}}}MD_Metadata"))


def parse_document(body: bytes, location: str) -> list:
    from communs.ecospheres.engine.fetch import HarvestError

    try:
        root = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise HarvestError(f"{location} : XML illisible : {exc}") from exc
    return metadata_elements(root)
