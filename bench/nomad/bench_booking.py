"""Nomad: 200 concurrent agents booking desks for 60 s against `communs serve` (granian) on loopback,
each pausing a random 0–10 s between two requests (NOMAD_BENCH_THINK=0: no pause, saturation).

Prints (and checks) the figures of issue 16: requests made, bookings won, conflicts answered 409, booking
latency median and p95, and the number of double bookings found in the database afterwards (must be 0,
per desk and day and per person and day). Runs on a throw-away SQLite database unless DATABASE_URL is
set. NOMAD_BENCH_SECONDS and NOMAD_BENCH_AGENTS shorten or change the run.
"""

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

AGENTS = int(os.environ.get("NOMAD_BENCH_AGENTS", "200"))
SECONDS = float(os.environ.get("NOMAD_BENCH_SECONDS", "60"))
# Mean pause of an agent between two requests (uniform 0 to twice this): 200 agents / 5 s = 40 requests/s
# offered. NOMAD_BENCH_THINK=0 is a closed loop at saturation, where latency ≈ agents / throughput.
THINK = float(os.environ.get("NOMAD_BENCH_THINK", "5"))
DESKS, DAYS = 150, 10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare():
    from django.core.management import call_command
    from django.utils import timezone

    from communs.core.tokens import create_token
    from communs.nomad import services
    from communs.nomad.models import Agent, Organisation

    call_command("migrate", verbosity=0)
    organisation = Organisation.objects.create(slug="bench", name="Bench", booking_horizon_days=60)
    lines = ["site,building,floor,zone,zone_kind,desk,owner,features"]
    lines += [f"Bench,A,{1 + n // 50},Z{n // 25},coworking,D-{n:03d},," for n in range(DESKS)]
    services.import_spaces("\n".join(lines) + "\n", organisation=organisation)
    from django.contrib.auth import get_user_model

    User = get_user_model()
    tokens = []
    for n in range(AGENTS):
        user = User.objects.create_user(f"bench-{n:03d}", password=None)
        Agent.objects.create(user=user, organisation=organisation)
        tokens.append(create_token(user, "bench")[1])
    today = timezone.localdate()
    days = [today + timedelta(days=n) for n in range(1, 30) if (today + timedelta(days=n)).weekday() < 5][:DAYS]
    return tokens, [d.isoformat() for d in days]


def agent(port, token, days, deadline, latencies, outcomes, seed):
    rng = random.Random(seed)  # noqa: S311 - load pattern, not security
    time.sleep(rng.uniform(0, 2 * THINK))  # agents do not all start on the same millisecond
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    while time.monotonic() < deadline:
        body = json.dumps({"desk": f"D-{rng.randrange(DESKS):03d}", "date": rng.choice(days)})
        started = time.perf_counter()
        try:
            connection.request("POST", "/api/nomad/bookings", body, headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            outcomes.append("error")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        latencies.append(time.perf_counter() - started)
        outcomes.append(response.status)
        if THINK:
            time.sleep(rng.uniform(0, 2 * THINK))
    connection.close()


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="communs-bench-nomad-"))
    os.environ.setdefault("COMMUNS_ENV", "test")
    os.environ.setdefault("COMMUNS_DATA_DIR", str(workdir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communs.site.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    import django

    django.setup()
    tokens, days = prepare()
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "communs", "serve", "--port", str(port), "--workers", "2", "--threads", "8"],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        latencies, outcomes = [], []
        deadline = time.monotonic() + SECONDS
        threads = [
            threading.Thread(target=agent, args=(port, token, days, deadline, latencies, outcomes, n))
            for n, token in enumerate(tokens)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)

    from django.db import connection
    from django.db.models import Count

    from communs.nomad.models import Booking

    connection.close()
    active = Booking.objects.filter(status=Booking.Status.ACTIVE)
    double_desk = active.values("desk", "day").annotate(n=Count("pk")).filter(n__gt=1).count()
    double_person = active.values("user", "day").annotate(n=Count("pk")).filter(n__gt=1).count()
    won = outcomes.count(201)
    ordered = sorted(latencies)
    p95 = ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan")
    offered = f"{AGENTS / THINK:.0f} requests/s offered" if THINK else "closed loop, no pause"
    print(f"agents {AGENTS}, {SECONDS:.0f} s, mean pause {THINK} s ({offered}), {DESKS} desks × {len(days)} days")
    print(f"server: communs serve (granian, 2 workers × 8 threads), database {connection.vendor}")
    print(
        f"requests {len(outcomes)} ({len(outcomes) / SECONDS:.0f}/s): 201 won {won}, 409 taken {outcomes.count(409)}"
    )
    print(f"errors {outcomes.count('error')}, other {len([o for o in outcomes if o not in (201, 409, 'error')])}")
    if ordered:
        print(f"booking latency median {1000 * statistics.median(ordered):.0f} ms, p95 {1000 * p95:.0f} ms")
    print(f"active bookings in the database {active.count()} (= 201 answers: {active.count() == won})")
    print(f"double bookings: per desk and day {double_desk}, per person and day {double_person}")
    return 0 if double_desk == double_person == 0 and active.count() == won else 1


if __name__ == "__main__":
    raise SystemExit(main())
