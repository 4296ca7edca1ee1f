"""Property-based test of every API operation (schemathesis over the OpenAPI document): no generated
request, anonymous or with a national administrator's token, gets a 5xx.

The operations come from the committed snapshot (`tests/snapshots/openapi.json`), which
`test_api_openapi_snapshot.py` keeps equal to the live document. Requests go through Django's test
client (the whole middleware stack, the test database), a few examples per operation so that the
39 operations stay under a minute: `SCHEMATHESIS_EXAMPLES` raises the count for a deeper run.
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi.json"
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "4"))

schema = schemathesis.openapi.from_path(SNAPSHOT)


@pytest.fixture
def token_header(db, make_user):
    from communs.core.tokens import create_token

    admin = make_user("schemathesis-admin", is_superuser=True, is_staff=True)
    _, secret = create_token(admin, "schemathesis")
    return {"Authorization": f"Bearer {secret}"}


def _send(client, case, headers: dict):
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    url = urlsplit(kwargs["url"])
    path = url.path
    query = kwargs.get("params") or {}
    if "json" in kwargs:
        body, content_type = json.dumps(kwargs["json"]), "application/json"
    else:
        body = kwargs.get("data") or ""
        content_type = (kwargs.get("headers") or {}).get("Content-Type", "application/octet-stream")
    extra = {key: value for key, value in (kwargs.get("headers") or {}).items() if key.lower() != "content-type"}
    if query:
        from urllib.parse import urlencode

        path = f"{path}?{urlencode(query, doseq=True)}"
    return client.generic(kwargs["method"], path, body, content_type=content_type, headers={**extra, **headers})


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_generated_request_gets_a_server_error(case, client, token_header):
    for headers in ({}, token_header):
        response = _send(client, case, headers)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} ({'token' if headers else 'anonyme'}) → "
            f"{response.status_code}: {response.content[:500]!r}\n{case.as_curl_command()}"
        )
