"""Écosphères test servers: a real pycsw on loopback, and a tiny HTTP server for CKAN, udata and data.gouv.fr."""

import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.ecospheres.builders import iso_record

HERE = Path(__file__).resolve().parent


class CswServer:
    def __init__(self, records: dict[str, str], work: Path):
        records_dir = work / "records"
        records_dir.mkdir(parents=True)
        for name, xml in records.items():
            (records_dir / f"{name}.xml").write_text(xml, encoding="utf-8")
        self.log = work / "requests.log"
        self.process = subprocess.Popen(  # noqa: S603 - our own script
            [sys.executable, str(HERE / "pycsw_server.py"), str(records_dir), str(work)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("pycsw did not start")
        port, loaded = line.split()
        self.loaded = int(loaded)
        self.url = f"http://127.0.0.1:{port}/csw"
        self.broken_url = f"http://127.0.0.1:{port}/broken"

    def requests(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process.stdout.close()


# 58 ordinary records, one dataset also published as DCAT (same identifier, other case), one whose
# near-same title is published in DCAT by another producer under another identifier.
CSW_RECORDS = {f"r{i:02d}": iso_record(f"FR-ISO-{i:03d}", f"Relevé hydrométrique station {i}") for i in range(58)}
CSW_RECORDS["eau"] = iso_record(
    "FR-EAU-001",
    "Qualité de l'eau distribuée",
    organisation="ARS Bretagne",
    modified="2026-02-01",
    abstract="Résultats du contrôle sanitaire : potabilité de l'eau distribuée par unité de distribution.",
    url="https://data.example.org/fr-eau-001.csv",
)
CSW_RECORDS["zan"] = iso_record(
    "FR-ZAN-002", "Consommation d'espaces naturels, agricoles et forestiers", organisation="DDTM 35"
)


@pytest.fixture(scope="session")
def csw_server(tmp_path_factory):
    server = CswServer(CSW_RECORDS, tmp_path_factory.mktemp("pycsw"))
    yield server
    server.stop()


class FixtureServer:
    """Serves `routes[path] = (status, body, content type)`; keeps every request (method, path, headers, body)."""

    def __init__(self):
        self.routes: dict[str, tuple[int, bytes, str]] = {}
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.requests.append(
                    {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
                )
                status, payload, kind = outer.routes.get(self.path, (404, b"{}", "application/json"))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_HEAD = _answer

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def json(self, path: str, body, status: int = 200):
        self.routes[path] = (status, json.dumps(body).encode(), "application/json")

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def http_server():
    server = FixtureServer()
    yield server
    server.stop()
    time.sleep(0)
