"""/api/inondata/: scenarios visible to the caller, with their frames."""


def test_scenarios_need_auth_and_list_frames(client, agent, demo_scenarios):
    assert client.get("/api/inondata/scenarios").status_code == 401
    client.force_login(agent)
    listing = client.get("/api/inondata/scenarios").json()
    assert {s["id"] for s in listing} == {s.pk for s in demo_scenarios}
    detail = client.get(f"/api/inondata/scenarios/{demo_scenarios[0].pk}").json()
    assert detail["frames"] == demo_scenarios[0].summary["frames"]
    assert "frottement" in detail["limits"]
    assert client.get("/api/inondata/scenarios/999999").status_code == 404
