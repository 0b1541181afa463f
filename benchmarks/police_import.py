"""Police open data import against the practical ceiling (goal: 12 months ≤ 3× a bare Polars aggregate).

Run: `make benchmark` (or SECRET_KEY=x .venv/bin/python benchmarks/police_import.py [MONTHS] [ROWS_PER_MONTH]).
Generates a synthetic national archive in the data.police.uk layout (43 forces, about 550,000 street rows a
month by default), unzips it, then measures in the same run:
- baseline: `pl.scan_csv(files).group_by("LSOA code", "Month", "Crime type").len().collect()`;
- the full import (parse, validate, store as Parquet, map to the partnership's areas, derive observations),
  in a child process so that its peak memory (max RSS) is measured on its own;
- the re-import of the same months (identical files are recognised and not rewritten);
- the import from the zip archive itself.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

MONTHS = int(sys.argv[1]) if len(sys.argv) > 1 else 12
ROWS = int(sys.argv[2]) if len(sys.argv) > 2 else 550_000


def child(code: str, env: dict) -> tuple[float, float, float]:
    """Run an import in a child process: (seconds inside it, seconds with Python and Django starting, peak MB)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    total = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return float(done.stdout.strip().splitlines()[-1]), total, peak_kb / 1024


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="saferplan-police-bench-"))
    env = {
        **os.environ,
        "SAFERPLAN_DATA_DIR": str(work / "data"),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench"),
        "DJANGO_SETTINGS_MODULE": "saferplan.config.settings",
    }
    env.pop("DATABASE_URL", None)
    (work / "data").mkdir()
    months = [f"{2015 + (3 + i) // 12}-{(3 + i) % 12 + 1:02d}" for i in range(MONTHS)]
    setup = (
        "import django; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "call_command('demo', verbosity=0)"
    )
    subprocess.run([sys.executable, "-c", setup], env=env, check=True, stdout=subprocess.DEVNULL)
    start = time.perf_counter()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.update(env)
    from saferplan.police.synthetic import write_archive

    archive = work / "archive.zip"
    rows = write_archive(archive, months, rows_per_month=ROWS)
    folder = work / "archive"
    zipfile.ZipFile(archive).extractall(folder)
    generated = time.perf_counter() - start
    files = sorted(str(p) for p in folder.rglob("*.csv"))

    import polars as pl

    times = []
    for _ in range(2):
        t = time.perf_counter()
        pl.scan_csv(files).group_by("LSOA code", "Month", "Crime type").len().collect()
        times.append(time.perf_counter() - t)
    bare = min(times)
    code = (
        "import django; django.setup();"
        "from saferplan.police import ingest, services; from saferplan.plans import selectors;"
        "import time; start = time.perf_counter();"
        f"files = ingest.select(ingest.discover([{str(folder)!r}]));"
        "services.police_import(files, partnership=selectors.plan_get().partnership);"
        "print(time.perf_counter() - start)"
    )
    full, full_process, peak = child(code, env)
    again, _, peak_again = child(code, env)
    zipped_code = code.replace(repr(str(folder)), repr(str(archive)))
    subprocess.run(["rm", "-rf", str(work / "data" / "police")], check=True)
    from_zip, _, _ = child(zipped_code, env)
    print(
        f"synthetic archive: {MONTHS} months, 43 forces, {rows:,} street rows ({generated:.1f} s to generate)"
    )
    print(f"baseline, bare Polars scan + group_by: {bare:.2f} s")
    print(
        f"full import from the unzipped folder:  {full:.2f} s = {full / bare:.1f}× the baseline "
        f"({full_process:.2f} s with Python and Django starting)"
    )
    print(f"re-import of the same months:          {again:.2f} s = {again / bare:.1f}×")
    print(f"full import from the zip archive:      {from_zip:.2f} s = {from_zip / bare:.1f}×")
    print(f"peak memory of an import process:      {max(peak, peak_again):,.0f} MB (max RSS)")
    subprocess.run(["rm", "-rf", str(work)], check=True)


if __name__ == "__main__":
    main()
