"""The whole engine in one call: read DSN files → consolidate → rules → targeting scores.

Used by `communs champollion analyse` (no database) and by the import service.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from communs.champollion.engine.calendars import OpeningCalendar
from communs.champollion.engine.consolidation import Consolidated, Contract, consolidate
from communs.champollion.engine.dsn_reader import DsnReader, ReadIssue, pseudonymiser
from communs.champollion.engine.rules import Finding, RuleContext, run_rules
from communs.champollion.engine.scoring import ALGORITHM_VERSION, WEIGHTS, EstablishmentScore, score_establishments


@dataclass
class Analysis:
    consolidated: Consolidated
    findings: list[Finding]
    scores: list[EstablishmentScore]
    issues: list[ReadIssue]
    lines: int
    files: int


def analyse_paths(
    paths: Iterable[Path | str],
    *,
    key: bytes,
    calendars: dict[str, OpeningCalendar] | None = None,
    poste_merges: dict[str, dict[str, str]] | None = None,
    region_of: Callable[[str], str | None] | None = None,
    on_declaration: Callable[[], None] | None = None,
) -> Analysis:
    reader = DsnReader(pseudonymise=pseudonymiser(key))

    def declarations():
        for decl in reader.iter_declarations(paths):
            if on_declaration:
                on_declaration()
            yield decl

    consolidated = consolidate(declarations())
    return analyse_consolidated(
        consolidated,
        calendars=calendars,
        poste_merges=poste_merges,
        region_of=region_of,
        issues=reader.issues,
        lines=reader.lines,
        files=reader.files,
    )


def analyse_consolidated(
    consolidated: Consolidated,
    *,
    calendars=None,
    poste_merges=None,
    region_of=None,
    issues=(),
    lines=0,
    files=0,
) -> Analysis:
    ctx = RuleContext(consolidated.establishments, calendars, poste_merges, consolidated.data_month)
    findings = run_rules(consolidated.contracts, ctx)
    scores = score_establishments(
        consolidated.contracts, findings, consolidated.establishments, consolidated.data_month, region_of
    )
    return Analysis(consolidated, findings, scores, list(issues), lines, files)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def contract_as_dict(contract: Contract) -> dict:
    """A contract without names: the individual is the pseudonymous key only."""
    return {
        "contract": contract.numero,
        "contract_id": contract.contract_id,
        "siret": contract.siret,
        "analysis_siret": contract.analysis_siret,
        "individual": contract.individual,
        "nature": contract.nature,
        "motif": contract.motif,
        "poste": contract.poste,
        "libelle": contract.libelle,
        "start": _iso(contract.start),
        "end": _iso(contract.end),
        "end_status": contract.end_status,
        "end_motif": contract.end_motif,
        "expected_end": _iso(contract.expected_end),
        "renewals": len(contract.renewals),
        "previous_numeros": contract.previous_numeros,
        "months": len(contract.months),
    }


def analysis_as_dict(analysis: Analysis) -> dict:
    consolidated = analysis.consolidated
    return {
        "contracts": [contract_as_dict(c) for c in consolidated.contracts],
        "findings": [f.as_dict() for f in analysis.findings],
        "establishments": [s.as_dict() for s in analysis.scores],
        "issues": [i.as_dict() for i in analysis.issues],
        "summary": {
            "files": analysis.files,
            "lines": analysis.lines,
            "declarations_read": consolidated.declarations_read,
            "declarations_kept": consolidated.declarations_kept,
            "declarations_discarded": [{**d, "month": _iso(d["month"])} for d in consolidated.declarations_discarded],
            "data_month": _iso(consolidated.data_month),
            "algorithm_version": ALGORITHM_VERSION,
            "weights": WEIGHTS,
        },
    }
