"""Champollion use cases: import DSN files, re-run the analysis, inspectors' edits, audited reads.

The stored DSN files are the source of truth: every import re-reads them all, runs the engine
(consolidation → rules → scores) with the inspectors' settings (opening days, poste merges,
corrected end dates) and replaces the serving tables in one transaction, so a failure never
leaves half an analysis. The Parquet tables for DuckDB/Ibis are rewritten alongside.

An inspector's edit is saved and audited at once and queues a job (`champollion.recompute`) that
re-reads only the files telling about the establishment, re-runs its rules and its score
(`recompute_establishments`): the request never waits for the analysis.
"""

import shutil
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from django.db import transaction

from communs.champollion.engine.analysis import Analysis, analyse_consolidated
from communs.champollion.engine.calendars import OpeningCalendar, parse_weekdays
from communs.champollion.engine.consolidation import END_DECLARED, Establishment, consolidate
from communs.champollion.engine.dsn_reader import DsnReader, expand_paths, pseudonymiser
from communs.champollion.engine.rules import RuleContext, run_rules
from communs.champollion.engine.scoring import ALGORITHM_VERSION, WEIGHTS, rescore
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
from communs.core.files import data_dir as core_data_dir
from communs.core.files import sha256_file
from communs.core.scopes import complete_territory, require_scope

SERVICE = "champollion"
BATCH = 1000
Advance = Callable[..., None]


def data_dir() -> Path:
    return core_data_dir(SERVICE)


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
        sha = sha256_file(path)
        if DsnFile.objects.filter(sha256=sha).exists():
            known += 1
        else:
            new.append((path, sha, concerned_sirets(declarations)))
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


def concerned_sirets(declarations) -> list[str]:
    """The establishments a file tells about: its declaring SIRETs and the user establishments of
    the temp workers it declares (their contracts are analysed there)."""
    sirets = {d.siret for d in declarations}
    sirets |= {obs.etu_siret for d in declarations for obs in d.contracts if obs.etu_siret}
    return sorted(sirets)


def _store(new: list[tuple[Path, str, list[str]]], actor) -> list[DsnFile]:
    folder = data_dir() / "dsn"
    stored = []
    with transaction.atomic():
        for path, sha, sirets in new:
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
                    "sirets": sirets,
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


def _calendars(sirets: set[str] | None = None) -> dict[str, OpeningCalendar]:
    calendars = {}
    rows = Etablissement.objects.all() if sirets is None else Etablissement.objects.filter(siret__in=sirets)
    for est in rows:
        calendars[est.siret] = OpeningCalendar(
            weekdays=parse_weekdays(est.weekdays),
            closed_dates=frozenset(date.fromisoformat(d) for d in est.closed_dates),
            holidays_closed=est.holidays_closed,
            departement=est.departement,
        )
    return calendars


def _merges(sirets: set[str] | None = None) -> dict[str, dict[str, str]]:
    merges: dict[str, dict[str, str]] = {}
    rows = PosteFusion.objects.select_related("etablissement")
    if sirets is not None:
        rows = rows.filter(etablissement__siret__in=sirets)
    for fusion in rows:
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
    Constat.objects.bulk_create(_constats(analysis.findings, existing, contract_pk), batch_size=BATCH)
    classement, _ = Classement.objects.get_or_create(
        algorithm_version=ALGORITHM_VERSION, data_month=consolidated.data_month, defaults={"weights": WEIGHTS}
    )
    if classement.weights != WEIGHTS:
        classement.weights = WEIGHTS
        classement.save(update_fields=["weights"])
    classement.scores.all().delete()
    Score.objects.bulk_create(_scores(classement, analysis.scores, existing), batch_size=BATCH)
    try:
        write_parquet(consolidated, data_dir() / "parquet")
    except OSError:  # the serving tables are what matters; Parquet is rewritten next time
        pass
    return _summary(analysis)


def _constats(findings, existing: dict[str, Etablissement], contract_pk: dict[str, int]) -> list[Constat]:
    return [
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
        for f in findings
        if f.siret in existing
    ]


def _scores(classement: Classement, scores, existing: dict[str, Etablissement], first_rank: int = 1) -> list[Score]:
    return [
        Score(
            classement=classement,
            etablissement_id=existing[s.siret].pk,
            rank=first_rank + i,
            risk_score=s.risk_score,
            peer_group=s.peer_group[:60],
            contracts=s.contracts,
            precarious_contracts=s.precarious_contracts,
            findings=s.findings,
            features=s.features,
            reasons=s.reasons,
        )
        for i, s in enumerate(scores)
        if s.siret in existing
    ]


def current_classement() -> Classement | None:
    return Classement.objects.filter(algorithm_version=ALGORITHM_VERSION).order_by("-created_at", "-pk").first()


@transaction.atomic
def recompute_establishments(sirets: Iterable[str], *, advance: Advance | None = None) -> dict:
    """Re-run the rules and the score of these establishments only (an inspector's edit).

    Reads only the stored files that tell about them (`DsnFile.sirets`; a file imported before that
    index existed is read too), replaces their findings and their score in the current ranking
    (against the stored features of their peers) and renumbers the ranking. Contracts are not
    rewritten: an edit changes how they are judged, not what was declared. Without a ranking yet,
    falls back to the full `reanalyse()`.
    """
    sirets = set(sirets)
    advance = advance or (lambda n=1, *, total=None: None)
    classement = current_classement()
    if classement is None:
        return reanalyse()
    paths = [
        path
        for path, concerned in DsnFile.objects.order_by("pk").values_list("path", "sirets")
        if not concerned or sirets & set(concerned)
    ]
    advance(0, total=len(paths) + 1)
    reader = DsnReader(pseudonymise=pseudonymiser(pseudonym_key()))

    def declarations():
        for path in paths:
            yield from reader.iter_file(Path(path))
            advance()

    consolidated = consolidate(declarations())
    contracts = [c for c in consolidated.contracts if c.analysis_siret in sirets]
    ids = [c.contract_id for c in contracts]
    corrections = dict(
        Contrat.objects.filter(contract_id__in=ids)
        .exclude(corrected_end=None)
        .values_list("contract_id", "corrected_end")
    )
    for contract in contracts:
        if corrected := corrections.get(contract.contract_id):
            contract.end, contract.end_status = corrected, END_DECLARED
    data_month = classement.data_month or consolidated.data_month
    ctx = RuleContext(consolidated.establishments, _calendars(sirets), _merges(sirets), data_month)
    findings = run_rules(contracts, ctx)

    existing = {e.siret: e for e in Etablissement.objects.filter(siret__in=sirets)}
    contract_pk = dict(Contrat.objects.filter(contract_id__in=ids).values_list("contract_id", "pk"))
    Constat.objects.filter(etablissement__in=existing.values()).delete()
    Constat.objects.bulk_create(_constats(findings, existing, contract_pk), batch_size=BATCH)

    everyone = {
        e.siret: (e.naf, e.departement, e.region, e.headcount)
        for e in Etablissement.objects.only("siret", "naf", "departement", "region", "headcount")
    }
    region_of = {departement: region for _, departement, region, _ in everyone.values()}.get
    establishments = {
        siret: Establishment(siret, naf=naf, departement=departement, headcount=headcount)
        for siret, (naf, departement, _, headcount) in everyone.items()
    }
    establishments.update({s: consolidated.establishments[s] for s in sirets if s in consolidated.establishments})
    peers = {
        siret: {k: v for k, v in features.items() if k != "precarity_percentile"}
        for siret, features in classement.scores.exclude(etablissement__siret__in=sirets).values_list(
            "etablissement__siret", "features"
        )
    }
    scores = rescore(contracts, findings, establishments, data_month, region_of, peers)
    classement.scores.filter(etablissement__in=existing.values()).delete()
    Score.objects.bulk_create(_scores(classement, scores, existing, first_rank=0))
    ranked = list(classement.scores.order_by("-risk_score", "etablissement__siret").only("pk", "rank"))
    for position, score in enumerate(ranked, start=1):
        score.rank = position
    Score.objects.bulk_update(ranked, ["rank"], batch_size=BATCH)
    advance()
    return {
        "establishments": sorted(sirets),
        "files_read": len(paths),
        "contracts": len(contracts),
        "findings": len(findings),
    }


def start_recompute(user, etablissement: Etablissement):
    """Queue the targeted recompute of one establishment; the caller returns at once."""
    from communs.core.jobs import start_job

    return start_job(
        "champollion.recompute",
        owner=user,
        label=f"Recalcul des règles : {etablissement}",
        sirets=[etablissement.siret],
    )


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


# -- inspectors' edits: saved and audited at once, the establishment's rules re-run in a job -----------
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
    return start_recompute(user, etablissement)


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
    return start_recompute(user, etablissement)


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
    return start_recompute(user, etablissement)
