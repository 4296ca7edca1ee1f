"""Opening-day calendars from CSV, and poste normalisation/merges."""

from datetime import date

import pytest

from communs.champollion.engine.calendars import CalendarFileError, parse_weekdays, read_calendar_csv
from communs.champollion.engine.postes import merge_suggestions, normalise_poste, resolve_merges


@pytest.mark.parametrize(
    ("spec", "days"),
    [("mon-fri", {0, 1, 2, 3, 4}), ("mon-sat", {0, 1, 2, 3, 4, 5}), ("mon,wed,fri", {0, 2, 4}), ("sun", {6})],
)
def test_parse_weekdays(spec, days):
    assert parse_weekdays(spec) == days


def test_read_calendar_csv(tmp_path):
    path = tmp_path / "cal.csv"
    path.write_text(
        "siret,weekdays,closed_dates,holidays_closed\n"
        "35200001200018,mon-sat,2024-08-05;2024-08-06,false\n"
        "44300002100016,mon-fri,,true\n",
        encoding="utf-8",
    )
    calendars = read_calendar_csv(path)
    first = calendars["35200001200018"]
    assert first.weekdays == {0, 1, 2, 3, 4, 5}
    assert first.closed_dates == {date(2024, 8, 5), date(2024, 8, 6)}
    assert first.holidays_closed is False
    assert calendars["44300002100016"].holidays_closed is True


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("siret,closed_dates\n1,\n", "weekdays"),
        ("siret,weekdays,closed_dates\n1,mon-fri,2024-13-01\n", "ligne 2"),
        ("siret,weekdays\n1,lundi\n", "ligne 2"),
    ],
)
def test_bad_calendar_csv_names_file_and_line(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CalendarFileError) as error:
        read_calendar_csv(path)
    assert "bad.csv" in str(error.value)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("libelle", "pcs", "poste"),
    [
        ("Préparateur de commandes", "", "PREPARATEUR DE COMMANDES"),
        ("  préparateur  de   commandes. ", "", "PREPARATEUR DE COMMANDES"),
        ("Agent d'accueil", "", "AGENT D ACCUEIL"),
        ("Cariste", "676a", "CARISTE [676a]"),
        ("", "", "INCONNU"),
    ],
)
def test_normalise_poste(libelle, pcs, poste):
    assert normalise_poste(libelle, pcs) == poste


def test_merges_follow_chains_and_suggestions_find_close_titles():
    assert resolve_merges({"A": "B", "B": "C"}) == {"A": "C", "B": "C"}
    assert resolve_merges({"A": "B", "B": "A"})["A"] in {"A", "B"}
    suggestions = merge_suggestions(["PREPARATEUR", "PREPARATEUR DE COMMANDES", "CARISTE"])
    assert [(a, b) for a, b, _ in suggestions] == [("PREPARATEUR", "PREPARATEUR DE COMMANDES")]
