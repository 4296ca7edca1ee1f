"""Demo accounts, one per kind of user of the platform. Seeded and idempotent.

Services add their own roles to these accounts (or their own accounts) in their `demo.py`.
The demo password is for the local demo only: `communs demo` refuses to run in production.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction

from communs.core.models import ScopeLevel
from communs.core.roles import grant_role

DEMO_PASSWORD = "communs-demo-2026"  # noqa: S105 - local demo only, refused in production


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    description: str
    level: str
    code: str = ""
    superuser: bool = False
    auditor: bool = False


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "Camille", "Administratrice", "Administration technique (tous droits)", "", superuser=True),
    DemoAccount(
        "auditeur", "Dominique", "Auditeur", "Consultation du journal d'audit", ScopeLevel.NATIONAL, auditor=True
    ),
    DemoAccount("agent-national", "Nora", "Centrale", "Agent d'administration centrale", ScopeLevel.NATIONAL),
    DemoAccount("agent-bretagne", "Yann", "Régional", "Agent de service régional (Bretagne)", ScopeLevel.REGION, "53"),
    DemoAccount(
        "agent-35",
        "Maëlle",
        "Départemental",
        "Agent de service départemental (Ille-et-Vilaine)",
        ScopeLevel.DEPARTEMENT,
        "35",
    ),
    DemoAccount("agent-rennes", "Erwan", "Communal", "Agent de la ville de Rennes", ScopeLevel.COMMUNE, "35238"),
)


@transaction.atomic
def load_demo() -> list[DemoAccount]:
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": f"{account.username}@demo.communs.invalid",
                "is_superuser": account.superuser,
                "is_staff": account.superuser or account.auditor,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if account.auditor:
            user.user_permissions.add(
                Permission.objects.get(codename="view_auditevent", content_type__app_label="core")
            )
        if account.level:
            grant_role(user, "core", "agent", account.level, account.code, reason="Compte de démonstration")
    return list(DEMO_ACCOUNTS)
