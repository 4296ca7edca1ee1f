"""Quality criteria (data.gouv.fr's) and the one-day slack of "update respected"."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from communs.ecospheres.engine.quality import CRITERIA, evaluate
from communs.ecospheres.engine.records import Agent, DatasetRecord, Distribution
from communs.ecospheres.engine.shacl import validate_record

COMPLETE = DatasetRecord(
    remote_id="fr-eau-001",
    title="Qualité de l'eau distribuée",
    description="Résultats du contrôle sanitaire des eaux destinées à la consommation humaine, par unité de "
    "distribution et par paramètre, publiés chaque année par l'agence régionale de santé.",
    identifiers=["FR-EAU-001"],
    publisher=Agent(name="ARS Bretagne"),
    license="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    territories=["departement:35"],
    temporal_start=date(2020, 1, 1),
    frequency="ANNUAL",
    modified=date(2026, 1, 15),
    distributions=[
        Distribution(url="https://data.example.org/eau.csv", title="Résultats", description="CSV", format="CSV")
    ],
)
TODAY = date(2026, 6, 1)


def failed(record, today=TODAY):
    return [c["id"] for c in evaluate(record, today).criteria if not c["passed"]]


def test_complete_dataset_passes_every_criterion():
    result = evaluate(COMPLETE, TODAY)
    assert (result.score, result.max) == (len(CRITERIA), len(CRITERIA))
    assert all(c["advice"] for c in result.criteria)


def test_removing_the_licence_fails_exactly_the_licence_criterion():
    assert failed(replace(COMPLETE, license="")) == ["license"]


@pytest.mark.parametrize(
    ("days_after_period", "passed"),
    [
        (0, True),  # modified 2026-01-15 + 366 days (ANNUAL) = 2027-01-16: on time
        (1, True),  # one day late: inside the slack
        (2, False),  # two days late: beyond the one-day slack
    ],
)
def test_update_frequency_slack_of_one_day_on_both_sides(days_after_period, passed):
    today = COMPLETE.modified + timedelta(days=366 + days_after_period)
    assert ("update_fulfilled_in_time" not in failed(COMPLETE, today)) is passed


def test_short_description_and_closed_format_fail_their_criteria():
    record = replace(
        COMPLETE, description="Trop court.", distributions=[Distribution(url="https://x/a.xls", format="XLS")]
    )
    assert set(failed(record)) == {"dataset_description_quality", "has_open_format", "resources_documentation"}


def test_shacl_lists_a_missing_mandatory_description():
    assert validate_record(COMPLETE) == []
    violations = validate_record(replace(COMPLETE, description=""))
    assert [v.path for v in violations] == ["http://purl.org/dc/terms/description"]
