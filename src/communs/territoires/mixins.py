"""The one way a service stores where a record lies: `TerritorialMixin`.

Every model of a service that belongs to a territory inherits it instead of declaring its own
`region` / `departement` / `commune` columns:

    class Etablissement(TerritorialMixin):
        siret = models.CharField(max_length=14, unique=True)
        ...

It adds three INSEE code columns (blank when unknown, never NULL), indexed:

- ``region`` (``"53"``), ``departement`` (``"35"``, ``"2A"``, ``"971"``), ``commune`` (``"35238"``).

Codes, not foreign keys, on purpose:

- records keep the territory they were given even when the reference is reloaded or does not
  know a code yet (a DSN may name a postcode of a collectivity the reference lacks): no row is
  lost or nulled by a migration, and tests of a service need not load 35 000 communes;
- the codes are what every service exchanges (files, API, role grants), so filters and
  `core.scopes.Scope.filter` work on plain columns without joins.

Filled and validated from the reference:

- ``save()`` fills blank parents from the finest code given (commune → département → région)
  when the reference knows them; it never overwrites a code that is set;
- ``clean()`` (so ``full_clean()``, model forms, the admin) refuses a code the reference does not
  know and a département outside its région or a commune outside its département, each error
  on its own field.

The scope helper understands the mixin: ``Scope.filter(queryset)`` with no lookup path uses the
model's ``territory_lookups``, ``Scope.filter(queryset, through="etablissement")`` follows a
relation to a territorial model, and ``Scope.covers_record(obj)`` / ``require_scope(...,
record=obj)`` apply the explicit "unknown territory" rule (a record with no code at all is
visible to a national scope only).
"""

from django.core.exceptions import ValidationError
from django.db import models

TERRITORY_FIELDS = ("region", "departement", "commune")


class TerritorialMixin(models.Model):
    region = models.CharField("région (code INSEE)", max_length=3, blank=True, db_index=True)
    departement = models.CharField("département (code INSEE)", max_length=3, blank=True, db_index=True)
    commune = models.CharField("commune (code INSEE)", max_length=5, blank=True, db_index=True)

    # Read by communs.core.scopes (which cannot import this module): field → lookup path.
    territory_lookups = {"region": "region", "departement": "departement", "commune": "commune"}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if (self.commune and not self.departement) or (self.departement and not self.region):
            self.fill_territory()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = set(update_fields) | {"region", "departement"}
        super().save(*args, **kwargs)

    # -- reading ---------------------------------------------------------------------------

    @property
    def territory_code(self) -> str:
        """The finest code known ("" when the territory is unknown)."""
        return self.commune or self.departement or self.region

    @property
    def territory_known(self) -> bool:
        return bool(self.territory_code)

    def territory(self) -> dict[str, str]:
        return {"region": self.region, "departement": self.departement, "commune": self.commune}

    # -- filling and validating from the reference -----------------------------------------

    def fill_territory(self) -> None:
        """Fill blank parents from the finest code given; never overwrite a code that is set."""
        from communs.territoires.models import Commune, Departement

        if self.commune and not self.departement:
            self.departement = (
                Commune.objects.filter(code=self.commune).values_list("departement_id", flat=True).first() or ""
            )
        if self.departement and not self.region:
            self.region = (
                Departement.objects.filter(code=self.departement).values_list("region_id", flat=True).first() or ""
            )

    def territory_errors(self) -> dict[str, str]:
        """French messages per field for codes the reference does not know or that disagree."""
        from communs.territoires.models import Commune, Departement, Region

        errors: dict[str, str] = {}
        if self.region and not Region.objects.filter(code=self.region).exists():
            errors["region"] = f"Région « {self.region} » inconnue du référentiel territorial."
        if self.departement:
            region = Departement.objects.filter(code=self.departement).values_list("region_id", flat=True).first()
            if region is None:
                errors["departement"] = f"Département « {self.departement} » inconnu du référentiel territorial."
            elif self.region and region != self.region and "region" not in errors:
                errors["departement"] = f"Le département {self.departement} n'est pas dans la région {self.region}."
        if self.commune:
            departement = Commune.objects.filter(code=self.commune).values_list("departement_id", flat=True).first()
            if departement is None:
                errors["commune"] = f"Commune « {self.commune} » inconnue du référentiel territorial."
            elif self.departement and departement != self.departement and "departement" not in errors:
                errors["commune"] = f"La commune {self.commune} n'est pas dans le département {self.departement}."
        return errors

    def clean(self):
        super().clean()
        self.fill_territory()
        if errors := self.territory_errors():
            raise ValidationError(errors)
