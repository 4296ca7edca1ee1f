"""Inondata pages: list, scenario page (tables = summary), frame form without JS, comparison, share, files, editor."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communs.inondata.engine.limits import LIMITS_FR
from communs.inondata.models import Scenario


def test_home_lists_public_scenarios_and_states_the_limits(client, demo_scenarios):
    response = client.get(reverse("inondata:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert LIMITS_FR[:30] in body
    assert demo_scenarios[0].name in body


def test_scenario_page_tables_match_the_summary_and_the_frame_form_works_without_js(client, demo_scenarios):
    scenario = demo_scenarios[0]
    response = client.get(reverse("inondata:scenario", args=[scenario.pk]), {"frame": 4})
    assert response.status_code == 200
    panel = response.context["panel"]
    assert panel["frame"] == 4 and panel["current"] == scenario.summary["frames"][4]
    body = response.content.decode()
    frame = scenario.summary["frames"][4]
    assert f'data-wet-area="{frame["wet_area_m2"]:g}"' in body.replace('.0"', '"')
    assert 'aria-current="true"' in body and "profondeur-004.png" in body
    assert len(panel["buildings_wet"]) == frame["buildings_affected"]
    assert LIMITS_FR[:30] in body
    # An out-of-range or junk frame falls back to a valid one.
    assert client.get(reverse("inondata:scenario", args=[scenario.pk]), {"frame": "99"}).context["panel"]["frame"] == 6
    assert client.get(reverse("inondata:scenario", args=[scenario.pk]), {"frame": "x"}).context["panel"]["frame"] == 0


def test_side_by_side_comparison(client, demo_scenarios):
    first, second = demo_scenarios
    response = client.get(reverse("inondata:scenario", args=[first.pk]), {"comparer": second.pk, "frame": 3})
    assert response.context["other"]["scenario"] == second
    assert 'id="inondata-viewer-1"' in response.content.decode()


def test_files_are_served_and_unknown_names_404(client, demo_scenarios):
    scenario = demo_scenarios[0]
    response = client.get(reverse("inondata:file", args=[scenario.pk, "profondeurs.tif"]))
    assert response.status_code == 200 and b"".join(response.streaming_content)[:4] == b"II*\x00"
    # Reading a streamed response to its end closes its file (the test client's closing wrapper);
    # `response.close()` would also send request_finished, which closes the test's database connection.
    scene = client.get(reverse("inondata:file", args=[scenario.pk, "scene.json"]))
    assert scene.status_code == 200 and b"".join(scene.streaming_content).startswith(b'{"origin"')
    assert client.get(reverse("inondata:file", args=[scenario.pk, "secret.py"])).status_code == 404


def test_private_scenario_404_for_others_and_share_link_reads_it(client, agent, demo_scenarios, django_user_model):
    scenario = demo_scenarios[0]
    Scenario.objects.filter(pk=scenario.pk).update(is_public=False, owner=agent)
    assert client.get(reverse("inondata:scenario", args=[scenario.pk])).status_code == 404
    client.force_login(agent)
    response = client.post(reverse("inondata:share", args=[scenario.pk]), follow=True)
    message = [str(m) for m in response.context["messages"]][0]
    link = message.split(" : ", 1)[1]
    client.logout()
    shared = client.get(link.replace("http://testserver", ""))
    assert shared.status_code == 200 and shared.context["shared"] is True
    body = shared.content.decode()
    assert "lecture seule" in body and "partager/" not in body
    file_url = reverse("inondata:shared_file", args=[link.rstrip("/").rsplit("/", 1)[1], "batiments.csv"])
    csv_response = client.get(file_url)
    assert csv_response.status_code == 200 and b"".join(csv_response.streaming_content).startswith(b"# ")
    assert client.get(reverse("inondata:shared", args=["faux"])).status_code == 404


def test_editor_needs_a_role_and_rejects_a_fake_laz(client, agent, db, django_user_model, inondata_data):
    client.force_login(django_user_model.objects.create_user("passant"))
    assert client.get(reverse("inondata:create")).status_code == 403
    client.force_login(agent)
    assert client.get(reverse("inondata:create")).status_code == 200
    fake = SimpleUploadedFile("dalle.laz", b"PK\x03\x04 not a point cloud")
    response = client.post(
        reverse("inondata:create"),
        {
            "name": "Essai",
            "terrain_source": "laz",
            "laz": fake,
            "seed_source": "water",
            "hydrograph": "t,level\n0,10\n",
            "connectivity": 4,
            "resolution": 1.0,
        },
    )
    assert response.status_code == 200
    assert "pas un nuage de points LiDAR (LAZ ou LAS) valide" in response.content.decode()
    assert not Scenario.objects.exists()


@pytest.mark.django_db(transaction=False)
def test_editor_creates_a_demo_scenario_and_redirects(
    client, agent, inondata_data, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("inondata:create"),
            {
                "name": "Crue test",
                "terrain_source": "demo",
                "seed_source": "demo",
                "hydrograph": "t,level\n0,13\n30,15\n",
                "connectivity": 4,
                "min_x": 842_000,
                "min_y": 6_519_800,
                "max_x": 842_200,
                "max_y": 6_520_000,
            },
        )
    scenario = Scenario.objects.get(name="Crue test")
    assert response.status_code == 302 and response.url == reverse("inondata:scenario", args=[scenario.pk])
    scenario.refresh_from_db()
    assert scenario.status == "done" and scenario.summary["grid"]["width"] == 100
