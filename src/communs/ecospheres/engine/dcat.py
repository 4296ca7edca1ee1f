"""DCAT catalogues (RDF/XML, Turtle, JSON-LD), read and written with rdflib.

Reading follows DCAT-AP 3 property names (https://semiceu.github.io/DCAT-AP/releases/3.0.0/):
dct:title, dct:description, dct:identifier and adms:identifier, dct:publisher, dcat:contactPoint,
dct:license, dcat:theme, dcat:keyword, dct:spatial (INSEE URIs and dcat:bbox / locn:geometry),
dct:temporal, dct:accrualPeriodicity, dct:modified, dcat:distribution. A paged catalogue says where
the next page is with a Hydra `PartialCollectionView` (`hydra:next`), which is followed until none.
"""

import re
import warnings
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from urllib.parse import urljoin

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from communs.ecospheres.engine.fetch import HarvestError, fetch, local_files
from communs.ecospheres.engine.identifiers import territory_code
from communs.ecospheres.engine.records import (
    FREQUENCIES,
    Agent,
    DatasetRecord,
    Distribution,
    normalise_format,
    normalise_frequency,
)

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
SCHEMA = Namespace("http://schema.org/")
FREQ = Namespace("http://publications.europa.eu/resource/authority/frequency/")
FILETYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")

SUFFIX_FORMATS = {
    ".ttl": "turtle",
    ".rdf": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".nt": "nt",
}
CONTENT_TYPES = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}


def guess_format(location: str, content_type: str = "", body: bytes = b"") -> str:
    kind = content_type.split(";")[0].strip().lower()
    if kind in CONTENT_TYPES:
        return CONTENT_TYPES[kind]
    lower = location.lower().split("?")[0]
    for suffix, fmt in SUFFIX_FORMATS.items():
        if lower.endswith(suffix):
            return fmt
    head = body.lstrip()[:200]
    if head.startswith((b"{", b"[")):
        return "json-ld"
    if head.startswith(b"<"):
        return "xml"
    return "turtle"


def parse_graph(body: bytes, fmt: str, location: str) -> Graph:
    graph = Graph()
    try:
        with warnings.catch_warnings():
            # rdflib's JSON-LD parser still builds a ConjunctiveGraph, which rdflib itself deprecates.
            warnings.simplefilter("ignore", DeprecationWarning)
            graph.parse(data=body, format=fmt, publicID=location if "://" in location else None)
    except Exception as exc:  # rdflib raises many kinds (SAX, BadSyntax, JSON) for one cause: bad input
        raise HarvestError(f"{location} : RDF illisible ({fmt}) : {exc}") from exc
    return graph


def next_page(graph: Graph, location: str) -> str | None:
    for view in list(graph.subjects(RDF.type, HYDRA.PartialCollectionView)) + list(
        graph.subjects(RDF.type, HYDRA.PagedCollection)
    ):
        target = graph.value(view, HYDRA.next) or graph.value(view, HYDRA.nextPage)
        if target is not None:
            return urljoin(location, str(target))
    return None


def read_pages(location: str) -> Iterator[tuple[str, Graph]]:
    """Every page of a DCAT source: a URL or file with its Hydra pages, or every RDF file of a folder."""
    files = local_files(location, tuple(SUFFIX_FORMATS))
    if files is not None:
        for path in files:
            page = fetch(path)
            yield path, parse_graph(page.body, guess_format(path, "", page.body), path)
        return
    seen: set[str] = set()
    current: str | None = location
    while current and current not in seen:
        seen.add(current)
        page = fetch(current, {"Accept": "text/turtle, application/rdf+xml, application/ld+json"})
        graph = parse_graph(page.body, guess_format(current, page.content_type, page.body), current)
        yield current, graph
        current = next_page(graph, current)


# --- Graph → records --------------------------------------------------------------------------


def _text(graph: Graph, subject, predicate) -> str:
    """The French literal if any, else the first literal, else the URI's text."""
    values = list(graph.objects(subject, predicate))
    for value in values:
        if isinstance(value, Literal) and value.language in ("fr", "fr-FR"):
            return str(value).strip()
    for value in values:
        if isinstance(value, Literal):
            return str(value).strip()
    return str(values[0]).strip() if values else ""


def _date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, Literal):
        python = value.toPython()
        if isinstance(python, datetime):
            return python.date()
        if isinstance(python, date):
            return python
    text = str(value).strip()
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 1, 1)
    return None


def _agent(graph: Graph, node) -> Agent | None:
    if node is None:
        return None
    if isinstance(node, Literal):
        return Agent(name=str(node))
    name = _text(graph, node, FOAF.name) or _text(graph, node, VCARD.fn) or _text(graph, node, SKOS.prefLabel)
    email = _text(graph, node, VCARD.hasEmail) or _text(graph, node, FOAF.mbox)
    email = email.removeprefix("mailto:")
    uri = str(node) if isinstance(node, URIRef) else ""
    if not (name or email or uri):
        return None
    return Agent(name=name, uri=uri, email=email)


_WKT_NUMBERS = re.compile(r"-?\d+(?:\.\d+)?")


def _bbox_of(graph: Graph, node) -> tuple[float, float, float, float] | None:
    for predicate in (DCAT.bbox, LOCN.geometry):
        for value in graph.objects(node, predicate):
            text = str(value)
            if text.lstrip().startswith("{"):
                continue  # GeoJSON geometries: only the WKT envelope is read
            numbers = [float(n) for n in _WKT_NUMBERS.findall(text.split("(", 1)[-1])]
            if len(numbers) >= 4:
                xs, ys = numbers[0::2], numbers[1::2]
                return (min(xs), min(ys), max(xs), max(ys))
    return None


def _label(graph: Graph, node) -> str:
    if isinstance(node, Literal):
        return str(node)
    label = _text(graph, node, SKOS.prefLabel) or _text(graph, node, DCTERMS.title)
    if label:
        return label
    return str(node).rstrip("/").rsplit("/", 1)[-1]


def dataset_from_graph(graph: Graph, subject) -> DatasetRecord:
    identifiers = [str(v) for v in graph.objects(subject, DCTERMS.identifier)]
    for other in graph.objects(subject, ADMS.identifier):
        notation = _text(graph, other, SKOS.notation)
        identifiers.append(notation or str(other))
    if isinstance(subject, URIRef):
        identifiers.append(str(subject))
    remote_id = str(subject) if isinstance(subject, URIRef) else (identifiers[0] if identifiers else str(subject))

    territories: list[str] = []
    bbox = None
    for spatial in graph.objects(subject, DCTERMS.spatial):
        code = territory_code(str(spatial)) if isinstance(spatial, URIRef | Literal) else ""
        if code:
            territories.append(code)
        bbox = bbox or _bbox_of(graph, spatial)

    start = end = None
    for period in graph.objects(subject, DCTERMS.temporal):
        start = start or _date(graph.value(period, DCAT.startDate) or graph.value(period, SCHEMA.startDate))
        end = end or _date(graph.value(period, DCAT.endDate) or graph.value(period, SCHEMA.endDate))

    license_text = _text(graph, subject, DCTERMS.license)
    distributions = []
    for node in graph.objects(subject, DCAT.distribution):
        url = _text(graph, node, DCAT.downloadURL) or _text(graph, node, DCAT.accessURL)
        if not url:
            continue
        fmt = graph.value(node, DCTERMS.format)
        distributions.append(
            Distribution(
                url=url,
                title=_text(graph, node, DCTERMS.title),
                description=_text(graph, node, DCTERMS.description),
                format=normalise_format(_label(graph, fmt) if fmt is not None else _text(graph, node, DCAT.mediaType)),
                media_type=_text(graph, node, DCAT.mediaType),
                license=_text(graph, node, DCTERMS.license),
            )
        )
    if not license_text:
        license_text = next((d.license for d in distributions if d.license), "")

    return DatasetRecord(
        remote_id=remote_id,
        title=_text(graph, subject, DCTERMS.title),
        description=_text(graph, subject, DCTERMS.description),
        identifiers=list(dict.fromkeys(identifiers)),
        publisher=_agent(graph, graph.value(subject, DCTERMS.publisher)),
        contact=_agent(graph, graph.value(subject, DCAT.contactPoint)),
        license=license_text,
        themes=sorted({_label(graph, t) for t in graph.objects(subject, DCAT.theme)}),
        keywords=sorted({str(k).strip() for k in graph.objects(subject, DCAT.keyword)}),
        bbox=bbox,
        territories=sorted(set(territories)),
        temporal_start=start,
        temporal_end=end,
        frequency=normalise_frequency(_text(graph, subject, DCTERMS.accrualPeriodicity)),
        modified=_date(graph.value(subject, DCTERMS.modified)),
        issued=_date(graph.value(subject, DCTERMS.issued)),
        landing_page=_text(graph, subject, DCAT.landingPage),
        distributions=distributions,
    )


def records_from_graph(graph: Graph) -> Iterator[DatasetRecord]:
    for subject in sorted(set(graph.subjects(RDF.type, DCAT.Dataset)), key=str):
        yield dataset_from_graph(graph, subject)


def read_records(location: str) -> Iterator[DatasetRecord]:
    for _, graph in read_pages(location):
        yield from records_from_graph(graph)


# --- Records → graph (exports, SHACL validation) -----------------------------------------------


def _add_agent(graph: Graph, subject, predicate, agent: Agent | None, kind) -> None:
    if agent is None:
        return
    node = URIRef(agent.uri) if agent.uri else BNode()
    graph.add((subject, predicate, node))
    if kind == "vcard":
        graph.add((node, RDF.type, VCARD.Kind))
        if agent.name:
            graph.add((node, VCARD.fn, Literal(agent.name)))
        if agent.email:
            graph.add((node, VCARD.hasEmail, URIRef(f"mailto:{agent.email}")))
    else:
        graph.add((node, RDF.type, FOAF.Agent))
        if agent.name:
            graph.add((node, FOAF.name, Literal(agent.name)))


def add_record(graph: Graph, subject: URIRef, record: DatasetRecord) -> None:
    graph.add((subject, RDF.type, DCAT.Dataset))
    graph.add((subject, DCTERMS.title, Literal(record.title, lang="fr")))
    if record.description:
        graph.add((subject, DCTERMS.description, Literal(record.description, lang="fr")))
    for identifier in record.identifiers[:1] or [record.remote_id]:
        graph.add((subject, DCTERMS.identifier, Literal(identifier)))
    _add_agent(graph, subject, DCTERMS.publisher, record.publisher, "foaf")
    _add_agent(graph, subject, DCAT.contactPoint, record.contact, "vcard")
    if record.license:
        graph.add((subject, DCTERMS.license, URIRef(record.license) if "://" in record.license else BNode()))
    for theme in record.themes:
        graph.add((subject, DCAT.theme, URIRef(theme) if "://" in theme else Literal(theme)))
    for keyword in record.keywords:
        graph.add((subject, DCAT.keyword, Literal(keyword, lang="fr")))
    for code in record.territories:
        level, insee = code.split(":", 1)
        graph.add((subject, DCTERMS.spatial, URIRef(f"http://id.insee.fr/geo/{level}/{insee}")))
    if record.bbox:
        west, south, east, north = record.bbox
        location = BNode()
        graph.add((subject, DCTERMS.spatial, location))
        graph.add((location, RDF.type, DCTERMS.Location))
        wkt = f"POLYGON(({west} {south},{east} {south},{east} {north},{west} {north},{west} {south}))"
        graph.add(
            (location, DCAT.bbox, Literal(wkt, datatype=URIRef("http://www.opengis.net/ont/geosparql#wktLiteral")))
        )
    if record.temporal_start or record.temporal_end:
        period = BNode()
        graph.add((subject, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if record.temporal_start:
            graph.add((period, DCAT.startDate, Literal(record.temporal_start, datatype=XSD.date)))
        if record.temporal_end:
            graph.add((period, DCAT.endDate, Literal(record.temporal_end, datatype=XSD.date)))
    if record.frequency in FREQUENCIES:
        graph.add((subject, DCTERMS.accrualPeriodicity, FREQ[record.frequency]))
    if record.modified:
        graph.add((subject, DCTERMS.modified, Literal(record.modified, datatype=XSD.date)))
    if record.issued:
        graph.add((subject, DCTERMS.issued, Literal(record.issued, datatype=XSD.date)))
    if record.landing_page:
        graph.add((subject, DCAT.landingPage, URIRef(record.landing_page)))
    for position, dist in enumerate(record.distributions):
        node = URIRef(f"{subject}/distribution/{position + 1}")
        graph.add((subject, DCAT.distribution, node))
        graph.add((node, RDF.type, DCAT.Distribution))
        graph.add((node, DCAT.accessURL, URIRef(dist.url)))
        if dist.title:
            graph.add((node, DCTERMS.title, Literal(dist.title, lang="fr")))
        if dist.description:
            graph.add((node, DCTERMS.description, Literal(dist.description, lang="fr")))
        if dist.format:
            graph.add((node, DCTERMS.format, FILETYPE[dist.format.replace(" ", "_")]))


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("adms", ADMS),
        ("skos", SKOS),
        ("hydra", HYDRA),
    ):
        graph.bind(prefix, namespace)
    return graph


def catalogue_graph(base: str, title: str, description: str, records: Iterable[tuple[str, DatasetRecord]]) -> Graph:
    """A dcat:Catalog named `base` holding every (slug, record) as `<base>/jeux/<slug>`."""
    graph = new_graph()
    catalogue = URIRef(base)
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCTERMS.title, Literal(title, lang="fr")))
    graph.add((catalogue, DCTERMS.description, Literal(description, lang="fr")))
    for slug, record in records:
        subject = URIRef(f"{base.rstrip('/')}/jeux/{slug}")
        graph.add((catalogue, DCAT.dataset, subject))
        add_record(graph, subject, record)
    return graph


def serialise(graph: Graph, fmt: str) -> bytes:
    if fmt == "jsonld":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # see parse_graph
            return graph.serialize(format="json-ld", indent=2).encode()
    return graph.serialize(format="turtle").encode()
