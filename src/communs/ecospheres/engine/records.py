"""One normalised dataset record, following DCAT-AP 3 / GeoDCAT-AP concepts.

Every harvester (DCAT, CSW/ISO 19139, CKAN, udata) turns what it reads into `DatasetRecord`s; the
rest of the engine (deduplication, quality, search, exports) only knows this model. Records are
plain data: `to_dict()` / `from_dict()` round-trip through JSON, and `fingerprint()` says whether a
record changed between two harvests (what makes every harvester idempotent).
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

# Update frequencies, keyed by the EU "frequency" authority table names (DCAT-AP 3 §
# dct:accrualPeriodicity, http://publications.europa.eu/resource/authority/frequency), with the
# nominal period in days used by the "update respected" criterion; None = no expected period.
FREQUENCIES: dict[str, tuple[str, int | None]] = {
    "CONT": ("en continu", 1),
    "DAILY": ("quotidienne", 1),
    "WEEKLY": ("hebdomadaire", 7),
    "BIWEEKLY": ("bimensuelle", 14),
    "MONTHLY": ("mensuelle", 31),
    "QUARTERLY": ("trimestrielle", 92),
    "BIANNUAL": ("semestrielle", 183),
    "ANNUAL": ("annuelle", 366),
    "BIENNIAL": ("tous les deux ans", 731),
    "IRREG": ("irrégulière", None),
    "NEVER": ("jamais mise à jour", None),
    "UNKNOWN": ("inconnue", None),
}

# What each catalogue writes for those frequencies: udata's names, ISO 19115
# MD_MaintenanceFrequencyCode values, and the common English words CKAN extras hold.
FREQUENCY_ALIASES = {
    "continuous": "CONT",
    "continual": "CONT",
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "fortnightly": "BIWEEKLY",
    "biweekly": "BIWEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "semiannual": "BIANNUAL",
    "biannually": "BIANNUAL",
    "annual": "ANNUAL",
    "annually": "ANNUAL",
    "yearly": "ANNUAL",
    "biennial": "BIENNIAL",
    "irregular": "IRREG",
    "asneeded": "IRREG",
    "punctual": "NEVER",
    "notplanned": "NEVER",
    "never": "NEVER",
    "unknown": "UNKNOWN",
}


def normalise_frequency(text: str | None) -> str:
    """'http://publications.europa.eu/resource/authority/frequency/ANNUAL', 'annual', 'annually' → 'ANNUAL'."""
    if not text:
        return ""
    word = str(text).strip().rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    if word.upper() in FREQUENCIES:
        return word.upper()
    return FREQUENCY_ALIASES.get(word.replace("_", "").replace("-", "").lower(), "")


@dataclass
class Agent:
    name: str = ""
    uri: str = ""
    email: str = ""


@dataclass
class Distribution:
    url: str
    title: str = ""
    description: str = ""
    format: str = ""  # upper-case short name: CSV, JSON, SHP, WMS…
    media_type: str = ""
    license: str = ""


@dataclass
class DatasetRecord:
    remote_id: str  # the id the source gives the record (URI, UUID, slug)
    title: str
    description: str = ""
    identifiers: list[str] = field(default_factory=list)  # as published; normalised by `identifiers.py`
    publisher: Agent | None = None
    contact: Agent | None = None
    license: str = ""
    themes: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north (EPSG:4326)
    territories: list[str] = field(default_factory=list)  # "commune:35238", "departement:35", "region:53"
    temporal_start: date | None = None
    temporal_end: date | None = None
    frequency: str = ""  # a key of FREQUENCIES
    modified: date | None = None
    issued: date | None = None
    landing_page: str = ""
    distributions: list[Distribution] = field(default_factory=list)

    def to_dict(self) -> dict:
        # Written out rather than dataclasses.asdict (which deep-copies): harvests call it per record.
        def agent(value: Agent | None):
            return {"name": value.name, "uri": value.uri, "email": value.email} if value else None

        def day(value: date | None):
            return value.isoformat() if value else None

        return {
            "remote_id": self.remote_id,
            "title": self.title,
            "description": self.description,
            "identifiers": list(self.identifiers),
            "publisher": agent(self.publisher),
            "contact": agent(self.contact),
            "license": self.license,
            "themes": list(self.themes),
            "keywords": list(self.keywords),
            "bbox": list(self.bbox) if self.bbox else None,
            "territories": list(self.territories),
            "temporal_start": day(self.temporal_start),
            "temporal_end": day(self.temporal_end),
            "frequency": self.frequency,
            "modified": day(self.modified),
            "issued": day(self.issued),
            "landing_page": self.landing_page,
            "distributions": [
                {
                    "url": d.url,
                    "title": d.title,
                    "description": d.description,
                    "format": d.format,
                    "media_type": d.media_type,
                    "license": d.license,
                }
                for d in self.distributions
            ],
        }

    @classmethod
    def from_dict(cls, body: dict) -> "DatasetRecord":
        data = dict(body)
        for key in ("temporal_start", "temporal_end", "modified", "issued"):
            data[key] = date.fromisoformat(data[key]) if data.get(key) else None
        data["publisher"] = Agent(**data["publisher"]) if data.get("publisher") else None
        data["contact"] = Agent(**data["contact"]) if data.get("contact") else None
        data["distributions"] = [Distribution(**d) for d in data.get("distributions") or []]
        data["bbox"] = tuple(data["bbox"]) if data.get("bbox") else None
        return cls(**data)

    def fingerprint(self) -> str:
        """Same content → same digest, whatever the order keys were read in."""
        text = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


# Open formats (data.gouv.fr's "format ouvert" criterion lists machine-readable, non-proprietary
# formats; we keep the ones met in geodata catalogues).
OPEN_FORMATS = frozenset(
    {
        "CSV",
        "JSON",
        "GEOJSON",
        "XML",
        "GML",
        "KML",
        "GPKG",
        "GEOPACKAGE",
        "PARQUET",
        "ODS",
        "TXT",
        "RDF",
        "TTL",
        "JSONLD",
        "WMS",
        "WFS",
        "WMTS",
        "ZIP",
        "TIFF",
        "GEOTIFF",
        "NETCDF",
    }
)

_FORMAT_ALIASES = {
    "APPLICATION/JSON": "JSON",
    "TEXT/CSV": "CSV",
    "APPLICATION/GEO+JSON": "GEOJSON",
    "APPLICATION/VND.GEO+JSON": "GEOJSON",
    "ESRI SHAPEFILE": "SHP",
    "SHAPEFILE": "SHP",
    "APPLICATION/VND.MS-EXCEL": "XLS",
    "APPLICATION/VND.OPENXMLFORMATS-OFFICEDOCUMENT.SPREADSHEETML.SHEET": "XLSX",
    "APPLICATION/PDF": "PDF",
    "APPLICATION/ZIP": "ZIP",
    "OGC:WMS": "WMS",
    "OGC:WFS": "WFS",
    "OGC:WMTS": "WMTS",
    "APPLICATION/XML": "XML",
    "TEXT/XML": "XML",
}


def normalise_format(text: str | None) -> str:
    """'text/csv', 'csv', '.CSV', 'http://publications.europa.eu/resource/authority/file-type/CSV' → 'CSV'."""
    if not text:
        return ""
    value = str(text).strip()
    if value.startswith("http"):
        value = value.rstrip("/").rsplit("/", 1)[-1]
    value = value.upper().lstrip(".")
    if value in _FORMAT_ALIASES:
        return _FORMAT_ALIASES[value]
    if value.startswith("OGC:WMS"):
        return "WMS"
    if value.startswith("OGC:WFS"):
        return "WFS"
    if "/" in value:
        value = value.rsplit("/", 1)[-1].split("+")[-1]
    return value[:20]
