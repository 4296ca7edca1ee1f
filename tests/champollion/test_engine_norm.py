"""The versioned norm module matches the official machine-readable file (when it is available)."""

import importlib.util
from pathlib import Path

import pytest

from communs.champollion.engine.norms import LATEST, ancestors, get_norm, p24v01

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "champollion_extract_norm.py"
XLSX = Path("/work/shared/data/dsn/dsn-datatypes-CT2024.xlsx")


def test_get_norm_falls_back_to_latest():
    assert get_norm("P99V99").VERSION == LATEST
    assert get_norm("p24v01") is p24v01


@pytest.mark.parametrize(
    ("block", "chain"),
    [
        # contrat → individu → établissement → entreprise → déclaration (block-parent table)
        ("S21.G00.40", ("S21.G00.30", "S21.G00.11", "S21.G00.06", "S20.G00.05")),
        ("S21.G00.62", ("S21.G00.40", "S21.G00.30", "S21.G00.11", "S21.G00.06", "S20.G00.05")),
        ("S21.G00.51", ("S21.G00.50", "S21.G00.30", "S21.G00.11", "S21.G00.06", "S20.G00.05")),
        ("S21.G00.85", ("S20.G00.05",)),
        ("S10.G00.01", ("S10.G00.00",)),
    ],
)
def test_block_chains(block, chain):
    assert ancestors(p24v01, block) == chain


@pytest.mark.parametrize(
    ("table", "code", "label_start"),
    [
        ("NATURE_CONTRAT", "02", "Contrat de travail à durée déterminée"),
        ("NATURE_CONTRAT", "03", "Contrat de mission"),
        ("MOTIF_RECOURS", "02", "Accroissement temporaire"),
        ("MOTIF_RUPTURE", "031", "fin de contrat à durée déterminée"),
        ("MOTIF_RUPTURE", "099", "Annulation"),
        ("DECLARATION_TYPE", "03", "déclaration annule et remplace"),
        ("DISPOSITIF", "99", "Non concerné"),
    ],
)
def test_code_lists(table, code, label_start):
    assert getattr(p24v01, table)[code].startswith(label_start)


@pytest.mark.skipif(not XLSX.exists(), reason="official norm file not available (/work/shared absent)")
def test_module_matches_the_official_xlsx():
    spec = importlib.util.spec_from_file_location("extract_norm", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    norm = module.read_norm(XLSX)
    assert norm["version"] == p24v01.VERSION
    assert norm["parents"] == p24v01.BLOCK_PARENTS
    assert norm["labels"] == p24v01.RUBRIC_LABELS
    for name, values in norm["code_lists"].items():
        assert values == getattr(p24v01, name), name
