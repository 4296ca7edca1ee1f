"""`communs serve` runs the suite under granian and answers the health check."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_healthz(tmp_path):
    port = free_port()
    env = {**os.environ, "COMMUNS_ENV": "test", "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}"}
    server = subprocess.Popen(  # noqa: S603 - fixed command, test only
        [sys.executable, "-m", "communs", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
                    body = json.loads(response.read())
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "granian did not answer within 60 s"
                time.sleep(0.3)
        assert body == {"status": "ok", "database": "ok"}
    finally:
        server.terminate()
        server.wait(timeout=20)
        server.stderr.close()
