"""PILOTE use cases: entry, import, proposals, météo, comments and notifications.

The other parts live in modules named for them, re-exported here for the callers: territories
(`territories.py`, from the reference), rights (`permissions.py`), recomputation (`recompute.py`)
and open data (`open_data.py`).

Every write runs in a transaction, checks the writer's rights, keeps the value history and writes
an audit event for every change of an official figure (`pilote.value.create|update`).

Who writes what:
- a central agent (member of the ministry, `Ministere.agents`) writes every figure of their
  ministry's chantiers, at any territory, and decides on proposals;
- a territorial contributor (role `pilote:contributeur` over a département or région) writes the
  figures of indicators entered locally (`Indicator.entry == local`) inside their territory only,
  declares the météo and comments there; for nationally fed indicators they propose corrections.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from communs.core.audit import record_event
from communs.pilote import territories
from communs.pilote.engine.files import PiloteFileError, RowError, parse_value_rows, read_table
from communs.pilote.engine.validation import check_value
from communs.pilote.models import (
    Chantier,
    Comment,
    ImportBatch,
    Indicator,
    Meteo,
    Notification,
    Proposal,
    Value,
    ValueHistory,
)
from communs.pilote.open_data import (  # noqa: F401 - re-exported
    OPEN_DATA_COLUMNS,
    open_data_csv,
    open_data_metadata,
    open_data_parquet,
    open_data_rows,
)
from communs.pilote.permissions import (  # noqa: F401 - re-exported
    can_contribute,
    can_recompute,
    can_write_value,
    covers_territory,
    is_central_agent,
    require_contribute,
    require_write_value,
)
from communs.pilote.recompute import (  # noqa: F401 - re-exported
    indicator_spec,
    month_start,
    recompute_all,
    recompute_chantier,
    store_results,
)

SERVICE = "pilote"
CONTRIBUTOR = "contributeur"
ROLES = {CONTRIBUTOR: "Contributeur territorial (saisie, météo, commentaires, propositions)"}


# --- Territories --------------------------------------------------------------------------------


territory_fields = territories.territory_fields
territory_name = territories.territory_name


# --- Rights: pilote/permissions.py (re-exported for the callers) ----------------------------


# --- Values -------------------------------------------------------------------------------------


def _set_value(user, indicator, territory, when, metric, value, *, origin, reason="", batch=None) -> Value | None:
    """Upsert one official figure with its history and audit event; None when nothing changed."""
    fields = territory_fields(territory)
    existing = Value.objects.filter(
        indicator=indicator, territory=fields["territory"], date=when, metric=metric
    ).first()
    if existing is not None and existing.value == value:
        return None
    previous = existing.value if existing is not None else None
    if existing is None:
        existing = Value(indicator=indicator, date=when, metric=metric, **fields)
    existing.value = value
    existing.updated_by = user
    existing.origin = origin
    existing.batch = batch
    existing.save()
    created = previous is None and not existing.history.exists()
    ValueHistory.objects.create(
        value=existing, previous=previous, new=value, created=created, author=user, origin=origin, reason=reason
    )
    record_event(
        user,
        "pilote.value.create" if created else "pilote.value.update",
        service=SERVICE,
        obj=existing,
        region=fields["region"],
        departement=fields["departement"],
        reason=reason or origin,
        metadata={
            "indicator": indicator.code,
            "territory": fields["territory"],
            "date": when.isoformat(),
            "metric": metric,
            "previous": previous,
            "new": value,
        },
    )
    return existing


def value_problems(indicator: Indicator, metric: str, when: date, value) -> list[tuple[str, str]]:
    return check_value(
        unit=indicator.unite, aggregation=indicator.aggregation, metric=metric, when=when, value=value, today=today()
    )


@transaction.atomic
def save_value(user, indicator: Indicator, territory: str, when: date, metric: str, value, reason: str = "") -> Value:
    require_write_value(user, indicator, territory)
    problems = value_problems(indicator, metric, when, value)
    if problems:
        raise ValidationError("; ".join(message for _, message in problems))
    saved = _set_value(user, indicator, territory, when, metric, value, origin="saisie", reason=reason)
    recompute_chantier(indicator.chantier)
    return saved


@dataclass
class ImportReport:
    batch: ImportBatch
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


def import_values(user, file_name: str, data: bytes, *, all_or_nothing: bool = True) -> ImportReport:
    """Bulk import of `indicator,territory,date,metric,value` (CSV or XLSX).

    Every row is checked first (format, known indicator, writer's rights). In all-or-nothing mode
    one bad row imports nothing; in partial mode the good rows are written. Either way the batch
    and its row-level report are saved, in one transaction with the values.
    """
    try:
        rows = read_table(data, file_name)
    except PiloteFileError as exc:
        raise ValidationError(str(exc)) from exc
    indicators = {i.code: i for i in Indicator.objects.select_related("chantier__ministere")}
    good, errors = parse_value_rows(rows, set(indicators), territories=territories.axis())
    allowed = []
    rights: dict[tuple[str, str], bool] = {}
    for row in good:
        key = (row.indicator, row.territory)
        if key not in rights:
            rights[key] = can_write_value(user, indicators[row.indicator], row.territory)
        problems = value_problems(indicators[row.indicator], row.metric, row.date, row.value)
        for field, message in problems:
            errors.append(RowError(row.line, field, message))
        if problems:
            continue
        if rights[key]:
            allowed.append(row)
        else:
            errors.append(
                RowError(row.line, "territory", f"{row.territory} hors de votre périmètre pour {row.indicator}")
            )
    errors.sort(key=lambda error: error.line)
    bad_lines = {error.line for error in errors}
    mode = ImportBatch.Mode.ALL_OR_NOTHING if all_or_nothing else ImportBatch.Mode.PARTIAL
    to_write = [] if (all_or_nothing and errors) else [row for row in allowed if row.line not in bad_lines]
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            file_name=file_name[:255],
            mode=mode,
            author=user,
            rows_total=len(rows),
            rows_rejected=len(bad_lines),
            errors=[error.as_dict() for error in errors],
        )
        origin = f"import « {file_name[:200]} » n° {batch.pk}"
        touched = set()
        for row in to_write:
            indicator = indicators[row.indicator]
            _set_value(user, indicator, row.territory, row.date, row.metric, row.value, origin=origin, batch=batch)
            touched.add(indicator.chantier_id)
        batch.rows_imported = len(to_write)
        batch.save(update_fields=["rows_imported"])
        record_event(
            user,
            "pilote.import.run",
            service=SERVICE,
            obj=batch,
            metadata={"mode": mode, "imported": len(to_write), "rejected": len(bad_lines)},
        )
        for chantier in Chantier.objects.filter(pk__in=touched):
            recompute_chantier(chantier)
    return ImportReport(batch, errors)


# --- Proposals ----------------------------------------------------------------------------------


@transaction.atomic
def propose_value(user, indicator, territory, when, metric, proposed, reason) -> Proposal:
    require_contribute(user, indicator.chantier, territory)
    if not reason.strip():
        raise ValidationError("Le motif de la proposition est obligatoire.")
    fields = territory_fields(territory)
    current = (
        Value.objects.filter(indicator=indicator, territory=fields["territory"], date=when, metric=metric)
        .values_list("value", flat=True)
        .first()
    )
    proposal = Proposal.objects.create(
        indicator=indicator,
        date=when,
        metric=metric,
        current=current,
        proposed=proposed,
        reason=reason,
        author=user,
        **fields,
    )
    url = reverse("pilote:propositions")
    _notify(
        _central_people(indicator.chantier),
        f"Proposition de correction de « {indicator.nom} » pour {territory_name(territory)} par {user.get_username()}",
        url,
    )
    return proposal


@transaction.atomic
def decide_proposal(user, proposal: Proposal, *, accept: bool, comment: str = "") -> Proposal:
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("indicator__chantier__ministere")
        .get(pk=proposal.pk)
    )
    if not is_central_agent(user, proposal.indicator.chantier):
        raise PermissionDenied("Seule l'administration centrale du chantier décide des propositions.")
    if proposal.status != Proposal.Status.PENDING:
        raise ValidationError("Cette proposition a déjà été traitée.")
    proposal.status = Proposal.Status.ACCEPTED if accept else Proposal.Status.REFUSED
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.decision_comment = comment
    proposal.save()
    if accept:
        _set_value(
            user,
            proposal.indicator,
            proposal.territory,
            proposal.date,
            proposal.metric,
            proposal.proposed,
            origin=f"proposition n° {proposal.pk} de {proposal.author.get_username()}",
            reason=proposal.reason,
        )
        recompute_chantier(proposal.indicator.chantier)
    verdict = "acceptée" if accept else "refusée"
    _notify([proposal.author], f"Votre proposition sur « {proposal.indicator.nom} » a été {verdict}.", "")
    return proposal


# --- Météo, comments, notifications -------------------------------------------------------------


@transaction.atomic
def declare_meteo(user, chantier: Chantier, territory: str, period: date, meteo: str, synthese: str) -> Meteo:
    require_contribute(user, chantier, territory)
    fields = territory_fields(territory)
    row, _ = Meteo.objects.update_or_create(
        chantier=chantier,
        territory=fields["territory"],
        period=month_start(period),
        defaults={**fields, "meteo": meteo, "synthese": synthese, "author": user},
    )
    recompute_chantier(chantier)
    return row


@transaction.atomic
def add_comment(user, chantier: Chantier, territory: str, period: date, kind: str, text: str) -> Comment:
    require_contribute(user, chantier, territory)
    comment = Comment.objects.create(
        chantier=chantier, period=month_start(period), kind=kind, text=text, author=user, **territory_fields(territory)
    )
    people = [p for p in _central_people(chantier) if p.pk != user.pk]
    _notify(
        people,
        f"Nouveau commentaire ({comment.get_kind_display()}) sur « {chantier.nom} » — {territory_name(territory)}",
        reverse("pilote:chantier", args=[chantier.code]) + "#discussion",
    )
    return comment


def _central_people(chantier: Chantier) -> list:
    people = {user.pk: user for user in chantier.responsables.all()}
    people.update({user.pk: user for user in chantier.ministere.agents.all()})
    return list(people.values())


def _notify(recipients, message: str, url: str) -> None:
    Notification.objects.bulk_create(
        [Notification(recipient=user, message=message[:300], url=url) for user in recipients]
    )
    if getattr(settings, "PILOTE_NOTIFY_BY_EMAIL", False):
        emails = [user.email for user in recipients if user.email]
        if emails:
            send_mail(f"[PILOTE] {message[:120]}", message, None, emails, fail_silently=True)


def mark_notifications_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


# --- Recomputation: pilote/recompute.py; open data: pilote/open_data.py (re-exported) ----------


def today() -> date:
    return timezone.localdate()
