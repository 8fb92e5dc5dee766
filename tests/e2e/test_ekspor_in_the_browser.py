"""A long report in a real browser (issue 13, items 3 and 7): admin BKPSDM asks for the city's
roster on the Laporan page, lands on its progress page, watches the bar move as a real Huey
worker (a consumer thread of this test, on a queue of its own) writes it, then downloads the
file — on a phone (390 px) and on a desktop (1366 px).

Deterministic: the worker writes 20 rows a batch and, after its second batch, waits for the
test to let it go on, so the page is seen at exactly "40 of 150 rows" before it is seen done."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.e2e.browser import indonesian, sign_in

pytestmark = pytest.mark.e2e

BATCH = 20
HELD_AT = 2 * BATCH


@pytest.fixture()
def worker(app, monkeypatch, tmp_path) -> Iterator[threading.Event]:  # noqa: ANN001
    """Reports of more than 10 rows go to a Huey consumer thread on a queue stored in this
    test's folder (never the install's instance/huey.db); it pauses after HELD_AT rows until
    the returned event is set."""
    from huey.storage import SqliteStorage

    from app import tasks
    from app.reports.laporan import base
    from app.services import ekspor

    monkeypatch.setitem(app.config, "EKSPOR_LATAR_BARIS", 10)
    monkeypatch.setitem(app.config, "EKSPOR_FOLDER", str(tmp_path / "ekspor"))
    monkeypatch.setattr(base, "BATCH", BATCH)
    monkeypatch.setattr(tasks.huey, "immediate", False)
    monkeypatch.setattr(
        tasks.huey, "storage", SqliteStorage(tasks.huey.name, filename=str(tmp_path / "q.db"))
    )
    monkeypatch.setattr(tasks, "_app", lambda: app)  # the worker runs in the tests' app

    release = threading.Event()
    told = ekspor._catat

    def held(token: str, rows: int) -> None:
        told(token, rows)
        if rows == HELD_AT:
            release.wait(timeout=60)

    monkeypatch.setattr(ekspor, "_catat", held)
    consumer = tasks.huey.create_consumer(
        workers=1,
        worker_type="thread",
        periodic=False,
        initial_delay=0.05,
        backoff=1.1,
        max_delay=0.2,
        check_worker_health=False,
    )
    monkeypatch.setattr(consumer, "_set_signal_handlers", lambda: None)  # pytest keeps Ctrl-C
    consumer.start()
    try:
        yield release
    finally:
        release.set()
        consumer.stop(graceful=True)


@pytest.mark.parametrize("width", [390, 1366])
def test_a_long_report_shows_its_progress_then_the_download(app, live_server, page, worker, width):
    from app.extensions import db
    from app.models.master import Pegawai

    with app.app_context():
        total = db.session.execute(select(func.count(Pegawai.id))).scalar_one()
    page.set_viewport_size({"width": width, "height": 844 if width < 800 else 768})
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server}/laporan/")
    page.locator("tr[data-jenis=pegawai] button").click()
    page.wait_for_url(f"{live_server}/laporan/ekspor/**")

    bar = page.locator("#ekspor-progress .progress-bar")
    held = indonesian(app, "%(written)s of %(total)s rows", written=HELD_AT, total=total)
    expect(page.locator("#ekspor-baris")).to_have_text(held)
    expect(bar).to_have_attribute("aria-valuenow", str(HELD_AT))
    expect(bar).to_have_text(f"{round(100 * HELD_AT / total)}%")
    expect(page.locator("#ekspor-status")).to_have_text(indonesian(app, "Being written"))
    expect(page.locator("#ekspor-unduh")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    worker.set()
    done = indonesian(app, "%(written)s of %(total)s rows", written=total, total=total)
    expect(page.locator("#ekspor-baris")).to_have_text(done)
    expect(bar).to_have_text("100%")
    expect(page.locator("#ekspor-status")).to_have_text(indonesian(app, "Ready"))
    link = page.locator("#ekspor-unduh")
    expect(link).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("laporan_pegawai_")
    assert download.value.suggested_filename.endswith(".xlsx")
