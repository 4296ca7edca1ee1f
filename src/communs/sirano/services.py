"""SIRANo use cases: establishments and members, projects and schedules, the milestone-to-payment
workflow, results in a registry, and the legacy import. Every write runs in a transaction and every
state change writes an audit event (`sirano.<object>.<verb>`).

Who does what:
- a DGOS administrator (role `sirano:gestionnaire`, national) validates, rejects and pays tranches,
  imports the legacy and sees every project;
- an establishment user (role `sirano:etablissement`, member of the establishment by its FINESS)
  declares milestones with evidence, requests tranches and records results for their
  establishment's projects only.
"""

import hashlib
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from communs.core.audit import record_event
from communs.core.models import ScopeLevel
from communs.core.roles import grant_role
from communs.core.scopes import complete_territory, scope_for
from communs.core.uploads import UploadPolicy
from communs.sirano.engine.identifiers import PROGRAMMES, ProjectKey, normalise_registry_ids
from communs.sirano.engine.legacy import Existing, ImportPlan, consolidate, read_workbook
from communs.sirano.engine.milestones import MILESTONE_BY_CODE, MILESTONES, required_documents
from communs.sirano.engine.schedules import DEFAULT_SCHEDULE_ROWS, Schedule, ScheduleError
from communs.sirano.models import (
    Establishment,
    Evidence,
    FundingSchedule,
    ImportRun,
    Milestone,
    Payment,
    Programme,
    Project,
    Tranche,
    TrancheState,
)

SERVICE = "sirano"
ADMIN = "gestionnaire"
ESTABLISHMENT = "etablissement"
ROLES = {
    ADMIN: "Gestionnaire DGOS (national) : valide, refuse et verse les tranches, importe l'historique",
    ESTABLISHMENT: "Établissement (DRCI, investigateurs) : déclare les jalons et demande les tranches",
}
EVIDENCE_POLICY = UploadPolicy(
    label="justificatif (PDF, PNG ou JPEG)",
    extensions=frozenset({".pdf", ".png", ".jpg", ".jpeg"}),
    max_bytes=10 * 1024 * 1024,
    signatures=(b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"),
)
XLSX_POLICY = UploadPolicy(
    label="classeur XLSX", extensions=frozenset({".xlsx"}), max_bytes=30 * 1024 * 1024, signatures=(b"PK\x03\x04",)
)
CSV_POLICY = UploadPolicy(label="fichier CSV", extensions=frozenset({".csv"}), max_bytes=30 * 1024 * 1024, text=True)
RESULTS_MISSING = "résultats non publiés dans un registre"
REMINDER_DAYS = 30


class WorkflowError(ValidationError):
    """A request or decision the workflow refuses; the message says why, in French."""


# --- Rights ---------------------------------------------------------------------------------------


def is_admin(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or scope_for(user, SERVICE, roles=[ADMIN]).national


def establishments_of(user) -> list[str]:
    if not (user and user.is_authenticated and user.is_active):
        return []
    return list(user.sirano_establishments.values_list("finess", flat=True))


def can_act_for(user, project: Project) -> bool:
    """Establishment members act for their establishment's projects (administrators decide, not request)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.sirano_establishments.filter(finess=project.establishment_id).exists() or user.is_superuser


def can_see(user, project: Project) -> bool:
    return is_admin(user) or can_act_for(user, project)


def require_admin(user) -> None:
    if not is_admin(user):
        raise PermissionDenied("Réservé aux gestionnaires de la DGOS.")


def require_act_for(user, project: Project) -> None:
    if not can_act_for(user, project):
        raise PermissionDenied(f"Le projet {project.identifier} ne relève pas de votre établissement.")


def _territory(project_or_establishment) -> dict:
    establishment = getattr(project_or_establishment, "establishment", project_or_establishment)
    return {"region": establishment.region, "departement": establishment.departement, "commune": establishment.commune}


# --- Reference data -------------------------------------------------------------------------------


def ensure_programmes() -> None:
    for code, (label, publishes) in PROGRAMMES.items():
        Programme.objects.get_or_create(code=code, defaults={"label": label, "publishes_investigator": publishes})


def schedule_for(programme: str, year: int) -> Schedule:
    row = FundingSchedule.objects.filter(programme_id=programme, year=year).first()
    return Schedule.from_rows([tuple(item) for item in row.tranches] if row else DEFAULT_SCHEDULE_ROWS)


@transaction.atomic
def set_schedule(user, programme: str, year: int, rows: list[tuple[str, str]]) -> FundingSchedule:
    """Set a programme's schedule for a campaign (projects already created keep theirs)."""
    require_admin(user)
    try:
        schedule = Schedule.from_rows(rows)
    except ScheduleError as exc:
        raise ValidationError(str(exc)) from exc
    ensure_programmes()
    saved, _ = FundingSchedule.objects.update_or_create(
        programme_id=programme, year=year, defaults={"tranches": schedule.as_rows()}
    )
    record_event(user, "sirano.schedule.set", service=SERVICE, obj=saved, metadata={"tranches": schedule.as_rows()})
    return saved


@transaction.atomic
def upsert_establishment(finess: str, name: str, commune: str = "") -> Establishment:
    region, departement, commune = complete_territory(commune=commune or None)
    establishment, created = Establishment.objects.get_or_create(
        finess=finess, defaults={"name": name, "commune": commune, "departement": departement, "region": region}
    )
    if not created and commune and establishment.commune != commune:
        establishment.commune, establishment.departement, establishment.region = commune, departement, region
        establishment.save(update_fields=["commune", "departement", "region"])
    return establishment


@transaction.atomic
def add_member(user, establishment: Establishment, *, granted_by=None) -> None:
    """Make `user` act for `establishment`: membership (the FINESS scope) and the role's group."""
    establishment.members.add(user)
    if establishment.commune:
        level, code = ScopeLevel.COMMUNE, establishment.commune
    elif establishment.departement:
        level, code = ScopeLevel.DEPARTEMENT, establishment.departement
    else:
        level, code = ScopeLevel.NATIONAL, ""
    if level == ScopeLevel.NATIONAL:
        raise ValidationError(f"{establishment} n'a pas de commune : impossible de rattacher un utilisateur.")
    grant_role(user, SERVICE, ESTABLISHMENT, level, code, granted_by=granted_by, reason=f"FINESS {establishment.pk}")
    record_event(
        granted_by, "sirano.member.add", service=SERVICE, obj=establishment, metadata={"user": user.get_username()},
        **_territory(establishment),
    )  # fmt: skip


# --- Projects -------------------------------------------------------------------------------------


def create_project(
    key: ProjectKey,
    *,
    establishment: Establishment,
    award_cents: int,
    raw_identifiers: list[str],
    planned: dict[str, date] | None = None,
    actor=None,
    audit: bool = True,
    **fields,
) -> Project:
    """A project with its tranches (from the programme's schedule for the campaign) and milestones."""
    schedule = schedule_for(key.programme, key.year)
    project = Project.objects.create(
        identifier=key.canonical,
        programme_id=key.programme,
        year=key.year,
        number=key.number,
        raw_identifiers=raw_identifiers,
        establishment=establishment,
        award_cents=award_cents,
        **fields,
    )
    Tranche.objects.bulk_create(
        Tranche(project=project, rank=t.rank, milestone=t.milestone, percent=t.percent, amount_cents=t.cents)
        for t in schedule.amounts(award_cents)
    )
    planned = planned or {}
    if project.notified_on:
        planned.setdefault("notification", project.notified_on)
    Milestone.objects.bulk_create(
        Milestone(
            project=project,
            kind=m.code,
            planned_on=planned.get(m.code),
            declared_on=project.notified_on if m.code == "notification" else None,
            delay_days=0 if m.code == "notification" and project.notified_on else None,
        )
        for m in MILESTONES
    )
    if audit:
        record_event(actor, "sirano.project.create", service=SERVICE, obj=project, **_territory(establishment))
    return project


@transaction.atomic
def record_results(user, project: Project, registry_id: str, results_posted_on: date | None) -> Project:
    """The establishment records the registry id and the date results were posted there."""
    require_act_for(user, project)
    ids = normalise_registry_ids(registry_id)
    if registry_id and not ids:
        raise ValidationError(f"« {registry_id} » n'est pas un identifiant de registre reconnu (NCT…, EU CT…).")
    if results_posted_on and results_posted_on > timezone.localdate():
        raise ValidationError("La date de publication des résultats ne peut pas être dans le futur.")
    project.registry_ids = list(dict.fromkeys([*project.registry_ids, *ids]))
    if results_posted_on:
        project.results_posted_on = results_posted_on
    project.save(update_fields=["registry_ids", "results_posted_on"])
    record_event(
        user, "sirano.project.results", service=SERVICE, obj=project, **_territory(project),
        metadata={"registry_ids": project.registry_ids, "results_posted_on": str(project.results_posted_on or "")},
    )  # fmt: skip
    return project


# --- Workflow -------------------------------------------------------------------------------------


def final_tranche_blocker(project: Project) -> str | None:
    """Why the last tranche cannot be released yet, or None."""
    if not project.registry_ids or not project.results_posted_on:
        return RESULTS_MISSING
    return None


def is_final(tranche: Tranche) -> bool:
    last = Tranche.objects.filter(project_id=tranche.project_id).order_by("-rank").values_list("rank", flat=True)[0]
    return tranche.rank == last


def missing_documents(milestone: Milestone, uploads: dict) -> list[tuple[str, str]]:
    have = set(milestone.evidence.values_list("document", flat=True)) | {k for k, v in uploads.items() if v}
    return [(code, label) for code, label in required_documents(milestone.kind) if code not in have]


def request_blockers(tranche: Tranche, reached_on: date | None, today: date) -> list[str]:
    """Everything that prevents requesting `tranche` now (empty: the request may be submitted)."""
    problems = []
    label = MILESTONE_BY_CODE[tranche.milestone].label
    if tranche.state not in (TrancheState.PLANNED, TrancheState.REJECTED):
        problems.append(f"La tranche {tranche.rank} est déjà {tranche.get_state_display()}.")
    earlier = Tranche.objects.filter(project_id=tranche.project_id, rank__lt=tranche.rank).exclude(
        state__in=[TrancheState.VALIDATED, TrancheState.PAID]
    )
    if earlier.exists():
        ranks = ", ".join(f"T{rank}" for rank in earlier.values_list("rank", flat=True))
        problems.append(f"Les tranches précédentes ({ranks}) doivent d'abord être validées.")
    if reached_on is None:
        problems.append(f"Jalon « {label} » non atteint : indiquez la date à laquelle il l'a été.")
    elif reached_on > today:
        problems.append(f"Jalon « {label} » non atteint : la date indiquée est dans le futur.")
    if is_final(tranche):
        blocker = final_tranche_blocker(Project.objects.get(pk=tranche.project_id))
        if blocker:
            problems.append(f"Dernière tranche bloquée : {blocker}.")
    return problems


def _store_evidence(user, milestone: Milestone, document: str, upload) -> Evidence:
    EVIDENCE_POLICY.validate(upload)
    upload.seek(0)
    content = upload.read()
    evidence = Evidence(
        milestone=milestone,
        document=document,
        original_name=upload.name[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
    )
    evidence.file.save(f"{milestone.project.identifier}-{document}.bin", ContentFile(content), save=False)
    evidence.save()
    return evidence


@transaction.atomic
def open_evidence(user, evidence: Evidence):
    """The file of a piece of evidence, for those who see the project; the read is audited."""
    project = evidence.milestone.project
    if not can_see(user, project):
        raise PermissionDenied(f"Le projet {project.identifier} ne relève pas de votre périmètre.")
    record_event(user, "sirano.evidence.view", service=SERVICE, obj=evidence, **_territory(project))
    return evidence.file.open("rb")


@transaction.atomic
def request_tranche(user, tranche: Tranche, reached_on: date | None, uploads: dict, *, today: date | None = None):
    """Declare the tranche's milestone with its evidence and submit the request (PLANNED|REJECTED → SUBMITTED)."""
    project = tranche.project
    require_act_for(user, project)
    today = today or timezone.localdate()
    problems = request_blockers(tranche, reached_on, today)
    milestone = project.milestones.get(kind=tranche.milestone)
    missing = missing_documents(milestone, uploads)
    if missing:
        problems.append("Pièce(s) manquante(s) : " + ", ".join(label for _, label in missing) + ".")
    if problems:
        raise WorkflowError(problems)
    for document, upload in uploads.items():
        if upload:
            _store_evidence(user, milestone, document, upload)
    delay = (reached_on - milestone.planned_on).days if milestone.planned_on else None
    Milestone.objects.filter(pk=milestone.pk).update(declared_on=reached_on, declared_by=user, delay_days=delay)
    updated = Tranche.objects.filter(pk=tranche.pk, state__in=[TrancheState.PLANNED, TrancheState.REJECTED]).update(
        state=TrancheState.SUBMITTED, requested_at=timezone.now(), requested_by=user, reason=""
    )
    if updated != 1:
        raise WorkflowError("Cette tranche vient d'être demandée par ailleurs.")
    record_event(
        user, "sirano.tranche.request", service=SERVICE, obj=tranche, **_territory(project),
        metadata={"rank": tranche.rank, "milestone": tranche.milestone, "reached_on": reached_on.isoformat()},
    )  # fmt: skip
    tranche.refresh_from_db()
    return tranche


def _transition(user, tranche: Tranche, source: str, target: str, action: str, *, reason: str = "") -> Tranche:
    """The conditional UPDATE that makes a decision happen once: 0 rows updated → someone else decided."""
    updated = Tranche.objects.filter(pk=tranche.pk, state=source).update(
        state=target, decided_at=timezone.now(), decided_by=user, reason=reason
    )
    if updated != 1:
        current = Tranche.objects.get(pk=tranche.pk)
        raise WorkflowError(
            f"Tranche {tranche.rank} de {tranche.project.identifier} déjà traitée "
            f"(état : {current.get_state_display()})."
        )
    record_event(
        user, action, service=SERVICE, obj=tranche, reason=reason, **_territory(tranche.project),
        metadata={"rank": tranche.rank, "from": source, "to": target, "amount_cents": tranche.amount_cents},
    )  # fmt: skip
    tranche.refresh_from_db()
    return tranche


@transaction.atomic
def validate_tranche(user, tranche: Tranche) -> Tranche:
    require_admin(user)
    if is_final(tranche):
        blocker = final_tranche_blocker(Project.objects.get(pk=tranche.project_id))
        if blocker:
            raise WorkflowError(f"Dernière tranche bloquée : {blocker}.")
    return _transition(user, tranche, TrancheState.SUBMITTED, TrancheState.VALIDATED, "sirano.tranche.validate")


@transaction.atomic
def reject_tranche(user, tranche: Tranche, reason: str) -> Tranche:
    require_admin(user)
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("Le motif du refus est obligatoire.")
    return _transition(
        user, tranche, TrancheState.SUBMITTED, TrancheState.REJECTED, "sirano.tranche.reject", reason=reason
    )


@transaction.atomic
def pay_tranche(user, tranche: Tranche) -> Tranche:
    """VALIDATED → PAID, and the one Payment row the database allows per tranche."""
    require_admin(user)
    if is_final(tranche) and final_tranche_blocker(Project.objects.get(pk=tranche.project_id)):
        raise WorkflowError(f"Dernière tranche bloquée : {RESULTS_MISSING}.")
    tranche = _transition(user, tranche, TrancheState.VALIDATED, TrancheState.PAID, "sirano.tranche.pay")
    try:
        with transaction.atomic():
            Payment.objects.create(tranche=tranche, amount_cents=tranche.amount_cents, paid_by=user)
    except IntegrityError as exc:
        raise WorkflowError(f"La tranche {tranche.rank} a déjà été versée.") from exc
    return tranche


# --- Legacy import --------------------------------------------------------------------------------


def check_import_upload(upload) -> None:
    name = (upload.name or "").lower()
    (XLSX_POLICY if name.endswith(".xlsx") else CSV_POLICY).validate(upload)


def plan_import(files: list[tuple[str, bytes]], mapping: dict[str, str] | None) -> ImportPlan:
    """Read and consolidate every file into one plan (no write)."""
    sheets = [sheet for name, data in files for sheet in read_workbook(name, data)]
    existing = {
        identifier: Existing(award, list(raw))
        for identifier, award, raw in Project.objects.values_list("identifier", "award_cents", "raw_identifiers")
    }
    establishments = dict(Establishment.objects.values_list("finess", "name"))
    return consolidate(sheets, mapping, existing=existing, establishments=establishments)


def import_legacy(
    user, files: list[tuple[str, bytes]], mapping: dict[str, str] | None = None, *, dry_run: bool = False
) -> ImportPlan:
    """All or nothing: the plan is written in one transaction only when no row is rejected or in conflict."""
    if user is not None:
        require_admin(user)
    plan = plan_import(files, mapping)
    applied = plan.ok and not dry_run
    with transaction.atomic():
        if applied:
            _apply(user, plan)
        run = ImportRun.objects.create(
            file_name=", ".join(name for name, _ in files)[:255],
            applied=applied,
            report=plan.report(),
            created_by=user,
        )
        record_event(
            user, "sirano.import.apply" if applied else "sirano.import.check", service=SERVICE, obj=run,
            metadata={key: value for key, value in plan.report().items() if key in ("rows", "created", "merged")},
        )  # fmt: skip
    return plan


def _apply(user, plan: ImportPlan) -> None:
    """Write the plan in bulk (one audit event for the import, written by the caller)."""
    ensure_programmes()
    for finess, name in plan.new_establishments.items():
        Establishment.objects.get_or_create(finess=finess, defaults={"name": name})
    schedules: dict[tuple[str, int], Schedule] = {}
    new = [record for record in plan.records.values() if not record.exists]
    for record in plan.records.values():
        if record.exists:
            project = Project.objects.select_for_update().get(identifier=record.key.canonical)
            changed = [raw for raw in record.raw_ids if raw not in project.raw_identifiers]
            if changed:
                project.raw_identifiers = [*project.raw_identifiers, *changed]
                project.save(update_fields=["raw_identifiers"])
    projects = Project.objects.bulk_create(
        [
            Project(
                identifier=record.key.canonical,
                programme_id=record.key.programme,
                year=record.key.year,
                number=record.key.number,
                raw_identifiers=record.raw_ids,
                establishment_id=record.finess,
                award_cents=record.award_cents,
                investigator=record.investigator[:200],
                acronym=record.acronym,
                title=record.title,
                registry_ids=record.registry_ids,
                dois=record.dois,
                notified_on=record.notified_on,
                results_posted_on=record.results_posted_on,
            )
            for record in new
        ],
        batch_size=500,
    )
    tranches, milestones = [], []
    for project, record in zip(projects, new, strict=True):
        key = (record.key.programme, record.key.year)
        if key not in schedules:
            schedules[key] = schedule_for(*key)
        tranches += [
            Tranche(project=project, rank=t.rank, milestone=t.milestone, percent=t.percent, amount_cents=t.cents)
            for t in schedules[key].amounts(record.award_cents)
        ]
        planned = dict(record.planned)
        if record.notified_on:
            planned.setdefault("notification", record.notified_on)
        milestones += [
            Milestone(
                project=project,
                kind=m.code,
                planned_on=planned.get(m.code),
                declared_on=record.notified_on if m.code == "notification" else None,
                delay_days=0 if m.code == "notification" and record.notified_on else None,
            )
            for m in MILESTONES
        ]
    Tranche.objects.bulk_create(tranches, batch_size=1000)
    Milestone.objects.bulk_create(milestones, batch_size=1000)


def refresh_delays(milestones) -> int:
    """Recompute the stored delay of declared milestones after a bulk change of dates (demo, bench)."""
    changed = []
    for milestone in milestones.filter(declared_on__isnull=False, planned_on__isnull=False).only(
        "pk", "planned_on", "declared_on"
    ):
        milestone.delay_days = (milestone.declared_on - milestone.planned_on).days
        changed.append(milestone)
    Milestone.objects.bulk_update(changed, ["delay_days"], batch_size=1000)
    return len(changed)


# --- Reminders ------------------------------------------------------------------------------------


def send_reminders(within_days: int = REMINDER_DAYS, *, email: bool = False, today: date | None = None):
    """Milestones due within `within_days` (or overdue), grouped by establishment; e-mailed when asked."""
    from collections import defaultdict
    from datetime import timedelta

    from django.conf import settings
    from django.core.mail import send_mail

    today = today or timezone.localdate()
    due = (
        Milestone.objects.filter(
            declared_on__isnull=True, planned_on__isnull=False, planned_on__lte=today + timedelta(days=within_days)
        )
        .select_related("project__establishment")
        .order_by("planned_on")
    )
    rows, by_establishment = [], defaultdict(list)
    for milestone in due:
        row = {
            "project": milestone.project.identifier,
            "finess": milestone.project.establishment_id,
            "milestone": milestone.kind,
            "planned_on": milestone.planned_on.isoformat(),
        }
        rows.append(row)
        by_establishment[milestone.project.establishment].append(row)
    sent = 0
    if email:
        for establishment, items in by_establishment.items():
            recipients = [m.email for m in establishment.members.filter(is_active=True) if m.email]
            if not recipients:
                continue
            lines = [
                f"- {item['project']} : {MILESTONE_BY_CODE[item['milestone']].label}, prévu le {item['planned_on']}"
                for item in items
            ]
            send_mail(
                "SIRANo : jalons à échéance",
                "Les jalons suivants arrivent à échéance ou sont en retard :\n" + "\n".join(lines),
                settings.DEFAULT_FROM_EMAIL,
                recipients,
            )
            sent += 1
    return sent, rows
