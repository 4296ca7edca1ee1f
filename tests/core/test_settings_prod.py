"""Production settings: refuse to start without secrets, and pass Django's deployment checks."""

import os
import subprocess
import sys

PROD_ENV = {
    "COMMUNS_ENV": "prod",
    "SECRET_KEY": "x9!k2$Lq7@pZ4#rT8&vN1^bW6*cM3(hJ5)sD0+fG-yE_uA=iO.Vw3%Kt8?Rz",
    "ALLOWED_HOSTS": "communs.example.gouv.fr",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run_communs(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(  # noqa: S603 - fixed command, test only
        [sys.executable, "-m", "communs", *args], env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_secret_key_and_hosts():
    result = run_communs("check", env={"COMMUNS_ENV": "prod"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "ALLOWED_HOSTS" in result.stderr


def test_production_passes_the_deployment_checklist():
    result = run_communs("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_unknown_environment_is_refused():
    result = run_communs("check", env={"COMMUNS_ENV": "staging"})
    assert result.returncode != 0
    assert "COMMUNS_ENV" in result.stderr
