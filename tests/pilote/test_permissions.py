"""PILOTE's abilities: what a contributor or a central agent may do with an indicator at a territory."""


def test_pilote_abilities_for_an_indicator_at_a_territory(catalogue):
    from communs.pilote.permissions import abilities

    local, agent_35 = catalogue["local"], catalogue["agent_35"]
    assert abilities(agent_35, local, territory="DEPT-35")["write"] is True
    assert abilities(agent_35, local, territory="DEPT-22") | {"recompute": False} == {
        "recompute": False,
        "central": False,
        "contribute": False,
        "write": False,
        "propose": True,
    }
    assert abilities(catalogue["central_agent"], catalogue["central"], territory="DEPT-22")["write"] is True
