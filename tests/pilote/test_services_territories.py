"""PILOTE's territories come from the territorial reference; its engine computes on the axis it is given."""

from datetime import date

import pytest

from communs.pilote import territories
from communs.pilote.engine.compute import IndicatorSpec, Observations, compute
from communs.pilote.engine.territories import AxisDepartement, build_axis


@pytest.fixture
def fresh_cache():
    territories.clear_cache()
    yield
    territories.clear_cache()


def test_axis_and_names_come_from_the_reference(territoires_reference, fresh_cache):
    axis = territories.axis()
    depts = axis.codes[axis.dept_slice]
    regions = axis.codes[axis.reg_slice]
    # 109 départements in the reference, minus the 8 collectivities of overseas (régions 975–989).
    assert (len(depts), len(regions)) == (101, 18)
    assert axis.region_of["2A"] == "94" and axis.region_of["976"] == "06"
    assert "DEPT-975" not in axis and "NAT-FR" in axis
    assert territories.territory_name("DEPT-35") == "Ille-et-Vilaine"
    assert territories.territory_name("REG-53") == "Bretagne"
    assert territories.territory_fields("dept-35") == {
        "territory": "DEPT-35",
        "level": "DEPT",
        "region": "53",
        "departement": "35",
    }
    # The database and the file the database is loaded from give the same axis and weights.
    from_file = territories.axis_from_reference_file()
    assert axis.codes == from_file.codes
    assert (axis.population == from_file.population).all()


def test_a_change_of_the_reference_changes_pilote(territoires_reference, fresh_cache):
    from communs.territoires.models import Departement
    from communs.territoires.signals import reference_changed

    assert territories.axis().region_of["35"] == "53"
    Departement.objects.filter(code="35").update(nom="Ille-et-Vilaine (test)", region_id="52")
    reference_changed.send(sender=None)
    assert territories.axis().region_of["35"] == "52"
    assert territories.territory_name("DEPT-35") == "Ille-et-Vilaine (test)"


def test_engine_computes_on_the_axis_it_is_given():
    # Two départements in one région, weights 1 and 3: the engine knows nothing else.
    axis = build_axis([AxisDepartement("A1", "R1", 1.0), AxisDepartement("A2", "R1", 3.0)])
    assert axis.codes == ("DEPT-A1", "DEPT-A2", "REG-R1", "NAT-FR")
    spec = IndicatorSpec(id="i", chantier="c", weight_nat=1, weight_reg=1, weight_dept=1, aggregation="sum")
    rows = [
        ("i", code, day, metric, value)
        for code in ("DEPT-A1", "DEPT-A2")
        for day, metric, value in (
            ("2026-01-01", "vi", 0.0),
            ("2027-12-31", "vc", 100.0),
            ("2026-05-31", "va", 10.0 if code == "DEPT-A1" else 30.0),
        )
    ]
    result = compute([spec], Observations.from_rows(rows, [spec], axis), date(2026, 6, 30), axis=axis)
    # sum: région = 10 + 30 = 40 of a target 200 → 20 %
    assert result.va_last[0, axis.index["REG-R1"]] == pytest.approx(40.0)
    assert result.ta[0, axis.index["REG-R1"]] == pytest.approx(20.0)
