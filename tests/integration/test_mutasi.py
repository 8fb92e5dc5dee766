"""Mutasi (issue 12, item 5): admin BKPSDM moves a pegawai to another post in the middle of
the year, through the REST API, the pegawai page or the import. The SKP of the post left
closes the day before, keeping the evaluations already under way or of periods that ended
(app.domain.mutasi) and giving up the others; a draft SKP of the new post goes to the new
pejabat penilai, who also makes the annual evaluation with the earlier SKP's evaluations
beside it; the move is kept in the riwayat jabatan. Bad input is refused on its field and
changes nothing."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.domain import mutasi as rules
from app.extensions import db
from app.models.master import Pegawai, Periode, UnitKerja
from app.models.penilaian import Penilaian
from app.models.riwayat_jabatan import RiwayatJabatan
from app.models.skp import Skp
from app.services import impor
from tests.conftest import pegawai_id
from tests.factories import (
    Chain,
    approved_evaluations,
    chain_with_submitted_skps,
    fill_realisasi,
    jabatan,
    viewer_of,
)

TODAY = dt.date.today()


@dataclass(frozen=True)
class World:
    """The staff of ``origin`` (approved SKP, tw1 rated) about to move under the atasan of
    ``target`` (whose SKP is submitted), into that atasan's unit, as an "Analis Mutasi"."""

    origin: Chain
    target: Chain
    skp: int  # the staff's SKP of the post left
    evaluations: dict[str, int]  # its penilaian ids by periode jenis
    target_rhk: int  # the new atasan's RHK the new SKP cascades from
    unit: int
    jabatan: int
    atasan: int

    def body(self, **changes: object) -> dict[str, object]:
        return {
            "tanggal": TODAY.isoformat(),
            "unit_kerja_id": self.unit,
            "jabatan_id": self.jabatan,
            "atasan_id": self.atasan,
            "nomor_sk": "800/123/BKPSDM/2026",
            **changes,
        }


@pytest.fixture()
def world(app) -> World:
    from app.services import penilaian as penilaian_service

    origin, evaluations = approved_evaluations(app)
    tw1 = evaluations["tw1"]
    fill_realisasi(app, tw1)
    with app.test_request_context():
        penilaian_service.submit(db.session, tw1, viewer_of(app, origin.staff))
        penilaian_service.rate(db.session, tw1, viewer_of(app, origin.atasan), "di_atas", "sesuai")
        db.session.commit()
    target, target_rhk = chain_with_submitted_skps(app)
    with app.app_context():
        atasan = db.session.execute(
            select(Pegawai).where(Pegawai.nip == target.atasan)
        ).scalar_one()
        skp = db.session.get(Penilaian, tw1).skp_id
        analis = jabatan(db.session, "Analis Mutasi", "pelaksana")
        db.session.commit()
        return World(
            origin, target, skp, evaluations, target_rhk, atasan.unit_kerja_id, analis.id, atasan.id
        )


def staff_id(app, world: World) -> int:  # noqa: ANN001
    return pegawai_id(app, world.origin.staff)


def move(api, app, world: World, **changes: object):  # noqa: ANN001, ANN201
    admin, headers = api("admin")
    return admin.post(
        f"/api/v1/pegawai/{staff_id(app, world)}/mutasi",
        json=world.body(**changes),
        headers=headers,
    )


def expected_split(app, world: World) -> tuple[list[str], list[str]]:  # noqa: ANN001
    """(kept, withdrawn) jenis of the old SKP's evaluations, by the domain rule."""
    with app.app_context():
        rows = db.session.execute(
            select(Periode.jenis, Periode.tanggal_selesai, Penilaian.status)
            .join(Penilaian, Penilaian.periode_id == Periode.id)
            .where(Penilaian.skp_id == world.skp)
            .order_by(Periode.tanggal_selesai, Periode.jenis == "tahunan")
        ).all()
    kept = [jenis for jenis, end, status in rows if rules.stays_with_old_post(status, end, TODAY)]
    return kept, [jenis for jenis, _, _ in rows if jenis not in kept]


def evaluations_of(app, skp_id: int) -> dict[str, str]:  # noqa: ANN001
    with app.app_context():
        return dict(
            db.session.execute(
                select(Periode.jenis, Penilaian.status)
                .join(Penilaian, Penilaian.periode_id == Periode.id)
                .where(Penilaian.skp_id == skp_id)
            ).all()
        )


def draft_and_submit(api, skp_id: int, nip: str, intervensi_id: int) -> None:  # noqa: ANN001
    client, headers = api(nip)
    rhk = client.post(
        "/api/v1/rencana_hasil_kerja/",
        json={"skp_id": skp_id, "jenis": "utama", "uraian": "Analisis bidang baru",
              "intervensi_id": intervensi_id},
        headers=headers,
    )  # fmt: skip
    assert rhk.status_code == 201, rhk.get_json()
    indikator = {
        "rencana_hasil_kerja_id": rhk.get_json()["id"],
        "aspek": "kuantitas",
        "uraian": "Kajian",
        "target": 3,
        "satuan": "dokumen",
    }
    assert (
        client.post("/api/v1/indikator_kinerja/", json=indikator, headers=headers).status_code
        == 201
    )
    submitted = client.post(f"/api/v1/skp/{skp_id}/submit", headers=headers)
    assert submitted.status_code == 200, submitted.get_json()


# --- the REST API journey ---------------------------------------------------------------


def test_the_api_moves_the_pegawai_and_splits_the_year_between_two_skps(app, api, world):
    kept, withdrawn = expected_split(app, world)
    assert "tw1" in kept and {"tw4", "tahunan"} <= set(withdrawn)

    response = move(api, app, world)
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["skp_lama_id"] == world.skp
    assert answer["periode_tetap"] == kept and answer["periode_ditarik"] == withdrawn
    assert answer["tanggal"] == TODAY.isoformat() and answer["bawahan_lama"] == 0
    new_skp = answer["skp_id"]

    admin, headers = api("admin")
    me = admin.get(f"/api/v1/pegawai/{staff_id(app, world)}", headers=headers).get_json()["result"]
    assert (me["unit_kerja_id"], me["jabatan_id"], me["atasan_id"]) == (
        world.unit,
        world.jabatan,
        world.atasan,
    )
    old = admin.get(f"/api/v1/skp/{world.skp}", headers=headers).get_json()["result"]
    assert old["status"] == "disetujui"
    assert old["berlaku_sampai"] == (TODAY - dt.timedelta(days=1)).isoformat()
    assert evaluations_of(app, world.skp) == {
        jenis: status for jenis, status in evaluations_of(app, world.skp).items() if jenis in kept
    }
    assert set(evaluations_of(app, world.skp)) == set(kept)
    assert evaluations_of(app, world.skp)["tw1"] == "dinilai"  # evaluated: kept as it was

    new = admin.get(f"/api/v1/skp/{new_skp}", headers=headers).get_json()["result"]
    assert new["status"] == "draft" and new["penilai_id"] == world.atasan
    assert new["berlaku_mulai"] == TODAY.isoformat() and new["berlaku_sampai"] is None
    assert new["versi"] == old["versi"] + 1
    with app.app_context():
        assert db.session.get(Skp, new_skp).revisi_dari_id is None  # not a revision
        riwayat = db.session.get(RiwayatJabatan, answer["riwayat_jabatan_id"])
        assert (riwayat.skp_lama_id, riwayat.skp_baru_id) == (world.skp, new_skp)
        assert riwayat.nomor_sk == "800/123/BKPSDM/2026"


def test_the_new_skp_goes_to_the_new_penilai_who_makes_the_annual_evaluation(
    app, api, login, world
):
    _, withdrawn = expected_split(app, world)
    new_skp = move(api, app, world).get_json()["skp_id"]
    draft_and_submit(api, new_skp, world.origin.staff, world.target_rhk)

    assert f"/skp/{new_skp}" in login(world.target.atasan).get("/skp/persetujuan/").get_data(
        as_text=True
    )
    assert f"/skp/{new_skp}" not in login(world.origin.atasan).get("/skp/persetujuan/").get_data(
        as_text=True
    )
    client, headers = api(world.target.atasan)
    approved = client.post(f"/api/v1/skp/{new_skp}/approve", json={}, headers=headers)
    assert approved.status_code == 200, approved.get_json()

    assert set(evaluations_of(app, new_skp)) == set(withdrawn)  # one SKP per periode
    with app.app_context():
        annual = db.session.execute(
            select(Penilaian.id)
            .join(Periode, Penilaian.periode_id == Periode.id)
            .where(Penilaian.skp_id == new_skp, Periode.jenis == "tahunan")
        ).scalar_one()
        old_penilai = db.session.execute(
            select(Pegawai.nama).where(Pegawai.nip == world.origin.atasan)
        ).scalar_one()
    page = login(world.target.atasan).get(f"/penilaian/{annual}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="penilaian-mutasi"' in html
    assert f"/penilaian/{world.evaluations['tw1']}" in html  # the earlier SKP's evaluation
    assert f"/skp/{world.skp}" in html and old_penilai in html


def test_the_old_penilai_still_evaluates_the_periods_the_old_skp_kept(app, api, login, world):
    move(api, app, world)
    tw1 = world.evaluations["tw1"]
    old_atasan = login(world.origin.atasan)
    assert old_atasan.get(f"/penilaian/{tw1}").status_code == 200
    assert old_atasan.get(f"/skp/{world.skp}").status_code == 200
    client, headers = api(world.origin.atasan)
    again = client.post(
        f"/api/v1/penilaian/{tw1}/rate",
        json={"rating_hasil_kerja": "sesuai", "rating_perilaku_kerja": "sesuai"},
        headers=headers,
    )
    assert again.status_code == 200, again.get_json()
    # Only the rows of the SKP they appraised: the new SKP stays out of their sight.
    new_skp = skp_ids_of(app, world)[-1]
    assert old_atasan.get(f"/skp/{new_skp}").status_code == 404


def skp_ids_of(app, world: World) -> list[int]:  # noqa: ANN001
    with app.app_context():
        return list(
            db.session.execute(
                select(Skp.id)
                .where(Skp.pegawai_id == pegawai_id(app, world.origin.staff))
                .order_by(Skp.versi)
            ).scalars()
        )


def test_the_skp_pages_say_until_when_and_since_when_each_skp_holds(app, api, login, world):
    new_skp = move(api, app, world).get_json()["skp_id"]
    staff = login(world.origin.staff)
    old_page = staff.get(f"/skp/{world.skp}").get_data(as_text=True)
    assert 'id="skp-ditutup"' in old_page and f"/skp/{new_skp}" in old_page
    new_page = staff.get(f"/skp/{new_skp}").get_data(as_text=True)
    assert 'id="skp-mutasi"' in new_page and f"/skp/{world.skp}" in new_page
    printed = staff.get(f"/skp/dokumen/{world.skp}/cetak").get_data(as_text=True)
    assert 'class="berlaku-sampai"' in printed
    assert staff.get(f"/skp/dokumen/{world.skp}/skp.xlsx").status_code == 200


def test_an_skp_not_yet_approved_is_closed_and_can_no_longer_be_submitted(app, api, world):
    # The colleague has a draft only: it never came into force.
    from tests.factories import skp_with_rhk

    draft, _ = skp_with_rhk(app, world.origin.colleague, "Arsip", intervensi_id=None)
    admin, headers = api("admin")
    response = admin.post(
        f"/api/v1/pegawai/{pegawai_id(app, world.origin.colleague)}/mutasi",
        json=world.body(),
        headers=headers,
    )
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["skp_lama_id"] == draft and answer["periode_tetap"] == []
    old = admin.get(f"/api/v1/skp/{draft}", headers=headers).get_json()["result"]
    assert old["status"] == "ditutup"
    with app.app_context():  # it keeps naming the post it was drawn up for
        assert db.session.get(Skp, draft).snapshot["penilai"]["nip"] == world.origin.atasan
    client, own = api(world.origin.colleague)
    assert client.post(f"/api/v1/skp/{draft}/submit", headers=own).status_code == 409
    assert (
        client.get(f"/api/v1/skp/{answer['skp_id']}", headers=own).get_json()["result"]["status"]
        == "draft"
    )


def test_a_pegawai_without_an_skp_this_year_gets_the_draft_of_the_new_post(app, api, world):
    admin, headers = api("admin")
    response = admin.post(
        f"/api/v1/pegawai/{pegawai_id(app, world.origin.colleague)}/mutasi",
        json=world.body(),
        headers=headers,
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["skp_lama_id"] is None
    new = admin.get(f"/api/v1/skp/{response.get_json()['skp_id']}", headers=headers)
    assert new.get_json()["result"]["versi"] == 1


def test_a_supervisor_who_moves_leaves_their_head_post_vacant_and_their_staff_to_settle(
    app, api, world
):
    atasan = pegawai_id(app, world.origin.atasan)
    with app.app_context():
        unit = db.session.get(Pegawai, atasan).unit_kerja
        unit.kepala_id = atasan
        db.session.commit()
        unit_id = unit.id
    admin, headers = api("admin")
    response = admin.post(f"/api/v1/pegawai/{atasan}/mutasi", json=world.body(), headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["bawahan_lama"] == 2  # the staff and the colleague: to settle
    with app.app_context():
        assert db.session.get(UnitKerja, unit_id).kepala_id is None


# --- the pegawai page --------------------------------------------------------------------


def test_admin_records_a_transfer_on_the_pegawai_page_and_it_shows_in_the_riwayat(
    app, login, world
):
    me = staff_id(app, world)
    admin = login("admin")
    page = admin.get(f"/pegawaiview/show/{me}").get_data(as_text=True)
    assert 'id="form-mutasi"' in page and 'id="riwayat-jabatan"' in page
    form = {key: str(value) for key, value in world.body(nomor_sk="800/77/HALAMAN").items()}
    response = admin.post(f"/pegawaiview/mutasi/{me}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        riwayat = db.session.execute(
            select(RiwayatJabatan).where(RiwayatJabatan.pegawai_id == me)
        ).scalar_one()
        shown = (riwayat.id, riwayat.snapshot["ke"]["jabatan"])
    page = admin.get(f"/pegawaiview/show/{me}").get_data(as_text=True)
    assert f"riwayat-jabatan-{shown[0]}" in page
    assert "800/77/HALAMAN" in page and shown[1] in page

    # The pegawai reads their own riwayat, without the form.
    own = login(world.origin.staff).get(f"/pegawaiview/show/{me}").get_data(as_text=True)
    assert f"riwayat-jabatan-{shown[0]}" in own and 'id="form-mutasi"' not in own


def test_a_refused_transfer_on_the_page_is_shown_on_its_field_and_changes_nothing(
    app, login, world
):
    me = staff_id(app, world)
    before = fingerprint(app, world)
    form = {key: str(value) for key, value in world.body(tanggal="2001-01-01").items()}
    response = login("admin").post(f"/pegawaiview/mutasi/{me}", data=form)
    assert response.status_code == 200
    assert "has-error" in response.get_data(as_text=True)
    assert fingerprint(app, world) == before


# --- refusals ------------------------------------------------------------------------------


def fingerprint(app, world: World) -> tuple:  # noqa: ANN001
    """Everything a transfer changes: the pegawai's post and version, their SKPs and their
    evaluations, the riwayat jabatan."""
    me = pegawai_id(app, world.origin.staff)
    with app.app_context():
        session = db.session
        return (
            tuple(
                session.execute(
                    select(
                        Pegawai.unit_kerja_id,
                        Pegawai.jabatan_id,
                        Pegawai.atasan_id,
                        Pegawai.version_id,
                    ).where(Pegawai.id == me)
                ).one()
            ),
            tuple(
                tuple(row)
                for row in session.execute(
                    select(Skp.id, Skp.status, Skp.version_id, Skp.berlaku_sampai)
                    .where(Skp.pegawai_id == me)
                    .order_by(Skp.id)
                )
            ),
            session.execute(
                select(func.count(Penilaian.id))
                .join(Skp, Penilaian.skp_id == Skp.id)
                .where(Skp.pegawai_id == me)
            ).scalar_one(),
            session.execute(
                select(func.count(RiwayatJabatan.id)).where(RiwayatJabatan.pegawai_id == me)
            ).scalar_one(),
        )


@pytest.mark.parametrize("who", ["staff", "atasan", "boss"])
def test_only_admin_bkpsdm_records_a_transfer(app, api, world, who):
    before = fingerprint(app, world)
    client, headers = api(getattr(world.origin, who))
    response = client.post(
        f"/api/v1/pegawai/{staff_id(app, world)}/mutasi", json=world.body(), headers=headers
    )
    assert response.status_code == 403
    assert fingerprint(app, world) == before


def test_a_pegawai_that_does_not_exist_answers_404(app, api, world):
    admin, headers = api("admin")
    response = admin.post("/api/v1/pegawai/987654321/mutasi", json=world.body(), headers=headers)
    assert response.status_code == 404


def test_the_page_form_is_refused_to_anyone_but_admin(app, login, world):
    me = staff_id(app, world)
    form = {key: str(value) for key, value in world.body().items()}
    for nip in (world.origin.staff, world.origin.atasan):
        assert login(nip).post(f"/pegawaiview/mutasi/{me}", data=form).status_code == 403


LAST_YEAR_END = dt.date(TODAY.year - 1, 12, 31).isoformat()
TOMORROW = "besok"  # as of the test's run, not of its collection (a run may cross midnight)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"tanggal": None}, "tanggal"),
        ({"tanggal": "kemarin"}, "tanggal"),
        ({"tanggal": "2026-02-30"}, "tanggal"),
        ({"tanggal": 20260701}, "tanggal"),
        ({"tanggal": LAST_YEAR_END}, "tanggal"),  # outside the active year
        ({"tanggal": TOMORROW}, "tanggal"),  # not in force yet
        ({"unit_kerja_id": None}, "unit_kerja_id"),
        ({"unit_kerja_id": 987654321}, "unit_kerja_id"),
        ({"unit_kerja_id": "satu"}, "unit_kerja_id"),
        ({"jabatan_id": None}, "jabatan_id"),
        ({"jabatan_id": 987654321}, "jabatan_id"),
        ({"atasan_id": None}, "atasan_id"),
        ({"atasan_id": 987654321}, "atasan_id"),
        ({"atasan_id": "self"}, "atasan_id"),  # their own supervisor
        ({"nomor_sk": "x" * 101}, "nomor_sk"),
        ({"nomor_sk": 12}, "nomor_sk"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_changes_nothing(app, api, world, changes, field):
    if changes.get("atasan_id") == "self":
        changes = {"atasan_id": staff_id(app, world)}
    if changes.get("tanggal") == TOMORROW:
        changes = {"tanggal": (dt.date.today() + dt.timedelta(days=1)).isoformat()}
    before = fingerprint(app, world)
    response = move(api, app, world, **changes)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["field"] == field
    assert fingerprint(app, world) == before


def test_a_supervisor_cannot_be_moved_under_their_own_staff(app, api, world):
    admin, headers = api("admin")
    atasan = pegawai_id(app, world.origin.atasan)
    body = world.body(atasan_id=staff_id(app, world))
    response = admin.post(f"/api/v1/pegawai/{atasan}/mutasi", json=body, headers=headers)
    assert response.status_code == 422 and response.get_json()["field"] == "atasan_id"


def test_moving_into_the_post_already_held_changes_nothing(app, api, world):
    with app.app_context():
        me = db.session.get(Pegawai, staff_id(app, world))
        same = {"unit_kerja_id": me.unit_kerja_id, "jabatan_id": me.jabatan_id,
                "atasan_id": me.atasan_id}  # fmt: skip
    before = fingerprint(app, world)
    response = move(api, app, world, **same)
    assert response.status_code == 422 and response.get_json()["field"] == "unit_kerja_id"
    assert fingerprint(app, world) == before


def test_a_second_transfer_must_come_after_the_first(app, api, world):
    assert move(api, app, world).status_code == 200
    with app.app_context():
        back = db.session.execute(
            select(Pegawai.id).where(Pegawai.nip == world.origin.atasan)
        ).scalar_one()
    before = fingerprint(app, world)
    again = move(api, app, world, atasan_id=back)
    assert again.status_code == 422 and again.get_json()["field"] == "tanggal"
    assert fingerprint(app, world) == before


@pytest.mark.parametrize(
    ("body", "status"),
    [(None, 422), ([1, 2], 400), ({**dict.fromkeys(("tanggal", "tmt"), "2026-07-01")}, 422)],
)
def test_a_body_that_is_not_a_transfer_is_refused(app, api, world, body, status):
    admin, headers = api("admin")
    before = fingerprint(app, world)
    response = admin.post(
        f"/api/v1/pegawai/{staff_id(app, world)}/mutasi", json=body, headers=headers
    )
    assert response.status_code == status
    assert fingerprint(app, world) == before


# --- the import ----------------------------------------------------------------------------

IMPORT_PROBLEM = re.compile(r'<tr data-row="(\d+)"><td>\d+</td><td>([A-Z]) · ')


def import_file(client, rows: list[dict[str, object]]):  # noqa: ANN001, ANN201
    """Upload a data sheet of the template's columns, one dict (column key → cell) a row."""
    book = Workbook()
    sheet = book.active
    sheet.title = impor.DATA_SHEET
    sheet.append([column.header for column in impor.COLUMNS])
    for values in rows:
        sheet.append([values.get(column.key) for column in impor.COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    data = {"berkas": (io.BytesIO(buffer.getvalue()), "mutasi.xlsx")}
    return client.post("/pegawai/impor/", data=data, content_type="multipart/form-data")


def transfer_row(app, world: World, **values: object) -> dict[str, object]:  # noqa: ANN001
    """The staff's row as it stands, moved to the target's post as of today."""
    with app.app_context():
        me = db.session.get(Pegawai, staff_id(app, world))
        unit = db.session.get(UnitKerja, world.unit).kode
        return {
            "nip": me.nip,
            "nama": me.nama,
            "jenis_asn": "PNS",
            "kode_unit": unit,
            "kode_jabatan": impor.kode_jabatan(world.jabatan),
            "nip_atasan": world.target.atasan,
            "aktif": "Ya",
            "tmt_mutasi": TODAY.strftime("%d-%m-%Y"),
            "nomor_sk_mutasi": "800/9/IMPOR",
            **values,
        }


def moves_of(app, world: World) -> list[RiwayatJabatan]:  # noqa: ANN001
    with app.app_context():
        found = db.session.execute(
            select(RiwayatJabatan).where(RiwayatJabatan.pegawai_id == staff_id(app, world))
        ).scalars()
        return [(move.tanggal, move.nomor_sk, move.skp_lama_id) for move in found]


def test_an_import_row_with_a_tmt_mutasi_records_the_transfer_once(app, login, world):
    admin = login("admin")
    row = transfer_row(app, world)
    response = import_file(admin, [row])
    assert response.status_code == 200, IMPORT_PROBLEM.findall(response.get_data(as_text=True))
    assert moves_of(app, world) == [(TODAY, "800/9/IMPOR", world.skp)]
    with app.app_context():
        me = db.session.get(Pegawai, staff_id(app, world))
        assert (me.unit_kerja_id, me.jabatan_id, me.atasan_id) == (
            world.unit,
            world.jabatan,
            world.atasan,
        )
        old = db.session.get(Skp, world.skp)
        assert old.berlaku_sampai == TODAY - dt.timedelta(days=1)
    # The same file again finds the post taken: no second transfer.
    again = import_file(admin, [row])
    assert again.status_code == 200
    assert 'id="diubah">0<' in again.get_data(as_text=True)
    assert len(moves_of(app, world)) == 1


def test_a_changed_unit_without_tmt_mutasi_is_a_correction_not_a_transfer(app, login, world):
    row = transfer_row(app, world, tmt_mutasi=None, nomor_sk_mutasi=None)
    response = import_file(login("admin"), [row])
    assert response.status_code == 200
    assert moves_of(app, world) == []
    with app.app_context():
        assert db.session.get(Skp, world.skp).berlaku_sampai is None


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"tmt_mutasi": f"31-12-{TODAY.year - 1}"}, "tmt_mutasi"),  # outside the active year
        ({"kode_jabatan": None}, "kode_jabatan"),  # a transfer names the new position
        ({"nip": "new", "tmt_mutasi": "01-01-2026"}, "tmt_mutasi"),  # not in SIKAP yet
        ({"tmt_mutasi": None}, "nomor_sk_mutasi"),  # an SK number without its date
    ],
)
def test_an_import_transfer_that_breaks_a_rule_is_reported_on_its_column(
    app, login, world, values, column
):
    from tests.factories import unique_nip

    if values.get("nip") == "new":
        nip = unique_nip()
        values = {**values, "nip": nip, "nama": "Baru", "nip_atasan": None, "jenis_kelamin": None}
    before = fingerprint(app, world)
    response = import_file(login("admin"), [transfer_row(app, world, **values)])
    assert response.status_code == 422
    letter = impor.BY_KEY[column].letter
    assert ("2", letter) in IMPORT_PROBLEM.findall(response.get_data(as_text=True))
    assert fingerprint(app, world) == before


def test_a_file_of_the_older_template_without_the_transfer_columns_still_imports(app, login):
    from tests.factories import unique_nip

    nip = unique_nip()
    book = Workbook()
    sheet = book.active
    sheet.title = impor.DATA_SHEET
    older = [column for column in impor.COLUMNS if column.key not in impor.LATER_COLUMNS]
    sheet.append([column.header for column in older])
    lahir = dt.date(int(nip[:4]), int(nip[4:6]), int(nip[6:8])).strftime("%d-%m-%Y")
    cells = {"nip": nip, "nama": "Pegawai Lama", "jenis_asn": "PNS", "tanggal_lahir": lahir,
             "kode_unit": "BAPPEDA", "aktif": "Ya"}  # fmt: skip
    sheet.append([cells.get(column.key) for column in older])
    buffer = io.BytesIO()
    book.save(buffer)
    data = {"berkas": (io.BytesIO(buffer.getvalue()), "lama.xlsx")}
    response = login("admin").post("/pegawai/impor/", data=data, content_type="multipart/form-data")
    assert response.status_code == 200, IMPORT_PROBLEM.findall(response.get_data(as_text=True))
