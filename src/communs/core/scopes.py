"""Territorial scopes: the one helper every service uses to filter what a user may see.

A user's scope for a service is the union of their role grants in that service
(`RoleGrant`): national, or a set of régions, départements and communes. Services ask
either "may this user see this territory?" (`Scope.covers`, `require_scope`) or "narrow
this queryset to what this user may see" (`Scope.filter`).

Knowing that commune 35238 lies in département 35 and région 53 is the territorial
reference's job: `communs.territoires` registers a `TerritoryResolver` when it starts, so
this module never imports it (core sits below territoires in the layers).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q, QuerySet

from communs.core.models import RoleGrant, ScopeLevel


class TerritoryResolver(Protocol):
    def region_of_departement(self, departement: str) -> str | None: ...

    def departement_of_commune(self, commune: str) -> str | None: ...

    def departements_of_regions(self, regions: Iterable[str]) -> set[str]: ...

    def communes_of_departements(self, departements: Iterable[str]) -> set[str]: ...


class _NoReference:
    """Used until the territorial reference registers itself: exact codes only."""

    def region_of_departement(self, departement):
        return None

    def departement_of_commune(self, commune):
        return None

    def departements_of_regions(self, regions):
        return set()

    def communes_of_departements(self, departements):
        return set()


_resolver: TerritoryResolver = _NoReference()


def register_resolver(resolver: TerritoryResolver) -> None:
    global _resolver
    _resolver = resolver


def complete_territory(
    region: str | None = None, departement: str | None = None, commune: str | None = None
) -> tuple[str, str, str]:
    """Fill in the parents of the finest code given (commune → département → région)."""
    if commune and not departement:
        departement = _resolver.departement_of_commune(commune)
    if departement and not region:
        region = _resolver.region_of_departement(departement)
    return region or "", departement or "", commune or ""


UNKNOWN_TERRITORY_RULE = (
    "A record whose territory is unknown (no région, département or commune code) is inside a "
    "national scope only: no regional, departmental or communal grant covers it."
)


def territory_of(record) -> dict[str, str]:
    """The région, département and commune codes of a territorial record ("" when absent)."""
    lookups = getattr(type(record), "territory_lookups", None)
    if lookups is None:
        raise ImproperlyConfigured(f"{type(record).__name__} has no territory_lookups (use TerritorialMixin).")
    return {level: getattr(record, path, "") or "" for level, path in lookups.items() if "__" not in path}


def _model_lookups(model, through: str | None) -> dict[str, str]:
    prefix = ""
    if through:
        for name in through.split("__"):
            model = model._meta.get_field(name).related_model
        prefix = f"{through}__"
    lookups = getattr(model, "territory_lookups", None)
    if lookups is None:
        raise ImproperlyConfigured(
            f"Scope.filter needs territory lookup paths: {model.__name__} has no territory_lookups."
        )
    return {level: prefix + path for level, path in lookups.items()}


@dataclass(frozen=True)
class Scope:
    national: bool = False
    regions: frozenset[str] = field(default_factory=frozenset)
    departements: frozenset[str] = field(default_factory=frozenset)
    communes: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not (self.national or self.regions or self.departements or self.communes)

    def describe(self) -> str:
        """French wording for pages and error messages."""
        if self.national:
            return "national"
        parts = [f"région {code}" for code in sorted(self.regions)]
        parts += [f"département {code}" for code in sorted(self.departements)]
        parts += [f"commune {code}" for code in sorted(self.communes)]
        return ", ".join(parts) or "aucun territoire"

    def covers(self, *, region: str | None = None, departement: str | None = None, commune: str | None = None) -> bool:
        """Whether a record located at the given territory is inside this scope.

        Give the finest code you have; missing parents are looked up in the reference.
        """
        if self.national:
            return True
        if not (region or departement or commune):
            return False  # UNKNOWN_TERRITORY_RULE
        region, departement, commune = complete_territory(region, departement, commune)
        return bool(
            (commune and commune in self.communes)
            or (departement and departement in self.departements)
            or (region and region in self.regions)
        )

    def covers_record(self, record) -> bool:
        """Whether a territorial record (a `territoires.mixins.TerritorialMixin`, or anything with
        `territory_lookups`) is inside this scope. A record whose territory is unknown (no code at
        all) is covered by a national scope only: see `UNKNOWN_TERRITORY_RULE`."""
        return self.covers(**territory_of(record))

    def filter(
        self,
        queryset: QuerySet,
        *,
        region: str | None = None,
        departement: str | None = None,
        commune: str | None = None,
        through: str | None = None,
    ) -> QuerySet:
        """Narrow `queryset` to this scope. Arguments name the model's lookup paths holding
        the région, département and commune codes (give those the model has).

        With no path, the model's own `territory_lookups` (given by `TerritorialMixin`) are used;
        `through="etablissement"` uses those of the related territorial model instead."""
        if not (region or departement or commune):
            lookups = _model_lookups(queryset.model, through)
            region, departement, commune = lookups.get("region"), lookups.get("departement"), lookups.get("commune")
        if not (region or departement or commune):
            raise ImproperlyConfigured("Scope.filter needs at least one territory lookup path.")
        if self.national:
            return queryset
        condition = Q(pk__in=[])
        if self.regions:
            if region:
                condition |= Q(**{f"{region}__in": self.regions})
            elif departement:
                condition |= Q(**{f"{departement}__in": _resolver.departements_of_regions(self.regions)})
            else:
                deps = _resolver.departements_of_regions(self.regions)
                condition |= Q(**{f"{commune}__in": _resolver.communes_of_departements(deps)})
        if self.departements:
            if departement:
                condition |= Q(**{f"{departement}__in": self.departements})
            elif commune:
                condition |= Q(**{f"{commune}__in": _resolver.communes_of_departements(self.departements)})
        if self.communes and commune:
            condition |= Q(**{f"{commune}__in": self.communes})
        return queryset.filter(condition)


def scope_for(user, service: str, roles: Iterable[str] | None = None) -> Scope:
    """The union of `user`'s grants in `service` (optionally only for some roles)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser:
        return Scope(national=True)
    grants = RoleGrant.objects.filter(user=user, service=service)
    if roles is not None:
        grants = grants.filter(role__in=list(roles))
    by_level: dict[str, set[str]] = {level: set() for level in ScopeLevel.values}
    for level, code in grants.values_list("scope_level", "scope_code"):
        by_level[level].add(code)
    return Scope(
        national=bool(by_level[ScopeLevel.NATIONAL]),
        regions=frozenset(by_level[ScopeLevel.REGION]),
        departements=frozenset(by_level[ScopeLevel.DEPARTEMENT]),
        communes=frozenset(by_level[ScopeLevel.COMMUNE]),
    )


def require_scope(
    user,
    service: str,
    *,
    region: str | None = None,
    departement: str | None = None,
    commune: str | None = None,
    roles: Iterable[str] | None = None,
    record=None,
) -> Scope:
    """Return the user's scope, or raise PermissionDenied (HTTP 403) if it does not cover the territory.

    Give the codes, or `record=` a territorial record (its codes are read with `territory_of`).
    No code at all means an unknown territory, which only a national scope covers."""
    if record is not None:
        codes = territory_of(record)
        region, departement, commune = codes.get("region"), codes.get("departement"), codes.get("commune")
    scope = scope_for(user, service, roles)
    if not scope.covers(region=region, departement=departement, commune=commune):
        where = commune or departement or region
        if not where:
            raise PermissionDenied(
                f"Territoire inconnu : seul un périmètre national y a accès (le vôtre : {scope.describe()})."
            )
        raise PermissionDenied(f"Territoire {where} hors de votre périmètre ({scope.describe()}).")
    return scope
