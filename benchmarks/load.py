"""Load: 50 people across the six roles reading the main pages through the production server (gunicorn +
WhiteNoise, src/saferplan/config/gunicorn.py) while a police import runs (issue 16, item 5).

Run (about 3 minutes a database):
    SECRET_KEY=x .venv/bin/python benchmarks/load.py                       # SQLite file
    SECRET_KEY=x .venv/bin/python benchmarks/load.py --database postgres://postgres@127.0.0.1:5432/saferplan_load

Each run: a fresh data folder; `saferplan migrate` and `saferplan demo --users` (one user a role, passwords in
$SAFERPLAN_DATA_DIR/demo-users.json), then more users copied from those until there are --users of them, round
the roles; gunicorn started as `make run` starts it; a synthetic police archive imported by
`saferplan police import` in another process at the same time. Every simulated person signs in, then makes
--requests requests, pausing 1–5 s (uniform) before each, going round the start page, the performance overview,
an indicator, the delivery plan and the reports list. Latency is the whole request as the client sees it
(redirects followed). An error is anything but a 200 answer, or no answer.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PAGES = ["/", "/performance/", "/indicators/{indicator}/", "/delivery/", "/reports/"]
PASSWORD = "load-test-password-1234"

EXTRA_USERS = """
import json
from pathlib import Path
from django.conf import settings
from saferplan.accounts.models import User
demo = json.loads((Path(settings.DATA_DIR) / "demo-users.json").read_text())
users = list(User.objects.filter(username__in=demo).order_by("role", "username"))
by_role = {{}}
for user in users:
    by_role.setdefault(user.role, user)
templates = list(by_role.values())
out = {{u.username: (demo[u.username], u.role) for u in users}}
i = 0
while len(out) < {count}:
    template = templates[i % len(templates)]
    name = f"load-{{template.role}}-{{i}}"
    user = User(username=name, role=template.role, organisation=template.organisation,
                is_staff=template.is_staff, is_superuser=template.is_superuser, email=f"{{name}}@example.org")
    user.set_password({password!r})
    user.save()
    out[name] = ({password!r}, template.role)
    i += 1
from saferplan.plans.models import Indicator
print(json.dumps({{"users": out, "indicator": Indicator.objects.order_by("pk").first().pk}}))
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def _ms(values: list[float], q: float) -> int | None:
    return round(percentile(values, q)) if values else None


class Person(threading.Thread):
    def __init__(self, base, username, password, role, indicator, requests, results, seed):
        super().__init__(daemon=True)
        self.base, self.username, self.password, self.role = base, username, password, role
        self.indicator, self.requests, self.results = indicator, requests, results
        self.random = random.Random(seed)
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.jar = jar

    def fetch(self, path, data=None, headers=None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                body = response.read()
                status, final = response.status, response.url
        except urllib.error.HTTPError as error:
            body, status, final = error.read(), error.code, path
        except OSError as error:
            return time.perf_counter() - start, f"no answer: {error.__class__.__name__}", b"", path
        return time.perf_counter() - start, status, body, final

    def sign_in(self) -> bool:
        _, status, body, _ = self.fetch("/sign-in/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not match:
            return False
        form = urllib.parse.urlencode(
            {"username": self.username, "password": self.password, "csrfmiddlewaretoken": match.group(1)}
        ).encode()
        _, status, _, final = self.fetch("/sign-in/", form, {"Referer": self.base + "/sign-in/"})
        return status == 200 and "/sign-in/" not in final

    def run(self):
        # Arrivals spread over the first 5 s, as people do not all press Enter at once.
        time.sleep(self.random.uniform(0, 5))
        if not self.sign_in():
            self.results.append(("sign-in", self.role, 0.0, "sign-in failed", time.perf_counter()))
            return
        for i in range(self.requests):
            time.sleep(self.random.uniform(1, 5))
            page = PAGES[(i + self.random.randrange(len(PAGES))) % len(PAGES)]
            at = time.perf_counter()
            seconds, status, _, final = self.fetch(page.format(indicator=self.indicator))
            if status == 200 and "/sign-in/" in final:
                status = "signed out"
            self.results.append((page, self.role, seconds, status, at))


def run(args) -> dict:
    work = Path(tempfile.mkdtemp(prefix="saferplan-load-"))
    env = {
        **os.environ,
        "SAFERPLAN_DATA_DIR": str(work / "data"),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "load-test-only",
        "BIND": f"127.0.0.1:{args.port}",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "warning",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if args.database:
        env["DATABASE_URL"] = args.database
    else:
        env.pop("DATABASE_URL", None)
    saferplan = str(BIN / "saferplan")
    started = time.perf_counter()
    subprocess.run([saferplan, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([saferplan, "demo", "--users"], env=env, check=True, stdout=subprocess.DEVNULL)
    code = EXTRA_USERS.format(count=args.users, password=PASSWORD)
    made = subprocess.run(
        [saferplan, "shell", "-c", code], env=env, check=True, capture_output=True, text=True
    )
    setup = json.loads(made.stdout.strip().splitlines()[-1])
    sys.path.insert(0, str(ROOT / "src"))
    from saferplan.police.synthetic import write_archive

    archive = work / "police.zip"
    months = [f"2016-{m:02d}" for m in range(4, 4 + args.police_months)]
    police_rows = write_archive(archive, months, rows_per_month=args.police_rows)
    print(f"set-up {time.perf_counter() - started:.0f} s; police archive {police_rows:,} rows", flush=True)

    log = open(work / "access.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--config", "python:saferplan.config.gunicorn"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{args.port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            break
        except OSError:
            time.sleep(0.2)
    results: list = []
    people = [
        Person(base, name, password, role, setup["indicator"], args.requests, results, seed)
        for seed, (name, (password, role)) in enumerate(sorted(setup["users"].items())[: args.users])
    ]
    load_start = time.perf_counter()
    police = subprocess.Popen(
        ["nice", "-n", str(args.police_nice), saferplan, "police", "import", str(archive), "--no-progress"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    for person in people:
        person.start()
    police_err = police.communicate()[1]
    police_end = time.perf_counter()
    police_seconds = police_end - load_start
    for person in people:
        person.join()
    elapsed = time.perf_counter() - load_start
    server.terminate()
    server.wait(timeout=30)
    log.close()
    subprocess.run(["rm", "-rf", str(work)], check=False)

    timed = [r for r in results if r[0] != "sign-in"]
    latencies = [r[2] * 1000 for r in timed if r[3] == 200]
    errors = Counter(str(r[3]) for r in results if r[3] != 200)
    by_page = defaultdict(list)
    during = [r[2] * 1000 for r in timed if r[3] == 200 and r[4] < police_end]
    after = [r[2] * 1000 for r in timed if r[3] == 200 and r[4] >= police_end]
    for page, _, seconds, status, _ in timed:
        if status == 200:
            by_page[page].append(seconds * 1000)
    report = {
        "database": "PostgreSQL" if args.database else "SQLite",
        "users": len(people),
        "roles": dict(Counter(p.role for p in people)),
        "requests": len(timed),
        "seconds": round(elapsed, 1),
        "rate": round(len(timed) / elapsed, 1),
        "p50": _ms(latencies, 0.50),
        "p95": _ms(latencies, 0.95),
        "p99": _ms(latencies, 0.99),
        "mean": round(statistics.fmean(latencies)) if latencies else None,
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "pages": {
            page: {"p50": _ms(v, 0.5), "p95": _ms(v, 0.95), "n": len(v)} for page, v in by_page.items()
        },
        "while_importing": {
            "n": len(during),
            "p50": _ms(during, 0.5),
            "p95": _ms(during, 0.95),
        },
        "after_import": {
            "n": len(after),
            "p50": _ms(after, 0.5),
            "p95": _ms(after, 0.95),
        },
        "police_import": {
            "rows": police_rows,
            "seconds": round(police_seconds, 1),
            "ok": police.returncode == 0,
            "nice": args.police_nice,
            "error": police_err.strip()[-300:] if police.returncode else "",
        },
        "workers": env.get("WEB_WORKERS", "default"),
    }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="DATABASE_URL (default: a new SQLite file)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=25, help="requests per person after signing in")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--police-months", type=int, default=6)
    parser.add_argument(
        "--police-nice",
        type=int,
        default=10,
        help="niceness of the import, as scripts/serve.sh gives the worker",
    )
    parser.add_argument("--police-rows", type=int, default=300_000, help="street rows a month, all forces")
    report = run(parser.parse_args())
    print(json.dumps(report, indent=2))
    print(
        f"| {report['database']} | {report['users']} | {report['requests']} | {report['rate']}/s | "
        f"{report['p50']} | {report['p95']} | {report['p99']} | {report['errors']} | "
        f"{report['police_import']['rows']:,} rows in {report['police_import']['seconds']} s |"
    )


if __name__ == "__main__":
    main()
