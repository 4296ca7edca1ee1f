"""Recens'smart under load: concurrent respondents answering a 20-page questionnaire through a
real server (`communs serve`, granian) over loopback.

Each virtual respondent enters an access code, then on every page waits a think time, posts
the page and follows the redirect to the next one, until the review page, where it submits and
takes the next unit. At the end the figures the client saw are compared with the database:
every page the server acknowledged (302 after "Continuer") must be a paradata row and its
answers must be in the unit's stored data.

Prints figures; asserts nothing. Environment: RECENSMART_BENCH_USERS (200),
RECENSMART_BENCH_SECONDS (60), RECENSMART_BENCH_THINK (think time in seconds, "2-3": fast enough
for every respondent to get through the 20 pages within the 60 s, as the issue's load criterion
asks; a real census respondent spends ~20 s per page), RECENSMART_BENCH_WORKERS / _THREADS
(granian, 2 / 4, the defaults of `communs serve`). Throw-away SQLite database unless
DATABASE_URL is set.
"""

import asyncio
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

USERS = int(os.environ.get("RECENSMART_BENCH_USERS", "200"))
SECONDS = float(os.environ.get("RECENSMART_BENCH_SECONDS", "60"))
THINK = tuple(float(x) for x in os.environ.get("RECENSMART_BENCH_THINK", "2-3").split("-"))
WORKERS = os.environ.get("RECENSMART_BENCH_WORKERS", "2")
THREADS = os.environ.get("RECENSMART_BENCH_THREADS", "4")
PAGES = 20
RAMP_UP = float(os.environ.get("RECENSMART_BENCH_RAMP", "10"))


def questionnaire_document() -> dict:
    """A 20-page Lunatic questionnaire: on each page a radio and a bounded number."""

    def label(text):
        return {"value": json.dumps(text, ensure_ascii=False), "type": "VTL|MD"}

    components, variables = [], []
    for page in range(1, PAGES + 1):
        radio, number = f"Q{page:02d}R", f"Q{page:02d}N"
        components.append(
            {
                "id": f"r{page}",
                "componentType": "Radio",
                "page": str(page),
                "label": label(f"Question {page} : choisissez une réponse"),
                "conditionFilter": {"value": "true", "type": "VTL"},
                "response": {"name": radio},
                "options": [{"value": str(v), "label": label(f"Réponse {v}")} for v in (1, 2, 3)],
            }
        )
        components.append(
            {
                "id": f"n{page}",
                "componentType": "InputNumber",
                "page": str(page),
                "min": 0,
                "max": 99,
                "decimals": 0,
                "label": label(f"Question {page} : un nombre entre 0 et 99"),
                "conditionFilter": {"value": "true", "type": "VTL"},
                "response": {"name": number},
                "controls": [
                    {
                        "id": f"n{page}-max",
                        "criticality": "ERROR",
                        "control": {"value": f"not(nvl({number}, 0) > 99)", "type": "VTL"},
                        "errorMessage": label("Au plus 99."),
                    }
                ],
            }
        )
        variables += [
            {"variableType": "COLLECTED", "name": radio, "values": {"COLLECTED": None}},
            {"variableType": "COLLECTED", "name": number, "values": {"COLLECTED": None}},
        ]
    return {
        "id": "bench-20",
        "label": label("Banc d'essai 20 pages"),
        "components": components,
        "variables": variables,
    }


def setup_database(units: int) -> list[str]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from communs.core.roles import grant_role
    from communs.recensmart import services
    from communs.recensmart.models import ROLE_CONCEPTION, SERVICE

    call_command("migrate", verbosity=0)
    designer = get_user_model().objects.create_user("bench-designer")
    grant_role(designer, SERVICE, ROLE_CONCEPTION, "national", "")
    version = services.upload_questionnaire(designer, "bench.json", json.dumps(questionnaire_document()).encode())
    services.publish_version(designer, version)
    campaign = services.create_campaign(designer, version, "Banc d'essai")
    codes = []
    for index in range(units):
        _, code = services.create_unit(campaign, f"U{index:05d}")
        codes.append(code)
    return codes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Respondent:
    """One browser-less respondent on one keep-alive connection, cookies by hand.

    A minimal HTTP/1.1 client on asyncio streams: the load generator shares the machine's two
    cores with the server, so it must cost far less per request than the server does (200
    threads driving `http.client` took about a third of the CPU at saturation).
    """

    requests = 0  # all respondents' requests (login and review included), for the CPU per request

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None
        self.cookies: dict[str, str] = {}

    async def _connect(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    def close(self):
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    async def request(self, method, path, form=None):
        body = urllib.parse.urlencode(form).encode() if form is not None else b""
        head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            head.append("Content-Type: application/x-www-form-urlencoded")
        payload = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        Respondent.requests += 1
        for attempt in range(2):
            try:
                if self.writer is None:
                    await self._connect()
                self.writer.write(payload)
                return await asyncio.wait_for(self._response(), timeout=60)
            except (TimeoutError, OSError, asyncio.IncompleteReadError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def _response(self):
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in head[1:]:
            if not line:
                continue
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookie, _, rest = value.partition("=")
                self.cookies[cookie.strip()] = rest.split(";", 1)[0]
            headers[name] = value
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunks.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            text = b"".join(chunk[:-2] for chunk in chunks)
        else:
            text = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers.get("location", ""), text.decode("utf-8", "replace")


_FIELD = {name: re.compile(rf'name="{name}" value="([^"]*)"') for name in ("csrfmiddlewaretoken", "page", "shown")}


def _field(html: str, name: str) -> str:
    match = _FIELD[name].search(html)
    return match.group(1) if match else ""


async def respond(index, port, codes, deadline, results):
    """One respondent slot: takes unit after unit until the deadline; a failure is a figure."""
    rng = random.Random(index)  # noqa: S311 - seeded load, not a secret
    respondent = Respondent(port)
    try:
        while time.monotonic() < deadline and codes:
            await answer_unit(respondent, rng, codes.pop(), deadline, results)
    except Exception as exc:  # noqa: BLE001 - a failed respondent is a figure, not a crash
        results["errors"].append(f"{type(exc).__name__}: {exc}")
    finally:
        respondent.close()


async def answer_unit(respondent, rng, code, deadline, results):
    status, _, html = await respondent.request("GET", "/recensmart/")
    token = _field(html, "csrfmiddlewaretoken")
    status, _, _ = await respondent.request("POST", "/recensmart/", {"csrfmiddlewaretoken": token, "code": code})
    if status != 302:
        results["errors"].append(f"login {status}")
        return
    expected = results["expected"].setdefault(code, {})
    while time.monotonic() < deadline:
        started = time.perf_counter()
        status, location, html = await respondent.request("GET", "/recensmart/questionnaire/")
        get_ms = (time.perf_counter() - started) * 1000
        if status == 302 and "relecture" in location:
            status, _, html = await respondent.request("GET", location)
            token = _field(html, "csrfmiddlewaretoken")
            status, location, _ = await respondent.request(
                "POST", location, {"csrfmiddlewaretoken": token, "action": "complete"}
            )
            if status == 302 and "merci" in location:
                results["completed"] += 1
            else:
                results["errors"].append(f"complete {status}")
            return
        page = _field(html, "page")
        if status != 200 or not page:
            results["errors"].append(f"page {status}")
            return
        await asyncio.sleep(min(rng.uniform(*THINK), max(0.0, deadline - time.monotonic())))
        if time.monotonic() >= deadline:
            return
        number = int(page)
        answers = {f"Q{number:02d}R": str(rng.randint(1, 3)), f"Q{number:02d}N": str(rng.randint(0, 99))}
        form = {
            "csrfmiddlewaretoken": _field(html, "csrfmiddlewaretoken"),
            "page": page,
            "shown": _field(html, "shown"),
            "action": "next",
            **answers,
        }
        started = time.perf_counter()
        status, location, _ = await respondent.request("POST", "/recensmart/questionnaire/", form)
        post_ms = (time.perf_counter() - started) * 1000
        results["post_ms"].append(post_ms)
        results["get_ms"].append(get_ms)
        if status == 302:
            results["saved"] += 1
            expected.update(answers)
        else:
            results["errors"].append(f"save {status}")


async def run_respondents(port, codes, deadline, results):
    tasks = []
    for index in range(USERS):
        tasks.append(asyncio.create_task(respond(index, port, codes, deadline, results)))
        await asyncio.sleep(RAMP_UP / USERS)  # respondents arrive over RAMP_UP seconds, not all at once
    await asyncio.wait(tasks, timeout=max(1.0, deadline - time.monotonic() + 90))


def cpu_seconds(pids) -> float:
    """User + system CPU time of processes (Linux /proc), to show who used the two cores."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def session_pids(sid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) == sid:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def wait_until_serving(port: int, timeout: float = 120) -> None:
    """Until the server answers a page (granian's workers import Django first)."""
    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/recensmart/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer on port {port} within {timeout:.0f} s")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="communs-bench-recensmart-"))
    env = {
        **os.environ,
        "COMMUNS_ENV": "dev",
        "DEBUG": "0",
        "COMMUNS_DATA_DIR": str(workdir),
        "DJANGO_SETTINGS_MODULE": "communs.site.settings",
    }
    os.environ.update({k: env[k] for k in ("COMMUNS_ENV", "DEBUG", "COMMUNS_DATA_DIR", "DJANGO_SETTINGS_MODULE")})
    units = USERS * 4
    codes = setup_database(units)
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "communs", "serve", "--port", str(port), "--workers", WORKERS, "--threads", THREADS],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        wait_until_serving(port)
        results = {"saved": 0, "completed": 0, "post_ms": [], "get_ms": [], "errors": [], "expected": {}}
        server_pids = session_pids(server.pid)
        server_cpu, client_cpu = cpu_seconds(server_pids), time.process_time()
        load_before = os.getloadavg()
        started = time.monotonic()
        asyncio.run(run_respondents(port, codes, started + SECONDS, results))
        elapsed = time.monotonic() - started
        server_cpu = cpu_seconds(server_pids) - server_cpu
        client_cpu = time.process_time() - client_cpu
        load_after = os.getloadavg()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # keep-alive connections of late respondents
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)

    from communs.recensmart.models import Paradata, RespondentUnit, hash_code

    moved_rows = Paradata.objects.filter(outcome="moved").count()
    unit_saves = sum(RespondentUnit.objects.values_list("saves", flat=True))
    mismatched = 0
    for code, expected in results["expected"].items():
        data = RespondentUnit.objects.get(code_hash=hash_code(code)).data
        for name, value in expected.items():
            stored = data.get(name)
            if str(stored) != value:
                mismatched += 1
    posts = results["post_ms"]
    cycles = [a + b for a, b in zip(results["post_ms"], results["get_ms"], strict=False)]
    print(
        f"respondents: {USERS} concurrent for {SECONDS:.0f} s (think time {THINK[0]:g}-{THINK[-1]:g} s), "
        f"granian {WORKERS} workers x {THREADS} threads, {os.cpu_count()} CPU, SQLite WAL"
    )
    print(
        f"pages saved (acknowledged to the client): {results['saved']}; paradata rows 'moved': {moved_rows}; "
        f"sum of unit saves: {unit_saves}; lost: {results['saved'] - min(moved_rows, unit_saves)}; "
        f"answers not found in the database: {mismatched}"
    )
    started_units = sum(1 for expected in results["expected"].values() if expected)
    print(
        f"questionnaires completed: {results['completed']} (of {started_units} respondents who saved a page); "
        f"errors: {len(results['errors'])} {results['errors'][:5]}"
    )
    print(
        f"CPU used: server {server_cpu:.1f} s ({1000 * server_cpu / max(1, Respondent.requests):.1f} ms per request, "
        f"{Respondent.requests} requests), load generator {client_cpu:.1f} s over {elapsed:.1f} s "
        f"({os.cpu_count()} CPU); load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
        f"(other processes on the machine distort the figures)"
    )
    if posts:
        print(
            f"page save (POST) latency: median {statistics.median(posts):.0f} ms, "
            f"p95 {percentile(posts, 0.95):.0f} ms, "
            f"p99 {percentile(posts, 0.99):.0f} ms; page cycle (GET + POST) p95 {percentile(cycles, 0.95):.0f} ms"
        )
        print(
            f"throughput: {results['saved'] / elapsed:.1f} pages saved/s, "
            f"{2 * len(posts) / elapsed:.1f} requests/s over {elapsed:.1f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
