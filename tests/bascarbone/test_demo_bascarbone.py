"""The demo is idempotent, counts the DDI reached by two paths once, and gives the demo accounts their roles."""

import pytest
from django.contrib.auth import get_user_model

from communs.bascarbone import demo, selectors
from communs.bascarbone.models import Activity, Entity
from communs.core import demo as core_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    core_demo.load_demo()
    return demo.load_demo()


def test_demo_twice_creates_nothing_the_second_time(loaded):
    count = Activity.objects.count()
    assert loaded["activities_created"] == count > 0
    assert demo.load_demo()["activities_created"] == 0
    assert Activity.objects.count() == count


def test_state_counts_the_ddtm_once(loaded):
    result = selectors.consolidate(
        Entity.objects.get(code="etat"), 2025, nodes=["etat", "pole-interieur", "pole-ecologie", "ddtm-35", "ddtm-29"]
    )
    nodes = result.nodes
    # The DDTM are under their préfecture (pôle Intérieur) and under the DGALN (pôle Écologie): the État is
    # the two pôles minus the DDTM counted in both.
    overlap = nodes["ddtm-35"].total_kg + nodes["ddtm-29"].total_kg
    assert nodes["etat"].total_kg == pytest.approx(
        nodes["pole-interieur"].total_kg + nodes["pole-ecologie"].total_kg - overlap
    )
    assert overlap > 0


def test_demo_accounts_get_their_roles(loaded):
    users = get_user_model().objects
    assert selectors.visible_codes(users.get(username="agent-35")) == {
        "prefecture-35",
        "ddtm-35",
        "ddets-35",
        "sous-prefecture-fougeres",
    }
    national = users.get(username="agent-national")
    assert selectors.visible_codes(national) is None
    assert not selectors.can_edit(national, Entity.objects.get(code="etat"))
