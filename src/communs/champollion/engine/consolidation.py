"""Consolidation: from monthly declarations to the contracts as they really ran.

1. Valid declaration per (SIRET, month, fraction, nature): declarations are ordered by date of
   constitution (S20.G00.05.007), order number (.004) then reading order; type 01/02 sets the
   month when none is valid yet, 03/05 (annule et remplace) replaces it, 04 (annule) cancels it.
   A replaced or cancelled declaration never counts. Only monthly DSN (nature 01) feed contracts.
2. Contracts are chained across months by (SIRET, individual, numéro, date de début); a
   S21.G00.41 block (ancien SIRET .012, ancien numéro .014, ancienne date de début .021) moves
   the contract known under the old key to the new one. A contract is never cut at month ends.
3. Effective end: a S21.G00.62 block wins (motif 099 cancels an earlier one); otherwise, after
   3 declared months of the establishment without the contract, the end is inferred (expected
   end if it falls in the last month seen, else that month's last day); otherwise open.
4. Renewals: successive increases of the expected end (.40.010) declared in a month that starts
   on or before the term in force. An increase first seen after the term, or a contract still
   declared after its term, is a continuation after the term (L1243-11).
5. Interim: a contract of nature 03 with .40.046 (user SIRET) is analysed at the user
   establishment (ETU) and keeps the agency's SIRET.
"""

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from communs.champollion.engine.dsn_reader import Absence, ContractObservation, Declaration
from communs.champollion.engine.gcpause import paused_gc
from communs.champollion.engine.postes import normalise_poste

END_DECLARED = "declared"
END_INFERRED = "inferred"
END_OPEN = "open"
INFERENCE_MONTHS = 3
MOTIF_CANCEL_END = "099"
PRECARIOUS_NATURES = {"02", "03"}  # CDD de droit privé, contrat de mission (CTT)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def departement_of_postal_code(postal_code: str) -> str:
    """The département of a French postal code (Corsica split at 20200; overseas on 3 digits)."""
    if len(postal_code) != 5 or not postal_code.isdigit():
        return ""
    if postal_code.startswith("97"):
        return postal_code[:3]
    if postal_code.startswith("20"):
        return "2A" if postal_code < "20200" else "2B"
    return postal_code[:2]


@dataclass(slots=True)
class Establishment:
    siret: str
    name: str = ""
    naf: str = ""
    postal_code: str = ""
    departement: str = ""
    idcc: str = ""
    headcount: int | None = None
    months: list[date] = field(default_factory=list)
    declares: bool = True  # False: known only as a user establishment of temp workers (.85)


@dataclass(slots=True)
class Renewal:
    index: int
    seen_month: date
    previous_end: date
    new_end: date


@dataclass(slots=True)
class Contract:
    key: tuple
    siret: str
    individual: str
    nom: str
    prenoms: str
    numero: str
    start: date
    nature: str
    motif: str
    dispositif: str
    libelle: str
    pcs: str
    poste: str
    idcc: str
    etu_siret: str
    expected_ends: list[tuple[date, date]] = field(default_factory=list)  # (month, expected end), changes only
    months: list[date] = field(default_factory=list)
    paid_months: list[date] = field(default_factory=list)
    declared_end: date | None = None
    end_motif: str = ""
    end: date | None = None
    end_status: str = END_OPEN
    renewals: list[Renewal] = field(default_factory=list)
    continuation_month: date | None = None  # first month declared after the term without renewal
    continuation_term: date | None = None
    absences: list[Absence] = field(default_factory=list)
    previous_numeros: list[str] = field(default_factory=list)
    sources: list[tuple[str, int]] = field(default_factory=list)

    @property
    def analysis_siret(self) -> str:
        """The establishment whose rules apply: the user establishment for a temp worker."""
        return self.etu_siret if self.nature == "03" and self.etu_siret else self.siret

    @property
    def precarious(self) -> bool:
        return self.nature in PRECARIOUS_NATURES

    @property
    def expected_end(self) -> date | None:
        return self.expected_ends[-1][1] if self.expected_ends else None

    @property
    def initial_expected_end(self) -> date | None:
        return self.expected_ends[0][1] if self.expected_ends else None

    @property
    def last_day(self) -> date:
        """End used for durations: effective end, else latest expected end, else last month seen."""
        if self.end:
            return self.end
        if self.expected_end:
            return self.expected_end
        return month_end(self.months[-1])

    @property
    def duration_days(self) -> int:
        """Total duration in calendar days, both ends included (renewals included)."""
        return (self.last_day - self.start).days + 1

    @property
    def contract_id(self) -> str:
        return f"{self.siret}:{self.individual}:{self.numero}:{self.start.isoformat()}"


@dataclass
class Consolidated:
    establishments: dict[str, Establishment]
    contracts: list[Contract]
    declarations_read: int = 0
    declarations_kept: int = 0
    declarations_discarded: list[dict] = field(default_factory=list)
    data_month: date | None = None


def select_valid(declarations: Iterable[Declaration]) -> tuple[list[Declaration], list[dict]]:
    """Step 1: the valid declaration of each (SIRET, month, fraction, nature)."""
    groups: dict[tuple, list[Declaration]] = defaultdict(list)
    for decl in declarations:
        if decl.month is None or not decl.siren:
            continue
        groups[decl.key].append(decl)
    kept, discarded = [], []
    for group in groups.values():
        group.sort(key=lambda d: (d.built_on or date.min, int(d.ordre) if d.ordre.isdigit() else 0, d.sequence))
        valid: Declaration | None = None
        for decl in group:
            if decl.type in ("03", "05"):
                if valid is not None:
                    discarded.append(_discard(valid, f"remplacée par {decl.file}"))
                valid = decl
            elif decl.type == "04":
                if valid is not None:
                    discarded.append(_discard(valid, f"annulée par {decl.file}"))
                discarded.append(_discard(decl, "déclaration d'annulation"))
                valid = None
            elif valid is None:
                valid = decl
            else:
                discarded.append(_discard(decl, f"doublon de {valid.file} pour le même mois"))
        if valid is not None:
            kept.append(valid)
    kept.sort(key=lambda d: (d.month, d.sequence))
    return kept, discarded


def _discard(decl: Declaration, reason: str) -> dict:
    return {"file": decl.file, "line": decl.line, "siret": decl.siret, "month": decl.month, "reason": reason}


def consolidate(declarations: Iterable[Declaration]) -> Consolidated:
    with paused_gc():
        return _consolidate(declarations)


def _consolidate(declarations: Iterable[Declaration]) -> Consolidated:
    declarations = list(declarations)
    kept, discarded = select_valid(d for d in declarations if d.nature in ("01", ""))
    establishments: dict[str, Establishment] = {}
    contracts: dict[tuple, Contract] = {}
    for decl in kept:
        est = establishments.get(decl.siret)
        if est is None or not est.declares:
            est = establishments[decl.siret] = Establishment(decl.siret)
        est.name = decl.company_name or est.name
        est.naf = decl.naf or est.naf
        est.postal_code = decl.postal_code or est.postal_code
        est.departement = departement_of_postal_code(est.postal_code) or est.departement
        est.idcc = decl.idcc or est.idcc
        est.headcount = decl.headcount if decl.headcount is not None else est.headcount
        if not est.months or est.months[-1] != decl.month:
            est.months.append(decl.month)
        for place in decl.workplaces:
            if len(place.identifier) == 14 and place.identifier not in establishments:
                establishments[place.identifier] = Establishment(
                    place.identifier,
                    naf=place.naf,
                    postal_code=place.postal_code,
                    departement=departement_of_postal_code(place.postal_code),
                    declares=False,
                )
        for obs in decl.contracts:
            _observe(contracts, decl, obs)
    result = list(contracts.values())
    for contract in result:
        _finish(contract, establishments.get(contract.siret))
    months = [m for est in establishments.values() for m in est.months]
    return Consolidated(
        establishments=establishments,
        contracts=sorted(result, key=lambda c: (c.analysis_siret, c.poste, c.start, c.numero)),
        declarations_read=len(declarations),
        declarations_kept=len(kept),
        declarations_discarded=discarded,
        data_month=max(months) if months else None,
    )


def _observe(contracts: dict[tuple, Contract], decl: Declaration, obs: ContractObservation) -> None:
    key = (decl.siret, obs.individual, obs.numero, obs.start)
    contract = contracts.get(key)
    if contract is None:
        for change in obs.changes:
            if change.old_numero or change.old_start or change.old_siret:
                old_key = (
                    change.old_siret or decl.siret,
                    obs.individual,
                    change.old_numero or obs.numero,
                    change.old_start or obs.start,
                )
                contract = contracts.pop(old_key, None)
                if contract is not None:
                    if contract.numero != obs.numero:
                        contract.previous_numeros.append(contract.numero)
                    contract.key, contract.siret = key, decl.siret
                    contract.numero, contract.start = obs.numero, obs.start
                    contracts[key] = contract
                    break
    if contract is None:
        contract = contracts[key] = Contract(
            key=key,
            siret=decl.siret,
            individual=obs.individual,
            nom=obs.nom,
            prenoms=obs.prenoms,
            numero=obs.numero,
            start=obs.start,
            nature=obs.nature,
            motif=obs.motif,
            dispositif=obs.dispositif,
            libelle=obs.libelle,
            pcs=obs.pcs,
            poste=normalise_poste(obs.libelle),
            idcc=obs.idcc or decl.idcc,
            etu_siret=obs.etu_siret,
        )
    else:
        # the latest month says what the contract is now (a replaced month never gets here)
        contract.nature = obs.nature
        contract.motif = obs.motif or contract.motif
        contract.libelle = obs.libelle or contract.libelle
        contract.poste = normalise_poste(contract.libelle)
        contract.pcs = obs.pcs or contract.pcs
        contract.etu_siret = obs.etu_siret or contract.etu_siret
        contract.dispositif = obs.dispositif or contract.dispositif
        contract.idcc = obs.idcc or contract.idcc
    if not contract.months or contract.months[-1] != decl.month:
        contract.months.append(decl.month)
    if obs.paid:
        contract.paid_months.append(decl.month)
    if obs.expected_end and (not contract.expected_ends or contract.expected_ends[-1][1] != obs.expected_end):
        contract.expected_ends.append((decl.month, obs.expected_end))
    if obs.end is not None:
        if obs.end_motif == MOTIF_CANCEL_END:
            contract.declared_end, contract.end_motif = None, ""
        else:
            contract.declared_end, contract.end_motif = obs.end, obs.end_motif
    for absence in obs.absences:
        if absence not in contract.absences:
            contract.absences.append(absence)
    contract.sources.append((decl.file, obs.line))


def _finish(contract: Contract, est: Establishment | None) -> None:
    """Steps 3 and 4: effective end, renewals and continuation after the term."""
    if contract.declared_end is not None:
        contract.end, contract.end_status = contract.declared_end, END_DECLARED
    elif est is not None:
        last = contract.months[-1]
        later = [m for m in est.months if m > last]
        if len(later) >= INFERENCE_MONTHS:
            expected = contract.expected_end
            in_last = expected is not None and (expected.year, expected.month) == (last.year, last.month)
            contract.end = expected if in_last else month_end(last)
            contract.end_status = END_INFERRED
    if not contract.expected_ends:
        return
    term = contract.expected_ends[0][1]
    for seen_month, new_end in contract.expected_ends[1:]:
        if new_end > term:
            if seen_month <= term:
                contract.renewals.append(Renewal(len(contract.renewals) + 1, seen_month, term, new_end))
            elif contract.continuation_month is None and any(m > term for m in contract.paid_months):
                contract.continuation_month, contract.continuation_term = seen_month, term
        term = new_end
    if contract.continuation_month is None:
        # still declared and paid in a month that starts after the term in force
        in_force = contract.expected_ends[0][1]
        changes = iter(contract.expected_ends[1:])
        pending = next(changes, None)
        for month in contract.paid_months or contract.months:
            while pending is not None and pending[0] <= month:
                in_force = pending[1]
                pending = next(changes, None)
            if month > in_force and (contract.end is None or contract.end > in_force):
                contract.continuation_month, contract.continuation_term = month, in_force
                break
