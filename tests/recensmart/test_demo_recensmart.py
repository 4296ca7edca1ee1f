"""The demo: idempotent, deterministic codes, follow-up figures."""

import pytest

from communs.core.demo import load_demo as load_accounts
from communs.recensmart import demo, selectors, services
from communs.recensmart.models import Campaign, Questionnaire, RespondentUnit

pytestmark = pytest.mark.django_db


def test_demo_twice_no_duplicates():
    load_accounts()
    first = demo.load_demo()
    assert first["units_created"] == demo.UNITS
    second = demo.load_demo()
    assert second["units_created"] == 0
    assert Questionnaire.objects.count() == 1 and Campaign.objects.count() == 1
    assert RespondentUnit.objects.count() == demo.UNITS
    unit = services.find_unit(demo.demo_code(1))
    assert unit.status == RespondentUnit.Status.INIT  # the first codes are left for visitors
    stats = selectors.campaign_stats(unit.campaign)
    assert stats["init"] == demo.UNTOUCHED
    assert stats["completed"] > 0 and stats["started"] > 0
    assert stats["non_response"]


def test_demo_records_no_audit_event_of_its_own():
    from communs.core.models import AuditEvent

    load_accounts()
    demo.load_demo()
    assert not AuditEvent.objects.filter(action__startswith="recensmart.").exists()
