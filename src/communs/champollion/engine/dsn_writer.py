"""Writes DSN files in the real NEODeS syntax from plain dicts: test fixtures and synthetic data.

The output is what a payroll package sends: envoi (S10), one or more monthly declarations (S20)
with entreprise, établissement, individus, contrats (+ .41/.60/.62/.65), versements (.50/.51)
and the total (S90). Identifiers get valid keys (Luhn for SIREN/SIRET).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from stdnum import luhn


def siren_with_key(first8: str) -> str:
    return first8 + luhn.calc_check_digit(first8)


def siret_with_key(siren: str, nic4: str) -> str:
    return siren + nic4 + luhn.calc_check_digit(siren + nic4)


def d(day: date | None) -> str:
    return day.strftime("%d%m%Y") if day else ""


@dataclass
class DsnContract:
    numero: str
    start: date
    libelle: str
    nature: str = "02"
    motif: str = "02"
    pcs: str = "676a"
    expected_end: date | None = None
    etu_siret: str = ""
    idcc: str = "2216"
    dispositif: str = "99"
    changes: list[dict] = field(default_factory=list)  # {"date", "old_numero", "old_start", "old_siret"}
    end: date | None = None
    end_motif: str = ""
    absences: list[dict] = field(default_factory=list)  # {"kind": "arret"|"suspension", "motif", "start", "end"}
    paid: bool = True


@dataclass
class DsnIndividual:
    nir: str
    nom: str
    prenoms: str
    birth: date
    sex: str = "01"
    contracts: list[DsnContract] = field(default_factory=list)


@dataclass
class DsnDeclaration:
    siren: str
    nic: str
    month: date
    individuals: list[DsnIndividual]
    type: str = "01"
    fraction: str = "11"
    ordre: str = "1"
    built_on: date | None = None
    replaced_id: str = ""
    naf: str = "4711D"
    postal_code: str = "35000"
    locality: str = "RENNES"
    headcount: int | None = None
    idcc: str = "2216"
    workplaces: list[dict] = field(default_factory=list)  # {"id", "naf", "postal_code", "commune"}


def render_envoi(
    declarations: Iterable[DsnDeclaration], company: str = "ENTREPRISE", cotisations: bool = False
) -> str:
    """One file: an envoi holding the given declarations (same émetteur).

    `cotisations` adds the base and contribution blocks (.78/.81) real files are mostly made of.
    """
    declarations = list(declarations)
    lines: list[tuple[str, str]] = []
    first = declarations[0]
    lines += [
        ("S10.G00.00.001", "Logiciel Champollion"),
        ("S10.G00.00.002", "COMMUNS"),
        ("S10.G00.00.003", "1.0"),
        ("S10.G00.00.005", "02"),
        ("S10.G00.00.006", "P24V01"),
        ("S10.G00.00.008", "01"),
        ("S10.G00.01.001", first.siren),
        ("S10.G00.01.002", first.nic),
        ("S10.G00.01.003", company),
        ("S10.G00.01.004", "1 RUE DE LA PAIE"),
        ("S10.G00.01.005", first.postal_code),
        ("S10.G00.01.006", first.locality),
        ("S10.G00.02.002", "SERVICE PAIE"),
        ("S10.G00.02.004", "paie@example.invalid"),
    ]
    for decl in declarations:
        lines += _declaration_lines(decl, cotisations)
    lines = [(rubric, value) for rubric, value in lines if value != ""]
    lines += [("S90.G00.90.001", str(len(lines) + 2)), ("S90.G00.90.002", str(len(declarations)))]
    return "".join(f"{rubric},'{value}'\n" for rubric, value in lines)


def _declaration_lines(decl: DsnDeclaration, cotisations: bool = False) -> list[tuple[str, str]]:
    headcount = decl.headcount if decl.headcount is not None else len(decl.individuals)
    out = [
        ("S20.G00.05.001", "01"),
        ("S20.G00.05.002", decl.type),
        ("S20.G00.05.003", decl.fraction),
        ("S20.G00.05.004", decl.ordre),
        ("S20.G00.05.005", d(decl.month.replace(day=1))),
        ("S20.G00.05.006", decl.replaced_id if decl.type in ("03", "04", "05") else ""),
        ("S20.G00.05.007", d(decl.built_on or decl.month)),
        ("S20.G00.05.008", "01"),
        ("S20.G00.05.010", "01"),
        ("S21.G00.06.001", decl.siren),
        ("S21.G00.06.002", decl.nic),
        ("S21.G00.06.003", decl.naf),
        ("S21.G00.06.004", "1 RUE DE LA PAIE"),
        ("S21.G00.06.005", decl.postal_code),
        ("S21.G00.06.006", decl.locality),
        ("S21.G00.06.009", str(headcount)),
        ("S21.G00.06.015", decl.idcc),
        ("S21.G00.11.001", decl.nic),
        ("S21.G00.11.002", decl.naf),
        ("S21.G00.11.003", "1 RUE DE LA PAIE"),
        ("S21.G00.11.004", decl.postal_code),
        ("S21.G00.11.005", decl.locality),
        ("S21.G00.11.008", str(headcount)),
        ("S21.G00.11.022", decl.idcc),
    ]
    for person in decl.individuals:
        out += [
            ("S21.G00.30.001", person.nir),
            ("S21.G00.30.002", person.nom),
            ("S21.G00.30.004", person.prenoms),
            ("S21.G00.30.005", person.sex),
            ("S21.G00.30.006", d(person.birth)),
            ("S21.G00.30.007", "RENNES"),
        ]
        for c in person.contracts:
            out += [
                ("S21.G00.40.001", d(c.start)),
                ("S21.G00.40.002", "04"),
                ("S21.G00.40.004", c.pcs),
                ("S21.G00.40.006", c.libelle),
                ("S21.G00.40.007", c.nature),
                ("S21.G00.40.008", c.dispositif),
                ("S21.G00.40.009", c.numero),
                ("S21.G00.40.010", d(c.expected_end)),
                ("S21.G00.40.011", "10"),
                ("S21.G00.40.012", "151.67"),
                ("S21.G00.40.013", "151.67"),
                ("S21.G00.40.017", c.idcc),
                ("S21.G00.40.021", c.motif),
                ("S21.G00.40.046", c.etu_siret),
            ]
            for change in c.changes:
                out += [
                    ("S21.G00.41.001", d(change.get("date") or decl.month)),
                    ("S21.G00.41.012", change.get("old_siret", "")),
                    ("S21.G00.41.014", change.get("old_numero", "")),
                    ("S21.G00.41.021", d(change.get("old_start"))),
                ]
            for absence in c.absences:
                if absence["kind"] == "arret":
                    out += [
                        ("S21.G00.60.001", absence.get("motif", "01")),
                        ("S21.G00.60.002", d(absence["start"])),
                        ("S21.G00.60.003", d(absence.get("end"))),
                    ]
            if c.end:
                out += [("S21.G00.62.001", d(c.end)), ("S21.G00.62.002", c.end_motif or "031")]
            for absence in c.absences:
                if absence["kind"] == "suspension":
                    out += [
                        ("S21.G00.65.001", absence.get("motif", "501")),
                        ("S21.G00.65.002", d(absence["start"])),
                        ("S21.G00.65.003", d(absence.get("end"))),
                    ]
        paid = [c for c in person.contracts if c.paid]
        if paid:
            out += [
                ("S21.G00.50.001", d(decl.month.replace(day=28))),
                ("S21.G00.50.002", "1500.00"),
                ("S21.G00.50.004", "1500.00"),
            ]
            for c in paid:
                out += [
                    ("S21.G00.51.001", d(max(c.start, decl.month.replace(day=1)))),
                    ("S21.G00.51.002", d(decl.month.replace(day=28))),
                    ("S21.G00.51.010", c.numero),
                    ("S21.G00.51.011", "001"),
                    ("S21.G00.51.013", "1800.00"),
                ]
            if cotisations:
                period = [d(decl.month.replace(day=1)), d(decl.month.replace(day=28))]
                out += [
                    ("S21.G00.78.001", "03"),
                    ("S21.G00.78.002", period[0]),
                    ("S21.G00.78.003", period[1]),
                    ("S21.G00.78.004", "1800.00"),
                ]
                for code, amount in (("075", "126.00"), ("076", "34.20"), ("100", "18.90"), ("106", "45.00")):
                    out += [
                        ("S21.G00.81.001", code),
                        ("S21.G00.81.002", "78861779300013"),
                        ("S21.G00.81.003", "1800.00"),
                        ("S21.G00.81.004", amount),
                    ]
    for place in decl.workplaces:
        out += [
            ("S21.G00.85.001", place["id"]),
            ("S21.G00.85.002", place.get("naf", "")),
            ("S21.G00.85.004", place.get("postal_code", "")),
            ("S21.G00.85.011", place.get("commune", "")),
        ]
    return out
