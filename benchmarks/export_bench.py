"""Export throughput and memory of the reports on a large database (`make bench`; not part of
`make test`).

    python benchmarks/export_bench.py [--pegawai 100000]

The database is instance/bench-<N>.db, or DATABASE_URL (benchmarks/databases.py): migrated on
every run and given `flask demo-data --pegawai N` (SKPs and evaluations included; about a
minute for 100,000 pegawai on SQLite) when it has no pegawai yet.

Every measurement runs in a process of its own, so that its peak resident memory
(``ru_maxrss``) belongs to that export alone. Measured, as admin BKPSDM (every row):

* the roster and the predikat report, end to end through ``app.reports.laporan.buat`` (the
  code behind the page and /api/v1/laporan/), for the whole city and for one OPD: memory
  should not grow with the rows (ARCHITECTURE.md rule 7);
* every other report for the whole city (benchmarks/bench.py takes its peak memory from here);
* a floor for each report: the same rows first read into a list, then written by a bare
  constant-memory xlsxwriter sheet (no formats, no title block) — the cost of writing alone,
  with the memory that holding every row costs. The rows are the sheet's rows where the
  report has a row function (pegawai, status_skp, predikat), else its statement's rows.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import databases  # noqa: E402 - benchmarks/, beside this file

# The OPD of the "one OPD" measurements: BKPSDM's own.
ONE_OPD = "BKPSDM"


def _catalogue() -> tuple[str, ...]:
    """Every report of app.reports.laporan: a new one is measured without being named here."""
    from app.reports.laporan import REPORTS as catalogue

    return tuple(catalogue)


REPORTS = _catalogue()
CASES = (
    ("pegawai", ONE_OPD),
    ("predikat", ONE_OPD),
    *((jenis, None) for jenis in REPORTS),
    *((f"floor:{jenis}", None) for jenis in REPORTS),
)


def _mb(kilobytes: float) -> float:
    return kilobytes / 1024


def _rss_kb() -> int:
    """The resident memory of this process now (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


# --- one measurement (child process) -----------------------------------------------------


def bench_app(url: str):  # noqa: ANN201
    """The app on ``url`` as deployed (no permission sync, no rate limit), quiet."""
    import logging

    from app import create_app
    from config import DEMO_AUDIT_KEY

    logging.disable(logging.WARNING)
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "benchmark-only-secret-key-of-32-bytes",
            # The key the demo data's audit chain was written with (DEMO_DATA=1).
            "AUDIT_KEY": DEMO_AUDIT_KEY,
            "FAB_UPDATE_PERMS": False,
            "RATELIMIT_ENABLED": False,
            # The exports are timed in the request, whatever their size (a long one would
            # otherwise answer 202 and go to the worker: app/services/ekspor.py).
            "EKSPOR_LATAR_BARIS": 0,
        }
    )


def _args(session, opd: str | None) -> dict[str, str]:  # noqa: ANN001
    from sqlalchemy import select

    from app.models.master import UnitKerja

    if opd is None:
        return {}
    unit_id = session.execute(select(UnitKerja.id).where(UnitKerja.kode == opd)).scalar_one()
    return {"unit_kerja_id": str(unit_id)}


def measure(url: str, case: str, opd: str | None) -> dict:
    from app.extensions import db
    from app.reports import laporan
    from app.security.scope import Viewer

    app = bench_app(url)
    admin = Viewer(user_id=None, is_admin=True)
    with app.test_request_context():
        session = db.session
        args = _args(session, opd)
        if case.startswith("floor:"):
            return _floor(session, laporan.pilihan(session, admin, case[6:], args, "bench"))
        gc.collect()
        base = _rss_kb()
        start = time.perf_counter()
        berkas = laporan.buat(session, admin, case, "xlsx", args, "bench")
        seconds = time.perf_counter() - start
        size = os.fstat(berkas.handle.fileno()).st_size
        berkas.handle.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"rows": berkas.rows, "seconds": seconds, "base": base, "peak": peak, "size": size}


def _floor(session, p) -> dict:  # noqa: ANN001
    """Read every row into memory, then time a bare xlsxwriter writing them."""
    import xlsxwriter

    rows = _floor_rows(session, p)
    gc.collect()
    base = _rss_kb()
    with tempfile.TemporaryFile() as target:
        start = time.perf_counter()
        book = xlsxwriter.Workbook(
            target,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        sheet = book.add_worksheet()
        for number, values in enumerate(rows):
            sheet.write_row(number, 0, values)
        book.close()
        seconds = time.perf_counter() - start
        size = target.tell()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"rows": len(rows), "seconds": seconds, "base": base, "peak": peak, "size": size}


def _floor_rows(session, p) -> list:  # noqa: ANN001
    from app.reports.laporan import REPORTS as catalogue
    from app.reports.laporan import base, kepatuhan, pegawai, predikat, status_skp

    if p.jenis == "pegawai":
        return list(pegawai.pegawai_rows(session, p))
    if p.jenis == "status_skp":
        return list(status_skp.status_rows(session, p))
    if p.jenis == "predikat":
        periods = base.periods_of_year(session, p.cakupan.tahunan.tahun)
        return [values for values, _, _ in predikat.predikat_rows(session, p, periods)]
    if p.jenis == "kepatuhan":  # its rows per unit, for the periods the report counts
        kewajiban = kepatuhan.kepatuhan_kewajiban(session, p)
        return [row.values() for row in kepatuhan.kepatuhan_rows(session, p, kewajiban)]
    # Any other report: the rows of the statement it streams.
    statement = catalogue[p.jenis].rows
    return [list(row) for row in session.execute(statement(session, p))]


# --- the table (parent process) ----------------------------------------------------------


def run_case(url: str, case: str, opd: str | None) -> dict:
    command = [sys.executable, __file__, "--child", case]
    if opd:
        command += ["--opd", opd]
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pegawai", type=int, default=100_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--opd", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        result = measure(os.environ["DATABASE_URL"], options.child, options.opd)
        print(json.dumps(result))
        return

    url = databases.database_url(options.pegawai)
    databases.prepare(url, options.pegawai)
    print(f"database: {databases.shown(url)}")
    header = (
        f"{'export':<24}{'rows':>9}{'seconds':>9}{'rows/s':>9}"
        f"{'peak RSS MB':>13}{'growth MB':>11}{'file MB':>9}"
    )
    print(header)
    print("-" * len(header))
    for case, opd in CASES:
        result = run_case(url, case, opd)
        name = case + (f" ({opd})" if opd else " (all)")
        rate = result["rows"] / result["seconds"] if result["seconds"] else 0
        growth = max(0, result["peak"] - result["base"])
        print(
            f"{name:<24}{result['rows']:>9}{result['seconds']:>9.1f}{rate:>9.0f}"
            f"{_mb(result['peak']):>13.0f}{_mb(growth):>11.0f}"
            f"{result['size'] / 1_048_576:>9.1f}",
            flush=True,
        )
    print(
        "\npeak RSS: the process's maximum resident memory (ru_maxrss); growth: above its "
        "resident memory just before the export started.\nfloor: the rows held in a list, "
        "then written by a bare xlsxwriter sheet (seconds = writing only)."
    )


if __name__ == "__main__":
    main()
