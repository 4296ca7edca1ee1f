"""`communs demo` is idempotent: a second run duplicates nothing."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from communs.core.demo import DEMO_ACCOUNTS
from communs.core.models import AuditEvent, RoleGrant


def table_counts() -> dict[str, int]:
    from django.apps import apps

    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_demo_loads_twice_without_duplicating_anything(db, capsys):
    call_command("demo")
    first = table_counts()
    call_command("demo")
    assert table_counts() == first
    assert get_user_model().objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).count() == len(
        DEMO_ACCOUNTS
    )
    assert RoleGrant.objects.filter(user__username="agent-35", scope_level="departement", scope_code="35").exists()
    # Demo data written through the services leaves the audit events real use would (role grants, SOS Ponts
    # questions and answers…); the second run adds none (table_counts above), and every grant is logged.
    assert AuditEvent.objects.filter(action="core.role.grant").count() == RoleGrant.objects.count()


def test_demo_accounts_listing(db, capsys):
    call_command("demo", "--accounts")
    out = capsys.readouterr().out
    assert "communs-demo-2026" in out
    assert all(account.username in out for account in DEMO_ACCOUNTS)
