"""The scheduled jobs (CONTRACT.md, Commands and processes): what the system does by
itself each day so that nothing waits forever. Each job is ``job(session, today) -> count``,
judges "due" as of ``today`` and is idempotent, so the worker's daily run, a catch-up with
``flask jobs run-due --today`` and a second run the same day all leave the same state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from app import audit, audit_trail
from app.services import ekspor, penilaian, planner_stats, tenggat

Job = Callable[[Session, dt.date], int]

# In the order they run: each is committed before the next starts.
JOBS: dict[str, Job] = {
    "penerimaan_otomatis": penilaian.deem_accepted,
    "pengingat_tenggat": tenggat.kirim_pengingat,
    "hapus_ekspor_kedaluwarsa": ekspor.hapus_kedaluwarsa,
    "statistik_basis_data": planner_stats.refresh,
    # Last, so that it takes in the audit rows of the jobs before it.
    "titik_periksa_audit": audit_trail.write_checkpoint,
}


def run_due(session: Session, today: dt.date) -> dict[str, int]:
    """Run every job once as of ``today``; each commits on its own and is audited under its
    name. Returns what each one changed."""
    done: dict[str, int] = {}
    for name, job in JOBS.items():
        with audit.attributed_to(f"jobs:{name}"):
            done[name] = job(session, today)
            session.commit()
    return done
