"""Imports never half-write, new vintages supersede old ones and recompute territories, scopes hold."""

import pytest
from django.core.exceptions import PermissionDenied

from communs.core.models import AuditEvent
from communs.core.roles import grant_role
from communs.estimaction import selectors, services
from communs.estimaction.models import Dataset, DatasetStatus, TerritoryResult
from tests.estimaction import files

pytestmark = pytest.mark.usefixtures("territoires_reference")


@pytest.fixture
def data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    return tmp_path


def _import(path, kind, vintage=2019, user=None):
    return services.import_dataset(
        path, kind=kind, name=path.name, producer="test", vintage=vintage, coverage="test", user=user
    )


def test_new_vintage_supersedes_and_recompute_reports_the_change(data_dir):
    _import(files.write_grid_csv(data_dir / "grid.csv"), "population")
    _import(files.write_noise_file(data_dir / "cbs.gpkg"), "bruit")
    first = services.compute_territory("commune", "35238")
    assert first.total_population == pytest.approx(165)  # 100 + 50 + 30/2
    # New vintage: the first cell has 200 people instead of 100.
    newer = data_dir / "grid2020.csv"
    files.write_grid_csv(newer, [(files.CELLS[0][0], "35238", 200), *files.CELLS[1:]])
    dataset = _import(newer, "population", vintage=2020)
    assert selectors.active_datasets()["population"] == dataset
    assert Dataset.objects.filter(kind="population", status=DatasetStatus.SUPERSEDED).count() == 1
    summary = services.recompute_all()
    assert summary["recomputed"] == 1
    change = summary["changed"][0]
    # +100 people, half of them in the 65-70 zone: 65-70 +50, <55 +50.
    assert change["population_change"] == pytest.approx(100)
    assert change["lden_change"]["65-70"] == pytest.approx(50, abs=0.01)
    stored = TerritoryResult.objects.get(code="35238")
    assert stored.changes["datasets"]["population"] == {"before": 2019, "after": 2020}
    assert stored.datasets["population"]["vintage"] == 2020


def test_a_bad_file_writes_nothing(data_dir):
    bad = data_dir / "grid.csv"
    bad.write_text("idcar_200m,ind\nCRS3035RES200mN2890000E3762000,12\nnot-a-cell,3\n")
    with pytest.raises(services.DatasetError, match="ligne 3"):
        _import(bad, "population")
    assert not Dataset.objects.exists()
    assert not (services.storage_dir()).exists() or not any(services.storage_dir().iterdir())


def test_import_is_audited(data_dir):
    dataset = _import(files.write_grid_csv(data_dir / "grid.csv"), "population")
    event = AuditEvent.objects.get(action="estimaction.dataset.import")
    assert event.object_id == str(dataset.pk)


def test_only_a_national_manager_imports(data_dir, make_user):
    agent = make_user("agent35")
    grant_role(agent, "estimaction", "agent", "departement", "35")
    with pytest.raises(PermissionDenied):
        _import(files.write_grid_csv(data_dir / "grid.csv"), "population", user=agent)
    manager = make_user("manager")
    grant_role(manager, "estimaction", "gestionnaire", "national")
    assert _import(files.write_grid_csv(data_dir / "grid.csv"), "population", user=manager).imported_by == manager


def test_compute_is_scoped(data_dir, make_user):
    _import(files.write_grid_csv(data_dir / "grid.csv"), "population")
    agent = make_user("agent29")
    grant_role(agent, "estimaction", "agent", "departement", "29")
    with pytest.raises(PermissionDenied):
        services.compute_territory("commune", "35238", user=agent)
    grant_role(agent, "estimaction", "agent", "departement", "35")
    assert services.compute_territory("commune", "35238", user=agent).total_population == pytest.approx(165)


def test_air_raster_is_sampled_and_binned(data_dir):
    _import(files.write_grid_csv(data_dir / "grid.csv"), "population")
    _import(files.write_air_tiff(data_dir / "pm25.tif", 12.0, 4.0), "pm25")
    stored = services.compute_territory("commune", "35238")
    # Cells: 100 at 12 µg/m³, 50 at 4, 15 (half of 30) at 4 → two bins.
    bins = {row[0]: row[1] for row in stored.air["pm25"]}
    assert bins == {12.0: pytest.approx(100), 4.0: pytest.approx(65)}


def test_job_imports_and_recomputes(data_dir, make_user, django_capture_on_commit_callbacks):
    from communs.core.jobs import start_job
    from communs.core.models import Job

    manager = make_user("manager")
    grant_role(manager, "estimaction", "gestionnaire", "national")
    _import(files.write_grid_csv(data_dir / "grid.csv"), "population")
    services.compute_territory("commune", "35238")
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(
            "estimaction.import",
            owner=manager,
            path=str(files.write_noise_file(data_dir / "cbs.gpkg")),
            dataset_kind="bruit",
            name="CBS",
            producer="Cerema",
            vintage=2022,
            coverage="test",
            user_id=manager.pk,
        )
    job = Job.objects.get(pk=job.pk)
    assert job.state == "succeeded", job.error
    assert job.result["recomputed"] == 1
    assert job.result["changed"][0]["lden_change"]["65-70"] == pytest.approx(50, abs=0.01)


def test_a_rail_map_joins_the_road_map_and_each_source_keeps_its_own_figures(data_dir):
    _import(files.write_grid_csv(data_dir / "grid.csv"), "population")
    road = _import(files.write_noise_file(data_dir / "cbs.gpkg"), "bruit")
    rail = _import(files.write_rail_file(data_dir / "cbs_fer.gpkg"), "bruit")
    # A rail map never replaces the road map: one map in force per source type.
    assert Dataset.objects.get(pk=road.pk).status == DatasetStatus.ACTIVE
    assert (road.source_types, rail.source_types) == (["road"], ["rail"])
    result = services.compute_territory("commune", "35238")
    # Rennes: cells of 100 and 50 people, plus half of the 30-people cell shared with 35281 = 165.
    # Road: Lden 65-70 on the west half of cell 1 = 50. Rail: Lden 65-70 on all of cell 1 = 100,
    # Ln 60-65 on all of cell 2 = 50.
    sources = result.exposure["sources"]
    assert sources["road"]["lden"]["65-70"] == pytest.approx(50, abs=0.01)
    assert sources["rail"]["lden"]["65-70"] == pytest.approx(100, abs=0.01)
    assert sources["rail"]["lnight"]["60-65"] == pytest.approx(50, abs=0.01)
    # All sources: cell 1 is 65-70 from the railway, the road's half is not counted again → 100, not 150.
    assert result.exposure["lden"]["65-70"] == pytest.approx(100, abs=0.01)
    assert result.datasets["bruit:road"]["id"] == road.pk and result.datasets["bruit:rail"]["id"] == rail.pk
    # A new road vintage supersedes the road map only.
    newer = _import(files.write_noise_file(data_dir / "cbs2.gpkg"), "bruit", vintage=2022)
    assert Dataset.objects.get(pk=road.pk).status == DatasetStatus.SUPERSEDED
    assert Dataset.objects.get(pk=rail.pk).status == DatasetStatus.ACTIVE
    assert {s: d.pk for s, d in selectors.noise_datasets_in_force().items()} == {"road": newer.pk, "rail": rail.pk}


def test_a_map_without_typesource_is_stored_with_its_declared_source(data_dir):
    _import(files.write_grid_csv(data_dir / "grid.csv"), "population")
    path = files.write_rail_file(data_dir / "cbs.gpkg", typesource="")
    dataset = services.import_dataset(
        path, kind="bruit", name="fer", producer="SNCF Réseau", vintage=2022, coverage="35", source_type="rail"
    )
    assert dataset.source_types == ["rail"]
    # Read again at compute time with the same declaration: rail, not the road default.
    result = services.compute_territory("commune", "35238")
    assert list(result.exposure["sources"]) == ["rail"]


def test_a_noise_map_without_any_zone_is_refused(data_dir):
    from communs.estimaction.engine.noise_zones import write_noise_gpkg

    path = data_dir / "vide.gpkg"
    write_noise_gpkg(path, [], [])
    with pytest.raises(services.DatasetError, match="vide.gpkg : aucune zone de bruit"):
        _import(path, "bruit")
    assert not Dataset.objects.exists()
