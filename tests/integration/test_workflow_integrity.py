"""Workflow integrity: what a client sends cannot move a state, a rating, an owner or a version.

Only the services change a workflow state or a rating (ARCHITECTURE.md rule 3), and only from
the signed-in user's relation to the row: the owner drafts, submits and answers, the pejabat
penilai approves and rates, the atasan pejabat penilai decides. Extra fields in a form or a
JSON body (``status``, ``predikat``, ``pegawai_id``, ``versi``, ``disetujui_pada``,
``penilai_id``…) are ignored or refused; either way the stored row keeps its values.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import pegawai_id
from tests.factories import (
    approved_evaluations,
    chain_with_submitted_skps,
    fill_realisasi,
    new_chain,
    skp_with_rhk,
)

# Everything a client might try to set on a row it does not own the state of.
INJECTED = {
    "status": "disetujui",
    "versi": 7,
    "pegawai_id": 1,
    "penilai_id": 1,
    "diajukan_pada": "2020-01-01T00:00:00",
    "disetujui_pada": "2020-01-01T00:00:00",
    "snapshot": {"pegawai": {"nama": "Palsu"}},
    "revisi_dari_id": 1,
    "version_id": 99,
}
# The version a form was rendered from is checked, not stored: a wrong one refuses the change.
UNVERSIONED = {key: value for key, value in INJECTED.items() if key != "version_id"}
RATED = {
    "predikat": "sangat_baik",
    "status": "final",
    "penilai_id": 1,
    "diputus_oleh_id": 1,
    "dinilai_pada": "2020-01-01T00:00:00",
}


def row(app: Any, model_name: str, row_id: int, *columns: str) -> tuple:
    """The stored values of ``columns`` of one row."""
    from app.extensions import db
    from app.models import monitoring, penilaian, skp

    model = next(
        getattr(module, model_name)
        for module in (skp, penilaian, monitoring)
        if hasattr(module, model_name)
    )
    with app.app_context():
        found = db.session.execute(
            select(*(getattr(model, column) for column in columns)).where(model.id == row_id)
        ).one()
        return tuple(found)


def realisasi_of(app: Any, penilaian_id: int) -> tuple[int, int, int]:
    """(id, indikator id, periode id) of a realisasi of the evaluation's SKP and periode."""
    from app.extensions import db
    from app.models.monitoring import Realisasi
    from app.models.penilaian import Penilaian
    from app.models.skp import IndikatorKinerja, RencanaHasilKerja

    with app.app_context():
        penilaian = db.session.get(Penilaian, penilaian_id)
        found = db.session.execute(
            select(Realisasi.id, Realisasi.indikator_kinerja_id, Realisasi.periode_id)
            .join(IndikatorKinerja, Realisasi.indikator_kinerja_id == IndikatorKinerja.id)
            .join(RencanaHasilKerja)
            .where(
                RencanaHasilKerja.skp_id == penilaian.skp_id,
                Realisasi.periode_id == penilaian.periode_id,
            )
        ).first()
        return tuple(found)


SKP_COLUMNS = (
    "status",
    "versi",
    "pegawai_id",
    "penilai_id",
    "diajukan_pada",
    "disetujui_pada",
    "snapshot",
    "revisi_dari_id",
    "pendekatan",
)
PENILAIAN_COLUMNS = (
    "status",
    "rating_hasil_kerja",
    "rating_perilaku_kerja",
    "predikat",
    "penilai_id",
    "diputus_oleh_id",
)


@pytest.fixture()
def draft(app):  # noqa: ANN001, ANN201
    """A chain whose staff has a draft SKP (one RHK cascading from the atasan's, one
    indikator): (people, skp id, rhk id, indikator id)."""
    from app.extensions import db
    from app.models.skp import IndikatorKinerja

    people, atasan_rhk = chain_with_submitted_skps(app)
    skp_id, rhk_id = skp_with_rhk(app, people.staff, "Arsip tertata", intervensi_id=atasan_rhk)
    with app.app_context():
        indikator_id = db.session.execute(
            select(IndikatorKinerja.id).where(IndikatorKinerja.rencana_hasil_kerja_id == rhk_id)
        ).scalar_one()
    return people, skp_id, rhk_id, indikator_id


def refused_or_ignored(response: Any) -> None:
    """An injected field is either refused as a whole (400/422, nothing written) or the write
    goes through without it; the caller then checks the stored row."""
    assert response.status_code in (200, 201, 302, 400, 422), response.status_code


# --- SKP ---------------------------------------------------------------------------------


def test_api_new_skp_takes_no_owner_state_or_version_from_the_body(app, api):
    people = new_chain(app)
    client, headers = api(people.staff)
    from app.extensions import db
    from app.services import skp as skp_service

    with app.app_context():
        periode_id = skp_service.active_year(db.session).id
    other = pegawai_id(app, people.colleague)
    body = {"periode_id": periode_id, "pendekatan": "kuantitatif", **INJECTED}
    body["pegawai_id"] = other
    response = client.post("/api/v1/skp/", json=body, headers=headers)
    refused_or_ignored(response)
    from app.models.skp import Skp

    with app.app_context():
        stored = db.session.execute(
            select(Skp.pegawai_id, Skp.status, Skp.versi, Skp.disetujui_pada, Skp.snapshot).where(
                Skp.pegawai_id.in_([other, pegawai_id(app, people.staff)])
            )
        ).all()
    # Created or not, no SKP is the colleague's, approved, a later version or snapshotted.
    assert all(
        (owner, status, versi, approved, snap)
        == (pegawai_id(app, people.staff), "draft", 1, None, None)
        for owner, status, versi, approved, snap in stored
    ), stored


@pytest.mark.parametrize("field", sorted(INJECTED))
def test_api_put_of_an_skp_cannot_set_a_workflow_field(app, api, draft, field):
    people, skp_id, _, _ = draft
    before = row(app, "Skp", skp_id, *SKP_COLUMNS)
    client, headers = api(people.staff)
    value = INJECTED[field]
    response = client.put(f"/api/v1/skp/{skp_id}", json={field: value}, headers=headers)
    refused_or_ignored(response)
    assert row(app, "Skp", skp_id, *SKP_COLUMNS) == before


def test_api_put_of_an_skp_with_a_real_change_still_ignores_the_injected_fields(app, api, draft):
    people, skp_id, _, _ = draft
    client, headers = api(people.staff)
    body = {"pendekatan": "kualitatif", **INJECTED}
    response = client.put(f"/api/v1/skp/{skp_id}", json=body, headers=headers)
    refused_or_ignored(response)
    status, versi, owner, approved = row(
        app, "Skp", skp_id, "status", "versi", "pegawai_id", "disetujui_pada"
    )
    assert (status, versi, owner, approved) == ("draft", 1, pegawai_id(app, people.staff), None)


def test_html_skp_forms_ignore_workflow_fields(app, login, draft):
    people, skp_id, _, _ = draft
    client = login(people.staff)
    before = row(app, "Skp", skp_id, "status", "versi", "pegawai_id", "disetujui_pada")
    response = client.post(
        f"/skp/{skp_id}/lampiran",
        data={"pendekatan": "kualitatif", "konsekuensi": "Teguran", **_form(UNVERSIONED)},
    )
    assert response.status_code == 302
    assert row(app, "Skp", skp_id, "status", "versi", "pegawai_id", "disetujui_pada") == before
    assert row(app, "Skp", skp_id, "pendekatan") == ("kualitatif",)


def test_html_new_skp_is_the_signed_in_pegawai_s_draft(app, login):
    people = new_chain(app)
    client = login(people.staff)
    other = pegawai_id(app, people.colleague)
    body = {"pendekatan": "kuantitatif", **_form(INJECTED), "pegawai_id": str(other)}
    assert client.post("/skp/buat", data=body).status_code == 302
    from app.extensions import db
    from app.models.skp import Skp

    with app.app_context():
        stored = db.session.execute(
            select(Skp.pegawai_id, Skp.status, Skp.versi).where(
                Skp.pegawai_id.in_([other, pegawai_id(app, people.staff)])
            )
        ).all()
    assert stored == [(pegawai_id(app, people.staff), "draft", 1)]


def _form(values: dict[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in values.items()}


# --- RHK and indikator -------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"skp_id": "other"},
        {"uraian": "Diubah", "skp_id": "other"},
        {"jenis": "utama", "urutan": -5},
    ],
    ids=["move", "move-with-change", "order"],
)
def test_api_rhk_cannot_be_moved_to_another_skp(app, api, draft, body):
    people, skp_id, rhk_id, _ = draft
    other_skp, _ = skp_with_rhk(app, people.colleague, "Milik rekan")
    client, headers = api(people.staff)
    body = {key: other_skp if value == "other" else value for key, value in body.items()}
    response = client.put(f"/api/v1/rencana_hasil_kerja/{rhk_id}", json=body, headers=headers)
    refused_or_ignored(response)
    assert row(app, "RencanaHasilKerja", rhk_id, "skp_id") == (skp_id,)


def test_api_rhk_cannot_be_added_to_someone_else_s_skp(app, api, draft):
    people, _, _, _ = draft
    other_skp, _ = skp_with_rhk(app, people.colleague, "Milik rekan")
    client, headers = api(people.staff)
    response = client.post(
        "/api/v1/rencana_hasil_kerja/",
        json={"skp_id": other_skp, "jenis": "utama", "uraian": "Disusupkan"},
        headers=headers,
    )
    assert response.status_code == 404
    from app.extensions import db
    from app.models.skp import RencanaHasilKerja

    with app.app_context():
        uraian = db.session.execute(
            select(RencanaHasilKerja.uraian).where(RencanaHasilKerja.skp_id == other_skp)
        ).scalars()
        assert list(uraian) == ["Milik rekan"]


def test_api_indikator_cannot_be_moved_to_another_rhk(app, api, draft):
    people, _, rhk_id, indikator_id = draft
    _, other_rhk = skp_with_rhk(app, people.colleague, "Milik rekan")
    client, headers = api(people.staff)
    response = client.put(
        f"/api/v1/indikator_kinerja/{indikator_id}",
        json={"rencana_hasil_kerja_id": other_rhk, "target": 5},
        headers=headers,
    )
    refused_or_ignored(response)
    assert row(app, "IndikatorKinerja", indikator_id, "rencana_hasil_kerja_id") == (rhk_id,)


def test_rhk_and_indikator_of_a_submitted_skp_are_frozen(app, api, login, draft):
    people, skp_id, rhk_id, indikator_id = draft
    client, headers = api(people.staff)
    assert client.post(f"/api/v1/skp/{skp_id}/submit", headers=headers).status_code == 200
    before = (
        row(app, "RencanaHasilKerja", rhk_id, "uraian"),
        row(app, "IndikatorKinerja", indikator_id, "target"),
    )
    assert client.put(
        f"/api/v1/rencana_hasil_kerja/{rhk_id}", json={"uraian": "Diubah"}, headers=headers
    ).status_code in (403, 409)
    assert client.put(
        f"/api/v1/indikator_kinerja/{indikator_id}", json={"target": 1}, headers=headers
    ).status_code in (403, 409)
    assert client.delete(
        f"/api/v1/indikator_kinerja/{indikator_id}", headers=headers
    ).status_code in (
        403,
        409,
    )
    page = login(people.staff)
    assert (
        page.post(
            f"/skp/rhk/{rhk_id}/indikator",
            data={"aspek": "kualitas", "uraian": "Baru", "target": "1", "satuan": "%"},
        ).status_code
        == 409  # refused, the form shown again as typed
    )
    after = (
        row(app, "RencanaHasilKerja", rhk_id, "uraian"),
        row(app, "IndikatorKinerja", indikator_id, "target"),
    )
    assert after == before
    assert row(app, "Skp", skp_id, "status") == ("diajukan",)


# --- penilaian ---------------------------------------------------------------------------


@pytest.fixture()
def submitted(app, api):  # noqa: ANN001, ANN201
    """A chain whose staff submitted tw1 for evaluation: (people, {jenis: penilaian id})."""
    people, rows = approved_evaluations(app)
    fill_realisasi(app, rows["tw1"])
    client, headers = api(people.staff)
    assert (
        client.post(f"/api/v1/penilaian/{rows['tw1']}/submit", headers=headers).status_code == 200
    )
    return people, rows


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_api_penilaian_has_no_generic_write(app, api, submitted, method):
    people, rows = submitted
    before = row(app, "Penilaian", rows["tw1"], *PENILAIAN_COLUMNS)
    for username in (people.staff, people.atasan, "admin"):
        client, headers = api(username)
        response = getattr(client, method)(
            f"/api/v1/penilaian/{rows['tw1']}",
            json={"rating_hasil_kerja": "di_atas", "rating_perilaku_kerja": "di_atas", **RATED},
            headers=headers,
        )
        assert response.status_code == 405, (username, response.status_code)
    assert row(app, "Penilaian", rows["tw1"], *PENILAIAN_COLUMNS) == before


def test_api_penilaian_cannot_be_created_by_a_client(app, api, submitted):
    people, rows = submitted
    client, headers = api("admin")
    response = client.post(
        "/api/v1/penilaian/",
        json={"skp_id": 1, "periode_id": 1, **RATED},
        headers=headers,
    )
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("hasil", "perilaku", "predikat"),
    [("di_bawah", "di_bawah", "sangat_kurang"), ("sesuai", "di_atas", "baik")],
)
def test_api_rate_computes_the_predikat_whatever_the_body_says(
    app, api, submitted, hasil, perilaku, predikat
):
    people, rows = submitted
    client, headers = api(people.atasan)
    colleague = pegawai_id(app, people.colleague)
    body = {
        "rating_hasil_kerja": hasil,
        "rating_perilaku_kerja": perilaku,
        **RATED,
        "penilai_id": colleague,
    }
    response = client.post(f"/api/v1/penilaian/{rows['tw1']}/rate", json=body, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["predikat"] == predikat
    stored = row(app, "Penilaian", rows["tw1"], "status", "predikat", "penilai_id")
    assert stored == ("dinilai", predikat, pegawai_id(app, people.atasan))


def test_html_rating_form_computes_the_predikat_whatever_the_form_says(app, login, submitted):
    people, rows = submitted
    response = login(people.atasan).post(
        f"/penilaian/{rows['tw1']}/nilai",
        data={
            "rating_hasil_kerja": "di_bawah",
            "rating_perilaku_kerja": "sesuai",
            **_form(RATED),
        },
    )
    assert response.status_code == 302
    stored = row(app, "Penilaian", rows["tw1"], "status", "predikat", "diputus_oleh_id")
    assert stored == ("dinilai", "butuh_perbaikan", None)


def test_api_decide_computes_the_predikat_whatever_the_body_says(app, api, submitted):
    people, rows = submitted
    tw1 = rows["tw1"]
    atasan, atasan_headers = api(people.atasan)
    rated = {"rating_hasil_kerja": "di_bawah", "rating_perilaku_kerja": "sesuai"}
    assert atasan.post(f"/api/v1/penilaian/{tw1}/rate", json=rated, headers=atasan_headers)
    staff, staff_headers = api(people.staff)
    staff.post(f"/api/v1/penilaian/{tw1}/object", json={"alasan": "Bukti"}, headers=staff_headers)
    boss, boss_headers = api(people.boss)
    decided = boss.post(
        f"/api/v1/penilaian/{tw1}/decide",
        json={
            "rating_hasil_kerja": "sesuai",
            "rating_perilaku_kerja": "sesuai",
            "catatan": "Ok",
            **RATED,
            "status": "keberatan",
        },
        headers=boss_headers,
    )
    assert decided.status_code == 200, decided.get_json()
    assert (decided.get_json()["status"], decided.get_json()["predikat"]) == ("final", "baik")
    assert row(app, "Penilaian", tw1, "diputus_oleh_id") == (pegawai_id(app, people.boss),)


def test_a_pegawai_cannot_rate_their_own_evaluation(app, api, login, submitted):
    people, rows = submitted
    before = row(app, "Penilaian", rows["tw1"], *PENILAIAN_COLUMNS)
    client, headers = api(people.staff)
    response = client.post(
        f"/api/v1/penilaian/{rows['tw1']}/rate",
        json={"rating_hasil_kerja": "di_atas", "rating_perilaku_kerja": "di_atas"},
        headers=headers,
    )
    assert response.status_code == 403
    assert response.get_json()["message"]
    page = login(people.staff).post(
        f"/penilaian/{rows['tw1']}/nilai",
        data={"rating_hasil_kerja": "di_atas", "rating_perilaku_kerja": "di_atas"},
    )
    assert page.status_code == 403
    assert row(app, "Penilaian", rows["tw1"], *PENILAIAN_COLUMNS) == before


def test_a_pegawai_cannot_be_made_their_own_appraising_official(app, api):
    people = new_chain(app)
    staff_id = pegawai_id(app, people.staff)
    client, headers = api("admin")
    for field in ("pejabat_penilai_id", "atasan_id"):
        response = client.put(
            f"/api/v1/pegawai/{staff_id}", json={field: staff_id}, headers=headers
        )
        assert response.status_code == 422, (field, response.get_json())
    from app.extensions import db
    from app.models.master import Pegawai

    with app.app_context():
        stored = db.session.get(Pegawai, staff_id)
        assert (stored.pejabat_penilai_id, stored.atasan_id) == (
            None,
            pegawai_id(app, people.atasan),
        )


@pytest.mark.parametrize("rater", ["colleague", "boss", "other_atasan", "admin"])
def test_only_the_pejabat_penilai_rates(app, api, submitted, rater):
    """The staff's colleague, the atasan's own atasan (before an objection), an atasan of
    another chain and admin BKPSDM may not rate: 403 if they see the row, else 404."""
    people, rows = submitted
    username = {
        "colleague": people.colleague,
        "boss": people.boss,
        "other_atasan": new_chain(app).atasan,
        "admin": "admin",
    }[rater]
    before = row(app, "Penilaian", rows["tw1"], *PENILAIAN_COLUMNS)
    client, headers = api(username)
    response = client.post(
        f"/api/v1/penilaian/{rows['tw1']}/rate",
        json={"rating_hasil_kerja": "di_atas", "rating_perilaku_kerja": "di_atas"},
        headers=headers,
    )
    assert response.status_code == (403 if rater == "admin" else 404)
    assert row(app, "Penilaian", rows["tw1"], *PENILAIAN_COLUMNS) == before


def test_an_appraising_official_override_approves_and_rates_instead_of_the_atasan(app, api):
    """With a pejabat penilai set on the pegawai before the SKP is submitted, that official
    approves and rates; the atasan langsung, who still sees the rows, may not."""
    from app.extensions import db
    from app.models.master import Pegawai

    people = new_chain(app)
    official, official_rhk = chain_with_submitted_skps(app)
    with app.app_context():
        staff = db.session.get(Pegawai, pegawai_id(app, people.staff))
        staff.pejabat_penilai_id = pegawai_id(app, official.atasan)
        db.session.commit()
    skp_id, _ = skp_with_rhk(app, people.staff, "Arsip", intervensi_id=official_rhk, submit=True)
    atasan, atasan_headers = api(people.atasan)
    penilai, penilai_headers = api(official.atasan)
    assert atasan.post(f"/api/v1/skp/{skp_id}/approve", headers=atasan_headers).status_code == 403
    approved = penilai.post(f"/api/v1/skp/{skp_id}/approve", headers=penilai_headers)
    assert approved.status_code == 200, approved.get_json()
    from app.models.penilaian import Penilaian

    with app.app_context():
        tw1 = (
            db.session.execute(
                select(Penilaian.id).where(Penilaian.skp_id == skp_id).order_by(Penilaian.id)
            )
            .scalars()
            .first()
        )
    fill_realisasi(app, tw1)
    staff_client, staff_headers = api(people.staff)
    assert (
        staff_client.post(f"/api/v1/penilaian/{tw1}/submit", headers=staff_headers).status_code
        == 200
    )
    rating = {"rating_hasil_kerja": "sesuai", "rating_perilaku_kerja": "sesuai"}
    path = f"/api/v1/penilaian/{tw1}/rate"
    assert atasan.post(path, json=rating, headers=atasan_headers).status_code == 403
    rated = penilai.post(path, json=rating, headers=penilai_headers)
    assert rated.status_code == 200, rated.get_json()
    assert row(app, "Penilaian", tw1, "penilai_id") == (pegawai_id(app, official.atasan),)


@pytest.mark.parametrize("approver", ["staff", "colleague", "boss", "other_atasan", "admin"])
def test_only_the_pejabat_penilai_approves_an_skp(app, api, login, approver):
    people, atasan_rhk = chain_with_submitted_skps(app)
    skp_id, _ = skp_with_rhk(app, people.staff, "Arsip", intervensi_id=atasan_rhk, submit=True)
    username = {
        "staff": people.staff,
        "colleague": people.colleague,
        "boss": people.boss,
        "other_atasan": new_chain(app).atasan,
        "admin": "admin",
    }[approver]
    before = row(app, "Skp", skp_id, *SKP_COLUMNS)
    client, headers = api(username)
    response = client.post(f"/api/v1/skp/{skp_id}/approve", headers=headers)
    assert response.status_code in (403, 404)
    page = login(username).post(f"/skp/{skp_id}/setujui", data={})
    assert page.status_code in (403, 404)
    bulk = login(username).post("/skp/persetujuan/setujui", data={"skp_id": str(skp_id)})
    assert bulk.status_code in (403, 404)
    assert row(app, "Skp", skp_id, *SKP_COLUMNS) == before


# --- realisasi ---------------------------------------------------------------------------


def test_api_realisasi_put_cannot_move_it_to_another_indikator_or_periode(app, api):
    people, rows = approved_evaluations(app)
    fill_realisasi(app, rows["tw1"])
    realisasi_id, indikator_id, periode_id = realisasi_of(app, rows["tw1"])
    _, other_rhk = skp_with_rhk(app, people.colleague, "Milik rekan")
    client, headers = api(people.staff)
    response = client.put(
        f"/api/v1/realisasi/{realisasi_id}",
        json={
            "nilai": "11",
            "indikator_kinerja_id": other_rhk,
            "periode_id": periode_id + 1,
            "capaian": "999",
            "diubah_pada": "2020-01-01T00:00:00",
        },
        headers=headers,
    )
    refused_or_ignored(response)
    stored = row(app, "Realisasi", realisasi_id, "indikator_kinerja_id", "periode_id")
    assert stored == (indikator_id, periode_id)
    if response.status_code == 200:
        assert response.get_json()["result"].get("capaian") != "999"


def test_api_realisasi_of_a_submitted_periode_is_frozen(app, api, submitted):
    people, rows = submitted
    realisasi_id, _, _ = realisasi_of(app, rows["tw1"])
    before = row(app, "Realisasi", realisasi_id, "nilai", "version_id")
    client, headers = api(people.staff)
    response = client.put(f"/api/v1/realisasi/{realisasi_id}", json={"nilai": 1}, headers=headers)
    assert response.status_code == 409
    assert client.delete(f"/api/v1/realisasi/{realisasi_id}", headers=headers).status_code == 409
    assert row(app, "Realisasi", realisasi_id, "nilai", "version_id") == before


def test_html_realisasi_form_ignores_a_foreign_indikator_in_the_body(app, login):
    people, rows = approved_evaluations(app)
    from app.extensions import db
    from app.models.monitoring import Realisasi
    from app.models.penilaian import Penilaian
    from app.models.skp import IndikatorKinerja, RencanaHasilKerja

    with app.app_context():
        penilaian = db.session.get(Penilaian, rows["tw1"])
        skp_id, periode_id = penilaian.skp_id, penilaian.periode_id
        indikator_id = db.session.execute(
            select(IndikatorKinerja.id)
            .join(RencanaHasilKerja)
            .where(RencanaHasilKerja.skp_id == skp_id)
        ).scalar()
    other_skp, other_rhk = skp_with_rhk(app, people.colleague, "Milik rekan")
    with app.app_context():
        other_indikator = db.session.execute(
            select(IndikatorKinerja.id).where(IndikatorKinerja.rencana_hasil_kerja_id == other_rhk)
        ).scalar_one()
    response = login(people.staff).post(
        f"/realisasi/{skp_id}/{periode_id}/indikator/{indikator_id}",
        data={
            "nilai": "7",
            "indikator_kinerja_id": str(other_indikator),
            "skp_id": str(other_skp),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.execute(
            select(Realisasi.indikator_kinerja_id, Realisasi.nilai).where(
                Realisasi.periode_id == periode_id,
                Realisasi.indikator_kinerja_id.in_([indikator_id, other_indikator]),
            )
        ).all()
    assert [(ind, int(nilai)) for ind, nilai in stored] == [(indikator_id, 7)]


def test_api_feedback_and_evidence_are_written_by_the_signed_in_pegawai(app, api):
    people, rows = approved_evaluations(app)
    fill_realisasi(app, rows["tw1"])
    from app.extensions import db
    from app.models.monitoring import BuktiDukung, UmpanBalik
    from app.models.penilaian import Penilaian

    with app.app_context():
        skp_id = db.session.get(Penilaian, rows["tw1"]).skp_id
    realisasi_id, _, _ = realisasi_of(app, rows["tw1"])
    atasan_id = pegawai_id(app, people.atasan)
    client, headers = api(people.staff)
    message = client.post(
        "/api/v1/umpan_balik/",
        json={"skp_id": skp_id, "pesan": "Dari saya", "penulis_id": atasan_id},
        headers=headers,
    )
    assert message.status_code == 201
    link = client.post(
        "/api/v1/bukti_dukung/",
        json={
            "realisasi_id": realisasi_id,
            "url": "https://contoh.dumaikota.go.id/x",
            "diunggah_oleh_id": atasan_id,
            "jenis": "file",
            "path": "../../etc/passwd",
        },
        headers=headers,
    )
    refused_or_ignored(link)
    with app.app_context():
        assert db.session.get(UmpanBalik, message.get_json()["id"]).penulis_id == pegawai_id(
            app, people.staff
        )
        stored = db.session.execute(
            select(BuktiDukung.diunggah_oleh_id, BuktiDukung.jenis, BuktiDukung.path).where(
                BuktiDukung.realisasi_id == realisasi_id
            )
        ).all()
    assert all(row == (pegawai_id(app, people.staff), "url", None) for row in stored), stored


# --- master data that the workflow leans on ---------------------------------------------------


def test_admin_can_set_a_pegawai_inactive_and_close_a_periode_from_the_form(app, login):
    """FAB made the checkbox of a NOT NULL boolean required: "no" could not be saved."""
    from app.extensions import db
    from app.models.master import Pegawai, Periode

    people = new_chain(app)
    rekan = pegawai_id(app, people.colleague)
    client = login("admin")
    with app.app_context():
        pegawai = db.session.get(Pegawai, rekan)
        form = {
            "nip": pegawai.nip,
            "nama": pegawai.nama,
            "jenis_asn": pegawai.jenis_asn,
            "unit_kerja": str(pegawai.unit_kerja_id),
            "atasan": str(pegawai.atasan_id),
        }
        periode = Periode(
            tahun=2299,
            jenis="tahunan",
            tanggal_mulai=__import__("datetime").date(2299, 1, 1),
            tanggal_selesai=__import__("datetime").date(2299, 12, 31),
            aktif=False,
        )
        db.session.add(periode)
        db.session.commit()
        periode_id = periode.id
    try:
        assert client.post(f"/pegawaiview/edit/{rekan}", data=form).status_code == 302
        closed = {
            "tahun": "2299",
            "jenis": "tahunan",
            "tanggal_mulai": "2299-01-01",
            "tanggal_selesai": "2299-12-30",
        }
        assert client.post(f"/periodeview/edit/{periode_id}", data=closed).status_code == 302
        with app.app_context():
            assert db.session.get(Pegawai, rekan).aktif is False
            stored = db.session.get(Periode, periode_id)
            assert (stored.aktif, stored.tanggal_selesai.day) == (False, 30)
    finally:
        with app.app_context():
            db.session.delete(db.session.get(Periode, periode_id))
            db.session.commit()
