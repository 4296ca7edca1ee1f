"""Identifier normalisation: the spellings of one project give one key."""

import pytest

from communs.sirano.engine.identifiers import (
    IdentifierError,
    normalise_dois,
    normalise_finess,
    normalise_project_id,
    normalise_registry_ids,
)


@pytest.mark.parametrize(
    "raw", ["PHRC-N 2019 / 19-0123", "PHRCN-19-0123", "phrc n 2019 n°19-0123", "PHRC-N-2019-0123"]
)
def test_three_spellings_are_one_project(raw):
    assert normalise_project_id(raw).canonical == "PHRC-N-2019-0123"


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [("PRT-K 2021 / 21-045", "PRT-K-2021-0045"), ("preps 2020 n° 20-12", "PREPS-2020-0012"),
     ("PHRC-I 2018 123", "PHRC-I-2018-0123")],
)  # fmt: skip
def test_other_programmes(raw, canonical):
    assert normalise_project_id(raw).canonical == canonical


@pytest.mark.parametrize("raw", ["", "ABC-19-0001", "PHRC-N 2019 / 18-0123", "PHRCN-0123", "PHRC-N 1999 99-1"])
def test_bad_identifiers_are_refused(raw):
    with pytest.raises(IdentifierError):
        normalise_project_id(raw)


def test_registry_ids_and_dois():
    assert normalise_registry_ids("NCT01234567 ; eudract 2019-001234-56, EU CT 2023-500123-45-00") == [
        "NCT01234567",
        "2019-001234-56",
        "2023-500123-45-00",
    ]
    assert normalise_dois("https://doi.org/10.1000/ABC.1; doi:10.1000/abc.1.") == ["10.1000/abc.1"]


def test_finess():
    assert normalise_finess("35 000 0741") == "350000741"
    assert normalise_finess("2A0000123") == "2A0000123"
    with pytest.raises(IdentifierError):
        normalise_finess("12345")
