"""Start-up of the `saferplan` command (issue 16, item 7): the time to run `saferplan check` and `saferplan help`
against bare Python and a bare `django.setup()`, and which heavy libraries each loads.

Run: SECRET_KEY=x .venv/bin/python benchmarks/startup.py [RUNS]
Each figure is the best of RUNS (default 7) runs in a new process, so that the noise of a shared machine counts
as little as it can. `check` imports every URL and so every view module: what the views import at module level
is paid by every command (and by each gunicorn start).
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
BIN = Path(sys.executable).parent
HEAVY = ["polars", "scipy", "weasyprint", "docx", "openpyxl", "cairosvg", "yaml"]


def best(command: list[str], env: dict) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)


def loaded(argv: list[str], env: dict) -> list[str]:
    """The heavy libraries a command has imported when it ends."""
    code = (
        "import sys; from saferplan.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    last = (done.stderr.strip().splitlines() or [""])[-1]
    return [m for m in last.split(",") if m in HEAVY]


def main() -> None:
    env = {
        **os.environ,
        "SAFERPLAN_DATA_DIR": tempfile.mkdtemp(prefix="saferplan-startup-"),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "startup-benchmark",
        "DJANGO_SETTINGS_MODULE": "saferplan.config.settings",
    }
    env.pop("DATABASE_URL", None)
    saferplan = str(BIN / "saferplan")
    python = best([sys.executable, "-c", "pass"], env)
    setup = best([sys.executable, "-c", "import django; django.setup()"], env)
    urls = best([sys.executable, "-c", "import django; django.setup(); import saferplan.config.urls"], env)
    help_ = best([saferplan, "help"], env)
    check = best([saferplan, "check"], env)
    # As before the view modules imported Polars lazily: the same command with Polars imported first.
    eager = "import polars, sys; from saferplan.cli import main; main(['saferplan', 'check'])"
    check_eager = best([sys.executable, "-c", eager], env)
    print(f"best of {RUNS} runs")
    print(f"bare Python:                 {python:.2f} s")
    print(f"python + django.setup():     {setup:.2f} s")
    print(f"... + import every URL:      {urls:.2f} s")
    print(
        f"saferplan help:              {help_:.2f} s  loads: {', '.join(loaded(['saferplan', 'help'], env)) or '-'}"
    )
    print(
        f"saferplan check:             {check:.2f} s  loads: {', '.join(loaded(['saferplan', 'check'], env)) or '-'}"
    )
    print(f"saferplan check, Polars too: {check_eager:.2f} s  (as before the views imported it lazily)")
    print(f"ratio check / django.setup(): {check / setup:.2f} (with Polars: {check_eager / setup:.2f})")


if __name__ == "__main__":
    main()
