"""The rules: named, versioned functions over consolidated contracts, each with its legal reference.

Every finding carries its evidence (contracts, dates, computed durations) and a status:
`infraction` when the DSN proves it, `a_verifier` when a fact the DSN cannot show decides it
(who is replaced, a signed avenant, a new absence). `confidence` is the end status of the
contract whose end the finding relies on (declared, inferred, open).
Parameters come from `legislation.parameters_for(idcc)`: branch agreements override them.
"""

import bisect
import calendar as pycalendar
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from communs.champollion.engine.calendars import OpeningCalendar, default_calendar
from communs.champollion.engine.consolidation import END_DECLARED, END_OPEN, Contract, Establishment, month_end
from communs.champollion.engine.gcpause import paused_gc
from communs.champollion.engine.legislation import Legislation, parameters_for
from communs.champollion.engine.postes import resolve_merges

INFRACTION = "infraction"
A_VERIFIER = "a_verifier"
ECONOMIC_DISMISSAL_MOTIFS = {"011", "012", "014", "025", "026"}
EMPLOYEE_EARLY_END = "037"  # rupture anticipée à l'initiative du salarié (L1244-4-1 3°)
REPLACEMENT_MOTIFS = {"01", "07", "08", "12"}
CARENCE_EXEMPT_MOTIFS = {"03", "04", "05"}  # saisonnier, vendanges, usage (L1244-4-1 2°)
LEGIFRANCE = "https://www.legifrance.gouv.fr/codes/id/LEGIARTI"


@dataclass(slots=True)
class Finding:
    rule: str
    rule_version: str
    status: str
    siret: str
    poste: str
    contract: str
    contract_id: str
    article: str
    explanation: str
    previous_contract: str | None = None
    previous_contract_id: str | None = None
    first_legal_day: date | None = None
    confidence: str = END_DECLARED
    legislation: str = ""
    evidence: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "rule_version": self.rule_version,
            "status": self.status,
            "siret": self.siret,
            "poste": self.poste,
            "contract": self.contract,
            "contract_id": self.contract_id,
            "previous_contract": self.previous_contract,
            "previous_contract_id": self.previous_contract_id,
            "article": self.article,
            "first_legal_day": self.first_legal_day.isoformat() if self.first_legal_day else None,
            "confidence": self.confidence,
            "legislation": self.legislation,
            "explanation": self.explanation,
            "evidence": {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.evidence.items()},
        }


@dataclass(frozen=True)
class Rule:
    id: str
    version: str
    title: str
    articles: tuple[str, ...]
    checks: str
    dsn_cannot_show: str
    function: Callable


class RuleContext:
    """What the rules need besides the contracts: calendars, establishments, merges, data month."""

    def __init__(
        self,
        establishments: dict[str, Establishment] | None = None,
        calendars: dict[str, OpeningCalendar] | None = None,
        poste_merges: dict[str, dict[str, str]] | None = None,
        data_month: date | None = None,
    ):
        self.establishments = establishments or {}
        self.calendars = calendars or {}
        self.poste_merges = {siret: resolve_merges(m) for siret, m in (poste_merges or {}).items()}
        self.data_month = data_month
        self._calendar_cache: dict[str, OpeningCalendar] = {}

    def calendar_for(self, siret: str) -> OpeningCalendar:
        cal = self._calendar_cache.get(siret)
        if cal is None:
            cal = self._calendar_cache[siret] = self._calendar(siret)
        return cal

    def _calendar(self, siret: str) -> OpeningCalendar:
        cal = self.calendars.get(siret)
        if cal is not None:
            if not cal.departement and siret in self.establishments:
                cal = OpeningCalendar(
                    cal.weekdays, cal.closed_dates, cal.holidays_closed, self.establishments[siret].departement
                )
            return cal
        est = self.establishments.get(siret)
        return default_calendar(est.departement if est else "")

    def poste_of(self, contract: Contract) -> str:
        merges = self.poste_merges.get(contract.analysis_siret)
        return merges.get(contract.poste, contract.poste) if merges else contract.poste


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, pycalendar.monthrange(year, month)[1]))


# -- opening-day arithmetic on a prefix count (fast for millions of contracts) -------------------
_ORIGIN = date(2000, 1, 1)
_SPAN_DAYS = 366 * 45


_PREFIXES: dict[int, tuple[OpeningCalendar, list[int]]] = {}


def _opening_prefix(cal: OpeningCalendar) -> list[int]:
    """prefix[i] = number of opening days in [_ORIGIN, _ORIGIN + i] (cached by calendar object:
    hashing a calendar's frozensets on every call would cost more than the lookup saves)."""
    entry = _PREFIXES.get(id(cal))
    if entry is not None and entry[0] is cal:
        return entry[1]
    if len(_PREFIXES) > 256:
        _PREFIXES.clear()
    prefix = _build_prefix(cal)
    _PREFIXES[id(cal)] = (cal, prefix)
    return prefix


@lru_cache(maxsize=64)
def _build_prefix(cal: OpeningCalendar) -> list[int]:
    prefix = []
    count = 0
    day = _ORIGIN
    one = timedelta(days=1)
    for _ in range(_SPAN_DAYS):
        if cal.is_open(day):
            count += 1
        prefix.append(count)
        day += one
    return prefix


def nth_opening_day_after(cal: OpeningCalendar, day: date, n: int) -> date:
    """The n-th opening day strictly after `day`."""
    index = (day - _ORIGIN).days
    if not 0 <= index < _SPAN_DAYS - 400:
        return cal.nth_opening_day_after(day, n)
    prefix = _opening_prefix(cal)
    target = prefix[index] + n
    found = bisect.bisect_left(prefix, target, lo=index + 1)
    return _ORIGIN + timedelta(days=found)


def carence_days(duration_days: int, params: Legislation) -> tuple[int, str]:
    """Carence in opening days, rounded up, and the fraction used (hand-checkable)."""
    ratio = params.carence_ratio_long if duration_days >= params.carence_threshold_days else params.carence_ratio_short
    days = -(-duration_days * ratio.numerator // ratio.denominator)  # integer ceiling, exact
    if params.carence_cap_days is not None:
        days = min(days, params.carence_cap_days)
    return days, f"{ratio.numerator}/{ratio.denominator}"


def _article(contract: Contract, cdd: str, ctt: str) -> str:
    return ctt if contract.nature == "03" else cdd


def _params(contract: Contract) -> Legislation:
    return parameters_for(contract.idcc)


def _by_poste(contracts: Iterable[Contract], ctx: RuleContext) -> dict[tuple[str, str], list[Contract]]:
    groups: dict[tuple[str, str], list[Contract]] = defaultdict(list)
    for contract in contracts:
        if contract.precarious:
            groups[(contract.analysis_siret, ctx.poste_of(contract))].append(contract)
    for group in groups.values():
        group.sort(key=lambda c: (c.start, c.last_day))
    return groups


def _finding(rule: Rule, status: str, contract: Contract, ctx: RuleContext, article: str, explanation: str, **kw):
    return Finding(
        rule=rule.id,
        rule_version=rule.version,
        status=status,
        siret=contract.analysis_siret,
        poste=ctx.poste_of(contract),
        contract=contract.numero,
        contract_id=contract.contract_id,
        article=article,
        explanation=explanation,
        legislation=_params(contract).version,
        **kw,
    )


# -- the rules -----------------------------------------------------------------------------------
def check_delai_carence(contracts: list[Contract], ctx: RuleContext) -> list[Finding]:
    rule = RULES_BY_ID["delai_carence"]
    findings = []
    for (siret, _poste), group in _by_poste(contracts, ctx).items():
        cal = ctx.calendar_for(siret)
        previous: Contract | None = None
        for contract in group:
            if previous is not None and previous.end_status != END_OPEN and contract.start > previous.last_day:
                finding = _carence_finding(rule, previous, contract, cal, ctx)
                if finding is not None:
                    findings.append(finding)
            if previous is None or contract.last_day >= previous.last_day:
                previous = contract
    return findings


def _carence_finding(rule, previous: Contract, contract: Contract, cal: OpeningCalendar, ctx) -> Finding | None:
    if previous.motif in CARENCE_EXEMPT_MOTIFS or contract.motif in CARENCE_EXEMPT_MOTIFS:
        return None
    if previous.end_motif == EMPLOYEE_EARLY_END:
        return None
    if contract.dispositif not in ("", "99"):  # contrats aidés / formation (L1244-4-1 4°)
        return None
    params = _params(previous)
    duration = previous.duration_days
    days, fraction = carence_days(duration, params)
    last_carence_day = nth_opening_day_after(cal, previous.last_day, days)
    first_legal = last_carence_day + timedelta(days=1)
    if contract.start >= first_legal:
        return None
    replacement = contract.motif in REPLACEMENT_MOTIFS
    status = A_VERIFIER if replacement or previous.end_status != END_DECLARED else INFRACTION
    explanation = (
        f"Le contrat {contract.numero} commence le {contract.start:%d/%m/%Y} "
        f"sur le poste « {ctx.poste_of(contract)} » "
        f"alors que le délai de carence après le contrat {previous.numero} ({duration} jours calendaires, "
        f"renouvellements compris) est de {fraction} soit {days} jours d'ouverture : premier jour possible "
        f"le {first_legal:%d/%m/%Y}."
    )
    if replacement:
        explanation += " Remplacement : à vérifier s'il s'agit d'une nouvelle absence du salarié remplacé (exception)."
    return _finding(
        rule,
        status,
        contract,
        ctx,
        _article(contract, "L1244-3-1", "L1251-36-1"),
        explanation,
        previous_contract=previous.numero,
        previous_contract_id=previous.contract_id,
        first_legal_day=first_legal,
        confidence=previous.end_status,
        evidence={
            "previous_start": previous.start,
            "previous_end": previous.last_day,
            "previous_duration_days": duration,
            "fraction": fraction,
            "carence_opening_days": days,
            "calendar": cal.describe(),
            "next_start": contract.start,
            "first_legal_day": first_legal,
        },
    )


def check_renouvellements(contracts: list[Contract], ctx: RuleContext) -> list[Finding]:
    rule = RULES_BY_ID["renouvellements"]
    findings = []
    for contract in contracts:
        if not contract.precarious:
            continue
        allowed = _params(contract).max_renewals
        for renewal in contract.renewals:
            if renewal.index <= allowed:
                continue
            findings.append(
                _finding(
                    rule,
                    INFRACTION,
                    contract,
                    ctx,
                    _article(contract, "L1243-13-1", "L1251-35-1"),
                    f"Renouvellement n° {renewal.index} du contrat {contract.numero} (fin prévue portée du "
                    f"{renewal.previous_end:%d/%m/%Y} au {renewal.new_end:%d/%m/%Y}, vu dans la DSN de "
                    f"{renewal.seen_month:%m/%Y}) : au plus {allowed} renouvellements.",
                    confidence=contract.end_status,
                    evidence={
                        "renewal_index": renewal.index,
                        "allowed_renewals": allowed,
                        "seen_month": renewal.seen_month,
                        "previous_end": renewal.previous_end,
                        "new_end": renewal.new_end,
                    },
                )
            )
    return findings


def check_duree_maximale(contracts: list[Contract], ctx: RuleContext) -> list[Finding]:
    rule = RULES_BY_ID["duree_maximale"]
    findings = []
    for contract in contracts:
        if not contract.precarious or (contract.end is None and contract.expected_end is None):
            continue
        months = _params(contract).max_months(contract.motif)
        if months is None:
            continue
        last_allowed = add_months(contract.start, months) - timedelta(days=1)
        if contract.last_day <= last_allowed:
            continue
        findings.append(
            _finding(
                rule,
                INFRACTION,
                contract,
                ctx,
                _article(contract, "L1242-8-1", "L1251-12-1"),
                f"Le contrat {contract.numero} court du {contract.start:%d/%m/%Y} au {contract.last_day:%d/%m/%Y} "
                f"({contract.duration_days} jours) : durée maximale {months} mois, dernier terme possible le "
                f"{last_allowed:%d/%m/%Y}.",
                confidence=contract.end_status,
                evidence={
                    "start": contract.start,
                    "end": contract.last_day,
                    "duration_days": contract.duration_days,
                    "max_months": months,
                    "last_allowed_end": last_allowed,
                    "renewals": len(contract.renewals),
                },
            )
        )
    return findings


def check_licenciement_economique(contracts: list[Contract], ctx: RuleContext) -> list[Finding]:
    rule = RULES_BY_ID["licenciement_economique"]
    dismissals: dict[tuple[str, str], list[Contract]] = defaultdict(list)
    for contract in contracts:
        if contract.end_motif in ECONOMIC_DISMISSAL_MOTIFS and contract.end is not None:
            dismissals[(contract.analysis_siret, ctx.poste_of(contract))].append(contract)
    if not dismissals:
        return []
    findings = []
    for contract in contracts:
        if not contract.precarious or contract.motif != "02":
            continue
        for dismissed in dismissals.get((contract.analysis_siret, ctx.poste_of(contract)), []):
            params = _params(contract)
            window_start = add_months(contract.start, -params.economic_dismissal_months)
            if not (window_start <= dismissed.end < contract.start):
                continue
            initial_end = contract.initial_expected_end or contract.last_day
            short = add_months(contract.start, params.economic_exception_months) - timedelta(days=1)
            if initial_end <= short and not contract.renewals:
                continue  # exception: at most 3 months, not renewable
            findings.append(
                _finding(
                    rule,
                    INFRACTION,
                    contract,
                    ctx,
                    _article(contract, "L1242-5", "L1251-9"),
                    f"Contrat {contract.numero} pour accroissement temporaire d'activité commencé le "
                    f"{contract.start:%d/%m/%Y} sur un poste touché par un licenciement économique le "
                    f"{dismissed.end:%d/%m/%Y} (moins de {params.economic_dismissal_months} mois avant).",
                    previous_contract=dismissed.numero,
                    previous_contract_id=dismissed.contract_id,
                    confidence=dismissed.end_status,
                    evidence={
                        "dismissal_end": dismissed.end,
                        "dismissal_motif": dismissed.end_motif,
                        "start": contract.start,
                        "window_start": window_start,
                    },
                )
            )
            break
    return findings


def check_poursuite_apres_terme(contracts: list[Contract], ctx: RuleContext) -> list[Finding]:
    rule = RULES_BY_ID["poursuite_apres_terme"]
    findings = []
    for contract in contracts:
        if not contract.precarious or contract.continuation_month is None:
            continue
        findings.append(
            _finding(
                rule,
                INFRACTION,
                contract,
                ctx,
                _article(contract, "L1243-11", "L1251-39"),
                f"Le contrat {contract.numero} est encore déclaré en {contract.continuation_month:%m/%Y} après son "
                f"terme du {contract.continuation_term:%d/%m/%Y} sans renouvellement vu avant ce terme : la relation "
                f"se poursuit en CDI.",
                confidence=contract.end_status,
                evidence={"term": contract.continuation_term, "month_after_term": contract.continuation_month},
            )
        )
    return findings


def check_motif_absent(contracts: list[Contract], ctx: RuleContext) -> list[Finding]:
    rule = RULES_BY_ID["motif_absent"]
    return [
        _finding(
            rule,
            A_VERIFIER,
            contract,
            ctx,
            _article(contract, "L1242-12", "L1251-16"),
            f"Le contrat {contract.numero} ({'CTT' if contract.nature == '03' else 'CDD'}) est déclaré sans motif de "
            f"recours (S21.G00.40.021) : vérifier que le contrat écrit en comporte un.",
            confidence=contract.end_status,
            evidence={"nature": contract.nature, "start": contract.start},
        )
        for contract in contracts
        if contract.precarious and not contract.motif
    ]


def check_emploi_permanent(contracts: list[Contract], ctx: RuleContext) -> list[Finding]:
    rule = RULES_BY_ID["emploi_permanent"]
    findings = []
    for (siret, poste), group in _by_poste(contracts, ctx).items():
        params = _params(group[-1])
        data_month = ctx.data_month or max(c.months[-1] for c in group)
        window_end = month_end(data_month)
        window_start = add_months(window_end + timedelta(days=1), -params.permanent_window_months)
        cal = ctx.calendar_for(siret)
        runs: list[list] = []  # [start, end, contracts]
        for contract in group:
            if contract.last_day < window_start or contract.start > window_end:
                continue
            start, end = max(contract.start, window_start), min(contract.last_day, window_end)
            if runs:
                run = runs[-1]
                prev_days, _ = carence_days(max(1, (run[1] - run[0]).days + 1), params)
                bridge_until = nth_opening_day_after(cal, run[1], prev_days)
                if start <= bridge_until + timedelta(days=1):
                    run[1] = max(run[1], end)
                    run[2].append(contract)
                    continue
            runs.append([start, end, [contract]])
        covered = sum((end - start).days + 1 for start, end, _ in runs)
        threshold = (add_months(window_start, params.permanent_threshold_months) - window_start).days
        if covered < threshold:
            continue
        members = [c for run in runs for c in run[2]]
        latest = max(members, key=lambda c: c.start)
        findings.append(
            _finding(
                rule,
                A_VERIFIER,
                latest,
                ctx,
                _article(latest, "L1242-1", "L1251-5"),
                f"Le poste « {poste} » est occupé par {len(members)} contrats précaires pendant {covered} jours sur "
                f"les {params.permanent_window_months} derniers mois (seuil {threshold} jours) : emploi "
                f"probablement permanent.",
                evidence={
                    "window_start": window_start,
                    "window_end": window_end,
                    "covered_days": covered,
                    "threshold_days": threshold,
                    "contracts": [c.numero for c in members][:50],
                },
            )
        )
    return findings


RULES: list[Rule] = [
    Rule(
        "delai_carence",
        "1.0",
        "Délai de carence entre deux contrats sur le même poste",
        ("L1244-3-1", "L1251-36-1"),
        "Un CDD ou CTT sur le même poste ne peut commencer avant la fin du délai de carence : 1/3 de la durée du "
        "contrat précédent (renouvellements inclus) s'il dure 14 jours ou plus, 1/2 sinon, compté en jours "
        "d'ouverture de l'établissement (de l'entreprise utilisatrice pour l'intérim), arrondi au jour supérieur.",
        "Le remplacement d'un salarié à nouveau absent, le refus de renouvellement par le salarié : statut « à "
        "vérifier » pour les remplacements.",
        check_delai_carence,
    ),
    Rule(
        "renouvellements",
        "1.0",
        "Nombre de renouvellements",
        ("L1243-13-1", "L1251-35-1"),
        "Un CDD ou CTT peut être renouvelé deux fois au plus (un accord de branche peut en permettre davantage). "
        "Un renouvellement est un report de la fin prévue déclaré avant le terme en vigueur.",
        "L'avenant signé lui-même : un report déclaré tardivement apparaît comme une poursuite après le terme.",
        check_renouvellements,
    ),
    Rule(
        "duree_maximale",
        "1.0",
        "Durée maximale",
        ("L1242-8-1", "L1251-12-1"),
        "18 mois renouvellements compris (24 mois en attente de suppression du poste, 36 mois pour un CDD à objet "
        "défini) ; pas de plafond pour les emplois saisonniers et d'usage.",
        "Les cas à 9 mois (attente d'une embauche en CDI, travaux urgents de sécurité) et la mission à l'étranger "
        "ne figurent pas en DSN.",
        check_duree_maximale,
    ),
    Rule(
        "licenciement_economique",
        "1.0",
        "Accroissement d'activité après licenciement économique",
        ("L1242-5", "L1251-9"),
        "Pas de CDD ou CTT pour accroissement temporaire d'activité sur un poste touché par un licenciement "
        "économique dans les 6 mois précédents, sauf contrat de 3 mois au plus non renouvelable.",
        "Que le poste soit exactement celui du salarié licencié repose sur le libellé d'emploi déclaré.",
        check_licenciement_economique,
    ),
    Rule(
        "poursuite_apres_terme",
        "1.0",
        "Poursuite après le terme",
        ("L1243-11", "L1251-39"),
        "Si la relation se poursuit après l'échéance du terme sans renouvellement, le contrat devient un CDI.",
        "Un avenant signé avant le terme mais déclaré tard.",
        check_poursuite_apres_terme,
    ),
    Rule(
        "motif_absent",
        "1.0",
        "Motif de recours absent",
        ("L1242-12", "L1251-16"),
        "Un CDD ou CTT doit comporter la définition précise de son motif ; la DSN le déclare en S21.G00.40.021.",
        "Le contrat écrit : seul un contrôle montre si le motif manque aussi sur le contrat.",
        check_motif_absent,
    ),
    Rule(
        "emploi_permanent",
        "1.0",
        "Emploi durable et permanent",
        ("L1242-1", "L1251-5"),
        "Un poste occupé en continu par des contrats précaires (écarts plus courts que la carence comptés comme "
        "continus) 12 mois ou plus sur les 24 derniers mois révèle un emploi permanent.",
        "La nature réellement temporaire de l'activité : toujours « à vérifier ».",
        check_emploi_permanent,
    ),
]
RULES_BY_ID = {rule.id: rule for rule in RULES}


def run_rules(contracts: list[Contract], ctx: RuleContext | None = None, only: Iterable[str] | None = None):
    """Run every rule (or `only` those ids) and return the findings, ordered for display."""
    ctx = ctx or RuleContext()
    wanted = set(only) if only else None
    findings: list[Finding] = []
    with paused_gc():
        for rule in RULES:
            if wanted is None or rule.id in wanted:
                findings += rule.function(contracts, ctx)
    findings.sort(key=lambda f: (f.siret, f.poste, f.rule, f.contract))
    return findings
