"""No double booking under real concurrency: 20 simultaneous requests against the real database.

The API is served by a real `communs runserver` process (threaded: each request thread has its own
database connection) and hit by 20 client threads released together by a barrier; the CLI command runs
in 20 threads of one separate process. On SQLite the in-memory test database is first copied to a file
(WAL, immediate transactions: the production set-up; other processes cannot see the test's memory); on
PostgreSQL they use the test database itself.
Exactly one request wins; the other 19 are told the desk (or the person) is taken.
"""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from django.db import connection
from django.utils import timezone

from communs.core.tokens import create_token
from communs.nomad.models import Desk
from tests.nomad.conftest import tuesday_after

pytestmark = pytest.mark.django_db(transaction=True)
N = 20


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _server(url: str):
    """`communs runserver` (threaded: one database connection per request thread) on the reachable database."""
    port = _free_port()
    env = os.environ | {"DATABASE_URL": url, "COMMUNS_ENV": "test"}
    command = [sys.executable, "-m", "communs", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=10).close()  # noqa: S310 - loopback only
                break
            except OSError:  # refused or timed out while it starts
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(process.stderr.read().decode()[-2000:]) from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stderr.close()


def _post_all(base: str, payloads):
    """POST every (token, body) at once, one thread each, released together; returns the status codes."""
    barrier = threading.Barrier(len(payloads))

    def worker(item):
        token, body = item
        request = urllib.request.Request(  # noqa: S310 - loopback only
            base + "/api/nomad/bookings",
            data=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            method="POST",
        )
        barrier.wait(timeout=60)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - loopback only
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(len(payloads)) as pool:
        return list(pool.map(worker, payloads))


def test_twenty_concurrent_api_requests(nomad, make_user, tmp_path):
    """One desk and day wanted by 20 people; then one person asking for 20 desks of the same day at once."""
    day = tuesday_after(timezone.localdate())
    tokens = [create_token(make_user(f"c{n:02d}"), "test")[1] for n in range(N)]
    zone = Desk.objects.get(code="B0-01").zone
    codes = [f"X-{n:02d}" for n in range(N)]
    Desk.objects.bulk_create(Desk(zone=zone, code=code, qr_token=f"qr-{code}") for code in codes)
    alice = create_token(nomad["alice"], "test")[1]
    url, count = _cli_database(tmp_path)
    with _server(url) as base:
        same_desk = _post_all(base, [(token, {"desk": "B0-01", "date": day.isoformat()}) for token in tokens])
        same_person = _post_all(base, [(alice, {"desk": code, "date": day.isoformat()}) for code in codes])
    assert sorted(same_desk) == [201] + [409] * (N - 1)
    assert sorted(same_person) == [201] + [409] * (N - 1)
    sql = (
        "SELECT COUNT(*) FROM nomad_booking b JOIN nomad_desk d ON d.id = b.desk_id "
        "WHERE d.code = %s AND b.day = %s AND b.status = %s"
    )
    assert count(sql, ["B0-01", day.isoformat(), "active"]) == 1
    alice_sql = "SELECT COUNT(*) FROM nomad_booking WHERE user_id = %s AND day = %s"
    assert count(alice_sql, [nomad["alice"].pk, day.isoformat()]) == 1


def _cli_database(tmp_path) -> tuple[str, callable]:
    """A DATABASE_URL the subprocesses can reach holding the test's data, and a function counting bookings."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        target = tmp_path / "nomad-cli.sqlite3"
        destination = sqlite3.connect(target)
        connection.ensure_connection()
        connection.connection.backup(destination)
        destination.close()

        def count(sql, params):
            with sqlite3.connect(target) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchone()[0]

        return f"sqlite:///{target}", count
    name = settings_dict["NAME"]
    user, host, port = settings_dict["USER"], settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    password = settings_dict.get("PASSWORD") or ""
    url = (
        f"postgres://{user}:{password}@{host}:{port}/{name}" if password else f"postgres://{user}@{host}:{port}/{name}"
    )

    def count(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    return url, count


# Run in a separate process on the reachable database: 20 threads (one connection each) call the
# `communs nomad book` command together and report its exit codes (a Django start per booking would
# cost 20 interpreter starts; `test_cli_nomad.py` runs the real `communs` executable for the codes).
CLI_RACE = """
import io, json, sys, threading
from contextlib import redirect_stdout
import django
django.setup()
from django.core.management import call_command
from django.db import connection
users, desk, day = json.loads(sys.argv[1])
barrier = threading.Barrier(len(users))
codes = {}
def run(user):
    barrier.wait(timeout=60)
    try:
        call_command("nomad", "book", "--user", user, "--desk", desk, "--date", day, "--json")
        codes[user] = 0
    except SystemExit as exc:
        codes[user] = exc.code
    finally:
        connection.close()
threads = [threading.Thread(target=run, args=(user,)) for user in users]
with redirect_stdout(io.StringIO()):
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
print(json.dumps(codes))
"""


def test_twenty_concurrent_cli_bookings_for_one_desk_one_day(nomad, make_user, tmp_path):
    day = tuesday_after(timezone.localdate())
    users = [make_user(f"cli{n:02d}").username for n in range(N)]
    url, count = _cli_database(tmp_path)
    env = os.environ | {"DATABASE_URL": url, "COMMUNS_ENV": "test", "DJANGO_SETTINGS_MODULE": "communs.site.settings"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", CLI_RACE, json.dumps([users, "B0-02", day.isoformat()])],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    codes = json.loads(result.stdout.strip().splitlines()[-1])
    assert sorted(codes.values()) == [0] + [3] * (N - 1), result.stderr[-3000:]  # 3: already taken
    sql = (
        "SELECT COUNT(*) FROM nomad_booking b JOIN nomad_desk d ON d.id = b.desk_id "
        "WHERE d.code = %s AND b.day = %s AND b.status = %s"
    )
    assert count(sql, ["B0-02", day.isoformat(), "active"]) == 1
