"""Use cases that write État bas carbone data: factor bases, inventories, activity entry and
imports, action plans. Each checks the user's rights, runs in one transaction and writes an audit
event (activity data are the official figures of a regulatory report).
"""

from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.db import transaction

from communs.bascarbone import selectors
from communs.bascarbone.engine.factors import (
    STARTER_VERSION,
    FactorFileError,
    FactorSet,
    RowError,
    load_starter_set,
    read_base_empreinte,
)
from communs.bascarbone.engine.imports import ActivityFileError, check_lines, read_activities
from communs.bascarbone.engine.inventory import ActivityLine
from communs.bascarbone.models import Action, Activity, ActivityImport, Entity, Factor, FactorBase, Inventory
from communs.core.audit import record_event

SERVICE = selectors.SERVICE


def _territory(entity: Entity) -> dict:
    return {"region": entity.region, "departement": entity.departement}


def _save_factor_set(factor_set: FactorSet, *, is_starter: bool, user=None) -> FactorBase:
    base = FactorBase.objects.create(
        version=factor_set.version, source=factor_set.source, is_starter=is_starter, created_by=user
    )
    Factor.objects.bulk_create(
        [
            Factor(
                base=base,
                factor_id=f.id,
                name=f.name[:400],
                unit=f.unit[:60],
                total=f.total,
                co2=f.co2,
                ch4=f.ch4,
                n2o=f.n2o,
                other=f.other,
                co2b=f.co2b,
                uncertainty=f.uncertainty,
                gas=f.gas,
                pcs_pci_ratio=f.pcs_pci_ratio,
                post=f.post,
                source=f.source[:300],
                year=f.year,
                status=f.status[:60],
            )
            for f in factor_set.factors.values()
        ],
        batch_size=1000,
    )
    return base


@transaction.atomic
def ensure_starter_base() -> FactorBase:
    """The shipped starter set as a factor base (idempotent)."""
    base = FactorBase.objects.filter(version=STARTER_VERSION).first()
    if base is None:
        base = _save_factor_set(load_starter_set(), is_starter=True)
    return base


def import_factor_base(data: bytes, *, filename: str, version: str, user=None) -> FactorBase:
    """Import a Base Empreinte export as a new version; nothing is written if a row is bad."""
    if FactorBase.objects.filter(version=version).exists():
        raise ValidationError(f"La version « {version} » existe déjà : chaque import est une nouvelle version.")
    factor_set = read_base_empreinte(data, filename=filename, version=version)  # raises FactorFileError
    with transaction.atomic():
        base = _save_factor_set(factor_set, is_starter=False, user=user)
        record_event(
            user,
            "bascarbone.factors.import",
            service=SERVICE,
            obj=base,
            metadata={"filename": filename, "factors": len(factor_set)},
        )
    return base


@transaction.atomic
def get_or_create_inventory(user, entity: Entity, year: int, *, gwp_set: str | None = None) -> Inventory:
    """The inventory of `entity` for `year`, created on first use with the starter base pinned."""
    selectors.require_edit(user, entity)
    inventory = Inventory.objects.filter(entity=entity, year=year).first()
    if inventory is None:
        inventory = Inventory.objects.create(
            entity=entity, year=year, factor_base=ensure_starter_base(), **({"gwp_set": gwp_set} if gwp_set else {})
        )
        record_event(user, "bascarbone.inventory.create", service=SERVICE, obj=inventory, **_territory(entity))
    return inventory


def _check(inventory: Inventory, lines: list[ActivityLine], base_id: int | None = None) -> list[RowError]:
    base_id = base_id or inventory.factor_base_id
    factor_set = selectors.factor_set_for({base_id})
    keyed = [ActivityLine(**{**asdict(line), "factor_id": f"{base_id}:{line.factor_id}"}) for line in lines]
    errors = check_lines(keyed, factor_set)
    prefix = f"{base_id}:"
    return [RowError(e.line, e.column, e.message.replace(prefix, "")) for e in errors]


@transaction.atomic
def configure_inventory(user, inventory: Inventory, *, factor_base: FactorBase, gwp_set: str) -> Inventory:
    """Pin another factor base version or GWP set; refused if a line of the inventory has no factor in it."""
    selectors.require_edit(user, inventory.entity)
    lines = [
        ActivityLine(post=a.post, factor_id=a.factor_id, quantity=a.quantity, unit=a.unit, line=a.pk)
        for a in inventory.activities.all()
    ]
    errors = _check(inventory, lines, factor_base.pk)
    if errors:
        shown = "; ".join(f"{e.message}" for e in errors[:3])
        raise ValidationError(f"Impossible de passer à la base {factor_base.version} : {shown}.")
    previous = {"factor_base": inventory.factor_base.version, "gwp_set": inventory.gwp_set}
    inventory.factor_base, inventory.gwp_set = factor_base, gwp_set
    inventory.save(update_fields=["factor_base", "gwp_set", "updated_at"])
    record_event(
        user,
        "bascarbone.inventory.configure",
        service=SERVICE,
        obj=inventory,
        metadata={"before": previous, "after": {"factor_base": factor_base.version, "gwp_set": gwp_set}},
        **_territory(inventory.entity),
    )
    return inventory


@transaction.atomic
def add_activity(user, inventory: Inventory, line: ActivityLine) -> Activity:
    selectors.require_edit(user, inventory.entity)
    errors = _check(inventory, [line])
    if errors:
        raise ValidationError({_FORM_FIELDS.get(errors[0].column, "__all__"): errors[0].message})
    activity = Activity.objects.create(
        inventory=inventory,
        post=line.post,
        factor_id=line.factor_id,
        quantity=line.quantity,
        unit=line.unit,
        activity_uncertainty=line.activity_uncertainty,
        amortization_years=line.amortization_years,
        label=line.label[:255],
        created_by=user,
    )
    record_event(
        user,
        "bascarbone.activity.create",
        service=SERVICE,
        obj=activity,
        metadata={"inventory": inventory.pk, "post": line.post, "factor": line.factor_id, "quantity": line.quantity},
        **_territory(inventory.entity),
    )
    return activity


_FORM_FIELDS = {"factor_id": "factor_id", "unit": "unit", "post": "post", "quantity": "quantity"}


@transaction.atomic
def delete_activity(user, activity: Activity) -> None:
    selectors.require_edit(user, activity.inventory.entity)
    record_event(
        user,
        "bascarbone.activity.delete",
        service=SERVICE,
        obj=activity,
        metadata={"post": activity.post, "factor": activity.factor_id, "quantity": activity.quantity},
        **_territory(activity.inventory.entity),
    )
    activity.delete()


def import_activities(
    user, inventory: Inventory, data: bytes, *, filename: str, format: str = "auto"
) -> ActivityImport:  # noqa: A002
    """Read a file into `inventory` (or the inventories of the same year of the entities the file names,
    all within the user's subtree). Any bad row rejects the whole file: the report lists every error and
    no line is written."""
    selectors.require_edit(user, inventory.entity)
    try:
        result = read_activities(data, filename, format=format, default_entity=inventory.entity.code)
        errors = list(result.errors)
        fmt, rows = result.format, result.rows
    except ActivityFileError as exc:
        result, errors, fmt, rows = None, [RowError(1, "", str(exc))], format, 0
    lines = result.lines if result else []
    if result is not None:
        editable = selectors.editable_codes(user)
        known = set(Entity.objects.filter(code__in={line.entity for line in lines}).values_list("code", flat=True))
        for line in lines:
            if line.entity not in known or (editable is not None and line.entity not in editable):
                errors.append(
                    RowError(line.line, "entity", f"entité « {line.entity} » inconnue ou hors de votre périmètre")
                )
        errors += _check(inventory, lines)
        if not lines and not errors:
            errors.append(RowError(1, "", "aucune ligne de données dans le fichier"))
    errors.sort(key=lambda e: e.line)
    with transaction.atomic():
        report = ActivityImport.objects.create(
            inventory=inventory,
            filename=filename[:255],
            format=fmt,
            status=ActivityImport.Status.REJECTED if errors else ActivityImport.Status.ACCEPTED,
            rows=rows,
            imported=0 if errors else len(lines),
            errors=[{"line": e.line, "column": e.column, "message": e.message} for e in errors[:500]],
            created_by=user,
        )
        if not errors:
            inventories = {inventory.entity.code: inventory}
            for code in {line.entity for line in lines} - {inventory.entity.code}:
                entity = Entity.objects.get(code=code)
                inventories[code] = get_or_create_inventory(user, entity, inventory.year)
            Activity.objects.bulk_create(
                [
                    Activity(
                        inventory=inventories[line.entity],
                        post=line.post.strip().replace(",", "."),
                        factor_id=line.factor_id,
                        quantity=line.quantity,
                        unit=line.unit,
                        activity_uncertainty=line.activity_uncertainty,
                        amortization_years=line.amortization_years,
                        label=line.label[:255],
                        source_import=report,
                        source_line=line.line,
                        created_by=user,
                    )
                    for line in lines
                ],
                batch_size=1000,
            )
        record_event(
            user,
            "bascarbone.import.accept" if not errors else "bascarbone.import.reject",
            service=SERVICE,
            obj=report,
            metadata={"filename": filename, "format": fmt, "rows": rows, "errors": len(errors)},
            **_territory(inventory.entity),
        )
    return report


@transaction.atomic
def add_action(user, entity: Entity, **fields) -> Action:
    selectors.require_edit(user, entity)
    action = Action.objects.create(entity=entity, created_by=user, **fields)
    record_event(user, "bascarbone.action.create", service=SERVICE, obj=action, **_territory(entity))
    return action


@transaction.atomic
def set_target(user, entity: Entity, *, reference_year: int, target_year: int, reduction: float) -> Entity:
    selectors.require_edit(user, entity)
    if target_year <= reference_year or not 0 <= reduction <= 1:
        raise ValidationError(
            "Objectif incohérent : l'année cible suit l'année de référence, la réduction est entre 0 et 100 %."
        )
    entity.target_reference_year, entity.target_year, entity.target_reduction = reference_year, target_year, reduction
    entity.save(update_fields=["target_reference_year", "target_year", "target_reduction"])
    record_event(
        user,
        "bascarbone.target.set",
        service=SERVICE,
        obj=entity,
        metadata={"reference_year": reference_year, "target_year": target_year, "reduction": reduction},
        **_territory(entity),
    )
    return entity


__all__ = ["FactorFileError", "ensure_starter_base", "import_factor_base", "import_activities", "add_activity"]
