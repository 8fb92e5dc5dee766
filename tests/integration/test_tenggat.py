"""Per-period deadlines (issue 13, item 2): set by admin BKPSDM on the periode (page and
API, with defaults), refused when implausible; reminders a few days before and after each
deadline to whoever has not acted — the pegawai about their realisasi, the pejabat penilai one
digest — once each, through `flask jobs run-due --today`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.factories import approved_evaluations, fill_realisasi, viewer_of
from tests.integration.test_jobs import run_due


def periode(app, tahun: int, jenis: str):  # noqa: ANN001, ANN201
    from app.extensions import db
    from app.models.master import Periode

    with app.app_context():
        found = db.session.execute(
            select(Periode).where(Periode.tahun == tahun, Periode.jenis == jenis)
        ).scalar_one()
        db.session.expunge(found)
        return found


def deadline_notices(app, nip: str, locale: str = "id") -> list[str]:  # noqa: ANN001
    """The deadline reminders of ``nip``, oldest first, as they read (in Indonesian, or as a
    reader of ``locale`` reads them)."""
    from flask_babel import force_locale

    from app.extensions import db
    from app.models.monitoring import Notifikasi
    from app.services.notifikasi import teks

    pegawai_id = viewer_of(app, nip).pegawai_id
    with app.test_request_context(), force_locale(locale):
        notices = db.session.execute(
            select(Notifikasi)
            .where(Notifikasi.penerima_id == pegawai_id, Notifikasi.jenis == "tenggat")
            .order_by(Notifikasi.id)
        ).scalars()
        return [teks(n) for n in notices]


def test_default_deadlines_follow_the_end_of_the_period():
    from app.domain import tenggat

    end = dt.date(2026, 3, 31)
    both = tenggat.batas(end, None, None)
    assert both == {
        tenggat.REALISASI: dt.date(2026, 4, 5),
        tenggat.PENILAIAN: dt.date(2026, 4, 20),
    }
    # A later realisasi deadline moves the default rating deadline with it.
    later = tenggat.batas(end, dt.date(2026, 4, 30), None)
    assert later[tenggat.PENILAIAN] == dt.date(2026, 5, 15)
    assert tenggat.batas(end, None, dt.date(2026, 6, 1))[tenggat.PENILAIAN] == dt.date(2026, 6, 1)


def test_admin_sets_deadlines_through_the_api_and_bad_ones_are_refused(app, api, cast):
    tw2 = periode(app, 2026, "tw2")
    client, headers = api(cast.admin)
    url = f"/api/v1/periode/{tw2.id}"
    assert client.get(url, headers=headers).get_json()["result"]["batas_realisasi"] is None
    try:
        ok = client.put(
            url,
            json={"batas_realisasi": "2026-07-10", "batas_penilaian": "2026-07-31"},
            headers=headers,
        )
        assert ok.status_code == 200, ok.get_json()
        shown = client.get(url, headers=headers).get_json()["result"]
        assert (shown["batas_realisasi"], shown["batas_penilaian"]) == ("2026-07-10", "2026-07-31")
        for body, field in (
            ({"batas_realisasi": "2026-03-01"}, "batas_realisasi"),  # before the period starts
            ({"batas_realisasi": "2028-01-05"}, "batas_realisasi"),  # after the next year
            ({"batas_penilaian": "2026-07-05"}, "batas_penilaian"),  # before the realisasi
        ):
            refused = client.put(url, json=body, headers=headers)
            assert refused.status_code == 422, (body, refused.get_json())
            answer = refused.get_json()
            assert field in str(answer), answer
            assert "tenggat" in str(answer).lower() or "penilaian" in str(answer).lower()
        # Nobody else sets deadlines.
        staff, staff_headers = api(cast.staff)
        denied = staff.put(url, json={"batas_realisasi": "2026-07-11"}, headers=staff_headers)
        assert denied.status_code in (401, 403, 404)
    finally:
        reset = client.put(
            url, json={"batas_realisasi": None, "batas_penilaian": None}, headers=headers
        )
        assert reset.status_code == 200, reset.get_json()


def test_the_periode_form_shows_a_bad_deadline_under_its_field(app, login, cast):
    tw3 = periode(app, 2026, "tw3")
    client = login(cast.admin)
    form = client.get(f"/periodeview/edit/{tw3.id}").get_data(as_text=True)
    assert 'name="batas_realisasi"' in form and 'name="batas_penilaian"' in form
    response = client.post(
        f"/periodeview/edit/{tw3.id}",
        data={
            "tahun": "2026",
            "jenis": "tw3",
            "tanggal_mulai": "2026-07-01",
            "tanggal_selesai": "2026-09-30",
            "batas_realisasi": "2026-10-10",
            "batas_penilaian": "2026-10-01",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Penilaian tidak dapat jatuh tempo sebelum realisasi yang dinilainya." in page
    assert periode(app, 2026, "tw3").batas_penilaian is None


def test_reminders_go_before_and_after_each_deadline_once_each(app, api):
    people, rows = approved_evaluations(app)
    tw1 = periode(app, 2026, "tw1")
    realisasi_by = tw1.tenggat["realisasi"]
    rating_by = tw1.tenggat["penilaian"]

    # Long before the deadline: nothing.
    run_due(app, realisasi_by - dt.timedelta(days=10))
    assert deadline_notices(app, people.staff) == []

    # A few days before: the pegawai who has not submitted is reminded, once.
    output = run_due(app, realisasi_by - dt.timedelta(days=2))
    assert "pengingat_tenggat" in output
    before = deadline_notices(app, people.staff)
    assert len(before) == 1 and "Tenggat" in before[0] and "5 April 2026" in before[0]
    run_due(app, realisasi_by - dt.timedelta(days=1))
    run_due(app, realisasi_by)
    assert len(deadline_notices(app, people.staff)) == 1

    # A few days after: once more, as overdue; a second run the same day sends nothing.
    run_due(app, realisasi_by + dt.timedelta(days=2))
    run_due(app, realisasi_by + dt.timedelta(days=2))
    run_due(app, realisasi_by + dt.timedelta(days=4))
    after = deadline_notices(app, people.staff)
    assert len(after) == 2 and "Terlambat" in after[1]
    # The atasan had nothing to rate yet; their own SKP still waits for approval, so they
    # are told of that before and after the realisasi deadline — nothing about ratings.
    own_skp = deadline_notices(app, people.atasan)
    assert len(own_skp) == 2 and all("SKP 2026 Anda belum disetujui" in n for n in own_skp)

    # The staff and the colleague submit: the rating now waits on the atasan, who gets one
    # digest naming both — not one notice each.
    colleague_rows = approved_colleague_evaluations(app, people)
    for nip, penilaian_id in ((people.staff, rows["tw1"]), (people.colleague, colleague_rows)):
        fill_realisasi(app, penilaian_id)
        client, headers = api(nip)
        submitted = client.post(f"/api/v1/penilaian/{penilaian_id}/submit", headers=headers)
        assert submitted.status_code == 200, submitted.get_json()
    run_due(app, rating_by - dt.timedelta(days=3))
    run_due(app, rating_by - dt.timedelta(days=3))
    digest = deadline_notices(app, people.atasan)[2:]
    assert len(digest) == 1 and "2 evaluasi" in digest[0], digest
    # The staff acted: no more reminders for them about this period.
    run_due(app, rating_by + dt.timedelta(days=2))
    assert len(deadline_notices(app, people.staff)) == 2
    assert len(deadline_notices(app, people.atasan)) == 4


def approved_colleague_evaluations(app, people) -> int:  # noqa: ANN001
    """The colleague's approved SKP in the same chain; returns their tw1 penilaian id."""
    from app.extensions import db
    from app.models.master import Periode
    from app.models.penilaian import Penilaian
    from app.models.skp import RencanaHasilKerja, Skp
    from app.services import skp as skp_service
    from tests.factories import skp_with_rhk

    with app.app_context():
        atasan_rhk = db.session.execute(
            select(RencanaHasilKerja.id)
            .join(Skp, RencanaHasilKerja.skp_id == Skp.id)
            .where(Skp.pegawai_id == viewer_of(app, people.atasan).pegawai_id)
        ).scalar()
    skp_id, _ = skp_with_rhk(
        app, people.colleague, "Surat terkirim", intervensi_id=atasan_rhk, submit=True
    )
    with app.test_request_context():
        skp_service.approve(db.session, skp_id, viewer_of(app, people.atasan))
        db.session.commit()
        return db.session.execute(
            select(Penilaian.id)
            .join(Periode, Penilaian.periode_id == Periode.id)
            .where(Penilaian.skp_id == skp_id, Periode.jenis == "tw1")
        ).scalar_one()


def test_kepatuhan_kinerja_saya_and_dashboard_show_the_deadlines(app, login, cast):
    from app.extensions import db
    from app.models.master import Pegawai

    people, _ = approved_evaluations(app)
    with app.app_context():
        unit_id = db.session.execute(
            select(Pegawai.unit_kerja_id).where(Pegawai.nip == people.staff)
        ).scalar_one()
    tw1 = periode(app, 2026, "tw1")
    today = dt.date.today()

    page = (
        login(cast.admin)
        .get(f"/kepatuhan/?periode_id={tw1.id}&unit_kerja_id={unit_id}&kategori=belum_dinilai")
        .get_data(as_text=True)
    )
    assert "Tenggat 2026 Triwulan I: realisasi paling lambat 5 April 2026" in page
    row = page[page.index(f'data-nip="{people.staff}"') :]
    row = row[: row.index("</tr>")]
    assert "5 April 2026" in row
    late = today > dt.date(2026, 4, 5)
    assert ("Terlambat" in row) == late
    if late:
        assert 'id="kepatuhan-terlambat"' in page

    own = login(people.staff).get("/kinerja-saya/").get_data(as_text=True)
    assert "paling lambat 5 April 2026" in own
    assert ("Terlambat" in own) == late

    dashboard = login(people.staff).get("/").get_data(as_text=True)
    if today.year == 2026 and today > dt.date(2026, 3, 31):
        assert 'id="dash-batas"' in dashboard and "realisasi paling lambat" in dashboard


def reminders_recorded(app, nip: str) -> list[tuple[str, str, str]]:  # noqa: ANN001
    """(periode jenis, deadline, phase) of every reminder recorded as sent to ``nip``."""
    from app.extensions import db
    from app.models.master import Periode
    from app.models.tahun import PengingatTenggat

    with app.app_context():
        return sorted(
            db.session.execute(
                select(Periode.jenis, PengingatTenggat.tenggat, PengingatTenggat.tahap)
                .join(Periode, PengingatTenggat.periode_id == Periode.id)
                .where(PengingatTenggat.penerima_id == viewer_of(app, nip).pegawai_id)
            ).all()
        )


def test_quarter_iv_and_the_year_due_the_same_day_come_in_one_digest(app):
    people, _ = approved_evaluations(app)
    tw4, annual = periode(app, 2026, "tw4"), periode(app, 2026, "tahunan")
    # The same default deadlines: both periods end on 31 December.
    assert tw4.tenggat == annual.tenggat
    day = tw4.tenggat["realisasi"] - dt.timedelta(days=2)

    run_due(app, day)
    run_due(app, day)  # a second run the same day sends nothing more

    staff = deadline_notices(app, people.staff)
    assert len(staff) == 1, staff
    assert staff[0].startswith("2 pengingat tenggat — Tenggat: ajukan realisasi"), staff
    assert "realisasi Triwulan IV 2026" in staff[0] and "realisasi Tahunan 2026" in staff[0]
    due = tw4.tenggat["realisasi"]
    assert f"paling lambat {due.day} Januari {due.year}" in staff[0], staff
    # The date is stored as a date: a reader who chose English reads it in English.
    [english] = deadline_notices(app, people.staff, "en")
    assert f"by {due.day} January {due.year}" in english and "Januari" not in english, english
    # Still "once each": one row per periode, deadline and phase.
    assert reminders_recorded(app, people.staff) == [
        ("tahunan", "realisasi", "sebelum"),
        ("tw4", "realisasi", "sebelum"),
    ]
    # The atasan, whose own SKP is not approved yet, gets one digest too.
    atasan = deadline_notices(app, people.atasan)
    assert len(atasan) == 1 and atasan[0].count("SKP 2026 Anda belum disetujui") == 2, atasan


def test_a_pegawai_whose_skp_is_not_approved_is_reminded_of_it(app):
    from tests.factories import chain_with_submitted_skps, skp_with_rhk

    people, atasan_rhk = chain_with_submitted_skps(app)
    skp_with_rhk(app, people.staff, "Draf laporan", intervensi_id=atasan_rhk)  # a draft
    realisasi_by = periode(app, 2026, "tw2").tenggat["realisasi"]

    run_due(app, realisasi_by - dt.timedelta(days=1))

    staff = deadline_notices(app, people.staff)
    assert len(staff) == 1 and "SKP 2026 Anda belum disetujui" in staff[0], staff
    assert "Triwulan II 2026" in staff[0]
    # No SKP at all is not approved either.
    assert len(deadline_notices(app, people.colleague)) == 1


def test_a_reminder_is_mailed_when_mail_is_on(app, monkeypatch):
    from app import mail
    from tests.integration.test_notifikasi_mail import FakeSmtp

    people, _ = approved_evaluations(app)
    FakeSmtp.sent, FakeSmtp.connections, FakeSmtp.fail = [], [], None
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSmtp)
    monkeypatch.setitem(app.config, "MAIL_ENABLED", True)
    monkeypatch.setitem(app.config, "MAIL_BASE_URL", "https://sikap.test.invalid/")
    realisasi_by = periode(app, 2026, "tw3").tenggat["realisasi"]

    run_due(app, realisasi_by - dt.timedelta(days=3))

    to_staff = [m for m in FakeSmtp.sent if m["To"] == f"{people.staff}@test.invalid"]
    assert len(to_staff) == 1, [m["To"] for m in FakeSmtp.sent]
    body = to_staff[0].get_content()
    assert body.startswith(deadline_notices(app, people.staff)[0])
    assert "Triwulan III 2026" in body and "https://sikap.test.invalid/kinerja-saya/" in body
