"""Recens'smart state changes: questionnaire upload and publication, campaigns, respondent
units and access codes, the respondent's page saves, completion and exports.

Every function checks permissions (roles of the `recensmart` service, territorial scope of the
campaign), writes in a transaction, and records an audit event when nominative data is read
(exports) or when a questionnaire is published.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from communs.core import files
from communs.core.audit import record_event
from communs.core.downloads import csv_text
from communs.guards.limits import InputLimitError, csv_records
from communs.recensmart.engine.exports import columns, flatten, lunatic_data
from communs.recensmart.engine.formats import load_questionnaire_bytes
from communs.recensmart.engine.model import SchemaError
from communs.recensmart.engine.runtime import COMPLETED, REVIEW, Outcome
from communs.recensmart.engines import engine_for, engine_for_unit  # noqa: F401 - used by views, demo, tests
from communs.recensmart.models import (
    SERVICE,
    Campaign,
    Paradata,
    Questionnaire,
    QuestionnaireVersion,
    RespondentUnit,
    hash_code,
)
from communs.recensmart.permissions import (  # noqa: F401 - re-exported
    _require_national,
    can_design,
    require_campaign,
    require_design,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 12
MAX_UNITS_PER_IMPORT = 50_000


class ImportRejected(Exception):
    """A file that was not imported at all; `errors` are located messages."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


# --- permissions -----------------------------------------------------------------------------


# --- questionnaires --------------------------------------------------------------------------


# Table names are Django's defaults for these models (`<app>_<model>`), fixed by the migrations.
_RESPONDENT_UNIT_SQL = (
    'SELECT u.*, v."id" AS version_pk, v."source_sha256" AS version_sha256, qu."title" AS questionnaire_title, '
    'c."label" AS campaign_label, c."opens_on" AS campaign_opens_on, c."closes_on" AS campaign_closes_on '
    'FROM "recensmart_respondentunit" u '
    'JOIN "recensmart_campaign" c ON c."id" = u."campaign_id" '
    'JOIN "recensmart_questionnaireversion" v ON v."id" = c."version_id" '
    'JOIN "recensmart_questionnaire" qu ON qu."id" = v."questionnaire_id" '
    'WHERE u."id" = %s'
)


def respondent_unit(unit_id: int, *, lock: bool = False) -> RespondentUnit | None:
    """A respondent's unit with what its pages need of its campaign's version, in one query.

    Pages are the hot path (bench/recensmart): the ORM spent longer compiling the three-table
    `select_related` than SQLite took to run it, so the query is written once, by hand. The
    unit gets `version_pk`, `version_sha256` (for `engine_for_unit`) and `questionnaire_title`.
    With `lock` (inside a transaction) only the unit row is locked (`FOR UPDATE OF`): the
    respondents of one campaign must not queue behind each other on PostgreSQL; SQLite locks
    the whole database for the transaction anyway (`BEGIN IMMEDIATE`).
    """
    sql = _RESPONDENT_UNIT_SQL
    if lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE OF u" if connection.features.has_select_for_update_of else " FOR UPDATE"
    return next(iter(RespondentUnit.objects.raw(sql, [unit_id])), None)  # noqa: S611 - no user text in the SQL


def _locked_unit(unit_id: int) -> RespondentUnit:
    unit = respondent_unit(unit_id, lock=True)
    if unit is None:
        raise RespondentUnit.DoesNotExist(f"unité {unit_id} introuvable")
    closed = _window_message(unit.campaign_label, unit.campaign_opens_on, unit.campaign_closes_on)
    if closed:
        raise ImportRejected([closed])
    return unit


def _french_date(day) -> str:
    return date_format(day, "j F Y")


def campaign_closed_message(campaign_id: int, today=None) -> str:
    """Empty while the campaign collects answers (both dates included); otherwise why not, with its dates."""
    window = Campaign.objects.filter(pk=campaign_id).values("label", "opens_on", "closes_on").first()
    if window is None:
        return ""
    return _window_message(window["label"], window["opens_on"], window["closes_on"], today)


def _window_message(label: str, opens, closes, today=None) -> str:
    # Raw SQL columns come back as text on SQLite.
    opens = dt.date.fromisoformat(opens) if isinstance(opens, str) else opens
    closes = dt.date.fromisoformat(closes) if isinstance(closes, str) else closes
    today = today or timezone.localdate()
    if not (opens and today < opens) and not (closes and today > closes):
        return ""
    dates = (
        f"du {_french_date(opens)} au {_french_date(closes)}"
        if opens and closes
        else (f"à partir du {_french_date(opens)}" if opens else f"jusqu'au {_french_date(closes)}")
    )
    if opens and today < opens:
        return f"La collecte « {label} » ouvrira le {_french_date(opens)} (réponses acceptées {dates})."
    if closes and today > closes:
        return (
            f"La collecte « {label} » est clôturée depuis le {_french_date(closes)} "
            f"(réponses acceptées {dates}) : vos réponses ne peuvent plus être enregistrées."
        )
    return ""


@transaction.atomic
def upload_questionnaire(user, file_name: str, content: bytes, *, questionnaire: Questionnaire | None = None):
    """Store a new draft version after a full validation; nothing is written if it fails."""
    require_design(user)
    try:
        parsed = load_questionnaire_bytes(content, file_name)
    except SchemaError as exc:
        raise ImportRejected(exc.errors) from exc
    if questionnaire is None:
        title = _label_text(parsed) or file_name
        base = slugify(title)[:70] or "questionnaire"
        slug, counter = base, 1
        while Questionnaire.objects.filter(slug=slug).exists():
            counter += 1
            slug = f"{base}-{counter}"
        questionnaire = Questionnaire.objects.create(slug=slug, title=title[:200], created_by=user)
    number = (questionnaire.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=number,
        source_format=parsed.source_format,
        file_name=file_name[:200],
        source=content,
        source_sha256=files.sha256_bytes(content),
        warnings=parsed.warnings,
        created_by=user,
    )
    return version


def _label_text(parsed) -> str:
    from communs.recensmart.engine.labels import evaluate_label, render_text

    if parsed.label is None:
        return ""
    return render_text(evaluate_label(parsed.label, lambda name, whole: None)).text


@transaction.atomic
def publish_version(user, version: QuestionnaireVersion) -> QuestionnaireVersion:
    require_design(user)
    if version.status != QuestionnaireVersion.Status.PUBLISHED:
        version.status = QuestionnaireVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
        record_event(user, "recensmart.version.publish", service=SERVICE, obj=version)
    return version


# --- campaigns and units ---------------------------------------------------------------------


@transaction.atomic
def create_campaign(
    user, version: QuestionnaireVersion, label: str, *, region="", departement="", opens_on=None, closes_on=None
) -> Campaign:
    if version.status != QuestionnaireVersion.Status.PUBLISHED:
        raise ImportRejected(["Seule une version publiée peut servir à une campagne."])
    campaign = Campaign(
        version=version,
        label=label,
        region=region or "",
        departement=departement or "",
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=user,
    )
    if departement and not region:
        from communs.core.scopes import complete_territory

        campaign.region = complete_territory(departement=departement)[0]
    require_campaign(user, campaign)
    campaign.save()
    record_event(
        user,
        "recensmart.campaign.create",
        service=SERVICE,
        obj=campaign,
        region=campaign.region,
        departement=campaign.departement,
    )
    return campaign


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


@dataclass
class UnitsImport:
    created: list[tuple[str, str]] = field(default_factory=list)  # (external_id, plain code)

    def codes_csv(self) -> str:
        return csv_text(["identifiant", "code_acces"], self.created, delimiter=";")


def import_units_csv(user, campaign: Campaign, content: bytes, file_name: str = "unites.csv") -> UnitsImport:
    """Create respondent units from a CSV (identifiant;libelle;courriel), all or nothing.

    Returns the plain access codes once: only their hash is stored.
    """
    require_campaign(user, campaign)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("latin-1")
    sample = text[:2048]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    try:
        header, records = csv_records(text, delimiter=delimiter, source=file_name)
    except InputLimitError as exc:
        raise ImportRejected([str(exc)]) from None
    fields = [f.strip().lower() for f in header]
    if "identifiant" not in fields:
        raise ImportRejected(
            [f"{file_name} : ligne 1 : colonne « identifiant » absente (colonnes : {', '.join(fields)})"]
        )
    errors: list[str] = []
    rows: list[dict] = []
    seen: set[str] = set()
    existing = set(campaign.units.values_list("external_id", flat=True))
    for number, raw in records:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        identifier = row.get("identifiant", "")
        email = row.get("courriel", "")
        if not identifier:
            errors.append(f"{file_name} : ligne {number}, colonne identifiant : valeur vide")
        elif len(identifier) > 60:
            errors.append(f"{file_name} : ligne {number}, colonne identifiant : plus de 60 caractères")
        elif identifier in seen or identifier in existing:
            errors.append(f"{file_name} : ligne {number}, colonne identifiant : « {identifier} » en double")
        if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            errors.append(f"{file_name} : ligne {number}, colonne courriel : « {email} » n'est pas une adresse")
        seen.add(identifier)
        rows.append({"external_id": identifier, "label": row.get("libelle", "")[:300], "email": email})
        if len(rows) > MAX_UNITS_PER_IMPORT:
            errors.append(f"{file_name} : plus de {MAX_UNITS_PER_IMPORT} lignes")
            break
    if not rows:
        errors.append(f"{file_name} : aucune ligne")
    if errors:
        raise ImportRejected(errors)
    result = UnitsImport()
    with transaction.atomic():
        units = []
        for row in rows:
            code = new_code()
            units.append(RespondentUnit(campaign=campaign, code_hash=hash_code(code), **row))
            result.created.append((row["external_id"], code))
        try:
            RespondentUnit.objects.bulk_create(units, batch_size=1000)
        except IntegrityError as exc:  # pragma: no cover - 60 random bits collide in theory only
            raise ImportRejected([f"{file_name} : conflit de code d'accès, recommencez"]) from exc
        record_event(
            user,
            "recensmart.unit.create",
            service=SERVICE,
            obj=campaign,
            region=campaign.region,
            departement=campaign.departement,
            metadata={"count": len(units), "file": file_name},
        )
    return result


def create_unit(campaign: Campaign, external_id: str, code: str | None = None, label: str = "") -> tuple:
    """One unit with a known code (demo, tests, bench); returns (unit, code)."""
    code = code or new_code()
    unit = RespondentUnit.objects.create(
        campaign=campaign, external_id=external_id, label=label, code_hash=hash_code(code)
    )
    return unit, code


def find_unit(code: str) -> RespondentUnit | None:
    if not code or len(code) > 40:
        return None
    return (
        RespondentUnit.objects.select_related("campaign__version")
        .defer("campaign__version__source")
        .filter(code_hash=hash_code(code))
        .first()
    )


# --- respondent ------------------------------------------------------------------------------


_STATE_FIELDS = ("status", "page", "reached", "warned", "data", "updated_at")


def _store(unit: RespondentUnit, state: dict) -> None:
    unit.status = state["status"]
    unit.page = state.get("page") or ""
    unit.reached = state.get("reached") or ""
    unit.warned = state.get("warned") or ""
    unit.data = state["data"]


@transaction.atomic
def start(unit_id: int) -> RespondentUnit:
    unit = _locked_unit(unit_id)
    engine = engine_for_unit(unit)
    state = unit.state()
    if unit.status == RespondentUnit.Status.INIT and not unit.data:
        state = engine.new_state()
    engine.start(state)
    _store(unit, state)
    if unit.started_at is None:
        unit.started_at = timezone.now()
    unit.save()
    return unit


@transaction.atomic
def submit_page(
    unit_id: int,
    key: str,
    form,
    *,
    action: str = "next",
    duration_ms: int | None = None,
    device: str = Paradata.Device.DESKTOP,
) -> tuple[RespondentUnit, Outcome]:
    """Save one page (or its draft, with `action="previous"`); the unit row is locked so concurrent
    posts of one respondent serialise."""
    unit = _locked_unit(unit_id)
    engine = engine_for_unit(unit)
    state = unit.state()
    outcome = engine.submit(state, key, form, action=action)
    # A draft saved on "previous" keeps the valid inputs; its `errors` are the inputs dropped.
    if outcome.kind == "previous" or (outcome.kind in ("moved", "warned", "refresh") and not outcome.errors):
        _store(unit, state)
        unit.saves += 1
        unit.save(update_fields=[*_STATE_FIELDS, "saves"])
    Paradata.objects.create(unit=unit, page=key[:40], outcome=outcome.kind, duration_ms=duration_ms, device=device)
    return unit, outcome


@transaction.atomic
def navigate(unit_id: int, *, key: str | None = None, previous: bool = False) -> bool:
    unit = _locked_unit(unit_id)
    engine = engine_for_unit(unit)
    state = unit.state()
    if unit.status == COMPLETED:
        return False
    moved = engine.previous(state) is not None if previous else engine.go(state, key)
    if moved:
        _store(unit, state)
        unit.save(update_fields=["page", "warned", "updated_at"])
    return moved


@transaction.atomic
def complete(unit_id: int) -> bool:
    """Submit the questionnaire after the review page; a second call changes nothing."""
    unit = _locked_unit(unit_id)
    if unit.status == COMPLETED:
        return False
    if unit.page != REVIEW:
        raise ImportRejected(["Relisez vos réponses avant de les envoyer."])
    engine = engine_for_unit(unit)
    state = unit.state()
    engine.complete(state)
    _store(unit, state)
    unit.completed_at = timezone.now()
    unit.save()
    return True


# --- resume link by e-mail ------------------------------------------------------------------

RESUME_SALT = "recensmart.resume-link"
RESUME_MAX_AGE = 7 * 24 * 3600  # seconds: a week to come back, then the access code
MAX_RESUME_EMAILS_PER_DAY = 3  # per unit: the form must not become a way to send mail to anyone


def email_configured() -> bool:
    """Mail is sent only when the site has a mail setting of its own: an SMTP host from the
    environment (`EMAIL_HOST`), or another backend (the tests' in-memory one). Django's default,
    SMTP on localhost, would fail or vanish silently on most servers."""
    default_backend = settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    return not default_backend or settings.EMAIL_HOST != "localhost"


def resume_token(unit: RespondentUnit) -> str:
    """A signed, dated token naming the unit and bound to its access code: it expires after
    `RESUME_MAX_AGE`, and a new code for the unit voids it. It carries no answer."""
    return signing.dumps([unit.pk, unit.code_hash[:16]], salt=RESUME_SALT, compress=False)


def unit_from_resume_token(token: str) -> RespondentUnit | None:
    try:
        unit_id, code_prefix = signing.loads(token, salt=RESUME_SALT, max_age=RESUME_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):  # SignatureExpired is a BadSignature
        return None
    unit = RespondentUnit.objects.filter(pk=unit_id).only("id", "status", "code_hash").first()
    if unit is None or unit.code_hash[:16] != code_prefix:
        return None
    return unit


def send_resume_link(unit_id: int, email: str, build_url) -> None:
    """E-mail a link to resume the questionnaire to the address the respondent typed.

    `build_url(token)` makes the absolute URL. The message holds no answer and the address is
    not stored. Raises ImportRejected (a French message) when mail is not configured, the daily
    limit is reached or the mail server refuses the message.
    """
    if not email_configured():
        raise ImportRejected(["L'envoi de courriels n'est pas disponible : notez votre code d'accès."])
    unit = respondent_unit(unit_id)
    if unit is None:
        raise ImportRejected(["Questionnaire introuvable : saisissez de nouveau votre code d'accès."])
    key = f"recensmart:resume-emails:{unit.pk}"
    cache.add(key, 0, timeout=24 * 3600)
    try:
        sent = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=24 * 3600)
        sent = 1
    if sent > MAX_RESUME_EMAILS_PER_DAY:
        raise ImportRejected(
            [f"{MAX_RESUME_EMAILS_PER_DAY} liens au plus par jour ont déjà été envoyés : utilisez votre code d'accès."]
        )
    days = RESUME_MAX_AGE // (24 * 3600)
    body = (
        "Bonjour,\n\n"
        f"Pour reprendre le questionnaire « {unit.questionnaire_title} » là où vous vous êtes arrêté, "
        f"ouvrez ce lien, valable {days} jours :\n\n{build_url(resume_token(unit))}\n\n"
        "Vos réponses déjà enregistrées sont conservées ; elles ne figurent pas dans ce message. "
        "Ne transférez pas ce lien : il donne accès à vos réponses. Passé ce délai, utilisez le code "
        "d'accès de votre courrier.\n\n"
        "Si vous n'avez pas demandé ce lien, ignorez ce message.\n"
    )
    try:
        send_mail(f"Reprendre le questionnaire « {unit.questionnaire_title} »", body, None, [email])
    except OSError as exc:  # smtplib errors are OSErrors
        raise ImportRejected(["Le courriel n'a pas pu être envoyé : réessayez plus tard."]) from exc


# --- exports ---------------------------------------------------------------------------------


def export_rows(user, campaign: Campaign) -> tuple[list[str], list[dict]]:
    require_campaign(user, campaign)
    engine = engine_for(campaign.version)
    rows = []
    for unit in campaign.units.exclude(status=RespondentUnit.Status.INIT).order_by("external_id"):
        row = {"identifiant": unit.external_id, "statut": unit.status}
        row.update(flatten(engine.collected(unit.data)))
        rows.append(row)
    order = ["identifiant", "statut", *engine.q.collected()]
    record_event(
        user,
        "recensmart.responses.export",
        service=SERVICE,
        obj=campaign,
        region=campaign.region,
        departement=campaign.departement,
        metadata={"rows": len(rows)},
    )
    return columns(rows, order) if rows else order, rows


def export_csv(user, campaign: Campaign) -> str:
    header, rows = export_rows(user, campaign)
    return csv_text(header, ([_csv_value(row.get(key)) for key in header] for row in rows), delimiter=";")


def _csv_value(value):
    if value is True:
        return "1"
    if value is False:
        return "0"
    return "" if value is None else value


def export_parquet(user, campaign: Campaign) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    header, rows = export_rows(user, campaign)
    arrays = {}
    for column in header:
        values = [row.get(column) for row in rows]
        kinds = {type(v) for v in values if v is not None}
        if kinds <= {bool}:
            arrays[column] = pa.array(values, type=pa.bool_())
        elif kinds <= {int}:
            arrays[column] = pa.array(values, type=pa.int64())
        elif kinds <= {int, float}:
            arrays[column] = pa.array([None if v is None else float(v) for v in values], type=pa.float64())
        else:
            arrays[column] = pa.array([None if v is None else str(v) for v in values], type=pa.string())
    table = pa.table(arrays)
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def export_lunatic(user, campaign: Campaign) -> list[dict]:
    require_campaign(user, campaign)
    engine = engine_for(campaign.version)
    units = list(campaign.units.exclude(status=RespondentUnit.Status.INIT).order_by("external_id"))
    record_event(
        user,
        "recensmart.responses.export",
        service=SERVICE,
        obj=campaign,
        region=campaign.region,
        departement=campaign.departement,
        metadata={"rows": len(units), "format": "lunatic"},
    )
    return [
        {"id": unit.external_id, "status": unit.status, "data": lunatic_data(engine.collected(unit.data))}
        for unit in units
    ]
