"""PILOTE use cases: entry, import, proposals, météo and comments, recomputation, open data.

Every write runs in a transaction, checks the writer's rights, keeps the value history and writes
an audit event for every change of an official figure (`pilote.value.create|update`).

Who writes what:
- a central agent (member of the ministry, `Ministere.agents`) writes every figure of their
  ministry's chantiers, at any territory, and decides on proposals;
- a territorial contributor (role `pilote:contributeur` over a département or région) writes the
  figures of indicators entered locally (`Indicator.entry == local`) inside their territory only,
  declares the météo and comments there; for nationally fed indicators they propose corrections.
"""

import io
import json
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from communs.core.audit import record_event
from communs.core.downloads import csv_text
from communs.core.scopes import scope_for
from communs.pilote import territories
from communs.pilote.engine.compute import IndicatorSpec, Observations, compute
from communs.pilote.engine.files import PiloteFileError, RowError, parse_value_rows, read_table
from communs.pilote.engine.series import month_label
from communs.pilote.engine.territories import NAT
from communs.pilote.engine.validation import check_value
from communs.pilote.models import (
    AlertRecord,
    Chantier,
    ChantierResult,
    Comment,
    ConsistencyIssue,
    ImportBatch,
    Indicator,
    IndicatorResult,
    Meteo,
    Notification,
    Proposal,
    Value,
    ValueHistory,
)

SERVICE = "pilote"
CONTRIBUTOR = "contributeur"
ROLES = {CONTRIBUTOR: "Contributeur territorial (saisie, météo, commentaires, propositions)"}


# --- Territories --------------------------------------------------------------------------------


territory_fields = territories.territory_fields
territory_name = territories.territory_name


# --- Rights -------------------------------------------------------------------------------------


def is_central_agent(user, chantier: Chantier) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or chantier.ministere.agents.filter(pk=user.pk).exists()


def can_recompute(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.pilote_ministeres.exists()))


def covers_territory(user, territory: str) -> bool:
    scope = scope_for(user, SERVICE, roles=[CONTRIBUTOR])
    fields = territory_fields(territory)
    if fields["level"] == NAT:
        return scope.national
    return scope.covers(region=fields["region"] or None, departement=fields["departement"] or None)


def can_write_value(user, indicator: Indicator, territory: str) -> bool:
    if is_central_agent(user, indicator.chantier):
        return True
    return indicator.entry == Indicator.Entry.LOCAL and covers_territory(user, territory)


def require_write_value(user, indicator: Indicator, territory: str) -> None:
    if not can_write_value(user, indicator, territory):
        raise PermissionDenied(
            f"Vous ne pouvez pas saisir « {indicator.nom} » pour {territory_name(territory)} ({territory}) : "
            "hors de votre périmètre ou indicateur alimenté nationalement (proposez une correction)."
        )


def can_contribute(user, chantier: Chantier, territory: str) -> bool:
    return is_central_agent(user, chantier) or covers_territory(user, territory)


def require_contribute(user, chantier: Chantier, territory: str) -> None:
    if not can_contribute(user, chantier, territory):
        raise PermissionDenied(f"{territory_name(territory)} ({territory}) est hors de votre périmètre.")


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
        Proposal.objects.select_for_update().select_related("indicator__chantier__ministere").get(pk=proposal.pk)
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


def month_start(when: date) -> date:
    return when.replace(day=1)


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


# --- Recomputation ------------------------------------------------------------------------------


def indicator_spec(indicator: Indicator) -> IndicatorSpec:
    return IndicatorSpec(
        id=indicator.code,
        chantier=indicator.chantier.code,
        direction=indicator.direction,
        weight_nat=indicator.weight_nat,
        weight_reg=indicator.weight_reg,
        weight_dept=indicator.weight_dept,
        aggregation=indicator.aggregation,
        cumulative=indicator.cumulative,
        next_update=indicator.next_update,
    )


def _observations(indicators: list[Indicator], axis) -> tuple[list[IndicatorSpec], Observations]:
    specs = [indicator_spec(i) for i in indicators]
    position = {i.pk: n for n, i in enumerate(indicators)}
    rows = [
        row
        for row in Value.objects.filter(indicator__in=indicators).values_list(
            "indicator_id", "territory", "date", "metric", "value"
        )
        if row[1] in axis.index  # a territory the reference no longer steers is left out
    ]
    metric_index = {"vi": 0, "va": 1, "vc": 2, "den": 3}
    observations = Observations(
        indicator=np.array([position[r[0]] for r in rows], dtype=np.int64),
        territory=np.array([axis.index[r[1]] for r in rows], dtype=np.int64),
        date=np.array([r[2] for r in rows], dtype="datetime64[D]"),
        metric=np.array([metric_index[r[3]] for r in rows], dtype=np.int8),
        value=np.array([np.nan if r[4] is None else r[4] for r in rows], dtype=float),
    )
    return specs, observations


def _none(value) -> float | None:
    number = float(value)
    return None if np.isnan(number) else round(number, 4)


@transaction.atomic
def recompute_chantier(chantier: Chantier, as_of: date | None = None) -> None:
    """Run the engine on one chantier and replace its stored results and alerts."""
    as_of = as_of or timezone.localdate()
    indicators = list(chantier.indicators.select_related("chantier").order_by("code"))
    IndicatorResult.objects.filter(indicator__chantier=chantier).delete()
    ChantierResult.objects.filter(chantier=chantier).delete()
    AlertRecord.objects.filter(chantier=chantier).delete()
    ConsistencyIssue.objects.filter(indicator__chantier=chantier).delete()
    if not indicators:
        return
    axis = territories.axis()
    specs, observations = _observations(indicators, axis)
    declared = set(
        Meteo.objects.filter(chantier=chantier, period=month_start(as_of)).values_list("territory", flat=True)
    )
    result = compute(specs, observations, as_of, axis=axis, meteo={(chantier.code, t) for t in declared})
    store_results(result, [chantier], indicators)


def store_results(result, chantiers: list[Chantier], indicators: list[Indicator]) -> None:
    """Write an engine Result (indicators in `result.specs` order) as the stored results of `chantiers`,
    whose previous results must already be deleted."""
    labels = [month_label(int(p)) for p in result.periods]
    fields = [territory_fields(code) for code in result.axis.codes]
    indicator_rows = []
    for i, t in zip(*np.nonzero(result.expected), strict=True):
        series = [[labels[p], _none(v)] for p, v in enumerate(result.va[i, t]) if not np.isnan(v)]
        indicator_rows.append(
            IndicatorResult(
                indicator=indicators[i],
                vi=_none(result.vi[i, t]),
                va=_none(result.va_last[i, t]),
                vc=_none(result.vc[i, t]),
                ta=_none(result.ta[i, t]),
                ta_unbounded=_none(result.ta_unbounded[i, t]),
                ta_annual=_none(result.ta_annual[i, t]),
                median=_none(result.medians[i, t]),
                period=month_label(int(result.last_period[i, t])) if result.last_period[i, t] >= 0 else "",
                computed=bool(result.computed[i, t]),
                series=series,
                **fields[t],
            )
        )
    IndicatorResult.objects.bulk_create(indicator_rows, batch_size=2000)
    by_chantier = {c.code: c for c in chantiers}
    chantier_rows = []
    for c, t in zip(*np.nonzero(result.chantier_expected), strict=True):
        chantier_rows.append(
            ChantierResult(
                chantier=by_chantier[result.chantiers[c]],
                ta=_none(result.chantier_ta[c, t]),
                ta_previous=_none(result.chantier_ta_prev[c, t]),
                median=_none(result.chantier_medians[c, t]),
                **fields[t],
            )
        )
    ChantierResult.objects.bulk_create(chantier_rows, batch_size=2000)
    by_code = {i.code: i for i in indicators}
    AlertRecord.objects.bulk_create(
        [
            AlertRecord(
                chantier=by_chantier[alert.chantier],
                indicator=by_code.get(alert.indicator) if alert.indicator else None,
                kind=alert.kind,
                value=alert.value,
                reference=alert.reference,
                **fields[result.axis.index[alert.territory]],
            )
            for alert in result.alerts
        ],
        batch_size=2000,
    )
    ConsistencyIssue.objects.bulk_create(
        [
            ConsistencyIssue(
                indicator=by_code[issue["indicator"]],
                metric=issue["metric"],
                period=issue["period"] or "",
                entered=issue["entered"],
                computed=issue["computed"],
                **fields[result.axis.index[issue["territory"]]],
            )
            for issue in result.inconsistencies
        ],
        batch_size=2000,
    )


def recompute_all(as_of: date | None = None) -> int:
    chantiers = list(Chantier.objects.select_related("ministere"))
    for chantier in chantiers:
        recompute_chantier(chantier, as_of)
    return len(chantiers)


# --- Open data ----------------------------------------------------------------------------------

OPEN_DATA_COLUMNS = (
    "chantier",
    "chantier_nom",
    "ministere",
    "indicateur",
    "indicateur_nom",
    "unite",
    "sens",
    "niveau",
    "territoire",
    "territoire_nom",
    "valeur_initiale",
    "valeur_actuelle",
    "periode_valeur_actuelle",
    "valeur_cible",
    "taux_avancement",
    "taux_avancement_annuel",
    "source",
)


def open_data_metadata() -> dict:
    """DCAT-style description of the export (title, description, licence, date, source)."""
    return {
        "title": "PILOTE — indicateurs publiés des politiques prioritaires",
        "description": (
            "Valeurs initiales, actuelles et cibles et taux d'avancement des indicateurs publiés, par "
            "territoire (national, régional, départemental). Taux d'avancement = 100·(VA−VI)/(VC−VI), borné à "
            "[0, 100] ; les valeurs régionales et nationales non saisies sont agrégées des départements."
        ),
        "license": "Licence Ouverte / Open Licence 2.0 (Etalab)",
        "license_url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        "issued": timezone.now().isoformat(timespec="seconds"),
        "publisher": "Communs — PILOTE",
        "source": "Saisies et imports des administrations centrales et services déconcentrés (PILOTE)",
        "columns": list(OPEN_DATA_COLUMNS),
    }


def open_data_rows() -> list[dict]:
    rows = []
    results = IndicatorResult.objects.filter(indicator__published=True).select_related(
        "indicator__chantier__ministere"
    )
    for r in results.order_by("indicator__chantier__code", "indicator__code", "territory"):
        indicator = r.indicator
        rows.append(
            {
                "chantier": indicator.chantier.code,
                "chantier_nom": indicator.chantier.nom,
                "ministere": indicator.chantier.ministere.nom,
                "indicateur": indicator.code,
                "indicateur_nom": indicator.nom,
                "unite": indicator.unite,
                "sens": indicator.direction,
                "niveau": r.level,
                "territoire": r.territory,
                "territoire_nom": territory_name(r.territory),
                "valeur_initiale": r.vi,
                "valeur_actuelle": r.va,
                "periode_valeur_actuelle": r.period,
                "valeur_cible": r.vc,
                "taux_avancement": r.ta,
                "taux_avancement_annuel": r.ta_annual,
                "source": indicator.source,
            }
        )
    return rows


def open_data_csv() -> bytes:
    rows = ([row.get(column, "") for column in OPEN_DATA_COLUMNS] for row in open_data_rows())
    return csv_text(OPEN_DATA_COLUMNS, rows).encode("utf-8")


def open_data_parquet() -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = open_data_rows()
    numeric = {"valeur_initiale", "valeur_actuelle", "valeur_cible", "taux_avancement", "taux_avancement_annuel"}
    schema = pa.schema([(name, pa.float64() if name in numeric else pa.string()) for name in OPEN_DATA_COLUMNS])
    table = pa.Table.from_pylist(rows, schema=schema)
    table = table.replace_schema_metadata({"dcat": json.dumps(open_data_metadata(), ensure_ascii=False)})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def today() -> date:
    return timezone.localdate()
