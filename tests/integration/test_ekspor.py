"""Long reports as jobs of the worker (issue 13, item 3): a report of more rows than
EKSPOR_LATAR_BARIS answers 202 with a status URL (API) or a progress page (HTML), the worker
writes it (Huey in immediate mode here: the task runs when queued), only its asker may follow
and fetch it, its file expires, a failure says why in Indonesian. Short reports are still the
file at once.

The threshold is set low rather than the rows made many: the demo city has 150 pegawai."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os

import openpyxl
import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from app.extensions import db
from app.models.ekspor import Ekspor
from app.models.master import Pegawai
from app.reports import laporan
from app.reports.laporan import base
from app.security.scope import Viewer
from app.services import ekspor as ekspor_service

API = "/api/v1/laporan"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_ROW = 8  # 1-based: the title block, a free line, the column headers
ADMIN = Viewer(user_id=None, is_admin=True)


@pytest.fixture()
def latar(app, monkeypatch, tmp_path) -> int:  # noqa: ANN001
    """Every report of more than 10 rows goes to the worker, which runs at once; files go to a
    folder of this test. Returns the number of pegawai in the city (admin's roster)."""
    from app import tasks

    monkeypatch.setitem(app.config, "EKSPOR_LATAR_BARIS", 10)
    monkeypatch.setitem(app.config, "EKSPOR_FOLDER", str(tmp_path / "ekspor"))
    monkeypatch.setattr(tasks.huey, "immediate", True)
    with app.app_context():
        return db.session.execute(select(func.count(Pegawai.id))).scalar_one()


def indonesian(app, msgid: str, **params: object) -> str:  # noqa: ANN001
    """The text of ``msgid`` in Indonesian; fails while the catalogue lacks it."""
    with app.test_request_context():
        with force_locale("id"):
            text = gettext(msgid, **params)
        with force_locale("en"):
            english = gettext(msgid, **params)
    assert text != english, f"not translated into Indonesian yet: {msgid!r}"
    return text


def rows_of(body: bytes) -> int:
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    return sum(1 for row in sheet.iter_rows(min_row=HEADER_ROW + 1) if row[0].value is not None)


def export_of(app, token: str) -> Ekspor:  # noqa: ANN001
    with app.app_context():
        ekspor = db.session.execute(select(Ekspor).where(Ekspor.token == token)).scalar_one()
        db.session.expunge(ekspor)
        return ekspor


def ask(api, username: str = "admin", jenis: str = "pegawai.xlsx"):  # noqa: ANN001, ANN201
    client, headers = api(username)
    return client, headers, client.get(f"{API}/{jenis}", headers=headers)


# --- where a report is made ------------------------------------------------------------------


def test_a_report_up_to_the_threshold_is_the_file_at_once(app, api, latar, monkeypatch):
    monkeypatch.setitem(app.config, "EKSPOR_LATAR_BARIS", latar)
    _, _, response = ask(api)
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert rows_of(response.data) == latar


def test_threshold_zero_keeps_every_report_in_the_request(app, api, latar, monkeypatch):
    monkeypatch.setitem(app.config, "EKSPOR_LATAR_BARIS", 0)
    assert ask(api)[2].status_code == 200


def test_the_count_is_the_rows_the_report_streams(app, latar):
    """The count tells a long report from a short one and sizes its progress bar: it is the
    rows written, whoever asks and for whichever unit, and with leavers among the pegawai
    (the SKP status report has a row per active pegawai, the predikat report also one per
    leaver with an SKP of the year: the two reports count without their joins)."""
    from flask_appbuilder.security.sqla.models import User

    from app.security.scope import viewer_for
    from tests.factories import new_opd, skp_with_rhk

    opd = new_opd(app, staff=3, nama="Hitung")
    skp_with_rhk(app, opd.staff[0], "Laporan yang dihitung")
    with app.test_request_context():
        session = db.session
        leavers = [session.get(Pegawai, pegawai_id) for pegawai_id in opd.staff_ids[:2]]
        for leaver in leavers:  # the first with an SKP of the year, the second without
            leaver.aktif = False
        session.commit()
        try:
            head = session.execute(select(Pegawai).where(Pegawai.nip == opd.pimpinan)).scalar_one()
            viewers = {
                "admin": ADMIN,
                "pimpinan": viewer_for(session.get(User, head.user_id), session),
            }
            for who, viewer in viewers.items():
                for args in ({}, {"unit_kerja_id": str(opd.id)}):
                    for jenis in ("pegawai", "status_skp", "predikat"):
                        p = laporan.periksa(session, viewer, jenis, "xlsx", args, who)
                        written = laporan.tulis(session, p, "xlsx", io.BytesIO())
                        assert laporan.hitung(session, p) == written, (who, args, jenis)
            kepatuhan = laporan.periksa(session, ADMIN, "kepatuhan", "xlsx", {}, "admin")
            assert laporan.hitung(session, kepatuhan) == 0  # a row per OPD: always short
        finally:
            for leaver in leavers:
                leaver.aktif = True
            session.commit()


def test_the_same_report_is_long_for_the_city_and_short_for_an_atasan(
    app, api, latar, cast, monkeypatch
):
    """The count is of the asker's own rows: the city's roster goes to the worker, the
    atasan's few rows are the file at once."""
    monkeypatch.setitem(app.config, "EKSPOR_LATAR_BARIS", latar - 1)
    assert ask(api)[2].status_code == 202
    assert ask(api, cast.atasan)[2].status_code == 200


# --- the API ---------------------------------------------------------------------------------


def test_a_long_report_answers_202_and_its_status_leads_to_the_file(app, api, latar):
    client, headers, response = ask(api)
    assert response.status_code == 202
    answer = response.get_json()
    token = answer["token"]
    assert answer["status_url"] == f"{API}/ekspor/{token}"
    assert response.headers["Location"].endswith(answer["status_url"])
    assert answer["rows_total"] == latar
    # Immediate mode: the worker has already written it.
    status = client.get(answer["status_url"], headers=headers)
    assert status.status_code == 200
    done = status.get_json()
    assert done["status"] == "selesai"
    assert done["rows_written"] == done["rows_total"] == latar
    assert done["download_url"] == f"{API}/ekspor/{token}/berkas"
    file = client.get(done["download_url"], headers=headers)
    assert file.status_code == 200
    assert file.mimetype == XLSX
    assert "laporan_pegawai_" in file.headers["Content-Disposition"]
    assert rows_of(file.data) == latar


def test_the_worker_reads_with_the_askers_scope(app, api, latar, cast, monkeypatch):
    """The worker has no request: it rebuilds the asker's viewer from the stored user id, so
    a pimpinan's background file holds their OPD only, as their immediate one would."""
    client, headers = api(cast.pimpinan)
    answer = client.get(f"{API}/pegawai.xlsx", headers=headers)
    assert answer.status_code == 202, answer.get_json()
    done = client.get(answer.get_json()["status_url"], headers=headers).get_json()
    background = client.get(done["download_url"], headers=headers)
    monkeypatch.setitem(app.config, "EKSPOR_LATAR_BARIS", 0)
    immediate = client.get(f"{API}/pegawai.xlsx", headers=headers)
    assert immediate.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(immediate.data), read_only=True).worksheets[0]
    expected = [row[1] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    sheet = openpyxl.load_workbook(io.BytesIO(background.data), read_only=True).worksheets[0]
    got = [row[1] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    assert got == expected
    assert cast.outsider not in got and cast.staff in got


def test_only_the_asker_may_follow_or_fetch_an_export(app, api, login, latar, cast):
    _, _, response = ask(api, cast.pimpinan)
    token = response.get_json()["token"]
    for other in ("admin", cast.atasan, cast.outsider_atasan):
        client, headers = api(other)
        assert client.get(f"{API}/ekspor/{token}", headers=headers).status_code == 404
        assert client.get(f"{API}/ekspor/{token}/berkas", headers=headers).status_code == 404
        browser = login(other)
        assert browser.get(f"/laporan/ekspor/{token}").status_code == 404
        assert browser.get(f"/laporan/ekspor/{token}/berkas").status_code == 404


def test_the_api_needs_a_token_for_the_status(app, latar, api):
    _, _, response = ask(api)
    assert app.test_client().get(response.get_json()["status_url"]).status_code == 401


# --- the page --------------------------------------------------------------------------------


def test_the_page_sends_a_long_report_to_its_progress_page_and_then_the_file(app, login, latar):
    browser = login("admin")
    response = browser.get("/laporan/pegawai.xlsx")
    assert response.status_code == 302
    page_url = response.headers["Location"]
    token = page_url.rstrip("/").rsplit("/", 1)[-1]
    assert page_url.endswith(f"/laporan/ekspor/{token}")
    page = browser.get(page_url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'class="progress"' in html and 'id="ekspor-progress"' in html
    assert f'data-status-url="{API}/ekspor/{token}"' in html
    assert f"/laporan/ekspor/{token}/berkas" in html
    assert "sikap/laporan_ekspor.js" in html
    rows = indonesian(app, "%(written)s of %(total)s rows", written=latar, total=latar)
    assert rows in html
    file = browser.get(f"/laporan/ekspor/{token}/berkas")
    assert file.status_code == 200
    assert rows_of(file.data) == latar
    # The page polls the API's status with its browser session.
    assert browser.get(f"{API}/ekspor/{token}").get_json()["status"] == "selesai"


# --- progress --------------------------------------------------------------------------------


def test_progress_is_told_after_every_batch_written(app, latar, monkeypatch):
    monkeypatch.setattr(base, "BATCH", 40)
    told: list[int] = []
    with app.test_request_context():
        viewer = ADMIN
        p = laporan.periksa(db.session, viewer, "pegawai", "xlsx", {}, "admin")
        p = dataclasses.replace(p, progress=told.append)
        rows = laporan.tulis(db.session, p, "xlsx", io.BytesIO())
    assert rows == latar
    assert told == [*range(40, latar, 40), latar]


def test_the_status_of_a_running_export_reads_the_workers_count(app, api, latar):
    """While the worker runs, the row holds the total; the count comes from the queue's store,
    never past the total."""
    from app import tasks

    _, _, response = ask(api)
    token = response.get_json()["token"]
    with app.app_context():
        ekspor = db.session.execute(select(Ekspor).where(Ekspor.token == token)).scalar_one()
        ekspor.status = "berjalan"
        db.session.commit()
    client, headers = api("admin")
    tasks.huey.put(f"ekspor:{token}", 40)
    answer = client.get(f"{API}/ekspor/{token}", headers=headers).get_json()
    assert (answer["status"], answer["rows_written"], answer["rows_total"]) == (
        "berjalan",
        40,
        latar,
    )
    assert "download_url" not in answer
    assert client.get(f"{API}/ekspor/{token}/berkas", headers=headers).status_code == 409
    tasks.huey.put(f"ekspor:{token}", latar + 5)
    assert client.get(f"{API}/ekspor/{token}", headers=headers).get_json()["rows_written"] == latar


# --- expiry ----------------------------------------------------------------------------------


def test_the_nightly_job_deletes_expired_files_and_the_download_answers_410(app, api, login, latar):
    from app.services import jobs

    assert jobs.JOBS["hapus_ekspor_kedaluwarsa"] is ekspor_service.hapus_kedaluwarsa
    client, headers, response = ask(api)
    token = response.get_json()["token"]
    ekspor = export_of(app, token)
    with app.app_context():
        path = ekspor_service.berkas_of(ekspor)
    assert os.path.exists(path)
    today = dt.date.today()
    with app.app_context():
        # Kept for EKSPOR_KEDALUWARSA_JAM (24) hours: not yet expired as of today.
        assert ekspor_service.hapus_kedaluwarsa(db.session, today) == 0
        db.session.commit()
        assert ekspor_service.hapus_kedaluwarsa(db.session, today + dt.timedelta(days=2)) >= 1
        db.session.commit()
    assert not os.path.exists(path)
    assert export_of(app, token).status == "kedaluwarsa"
    gone = client.get(f"{API}/ekspor/{token}/berkas", headers=headers)
    assert gone.status_code == 410
    message = indonesian(app, ekspor_service.KEDALUWARSA)
    assert gone.get_json()["message"] == message
    status = client.get(f"{API}/ekspor/{token}", headers=headers).get_json()
    assert status["status"] == "kedaluwarsa" and "download_url" not in status
    page = login("admin").get(f"/laporan/ekspor/{token}/berkas")
    assert page.status_code == 410
    assert message in page.get_data(as_text=True)


def test_a_file_past_its_hour_answers_410_before_the_job_runs(app, api, latar):
    client, headers, response = ask(api)
    token = response.get_json()["token"]
    with app.app_context():
        ekspor = db.session.execute(select(Ekspor).where(Ekspor.token == token)).scalar_one()
        ekspor.kedaluwarsa_pada = ekspor.selesai_pada - dt.timedelta(seconds=1)
        db.session.commit()
    assert client.get(f"{API}/ekspor/{token}/berkas", headers=headers).status_code == 410


# --- failure ---------------------------------------------------------------------------------


def test_a_failed_export_says_why_in_indonesian(app, api, login, latar, monkeypatch):
    def broken(session, p, target):  # noqa: ANN001, ANN202
        target.write(b"half a file")
        raise RuntimeError("the disk is full")

    monkeypatch.setitem(laporan.REPORTS["pegawai"].writers, "xlsx", broken)
    client, headers, response = ask(api)
    token = response.get_json()["token"]
    answer = client.get(f"{API}/ekspor/{token}", headers=headers).get_json()
    message = indonesian(app, ekspor_service.GAGAL)
    assert answer["status"] == "gagal"
    assert answer["message"] == message
    assert "download_url" not in answer
    failed = client.get(f"{API}/ekspor/{token}/berkas", headers=headers)
    assert failed.status_code == 409
    assert failed.get_json()["message"] == message
    page = login("admin").get(f"/laporan/ekspor/{token}").get_data(as_text=True)
    assert message in page
    ekspor = export_of(app, token)
    with app.app_context():
        path = ekspor_service.berkas_of(ekspor)
    assert not os.path.exists(path) and not os.path.exists(f"{path}.part")


def test_openapi_describes_the_202_and_the_status(app, api):
    client, headers = api("admin")
    spec = client.get("/api/v1/_openapi", headers=headers).get_json()
    paths = spec["paths"]
    assert "202" in paths["/api/v1/laporan/{jenis}.{ext}"]["get"]["responses"]
    assert set(paths["/api/v1/laporan/ekspor/{token}/berkas"]["get"]["responses"]) >= {
        "200",
        "404",
        "409",
        "410",
    }
    status = spec["components"]["schemas"]["EksporStatus"]["properties"]
    assert {"status", "rows_written", "rows_total", "status_url", "download_url"} <= set(status)
