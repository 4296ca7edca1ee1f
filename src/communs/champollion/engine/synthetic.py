"""Seeded synthetic DSN: realistic sectors and contract mixes, with injected infringements.

`generate(out_dir, establishments=N, months=M, seed=S)` writes one DSN file per establishment and
month (plus one per month for the temp agency) in the real syntax, and returns what it injected
so the demo and the benchmark can check the engine finds it. Same seed → same bytes.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from math import ceil
from pathlib import Path

from communs.champollion.engine.consolidation import month_end
from communs.champollion.engine.dsn_writer import (
    DsnContract,
    DsnDeclaration,
    DsnIndividual,
    render_envoi,
    siren_with_key,
    siret_with_key,
)


@dataclass(frozen=True)
class Sector:
    naf: str
    label: str
    idcc: str
    postes: tuple[str, ...]
    permanent: int  # CDI per establishment of 20
    precarious_per_poste: float  # mean number of precarious contracts running at once on a poste
    motifs: tuple[str, ...]  # motif de recours drawn for CDD
    durations: tuple[int, ...]  # typical durations in days
    interim_share: float  # share of precarious contracts that are temp missions


SECTORS = (
    Sector(
        "5210B",
        "Entreposage",
        "0016",
        ("PREPARATEUR DE COMMANDES", "CARISTE", "AGENT DE QUAI"),
        8,
        1.0,
        ("02", "02", "01"),
        (5, 12, 25, 40, 60, 90),
        0.5,
    ),
    Sector(
        "4711D",
        "Supermarché",
        "2216",
        ("HOTE DE CAISSE", "EMPLOYE DE LIBRE SERVICE", "BOUCHER"),
        12,
        0.8,
        ("02", "01", "01"),
        (14, 30, 60, 120),
        0.1,
    ),
    Sector(
        "5610A",
        "Restauration",
        "1979",
        ("SERVEUR", "COMMIS DE CUISINE", "PLONGEUR"),
        6,
        1.0,
        ("05", "02", "03"),
        (2, 7, 30, 90),
        0.05,
    ),
    Sector(
        "2511Z",
        "Métallurgie",
        "3248",
        ("OPERATEUR DE PRODUCTION", "SOUDEUR", "REGLEUR"),
        15,
        0.6,
        ("02", "01"),
        (20, 60, 120, 180),
        0.6,
    ),
    Sector(
        "8710A",
        "EHPAD",
        "2264",
        ("AIDE SOIGNANT", "AGENT DE SERVICE HOSPITALIER", "INFIRMIER"),
        14,
        0.9,
        ("01", "01", "02"),
        (7, 14, 30, 60),
        0.15,
    ),
    Sector(
        "6201Z", "Informatique", "1486", ("DEVELOPPEUR", "CHEF DE PROJET"), 18, 0.2, ("02", "06"), (90, 180, 365), 0.3
    ),
)
PLACES = (
    ("35000", "RENNES"),
    ("44000", "NANTES"),
    ("75011", "PARIS"),
    ("57000", "METZ"),
    ("69003", "LYON"),
    ("13001", "MARSEILLE"),
    ("59000", "LILLE"),
    ("33000", "BORDEAUX"),
    ("35400", "SAINT-MALO"),
    ("67000", "STRASBOURG"),
)
NAMES = (
    "MARTIN",
    "BERNARD",
    "THOMAS",
    "PETIT",
    "ROBERT",
    "RICHARD",
    "DURAND",
    "DUBOIS",
    "MOREAU",
    "LAURENT",
    "SIMON",
    "MICHEL",
    "LEFEBVRE",
    "LEROY",
    "ROUX",
    "DAVID",
    "BERTRAND",
    "MOREL",
    "FOURNIER",
    "GIRARD",
)
FIRST_NAMES = (
    "LEA",
    "HUGO",
    "CHLOE",
    "LOUIS",
    "EMMA",
    "GABRIEL",
    "JADE",
    "RAPHAEL",
    "LOUISE",
    "ARTHUR",
    "ALICE",
    "JULES",
    "INES",
    "ADAM",
    "LINA",
    "MAEL",
)
AGENCY_SIRET = siret_with_key(siren_with_key("39999999"), "0001")
INJECTION_RATE = {"carence": 0.12, "renouvellements": 0.05, "duree": 0.04, "motif_absent": 0.02, "poursuite": 0.03}


@dataclass
class _Planned:
    person: DsnIndividual
    numero: str
    start: date
    end: date
    schedule: list[tuple[date, date]]  # (first month declared, expected end)
    nature: str
    motif: str
    poste: str
    idcc: str
    etu: str = ""
    end_motif: str = "031"
    declared_until: date | None = None  # continuation after term: declared past the end


@dataclass
class _Establishment:
    siret: str
    sector: Sector
    postal_code: str
    locality: str
    name: str
    planned: list[_Planned] = field(default_factory=list)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(month: date, n: int) -> date:
    index = month.month - 1 + n
    return date(month.year + index // 12, index % 12 + 1, 1)


def _nir(rng: random.Random) -> str:
    return f"{rng.choice('12')}{rng.randint(60, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 95):02d}" + (
        f"{rng.randint(1, 999):03d}{rng.randint(1, 999):03d}"
    )


def _person(rng: random.Random) -> DsnIndividual:
    return DsnIndividual(
        nir=_nir(rng),
        nom=rng.choice(NAMES),
        prenoms=rng.choice(FIRST_NAMES),
        birth=date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28)),
    )


def plan(establishments: int, months: int, seed: int = 0, first_month: date = date(2023, 1, 1)):
    """The contracts to declare, with the infringements injected (returned for checking)."""
    rng = random.Random(seed)  # noqa: S311 - seeded synthetic data, not security
    last_day = month_end(_add_months(first_month, months - 1))
    plans: list[_Establishment] = []
    injected: list[dict] = []
    counter = 0
    for index in range(establishments):
        sector = SECTORS[index % len(SECTORS)]
        postal_code, locality = PLACES[rng.randrange(len(PLACES))]
        siret = siret_with_key(siren_with_key(f"{41000000 + index * 7:08d}"), "0001")
        est = _Establishment(siret, sector, postal_code, locality, f"{sector.label.upper()} {locality} {index + 1}")
        plans.append(est)
        for _ in range(sector.permanent):
            counter += 1
            start = first_month - timedelta(days=rng.randint(200, 4000))
            est.planned.append(
                _Planned(
                    _person(rng),
                    f"CDI{counter:07d}",
                    start,
                    date.max,
                    [],
                    "01",
                    "",
                    rng.choice(sector.postes),
                    sector.idcc,
                )
            )
        for poste in sector.postes:
            day = first_month - timedelta(days=rng.randint(0, 60))
            while day < last_day:
                duration = rng.choice(sector.durations)
                counter += 1
                interim = rng.random() < sector.interim_share
                motif = "02" if interim else rng.choice(sector.motifs)
                start, end = day, day + timedelta(days=duration - 1)
                first_term = end
                schedule = [(_month_start(start), end)]
                item = _Planned(
                    _person(rng),
                    f"{'MIS' if interim else 'CDD'}{counter:07d}",
                    start,
                    end,
                    schedule,
                    "03" if interim else "02",
                    motif,
                    poste,
                    "1413" if interim else sector.idcc,
                    etu=siret if interim else "",
                    end_motif="032" if interim else "031",
                )
                roll = rng.random()
                if duration >= 60 and roll < INJECTION_RATE["renouvellements"]:
                    # 3 renewals, each declared in the month of the term in force
                    term = first_term
                    for _ in range(3):
                        new = term + timedelta(days=30)
                        schedule.append((_month_start(term), new))
                        term = new
                    item.end = term
                    injected.append({"rule": "renouvellements", "siret": siret, "contract": item.numero})
                elif duration >= 120 and roll < INJECTION_RATE["renouvellements"] + INJECTION_RATE["duree"]:
                    item.end = start + timedelta(days=600)
                    schedule[0] = (_month_start(start), item.end)
                    injected.append({"rule": "duree_maximale", "siret": siret, "contract": item.numero})
                elif roll < 0.2 and duration >= 30:
                    # one ordinary renewal
                    new = first_term + timedelta(days=duration)
                    schedule.append((_month_start(first_term), new))
                    item.end = new
                if rng.random() < INJECTION_RATE["motif_absent"]:
                    item.motif = ""
                    injected.append({"rule": "motif_absent", "siret": siret, "contract": item.numero})
                if not interim and rng.random() < INJECTION_RATE["poursuite"] and item.end + timedelta(40) < last_day:
                    item.declared_until = item.end + timedelta(days=40)
                    injected.append({"rule": "poursuite_apres_terme", "siret": siret, "contract": item.numero})
                if item.end != date.max:
                    est.planned.append(item)
                total = (item.end - start).days + 1
                carence = ceil(total / 3) if total >= 14 else ceil(total / 2)
                legal_gap = ceil(carence * 7 / 5) + 6  # opening days → calendar days, with holiday margin
                if rng.random() < INJECTION_RATE["carence"] and motif not in ("03", "04", "05"):
                    gap = rng.randint(1, max(1, carence // 2))
                    injected.append({"rule": "delai_carence", "siret": siret, "after": item.numero})
                else:
                    gap = legal_gap + rng.randint(0, 20 + int(30 / sector.precarious_per_poste))
                day = (item.declared_until or item.end) + timedelta(days=gap + 1)
    return plans, injected


def generate(
    out_dir: Path,
    establishments: int,
    months: int,
    seed: int = 0,
    first_month: date = date(2023, 1, 1),
    cotisations: bool = True,
) -> dict:
    """Write the files; return counts and the injected infringements."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    plans, injected = plan(establishments, months, seed, first_month)
    files = lines = 0
    agency_by_month: dict[date, list[DsnIndividual]] = {}
    for est in plans:
        for offset in range(months):
            month = _add_months(first_month, offset)
            people, missions = _active(est.planned, month)
            if missions:
                agency_by_month.setdefault(month, []).extend(missions)
            decl = DsnDeclaration(
                siren=est.siret[:9],
                nic=est.siret[9:],
                month=month,
                individuals=people,
                naf=est.sector.naf,
                postal_code=est.postal_code,
                locality=est.locality,
                idcc=est.sector.idcc,
                built_on=_add_months(month, 1) + timedelta(days=4),
            )
            text = render_envoi([decl], est.name, cotisations=cotisations)
            (out_dir / f"{est.siret}-{month:%Y-%m}.dsn").write_text(text, encoding="utf-8")
            files += 1
            lines += text.count("\n")
    etus = {est.siret: est for est in plans}
    for month, missions in sorted(agency_by_month.items()):
        places = []
        for siret in sorted({c.etu_siret for p in missions for c in p.contracts}):
            est = etus[siret]
            places.append({"id": siret, "naf": est.sector.naf, "postal_code": est.postal_code})
        decl = DsnDeclaration(
            siren=AGENCY_SIRET[:9],
            nic=AGENCY_SIRET[9:],
            month=month,
            individuals=missions,
            naf="7820Z",
            postal_code="35000",
            locality="RENNES",
            idcc="1413",
            workplaces=places,
            built_on=_add_months(month, 1) + timedelta(days=4),
        )
        text = render_envoi([decl], "INTERIM SERVICES", cotisations=cotisations)
        (out_dir / f"{AGENCY_SIRET}-{month:%Y-%m}.dsn").write_text(text, encoding="utf-8")
        files += 1
        lines += text.count("\n")
    return {"files": files, "lines": lines, "establishments": len(plans), "injected": injected}


def _active(planned: list[_Planned], month: date) -> tuple[list[DsnIndividual], list[DsnIndividual]]:
    first, last = month, month_end(month)
    own: list[DsnIndividual] = []
    missions: list[DsnIndividual] = []
    for item in planned:
        until = item.declared_until or item.end
        if item.start > last or until < first:
            continue
        expected = [end for seen, end in item.schedule if seen <= month]
        expected_end = expected[-1] if expected else (item.schedule[0][1] if item.schedule else None)
        ends_now = item.end != date.max and first <= until <= last
        contract = DsnContract(
            numero=item.numero,
            start=item.start,
            libelle=item.poste,
            nature=item.nature,
            motif=item.motif,
            expected_end=expected_end if item.nature != "01" else None,
            etu_siret=item.etu,
            idcc=item.idcc,
            end=until if ends_now else None,
            end_motif=item.end_motif if ends_now else "",
        )
        person = DsnIndividual(
            item.person.nir, item.person.nom, item.person.prenoms, item.person.birth, contracts=[contract]
        )
        (missions if item.etu else own).append(person)
    return own, missions
