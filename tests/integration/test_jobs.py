"""The scheduled jobs (issue 13): deemed acceptance after KEBERATAN_HARI days, through
`flask jobs run-due [--today]` and through the task queue (Huey in immediate mode); the
history names the system; a second run changes nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.factories import approved_evaluations, fill_realisasi, viewer_of

RATED = {"rating_hasil_kerja": "sesuai", "rating_perilaku_kerja": "sesuai"}


def rated_evaluation(app, api, days_ago: int) -> tuple:  # noqa: ANN001
    """A tw1 evaluation rated ``days_ago`` days ago; returns (chain, its id)."""
    from app.extensions import db
    from app.models.penilaian import Penilaian

    people, rows = approved_evaluations(app)
    tw1 = rows["tw1"]
    fill_realisasi(app, tw1)
    staff, headers = api(people.staff)
    assert staff.post(f"/api/v1/penilaian/{tw1}/submit", headers=headers).status_code == 200
    atasan, atasan_headers = api(people.atasan)
    rated = atasan.post(f"/api/v1/penilaian/{tw1}/rate", json=RATED, headers=atasan_headers)
    assert rated.status_code == 200, rated.get_json()
    with app.app_context():
        item = db.session.get(Penilaian, tw1)
        item.dinilai_pada = item.dinilai_pada - dt.timedelta(days=days_ago)
        db.session.commit()
    return people, tw1


def status_of(app, penilaian_id: int) -> str:  # noqa: ANN001
    from app.extensions import db
    from app.models.penilaian import Penilaian

    with app.app_context():
        db.session.expire_all()
        return db.session.get(Penilaian, penilaian_id).status


def run_due(app, today: dt.date | None = None) -> str:  # noqa: ANN001
    args = ["jobs", "run-due"] + (["--today", today.isoformat()] if today else [])
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    return result.output


def test_an_unanswered_rating_counts_as_accepted_by_the_system(app, api, login):
    from app.extensions import db
    from app.models.monitoring import Notifikasi
    from app.models.penilaian import PenilaianRiwayat

    window = app.config.get("KEBERATAN_HARI", 14)
    people, tw1 = rated_evaluation(app, api, days_ago=window + 1)
    assert "penerimaan_otomatis" in run_due(app)
    assert status_of(app, tw1) == "diterima"
    with app.app_context():
        step = db.session.execute(
            select(PenilaianRiwayat).where(
                PenilaianRiwayat.penilaian_id == tw1, PenilaianRiwayat.aksi == "deem"
            )
        ).scalar_one()
        assert step.oleh_id is None and step.dari == "dinilai" and step.ke == "diterima"
        owner = viewer_of(app, people.staff).pegawai_id
        notices = db.session.execute(
            select(Notifikasi.jenis).where(Notifikasi.penerima_id == owner)
        ).scalars()
        assert "diterima_otomatis" in set(notices)
    page = login(people.staff).get(f"/penilaian/{tw1}").get_data(as_text=True)
    assert "Sistem" in page

    # Idempotent: nothing left to do, nothing changes.
    assert "penerimaan_otomatis: 0" in run_due(app)
    with app.app_context():
        steps = db.session.execute(
            select(PenilaianRiwayat.id).where(PenilaianRiwayat.penilaian_id == tw1)
        ).all()
    assert "penerimaan_otomatis: 0" in run_due(app)
    with app.app_context():
        again = db.session.execute(
            select(PenilaianRiwayat.id).where(PenilaianRiwayat.penilaian_id == tw1)
        ).all()
    assert again == steps


def test_a_rating_inside_the_window_waits_and_today_can_be_moved_forward(app, api):
    window = app.config.get("KEBERATAN_HARI", 14)
    _, tw1 = rated_evaluation(app, api, days_ago=window - 2)
    run_due(app)
    assert status_of(app, tw1) == "dinilai"
    # Judged as of the day after the window closes (a catch-up run): due.
    run_due(app, dt.date.today() + dt.timedelta(days=3))
    assert status_of(app, tw1) == "diterima"


def test_an_objection_is_never_deemed_accepted(app, api):
    window = app.config.get("KEBERATAN_HARI", 14)
    people, tw1 = rated_evaluation(app, api, days_ago=1)
    staff, headers = api(people.staff)
    objected = staff.post(
        f"/api/v1/penilaian/{tw1}/object", json={"alasan": "Target tidak sesuai"}, headers=headers
    )
    assert objected.status_code == 200, objected.get_json()
    run_due(app, dt.date.today() + dt.timedelta(days=window + 30))
    assert status_of(app, tw1) == "keberatan"


def test_the_task_queue_runs_the_same_jobs(app, api, monkeypatch):
    from app import tasks

    window = app.config.get("KEBERATAN_HARI", 14)
    _, tw1 = rated_evaluation(app, api, days_ago=window + 1)
    monkeypatch.setattr(tasks.huey, "immediate", True)
    with app.app_context():
        tasks.run_due_jobs(dt.date.today().isoformat())  # enqueued, run at once (immediate)
    assert status_of(app, tw1) == "diterima"


def test_the_nightly_jobs_give_sqlite_its_planner_statistics(app):
    """Without statistics SQLite guesses every table's size (README, Performance); the
    nightly run gathers them. PostgreSQL keeps its own: the job does nothing there."""
    from sqlalchemy import text

    from app.extensions import db

    output = run_due(app)
    assert "statistik_basis_data" in output
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return
        tables = db.session.execute(text("SELECT DISTINCT tbl FROM sqlite_stat1")).scalars()
        assert {"pegawai", "penilaian", "realisasi"} <= set(tables)


def test_the_consumer_writes_reports_at_a_lower_cpu_priority(monkeypatch):
    """What a worker of the Huey consumer runs first (its startup hooks) lowers that worker's
    priority by HUEY_NICE, and only its own: the process that started it keeps its own."""
    import os
    import threading

    from huey.consumer import Worker

    from app import tasks

    monkeypatch.setenv("HUEY_NICE", "7")
    seen = {}

    def worker() -> None:
        Worker(tasks.huey, 0.1, 10, 1.15).initialize()
        seen["worker"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    before = os.getpriority(os.PRIO_PROCESS, 0)
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen["worker"] == min(19, before + 7)
    assert os.getpriority(os.PRIO_PROCESS, 0) == before
