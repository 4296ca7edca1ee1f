"""Champollion use cases: import DSN files, re-run the analysis, inspectors' edits, audited reads.

The stored DSN files are the source of truth: every import or edit re-reads them all, runs the
engine (consolidation → rules → scores) with the inspectors' settings (opening days, poste
merges, corrected end dates) and replaces the serving tables in one transaction, so a failure
never leaves half an analysis. The Parquet tables for DuckDB/Ibis are rewritten alongside.
"""

import hashlib
import shutil
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from communs.champollion.engine.analysis import Analysis, analyse_consolidated
from communs.champollion.engine.calendars import OpeningCalendar, parse_weekdays
from communs.champollion.engine.consolidation import END_DECLARED, consolidate
from communs.champollion.engine.dsn_reader import DsnReader, expand_paths, pseudonymiser
from communs.champollion.engine.scoring import ALGORITHM_VERSION, WEIGHTS
from communs.champollion.engine.storage import write_parquet
from communs.champollion.keys import pseudonym_key
from communs.champollion.models import (
    Classement,
    Constat,
    Contrat,
    DsnFile,
    Etablissement,
    PosteFusion,
    Salarie,
    Score,
)
from communs.core.audit import record_event
from communs.core.scopes import complete_territory, require_scope

SERVICE = "champollion"
BATCH = 1000
Advance = Callable[..., None]


def data_dir() -> Path:
    return Path(settings.DATA_DIR) / "champollion"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_paths(paths: Iterable[Path | str], *, actor=None, advance: Advance | None = None) -> dict:
    """Import DSN files or folders: check them, keep the new ones, re-run the analysis.

    Idempotent: a file already imported (same content) is skipped and the result is unchanged.
    Returns a report with per-line issues (file, line, rubric, message) and counts.
    """
    advance = advance or (lambda n=1, *, total=None: None)
    files = expand_paths(paths)
    advance(0, total=len(files) + 1)
    check = DsnReader(pseudonymise=pseudonymiser(b"check-only"))
    new, known, rejected = [], 0, []
    for path in files:
        before = len(check.issues)
        declarations = list(check.iter_file(path))
        if not declarations:
            rejected.append(path.name)
            if len(check.issues) == before:
                check.issues.append(_no_declaration_issue(path))
            advance()
            continue
        sha = _sha256(path)
        if DsnFile.objects.filter(sha256=sha).exists():
            known += 1
        else:
            new.append((path, sha))
        advance()
    with transaction.atomic():  # registering the files and the analysis they feed stand or fall together
        stored = _store(new, actor)
        result = reanalyse(actor=actor) if stored else _summary()
    advance()
    return {
        "files": len(files),
        "new_files": len(stored),
        "known_files": known,
        "rejected_files": rejected,
        "lines": check.lines,
        "issues": [issue.as_dict() for issue in check.issues],
        **result,
    }


def _no_declaration_issue(path: Path):
    from communs.champollion.engine.dsn_reader import ReadIssue

    return ReadIssue(path.name, 0, "", "aucune déclaration DSN lisible dans ce fichier")


def _store(new: list[tuple[Path, str]], actor) -> list[DsnFile]:
    folder = data_dir() / "dsn"
    stored = []
    with transaction.atomic():
        for path, sha in new:
            target = folder / sha[:2] / f"{sha}.dsn"
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                shutil.copyfile(path, target)
            row, created = DsnFile.objects.get_or_create(
                sha256=sha,
                defaults={
                    "name": path.name[:255],
                    "path": str(target),
                    "size": target.stat().st_size,
                    "imported_by": actor if getattr(actor, "is_authenticated", False) else None,
                },
            )
            if created:
                stored.append(row)
        if stored and getattr(actor, "is_authenticated", False):  # command-line imports: DsnFile rows are the trace
            record_event(
                actor,
                "champollion.dsn.import",
                service=SERVICE,
                object_type="champollion.dsnfile",
                metadata={"files": [f.name for f in stored]},
            )
    return stored


def _calendars() -> dict[str, OpeningCalendar]:
    calendars = {}
    for est in Etablissement.objects.all():
        calendars[est.siret] = OpeningCalendar(
            weekdays=parse_weekdays(est.weekdays),
            closed_dates=frozenset(date.fromisoformat(d) for d in est.closed_dates),
            holidays_closed=est.holidays_closed,
            departement=est.departement,
        )
    return calendars


def _merges() -> dict[str, dict[str, str]]:
    merges: dict[str, dict[str, str]] = {}
    for fusion in PosteFusion.objects.select_related("etablissement"):
        merges.setdefault(fusion.etablissement.siret, {})[fusion.source] = fusion.target
    return merges


def _region_of(departement: str) -> str | None:
    return complete_territory(departement=departement)[0] or None


def run_analysis() -> Analysis:
    """Engine run over every stored file with the inspectors' settings (no database write)."""
    paths = list(DsnFile.objects.values_list("path", flat=True))
    reader = DsnReader(pseudonymise=pseudonymiser(pseudonym_key()))
    consolidated = consolidate(reader.iter_declarations(paths))
    corrections = dict(Contrat.objects.exclude(corrected_end=None).values_list("contract_id", "corrected_end"))
    for contract in consolidated.contracts:
        corrected = corrections.get(contract.contract_id)
        if corrected:
            contract.end, contract.end_status = corrected, END_DECLARED
    return analyse_consolidated(
        consolidated,
        calendars=_calendars(),
        poste_merges=_merges(),
        region_of=_region_of,
        issues=reader.issues,
        lines=reader.lines,
        files=reader.files,
    )


@transaction.atomic
def reanalyse(*, actor=None) -> dict:
    """Re-run the engine and replace contracts, findings and the current ranking."""
    analysis = run_analysis()
    consolidated = analysis.consolidated
    corrections = dict(Contrat.objects.exclude(corrected_end=None).values_list("contract_id", "corrected_end"))
    existing = {e.siret: e for e in Etablissement.objects.all()}
    for siret, est in consolidated.establishments.items():
        region = _region_of(est.departement) or ""
        values = {
            "siren": siret[:9],
            "name": est.name[:200],
            "naf": est.naf,
            "postal_code": est.postal_code,
            "departement": est.departement,
            "region": region,
            "idcc": est.idcc[:4],
            "headcount": est.headcount,
            "declares": est.declares,
            "first_month": est.months[0] if est.months else None,
            "last_month": est.months[-1] if est.months else None,
        }
        row = existing.get(siret)
        if row is None:
            existing[siret] = Etablissement.objects.create(siret=siret, **values)
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.save(update_fields=list(values))
    people = {}
    for contract in consolidated.contracts:
        people.setdefault(contract.individual, (contract.nom, contract.prenoms))
    known = set(Salarie.objects.filter(pseudonym__in=people).values_list("pseudonym", flat=True))
    Salarie.objects.bulk_create(
        [Salarie(pseudonym=p, nom=n[:80], prenoms=f[:80]) for p, (n, f) in people.items() if p not in known],
        batch_size=BATCH,
    )
    salaries = dict(Salarie.objects.filter(pseudonym__in=people).values_list("pseudonym", "pk"))
    Constat.objects.all().delete()
    Contrat.objects.all().delete()
    rows = [
        Contrat(
            contract_id=c.contract_id,
            etablissement_id=existing[c.siret].pk,
            etablissement_analyse_id=existing[c.analysis_siret].pk
            if c.analysis_siret in existing
            else existing[c.siret].pk,
            salarie_id=salaries[c.individual],
            numero=c.numero[:20],
            nature=c.nature[:2],
            motif=c.motif[:2],
            poste=c.poste[:120],
            libelle=c.libelle[:120],
            start=c.start,
            end=c.end,
            end_status=c.end_status,
            end_motif=c.end_motif[:3],
            expected_end=c.expected_end,
            renewals=len(c.renewals),
            previous_numeros=c.previous_numeros,
            months=len(c.months),
            corrected_end=corrections.get(c.contract_id),
        )
        for c in consolidated.contracts
    ]
    Contrat.objects.bulk_create(rows, batch_size=BATCH)
    contract_pk = dict(Contrat.objects.values_list("contract_id", "pk"))
    Constat.objects.bulk_create(
        [
            Constat(
                etablissement_id=existing[f.siret].pk,
                contrat_id=contract_pk[f.contract_id],
                contrat_precedent_id=contract_pk.get(f.previous_contract_id) if f.previous_contract_id else None,
                rule=f.rule,
                rule_version=f.rule_version,
                status=f.status,
                poste=f.poste[:120],
                article=f.article,
                first_legal_day=f.first_legal_day,
                confidence=f.confidence,
                legislation=f.legislation,
                explanation=f.explanation,
                evidence=f.as_dict()["evidence"],
            )
            for f in analysis.findings
            if f.siret in existing
        ],
        batch_size=BATCH,
    )
    classement, _ = Classement.objects.get_or_create(
        algorithm_version=ALGORITHM_VERSION, data_month=consolidated.data_month, defaults={"weights": WEIGHTS}
    )
    if classement.weights != WEIGHTS:
        classement.weights = WEIGHTS
        classement.save(update_fields=["weights"])
    classement.scores.all().delete()
    Score.objects.bulk_create(
        [
            Score(
                classement=classement,
                etablissement_id=existing[s.siret].pk,
                rank=i + 1,
                risk_score=s.risk_score,
                peer_group=s.peer_group[:60],
                contracts=s.contracts,
                precarious_contracts=s.precarious_contracts,
                findings=s.findings,
                features=s.features,
                reasons=s.reasons,
            )
            for i, s in enumerate(analysis.scores)
            if s.siret in existing
        ],
        batch_size=BATCH,
    )
    try:
        write_parquet(consolidated, data_dir() / "parquet")
    except OSError:  # the serving tables are what matters; Parquet is rewritten next time
        pass
    return _summary(analysis)


def _summary(analysis: Analysis | None = None) -> dict:
    return {
        "establishments": Etablissement.objects.count(),
        "contracts": Contrat.objects.count(),
        "findings": Constat.objects.count(),
        "data_month": analysis.consolidated.data_month.isoformat()
        if analysis and analysis.consolidated.data_month
        else None,
    }


# -- audited nominative reads ---------------------------------------------------------------------
def view_contracts(user, etablissement: Etablissement, *, reason: str = "", action: str = "champollion.contrat.view"):
    """The establishment's contracts with names: only within the user's scope; every access is logged."""
    require_scope(user, SERVICE, record=etablissement)
    record_event(
        user, action, service=SERVICE, obj=etablissement, departement=etablissement.departement, reason=reason
    )
    return Contrat.objects.filter(etablissement_analyse=etablissement).select_related("salarie", "etablissement")


# -- inspectors' edits (each re-runs the analysis) ---------------------------------------------------
@transaction.atomic
def update_calendar(
    user, etablissement: Etablissement, *, weekdays: str, closed_dates: list[date], holidays_closed: bool
) -> dict:
    require_scope(user, SERVICE, record=etablissement)
    parse_weekdays(weekdays)
    etablissement.weekdays = weekdays
    etablissement.closed_dates = sorted(d.isoformat() for d in closed_dates)
    etablissement.holidays_closed = holidays_closed
    etablissement.save(update_fields=["weekdays", "closed_dates", "holidays_closed"])
    record_event(
        user,
        "champollion.calendrier.update",
        service=SERVICE,
        obj=etablissement,
        departement=etablissement.departement,
        metadata={
            "weekdays": weekdays,
            "closed_dates": etablissement.closed_dates,
            "holidays_closed": holidays_closed,
        },
    )
    return reanalyse(actor=user)


@transaction.atomic
def merge_postes(user, etablissement: Etablissement, source: str, target: str) -> dict:
    require_scope(user, SERVICE, record=etablissement)
    if source == target:
        raise ValueError("Un poste ne peut pas être fusionné avec lui-même.")
    PosteFusion.objects.update_or_create(
        etablissement=etablissement, source=source, defaults={"target": target, "created_by": user}
    )
    record_event(
        user,
        "champollion.poste.merge",
        service=SERVICE,
        obj=etablissement,
        departement=etablissement.departement,
        metadata={"source": source, "target": target},
    )
    return reanalyse(actor=user)


@transaction.atomic
def correct_end(user, contrat: Contrat, corrected_end: date | None, reason: str = "") -> dict:
    etablissement = contrat.etablissement_analyse
    require_scope(user, SERVICE, record=etablissement)
    contrat.corrected_end = corrected_end
    contrat.save(update_fields=["corrected_end"])
    record_event(
        user,
        "champollion.contrat.correct",
        service=SERVICE,
        obj=contrat,
        departement=etablissement.departement,
        reason=reason,
        metadata={"corrected_end": corrected_end.isoformat() if corrected_end else None},
    )
    return reanalyse(actor=user)
