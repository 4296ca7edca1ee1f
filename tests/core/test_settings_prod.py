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


def test_proconnect_is_off_by_default_and_on_when_configured():
    probe = (
        "import django; django.setup(); from django.conf import settings; from django.urls import reverse; "
        "print(settings.PROCONNECT_ENABLED, "
        "'communs.core.oidc.ProConnectBackend' in settings.AUTHENTICATION_BACKENDS, "
        "reverse('oidc_authentication_init') if settings.PROCONNECT_ENABLED else '-')"
    )
    off = run_communs_python(probe, env={"COMMUNS_ENV": "test"})
    assert off.stdout.split() == ["False", "False", "-"], off.stderr
    on = run_communs_python(
        probe,
        env={
            "COMMUNS_ENV": "test",
            "PROCONNECT_CLIENT_ID": "communs",
            "PROCONNECT_CLIENT_SECRET": "secret-de-test",
            "PROCONNECT_ISSUER": "https://proconnect.example.gouv.fr/api/v2",
        },
    )
    assert on.stdout.split() == ["True", "True", "/oidc/authenticate/"], on.stderr


def run_communs_python(code: str, env: dict) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("PROCONNECT_")}
    return subprocess.run(  # noqa: S603 - fixed command, test only
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "communs.site.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_json_log_lines():
    import json
    import logging

    from communs.site.logging import JsonFormatter

    record = logging.makeLogRecord(
        {"name": "communs.test", "levelname": "INFO", "msg": "import de %s", "args": ("fichier.csv",), "rows": 12}
    )
    line = json.loads(JsonFormatter().format(record))
    assert (line["level"], line["logger"], line["message"], line["rows"]) == (
        "INFO",
        "communs.test",
        "import de fichier.csv",
        12,
    )
