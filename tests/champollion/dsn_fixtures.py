"""The acceptance scenarios as DSN files (real syntax), committed under tests/champollion/data/.

Regenerate with `uv run python -m tests.champollion.dsn_fixtures`; a test checks the committed
files are exactly what this module writes.
"""

from datetime import date
from pathlib import Path

from communs.champollion.engine.dsn_writer import (
    DsnContract,
    DsnDeclaration,
    DsnIndividual,
    render_envoi,
    siren_with_key,
    siret_with_key,
)

DATA = Path(__file__).parent / "data"

# Carence scenario: an establishment in Rennes (35)
CARENCE_SIRET = siret_with_key(siren_with_key("35200001"), "0001")
RENEWAL_SIRET = siret_with_key(siren_with_key("44300002"), "0001")
REPLACE_SIRET = siret_with_key(siren_with_key("75600003"), "0001")
AGENCY_SIRET = siret_with_key(siren_with_key("35900004"), "0001")


def _person(n: int, nom: str, prenoms: str, contracts) -> DsnIndividual:
    nir = f"1{85 + n % 10:02d}0135{238 + n:03d}{100 + n:03d}"
    return DsnIndividual(nir=nir, nom=nom, prenoms=prenoms, birth=date(1985, 1, 1 + n), contracts=contracts)


def _decl(siret: str, month: date, people, **kw) -> DsnDeclaration:
    return DsnDeclaration(siren=siret[:9], nic=siret[9:], month=month, individuals=people, **kw)


def carence_files() -> dict[str, str]:
    """CDD ATA 02/04/2024 → 26/04/2024 (motif de rupture 031), next CDD on the same poste on 13/05/2024."""
    poste = "PREPARATEUR DE COMMANDES"
    first = DsnContract("CDD2024001", date(2024, 4, 2), poste, expected_end=date(2024, 4, 26))
    ended = DsnContract(
        "CDD2024001", date(2024, 4, 2), poste, expected_end=date(2024, 4, 26), end=date(2024, 4, 26), end_motif="031"
    )
    second = DsnContract("CDD2024002", date(2024, 5, 13), poste, expected_end=date(2024, 7, 31))
    april = _decl(CARENCE_SIRET, date(2024, 4, 1), [_person(1, "MARTIN", "JULIE", [ended])])
    may = _decl(CARENCE_SIRET, date(2024, 5, 1), [_person(2, "DURAND", "LUCAS", [second])])
    assert first.numero == ended.numero
    return {
        "carence/dsn-2024-04.txt": render_envoi([april], "LOGISTIQUE DE BRETAGNE"),
        "carence/dsn-2024-05.txt": render_envoi([may], "LOGISTIQUE DE BRETAGNE"),
    }


RENEWAL_PLAN = [  # (first month the new expected end is declared, expected end)
    (date(2023, 1, 1), date(2023, 3, 31)),
    (date(2023, 3, 1), date(2023, 6, 30)),
    (date(2023, 6, 1), date(2023, 12, 31)),
    (date(2023, 12, 1), date(2024, 6, 30)),
    (date(2024, 6, 1), date(2024, 9, 30)),
]


def renewal_files() -> dict[str, str]:
    """One CDD from 02/01/2023 whose expected end moves four times, ended 30/09/2024; monthly DSN."""
    files = {}
    month = date(2023, 1, 1)
    while month <= date(2024, 9, 1):
        expected = [end for seen, end in RENEWAL_PLAN if seen <= month][-1]
        last = month == date(2024, 9, 1)
        contract = DsnContract(
            "CDD2023100",
            date(2023, 1, 2),
            "AGENT DE QUAI",
            expected_end=expected,
            end=date(2024, 9, 30) if last else None,
            end_motif="031" if last else "",
        )
        decl = _decl(
            RENEWAL_SIRET,
            month,
            [_person(3, "BERNARD", "ALICE", [contract])],
            postal_code="44300",
            locality="NANTES",
            naf="5210B",
        )
        files[f"renouvellements/dsn-{month:%Y-%m}.txt"] = render_envoi([decl], "ENTREPOTS DE L'OUEST")
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return files


def replace_files() -> dict[str, str]:
    """Annule et remplace changing the poste of January, then a renumbering (.41.014) in February."""
    start = date(2024, 1, 8)
    common = {"postal_code": "75011", "locality": "PARIS", "naf": "4771Z"}
    wrong = DsnContract("C100", start, "CAISSIER", expected_end=date(2024, 3, 31))
    right = DsnContract("C100", start, "VENDEUR", expected_end=date(2024, 3, 31))
    other = DsnContract("C200", date(2024, 1, 15), "CAISSIER", expected_end=date(2024, 12, 31), motif="01")
    renumbered = DsnContract(
        "C100-B",
        start,
        "VENDEUR",
        expected_end=date(2024, 3, 31),
        changes=[{"date": date(2024, 2, 1), "old_numero": "C100"}],
    )
    ended = DsnContract(
        "C100-B", start, "VENDEUR", expected_end=date(2024, 3, 31), end=date(2024, 3, 31), end_motif="031"
    )

    def people(contract):
        return [_person(4, "PETIT", "NOAH", [contract]), _person(5, "ROUX", "EMMA", [other])]

    files = {
        "annule-remplace/dsn-2024-01.txt": render_envoi(
            [_decl(REPLACE_SIRET, date(2024, 1, 1), people(wrong), built_on=date(2024, 2, 5), **common)], "BOUTIQUE"
        ),
        "annule-remplace/dsn-2024-01-annule-remplace.txt": render_envoi(
            [
                _decl(
                    REPLACE_SIRET,
                    date(2024, 1, 1),
                    people(right),
                    type="03",
                    ordre="2",
                    built_on=date(2024, 2, 12),
                    replaced_id="000000000000000000000000000000001",
                    **common,
                )
            ],
            "BOUTIQUE",
        ),
        "annule-remplace/dsn-2024-02.txt": render_envoi(
            [_decl(REPLACE_SIRET, date(2024, 2, 1), people(renumbered), **common)], "BOUTIQUE"
        ),
        "annule-remplace/dsn-2024-03.txt": render_envoi(
            [_decl(REPLACE_SIRET, date(2024, 3, 1), people(ended), **common)], "BOUTIQUE"
        ),
    }
    for month in (4, 5):
        files[f"annule-remplace/dsn-2024-{month:02d}.txt"] = render_envoi(
            [_decl(REPLACE_SIRET, date(2024, month, 1), [_person(5, "ROUX", "EMMA", [other])], **common)], "BOUTIQUE"
        )
    return files


def interim_files() -> dict[str, str]:
    """A temp agency declares a mission (nature 03) at the carence establishment (ETU)."""
    mission = DsnContract(
        "MIS000777",
        date(2024, 5, 6),
        "PREPARATEUR DE COMMANDES",
        nature="03",
        motif="02",
        expected_end=date(2024, 5, 10),
        end=date(2024, 5, 10),
        end_motif="032",
        etu_siret=CARENCE_SIRET,
        idcc="1413",
    )
    decl = _decl(
        AGENCY_SIRET,
        date(2024, 5, 1),
        [_person(6, "LEROY", "HUGO", [mission])],
        naf="7820Z",
        postal_code="35700",
        locality="RENNES",
        workplaces=[{"id": CARENCE_SIRET, "naf": "5210B", "postal_code": "35000", "commune": "35238"}],
    )
    return {"interim/dsn-2024-05-agence.txt": render_envoi([decl], "INTERIM OUEST")}


def all_files() -> dict[str, str]:
    return {**carence_files(), **renewal_files(), **replace_files(), **interim_files()}


def write_all(root: Path = DATA) -> None:
    for name, text in all_files().items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write_all()
