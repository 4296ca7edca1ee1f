"""The rules, table-driven: one row per rule and legal variant, with the hand computation."""

from datetime import date
from pathlib import Path

import pytest

from communs.champollion.engine.calendars import OpeningCalendar, parse_weekdays
from communs.champollion.engine.consolidation import END_INFERRED, Establishment, consolidate
from communs.champollion.engine.dsn_reader import DsnReader
from communs.champollion.engine.legislation import CODE_DU_TRAVAIL, parameters_for
from communs.champollion.engine.rules import (
    RULES,
    RuleContext,
    add_months,
    carence_days,
    nth_opening_day_after,
    run_rules,
)
from tests.champollion.dsn_fixtures import CARENCE_SIRET, RENEWAL_SIRET
from tests.champollion.helpers import SIRET, make_contract

DATA = Path(__file__).parent / "data"


def analyse(folder, calendars=None):
    result = consolidate(DsnReader().iter_declarations([DATA / folder]))
    return result, run_rules(
        result.contracts, RuleContext(result.establishments, calendars, data_month=result.data_month)
    )


# -- acceptance scenarios (DSN files) ----------------------------------------------------------
def test_carence_with_holidays_closed():
    """CDD ATA 02/04/2024 → 26/04/2024 = 25 calendar days inclusive (30 April days − 1 − 4).
    25 ≥ 14 → 1/3 → 25/3 = 8.33 → rounded up 9 opening days, counted from Saturday 27/04, Mon–Fri,
    public holidays closed: Mon 29/04 (1), Tue 30/04 (2), [Wed 01/05 fête du travail], Thu 02/05 (3),
    Fri 03/05 (4), Mon 06/05 (5), Tue 07/05 (6), [Wed 08/05 victoire 1945], [Thu 09/05 Ascension],
    Fri 10/05 (7), Mon 13/05 (8), Tue 14/05 (9) → first legal day Wed 15/05/2024.
    The next CDD starts 13/05/2024 < 15/05 → one infraction."""
    _, findings = analyse("carence")
    (finding,) = findings
    assert (finding.rule, finding.status, finding.siret) == ("delai_carence", "infraction", CARENCE_SIRET)
    assert (finding.contract, finding.previous_contract) == ("CDD2024002", "CDD2024001")
    assert finding.first_legal_day == date(2024, 5, 15)
    assert finding.evidence["carence_opening_days"] == 9
    assert finding.evidence["previous_duration_days"] == 25
    assert finding.article == "L1244-3-1"


def test_carence_with_holidays_open():
    """Same contracts, holidays open: 29/04, 30/04, 01/05, 02/05, 03/05, 06/05, 07/05, 08/05, 09/05
    are the 9 opening days → first legal day Fri 10/05; 13/05 ≥ 10/05 → no finding."""
    calendars = {CARENCE_SIRET: OpeningCalendar(holidays_closed=False)}
    _, findings = analyse("carence", calendars)
    assert findings == []


def test_renewals_and_maximum_duration():
    """4 renewals > 2 allowed → infractions on the 3rd and 4th. Start 02/01/2023 + 18 months =
    02/07/2024, minus one day → last allowed end 01/07/2024; ended 30/09/2024 → duree_maximale."""
    _, findings = analyse("renouvellements")
    renewals = [f for f in findings if f.rule == "renouvellements"]
    assert [f.evidence["renewal_index"] for f in renewals] == [3, 4]
    assert {f.status for f in renewals} == {"infraction"}
    (maximum,) = [f for f in findings if f.rule == "duree_maximale"]
    assert maximum.evidence["last_allowed_end"] == date(2024, 7, 1)
    assert maximum.siret == RENEWAL_SIRET
    # a single 21-month CDD also fills the poste 638 days ≥ 365 out of 24 months: to verify
    assert {f.rule for f in findings} == {"renouvellements", "duree_maximale", "emploi_permanent"}


def test_annule_et_remplace_and_renumbering_give_no_false_finding():
    result, findings = analyse("annule-remplace")
    assert len(result.contracts) == 2
    assert findings == []


# -- carence arithmetic --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("duration", "idcc", "expected"),
    [
        (25, "", (9, "1/3")),  # 25 ≥ 14 → 25/3 = 8.33 → 9
        (14, "", (5, "1/3")),  # threshold included: 14/3 = 4.67 → 5
        (13, "", (7, "1/2")),  # < 14 → 13/2 = 6.5 → 7
        (5, "", (3, "1/2")),  # 5/2 = 2.5 → 3
        (60, "3248", (15, "1/4")),  # métallurgie: 60/4 = 15
        (120, "3248", (21, "1/4")),  # métallurgie: 120/4 = 30 capped at 21
    ],
)
def test_carence_days(duration, idcc, expected):
    assert carence_days(duration, parameters_for(idcc)) == expected


@pytest.mark.parametrize(
    ("calendar", "after", "n", "expected"),
    [
        # Mon–Fri, holidays closed: see the scenario above
        (OpeningCalendar(), date(2024, 4, 26), 9, date(2024, 5, 14)),
        # Mon–Sat: 27/04 (1) 29 (2) 30 (3) 02/05 (4) 03 (5) 04 (6) 06 (7) 07 (8) 10/05 (9)
        (OpeningCalendar(weekdays=parse_weekdays("mon-sat")), date(2024, 4, 26), 9, date(2024, 5, 10)),
        # Moselle (57): Good Friday 29/03/2024 closed. After Wed 27/03, 2 days: Thu 28/03 (1),
        # [Fri 29/03 Vendredi saint], [Mon 01/04 Easter Monday] → Tue 02/04 (2)
        (OpeningCalendar(departement="57"), date(2024, 3, 27), 2, date(2024, 4, 2)),
        # Ille-et-Vilaine (35): Fri 29/03 is open → Thu 28/03 (1), Fri 29/03 (2)
        (OpeningCalendar(departement="35"), date(2024, 3, 27), 2, date(2024, 3, 29)),
        # an extra closed date (annual closure on Thu 28/03) → Fri 29/03 (1), Tue 02/04 (2)
        (OpeningCalendar(closed_dates=frozenset({date(2024, 3, 28)})), date(2024, 3, 27), 2, date(2024, 4, 2)),
    ],
)
def test_opening_days(calendar, after, n, expected):
    assert nth_opening_day_after(calendar, after, n) == expected
    assert calendar.nth_opening_day_after(after, n) == expected  # slow path agrees with the prefix table


# -- one row per rule and legal variant ------------------------------------------------------------
D = date
RULE_CASES = [
    # (id, contracts, rule, expected [(status, contract, previous)])
    (
        "carence_short_contract_half",
        # 06/05→10/05 = 5 days < 14 → 1/2 → 2.5 → 3 opening days: 13, 14, 15/05 → first legal 16/05
        [make_contract("A", D(2024, 5, 6), D(2024, 5, 10)), make_contract("B", D(2024, 5, 15), D(2024, 6, 30))],
        "delai_carence",
        [("infraction", "B", "A")],
    ),
    (
        "carence_respected",
        [make_contract("A", D(2024, 5, 6), D(2024, 5, 10)), make_contract("B", D(2024, 5, 16), D(2024, 6, 30))],
        "delai_carence",
        [],
    ),
    (
        "carence_other_poste",
        [
            make_contract("A", D(2024, 5, 6), D(2024, 5, 10)),
            make_contract("B", D(2024, 5, 13), D(2024, 6, 30), poste="CARISTE"),
        ],
        "delai_carence",
        [],
    ),
    (
        "carence_replacement_to_verify",
        # next contract replaces an absent employee: exception if it is a new absence (L1244-4-1 1°)
        [
            make_contract("A", D(2024, 5, 6), D(2024, 5, 10)),
            make_contract("B", D(2024, 5, 13), D(2024, 6, 30), motif="01"),
        ],
        "delai_carence",
        [("a_verifier", "B", "A")],
    ),
    (
        "carence_seasonal_exempt",
        [
            make_contract("A", D(2024, 5, 6), D(2024, 5, 10), motif="03"),
            make_contract("B", D(2024, 5, 13), D(2024, 6, 30), motif="03"),
        ],
        "delai_carence",
        [],
    ),
    (
        "carence_early_end_by_employee_exempt",
        [
            make_contract("A", D(2024, 5, 6), D(2024, 5, 10), end_motif="037"),
            make_contract("B", D(2024, 5, 13), D(2024, 6, 30)),
        ],
        "delai_carence",
        [],
    ),
    (
        "carence_inferred_end_to_verify",
        [
            make_contract("A", D(2024, 5, 6), D(2024, 5, 10), end_status=END_INFERRED),
            make_contract("B", D(2024, 5, 13), D(2024, 6, 30)),
        ],
        "delai_carence",
        [("a_verifier", "B", "A")],
    ),
    (
        "carence_metallurgie_quarter",
        # IDCC 3248: 02/04→26/04 = 25 days × 1/4 = 6.25 → 7 opening days: 29, 30/04, 02, 03, 06, 07, 10/05
        # → first legal day 11/05; a start on 13/05 is legal (Code du travail would need 15/05)
        [
            make_contract("A", D(2024, 4, 2), D(2024, 4, 26), idcc="3248"),
            make_contract("B", D(2024, 5, 13), D(2024, 6, 30), idcc="3248"),
        ],
        "delai_carence",
        [],
    ),
    (
        "carence_interim_at_user_establishment",
        # a CTT at the ETU after a CDD of the ETU on the same poste: 5 days → 3 opening days → 16/05
        [
            make_contract("A", D(2024, 5, 6), D(2024, 5, 10)),
            make_contract("M", D(2024, 5, 13), D(2024, 5, 17), nature="03", siret="35900004100016", etu_siret=SIRET),
        ],
        "delai_carence",
        [("infraction", "M", "A")],
    ),
    (
        "renewals_two_allowed",
        [make_contract("A", D(2024, 1, 2), D(2024, 6, 30), renewals=2)],
        "renouvellements",
        [],
    ),
    (
        "renewals_three",
        [make_contract("A", D(2024, 1, 2), D(2024, 6, 30), renewals=3)],
        "renouvellements",
        [("infraction", "A", None)],
    ),
    (
        "renewals_branch_allows_four",
        [make_contract("A", D(2024, 1, 2), D(2024, 6, 30), renewals=4, idcc="3248")],
        "renouvellements",
        [],
    ),
    (
        "duree_18_months_ok",
        # 02/01/2023 + 18 months − 1 day = 01/07/2024: ending that day is allowed
        [make_contract("A", D(2023, 1, 2), D(2024, 7, 1))],
        "duree_maximale",
        [],
    ),
    (
        "duree_18_months_exceeded",
        [make_contract("A", D(2023, 1, 2), D(2024, 7, 2))],
        "duree_maximale",
        [("infraction", "A", None)],
    ),
    (
        "duree_24_months_awaiting_suppression",
        # motif 13: 02/01/2023 + 24 months − 1 day = 01/01/2025 ≥ 30/09/2024
        [make_contract("A", D(2023, 1, 2), D(2024, 9, 30), motif="13")],
        "duree_maximale",
        [],
    ),
    (
        "duree_ctt_18_months",
        [make_contract("A", D(2023, 1, 2), D(2024, 9, 30), nature="03")],
        "duree_maximale",
        [("infraction", "A", None)],
    ),
    (
        "duree_seasonal_no_cap",
        [make_contract("A", D(2023, 1, 2), D(2024, 9, 30), motif="03")],
        "duree_maximale",
        [],
    ),
    (
        "licenciement_economique_within_6_months",
        # dismissal 31/03/2024 (motif 014), ATA from 02/05/2024 for 5 months: 31/03 ≥ 02/11/2023
        [
            make_contract("L", D(2015, 1, 5), D(2024, 3, 31), nature="01", motif="", end_motif="014", individual="p2"),
            make_contract("A", D(2024, 5, 2), D(2024, 9, 30)),
        ],
        "licenciement_economique",
        [("infraction", "A", "L")],
    ),
    (
        "licenciement_economique_short_exception",
        # ATA 02/05→31/07/2024 ≤ 3 months (last day 01/08) and not renewed → exception
        [
            make_contract("L", D(2015, 1, 5), D(2024, 3, 31), nature="01", motif="", end_motif="014", individual="p2"),
            make_contract("A", D(2024, 5, 2), D(2024, 7, 31)),
        ],
        "licenciement_economique",
        [],
    ),
    (
        "licenciement_economique_older_than_6_months",
        # dismissal 31/10/2023 < 02/05/2024 − 6 months = 02/11/2023
        [
            make_contract(
                "L", D(2015, 1, 5), D(2023, 10, 31), nature="01", motif="", end_motif="014", individual="p2"
            ),
            make_contract("A", D(2024, 5, 2), D(2024, 9, 30)),
        ],
        "licenciement_economique",
        [],
    ),
    (
        "motif_absent_cdd",
        [make_contract("A", D(2024, 1, 2), D(2024, 3, 31), motif="")],
        "motif_absent",
        [("a_verifier", "A", None)],
    ),
    (
        "motif_absent_cdi_not_concerned",
        [make_contract("A", D(2024, 1, 2), None, nature="01", motif="")],
        "motif_absent",
        [],
    ),
    (
        "emploi_permanent_chain",
        # 4 CDD of 4 months each, 3-day gaps (< carence): 01/01/2023–30/04/2024 covered → ≥ 365 days of 24 months
        [
            make_contract(
                f"C{i}",
                add_months(D(2023, 1, 1), 4 * i),
                add_months(D(2023, 1, 1), 4 * (i + 1)) - D.resolution * 3,
                individual=f"p{i}",
            )
            for i in range(4)
        ],
        "emploi_permanent",
        [("a_verifier", "C3", None)],
    ),
    (
        "emploi_permanent_short",
        [make_contract("A", D(2024, 1, 2), D(2024, 6, 30))],
        "emploi_permanent",
        [],
    ),
]


@pytest.mark.parametrize(("case", "contracts", "rule", "expected"), RULE_CASES, ids=[c[0] for c in RULE_CASES])
def test_rule_table(case, contracts, rule, expected):
    establishments = {SIRET: Establishment(SIRET, departement="35")}
    findings = run_rules(contracts, RuleContext(establishments), only=[rule])
    assert [(f.status, f.contract, f.previous_contract) for f in findings] == expected
    for finding in findings:
        assert finding.article in next(r for r in RULES if r.id == rule).articles


def test_poursuite_apres_terme():
    contract = make_contract("A", D(2024, 1, 2), None, expected_ends=[(D(2024, 1, 1), D(2024, 2, 29))])
    contract.continuation_month, contract.continuation_term = D(2024, 3, 1), D(2024, 2, 29)
    (finding,) = run_rules([contract], only=["poursuite_apres_terme"])
    assert (finding.status, finding.article) == ("infraction", "L1243-11")
    assert finding.evidence["term"] == D(2024, 2, 29)


def test_poste_merge_reruns_carence_on_the_merged_view():
    contracts = [
        make_contract("A", D(2024, 5, 6), D(2024, 5, 10), poste="PREPARATEUR"),
        make_contract("B", D(2024, 5, 13), D(2024, 6, 30), poste="PREPARATEUR DE COMMANDES"),
    ]
    assert run_rules(contracts, only=["delai_carence"]) == []
    merged = RuleContext(poste_merges={SIRET: {"PREPARATEUR": "PREPARATEUR DE COMMANDES"}})
    assert [f.contract for f in run_rules(contracts, merged, only=["delai_carence"])] == ["B"]


def test_every_rule_is_documented():
    assert {r.id for r in RULES} == {
        "delai_carence",
        "renouvellements",
        "duree_maximale",
        "licenciement_economique",
        "poursuite_apres_terme",
        "motif_absent",
        "emploi_permanent",
    }
    for rule in RULES:
        assert rule.articles and rule.checks and rule.dsn_cannot_show and rule.version
    assert CODE_DU_TRAVAIL.max_renewals == 2
