"""What a closed year refuses beyond its SKPs (issue 13, item 6): a training counted in it
(added, moved in or out, deleted), a development plan due within it, a riwayat jabatan dated
in it, the realisasi and the ratings of its evaluations — through the API and the pages —
while a plan arising from it that is due in the open year carries on; and its SKP,
realisasi and penilaian pages say the year is closed instead of offering forms that would be
refused. The demo's previous year is closed here and reopened after each test."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from tests.factories import Chain, approved_evaluations, fill_realisasi, new_chain, viewer_of

LAST_YEAR = dt.date.today().year - 1
THIS_YEAR = LAST_YEAR + 1
CLOSED = f"Tahun {LAST_YEAR} sudah ditutup"
RATING = {"rating_hasil_kerja": "sesuai", "rating_perilaku_kerja": "sesuai"}


def _admin():  # noqa: ANN202
    from app.security.scope import Viewer

    return Viewer(user_id=None, is_admin=True)


def close_last_year(app) -> None:  # noqa: ANN001
    from app.extensions import db
    from app.services import tutup_tahun

    with app.app_context():
        tutup_tahun.tutup(db.session, _admin(), None, LAST_YEAR, dt.date.today(), tetap_tutup=True)
        db.session.commit()


@pytest.fixture()
def reopen_after(app):  # noqa: ANN001, ANN201
    """Whatever a test closed, last year is open again after it."""
    yield
    from app.extensions import db
    from app.services import tahun, tutup_tahun

    with app.app_context():
        if tahun.is_closed(db.session, LAST_YEAR):
            tutup_tahun.buka(db.session, _admin(), None, LAST_YEAR, "Dibuka lagi oleh tes.")
            db.session.commit()


@dataclass(frozen=True)
class LastYear:
    people: Chain
    skp_id: int
    penilaian: dict[str, int]  # jenis → id: tw1 submitted, tw2 rated, tw3 not started
    periode: dict[str, int]  # jenis → last year's periode id


def moved_to_last_year(app, api) -> LastYear:  # noqa: ANN001
    """A staff SKP approved, moved to last year (its leftovers are what closing is about):
    tw1 submitted, tw2 rated and not answered, tw3 not started."""
    from app.extensions import db
    from app.models.master import Periode
    from app.models.penilaian import Penilaian
    from app.models.skp import Skp

    people, rows = approved_evaluations(app)
    with app.app_context():
        periods = dict(
            db.session.execute(
                select(Periode.jenis, Periode.id).where(Periode.tahun == LAST_YEAR)
            ).all()
        )
        skp_id = db.session.get(Penilaian, rows["tw1"]).skp_id
        # Through the ORM, so that the maintained counts follow (a bulk UPDATE would leave
        # them behind, for whichever test runs next on this database to find).
        db.session.get(Skp, skp_id).periode_id = periods["tahunan"]
        for jenis, penilaian_id in rows.items():
            db.session.get(Penilaian, penilaian_id).periode_id = periods[jenis]
        db.session.commit()
    staff, headers = api(people.staff)
    for jenis in ("tw1", "tw2"):
        fill_realisasi(app, rows[jenis])
        submitted = staff.post(f"/api/v1/penilaian/{rows[jenis]}/submit", headers=headers)
        assert submitted.status_code == 200, submitted.get_json()
    atasan, atasan_headers = api(people.atasan)
    rated = atasan.post(
        f"/api/v1/penilaian/{rows['tw2']}/rate", json=RATING, headers=atasan_headers
    )
    assert rated.status_code == 200, rated.get_json()
    return LastYear(people, skp_id, rows, periods)


@pytest.fixture()
def last_year_skp(app, api, reopen_after) -> LastYear:  # noqa: ANN001
    """``moved_to_last_year``, then the year closed."""
    year = moved_to_last_year(app, api)
    close_last_year(app)
    return year


def status_of(app, penilaian_id: int) -> str:  # noqa: ANN001
    from app.extensions import db
    from app.models.penilaian import Penilaian

    with app.app_context():
        return db.session.get(Penilaian, penilaian_id).status


def first_indikator(app, skp_id: int) -> int:  # noqa: ANN001
    from app.extensions import db
    from app.models.skp import IndikatorKinerja, RencanaHasilKerja

    with app.app_context():
        return db.session.execute(
            select(IndikatorKinerja.id)
            .join(RencanaHasilKerja)
            .where(RencanaHasilKerja.skp_id == skp_id)
            .order_by(IndikatorKinerja.id)
        ).scalar()


# --- realisasi and ratings ------------------------------------------------------------------


def test_realisasi_of_a_closed_year_is_refused_by_api_and_page(app, api, login, last_year_skp):
    year = last_year_skp
    indikator = first_indikator(app, year.skp_id)
    client, headers = api(year.people.staff)
    refused = client.post(
        "/api/v1/realisasi/",
        json={"indikator_kinerja_id": indikator, "periode_id": year.periode["tw3"], "nilai": 5},
        headers=headers,
    )
    assert refused.status_code == 409, refused.get_json()
    assert CLOSED in refused.get_json()["message"]

    page = login(year.people.staff).post(
        f"/realisasi/{year.skp_id}/{year.periode['tw3']}/indikator/{indikator}",
        data={"nilai": "5", "catatan": "", "version_id": ""},
        follow_redirects=True,
    )
    assert page.status_code in (200, 409)
    assert CLOSED in page.get_data(as_text=True)


def test_rating_and_accepting_in_a_closed_year_are_refused_by_api_and_page(
    app, api, login, last_year_skp
):
    year = last_year_skp
    atasan, headers = api(year.people.atasan)
    rate = atasan.post(
        f"/api/v1/penilaian/{year.penilaian['tw1']}/rate", json=RATING, headers=headers
    )
    assert rate.status_code == 409 and CLOSED in rate.get_json()["message"], rate.get_json()
    page = login(year.people.atasan).post(
        f"/penilaian/{year.penilaian['tw1']}/nilai", data=RATING, follow_redirects=True
    )
    assert CLOSED in page.get_data(as_text=True)
    assert status_of(app, year.penilaian["tw1"]) == "diajukan"

    staff, staff_headers = api(year.people.staff)
    accept = staff.post(f"/api/v1/penilaian/{year.penilaian['tw2']}/accept", headers=staff_headers)
    assert accept.status_code == 409 and CLOSED in accept.get_json()["message"]
    page = login(year.people.staff).post(
        f"/penilaian/{year.penilaian['tw2']}/terima", data={}, follow_redirects=True
    )
    assert CLOSED in page.get_data(as_text=True)
    assert status_of(app, year.penilaian["tw2"]) == "dinilai"


# --- training, plans and riwayat jabatan ------------------------------------------------------


def training(session, nip: str, mulai: dt.date, selesai: dt.date | None = None):  # noqa: ANN001, ANN201
    from app.services import pengembangan

    return pengembangan.add_pelatihan(
        session,
        _admin(),
        nip,
        pengembangan.IsianPelatihan("Diklat Uji", "BKPSDM", mulai, selesai, 8),
    )


def test_a_training_counted_in_a_closed_year_is_neither_added_moved_nor_deleted(
    app, login, cast, reopen_after
):
    from app.domain.errors import TransitionRefused
    from app.extensions import db
    from app.services import pengembangan

    nip = new_chain(app).staff
    with app.app_context():
        old = training(db.session, nip, dt.date(LAST_YEAR, 5, 2)).id
        this_year = training(db.session, nip, dt.date(THIS_YEAR, 2, 3)).id
        db.session.commit()
    close_last_year(app)

    def change(action) -> None:  # noqa: ANN001
        with app.app_context(), pytest.raises(TransitionRefused, match=str(LAST_YEAR)):
            action(db.session)
            db.session.flush()
        with app.app_context():
            db.session.rollback()

    isian = pengembangan.IsianPelatihan
    change(lambda s: training(s, nip, dt.date(LAST_YEAR, 9, 1)))  # added
    change(lambda s: training(s, nip, dt.date(LAST_YEAR, 12, 28), dt.date(LAST_YEAR, 12, 30)))
    change(  # moved out of the closed year
        lambda s: pengembangan.update_pelatihan(
            s, old, _admin(), isian("Diklat Uji", "BKPSDM", dt.date(THIS_YEAR, 5, 2), None, 8)
        )
    )
    change(  # moved into it
        lambda s: pengembangan.update_pelatihan(
            s, this_year, _admin(), isian("Diklat Uji", "BKPSDM", dt.date(LAST_YEAR, 2, 3), None, 8)
        )
    )
    change(lambda s: pengembangan.delete_pelatihan(s, old, _admin()))

    # The page says why; a training of the open year is still recorded.
    client = login(cast.admin)
    form = {"nip": nip, "nama_diklat": "Diklat Uji", "jp": "4"}
    refused = client.post("/pelatihan/tambah", data={**form, "tanggal_mulai": f"{LAST_YEAR}-10-01"})
    assert CLOSED in refused.get_data(as_text=True)
    added = client.post("/pelatihan/tambah", data={**form, "tanggal_mulai": f"{THIS_YEAR}-10-01"})
    assert added.status_code == 302
    # A training that ends in the open year counts there: it may start in the closed one.
    with app.app_context():
        training(db.session, nip, dt.date(LAST_YEAR, 12, 30), dt.date(THIS_YEAR, 1, 2))
        db.session.commit()


def test_a_plan_due_in_a_closed_year_is_frozen_and_one_due_later_carries_on(app, reopen_after):
    from app.domain.errors import TransitionRefused
    from app.extensions import db
    from app.models.penilaian import RencanaPengembangan
    from app.services import pengembangan

    people, _ = approved_evaluations(app)
    staff = viewer_of(app, people.staff).pegawai_id
    atasan = viewer_of(app, people.atasan)
    made = dt.datetime(LAST_YEAR, 3, 1)
    with app.app_context():
        plans = [
            RencanaPengembangan(
                pegawai_id=staff, jenis="pembinaan", status="usulan", dibuat_pada=made, tenggat=due
            )
            for due in (dt.date(LAST_YEAR, 11, 30), dt.date(THIS_YEAR, 6, 30), None)
        ]
        db.session.add_all(plans)
        db.session.commit()
        due_last_year, due_this_year, undated = (plan.id for plan in plans)
    close_last_year(app)

    def fill(plan_id: int, tenggat: dt.date | None, status: str = "berjalan") -> None:
        isian = pengembangan.IsianRencana(
            status=status, target="Lulus diklat", langkah="Mentoring", tenggat=tenggat
        )
        with app.test_request_context():
            pengembangan.update_plan(db.session, plan_id, atasan, isian)
            db.session.commit()

    for plan_id, tenggat in (
        (due_last_year, dt.date(LAST_YEAR, 11, 30)),  # frozen where it is
        (due_last_year, dt.date(THIS_YEAR, 11, 30)),  # nor moved out
        (due_this_year, dt.date(LAST_YEAR, 12, 1)),  # nor another moved in
    ):
        with pytest.raises(TransitionRefused, match=str(LAST_YEAR)):
            fill(plan_id, tenggat)
        with app.app_context():
            db.session.rollback()
    # Carried on into the open year: dated there, or undated.
    fill(due_this_year, dt.date(THIS_YEAR, 7, 31))
    fill(undated, None, status="usulan")
    with app.app_context():
        filled = [db.session.get(RencanaPengembangan, i) for i in (due_this_year, undated)]
        assert [(p.status, p.target) for p in filled] == [
            ("berjalan", "Lulus diklat"),
            ("usulan", "Lulus diklat"),
        ]


def test_a_riwayat_jabatan_dated_in_a_closed_year_is_refused(app, reopen_after):
    from app.domain.errors import TransitionRefused
    from app.extensions import db
    from app.models.riwayat_jabatan import RiwayatJabatan

    pegawai_id = viewer_of(app, new_chain(app).staff).pegawai_id

    def riwayat(tanggal: dt.date) -> RiwayatJabatan:
        return RiwayatJabatan(
            pegawai_id=pegawai_id,
            tanggal=tanggal,
            snapshot={},
            dicatat_pada=dt.datetime.now(),
        )

    with app.app_context():
        kept = riwayat(dt.date(LAST_YEAR, 7, 1))
        db.session.add(kept)
        db.session.commit()
        kept_id = kept.id
    close_last_year(app)
    for change in (
        lambda s: s.add(riwayat(dt.date(LAST_YEAR, 8, 1))),
        lambda s: setattr(s.get(RiwayatJabatan, kept_id), "tanggal", dt.date(THIS_YEAR, 1, 2)),
        lambda s: s.delete(s.get(RiwayatJabatan, kept_id)),
    ):
        with app.app_context():
            with pytest.raises(TransitionRefused, match=str(LAST_YEAR)):
                change(db.session)
                db.session.flush()
            db.session.rollback()
    with app.app_context():
        db.session.add(riwayat(dt.date(THIS_YEAR, 3, 1)))
        db.session.commit()


# --- the pages of a closed year ---------------------------------------------------------------


def test_the_pages_of_a_closed_year_say_so_and_offer_no_form(app, login, last_year_skp):
    year = last_year_skp
    staff, atasan = login(year.people.staff), login(year.people.atasan)
    tw1, tw2 = year.penilaian["tw1"], year.penilaian["tw2"]
    pages = {
        "skp (owner)": (staff, f"/skp/{year.skp_id}", [f"/skp/{year.skp_id}/revisi"]),
        "skp (penilai)": (atasan, f"/skp/{year.skp_id}", ["btn-setujui", "form-kembalikan"]),
        "realisasi": (
            staff,
            f"/realisasi/{year.skp_id}/{year.periode['tw3']}",
            ['id="form-realisasi"', "/ajukan", "realisasi-unggah", "realisasi-read-only"],
        ),
        "rating": (atasan, f"/penilaian/{tw1}", ['id="form-nilai"']),
        "answer": (staff, f"/penilaian/{tw2}", ["/terima", 'id="form-keberatan"']),
    }
    for name, (client, url, forms) in pages.items():
        html = client.get(url).get_data(as_text=True)
        assert 'id="tahun-ditutup"' in html and CLOSED in html, name
        for form in forms:
            assert form not in html, (name, form)


def test_the_same_pages_of_an_open_year_offer_their_forms(app, login, last_year_skp):
    from app.extensions import db
    from app.services import tutup_tahun

    year = last_year_skp
    with app.app_context():
        tutup_tahun.buka(db.session, _admin(), None, LAST_YEAR, "Dibuka lagi oleh tes.")
        db.session.commit()
    staff, atasan = login(year.people.staff), login(year.people.atasan)
    realisasi = staff.get(f"/realisasi/{year.skp_id}/{year.periode['tw3']}").get_data(as_text=True)
    rating = atasan.get(f"/penilaian/{year.penilaian['tw1']}").get_data(as_text=True)
    answer = staff.get(f"/penilaian/{year.penilaian['tw2']}").get_data(as_text=True)
    assert 'id="form-realisasi"' in realisasi and 'id="form-nilai"' in rating
    assert 'id="form-keberatan"' in answer
    assert not any('id="tahun-ditutup"' in html for html in (realisasi, rating, answer))
