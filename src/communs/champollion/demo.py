"""Champollion demo: seeded synthetic DSN (24 months, several sectors, injected infringements),
imported like real files, and roles for the demo accounts. Idempotent: the files are the same
bytes every time, so a second run imports nothing new.
"""

import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model

from communs.champollion import services
from communs.champollion.engine.synthetic import generate
from communs.core.models import ScopeLevel
from communs.core.roles import grant_role

DEMO_ESTABLISHMENTS = 12
DEMO_MONTHS = 24
DEMO_SEED = 2026
ROLES = (
    ("agent-national", "responsable", ScopeLevel.NATIONAL, ""),
    ("agent-bretagne", "responsable", ScopeLevel.REGION, "53"),
    ("agent-35", "inspecteur", ScopeLevel.DEPARTEMENT, "35"),
)


def load_demo(stdout=None) -> dict:
    User = get_user_model()
    for username, role, level, code in ROLES:
        user = User.objects.filter(username=username).first()
        if user is not None:
            grant_role(user, "champollion", role, level, code, reason="démo")
    with tempfile.TemporaryDirectory(prefix="champollion-demo-") as folder:
        generate(Path(folder), establishments=DEMO_ESTABLISHMENTS, months=DEMO_MONTHS, seed=DEMO_SEED)
        report = services.import_paths([Path(folder)])
    if stdout is not None:
        stdout.write(
            f"Champollion : {report['new_files']} fichiers DSN importés, {report['establishments']} établissements, "
            f"{report['contracts']} contrats, {report['findings']} constats."
        )
    return report
