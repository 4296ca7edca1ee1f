"""Consolidation: valid declarations, chaining, effective end, renewals, interim."""

from datetime import date
from pathlib import Path

import pytest

from communs.champollion.engine.consolidation import (
    END_DECLARED,
    END_INFERRED,
    END_OPEN,
    consolidate,
    departement_of_postal_code,
    select_valid,
)
from communs.champollion.engine.dsn_reader import DsnReader
from communs.champollion.engine.dsn_writer import DsnContract, DsnDeclaration, DsnIndividual, render_envoi
from tests.champollion.dsn_fixtures import CARENCE_SIRET, RENEWAL_SIRET, REPLACE_SIRET

DATA = Path(__file__).parent / "data"


def load(*folders):
    reader = DsnReader()
    return consolidate(reader.iter_declarations([DATA / f for f in folders]))


def person(contracts, nir="2900375123456"):
    return DsnIndividual(nir=nir, nom="TEST", prenoms="T", birth=date(1990, 1, 1), contracts=contracts)


def write(tmp_path, decls_by_file):
    for name, decls in decls_by_file.items():
        (tmp_path / name).write_text(render_envoi(decls), encoding="utf-8")
    return consolidate(DsnReader().iter_declarations([tmp_path]))


def decl(month, contracts, **kw):
    return DsnDeclaration(
        siren=CARENCE_SIRET[:9], nic=CARENCE_SIRET[9:], month=month, individuals=[person(contracts)], **kw
    )


def test_committed_fixtures_are_what_the_builder_writes():
    from tests.champollion.dsn_fixtures import all_files

    for name, text in all_files().items():
        assert (DATA / name).read_text(encoding="utf-8") == text, name


def test_annule_et_remplace_and_renumbering_give_one_contract_per_person():
    result = load("annule-remplace")
    # the January file is replaced (type 03): its poste CAISSIER for C100 never counts
    assert [d["file"] for d in result.declarations_discarded] == ["dsn-2024-01.txt"]
    by_number = {c.numero: c for c in result.contracts}
    assert set(by_number) == {"C100-B", "C200"}  # no duplicate for the renumbered contract
    renumbered = by_number["C100-B"]
    assert renumbered.poste == "VENDEUR"
    assert renumbered.previous_numeros == ["C100"]
    assert [m.month for m in renumbered.months] == [1, 2, 3]  # chained across the three months
    assert (renumbered.end, renumbered.end_status) == (date(2024, 3, 31), END_DECLARED)
    assert result.establishments[REPLACE_SIRET].months[-1] == date(2024, 5, 1)


def test_type_04_cancels_the_month(tmp_path):
    c = DsnContract("A1", date(2024, 1, 2), "AGENT", expected_end=date(2024, 6, 30))
    result = write(
        tmp_path,
        {
            "a.dsn": [decl(date(2024, 1, 1), [c], built_on=date(2024, 2, 1))],
            "b.dsn": [decl(date(2024, 1, 1), [c], type="04", ordre="2", built_on=date(2024, 2, 3))],
        },
    )
    assert result.contracts == []
    assert result.declarations_kept == 0


def test_replacement_read_before_the_original_still_wins(tmp_path):
    """Order comes from the date of constitution, not from the file name."""
    old = DsnContract("A1", date(2024, 1, 2), "CAISSIER", expected_end=date(2024, 6, 30))
    new = DsnContract("A1", date(2024, 1, 2), "VENDEUR", expected_end=date(2024, 6, 30))
    result = write(
        tmp_path,
        {
            "0-replacement.dsn": [decl(date(2024, 1, 1), [new], type="03", ordre="2", built_on=date(2024, 2, 9))],
            "1-original.dsn": [decl(date(2024, 1, 1), [old], built_on=date(2024, 2, 2))],
        },
    )
    assert [c.poste for c in result.contracts] == ["VENDEUR"]


def test_motif_099_cancels_a_declared_end(tmp_path):
    months = [date(2024, m, 1) for m in (1, 2, 3)]
    ended = DsnContract("A1", date(2024, 1, 2), "AGENT", expected_end=date(2024, 6, 30), end=date(2024, 2, 15))
    cancelled = DsnContract(
        "A1", date(2024, 1, 2), "AGENT", expected_end=date(2024, 6, 30), end=date(2024, 2, 15), end_motif="099"
    )
    plain = DsnContract("A1", date(2024, 1, 2), "AGENT", expected_end=date(2024, 6, 30))
    result = write(
        tmp_path,
        {f"{i}.dsn": [decl(m, [c])] for i, (m, c) in enumerate(zip(months, [ended, cancelled, plain], strict=True))},
    )
    (contract,) = result.contracts
    assert (contract.end, contract.end_status) == (None, END_OPEN)


@pytest.mark.parametrize(
    ("declared_months", "expected_end", "end", "status"),
    [
        # seen Jan–Feb, establishment declares Mar, Apr, May (3 months without it) → inferred:
        # expected end 20/02 falls in the last month seen (Feb) → end = 20/02
        ([1, 2, 3, 4, 5], date(2024, 2, 20), date(2024, 2, 20), END_INFERRED),
        # same, expected end 30/06 is after Feb → end = last day of Feb (29/02, leap year)
        ([1, 2, 3, 4, 5], date(2024, 6, 30), date(2024, 2, 29), END_INFERRED),
        # only 2 months of absence (Mar, Apr) → still open
        ([1, 2, 3, 4], date(2024, 2, 20), None, END_OPEN),
    ],
)
def test_inferred_end(tmp_path, declared_months, expected_end, end, status):
    c = DsnContract("A1", date(2024, 1, 2), "AGENT", expected_end=expected_end)
    other = DsnContract("B1", date(2020, 1, 1), "DIRECTEUR", nature="01", motif="")
    files = {}
    for m in declared_months:
        contracts = [c] if m <= 2 else []
        files[f"{m}.dsn"] = [
            DsnDeclaration(
                siren=CARENCE_SIRET[:9],
                nic=CARENCE_SIRET[9:],
                month=date(2024, m, 1),
                individuals=[person(contracts), person([other], nir="1800175123456")],
            )
        ]
    result = write(tmp_path, files)
    contract = next(c for c in result.contracts if c.numero == "A1")
    assert (contract.end, contract.end_status) == (end, status)


def test_renewals_seen_monthly():
    """31/03/2023 → 30/06/2023 → 31/12/2023 → 30/06/2024 → 30/09/2024, each seen before the term in force."""
    result = load("renouvellements")
    (contract,) = result.contracts
    assert contract.siret == RENEWAL_SIRET
    assert [(r.index, r.new_end) for r in contract.renewals] == [
        (1, date(2023, 6, 30)),
        (2, date(2023, 12, 31)),
        (3, date(2024, 6, 30)),
        (4, date(2024, 9, 30)),
    ]
    assert (contract.end, contract.end_status) == (date(2024, 9, 30), END_DECLARED)
    assert contract.continuation_month is None
    assert len(contract.months) == 21  # Jan 2023 … Sep 2024, one contract never cut at month ends


def test_same_value_redeclared_is_not_a_renewal_and_late_increase_is_a_continuation(tmp_path):
    files = {}
    for m, end in [(1, date(2024, 2, 29)), (2, date(2024, 2, 29)), (3, date(2024, 4, 30)), (4, date(2024, 4, 30))]:
        c = DsnContract("A1", date(2024, 1, 2), "AGENT", expected_end=end)
        files[f"{m}.dsn"] = [decl(date(2024, m, 1), [c])]
    result = write(tmp_path, files)
    (contract,) = result.contracts
    assert contract.renewals == []  # 29/02 re-declared in Feb is nothing; 30/04 first seen in March, after 29/02
    assert (contract.continuation_month, contract.continuation_term) == (date(2024, 3, 1), date(2024, 2, 29))


def test_interim_mission_is_attached_to_the_user_establishment():
    result = load("interim")
    (mission,) = result.contracts
    assert mission.siret != CARENCE_SIRET  # keeps the agency's SIRET
    assert mission.analysis_siret == CARENCE_SIRET
    etu = result.establishments[CARENCE_SIRET]
    assert (etu.declares, etu.departement) == (False, "35")


@pytest.mark.parametrize(
    ("postal_code", "departement"),
    [("35000", "35"), ("20000", "2A"), ("20200", "2B"), ("97400", "974"), ("57000", "57"), ("x", "")],
)
def test_departement_of_postal_code(postal_code, departement):
    assert departement_of_postal_code(postal_code) == departement


def test_select_valid_keeps_first_normal_and_reports_duplicates():
    reader = DsnReader()
    decls = list(
        reader.iter_declarations([DATA / "carence" / "dsn-2024-04.txt", DATA / "carence" / "dsn-2024-04.txt"])
    )
    kept, discarded = select_valid(decls)
    assert len(kept) == 1
    assert "doublon" in discarded[0]["reason"]
