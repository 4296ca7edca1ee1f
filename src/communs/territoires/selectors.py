"""Read queries on the territorial reference, used by views, the API, the CLI and other apps.

Search rules (docs/territoires.md):
- a 5-character INSEE code (`75056`, `2A004`) matches that commune; 5 digits also match communes
  whose postcodes include it (`42000` → Saint-Étienne);
- otherwise names are searched in memory by `engine.search` (accents, case, punctuation, spaces,
  elided articles, "st"/"ste"/"s/", "paris 15", former communes déléguées → their current commune,
  `Commune.former_name` set to the former name matched);
- ranking: exact code, whole name, all words, name prefix, word prefixes; communes before
  arrondissements municipaux; larger population first.
"""

import functools
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Max, Min, Q, QuerySet, Sum, Value, When

from communs.territoires.engine.normalize import normalize_search_text
from communs.territoires.engine.reference import COMMUNE_CODE, POSTCODE, read_reference
from communs.territoires.engine.search import Entry, SearchIndex
from communs.territoires.models import Commune, CommuneKind, Departement, Epci, Region

LEVELS = ("commune", "epci", "departement", "region")
MAX_LIMIT = 100
_LABEL_WITH_CODE = re.compile(r"^\s*(?P<nom>.*?)\s*\((?P<code>[0-9AB]{5})\)\s*$", re.IGNORECASE)


def communes_with_parents() -> QuerySet[Commune]:
    return Commune.objects.select_related("departement", "region", "epci", "parent")


def _text_filter(normalized: str) -> Q:
    """Every query word must start a word of the name: "rennes" finds Rennes, not Marennes."""
    condition = Q()
    for word in normalized.split():
        condition &= Q(search_name__startswith=word) | Q(search_name__contains=f" {word}")
    return condition


def _rank_by_name(queryset: QuerySet, normalized: str) -> QuerySet:
    return queryset.annotate(
        name_rank=Case(
            When(search_name=normalized, then=Value(0)),
            When(search_name__startswith=normalized, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )


_INDEX: dict = {"key": None, "index": None, "checked": 0.0}


def search_index() -> SearchIndex:
    """The in-memory name index of the communes in the database, plus the former communes'
    names of the vendored reference as aliases of their current commune. Rebuilt when the
    communes change (count, first and last code, total population), checked at most every
    `TERRITOIRES_SEARCH_INDEX_TTL` seconds."""
    now = time.monotonic()
    if _INDEX["index"] is not None and now - _INDEX["checked"] < settings.TERRITOIRES_SEARCH_INDEX_TTL:
        return _INDEX["index"]
    stats = Commune.objects.aggregate(n=Count("code"), low=Min("code"), high=Max("code"), people=Sum("population"))
    key = (stats["n"], stats["low"], stats["high"], stats["people"])
    _INDEX["checked"] = now
    if _INDEX["key"] != key:
        rows = list(Commune.objects.values_list("code", "nom", "population", "kind"))
        present = {code for code, *_ in rows}
        entries = [
            Entry(code, nom, population, kind == CommuneKind.ARRONDISSEMENT) for code, nom, population, kind in rows
        ]
        entries += [
            Entry(former.current, former.nom, None, False, True)
            for former in former_communes()
            if former.current in present
        ]
        _INDEX.update(key=key, index=SearchIndex(entries))
    return _INDEX["index"]


@functools.cache
def former_communes() -> tuple:
    """Communes déléguées and associées of the vendored reference (read once per process)."""
    return read_reference().former


def search_communes(q: str, limit: int = 20, *, include_arrondissements: bool = True) -> list[Commune]:
    """Communes matching `q` (name, INSEE code or postcode), best first. See the module docstring."""
    q = (q or "").strip()
    limit = max(1, min(int(limit), MAX_LIMIT))
    queryset = communes_with_parents()
    if not include_arrondissements:
        queryset = queryset.filter(kind=CommuneKind.COMMUNE)
    labelled = _LABEL_WITH_CODE.match(q)  # "Saint-Étienne (42218)", as the autocomplete offers it
    code = labelled.group("code").upper() if labelled else q.upper()
    if COMMUNE_CODE.match(code):
        condition = Q(code=code)
        if POSTCODE.match(code):
            condition |= Q(postcodes__contains=f" {code} ")
        queryset = queryset.filter(condition).annotate(
            name_rank=Case(When(code=code, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
    else:
        hits = search_index().search(q, limit, arrondissements=include_arrondissements)
        found = queryset.in_bulk([hit.code for hit in hits])
        communes = []
        for hit in hits:
            if hit.code in found:
                commune = found[hit.code]
                commune.former_name = hit.former_name  # the former commune's name the query matched
                communes.append(commune)
        return communes
    queryset = queryset.annotate(
        kind_rank=Case(When(kind=CommuneKind.COMMUNE, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("name_rank", "kind_rank", F("population").desc(nulls_last=True), "code")
    return list(queryset[:limit])


def resolve_commune(text: str) -> Commune | None:
    """The one commune `text` designates without ambiguity, or None.

    Accepts an INSEE code, "Nom (code)" as the autocomplete offers it, a postcode shared by a single
    commune (arrondissements municipaux aside: 75001 is Paris), or a name that exactly matches one
    commune.
    """
    text = (text or "").strip()
    if not text:
        return None
    labelled = _LABEL_WITH_CODE.match(text)
    if labelled:
        text = labelled.group("code")
    code = text.upper()
    if COMMUNE_CODE.match(code):
        commune = communes_with_parents().filter(code=code).first()
        if commune or not POSTCODE.match(code):
            return commune
        matches = list(communes_with_parents().filter(kind=CommuneKind.COMMUNE, postcodes__contains=f" {code} ")[:2])
        return matches[0] if len(matches) == 1 else None
    matches = list(
        communes_with_parents().filter(kind=CommuneKind.COMMUNE, search_name=normalize_search_text(text))[:2]
    )
    return matches[0] if len(matches) == 1 else None


def get_commune(code: str) -> Commune | None:
    return communes_with_parents().filter(code=(code or "").upper()).first()


def get_departement(code: str) -> Departement | None:
    return (
        Departement.objects.select_related("region")
        .annotate(communes_count=Count("communes", filter=Q(communes__kind=CommuneKind.COMMUNE)))
        .filter(code=(code or "").upper())
        .first()
    )


def get_region(code: str) -> Region | None:
    return Region.objects.filter(code=code).first()


def get_epci(code: str) -> Epci | None:
    return Epci.objects.filter(code=code).first()


def list_regions() -> QuerySet[Region]:
    return Region.objects.order_by("code")


def list_departements() -> QuerySet[Departement]:
    return Departement.objects.select_related("region").order_by("code")


def departements_of_region(code: str) -> QuerySet[Departement]:
    return Departement.objects.filter(region_id=code).order_by("code")


def communes_of_departement(code: str, *, include_arrondissements: bool = False) -> QuerySet[Commune]:
    queryset = Commune.objects.filter(departement_id=(code or "").upper())
    if not include_arrondissements:
        queryset = queryset.filter(kind=CommuneKind.COMMUNE)
    return queryset.order_by("code")


def members_of_epci(code: str) -> QuerySet[Commune]:
    return Commune.objects.filter(epci_id=code).order_by("code")


@dataclass(frozen=True)
class TerritoryHit:
    level: str
    code: str
    nom: str
    population: int | None = None
    parent_code: str = ""  # département of a commune, région of a département


def search_territories(q: str, levels: Sequence[str] | None = None, limit: int = 20) -> list[TerritoryHit]:
    """Régions, départements, EPCI and communes matching `q` (name or code), best first.

    Larger territories come first on equal rank: "Bretagne" should show the région before
    the communes named Bretagne.
    """
    levels = [level for level in (levels or LEVELS) if level in LEVELS]
    q = (q or "").strip()
    normalized = normalize_search_text(q)
    if not normalized or not levels:
        return []
    limit = max(1, min(int(limit), MAX_LIMIT))
    code = q.upper()
    hits: list[tuple[tuple, TerritoryHit]] = []

    def collect(model, level: str, order: int, parent_field: str | None, population: bool):
        condition = _text_filter(normalized) | Q(pk=code)
        queryset = _rank_by_name(model.objects.filter(condition), normalized).annotate(
            code_rank=Case(When(pk=code, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        if population:
            queryset = queryset.order_by("code_rank", "name_rank", F("population").desc(nulls_last=True))
        else:
            queryset = queryset.order_by("code_rank", "name_rank", "pk")
        for row in queryset[:limit]:
            hit = TerritoryHit(
                level=level,
                code=row.pk,
                nom=row.nom,
                population=getattr(row, "population", None),
                parent_code=getattr(row, parent_field) if parent_field else "",
            )
            hits.append(((row.code_rank, row.name_rank, order, -(hit.population or 0)), hit))

    if "region" in levels:
        collect(Region, "region", 0, None, population=False)
    if "departement" in levels:
        collect(Departement, "departement", 1, "region_id", population=False)
    if "epci" in levels:
        collect(Epci, "epci", 2, None, population=True)
    if "commune" in levels:
        collect(Commune, "commune", 3, "departement_id", population=True)
    hits.sort(key=lambda pair: pair[0])
    return [hit for _, hit in hits[:limit]]


class ReferenceResolver:
    """The `communs.core.scopes.TerritoryResolver` backed by the reference tables.

    Each method is one indexed query: no cache, so there is nothing to invalidate when tests
    flush the database or `load_reference` runs again.
    """

    def region_of_departement(self, departement: str) -> str | None:
        return Departement.objects.filter(code=departement).values_list("region_id", flat=True).first()

    def departement_of_commune(self, commune: str) -> str | None:
        return Commune.objects.filter(code=commune).values_list("departement_id", flat=True).first()

    def departements_of_regions(self, regions: Iterable[str]) -> set[str]:
        return set(Departement.objects.filter(region_id__in=list(regions)).values_list("code", flat=True))

    def communes_of_departements(self, departements: Iterable[str]) -> set[str]:
        return set(Commune.objects.filter(departement_id__in=list(departements)).values_list("code", flat=True))
