"""The demo: seeded synthetic DSN imported, roles granted to the demo accounts, idempotent."""

import pytest

from communs.champollion.demo import load_demo
from communs.champollion.models import Constat, Contrat, DsnFile, Etablissement
from communs.core.models import RoleGrant

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(territoires_reference, champollion_data_dir, make_user):
    make_user("agent-35")
    first = load_demo()
    counts = (DsnFile.objects.count(), Contrat.objects.count(), Constat.objects.count())
    assert first["new_files"] > 0 and counts[1] > 100 and counts[2] > 0
    assert Etablissement.objects.filter(departement="35").exists()  # the demo inspector has work
    second = load_demo()
    assert second["new_files"] == 0
    assert counts == (DsnFile.objects.count(), Contrat.objects.count(), Constat.objects.count())
    assert RoleGrant.objects.filter(service="champollion", user__username="agent-35").count() == 1
