"""The OpenAPI document is snapshot-tested so that an API contract change shows in review.

After an intended change: `UPDATE_SNAPSHOTS=1 make unit PYTEST_ARGS=tests/test_api_openapi_snapshot.py`.
"""

import json
import os
from pathlib import Path

SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi.json"


def test_openapi_document_matches_the_snapshot(client):
    current = client.get("/api/openapi.json").json()
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(json.dumps(current, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    expected = json.loads(SNAPSHOT.read_text())
    assert current == expected, "API contract changed: review it, then regenerate the snapshot (see docstring)."
