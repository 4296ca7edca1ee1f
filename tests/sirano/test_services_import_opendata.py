"""Legacy import through the service (all or nothing) and the open data files (Table Schema, 360Giving)."""

import io
import json

import pyarrow.parquet as pq
from frictionless import Resource, Schema, validate
from openpyxl import Workbook

from communs.sirano import opendata, services
from communs.sirano.engine.opendata import COLUMNS, PERSONAL_DATA_WORDS
from communs.sirano.models import ImportRun, Project


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_three_spellings_in_two_files_are_one_project_with_raw_ids_kept(world):
    first = "Identifiant;Montant attribué;FINESS;Titre\nPHRC-N 2021 / 21-0456;100 000,00;350000741;Essai\n"
    first += "PHRCN-21-0456;100000;350000741;\n"
    second = xlsx([["N° projet", "Financement", "Établissement"], ["phrc n 2021 n°21-0456", 100000, "CHU de Rennes"]])
    plan = services.import_legacy(world["admin"], [("2021.csv", first.encode()), ("suivi.xlsx", second)])
    assert plan.report() == {"rows": 3, "created": 1, "merged": 2, "conflicts": [], "rejected": []}
    project = Project.objects.get(identifier="PHRC-N-2021-0456")
    assert project.raw_identifiers == ["PHRC-N 2021 / 21-0456", "PHRCN-21-0456", "phrc n 2021 n°21-0456"]
    assert project.tranches.count() == 4 and project.award_cents == 10_000_000
    # importing the third spelling again merges into the stored project
    again = services.import_legacy(world["admin"], [("suivi.xlsx", second)])
    assert (again.created, again.merged) == (0, 1)


def test_nothing_is_half_imported(world):
    data = "identifiant,montant,finess\nPRME-2022-0001,1000,350000741\nPRME-2022-0002,abc,350000741\n"
    plan = services.import_legacy(world["admin"], [("f.csv", data.encode())])
    assert plan.rejected == [{"row": 3, "reason": "f.csv, ligne 3 : colonne montant : montant « abc » illisible"}]
    assert not Project.objects.filter(identifier__startswith="PRME-2022").exists()
    assert ImportRun.objects.get().applied is False


def test_conflict_with_a_stored_project_blocks_the_import(world):
    data = "identifiant,montant,finess\nPHRC-N-2019-0123,499999.99,350000741\nPRME-2022-0001,10,350000741\n"
    plan = services.import_legacy(world["admin"], [("f.csv", data.encode())])
    assert plan.conflicts[0]["identifier"] == "PHRC-N-2019-0123"
    assert not Project.objects.filter(identifier="PRME-2022-0001").exists()


def test_open_data_validates_against_its_table_schema(world, tmp_path):
    path = tmp_path / "sirano-projets.csv"
    path.write_bytes(opendata.csv_bytes())
    schema = Schema.from_descriptor(opendata.table_schema())
    report = validate(Resource(path=path.name, basepath=str(tmp_path), schema=schema))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert path.read_text().count("\n") == 3  # header + 2 projects


def test_open_data_holds_no_personal_data(world):
    text = opendata.csv_bytes().decode()
    assert "Martin" not in text and "Durand" not in text
    for column in COLUMNS:
        assert not any(word in column for word in PERSONAL_DATA_WORDS), column
    assert "Martin" not in json.dumps(opendata.giving_json())


def test_parquet_has_the_schema_columns(world):
    table = pq.read_table(io.BytesIO(opendata.parquet_bytes()))
    assert table.column_names == COLUMNS
    assert [str(v) for v in table.column("montant_attribue").to_pylist()] == ["500000.00", "200000.00"]


def test_360giving_grants(world):
    grants = opendata.giving_json()["grants"]
    grant = next(g for g in grants if g["id"] == "360G-SIRANO-PHRC-N-2019-0123")
    assert grant["currency"] == "EUR" and grant["amountAwarded"] == 500000.0
    assert grant["recipientOrganization"][0]["id"] == "FR-FINESS-350000741"
    assert {"id", "title", "description", "currency", "amountAwarded", "awardDate", "recipientOrganization",
            "fundingOrganization"} <= set(grant)  # fmt: skip
