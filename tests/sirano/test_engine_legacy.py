"""Legacy import (engine): header mapping, consolidation across files, conflicts and rejected rows."""

import io
from datetime import date

from openpyxl import Workbook

from communs.sirano.engine.delays import MilestoneDates, delay_of, summarise
from communs.sirano.engine.headers import check_mapping, suggest_mapping
from communs.sirano.engine.legacy import Existing, consolidate, read_workbook

ESTABLISHMENTS = {"350000741": "CHU de Rennes", "440000289": "CHU de Nantes"}


def test_header_mapping_suggestion():
    mapping = suggest_mapping(["N° projet", "Montant alloué (€)", "Établissement coordonnateur", "Intitulé", "Divers"])
    assert mapping == {
        "N° projet": "identifiant",
        "Montant alloué (€)": "montant",
        "Établissement coordonnateur": "etablissement",
        "Intitulé": "titre",
    }
    assert check_mapping({"A": "titre"}) == [
        "aucune colonne pour le champ obligatoire « identifiant »",
        "aucune colonne pour le champ obligatoire « montant »",
    ]


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_two_files_with_different_headers_make_one_project():
    csv_file = (
        "Identifiant;Montant attribué;FINESS;Titre\n"
        "PHRC-N 2019 / 19-0123;500 000,00;350000741;Essai A\n"
        "PHRCN-19-0123;500000;350000741;\n"
    ).encode()
    xlsx_file = _xlsx({"2019": [["Référence dossier", "Financement", "Établissement"],
                                ["phrc n 2019 n°19-0123", 500000.0, "CHU de rennes"]]})  # fmt: skip
    sheets = read_workbook("a.csv", csv_file) + read_workbook("b.xlsx", xlsx_file)
    plan = consolidate(sheets, None, existing={}, establishments=ESTABLISHMENTS)
    assert plan.report() == {"rows": 3, "created": 1, "merged": 2, "conflicts": [], "rejected": []}
    record = plan.records["PHRC-N-2019-0123"]
    assert record.raw_ids == ["PHRC-N 2019 / 19-0123", "PHRCN-19-0123", "phrc n 2019 n°19-0123"]
    assert (record.finess, record.award_cents, record.title) == ("350000741", 50_000_000, "Essai A")


def test_conflicts_and_rejected_rows_have_their_row_numbers():
    data = (
        b"identifiant,montant,finess\n"  # row 1
        b"PREPS-2020-0001,1000,350000741\n"  # row 2
        b"PREPS 2020 / 20-0001,1200,350000741\n"  # row 3: same project, other amount
        b"XYZ-1,1000,350000741\n"  # row 4: unknown programme
        b"PREPS-2020-0002,abc,350000741\n"  # row 5: amount
        b"PREPS-2020-0003,10,999\n"  # row 6: FINESS
    )
    plan = consolidate(read_workbook("f.csv", data), None, existing={}, establishments=ESTABLISHMENTS)
    assert [c["row"] for c in plan.conflicts] == [3]
    assert plan.conflicts[0]["amounts"] == ["1000.00", "1200.00"]
    assert [r["row"] for r in plan.rejected] == [4, 5, 6]
    assert "montant" in plan.rejected[1]["reason"] and "f.csv, ligne 5" in plan.rejected[1]["reason"]
    assert not plan.ok


def test_a_project_already_stored_is_merged_or_in_conflict():
    data = b"identifiant,montant,finess\nPRME-2021-0007,2000,440000289\nPRME 2021 21-0008,5,440000289\n"
    existing = {"PRME-2021-0007": Existing(200_000, ["PRME-2021-0007"]), "PRME-2021-0008": Existing(600, ["x"])}
    plan = consolidate(read_workbook("f.csv", data), None, existing=existing, establishments=ESTABLISHMENTS)
    assert (plan.created, plan.merged, [c["identifier"] for c in plan.conflicts]) == (0, 1, ["PRME-2021-0008"])


def test_delays():
    today = date(2026, 1, 31)
    late = delay_of(MilestoneDates("fin_etude", date(2026, 1, 1), date(2026, 1, 11)), today)  # 10 days late
    early = delay_of(MilestoneDates("fin_etude", date(2026, 1, 1), date(2025, 12, 27)), today)  # 5 days early
    overdue = delay_of(MilestoneDates("fin_etude", date(2026, 1, 1), None), today)  # 30 days past, open
    assert (late.days, early.days, overdue.days, overdue.overdue_days) == (10, -5, None, 30)
    summary = summarise([late, early, overdue])
    assert (summary.declared, summary.late, summary.mean_days, summary.overdue) == (2, 1, 2.5, 1)  # (10−5)/2
